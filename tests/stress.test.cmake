# Pathological inputs (tests/stress.sh): 100k cues through every writer, 1 MB
# lines, 100k NOTE blocks, 10^5 nested or unclosed tags, 10^5-deep JSON and
# 50 MB of random bytes.  stress_gen writes them into the build tree first
# (nothing big is committed) and the last test removes them again.
#
# Each case's TIMEOUT is about ten times what it takes in a release build on
# a loaded 2-core machine (see .readme-parts/G-robustness.md): enough for the
# ASan build, far too little for a reader gone quadratic, which at these
# sizes takes minutes.
add_executable(stress_gen ${PROJECT_SOURCE_DIR}/tests/stress_gen.c)
set(TANDEM_STRESS_DIR ${CMAKE_CURRENT_BINARY_DIR}/stress)

add_test(NAME stress_setup COMMAND stress_gen ${TANDEM_STRESS_DIR})
set_tests_properties(stress_setup PROPERTIES FIXTURES_SETUP tandem_stress TIMEOUT 60)
add_test(NAME stress_cleanup COMMAND ${CMAKE_COMMAND} -E rm -rf ${TANDEM_STRESS_DIR})
set_tests_properties(stress_cleanup PROPERTIES FIXTURES_CLEANUP tandem_stress)

# case:timeout-in-seconds
set(stress_cases read-srt:20 read-vtt:20 long-line:40 notes:30 regions:30 markup:40 deep-json:20 random:30)
foreach(from srt vtt)
  foreach(to srt vtt json ass lines transcript post)
    list(APPEND stress_cases ${from}-to-${to}:40)
  endforeach()
endforeach()
foreach(c ${stress_cases})
  string(REPLACE ":" ";" pair ${c})
  list(GET pair 0 name)
  list(GET pair 1 secs)
  add_test(NAME stress_${name} COMMAND bash ${PROJECT_SOURCE_DIR}/tests/stress.sh ${name})
  set_tests_properties(stress_${name} PROPERTIES
    ENVIRONMENT "${TANDEM_TEST_ENV};STRESS_DIR=${TANDEM_STRESS_DIR}"
    FIXTURES_REQUIRED tandem_stress TIMEOUT ${secs})
endforeach()
