/*
 * file.h - file handling (core/file.c), knowing no format: big inputs
 * mapped, whole writes to a descriptor, copies between files, and the
 * atomic replacement of outputs (where a write really goes, a temporary
 * beside it in the registry a signal handler empties, the commit that
 * renames it over the target).  Reading a whole file (tandem__read_all)
 * is in tandem_private.h, since several parts read files; the public calls
 * (tandem_same_file, tandem_write_atomic, tandem_cleanup_temps) are in
 * tandem.h.
 */
#ifndef TANDEM_FILE_H
#define TANDEM_FILE_H

#include "tandem_private.h"

#include <sys/types.h>

/*
 * tandem__read_all (tandem_private.h) with a look at the start of an input
 * that is not a regular file: once probe_at bytes of it are in (and more may
 * follow), probe(data, n, user) is called, and a nonzero status stops the
 * read and is returned.  Such an input is read up to tandem_max_input()
 * bytes: past that, TANDEM_EIO with errno EFBIG.
 */
int tandem__read_probed(const char *path, char **data, size_t *len, size_t probe_at,
                        int (*probe)(const char *data, size_t len, void *user), void *user);

/*
 * Map the regular file at path read-only when it has at least `min` bytes
 * and the mapping can end in a NUL (its size is not a whole number of
 * pages): the mapping, with its size in *len and *maplen (for munmap); NULL
 * for stdin ("-") and anything else.  keep (non-NULL): the file stays open,
 * in *keep, for a ring to read (tandem__ring), and the pages are not
 * populated; NULL: they are, in one batch, and the file is closed.
 */
char *tandem__file_map(const char *path, size_t *len, size_t *maplen, off_t min, int *keep);

/* All of data to fd: at its offset, or (at >= 0) at `at` without moving it.
 * 0 or TANDEM_EIO (errno tells why). */
int tandem__write_all_at(int fd, const char *data, size_t len, off_t at);
int tandem__write_all(int fd, const char *data, size_t len);

/* Copy n bytes of src from its start to dst at `at`; neither file offset
 * moves (copy_file_range where it can: the kernel copies page cache to page
 * cache).  0, or -1 with errno set. */
int tandem__copy_range(int src, int dst, off_t at, off_t n);

/*
 * Where an atomic write really goes.  A symlink is followed, so the file it
 * names is replaced and the link stays a link.  Something that exists but is
 * not a regular file (/dev/null, a FIFO, a terminal) cannot be replaced by a
 * rename and must not be: *direct is set and it is written in place.
 * Returns a malloc'd path.
 */
char *tandem__write_target(const char *path, bool *direct);

/*
 * A temporary beside `path` (so rename() stays on one file system), with a
 * short name whatever the length of path's (".NAME.tandem-XXXXXX", NAME cut
 * to 32 bytes), in the registry tandem_cleanup_temps empties: its descriptor, its malloc'd name in
 * *tmp and its registry slot in *slot; -1 when it cannot be made.
 */
int tandem__temp_open(const char *path, char **tmp, int *slot);
/* Take a temporary out of the registry (a slot of -1 is no slot). */
void tandem__temp_unregister(int slot);
/*
 * Close the temporary and, if all went well (rc 0), rename it over `path`
 * with the mode that file had (or the one creat() would give); else remove
 * it.  Unregisters and frees tmp; returns rc, or TANDEM_EIO if the close or
 * the rename failed.
 */
int tandem__temp_commit(int fd, char *tmp, int slot, const char *path, int rc);

#endif /* TANDEM_FILE_H */
