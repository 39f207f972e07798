/*
 * write.c - writing a document: rendering it in memory, or to a file by way
 * of a temporary renamed over it (writers flush to it between cues, so a
 * big output is never held whole; a device or FIFO is written in place),
 * and, for the streamed conversion (write.h), rendering to a descriptor and
 * the output queue whose thread does the write()s.  An output encoding other
 * than UTF-8, or a BOM, is applied to the whole rendering (iconv) before any
 * of it is written.
 */
#include "write.h"
#include "file.h"
#include "subview.h"

#include <errno.h>
#include <iconv.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tandem_write_opts_init(tandem_write_opts *o)
{
	memset(o, 0, sizeof *o);
}

/* The writer for `format`, or NULL after saying why. */
const tandem__format *tandem__writer_for(const char *format, const tandem_write_opts *opts)
{
	const tandem__format *f = tandem__format_find(format);
	if (!f || !f->write) {
		tandem__write_note(opts, TANDEM_ERROR, "format-unknown", "cannot write format '%s'",
		                   format ? format : "(none)");
		return NULL;
	}
	return f;
}

/* ---- the output encoding (opts->out_encoding, opts->bom) ---- */

static bool name_is(const char *name, const char *a, const char *b)
{
	return strcasecmp(name, a) == 0 || strcasecmp(name, b) == 0;
}

/* Does the rendering need transcoding or a BOM? */
static bool wants_encoding(const tandem_write_opts *o)
{
	return o->bom || (o->out_encoding && !name_is(o->out_encoding, "UTF-8", "UTF8"));
}

/* Whether iconv takes s[0..n) into cd's encoding exactly (no lossy mapping). */
static bool holds(iconv_t cd, const char *s, size_t n)
{
	char tmp[256];
	char *in = (char *)s;
	size_t inleft = n;
	iconv(cd, NULL, NULL, NULL, NULL);
	while (inleft) {
		char *o = tmp;
		size_t oleft = sizeof tmp;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		if (r == (size_t)-1 && errno != E2BIG)
			return false;
		if (r != (size_t)-1 && r > 0)
			return false; /* converted irreversibly */
	}
	return true;
}

/* The first character of s the target cannot hold: its offset, or (size_t)-1. */
static size_t first_unheld(iconv_t cd, const char *s)
{
	size_t len = strlen(s);
	if (holds(cd, s, len))
		return (size_t)-1;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		size_t k = tandem__utf8_decode(s + i, len - i, &cp);
		if (!k)
			k = 1;
		if (!holds(cd, s + i, k))
			return i;
		i += k;
	}
	return (size_t)-1;
}

/* Name the first cue with a character the target cannot hold (an error). */
static void report_unheld(const tandem_doc *doc, const tandem_write_opts *o, iconv_t cd)
{
	size_t n = tandem_doc_count(doc);
	for (size_t i = 0; i < n; i++) {
		const char *fields[4] = {tandem_seg_text(doc, i), tandem_seg_translation(doc, i),
		                         tandem_seg_speaker(doc, i), tandem_seg_markup(doc, i)};
		for (size_t f = 0; f < 4; f++) {
			size_t at = fields[f] ? first_unheld(cd, fields[f]) : (size_t)-1;
			if (at == (size_t)-1)
				continue;
			int32_t cp = 0;
			size_t k = tandem__utf8_decode(fields[f] + at, strlen(fields[f] + at), &cp);
			char words[40];
			size_t w = 0, t = strlen(fields[0]);
			while (w < t && w < 24) {
				int32_t c2;
				size_t kk = tandem__utf8_decode(fields[0] + w, t - w, &c2);
				if (!kk)
					break;
				w += kk;
			}
			snprintf(words, sizeof words, "%.*s%s", (int)w, fields[0], w < t ? "..." : "");
			for (char *p = words; *p; p++)
				if (*p == '\n')
					*p = ' ';
			size_t line = tandem_seg_line(doc, i);
			char where[48] = "";
			if (line)
				snprintf(where, sizeof where, ", input line %zu", line);
			tandem__write_note(o, TANDEM_ERROR, "out-encoding",
			                   "cue %zu ('%s'%s): '%.*s' (U+%04X) cannot be written in %s; "
			                   "nothing written",
			                   i + 1, words, where, (int)(k ? k : 1), fields[f] + at,
			                   (unsigned)cp, o->out_encoding);
			return;
		}
	}
	tandem__write_note(o, TANDEM_ERROR, "out-encoding",
	                   "the output holds characters %s cannot hold; nothing written",
	                   o->out_encoding);
}

