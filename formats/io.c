/*
 * io.c - reading and writing documents: files, stdin/stdout, decoding,
 * choosing the format, and atomic replacement of outputs.
 */
/* copy_file_range(2), for stitching a second half's output in the kernel. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "stream.h"
#include "bilingual.h"

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

/* An input on its way to a document: decoded, its format chosen. */
typedef struct read_state {
	tandem_reader r;
	char *text;
	size_t tlen;
	const char *enc;
	bool owned;                /* text is ours to free (not the caller's bytes) */
	bool unchecked;            /* text is the input, not yet checked as UTF-8 */
	int fd;                    /* the input, open (or -1): a reader can read it... */
	off_t from;                /* ...from here on, where text starts */
	size_t ring_piece, ring_slide; /* tandem_stream_knobs' */
	const tandem_format *f;
} read_state;

/*
 * Decode `data`, which must have a NUL at data[len] (the decoder hands
 * valid UTF-8 to the reader in place), and choose its reader.  lazy: plain
 * UTF-8 is checked as it is read (tandem__decode_lazy), not here.
 */
static int read_prepare(read_state *st, const char *data, size_t len,
                        const tandem_read_opts *opts, bool lazy)
{
	tandem_read_opts defaults;
	if (!opts) {
		tandem_read_opts_init(&defaults);
		opts = &defaults;
	}
	memset(st, 0, sizeof *st);
	st->fd = -1;
	tandem_reader *r = &st->r;
	r->filename = opts->filename ? opts->filename : "<input>";
	r->strict = opts->strict;
	r->diag = opts->diag;
	r->diag_user = opts->diag_user;
	if (len == 0) {
		tandem__error(r, "empty-input", 0, 0, "input is empty");
		return TANDEM_EEMPTY;
	}
	int rc = lazy ? tandem__decode_lazy(data, len, opts->encoding, &st->text, &st->tlen,
	                                    &st->enc, &st->owned, &st->unchecked, r)
	              : tandem__decode(data, len, opts->encoding, &st->text, &st->tlen, &st->enc,
	                               &st->owned, r);
	if (rc)
		return rc;
	r->data = st->text;
	r->len = st->tlen;
	st->f = choose_format(opts, st->text, st->tlen, r);
	return st->f ? 0 : TANDEM_EFORMAT;
}

static void read_release(read_state *st)
{
	if (st->owned)
		free(st->text);
	st->text = NULL;
	st->owned = false;
}

static int no_segments(read_state *st)
{
	tandem__error(&st->r, "no-segments", 0, 0, "no %s segments found in this input",
	              st->f->name);
	return TANDEM_EEMPTY;
}

/* Run the reader over the whole text.  quiet: its findings were already
 * reported (a streamed conversion reading again); the layout's are not. */
static int read_parse(read_state *st, tandem_doc **out, bool quiet)
{
	tandem_reader *r = &st->r;
	tandem_diag_fn diag = r->diag;
	*out = NULL;
	r->window = NULL;
	r->nerrors = r->nwarnings = 0;
	if (quiet)
		r->diag = NULL;
	tandem_doc *doc = tandem_doc_new();
	int rc = st->f->read(r, doc);
	r->diag = diag;
	if (!rc && !r->nerrors)
		rc = tandem__bilingual_normalize(r, doc, st->f->name);
	if (!rc && r->nerrors)
		rc = TANDEM_EPARSE;
	if (!rc && doc->nsegs == 0)
		rc = no_segments(st);
	if (rc) {
		tandem_doc_free(doc);
		return rc;
	}
	tandem_doc_set_meta(doc, "format", st->f->name);
	tandem_doc_set_meta(doc, "encoding", st->enc);
	*out = doc;
	return 0;
}

static int read_buffer(tandem_doc **out, const char *data, size_t len,
                       const tandem_read_opts *opts)
{
	read_state st;
	*out = NULL;
	int rc = read_prepare(&st, data, len, opts, false);
	if (!rc)
		rc = read_parse(&st, out, false);
	read_release(&st);
	return rc;
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
		tandem__buf_grow(&b, (size_t)st.st_size);
	else if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fp != stdin)
			fclose(fp);
		errno = EISDIR;
		return TANDEM_EIO;
	}
	for (;;) {
		/* Regular files were sized above: only grow once the size was wrong. */
		if (b.cap - b.len < 2)
			tandem__buf_grow(&b, 65536);
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
		tandem__buf_free(&b);
		return TANDEM_EIO;
	}
	*data = tandem__buf_detach(&b, len);
	return 0;
}

/*
 * Big regular files are mapped rather than read: no copy into a heap buffer,
 * and the pages come from the page cache in one populated batch.  The
 * reader needs a NUL at data[len]; a mapping gives one (the rest of the last
 * page is zero) unless the size is a whole number of pages.  keep: the file
 * stays open, in *keep, for a ring to read (tandem_ring), and the pages are
 * not populated: only those looked at in place are touched.
 */
static char *map_input(const char *path, size_t *len, size_t *maplen, off_t min, int *keep)
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

/* The caller's options (or the defaults), named after the file read. */
static tandem_read_opts read_opts_for(const char *path, const tandem_read_opts *opts)
{
	tandem_read_opts o;
	if (opts)
		o = *opts;
	else
		tandem_read_opts_init(&o);
	if (!o.filename)
		o.filename = strcmp(path, "-") == 0 ? "<stdin>" : path;
	return o;
}

