# Subtitles made from a post: plain text, glosses, speaker labels
# (tests/cli/postsub.sh; issue 15 item 9).
add_test(NAME cli_postsub COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/postsub.sh)
set_tests_properties(cli_postsub PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 120)
