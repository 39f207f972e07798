/*
 * write.h - writing to a descriptor (write.c), for the streamed conversion
 * (stream.c): the writer for a format's name, a whole document rendered to
 * a descriptor, handing what a writer has buffered to its file, and the
 * output queue, a thread that does the write()s while the writer goes on.
 */
#ifndef TANDEM_WRITE_H
#define TANDEM_WRITE_H

#include "format.h"

#include <pthread.h>

/* The writer for `format`, or NULL after saying why (a format-unknown error). */
const tandem__format *tandem__writer_for(const char *format, const tandem_write_opts *opts);

/* Render doc to fd, the writer flushing between cues; what is left goes at
 * the end.  0, the writer's error, or TANDEM_EIO (errno tells why). */
int tandem__render_to_fd(const tandem__format *f, const tandem_doc *doc,
                         const tandem_write_opts *opts, int fd);

/*
 * The output queue of a streamed conversion: the writer fills one buffer
 * while a thread hands the other to write(2), so the kernel's copy into the
 * page cache (a third of a big conversion) runs on the second core.  A
 * writer whose `queue` is set sends its buffer through it.
 */
typedef struct tandem__outq {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	tandem__buf full;      /* being written when busy */
	bool busy, stop;
	int fd;
	int error;            /* errno of a failed write */
} tandem__outq;

/* Start the queue; false (write synchronously) when no thread can be had. */
bool tandem__outq_start(tandem__outq *q, int fd);
/* Wait for the buffer in flight and stop the thread; the write error, if any. */
int tandem__outq_stop(tandem__outq *q);

/* Hand out's contents to the writer's file (or its queue's thread); out is
 * left empty.  Nothing when the writer writes to memory or has failed; a
 * failure is kept in w->error. */
void tandem__writer_send(const tandem__writer *w, tandem__buf *out);
/* The same, and wait until everything is in the file (or failed). */
void tandem__writer_drain(tandem__writer *w, tandem__buf *out);

#endif /* TANDEM_WRITE_H */
