# CLI tests: shell scripts under tests/cli/ run against the built binary.
foreach(script convert options)
  add_test(NAME cli_${script} COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/${script}.sh)
  set_tests_properties(cli_${script} PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)
endforeach()
