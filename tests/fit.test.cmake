# --fit and retime --estimate from the command line (tests/fit/cli.sh):
# the podcast over its claimed 82 min, netflix's layout rules on the
# result, and the share of Chinese cuts inside a word as jieba sees it.
add_test(NAME cli_fit COMMAND bash ${PROJECT_SOURCE_DIR}/tests/fit/cli.sh)
set_tests_properties(cli_fit PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)

# libass through ffmpeg draws the fitted bilingual ASS of the podcast inside
# the frame (tests/fit/render.py): no lit pixel in its outer 1%.
add_test(NAME fit_render COMMAND bash -c
         "set -e; d=$(mktemp -d); trap 'rm -rf $d' EXIT; \"$TANDEM\" retime \"$TANDEM_SOURCE_DIR/fixtures/seeds/003_a154d282383bb464.txt\" --estimate --fit netflix -o $d/p.ass -q; /usr/bin/python3 \"$TANDEM_SOURCE_DIR/tests/fit/render.py\" $d/p.ass 6")
set_tests_properties(fit_render PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)

# With audio: espeak-ng sentences joined by known pauses (some none), given
# as a few long lines to `retime --fit netflix`; the true sentence edges
# must have cue edges on them (median <= 150 ms, p90 <= 600 ms).
add_test(NAME fit_speech_edges COMMAND bash -c
         "set -e; d=$(mktemp -d); trap 'rm -rf $d' EXIT; /usr/bin/python3 \"$TANDEM_SOURCE_DIR/tests/fit/speech_edges.py\" \"$TANDEM\" \"$TANDEM_SOURCE_DIR\" $d/s 33")
set_tests_properties(fit_speech_edges PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}" TIMEOUT 300)

# Golden files of --fit (fixtures/fit): a part of the podcast and of a
# lecture, in SRT, WebVTT and ASS; TANDEM_REGEN=1 rewrites them.
add_test(NAME fit_golden COMMAND bash ${PROJECT_SOURCE_DIR}/tests/fit/golden.sh)
set_tests_properties(fit_golden PROPERTIES ENVIRONMENT "${TANDEM_TEST_ENV}")