int tandem_doc_read_file(tandem_doc **out, const char *path, const tandem_read_opts *opts)
{
	tandem_read_opts o = read_opts_for(path, opts);
	*out = NULL;
	size_t len = 0, maplen = 0;
	char *data = map_input(path, &len, &maplen, 1 << 20, NULL);
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
	tandem_writer w = {opts, opts->crlf ? "\r\n" : "\n", -1, 0, NULL, NULL};
	tandem_buf b = TANDEM_BUF_INIT;
	int rc = f->write(doc, &w, &b);
	if (rc) {
		tandem__buf_free(&b);
		return rc;
	}
	*out = tandem__buf_detach(&b, len);
	return 0;
}

static int write_all(int fd, const char *data, size_t len);

/*
 * The output queue of a streamed conversion: the writer fills one buffer
 * while a thread hands the other to write(2), so the kernel's copy into the
 * page cache (a third of a big conversion) runs on the second core.
 */
typedef struct tandem_outq {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	tandem_buf full;      /* being written when busy */
	bool busy, stop;
	int fd;
	int error;            /* errno of a failed write */
} tandem_outq;

static void *outq_run(void *arg)
{
	tandem_outq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->busy && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->busy)
			break;
		pthread_mutex_unlock(&q->mu);
		int e = write_all(q->fd, q->full.ptr, q->full.len) ? errno : 0;
		tandem__buf_clear(&q->full);
		pthread_mutex_lock(&q->mu);
		if (e && !q->error)
			q->error = e;
		q->busy = false;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Start the queue; false (write synchronously) when no thread can be had. */
static bool outq_start(tandem_outq *q, int fd)
{
	memset(q, 0, sizeof *q);
	q->fd = fd;
	q->full = (tandem_buf)TANDEM_BUF_INIT;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	if (pthread_create(&q->thread, NULL, outq_run, q) == 0)
		return true;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	return false;
}

/* Wait for the buffer in flight and stop the thread; the write error, if any. */
static int outq_stop(tandem_outq *q)
{
	pthread_mutex_lock(&q->mu);
	q->stop = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->thread, NULL);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	tandem__buf_free(&q->full);
	return q->error;
}

/* Wait (with q->mu held) until the thread has written the buffer in flight. */
static void outq_idle(tandem_outq *q)
{
	while (q->busy)
		pthread_cond_wait(&q->cv, &q->mu);
}

/* Hand out's contents to the file (or the queue's thread); out is left empty. */
static void writer_send(const tandem_writer *w, tandem_buf *out)
{
	if (w->fd < 0 || !out->len || w->error)
		return;
	tandem_outq *q = w->queue;
	if (q) {
		/* Swap buffers with the thread once it is done with the last one. */
		pthread_mutex_lock(&q->mu);
		outq_idle(q);
		if (q->error) {
			((tandem_writer *)w)->error = q->error;
		} else {
			tandem_buf t = q->full;
			q->full = *out;
			*out = t;
			q->busy = true;
			pthread_cond_broadcast(&q->cv);
		}
		pthread_mutex_unlock(&q->mu);
		return;
	}
	if (write_all(w->fd, out->ptr, out->len))
		((tandem_writer *)w)->error = errno;
	else
		tandem__buf_clear(out);
}

