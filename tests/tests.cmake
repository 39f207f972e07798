# Test wiring, included from the top-level CMakeLists.
#
#  tests/test_*.c       each a unit-test program (tests/harness.h), one ctest each
#  fuzz/fuzz_*.c        a fuzz target per reader; built with fuzz/fuzz_main.c
#                       it replays fixtures/ as a ctest (and with libFuzzer
#                       when TANDEM_LIBFUZZER is on)
#  tests/*.test.cmake   further ctests (CLI runs, conformance drivers); each
#                       file adds its own with add_test()
#  cli_includes         the CLI includes only tandem.h, cli.h and system
#                       headers (tests/cli-includes.cmake, in script mode)
#
# Tests find data through TANDEM_SOURCE_DIR and the CLI through $TANDEM.

set(TANDEM_TEST_ENV "TANDEM=$<TARGET_FILE:tandem_cli>;TANDEM_SOURCE_DIR=${PROJECT_SOURCE_DIR}")

file(GLOB TANDEM_UNIT_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/test_*.c)
foreach(src ${TANDEM_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE tandem_internal)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE TANDEM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 900)
endforeach()

file(GLOB TANDEM_FUZZ_TARGETS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/fuzz_*.c)
list(FILTER TANDEM_FUZZ_TARGETS EXCLUDE REGEX "fuzz_main\\.c$")
foreach(src ${TANDEM_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  if(TANDEM_LIBFUZZER)
    add_executable(${name} ${src})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${name} ${src} ${PROJECT_SOURCE_DIR}/fuzz/fuzz_main.c)
    add_test(NAME ${name}_replay COMMAND ${name} ${PROJECT_SOURCE_DIR}/fixtures
             ${PROJECT_SOURCE_DIR}/tests/conformance)
    set_tests_properties(${name}_replay PROPERTIES TIMEOUT 1200)
  endif()
  target_link_libraries(${name} PRIVATE tandem_internal)
endforeach()

add_test(NAME cli_includes
         COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                 -P ${PROJECT_SOURCE_DIR}/tests/cli-includes.cmake)

file(GLOB TANDEM_EXTRA_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/*.test.cmake)
foreach(f ${TANDEM_EXTRA_TESTS})
  include(${f})
endforeach()

# Installing: the tree `cmake --install` makes serves a downstream build
# (find_package and pkg-config, shared and static: tests/downstream/), and
# the bash completion loads and completes what --help lists.
set(TANDEM_DOWNSTREAM_FLAGS "")
if(TANDEM_SANITIZE)
  string(APPEND TANDEM_DOWNSTREAM_FLAGS " -fsanitize=address,undefined")
endif()
if(TANDEM_LIBFUZZER)
  string(APPEND TANDEM_DOWNSTREAM_FLAGS " -fsanitize=fuzzer-no-link")
endif()
add_test(NAME install_downstream
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/downstream/run.sh ${PROJECT_BINARY_DIR}
                 ${PROJECT_BINARY_DIR}/install-test ${CMAKE_C_COMPILER} ${CMAKE_COMMAND}
                 ${PKG_CONFIG_EXECUTABLE} $<BOOL:${HELP2MAN}> "${TANDEM_DOWNSTREAM_FLAGS}")
set_tests_properties(install_downstream PROPERTIES TIMEOUT 300)
add_test(NAME install_completion COMMAND bash ${PROJECT_SOURCE_DIR}/tests/completion.sh)
set_tests_properties(install_completion PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 120)

# The layout keeps its limits (docs/layout.md, scripts/layout-check.py): no
# library file over 1,200 lines, no function over 150, no private header
# seen by the CLI, no circle of calls between two parts' files.
add_test(NAME layout COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/scripts/layout-check.py
                             --objects ${PROJECT_BINARY_DIR})
