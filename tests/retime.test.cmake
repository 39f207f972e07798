# CLI tests of `tandem retime` and `tandem sync` on speech synthesised at
# test time by scripts/make-speech.py (espeak-ng + sox), with every true
# boundary known from sample counts.  Small versions of the benchmark in
# bench/retime/: 15-40 segments instead of 100.
#
# Included from tests/tests.cmake, this file adds the tests; each test runs
# it again in script mode (cmake -P) with STEP set.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  set(_rt_data ${CMAKE_BINARY_DIR}/retime-data)
  set(_rt_args -DDATA=${_rt_data} -DSRC=${PROJECT_SOURCE_DIR}
               -DTANDEM=$<TARGET_FILE:tandem_cli>)
  add_test(NAME retime_speech_setup
           COMMAND ${CMAKE_COMMAND} -DSTEP=setup ${_rt_args} -P ${CMAKE_CURRENT_LIST_FILE})
  set_tests_properties(retime_speech_setup PROPERTIES FIXTURES_SETUP retime_speech TIMEOUT 600)
  foreach(step retime_cli_en retime_cli_zh retime_cli_noisy retime_cli_errors
               sync_cli_offsets sync_cli_ratios sync_cli_splits sync_cli_refusals)
    add_test(NAME ${step}
             COMMAND ${CMAKE_COMMAND} -DSTEP=${step} ${_rt_args} -P ${CMAKE_CURRENT_LIST_FILE})
    set_tests_properties(${step} PROPERTIES FIXTURES_REQUIRED retime_speech TIMEOUT 600)
  endforeach()
  return()
endif()

# ---- script mode ----
if(EXISTS /usr/bin/python3)
  set(PY /usr/bin/python3)
else()
  find_program(PY python3 REQUIRED)
endif()
set(MS ${SRC}/scripts/make-speech.py)

# run(<expected exit code> <out var> cmd...): run a command, fail unless it
# exits as expected; the combined output lands in <out var>.
function(run want outvar)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT "${rc}" STREQUAL "${want}")
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "exit ${rc}, want ${want}: ${cmd}\n${out}${err}")
  endif()
  message(STATUS "${out}${err}")
  set(${outvar} "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect_match text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: no match for '${regex}' in:\n${text}")
  endif()
endfunction()

set(W ${DATA}/work-${STEP})
file(REMOVE_RECURSE ${W})
file(MAKE_DIRECTORY ${W})

if(STEP STREQUAL "setup")
  foreach(tool espeak-ng sox)
    find_program(found_${tool} ${tool})
    if(NOT found_${tool})
      message(FATAL_ERROR "${tool} is needed (scripts/install-deps.sh --test installs it)")
    endif()
  endforeach()
  file(REMOVE_RECURSE ${DATA}/en ${DATA}/zh ${DATA}/long)
  run(0 o ${PY} ${MS} synth --lang en --count 15 --seed 201 ${DATA}/en)
  run(0 o ${PY} ${MS} synth --lang zh --count 15 --seed 202 ${DATA}/zh)
  run(0 o ${PY} ${MS} synth --lang en --count 40 --seed 203 ${DATA}/long)
  foreach(d en zh)
    run(0 o ${PY} ${MS} noise --snr 10 ${DATA}/${d}/speech.wav ${DATA}/${d}/noisy.wav)
  endforeach()

elseif(STEP STREQUAL "retime_cli_en" OR STEP STREQUAL "retime_cli_zh")
  string(REGEX REPLACE ".*_" "" lang ${STEP})
  set(d ${DATA}/${lang})
  run(0 o ${TANDEM} retime ${d}/text.txt --audio ${d}/speech.wav -o ${W}/out.srt
      --report ${W}/report.json)
  expect_match("${o}" "retimed 15 segments; mean confidence 0\\.[5-9]" "summary")
  run(0 o ${PY} ${MS} score ${d}/truth.srt ${W}/out.srt --median-max 150 --p95-max 600)
  run(0 o ${PY} ${MS} score ${d}/truth.srt ${W}/report.json --median-max 150 --p95-max 600)
  file(READ ${W}/report.json rep)
  expect_match("${rep}" "\"index\": 15, \"start\": [0-9]+, \"end\": [0-9]+, \"confidence\": [01]\\.[0-9][0-9][0-9]}" "report")
  # WebVTT out of the same run, by extension.
  run(0 o ${TANDEM} retime ${d}/text.txt -a ${d}/speech.wav -o ${W}/out.vtt -q)
  file(READ ${W}/out.vtt vtt)
  expect_match("${vtt}" "^WEBVTT" "vtt output")

elseif(STEP STREQUAL "retime_cli_noisy")
  foreach(lang en zh)
    set(d ${DATA}/${lang})
    run(0 o ${TANDEM} retime ${d}/text.txt --audio ${d}/noisy.wav -o ${W}/${lang}.srt -q)
    run(0 o ${PY} ${MS} score ${d}/truth.srt ${W}/${lang}.srt --median-max 150 --p95-max 600)
  endforeach()

elseif(STEP STREQUAL "retime_cli_errors")
  set(d ${DATA}/en)
  run(0 o ${TANDEM} retime --help)
  expect_match("${o}" "usage: tandem retime" "help")
  run(2 o ${TANDEM} retime ${d}/text.txt -o ${W}/x.srt)
  expect_match("${o}" "no recording given" "missing --audio")
  run(2 o ${TANDEM} retime ${d}/text.txt --audio ${W}/missing.wav -o ${W}/x.srt)
  expect_match("${o}" "missing.wav: error: cannot open" "missing media")
  run(2 o ${TANDEM} retime ${d}/text.txt --audio ${d}/text.txt -o ${W}/x.srt)
  expect_match("${o}" "\\[media-open\\]" "not media")
  if(EXISTS ${W}/x.srt)
    message(FATAL_ERROR "output written after a failure")
  endif()
  run(2 o ${TANDEM} retime ${d}/text.txt --audio ${d}/speech.wav -o ${d}/text.txt -t srt)
  expect_match("${o}" "refusing to overwrite the input" "overwrite")
  # Silence has no speech to time.
  run(0 o sox -D -r 16000 -c 1 -n -b 16 ${W}/silence.wav trim 0 3)
  run(2 o ${TANDEM} retime ${d}/text.txt --audio ${W}/silence.wav -o ${W}/x.srt)
  expect_match("${o}" "no speech found in the recording \\[retime-no-speech\\]" "silence")