void tandem__writer_flush(const tandem_writer *w, tandem_buf *out)
{
	if (out->len >= (1u << 20))
		writer_send(w, out);
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

/* All of data to fd: at its offset, or (at >= 0) at `at` without moving it. */
static int write_all_at(int fd, const char *data, size_t len, off_t at)
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

static int write_all(int fd, const char *data, size_t len)
{
	return write_all_at(fd, data, len, -1);
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
			tandem__buf_put(&b, path, (size_t)(slash - path + 1));
			tandem__buf_puts(&b, buf);
			return tandem__buf_detach(&b, NULL);
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

/* Render doc to fd, the writer flushing between cues; what is left goes at the end. */
static int render_to_fd(const tandem_format *f, const tandem_doc *doc,
                        const tandem_write_opts *opts, int fd)
{
	tandem_writer w = {opts, opts->crlf ? "\r\n" : "\n", fd, 0, NULL, NULL};
	tandem_buf b = TANDEM_BUF_INIT;
	int rc = f->write(doc, &w, &b);
	if (!rc && w.error) {
		errno = w.error;
		rc = TANDEM_EIO;
	}
	if (!rc)
		rc = write_all(fd, b.ptr, b.len);
	tandem__buf_free(&b);
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
	int fd;
	if (to_stdout) {
		fflush(stdout);
		fd = STDOUT_FILENO;
	} else {
		fd = temp_open(target, &tmp, &slot);
		if (fd < 0) {
			free(target);
			return TANDEM_EIO;
		}
	}
	int rc = render_to_fd(f, doc, opts, fd);
	if (to_stdout)
		return rc;
	rc = temp_commit(fd, tmp, slot, target, rc);
	free(target);
	return rc;
}

/* ---- streamed conversion ---- */

/*
 * A big file converted between formats whose reader and writer can work a
 * window at a time (SRT in; SRT or WebVTT out) never holds the document:
 * the reader hands over every few thousand cues, they are normalised,
 * written to the temporary output and freed.  Memory stays flat and the
 * heap is reused instead of grown, which is most of the time a whole-file
 * conversion spends on a 100 MB input.
 *
 * The result is the whole-file conversion's, byte for byte.  Decisions
 * about the whole file (which bilingual layout it uses, which "Name:"
 * openers are speakers, the languages in the WebVTT head) are taken on the
 * first window and checked against the whole file as the stream goes; in
 * the rare file where they differ, the output is started over from the
 * whole document (the input is still mapped).
 *
 * A UTF-8 input is not read in place: each reader reads its part of the
 * file through a ring (tandem_ring), which checks it as UTF-8 on the way,
 * and the mapping is only looked at where a few bytes are needed (the
 * second half's start, the last line).  What the reading finds is held
 * until the whole input is known to be UTF-8; if it is not, it is read
 * again, decoded, and nothing of the first reading shows.
 */
struct tandem_window {
	const tandem_format *to;
	tandem_writer w;
	tandem_wwin ww;
	tandem_buf out;
	tandem_bistream bs;
	bool normalize;
	bool started;          /* the writer has written its head */
	bool diverged;
	size_t written;        /* segments written */
	/* Main reader: the second half, waiting for the first window's decisions. */
	struct tandem_half *half;
	/* Second reader: where its first cue is kept as read (NULL: kept, or not wanted). */
	tandem_seg *first;
	/* Second reader: its own half.  It reads on at once, but at each hand-over
	 * asks it first (half_handover): for the main reader's decisions, and
	 * whether to move its output. */
	struct tandem_half *own;
};

/* Segments before the first hand-over: what the layout and the WebVTT head
 * (50 segments) are decided on; the second reader waits for them.  Then
 * fewer at a time. */
#define STREAM_WINDOW 512
#define STREAM_WINDOW_LATER 16

static void half_go(struct tandem_half *h, const struct tandem_window *win);
static bool half_handover(struct tandem_half *h);

/* The document a streamed reader fills, with what the writers look up in it. */
static tandem_doc *stream_doc(const tandem_format *f, const char *enc)
{
	tandem_doc *doc = tandem_doc_new();
	tandem_doc_set_meta(doc, "format", f->name);
	tandem_doc_set_meta(doc, "encoding", enc);
	return doc;
}

void tandem__window_diverge(tandem_reader *r)
{
	if (r->window) /* read whole, nothing was decided early */
		r->window->diverged = true;
}

static int window_write(struct tandem_window *win, tandem_doc *doc, size_t n, bool last)
{
	if (!n && !last)
		return 0;
	size_t all = doc->nsegs;
	doc->nsegs = n;
	win->ww.base = win->written;
	win->ww.first = !win->started;
	win->ww.last = last;
	int rc = win->to->write(doc, &win->w, &win->out);
	doc->nsegs = all;
	if (!win->ww.probe) {
		win->started = true;
		win->written += n;
	}
	if (win->ww.diverged)
		win->diverged = true;
	if (!rc && win->w.error) {
		errno = win->w.error;
		rc = TANDEM_EIO;
	}
	return rc;
}

static void drop_front(tandem_doc *doc, size_t n)
{
	if (!n)
		return; /* an empty document's segs may be NULL, even for memmove */
	for (size_t i = 0; i < n; i++)
		tandem__seg_free(&doc->segs[i]);
	memmove(doc->segs, doc->segs + n, (doc->nsegs - n) * sizeof *doc->segs);
	doc->nsegs -= n;
}

int tandem__window_offer(tandem_reader *r, tandem_doc *doc, size_t n)
{
	struct tandem_window *win = r->window;
	size_t settled = n;
	int rc = 0;
	if (win->own && !half_handover(win->own))
		return TANDEM_EPARSE; /* not wanted: stop reading; nothing is said */
	if (win->first && n) {
		/* As read: the main reader's last cue may pair with it. */
		const tandem_seg *s = &doc->segs[0];
		win->first->start = s->start;
		win->first->end = s->end;
		win->first->text = tandem__xstrdup(s->text);
		win->first = NULL;
	}
	if (!win->diverged) {
		if (win->normalize)
			settled = tandem__bilingual_window(&win->bs, doc, n, false);
		rc = window_write(win, doc, settled, false);
	}
	drop_front(doc, settled);
	if (!win->started || (win->normalize && !win->bs.decided))
		return rc;
	/* Decided: the second half may go, and from here on windows are small,
	 * their strings going back to the allocator's per-thread cache (2,048 at
	 * a time overflowed it: 6% more instructions on a big conversion). */
	if (win->half) {
		half_go(win->half, win);
		win->half = NULL;
	}
	if (r->window_size > STREAM_WINDOW_LATER)
		r->window_size = STREAM_WINDOW_LATER;
	return rc;
}

/* The end of the stream: the last window, the layout's report, the writer's notes. */
static int stream_finish(read_state *st, struct tandem_window *win, tandem_doc *doc)
{
	if (win->diverged)
		return 0;
	size_t n = doc->nsegs;
	if (win->normalize)
		n = tandem__bilingual_window(&win->bs, doc, n, true);
	if (win->written + n == 0)
		return no_segments(st);
	/* Whether anything would change must be known before the layout's
	 * report and the writer's notes go out: ask the writer first. */
	win->ww.probe = true;
	int rc = window_write(win, doc, n, true);
	win->ww.probe = false;
	if (rc || win->diverged)
		return rc;
	rc = win->normalize ? tandem__bilingual_finish(&win->bs, &st->r) : 0;
	if (win->bs.diverged) {
		win->diverged = true;
		return 0;
	}
	if (!rc)
		rc = window_write(win, doc, n, true);
	return rc;
}

/* ---- findings held back ---- */

/* What a reader would have said, kept to be said later (or never). */
typedef struct said_diag {
	tandem_severity sev;
	const char *rule;        /* rule ids are static strings */
	size_t line, col, line2, col2;
	long segment;
	char *msg;
} said_diag;

typedef struct said_list {
	said_diag *v;
	size_t n, cap;
} said_list;

static void said_add(said_list *h, const tandem_diag *d)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 16;
		h->v = tandem__xrealloc(h->v, h->cap * sizeof *h->v);
	}
	h->v[h->n++] = (said_diag){d->severity, d->rule, d->line, d->col, d->line2, d->col2,
	                           d->segment, tandem__xstrdup(d->message)};
}

