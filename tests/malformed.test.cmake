# The malformed-input catalogue and the output-safety rules (tests/malformed/run.sh):
# each bad input must fail with its positioned message and exit status, leaving no file.
add_test(NAME malformed COMMAND bash ${PROJECT_SOURCE_DIR}/tests/malformed/run.sh)
set_tests_properties(malformed PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)
