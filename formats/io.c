/*
 * io.c - reading and writing documents: files, stdin/stdout, decoding,
 * choosing the format, and atomic replacement of outputs.
 */
#include "internal.h"

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

void tandem_read_opts_init(tandem_read_opts *o)
{
	memset(o, 0, sizeof *o);
}

void tandem_write_opts_init(tandem_write_opts *o)
{
	memset(o, 0, sizeof *o);
}

/* Pick the reader: forced name, else the content's strongest claim, else the extension. */
static const tandem_format *choose_format(const tandem_read_opts *o, const char *text,
                                          size_t len, tandem_reader *r)
{
	if (o->format) {
		const tandem_format *f = tandem__format_find(o->format);
		if (!f || !f->read) {
			tandem__error(r, "format-unknown", 0, 0, "cannot read format '%s'", o->format);
			return NULL;
		}
		return f;
	}
	const tandem_format *byext = tandem__format_find(tandem_format_from_path(o->filename));
	if (byext && byext->read)
		return byext;
	const char *name = tandem__format_sniff(text, len);
	const tandem_format *f = tandem__format_find(name);
	if (!f) {
		tandem__error(r, "format-unknown", 0, 0, "cannot tell the format of this input");
		return NULL;
	}
	return f;
}

/*
 * Read from `data`, which must have a NUL at data[len] (the decoder hands
 * valid UTF-8 to the reader in place).
 */
static int read_buffer(tandem_doc **out, const char *data, size_t len,
                       const tandem_read_opts *opts)
{
	tandem_read_opts defaults;
	if (!opts) {
		tandem_read_opts_init(&defaults);
		opts = &defaults;
	}
	*out = NULL;
	tandem_reader r = {0};
	r.filename = opts->filename ? opts->filename : "<input>";
	r.strict = opts->strict;
	r.diag = opts->diag;
	r.diag_user = opts->diag_user;

	if (len == 0) {
		tandem__error(&r, "empty-input", 0, 0, "input is empty");
		return TANDEM_EEMPTY;
	}
	char *text = NULL;
	size_t tlen = 0;
	const char *enc = NULL;
	bool owned = false;
	int rc = tandem__decode(data, len, opts->encoding, &text, &tlen, &enc, &owned, &r);
	if (rc)
		return rc;
	r.data = text;
	r.len = tlen;
	const tandem_format *f = choose_format(opts, text, tlen, &r);
	if (!f) {
		if (owned)
			free(text);
		return TANDEM_EFORMAT;
	}
	tandem_doc *doc = tandem_doc_new();
	rc = f->read(&r, doc);
	if (!rc && !r.nerrors)
		rc = tandem__bilingual_normalize(&r, doc, f->name);
	if (!rc && r.nerrors)
		rc = TANDEM_EPARSE;
	if (!rc && doc->nsegs == 0) {
		tandem__error(&r, "no-segments", 0, 0, "no %s segments found in this input", f->name);
		rc = TANDEM_EEMPTY;
	}
	if (owned)
		free(text);
	if (rc) {
		tandem_doc_free(doc);
		return rc;
	}
	tandem_doc_set_meta(doc, "format", f->name);
	tandem_doc_set_meta(doc, "encoding", enc);
	*out = doc;
	return 0;
}

int tandem_doc_read(tandem_doc **out, const char *data, size_t len, const tandem_read_opts *opts)
{
	/* The caller's bytes need not be NUL-terminated: read from a copy. */
	char *copy = tandem__xstrndup(data ? data : "", data ? len : 0);
	int rc = read_buffer(out, copy, len, opts);
	free(copy);
	return rc;
}

int tandem__read_all(const char *path, char **data, size_t *len)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp)
		return TANDEM_EIO;
	tandem_buf b = TANDEM_BUF_INIT;
	struct stat st;
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		tandem_buf_grow(&b, (size_t)st.st_size);
	else if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fp != stdin)
			fclose(fp);
		errno = EISDIR;
		return TANDEM_EIO;
	}
	for (;;) {
		/* Regular files were sized above: only grow once the size was wrong. */
		if (b.cap - b.len < 2)
			tandem_buf_grow(&b, 65536);
		size_t n = fread(b.ptr + b.len, 1, b.cap - b.len - 1, fp);
		b.len += n;
		b.ptr[b.len] = '\0';
		if (n == 0)
			break;
	}
	int err = ferror(fp);
	if (fp != stdin)
		fclose(fp);
	if (err) {
		tandem_buf_free(&b);
		return TANDEM_EIO;
	}
	*data = tandem_buf_detach(&b, len);
	return 0;
}

/*
 * Big regular files are mapped rather than read: no copy into a heap buffer,
 * and the pages come from the page cache in one populated batch.  The
 * reader needs a NUL at data[len]; a mapping gives one (the rest of the last
 * page is zero) unless the size is a whole number of pages.
 */
static char *map_input(const char *path, size_t *len, size_t *maplen)
{
	if (strcmp(path, "-") == 0)
		return NULL;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	char *p = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (1 << 20) && page > 0 &&
	    st.st_size % page != 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED)
			p = NULL;
		else {
			*len = (size_t)st.st_size;
			*maplen = (size_t)st.st_size;
		}
	}
	close(fd);
	return p;
}