/* Say them now, through r, their lines moved down by base. */
static void said_tell(const said_list *h, const tandem_reader *r, size_t base)
{
	for (size_t k = 0; r->diag && k < h->n; k++) {
		const said_diag *d = &h->v[k];
		tandem_diag dd = {d->sev, d->rule, r->filename, d->line ? d->line + base : 0, d->col,
		                  d->line2 ? d->line2 + base : 0, d->col2, d->segment, d->msg};
		r->diag(&dd, r->diag_user);
	}
}

static void said_free(said_list *h)
{
	for (size_t k = 0; k < h->n; k++)
		free(h->v[k].msg);
	free(h->v);
	*h = (said_list){NULL, 0, 0};
}

/*
 * The main reader of an input not yet checked as UTF-8 holds its findings
 * back until the input is known to be UTF-8: should it turn out not to be,
 * it is read again, decoded, and they would be said twice or wrongly.  Past
 * HOLD_MAX of them (an input with an oddity in every cue) the rest of the
 * input is checked at once and they are said from then on as they come.
 */
#define HOLD_MAX 4096

typedef struct main_hold {
	said_list h;
	tandem_reader *r;         /* reading through a ring, r->data the mapped input */
	tandem_diag_fn diag;      /* where they go in the end */
	void *diag_user;
	bool holding;
} main_hold;

/* Say what was held, and the rest as it comes. */
static void hold_release(main_hold *m)
{
	m->r->diag = m->diag;
	m->r->diag_user = m->diag_user;
	if (m->holding)
		said_tell(&m->h, m->r, 0);
	m->holding = false;
	said_free(&m->h);
}

/* The whole input is checked now (a pass over the mapping): clean, what
 * was held is said; else the ring fails, which ends the reading, and
 * nothing more is held. */
static void hold_settle(main_hold *m)
{
	if (tandem__utf8_clean(m->r->data, m->r->len))
		hold_release(m);
	else
		m->r->ring->failed = true;
}

/* The reading is over: true if the input was UTF-8, and what was held is
 * said.  whole: every byte was read, and so checked. */
static bool hold_end(main_hold *m, bool whole)
{
	if (m->holding && !whole && !m->r->ring->failed)
		hold_settle(m);
	bool clean = !m->r->ring->failed;
	m->holding &= clean;
	hold_release(m);
	return clean;
}

static void hold_collect(const tandem_diag *d, void *user)
{
	main_hold *m = user;
	if (!m->holding || m->r->ring->failed)
		return; /* not UTF-8: nothing of this reading is said */
	said_add(&m->h, d);
	if (m->h.n >= HOLD_MAX)
		hold_settle(m);
}

/* ---- the second half ---- */

/*
 * The second half of a big input, read on its own thread.  It waits for the
 * main reader's first window (the layout and the writer's head are decided
 * there), then reads, normalises and writes its half to memory with its own
 * reader, windows and heap, and keeps what it would have said.  The main
 * reader, arriving at its start, checks the assumptions and either stitches
 * (its findings are said, its output written, its counts added, its last
 * unsettled cues taken over) or reads the half again itself.
 */

struct tandem_half {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	enum { HALF_WAIT, HALF_GO, HALF_ABORT } go;
	bool joined;
	size_t at;                /* its start in the main reader's text */
	bool mapped;              /* the text is the mapped input: give pages back */
	tandem_ring ring;         /* its text, read from the file (ring.buf NULL: not so) */
	bool failed;              /* it was not UTF-8 (the main reader will find out too) */
	const tandem_format *f;
	const char *enc;
	tandem_reader r;
	tandem_split split;
	tandem_write_opts wo;
	struct tandem_window win;
	tandem_wwin ww0;          /* the writer's state it started from */
	tandem_doc *doc;
	int rc;
	int offer_rc;             /* the main reader's hand-over at the join */
	bool noted;               /* its writer said something (only a last window does) */
	bool stitched;
	tandem_seg first;         /* its first cue as read */
	int fd;                   /* its output so far (an unlinked file beside the output) */
	/*
	 * When the main reader reaches the boundary first, it knows where the
	 * second half's output goes.  It asks the second reader to write there
	 * from its next hand-over on (the output opened again, by path) and
	 * meanwhile copies over what was written to fd: the copy is not left
	 * for the end, when both cores would wait for it.
	 */
	const char *out_path;     /* the output's temporary file; NULL: never move */
	enum { MOVE_NONE, MOVE_ASKED, MOVE_DONE, MOVE_FAILED } move;
	off_t move_base;          /* where the second half's output starts in the output */
	off_t moved;              /* what it had written to fd when it moved */
	int out_fd;               /* its own descriptor on the output once moved, else -1 */
	bool done;                /* it has finished reading */
	bool joining;             /* the main reader waits for it to end */
	bool wait_main;           /* tandem_stream_knobs.half_waits */
	tandem_seg held;          /* the main reader's held-back cue as read, when it was
	                             settled early for the move (its text: NULL if not) */
	said_list said;
};

static void half_collect(const tandem_diag *d, void *user)
{
	said_add(&((struct tandem_half *)user)->said, d);
}

static void half_noted(const tandem_diag *d, void *user)
{
	(void)d;
	((struct tandem_half *)user)->noted = true;
}

/*
 * It reads from the start, while the main reader reads its first window:
 * only handing cues over needs the decisions (tandem__window_offer waits).
 */
