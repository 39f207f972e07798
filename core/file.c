/*
 * file.c - file handling that knows no format: reading a whole file (or
 * stdin), mapping a big input, writing all of a buffer to a descriptor,
 * copying between files in the kernel, the same-file test, and the atomic
 * replacement of outputs: the registry of temporaries being written (so a
 * signal handler can remove them), a temporary beside the target, and the
 * commit that renames it over the target with the target's mode.
 */
/* copy_file_range(2), for copying a file's pages in the kernel. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The most bytes read from an input that is not a regular file. */
static _Atomic uint64_t max_input = TANDEM_MAX_INPUT_DEFAULT;

void tandem_set_max_input(uint64_t bytes)
{
	atomic_store(&max_input, bytes ? bytes : TANDEM_MAX_INPUT_DEFAULT);
}

uint64_t tandem_max_input(void)
{
	return atomic_load(&max_input);
}

int tandem__read_all(const char *path, char **data, size_t *len)
{
	return tandem__read_probed(path, data, len, 0, NULL, NULL);
}

/*
 * A regular file is sized first and read to its end.  Anything else (stdin,
 * a pipe, a device) may never end: it is read up to tandem_max_input()
 * bytes, and its start is shown to the probe as soon as it is in.
 */
int tandem__read_probed(const char *path, char **data, size_t *len, size_t probe_at,
                        int (*probe)(const char *data, size_t len, void *user), void *user)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp)
		return TANDEM_EIO;
	tandem__buf b = TANDEM_BUF_INIT;
	struct stat st;
	bool regular = false;
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode)) {
		regular = true;
		if (st.st_size > 0)
			tandem__buf_grow(&b, (size_t)st.st_size);
	} else if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fp != stdin)
			fclose(fp);
		errno = EISDIR;
		return TANDEM_EIO;
	}
	uint64_t limit = regular ? UINT64_MAX : tandem_max_input();
	bool probed = regular || !probe;
	int rc = 0;
	for (;;) {
		/* Regular files were sized above: only grow once the size was wrong. */
		if (b.cap - b.len < 2)
			tandem__buf_grow(&b, 65536);
		size_t want = b.cap - b.len - 1;
		if ((uint64_t)b.len + want > limit)
			want = (size_t)(limit - b.len) + 1; /* one past the limit tells */
		size_t n = fread(b.ptr + b.len, 1, want, fp);
		b.len += n;
		b.ptr[b.len] = '\0';
		if (n == 0)
			break;
		if ((uint64_t)b.len > limit) {
			errno = EFBIG;
			rc = TANDEM_EIO;
			break;
		}
		if (!probed && b.len >= probe_at) {
			probed = true;
			if ((rc = probe(b.ptr, b.len, user)))
				break;
		}
	}
	if (!rc && ferror(fp))
		rc = TANDEM_EIO;
	if (fp != stdin)
		fclose(fp);
	if (rc) {
		int e = errno;
		tandem__buf_free(&b);
		errno = e;
		return rc;
	}
	*data = tandem__buf_detach(&b, len);
	return 0;
}

/*
 * Big regular files are mapped rather than read: no copy into a heap buffer,
 * and the pages come from the page cache in one populated batch.  The
 * reader needs a NUL at data[len]; a mapping gives one (the rest of the last
 * page is zero) unless the size is a whole number of pages.  keep: the file
 * stays open, in *keep, for a ring to read (tandem__ring), and the pages are
 * not populated: only those looked at in place are touched.
 */
char *tandem__file_map(const char *path, size_t *len, size_t *maplen, off_t min, int *keep)
{
	if (strcmp(path, "-") == 0)
		return NULL;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	char *p = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= min && page > 0 &&
	    st.st_size % page != 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ,
		         MAP_PRIVATE | (keep ? 0 : MAP_POPULATE), fd, 0);
		if (p == MAP_FAILED)
			p = NULL;
		else {
			*len = (size_t)st.st_size;
			*maplen = (size_t)st.st_size;
		}
	}
	if (p && keep)
		*keep = fd;
	else
		close(fd);
	return p;
}

int tandem_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	if (stat(a, &sa) || stat(b, &sb))
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* What a path names; "-" is the descriptor fd, and counts only when it is a
 * regular file (a terminal or a pipe is no file that a write could lose). */
static bool identity(const char *path, int fd, struct stat *st)
{
	if (strcmp(path, "-") == 0)
		return fstat(fd, st) == 0 && S_ISREG(st->st_mode);
	return stat(path, st) == 0;
}

int tandem_output_is_input(const char *out, const char *in)
{
	struct stat so, si;
	if (!out || !in || !identity(out, 1, &so) || !identity(in, 0, &si))
		return 0;
	return so.st_dev == si.st_dev && so.st_ino == si.st_ino;
}

/*
 * Temporary files being written right now, so that a signal handler can
 * remove them (tandem_cleanup_temps) and an interrupted run leaves nothing.
 */
#define MAX_TEMPS 256
static _Atomic(char *) temps[MAX_TEMPS];

static int temp_register(char *tmp)
{
	for (int k = 0; k < MAX_TEMPS; k++) {
		char *expected = NULL;
		if (atomic_compare_exchange_strong(&temps[k], &expected, tmp))
			return k;
	}
	return -1;
}

void tandem__temp_unregister(int k)
{
	if (k >= 0)
		atomic_store(&temps[k], NULL);
}

void tandem_cleanup_temps(void)
{
	for (int k = 0; k < MAX_TEMPS; k++) {
		char *p = atomic_exchange(&temps[k], NULL);
		if (p)
			unlink(p);
	}
}

