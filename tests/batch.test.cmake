# Corpus-scale batches (--files-from, --jsonl, --shard, --resume and the GNU
# parallel recipe of docs/batch.md): tests/cli/batch.sh.
add_test(NAME cli_batch COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/batch.sh)
set_tests_properties(cli_batch PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)