static void *half_run(void *arg)
{
	struct tandem_half *h = arg;
	if (h->mapped)
		tandem__input_mapped(h->r.data, h->r.len);
	h->doc = stream_doc(h->f, h->enc);
	h->rc = h->f->read(&h->r, h->doc);
	h->failed = h->r.ring && h->r.ring->failed;
	tandem__input_mapped(NULL, 0);
	pthread_mutex_lock(&h->mu);
	h->done = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/*
 * The buffer a streamed reader's output collects in and is flushed from at
 * 1 MiB: one 2 MiB huge page where the kernel has them, so filling it costs
 * one page fault instead of 512 (about 10 µs each on this VM).  Freed,
 * grown and cleared like any tandem_buf.
 */
static tandem_buf out_buffer(void)
{
	tandem_buf b = TANDEM_BUF_INIT;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	enum { HUGE = 2 << 20 };
	char *p = aligned_alloc(HUGE, HUGE);
	if (p) {
		madvise(p, HUGE, MADV_HUGEPAGE);
		p[0] = '\0';
		b = (tandem_buf){p, 0, HUGE};
	}
#endif
	return b;
}

/*
 * Second reader, at a hand-over: wait for the main reader's decisions (false:
 * it is not wanted), then move its output into the output if asked.
 */
static bool half_handover(struct tandem_half *h)
{
	pthread_mutex_lock(&h->mu);
	while (h->go == HALF_WAIT)
		pthread_cond_wait(&h->cv, &h->mu);
	bool go = h->go == HALF_GO;
	while (go && h->wait_main && h->move == MOVE_NONE && !h->joining)
		pthread_cond_wait(&h->cv, &h->mu);
	if (go && h->move == MOVE_ASKED) {
		/* It writes with write(2) only: its offset is what it has written. */
		off_t at = lseek(h->fd, 0, SEEK_CUR);
		int fd = at >= 0 ? open(h->out_path, O_WRONLY | O_CLOEXEC) : -1;
		if (fd >= 0 && lseek(fd, h->move_base + at, SEEK_SET) < 0) {
			close(fd);
			fd = -1;
		}
		if (fd < 0) {
			h->move = MOVE_FAILED;
		} else {
			h->moved = at;
			h->out_fd = fd;
			h->win.w.fd = fd;
			h->move = MOVE_DONE;
		}
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return go;
}

/* The main reader's held-back cue, settled alone, as the next window would have. */
static int settle_held(struct tandem_window *win, tandem_doc *doc)
{
	size_t n = win->normalize ? tandem__bilingual_window(&win->bs, doc, doc->nsegs, true)
	                          : doc->nsegs;
	int rc = window_write(win, doc, n, false);
	if (!rc)
		drop_front(doc, n);
	return rc;
}

/* Everything the main reader has written so far is in the file (or failed). */
static void window_drain(struct tandem_window *win)
{
	writer_send(&win->w, &win->out);
	tandem_outq *q = win->w.queue;
	if (q) {
		pthread_mutex_lock(&q->mu);
		outq_idle(q);
		if (q->error)
			win->w.error = q->error;
		pthread_mutex_unlock(&q->mu);
	}
}

/* Copy n bytes of src from its start to dst at `at`; neither file offset moves.
 * The second half's output follows the first this way (copy_file_range: the
 * kernel copies page cache to page cache). */
static int copy_range(int src, int dst, off_t at, off_t n)
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
		if (write_all_at(dst, buf, (size_t)k, out)) {
			rc = -1;
			break;
		}
		out += k;
		in += k;
	}
	free(buf);
	return rc;
}

/*
 * Main reader, arrived at the boundary: once its output is complete, the
 * second half's starts at its end.  Ask the second reader, still reading,
 * to write there from now on, and copy what it wrote so far.  A cue held
 * back for pairing, in a file whose cues are not folded, is written alone
 * first: the bytes the next window would give it.  (Should it turn out to
 * pair with the second half's first cue after all, the pair counts that
 * decide the layout would be short of one: tandem__split_join starts over.)
 */
static void half_move(struct tandem_window *win, struct tandem_half *h, tandem_doc *doc)
{
	pthread_mutex_lock(&h->mu);
	bool reading = h->go == HALF_GO && !h->done && h->move == MOVE_NONE;
	pthread_mutex_unlock(&h->mu);
	if (!reading || doc->nsegs > 1 || (doc->nsegs && (!win->bs.decided || win->bs.fold)))
		return;
	if (doc->nsegs) {
		const tandem_seg *s = &doc->segs[0];
		h->held = (tandem_seg){.start = s->start, .end = s->end,
		                       .text = tandem__xstrdup(s->text)};
		if (settle_held(win, doc))
			return;
	}
	window_drain(win);
	off_t base = win->w.error ? -1 : lseek(win->w.fd, 0, SEEK_CUR);
	if (base < 0)
		return;
	pthread_mutex_lock(&h->mu);
	if (h->go == HALF_GO && !h->done && h->move == MOVE_NONE) {
		h->move_base = base;
		h->move = MOVE_ASKED;
		pthread_cond_broadcast(&h->cv);
		while (h->move == MOVE_ASKED && !h->done)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->move == MOVE_ASKED)
			h->move = MOVE_NONE; /* it ended first: its output is copied at the stitch */
	}
	bool moved = h->move == MOVE_DONE;
	off_t n = h->moved;
	pthread_mutex_unlock(&h->mu);
	if (moved && copy_range(h->fd, win->w.fd, base, n))
		win->w.error = errno;
	/* Its own file is of no more use: give back its pages now, while the
	 * second reader still reads (4 ms for 50 MB, at the end otherwise). */
	if (moved) {
		close(h->fd);
		h->fd = -1;
	}
}

