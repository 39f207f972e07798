# avload.test.cmake - the media libraries are opened on first use
# (media/avload.c), never linked.
#
# Included from tests/tests.cmake, it registers:
#   media_not_linked   neither the CLI nor libtandem.so has a DT_NEEDED entry
#                      for FFmpeg's libraries or libsndfile
#   media_missing_lib  runs this same file in script mode (cmake -P): with
#                      LD_LIBRARY_PATH pointing at a directory holding a
#                      broken libavformat and a libsndfile without its
#                      functions, subtitle commands still run and media
#                      commands fail with the loader's message, exit 2
#
# In script mode it expects -DTANDEM=... -DSRC=... -DSTUBS=... -DWORK=...
# -DAVFORMAT_SO=libavformat.so.N (N from the headers' pkg-config version).

if(NOT CMAKE_SCRIPT_MODE_FILE)
  add_test(NAME media_not_linked COMMAND sh -c
    "out=$(readelf -d \"$1\" \"$2\") || exit 2
     echo \"$out\" | grep -q 'NEEDED.*libc[.]so' || { echo 'readelf shows no NEEDED at all'; exit 2; }
     ! echo \"$out\" | grep -E 'NEEDED.*lib(avformat|avcodec|avutil|swresample|sndfile)'"
    sh $<TARGET_FILE:tandem_cli> $<TARGET_FILE:tandem_shared>)

  # A libsndfile.so.1 with none of libsndfile's functions, and an empty
  # file where libavformat should be.
  set(stubs ${CMAKE_BINARY_DIR}/media-stubs)
  add_library(media_stub SHARED ${PROJECT_SOURCE_DIR}/tests/media_stub.c)
  set_target_properties(media_stub PROPERTIES OUTPUT_NAME sndfile SUFFIX ".so.1"
                        LIBRARY_OUTPUT_DIRECTORY ${stubs})
  string(REGEX MATCH "^[0-9]+" avformat_major "${AV_libavformat_VERSION}")
  add_test(NAME media_missing_lib
           COMMAND ${CMAKE_COMMAND} -DTANDEM=$<TARGET_FILE:tandem_cli> -DSRC=${PROJECT_SOURCE_DIR}
                   -DSTUBS=$<TARGET_FILE_DIR:media_stub> -DWORK=${CMAKE_BINARY_DIR}/media-missing-work
                   -DAVFORMAT_SO=libavformat.so.${avformat_major}
                   -P ${CMAKE_CURRENT_LIST_FILE})
  set_tests_properties(media_missing_lib PROPERTIES TIMEOUT 120)
  return()
endif()

# ---------------------------------------------------------------- script mode
set(failures 0)
function(fail what)
  message("FAIL: ${what}")
  math(EXPR n "${failures} + 1")
  set(failures ${n} PARENT_SCOPE)
endfunction()

# t(RC ARGS...): run tandem with the stubs first on the library path.
macro(t want)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${STUBS} ${TANDEM} ${ARGN}
                  WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE OUT ERROR_VARIABLE ERR
                  RESULT_VARIABLE RC)
  if(NOT RC EQUAL ${want})
    fail("tandem ${ARGN}: exit ${RC}, want ${want}\n  stdout: ${OUT}\n  stderr: ${ERR}")
  endif()
endmacro()
macro(expect_err needle what)
  string(FIND "${ERR}" "${needle}" pos_)
  if(pos_ EQUAL -1)
    fail("${what}: stderr lacks '${needle}'\n  got: ${ERR}")
  endif()
endmacro()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${STUBS}/${AVFORMAT_SO} "")
# Only the magic matters: RIFF....WAVE sends a file to libsndfile first.
file(WRITE ${WORK}/riff.wav "RIFF\$\$\$\$WAVEfmt ")
file(WRITE ${WORK}/talk.mp3 "not audio, and not for libsndfile")

# Commands that do not touch media run whatever the media libraries are.
t(0 --version)
t(0 convert fixtures/check/good.srt -o ${WORK}/good.vtt)
if(NOT EXISTS ${WORK}/good.vtt)
  fail("convert wrote nothing")
endif()
t(0 check fixtures/check/good.srt)

# FFmpeg missing: the duration probe and the decoder both say which library.
set(need_av "media support needs ${AVFORMAT_SO} (Debian package ")
t(2 check --audio ${WORK}/talk.mp3)
expect_err("${WORK}/talk.mp3: error: ${need_av}" "probe names libavformat")
expect_err("[media]" "probe's rule")
t(2 check --audio ${WORK}/talk.mp3 fixtures/check/good.srt)
expect_err("${need_av}" "check with a FILE names libavformat")
t(2 retime fixtures/check/good.srt --audio ${WORK}/talk.mp3 -o ${WORK}/retimed.srt)
expect_err("${WORK}/talk.mp3: error: ${need_av}" "decoder names libavformat")
expect_err("[media-open]" "decoder's rule")
if(EXISTS ${WORK}/retimed.srt)
  fail("retime wrote an output after the failure")
endif()

# libsndfile found but without its functions: the probe of a WAV says so.
t(2 check --audio ${WORK}/riff.wav)
expect_err("${WORK}/riff.wav: error: media support needs libsndfile.so.1 (Debian package libsndfile1): " "names libsndfile")
expect_err("undefined symbol: sf_" "the loader's reason")

if(failures)
  message(FATAL_ERROR "${failures} failed")
endif()
message("media_missing_lib: all passed")
