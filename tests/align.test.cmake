# The aligner: the benchmark program (bench/align) and the CLI tests of
# `tandem align` (tests/cli/align.sh).
add_executable(bench_align ${PROJECT_SOURCE_DIR}/bench/align/bench_align.c)
target_link_libraries(bench_align PRIVATE tandem_internal m)

# A small perturbation benchmark as a floor, not a timing: seed 003 at the
# issue's rates, and the two real lecture pairs.  --min-untr bounds both the
# recall and the precision of the dropped lines reported untranslated.
# (With the learned table: 0.992 / 0.917 / 1.000, 0.994 / 0.909 / 0.909 and
# 0.993 / 1.000 / 1.000; without it the pairs floor fails.)
add_test(NAME align_bench_floor_pairs
         COMMAND bench_align --pairs ${PROJECT_SOURCE_DIR}/fixtures/seeds/003_a154d282383bb464.txt
                 --level 1 --seed 7 --min-f1 0.98 --min-untr 0.88 --quiet)
add_test(NAME align_bench_floor_lexicon
         COMMAND bench_align --pairs ${PROJECT_SOURCE_DIR}/fixtures/seeds/003_a154d282383bb464.txt
                 --level 1 --seed 7 --lexicon ${PROJECT_SOURCE_DIR}/bench/align/common.lex
                 --min-f1 0.98 --min-untr 0.88 --quiet)
add_test(NAME align_bench_floor_lecture
         COMMAND bench_align --srt ${PROJECT_SOURCE_DIR}/fixtures/align/corpus/polyu_comp5521_lecture1
                 --level 1 --seed 3 --min-f1 0.97 --min-untr 0.85 --quiet)
add_test(NAME align_bench_floor_lecture2
         COMMAND bench_align --srt ${PROJECT_SOURCE_DIR}/fixtures/align/corpus/polyu_comp5521_lecture2
                 --level 1 --seed 3 --min-f1 0.97 --min-untr 0.90 --quiet)
add_test(NAME align_bench_unrelated
         COMMAND bench_align --pairs ${PROJECT_SOURCE_DIR}/fixtures/seeds/003_a154d282383bb464.txt
                 --unrelated ${PROJECT_SOURCE_DIR}/fixtures/align/corpus/polyu_comp5521_lecture2)
set_tests_properties(align_bench_floor_pairs align_bench_floor_lecture align_bench_floor_lexicon
                     align_bench_floor_lecture2
                     align_bench_unrelated
                     PROPERTIES TIMEOUT 120)

add_test(NAME cli_align COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/align.sh)
set_tests_properties(cli_align PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)