/* Main thread, after its first window: the decisions the second half follows. */
static void half_go(struct tandem_half *h, const struct tandem_window *win)
{
	pthread_mutex_lock(&h->mu);
	if (h->go == HALF_WAIT) {
		h->ww0 = win->ww;
		h->win.ww = win->ww;
		tandem__bistream_decided(&h->win.bs, &win->bs);
		h->go = HALF_GO;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
}

/*
 * Its output goes to an unlinked file beside the output, and the kernel
 * copies it over at the end: held in memory instead, a 50 MB half costs
 * 12,800 page faults (0.13 s here) against 10 ms for the copy.
 */
static int half_file(const char *target)
{
	char *tmp;
	int slot;
	int fd = temp_open(target, &tmp, &slot);
	if (fd < 0)
		return -1;
	unlink(tmp);
	temp_unregister(slot);
	free(tmp);
	return fd;
}

/* A ring for st's text from `at` on. */
static bool ring_open(const read_state *st, tandem_ring *g, size_t at)
{
	if (!tandem__ring_open(g, st->fd, st->from + (off_t)at, st->tlen - at))
		return false;
	if (st->ring_piece)
		g->piece = st->ring_piece;
	if (st->ring_slide)
		g->slide = st->ring_slide;
	return true;
}

static struct tandem_half *half_start(read_state *st, const struct tandem_window *win,
                                      const tandem_write_opts *opts, const char *target,
                                      size_t at, uint64_t num, size_t window,
                                      const char *out_path, bool wait_main)
{
	int fd = half_file(target);
	if (fd < 0)
		return NULL;
	struct tandem_half *h = tandem__xcalloc(1, sizeof *h);
	h->fd = fd;
	h->out_fd = -1;
	h->out_path = out_path;
	h->wait_main = wait_main && out_path;
	h->at = at;
	h->mapped = !st->owned;
	if (st->unchecked && !ring_open(st, &h->ring, at)) {
		close(fd);
		free(h);
		return NULL;
	}
	h->f = st->f;
	h->enc = st->enc;
	h->r = st->r;
	h->r.data = st->text + at;
	h->r.len = st->tlen - at;
	h->r.diag = half_collect;
	h->r.diag_user = h;
	h->r.nerrors = h->r.nwarnings = 0;
	h->r.window = &h->win;
	h->r.window_size = window;
	h->r.split = &h->split;
	h->r.ring = h->ring.buf ? &h->ring : NULL;
	h->split = (tandem_split){.second = true, .prev_num = num - 1};
	h->wo = *opts;
	h->wo.diag = half_noted;
	h->wo.diag_user = h;
	h->win.to = win->to;
	h->win.w = (tandem_writer){&h->wo, win->w.nl, fd, 0, &h->win.ww, NULL};
	h->win.out = out_buffer();
	h->win.normalize = win->normalize;
	h->win.started = true;
	h->win.first = &h->first;
	h->win.own = h;
	h->first.start = h->first.end = TANDEM_NO_TIME;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	if (pthread_create(&h->thread, NULL, half_run, h) == 0)
		return h;
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	tandem__ring_close(&h->ring);
	close(fd);
	free(h);
	return NULL;
}

static void half_join(struct tandem_half *h)
{
	if (h->joined)
		return;
	pthread_mutex_lock(&h->mu);
	if (h->go == HALF_WAIT)
		h->go = HALF_ABORT;
	h->joining = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	h->joined = true;
}

static void half_free(struct tandem_half *h)
{
	if (!h)
		return;
	half_join(h);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	tandem_doc_free(h->doc);
	if (h->fd >= 0)
		close(h->fd);
	if (h->out_fd >= 0)
		close(h->out_fd);
	tandem__buf_free(&h->win.out);
	tandem__bistream_free(&h->win.bs);
	free(h->first.text);
	free(h->held.text);
	if (h->split.tail)
		h->split.tail_free(h->split.tail);
	said_free(&h->said);
	tandem__ring_close(&h->ring);
	free(h);
}

void *tandem__split_join(tandem_reader *r, tandem_doc *doc)
{
	struct tandem_window *win = r->window;
	struct tandem_half *h = r->split->half;
	h->offer_rc = tandem__window_offer(r, doc, doc->nsegs);
	if (!h->offer_rc && h->out_path && !win->diverged)
		half_move(win, h, doc);
	half_join(h);
	/* A cue held back for pairing must not pair with the second half's first. */
	const tandem_seg *first = h->first.text                 ? &h->first
	                          : h->doc && h->doc->nsegs ? &h->doc->segs[0]
	                                                    : NULL;
	const tandem_seg *held = doc->nsegs ? &doc->segs[0] : h->held.text ? &h->held : NULL;
	bool pairs = held && (!first || tandem__bilingual_foldable(held, first));
	if (pairs && h->held.text)
		win->diverged = true; /* written alone too early (see half_move) */
	if (h->offer_rc || h->go != HALF_GO || h->rc || h->failed || h->r.nerrors || !h->split.tail ||
	    h->win.diverged || h->win.w.error || h->noted || win->diverged || doc->nsegs > 1 ||
	    pairs)
		return NULL;
	return h->split.tail;
}

int tandem__split_end(tandem_reader *r, tandem_doc *doc, bool use)
{
	struct tandem_window *win = r->window;
	struct tandem_half *h = r->split->half;
	int rc = h->offer_rc;
	if (!use || rc)
		return rc;
	if (doc->nsegs && (rc = settle_held(win, doc)))
		return rc;
	/* Its line numbers count from its own start: the main reader knows how
	 * many lines come before (counting them over there would be a pass over
	 * half the input on a core whose caches have not seen it: 30 ms). */
	size_t base = r->split->line_base;
	said_tell(&h->said, r, base);
	r->nerrors += h->r.nerrors;
	r->nwarnings += h->r.nwarnings;
	/* Counters the writer kept from the first window on: what the half added. */
	for (size_t k = 0; k < sizeof win->ww.count / sizeof *win->ww.count; k++)
		win->ww.count[k] += h->win.ww.count[k] - h->ww0.count[k];
	win->ww.bits |= h->win.ww.bits;
	tandem__bistream_rebase(&h->win.bs, base);
	tandem__bistream_merge(&win->bs, &h->win.bs);
	win->written += h->win.written;
	/* Its output follows everything written so far: already there when it
	 * was moved (the output's offset goes to its end), else copied now. */
	window_drain(win);
	if (!win->w.error && h->move == MOVE_DONE) {
		off_t end = lseek(h->out_fd, 0, SEEK_CUR);
		if (end < 0 || lseek(win->w.fd, end, SEEK_SET) < 0)
			win->w.error = errno;
	} else if (!win->w.error) {
		/* Its file holds its output whole, from its start; the output's offset
		 * moves past the copy. */
		off_t at = lseek(win->w.fd, 0, SEEK_CUR), n = lseek(h->fd, 0, SEEK_CUR);
		if (at < 0 || n < 0 || copy_range(h->fd, win->w.fd, at, n) ||
		    lseek(win->w.fd, at + n, SEEK_SET) < 0)
			win->w.error = errno;
	}
	writer_send(&win->w, &h->win.out);
	/* Its unsettled last cues are the document's now. */
	tandem_doc *d2 = h->doc;
	tandem_seg *segs = doc->segs;
	size_t cap = doc->capsegs;
	doc->segs = d2->segs;
	doc->nsegs = d2->nsegs;
	doc->capsegs = d2->capsegs;
	d2->segs = segs;
	d2->nsegs = 0;
	d2->capsegs = cap;
	for (size_t i = 0; i < doc->nsegs; i++)
		doc->segs[i].line += base;
	h->stitched = true;
	return 1;
}


/* Where the second half starts, in percent of the input.  Both readers
 * start together; the main reader should arrive a little first, so that it
 * copies what the second one wrote while the second one reads on (see
 * half_move): 46-48% measured best, 7 ms ahead of 50%. */
#define SPLIT_PERCENT 47

/* convert_stream's answer when the input, read unchecked, was not UTF-8 (or
 * held a NUL): nothing was said or kept; read it again, decoded. */
#define STREAM_AGAIN 1

/* Stream st to fd, the temporary file at tmp (for the second half's output), for target. */
static int convert_stream(read_state *st, const tandem_format *to, const tandem_write_opts *opts,
                          const char *target, int fd, const char *tmp, tandem_stream_knobs *knobs)
{
	size_t window = knobs->window;
	struct tandem_window win;
	memset(&win, 0, sizeof win);
	win.to = to;
	win.w = (tandem_writer){opts, opts->crlf ? "\r\n" : "\n", fd, 0, &win.ww, NULL};
	win.out = out_buffer();
	win.normalize = tandem__bilingual_applies(st->f->name);
	st->r.window = &win;
	st->r.window_size = window;
	/* Plain UTF-8 not checked yet: read through a ring, which checks it, and
	 * hold what is found until it is known to be UTF-8 throughout. */
	tandem_ring ring;
	main_hold hold = {{NULL, 0, 0}, &st->r, st->r.diag, st->r.diag_user, st->unchecked};
	if (st->unchecked) {
		if (!ring_open(st, &ring, 0)) {
			tandem__buf_free(&win.out);
			return STREAM_AGAIN;
		}
		st->r.ring = &ring;
		st->r.diag = hold_collect;
		st->r.diag_user = &hold;
	}
	/* Big WebVTT outputs are written in two halves at once (SRT's numbers
	 * would need the first half's count). */
	tandem_split split;
	if (strcmp(to->name, "vtt") == 0 && st->tlen >= knobs->split_min) {
		size_t from = knobs->split_from == SIZE_MAX ? st->tlen / 100 * SPLIT_PERCENT
		                                            : knobs->split_from;
		uint64_t num;
		size_t at = tandem__srt_split_point(st->text, st->tlen, from, &num);
		win.half = at ? half_start(st, &win, opts, target, at, num, window, tmp,
		                           knobs->half_waits)
		              : NULL;
		if (win.half) {
			split = (tandem_split){.at = at, .prev_num = num - 1, .half = win.half};
			st->r.split = &split;
		}
	}
	/* One reader: its write(2)s go to a thread of their own, on the other
	 * core.  Two readers keep both cores busy, and a third thread only takes
	 * turns with them (100 MB: 174 ms without it, 191 with). */
	tandem_outq queue;
	bool queued = !win.half && outq_start(&queue, fd);
	if (queued)
		win.w.queue = &queue;
	tandem_doc *doc = stream_doc(st->f, st->enc);
	int rc = st->f->read(&st->r, doc);
	st->r.window = NULL;
	bool moved = false;
	if (st->r.split) {
		knobs->stitched = split.half->stitched;
		moved = split.half->move == MOVE_DONE;
		half_free(split.half);
		st->r.split = NULL;
	}
	win.half = NULL;
	if (st->unchecked) {
		if (!hold_end(&hold, !rc && !st->r.nerrors))
			rc = STREAM_AGAIN;
		st->r.ring = NULL;
		tandem__ring_close(&ring);
	}
	if (!rc && st->r.nerrors)
		rc = TANDEM_EPARSE;
	if (!rc)
		rc = stream_finish(st, &win, doc);
	tandem_doc_free(doc);
	tandem__bistream_free(&win.bs);
	if (queued) {
		int e = outq_stop(&queue);
		if (e && !rc) {
			errno = e;
			rc = TANDEM_EIO;
		}
	}
	if (!rc && win.diverged) {
		/* Start over from the whole document; the reader has said its piece. */
		tandem__buf_clear(&win.out);
		if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) < 0)
			rc = TANDEM_EIO;
		if (!rc)
			rc = read_parse(st, &doc, true);
		if (!rc) {
			rc = render_to_fd(to, doc, opts, fd);
			tandem_doc_free(doc);
		}
	} else if (!rc) {
		rc = write_all(fd, win.out.ptr, win.out.len);
		if (!rc && moved) {
			/* Moved into the output, then not stitched, the second half's
			 * output may run on past what the main reader wrote over it. */
			off_t end = lseek(fd, 0, SEEK_CUR);
			if (end < 0 || ftruncate(fd, end))
				rc = TANDEM_EIO;
		}
	}
	knobs->moved = moved;
	tandem__buf_free(&win.out);
	return rc;
}