int tandem_doc_read_file(tandem_doc **out, const char *path, const tandem_read_opts *opts)
{
	tandem_read_opts o;
	if (opts)
		o = *opts;
	else
		tandem_read_opts_init(&o);
	if (!o.filename)
		o.filename = strcmp(path, "-") == 0 ? "<stdin>" : path;
	*out = NULL;
	size_t len = 0, maplen = 0;
	char *data = map_input(path, &len, &maplen);
	if (data) {
		tandem__input_mapped(data, len);
		int rc = read_buffer(out, data, len, &o);
		tandem__input_mapped(NULL, 0);
		munmap(data, maplen);
		return rc;
	}
	if (tandem__read_all(path, &data, &len)) {
		int e = errno;
		tandem__report(o.diag, o.diag_user, o.filename, TANDEM_ERROR, "io-read", 0, 0, -1,
		               "cannot read: %s", strerror(e));
		return TANDEM_EIO;
	}
	int rc = read_buffer(out, data, len, &o); /* read_all NUL-terminates */
	free(data);
	return rc;
}

/* The writer for `format`, or NULL after saying why. */
static const tandem_format *writer_for(const char *format, const tandem_write_opts *opts)
{
	const tandem_format *f = tandem__format_find(format);
	if (!f || !f->write) {
		tandem__write_note(opts, TANDEM_ERROR, "format-unknown", "cannot write format '%s'",
		                   format ? format : "(none)");
		return NULL;
	}
	return f;
}

int tandem_doc_write(const tandem_doc *doc, const char *format, const tandem_write_opts *opts,
                     char **out, size_t *len)
{
	tandem_write_opts defaults;
	if (!opts) {
		tandem_write_opts_init(&defaults);
		opts = &defaults;
	}
	*out = NULL;
	const tandem_format *f = writer_for(format, opts);
	if (!f)
		return TANDEM_EFORMAT;
	tandem_writer w = {opts, opts->crlf ? "\r\n" : "\n", -1, 0};
	tandem_buf b = TANDEM_BUF_INIT;
	int rc = f->write(doc, &w, &b);
	if (rc) {
		tandem_buf_free(&b);
		return rc;
	}
	*out = tandem_buf_detach(&b, len);
	return 0;
}

void tandem__writer_flush(const tandem_writer *w, tandem_buf *out)
{
	if (w->fd < 0 || out->len < (1u << 20) || w->error)
		return;
	size_t off = 0;
	while (off < out->len) {
		ssize_t k = write(w->fd, out->ptr + off, out->len - off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			((tandem_writer *)w)->error = errno;
			return;
		}
		off += (size_t)k;
	}
	tandem_buf_clear(out);
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

static void temp_unregister(int k)
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

/* A temporary beside `path` (so rename() stays on one file system). */
static int temp_open(const char *path, char **tmp, int *slot)
{
	pthread_once(&umask_once, read_umask);
	size_t n = strlen(path);
	*tmp = tandem__xmalloc(n + 32);
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	memcpy(*tmp, path, dirlen);
	snprintf(*tmp + dirlen, n + 32 - dirlen, ".%s.tandem-XXXXXX", path + dirlen);
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	*slot = temp_register(*tmp);
	return fd;
}

static int write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t k = write(fd, data + off, len - off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return TANDEM_EIO;
		}
		off += (size_t)k;
	}
	return 0;
}

/* Close the temporary and, if all went well, rename it over `path`; else remove it. */
static int temp_commit(int fd, char *tmp, int slot, const char *path, int rc)
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
	temp_unregister(slot);
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
static char *write_target(const char *path, bool *direct)
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
			tandem_buf b = TANDEM_BUF_INIT;
			tandem_buf_put(&b, path, (size_t)(slash - path + 1));
			tandem_buf_puts(&b, buf);
			return tandem_buf_detach(&b, NULL);
		}
	}
	return tandem__xstrdup(path);
}

static int write_direct(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return TANDEM_EIO;
	int rc = write_all(fd, data, len);
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
	char *target = write_target(path, &direct);
	int rc;
	if (direct) {
		rc = write_direct(target, data, len);
	} else {
		char *tmp;
		int slot;
		int fd = temp_open(target, &tmp, &slot);
		rc = fd < 0 ? TANDEM_EIO : temp_commit(fd, tmp, slot, target, write_all(fd, data, len));
	}
	free(target);
	return rc;
}

int tandem_doc_write_file(const tandem_doc *doc, const char *format,
                          const tandem_write_opts *opts, const char *path)
{
	tandem_write_opts defaults;
	if (!opts) {
		tandem_write_opts_init(&defaults);
		opts = &defaults;
	}
	const tandem_format *f = writer_for(format, opts);
	if (!f)
		return TANDEM_EFORMAT;
	/* Stream to the temporary (writers flush between cues), then rename. */
	tandem_writer w = {opts, opts->crlf ? "\r\n" : "\n", -1, 0};
	char *tmp = NULL;
	int slot = -1;
	bool to_stdout = strcmp(path, "-") == 0;
	char *target = NULL;
	if (!to_stdout) {
		bool direct;
		target = write_target(path, &direct);
		if (direct) {
			/* A device or FIFO: render in memory, then write it in place. */
			free(target);
			char *out;
			size_t len;
			int rc = tandem_doc_write(doc, format, opts, &out, &len);
			if (!rc)
				rc = tandem_write_atomic(path, out, len);
			free(out);
			return rc;
		}
	}
	if (to_stdout) {
		fflush(stdout);
		w.fd = STDOUT_FILENO;
	} else {
		w.fd = temp_open(target, &tmp, &slot);
		if (w.fd < 0) {
			free(target);
			return TANDEM_EIO;
		}
	}
	tandem_buf b = TANDEM_BUF_INIT;
	int rc = f->write(doc, &w, &b);
	if (!rc && w.error) {
		errno = w.error;
		rc = TANDEM_EIO;
	}
	if (!rc)
		rc = write_all(w.fd, b.ptr, b.len);
	tandem_buf_free(&b);
	if (to_stdout)
		return rc;
	rc = temp_commit(w.fd, tmp, slot, target, rc);
	free(target);
	return rc;
}
