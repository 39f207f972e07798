# cli-includes.cmake - the CLI's layering test (ctest cli_includes, run as
# `cmake -DSOURCE_DIR=<tree> -P tests/cli-includes.cmake`).
#
# The CLI uses only the public API: every cli/*.c and cli/*.h may include
# "tandem.h", "cli.h" and the C library's and POSIX's own headers, nothing
# else (no private header of the library, no third-party header).  Each
# other #include is reported as FILE:LINE and the test fails.

cmake_minimum_required(VERSION 3.18)

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "give -DSOURCE_DIR=<the tandem source tree>")
endif()

set(own tandem.h cli.h)
# C11, POSIX.1-2008, and the two GNU headers the CLI uses (getopt.h, malloc.h).
set(system
  assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h
  locale.h math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h
  stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h string.h tgmath.h threads.h
  time.h uchar.h wchar.h wctype.h
  aio.h arpa/inet.h cpio.h dirent.h dlfcn.h fcntl.h fmtmsg.h fnmatch.h ftw.h
  glob.h grp.h iconv.h langinfo.h libgen.h monetary.h mqueue.h ndbm.h net/if.h
  netdb.h netinet/in.h netinet/tcp.h nl_types.h poll.h pthread.h pwd.h regex.h
  sched.h search.h semaphore.h spawn.h strings.h sys/ipc.h sys/mman.h sys/msg.h
  sys/resource.h sys/select.h sys/sem.h sys/shm.h sys/socket.h sys/stat.h
  sys/statvfs.h sys/time.h sys/times.h sys/types.h sys/uio.h sys/un.h
  sys/utsname.h sys/wait.h syslog.h tar.h termios.h ulimit.h unistd.h utime.h
  utmpx.h wordexp.h
  getopt.h malloc.h)

file(GLOB sources ${SOURCE_DIR}/cli/*.c ${SOURCE_DIR}/cli/*.h)
if(NOT sources)
  message(FATAL_ERROR "no cli/*.c or cli/*.h under ${SOURCE_DIR}")
endif()

set(bad 0)
set(seen 0)
foreach(src ${sources})
  file(RELATIVE_PATH name ${SOURCE_DIR} ${src})
  # One list element a line: ';' and brackets would split or join elements.
  file(READ ${src} text)
  string(REGEX REPLACE "[][;\\]" "_" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(NOT line MATCHES "^[ \t]*#[ \t]*include")
      continue()
    endif()
    math(EXPR seen "${seen} + 1")
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\"")
      if(NOT CMAKE_MATCH_1 IN_LIST own)
        message("${name}:${n}: includes \"${CMAKE_MATCH_1}\"; the CLI may include only \"tandem.h\" and \"cli.h\"")
        math(EXPR bad "${bad} + 1")
      endif()
    elseif(line MATCHES "^[ \t]*#[ \t]*include[ \t]*<([^>]+)>")
      if(NOT CMAKE_MATCH_1 IN_LIST system AND NOT CMAKE_MATCH_1 STREQUAL "tandem.h")
        message("${name}:${n}: includes <${CMAKE_MATCH_1}>, not a C or POSIX header (add a real system header to tests/cli-includes.cmake)")
        math(EXPR bad "${bad} + 1")
      endif()
    else()
      message("${name}:${n}: an #include this test cannot read: ${line}")
      math(EXPR bad "${bad} + 1")
    endif()
  endforeach()
endforeach()

list(LENGTH sources nfiles)
if(bad)
  message(FATAL_ERROR "${bad} of ${seen} includes in ${nfiles} CLI files go past the public API")
endif()
message("${seen} includes in ${nfiles} CLI files: tandem.h, cli.h and system headers only")