static bool streamable(const tandem_format *from, const tandem_format *to)
{
	return strcmp(from->name, "srt") == 0 &&
	       (strcmp(to->name, "srt") == 0 || strcmp(to->name, "vtt") == 0);
}

/* The output could not be written: say why (the reader reports its own). */
static int write_failed(const tandem_write_opts *wo, int rc)
{
	if (rc == TANDEM_EIO)
		tandem__write_note(wo, TANDEM_ERROR, "io-write", "cannot write: %s", strerror(errno));
	return rc;
}

int tandem__convert_file(const char *in, const char *out, const char *format,
                         const tandem_read_opts *ropts, const tandem_write_opts *wopts,
                         tandem_stream_knobs *knobs)
{
	size_t window = knobs->window;
	knobs->stitched = knobs->again = false;
	tandem_read_opts ro = read_opts_for(in, ropts);
	tandem_write_opts wo;
	if (wopts)
		wo = *wopts;
	else
		tandem_write_opts_init(&wo);
	if (!wo.filename)
		wo.filename = out;
	if (strcmp(out, "-") != 0 && strcmp(in, "-") != 0 && tandem_same_file(in, out))
		return TANDEM_ESAME;
	const tandem_format *to = writer_for(format, &wo);
	if (!to)
		return TANDEM_EFORMAT;

	/* Streaming needs a big mapped input and an output that can start over. */
	bool direct = true;
	char *target = strcmp(out, "-") == 0 ? NULL : write_target(out, &direct);
	/* Plain UTF-8 is checked as it is read (a ring reads the file), when
	 * the reader is known without a look at the text (the format sniffers
	 * would look at it unchecked). */
	const tandem_format *from =
		tandem__format_find(ro.format ? ro.format : tandem_format_from_path(ro.filename));
	bool lazy = from && from->read && streamable(from, to);
	size_t len = 0, maplen = 0;
	int in_fd = -1;
	char *data = direct || !window ? NULL
	                               : map_input(in, &len, &maplen, (off_t)knobs->map_min,
	                                           lazy ? &in_fd : NULL);
	if (!data) {
		free(target);
		tandem_doc *doc;
		int rc = tandem_doc_read_file(&doc, in, &ro);
		if (!rc)
			rc = write_failed(&wo, tandem_doc_write_file(doc, format, &wo, out));
		tandem_doc_free(doc);
		return rc;
	}
	tandem__input_mapped(data, len);
	read_state st;
	int rc = read_prepare(&st, data, len, &ro, lazy);
	if (st.unchecked) {
		st.fd = in_fd;
		st.from = st.text - data;
		st.ring_piece = knobs->ring_piece;
		st.ring_slide = knobs->ring_slide;
	}
	if (!rc && streamable(st.f, to)) {
		char *tmp;
		int slot;
		int fd = temp_open(target, &tmp, &slot);
		if (fd < 0) {
			rc = TANDEM_EIO;
		} else {
			rc = convert_stream(&st, to, &wo, target, fd, tmp, knobs);
			knobs->again = rc == STREAM_AGAIN;
			if (rc == STREAM_AGAIN) {
				/* Not UTF-8 after all: decoded this time, from the start. */
				read_release(&st);
				rc = ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) < 0
				         ? TANDEM_EIO
				         : read_prepare(&st, data, len, &ro, false);
				if (!rc)
					rc = convert_stream(&st, to, &wo, target, fd, tmp, knobs);
			}
			rc = temp_commit(fd, tmp, slot, target, rc);
		}
		rc = write_failed(&wo, rc);
	} else if (!rc) {
		tandem_doc *doc;
		rc = read_parse(&st, &doc, false);
		if (!rc)
			rc = write_failed(&wo, tandem_doc_write_file(doc, format, &wo, out));
		tandem_doc_free(doc);
	}
	read_release(&st);
	tandem__input_mapped(NULL, 0);
	munmap(data, maplen);
	if (in_fd >= 0)
		close(in_fd);
	free(target);
	return rc;
}

int tandem_convert_file(const char *in, const char *out, const char *format,
                        const tandem_read_opts *ropts, const tandem_write_opts *wopts)
{
	/* Two halves at once pay for their thread and line count from a few MB on. */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	tandem_stream_knobs k = {.window = STREAM_WINDOW, .map_min = 1 << 20,
	                         .split_min = cpus >= 2 ? 8u << 20 : SIZE_MAX,
	                         .split_from = SIZE_MAX};
	return tandem__convert_file(in, out, format, ropts, wopts, &k);
}