elseif(STEP STREQUAL "sync_cli_offsets")
  set(d ${DATA}/long)
  foreach(off 0.5 12.34 -7.77 59 -45.5)
    run(0 o ${PY} ${MS} shift --by ${off} ${d}/speech.wav ${W}/shifted.wav)
    run(0 o ${TANDEM} sync ${d}/truth.srt --audio ${W}/shifted.wav -o ${W}/out.srt)
    expect_match("${o}" "offset [-+][0-9.]+ s, ratio 1, score 0\\.[5-9]" "result line")
    run(0 o ${PY} ${MS} score ${d}/truth.srt ${W}/out.srt --shift ${off} --within 40 --min-frac 0.99)
  endforeach()

elseif(STEP STREQUAL "sync_cli_ratios")
  set(d ${DATA}/long)
  # sox speed F makes the audio F times faster: cues must scale by 1/F.
  foreach(pair "1.0427083;23.976/25" "0.95904;25/23.976" "1.0416667;24/25" "0.96;25/24"
               "1.001;1000/1001" "0.999001;1001/1000")
    list(GET pair 0 f)
    list(GET pair 1 name)
    run(0 o ${PY} ${MS} speed --factor ${f} ${d}/speech.wav ${W}/speed.wav)
    run(0 o ${PY} ${MS} shift --by 3.21 ${W}/speed.wav ${W}/moved.wav)
    run(0 o ${TANDEM} sync ${d}/truth.srt --audio ${W}/moved.wav -o ${W}/out.srt)
    expect_match("${o}" "ratio ${name}" "ratio for speed ${f}")
    run(0 o ${PY} ${MS} score ${d}/truth.srt ${W}/out.srt --factor ${f} --shift 3.21 --within 40 --min-frac 0.99)
  endforeach()

elseif(STEP STREQUAL "sync_cli_splits")
  set(d ${DATA}/long)
  run(0 o ${PY} ${MS} cut --start 100 --end 130 ${d}/speech.wav ${W}/cut.wav)
  run(0 o ${PY} ${MS} shift --by 4 ${W}/cut.wav ${W}/cutshift.wav)
  run(0 o ${TANDEM} sync ${d}/truth.srt --audio ${W}/cutshift.wav -o ${W}/out.srt --splits)
  expect_match("${o}" "1 split" "one split")
  run(0 o ${PY} ${MS} score ${d}/truth.srt ${W}/out.srt --cut 100 130 --shift 4 --within 200 --min-frac 0.95)
  # One offset cannot fix it.
  run(0 o ${TANDEM} sync ${d}/truth.srt --audio ${W}/cutshift.wav -o ${W}/plain.srt)
  run(1 o ${PY} ${MS} score ${d}/truth.srt ${W}/plain.srt --cut 100 130 --shift 4 --within 200 --min-frac 0.95)

elseif(STEP STREQUAL "sync_cli_refusals")
  set(d ${DATA}/long)
  file(COPY ${d}/truth.srt DESTINATION ${W})
  file(SHA256 ${W}/truth.srt before)
  run(0 o ${PY} ${MS} shift --by 90 ${d}/speech.wav ${W}/far.wav)
  run(1 o ${TANDEM} sync ${W}/truth.srt --audio ${W}/far.wav -o ${W}/out.srt)
  expect_match("${o}" "the offset found exceeds the maximum offset \\[sync-refused\\]" "far")
  expect_match("${o}" "best found: offset \\+90\\.0[0-9][0-9] s" "far offset printed")
  run(0 o ${TANDEM} sync ${W}/truth.srt --audio ${W}/far.wav -o ${W}/ok.srt --max-offset 100)
  run(1 o ${TANDEM} sync ${W}/truth.srt --audio ${DATA}/zh/speech.wav -o ${W}/out.srt)
  expect_match("${o}" "poor \\(score below the minimum\\) \\[sync-refused\\]" "poor")
  run(0 o ${PY} ${MS} speed --factor 1.004 ${d}/speech.wav ${W}/odd.wav)
  run(1 o ${TANDEM} sync ${W}/truth.srt --audio ${W}/odd.wav -o ${W}/out.srt)
  expect_match("${o}" "edge of the search" "odd ratio")
  if(EXISTS ${W}/out.srt)
    message(FATAL_ERROR "sync wrote its output although it refused")
  endif()
  file(SHA256 ${W}/truth.srt after)
  if(NOT before STREQUAL after)
    message(FATAL_ERROR "sync changed its input")
  endif()
  # The reference mode: the synced file against a drifted copy.
  run(0 o ${TANDEM} sync ${W}/ok.srt --reference ${W}/truth.srt -o ${W}/back.srt --max-offset 100)
  expect_match("${o}" "offset -90\\.0[0-9][0-9] s, ratio 1, score (0\\.9|1\\.0)" "reference")
  run(2 o ${TANDEM} sync ${W}/truth.srt -o ${W}/out.srt)
  expect_match("${o}" "give either --audio MEDIA or --reference OTHER" "usage")
else()
  message(FATAL_ERROR "unknown STEP ${STEP}")
endif()
