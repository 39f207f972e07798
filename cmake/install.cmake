# What `cmake --install` puts where (GNUInstallDirs), included from the
# top-level CMakeLists:
#   bin/tandem                           the command line
#   lib/libtandem.so, lib/libtandem.a    the library, shared and static
#   include/tandem.h                     its one public header
#   lib/pkgconfig/tandem.pc              pkg-config (--static for the .a)
#   lib/cmake/tandem/                    find_package(tandem): tandem::tandem
#                                        (shared), tandem::tandem_static
#   share/man/man1/tandem*.1             from the --help texts, with help2man
#   share/bash-completion/completions/tandem

include(CMakePackageConfigHelpers)

set(TANDEM_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/tandem)
set_target_properties(tandem_shared PROPERTIES EXPORT_NAME tandem)
set_target_properties(tandem PROPERTIES EXPORT_NAME tandem_static)
install(TARGETS tandem_cli)
install(TARGETS tandem_shared tandem EXPORT tandem-targets)
install(FILES ${PROJECT_SOURCE_DIR}/include/tandem.h TYPE INCLUDE)

# The CMake package.
install(EXPORT tandem-targets NAMESPACE tandem:: DESTINATION ${TANDEM_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tandem-config.cmake.in
                              ${PROJECT_BINARY_DIR}/tandem-config.cmake
                              INSTALL_DESTINATION ${TANDEM_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tandem-config-version.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tandem-config.cmake
        ${PROJECT_BINARY_DIR}/tandem-config-version.cmake DESTINATION ${TANDEM_CMAKEDIR})

# pkg-config: written at install time, so `--prefix` is the prefix it names.
install(CODE "
  set(TANDEM_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(TANDEM_PC_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(TANDEM_PC_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(TANDEM_VERSION \"${PROJECT_VERSION}\")
  foreach(dir LIBDIR INCLUDEDIR)
    if(NOT IS_ABSOLUTE \"\${TANDEM_PC_\${dir}}\")
      set(TANDEM_PC_\${dir} \"\\\${prefix}/\${TANDEM_PC_\${dir}}\")
    endif()
  endforeach()
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/tandem.pc.in\"
                 \"${PROJECT_BINARY_DIR}/tandem.pc\" @ONLY)
")
install(FILES ${PROJECT_BINARY_DIR}/tandem.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Manual pages: help2man turns each --help into one, so they cannot drift.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(TANDEM_MANDIR ${PROJECT_BINARY_DIR}/man)
  add_custom_command(OUTPUT ${TANDEM_MANDIR}/tandem.1
                     COMMAND sh ${PROJECT_SOURCE_DIR}/scripts/man.sh $<TARGET_FILE:tandem_cli>
                             ${TANDEM_MANDIR}
                     DEPENDS tandem_cli ${PROJECT_SOURCE_DIR}/scripts/man.sh
                     COMMENT "Writing the manual pages with help2man" VERBATIM)
  add_custom_target(tandem_man ALL DEPENDS ${TANDEM_MANDIR}/tandem.1)
  install(DIRECTORY ${TANDEM_MANDIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
          FILES_MATCHING PATTERN "*.1")
else()
  message(STATUS "help2man not found: no manual pages (scripts/install-deps.sh installs it)")
endif()

install(FILES ${PROJECT_SOURCE_DIR}/completion/tandem.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME tandem)