/* The UTF-8 rendering in b, replaced by its bytes in the output encoding. */
static int encode_output(const tandem_doc *doc, const tandem_write_opts *o, tandem__buf *b)
{
	const char *to = o->out_encoding ? o->out_encoding : "UTF-8";
	/* U+FEFF first, in whatever encoding: UTF-16 and UTF-32 write their own. */
	bool bom = o->bom && !name_is(to, "UTF-16", "UTF-32") && !name_is(to, "UCS-2", "UCS-4");
	tandem__buf in = TANDEM_BUF_INIT;
	if (bom)
		tandem__buf_put(&in, "\xEF\xBB\xBF", 3);
	tandem__buf_put(&in, b->ptr, b->len);
	if (name_is(to, "UTF-8", "UTF8")) {
		tandem__buf_free(b);
		*b = in;
		return 0;
	}
	iconv_t cd = iconv_open(to, "UTF-8");
	if (cd == (iconv_t)-1) {
		tandem__buf_free(&in);
		tandem__write_note(o, TANDEM_ERROR, "out-encoding", "unknown encoding '%s'", to);
		return TANDEM_EINVAL;
	}
	tandem__buf out = TANDEM_BUF_INIT;
	tandem__buf_grow(&out, in.len * 2 + 16);
	char *ip = in.ptr;
	size_t inleft = in.len, lossy = 0;
	int rc = 0;
	for (;;) {
		char *op = out.ptr + out.len;
		size_t oleft = out.cap - out.len - 1;
		size_t r = inleft ? iconv(cd, &ip, &inleft, &op, &oleft)
		                  : iconv(cd, NULL, NULL, &op, &oleft);
		out.len = (size_t)(op - out.ptr);
		if (r == (size_t)-1 && errno == E2BIG) {
			tandem__buf_grow(&out, out.cap);
			continue;
		}
		if (r == (size_t)-1) {
			rc = TANDEM_EENCODING;
			break;
		}
		lossy += r;
		if (!inleft)
			break;
	}
	if (!rc && inleft == 0 && lossy)
		rc = TANDEM_EENCODING;
	if (rc)
		report_unheld(doc, o, cd);
	iconv_close(cd);
	tandem__buf_free(&in);
	if (rc) {
		tandem__buf_free(&out);
		return rc;
	}
	out.ptr[out.len] = '\0';
	tandem__buf_free(b);
	*b = out;
	return 0;
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
	const tandem__format *f = tandem__writer_for(format, opts);
	if (!f)
		return TANDEM_EFORMAT;
	tandem__writer w = {opts, opts->crlf ? "\r\n" : "\n", -1, 0, NULL, NULL};
	tandem__buf b = TANDEM_BUF_INIT;
	int rc = tandem__subview_write(f, doc, &w, &b);
	if (!rc && wants_encoding(opts))
		rc = encode_output(doc, opts, &b);
	if (rc) {
		tandem__buf_free(&b);
		return rc;
	}
	*out = tandem__buf_detach(&b, len);
	return 0;
}

/* ---- the output queue (write.h) ---- */

static void *outq_run(void *arg)
{
	tandem__outq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->busy && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->busy)
			break;
		pthread_mutex_unlock(&q->mu);
		int e = tandem__write_all(q->fd, q->full.ptr, q->full.len) ? errno : 0;
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
bool tandem__outq_start(tandem__outq *q, int fd)
{
	memset(q, 0, sizeof *q);
	q->fd = fd;
	q->full = (tandem__buf)TANDEM_BUF_INIT;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	if (pthread_create(&q->thread, NULL, outq_run, q) == 0)
		return true;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	return false;
}

/* Wait for the buffer in flight and stop the thread; the write error, if any. */
int tandem__outq_stop(tandem__outq *q)
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
static void outq_idle(tandem__outq *q)
{
	while (q->busy)
		pthread_cond_wait(&q->cv, &q->mu);
}

/* Hand out's contents to the file (or the queue's thread); out is left empty. */
void tandem__writer_send(const tandem__writer *w, tandem__buf *out)
{
	if (w->fd < 0 || !out->len || w->error)
		return;
	tandem__outq *q = w->queue;
	if (q) {
		/* Swap buffers with the thread once it is done with the last one. */
		pthread_mutex_lock(&q->mu);
		outq_idle(q);
		if (q->error) {
			((tandem__writer *)w)->error = q->error;
		} else {
			tandem__buf t = q->full;
			q->full = *out;
			*out = t;
			q->busy = true;
			pthread_cond_broadcast(&q->cv);
		}
		pthread_mutex_unlock(&q->mu);
		return;
	}
	if (tandem__write_all(w->fd, out->ptr, out->len))
		((tandem__writer *)w)->error = errno;
	else
		tandem__buf_clear(out);
}

void tandem__writer_flush(const tandem__writer *w, tandem__buf *out)
{
	if (out->len >= (1u << 20))
		tandem__writer_send(w, out);
}

void tandem__writer_drain(tandem__writer *w, tandem__buf *out)
{
	tandem__writer_send(w, out);
	tandem__outq *q = w->queue;
	if (q) {
		pthread_mutex_lock(&q->mu);
		outq_idle(q);
		if (q->error)
			w->error = q->error;
		pthread_mutex_unlock(&q->mu);
	}
}

/* Render doc to fd, the writer flushing between cues; what is left goes at the end. */
int tandem__render_to_fd(const tandem__format *f, const tandem_doc *doc,
                         const tandem_write_opts *opts, int fd)
{
	/* Transcoded as a whole, so nothing is written when a character fails. */
	bool encode = wants_encoding(opts);
	tandem__writer w = {opts, opts->crlf ? "\r\n" : "\n", encode ? -1 : fd, 0, NULL, NULL};
	tandem__buf b = TANDEM_BUF_INIT;
	int rc = tandem__subview_write(f, doc, &w, &b);
	if (!rc && encode)
		rc = encode_output(doc, opts, &b);
	if (!rc && w.error) {
		errno = w.error;
		rc = TANDEM_EIO;
	}
	if (!rc)
		rc = tandem__write_all(fd, b.ptr, b.len);
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
	const tandem__format *f = tandem__writer_for(format, opts);
	if (!f)
		return TANDEM_EFORMAT;
	/* Stream to the temporary (writers flush between cues), then rename. */
	char *tmp = NULL;
	int slot = -1;
	bool to_stdout = strcmp(path, "-") == 0;
	char *target = NULL;
	if (!to_stdout) {
		bool direct;
		target = tandem__write_target(path, &direct);
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
		fd = tandem__temp_open(target, &tmp, &slot);
		if (fd < 0) {
			free(target);
			return TANDEM_EIO;
		}
	}
	int rc = tandem__render_to_fd(f, doc, opts, fd);
	if (to_stdout)
		return rc;
	rc = tandem__temp_commit(fd, tmp, slot, target, rc);
	free(target);
	return rc;
}

