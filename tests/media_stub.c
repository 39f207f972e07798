/*
 * media_stub.c - built as a libsndfile.so.1 that has none of libsndfile's
 * functions, for tests/avload.test.cmake: a library found under the right
 * name but of the wrong kind must give the loader's error, not a crash.
 */
int tandem_media_stub;
