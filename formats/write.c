/*
 * write.c - writing a document: rendering it in memory, or to a file by way
 * of a temporary renamed over it (writers flush to it between cues, so a
 * big output is never held whole; a device or FIFO is written in place),
 * and, for the streamed conversion (write.h), rendering to a descriptor and
 * the output queue whose thread does the write()s.
 */
#include "write.h"
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tandem_write_opts_init(tandem_write_opts *o)
{
	memset(o, 0, sizeof *o);
}

/* The writer for `format`, or NULL after saying why. */
const tandem_format *tandem__writer_for(const char *format, const tandem_write_opts *opts)
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
	const tandem_format *f = tandem__writer_for(format, opts);
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

/* ---- the output queue (write.h) ---- */

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
bool tandem__outq_start(tandem_outq *q, int fd)
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
int tandem__outq_stop(tandem_outq *q)
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
void tandem__writer_send(const tandem_writer *w, tandem_buf *out)
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
	if (tandem__write_all(w->fd, out->ptr, out->len))
		((tandem_writer *)w)->error = errno;
	else
		tandem__buf_clear(out);
}

void tandem__writer_flush(const tandem_writer *w, tandem_buf *out)
{
	if (out->len >= (1u << 20))
		tandem__writer_send(w, out);
}

void tandem__writer_drain(tandem_writer *w, tandem_buf *out)
{
	tandem__writer_send(w, out);
	tandem_outq *q = w->queue;
	if (q) {
		pthread_mutex_lock(&q->mu);
		outq_idle(q);
		if (q->error)
			w->error = q->error;
		pthread_mutex_unlock(&q->mu);
	}
}

/* Render doc to fd, the writer flushing between cues; what is left goes at the end. */
int tandem__render_to_fd(const tandem_format *f, const tandem_doc *doc,
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
	const tandem_format *f = tandem__writer_for(format, opts);
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

