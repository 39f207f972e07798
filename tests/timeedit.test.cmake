# `--shift`, `--fps`, `--out-encoding`, `--bom`, the CLI's stdin/stdout
# defaults and batch progress on a terminal (tests/cli/timeedit.sh).
add_test(NAME cli_timeedit COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/timeedit.sh)
set_tests_properties(cli_timeedit PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)
