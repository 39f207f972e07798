# biround.test.cmake - bilingual files read back as tandem wrote them
# (tests/cli/biround.sh: the aligned podcast through SRT and WebVTT, tandem's
# own marked files byte for byte, lecture 2's echoed pair).
add_test(NAME cli_biround COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/biround.sh)
set_tests_properties(cli_biround PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)
