# --fit and retime --estimate from the command line (tests/fit/cli.sh):
# the podcast over its claimed 82 min, netflix's layout rules on the
# result, and the share of Chinese cuts inside a word as jieba sees it.
add_test(NAME cli_fit COMMAND bash ${PROJECT_SOURCE_DIR}/tests/fit/cli.sh)
set_tests_properties(cli_fit PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)
