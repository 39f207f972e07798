# The public API as an outside program sees it: tandem.h and the shared library only.
add_executable(test_api_shared ${PROJECT_SOURCE_DIR}/tests/api/test_api.c)
target_include_directories(test_api_shared PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(test_api_shared PRIVATE tandem_shared)
add_test(NAME api_shared COMMAND test_api_shared)
# Internal names must not leak out of the shared library.
add_test(NAME api_symbols COMMAND sh -c
  "nm -D --defined-only $<TARGET_FILE:tandem_shared> | awk '{print $3}' | grep -v '^tandem_[a-z]' | grep -v '^_' ; test $? -eq 1")