/* umask(2) can only be read by setting it: do that once, before any thread runs. */
static mode_t process_umask;
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;

static void read_umask(void)
{
	process_umask = umask(022);
	umask(process_umask);
}

/*
 * A temporary beside `path` (so rename() stays on one file system), named
 * ".NAME.tandem-XXXXXX" after at most TEMP_STEM bytes of the output's name
 * (cut at a UTF-8 character), so that it stays within NAME_MAX however long
 * that name is.
 */
enum { TEMP_STEM = 32 };

int tandem__temp_open(const char *path, char **tmp, int *slot)
{
	pthread_once(&umask_once, read_umask);
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	const char *name = path + dirlen;
	size_t stem = strlen(name);
	if (stem > TEMP_STEM) {
		stem = TEMP_STEM;
		while (stem > 0 && ((unsigned char)name[stem] & 0xC0) == 0x80)
			stem--;
	}
	size_t n = dirlen + stem + 32;
	*tmp = tandem__xmalloc(n);
	memcpy(*tmp, path, dirlen);
	snprintf(*tmp + dirlen, n - dirlen, ".%.*s.tandem-XXXXXX", (int)stem, name);
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	*slot = temp_register(*tmp);
	return fd;
}

/* All of data to fd: at its offset, or (at >= 0) at `at` without moving it. */
int tandem__write_all_at(int fd, const char *data, size_t len, off_t at)
{
	size_t off = 0;
	while (off < len) {
		ssize_t k = at < 0 ? write(fd, data + off, len - off)
		                   : pwrite(fd, data + off, len - off, at + (off_t)off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return TANDEM_EIO;
		}
		off += (size_t)k;
	}
	return 0;
}

int tandem__write_all(int fd, const char *data, size_t len)
{
	return tandem__write_all_at(fd, data, len, -1);
}

/* Close the temporary and, if all went well, rename it over `path`; else remove it. */
int tandem__temp_commit(int fd, char *tmp, int slot, const char *path, int rc)
{
	/* mkstemp makes 0600; give the file the mode it had, or the one creat() would. */
	struct stat st;
	if (stat(path, &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	else
		fchmod(fd, 0666 & ~process_umask);
	if (close(fd) && !rc)
		rc = TANDEM_EIO;
	if (!rc && rename(tmp, path))
		rc = TANDEM_EIO;
	if (rc) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	tandem__temp_unregister(slot);
	free(tmp);
	return rc;
}

/*
 * Where an atomic write really goes.  A symlink is followed, so the file it
 * names is replaced and the link stays a link.  Something that exists but is
 * not a regular file (/dev/null, a FIFO, a terminal) cannot be replaced by a
 * rename and must not be: *direct is set and it is written in place.
 * Returns a malloc'd path.
 */
char *tandem__write_target(const char *path, bool *direct)
{
	struct stat st;
	*direct = false;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		*direct = true;
		return tandem__xstrdup(path);
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(path, NULL);
		if (real)
			return real;
		/* A dangling link: create the file it names. */
		char buf[4096];
		ssize_t n = readlink(path, buf, sizeof buf - 1);
		if (n > 0) {
			buf[n] = '\0';
			const char *slash = strrchr(path, '/');
			if (buf[0] == '/' || !slash)
				return tandem__xstrdup(buf);
			/* The link's directory, then its relative target. */
			int dir = (int)(slash - path) + 1;
			size_t len = (size_t)dir + (size_t)n + 1;
			char *out = tandem__xmalloc(len);
			snprintf(out, len, "%.*s%s", dir, path, buf);
			return out;
		}
	}
	return tandem__xstrdup(path);
}

static int write_direct(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return TANDEM_EIO;
	int rc = tandem__write_all(fd, data, len);
	if (close(fd) && !rc)
		rc = TANDEM_EIO;
	return rc;
}

int tandem_write_atomic(const char *path, const char *data, size_t len)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return TANDEM_EIO;
		return 0;
	}
	bool direct;
	char *target = tandem__write_target(path, &direct);
	int rc;
	if (direct) {
		rc = write_direct(target, data, len);
	} else {
		char *tmp;
		int slot;
		int fd = tandem__temp_open(target, &tmp, &slot);
		rc = fd < 0 ? TANDEM_EIO
		            : tandem__temp_commit(fd, tmp, slot, target,
		                                  tandem__write_all(fd, data, len));
	}
	free(target);
	return rc;
}

/* Copy n bytes of src from its start to dst at `at`; neither file offset moves.
 * A streamed conversion's second half's output follows the first this way
 * (copy_file_range: the kernel copies page cache to page cache). */
int tandem__copy_range(int src, int dst, off_t at, off_t n)
{
	off_t in = 0, out = at;
#ifdef __linux__
	while (in < n) {
		ssize_t k = copy_file_range(src, &in, dst, &out, (size_t)(n - in), 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;   /* not here (another file system, an old kernel): by hand */
	}
#endif
	enum { CHUNK = 1 << 20 };
	char *buf = in < n ? tandem__xmalloc(CHUNK) : NULL;
	int rc = 0;
	while (in < n) {
		size_t want = n - in < CHUNK ? (size_t)(n - in) : CHUNK;
		ssize_t k = pread(src, buf, want, in);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			rc = -1;
			if (k == 0)
				errno = EIO;
			break;
		}
		if (tandem__write_all_at(dst, buf, (size_t)k, out)) {
			rc = -1;
			break;
		}
		out += k;
		in += k;
	}
	free(buf);
	return rc;
}
