/*
 * stream.c - the streamed conversion: a big SRT input converted to SRT or
 * WebVTT a window of cues at a time, never holding the document, and for a
 * big WebVTT output read in two halves at once, the second on a thread of
 * its own, stitched byte for byte into the one-reader result (the protocol
 * with a reader that can stream is stream.h).  Also tandem_convert_file,
 * which streams when it can and reads and writes whole otherwise.
 */
#include "stream.h"
#include "file.h"
#include "read.h"
#include "subview.h"
#include "write.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
 * file through a ring (tandem__ring), which checks it as UTF-8 on the way,
 * and the mapping is only looked at where a few bytes are needed (the
 * second half's start, the last line).  What the reading finds is held
 * until the whole input is known to be UTF-8; if it is not, it is read
 * again, decoded, and nothing of the first reading shows.
 */
typedef struct stream_window {
	struct tandem_window calls;   /* first: what the reader sees of it (r->window) */
	const tandem__format *to;
	tandem__writer w;
	tandem__wwin ww;
	tandem__buf out;
	tandem__bistream bs;
	bool normalize;
	bool started;          /* the writer has written its head */
	bool diverged;
	size_t written;        /* segments written */
	tandem_spk_run spk;    /* the speaker written last (subview.h) */
	/* Main reader: the second half, waiting for the first window's decisions. */
	struct tandem_half *half;
	/* Second reader: where its first cue is kept as read (NULL: kept, or not wanted). */
	tandem__seg *first;
	/* Second reader: its own half.  It reads on at once, but at each hand-over
	 * asks it first (half_handover): for the main reader's decisions, and
	 * whether to move its output. */
	struct tandem_half *own;
} stream_window;

/* The window a reader was handed (it begins with the calls). */
static stream_window *window_of(const tandem__reader *r)
{
	return (stream_window *)(void *)r->window;
}

/* Segments before the first hand-over: what the layout and the WebVTT head
 * (50 segments) are decided on; the second reader waits for them.  Then
 * fewer at a time. */
#define STREAM_WINDOW 512
#define STREAM_WINDOW_LATER 16

static void half_go(struct tandem_half *h, const stream_window *win);
static bool half_handover(struct tandem_half *h);

/* The document a streamed reader fills, with what the writers look up in it. */
static tandem_doc *stream_doc(const tandem__format *f, const char *enc)
{
	tandem_doc *doc = tandem_doc_new();
	tandem_doc_set_meta(doc, "format", f->name);
	tandem_doc_set_meta(doc, "encoding", enc);
	return doc;
}

/* A decision taken on the first window would not be the whole document's. */
static void window_diverge(tandem__reader *r)
{
	window_of(r)->diverged = true;
}

static int window_write(stream_window *win, tandem_doc *doc, size_t n, bool last)
{
	if (!n && !last)
		return 0;
	size_t all = doc->nsegs;
	doc->nsegs = n;
	win->ww.base = win->written;
	win->ww.first = !win->started;
	win->ww.last = last;
	if (!win->ww.probe)
		tandem__subview_apply(doc, n, win->to->name, win->w.opts, &win->spk);
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

/*
 * Normalise, write and free doc->segs[0..n), which the reader will not
 * touch again; a cue that may pair with the next one stays at the front.
 */
static int window_offer(tandem__reader *r, tandem_doc *doc, size_t n)
{
	stream_window *win = window_of(r);
	size_t settled = n;
	int rc = 0;
	if (win->own && !half_handover(win->own))
		return TANDEM_EPARSE; /* not wanted: stop reading; nothing is said */
	if (win->first && n) {
		/* As read: the main reader's last cue may pair with it. */
		const tandem__seg *s = &doc->segs[0];
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

/* What every window a reader is handed begins with. */
static const struct tandem_window window_calls = {window_offer, window_diverge};

/* The end of the stream: the last window, the layout's report, the writer's notes. */
static int stream_finish(tandem__read_state *st, stream_window *win, tandem_doc *doc)
{
	if (win->diverged)
		return 0;
	size_t n = doc->nsegs;
	if (win->normalize)
		n = tandem__bilingual_window(&win->bs, doc, n, true);
	if (win->written + n == 0)
		return tandem__read_no_segments(st);
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
static void said_tell(const said_list *h, const tandem__reader *r, size_t base)
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
	tandem__reader *r;         /* reading through a ring, r->data the mapped input */
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
	tandem__ring ring;         /* its text, read from the file (ring.buf NULL: not so) */
	bool failed;              /* it was not UTF-8 (the main reader will find out too) */
	const tandem__format *f;
	const char *enc;
	tandem__reader r;
	tandem__split split;
	tandem_write_opts wo;
	stream_window win;
	tandem__wwin ww0;          /* the writer's state it started from */
	tandem_doc *doc;
	int rc;
	int offer_rc;             /* the main reader's hand-over at the join */
	bool noted;               /* its writer said something (only a last window does) */
	bool stitched;
	tandem__seg first;         /* its first cue as read */
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
	bool wait_main;           /* tandem__stream_knobs.half_waits */
	tandem__seg held;          /* the main reader's held-back cue as read, when it was
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
 * only handing cues over needs the decisions (window_offer waits).
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
 * grown and cleared like any tandem__buf.
 */
static tandem__buf out_buffer(void)
{
	tandem__buf b = TANDEM_BUF_INIT;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	enum { HUGE = 2 << 20 };
	char *p = aligned_alloc(HUGE, HUGE);
	if (p) {
		madvise(p, HUGE, MADV_HUGEPAGE);
		p[0] = '\0';
		b = (tandem__buf){p, 0, HUGE};
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
static int settle_held(stream_window *win, tandem_doc *doc)
{
	size_t n = win->normalize ? tandem__bilingual_window(&win->bs, doc, doc->nsegs, true)
	                          : doc->nsegs;
	int rc = window_write(win, doc, n, false);
	if (!rc)
		drop_front(doc, n);
	return rc;
}

/*
 * Main reader, arrived at the boundary: once its output is complete, the
 * second half's starts at its end.  Ask the second reader, still reading,
 * to write there from now on, and copy what it wrote so far.  A cue held
 * back for pairing, in a file whose cues are not folded, is written alone
 * first: the bytes the next window would give it.  (Should it turn out to
 * pair with the second half's first cue after all, the pair counts that
 * decide the layout would be short of one: split_join starts over.)
 */
static void half_move(stream_window *win, struct tandem_half *h, tandem_doc *doc)
{
	pthread_mutex_lock(&h->mu);
	bool reading = h->go == HALF_GO && !h->done && h->move == MOVE_NONE;
	pthread_mutex_unlock(&h->mu);
	if (!reading || doc->nsegs > 1 || (doc->nsegs && (!win->bs.decided || win->bs.fold)))
		return;
	if (doc->nsegs) {
		const tandem__seg *s = &doc->segs[0];
		h->held = (tandem__seg){.start = s->start, .end = s->end,
		                       .text = tandem__xstrdup(s->text)};
		if (settle_held(win, doc))
			return;
	}
	tandem__writer_drain(&win->w, &win->out);
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
	if (moved && tandem__copy_range(h->fd, win->w.fd, base, n))
		win->w.error = errno;
	/* Its own file is of no more use: give back its pages now, while the
	 * second reader still reads (4 ms for 50 MB, at the end otherwise). */
	if (moved) {
		close(h->fd);
		h->fd = -1;
	}
}

/* Main thread, after its first window: the decisions the second half follows. */
static void half_go(struct tandem_half *h, const stream_window *win)
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
	int fd = tandem__temp_open(target, &tmp, &slot);
	if (fd < 0)
		return -1;
	unlink(tmp);
	tandem__temp_unregister(slot);
	free(tmp);
	return fd;
}

/* A ring for st's text from `at` on. */
static bool ring_open(const tandem__read_state *st, tandem__ring *g, size_t at)
{
	if (!tandem__ring_open(g, st->fd, st->from + (off_t)at, st->tlen - at))
		return false;
	if (st->ring_piece)
		g->piece = st->ring_piece;
	if (st->ring_slide)
		g->slide = st->ring_slide;
	return true;
}

static struct tandem_half *half_start(tandem__read_state *st, const stream_window *win,
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
	h->r.window = &h->win.calls;
	h->r.window_size = window;
	h->r.split = &h->split;
	h->r.ring = h->ring.buf ? &h->ring : NULL;
	h->split = (tandem__split){.second = true, .prev_num = num - 1};
	h->wo = *opts;
	h->wo.diag = half_noted;
	h->wo.diag_user = h;
	h->win.calls = window_calls;
	h->win.to = win->to;
	h->win.w = (tandem__writer){&h->wo, win->w.nl, fd, 0, &h->win.ww, NULL};
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
	tandem__spk_run_free(&h->win.spk);
	free(h->first.text);
	free(h->held.text);
	if (h->split.tail)
		h->split.tail_free(h->split.tail);
	said_free(&h->said);
	tandem__ring_close(&h->ring);
	free(h);
}

/*
 * The main reader is at the second half's start, with doc holding what it
 * has not handed over: hand it all over, then wait for the second reader.
 * Its tail when its result can be used so far as the engine can tell, else
 * NULL (tandem__split.join).
 */
static void *split_join(tandem__reader *r, tandem_doc *doc)
{
	stream_window *win = window_of(r);
	struct tandem_half *h = r->split->half;
	h->offer_rc = window_offer(r, doc, doc->nsegs);
	if (!h->offer_rc && h->out_path && !win->diverged)
		half_move(win, h, doc);
	half_join(h);
	/* A cue held back for pairing must not pair with the second half's first. */
	const tandem__seg *first = h->first.text                 ? &h->first
	                          : h->doc && h->doc->nsegs ? &h->doc->segs[0]
	                                                    : NULL;
	const tandem__seg *held = doc->nsegs ? &doc->segs[0] : h->held.text ? &h->held : NULL;
	bool pairs = held && (!first || tandem__bilingual_foldable(held, first));
	if (pairs && h->held.text)
		win->diverged = true; /* written alone too early (see half_move) */
	if (h->offer_rc || h->go != HALF_GO || h->rc || h->failed || h->r.nerrors || !h->split.tail ||
	    h->win.diverged || h->win.w.error || h->noted || win->diverged || doc->nsegs > 1 ||
	    pairs)
		return NULL;
	return h->split.tail;
}

/* Stitch the halves, or let the main reader read on (tandem__split.end). */
static int split_end(tandem__reader *r, tandem_doc *doc, bool use)
{
	stream_window *win = window_of(r);
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
	tandem__writer_drain(&win->w, &win->out);
	if (!win->w.error && h->move == MOVE_DONE) {
		off_t end = lseek(h->out_fd, 0, SEEK_CUR);
		if (end < 0 || lseek(win->w.fd, end, SEEK_SET) < 0)
			win->w.error = errno;
	} else if (!win->w.error) {
		/* Its file holds its output whole, from its start; the output's offset
		 * moves past the copy. */
		off_t at = lseek(win->w.fd, 0, SEEK_CUR), n = lseek(h->fd, 0, SEEK_CUR);
		if (at < 0 || n < 0 || tandem__copy_range(h->fd, win->w.fd, at, n) ||
		    lseek(win->w.fd, at + n, SEEK_SET) < 0)
			win->w.error = errno;
	}
	tandem__writer_send(&win->w, &h->win.out);
	/* Its unsettled last cues are the document's now. */
	tandem_doc *d2 = h->doc;
	tandem__seg *segs = doc->segs;
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
static int convert_stream(tandem__read_state *st, const tandem__format *to,
                          const tandem_write_opts *opts, const char *target, int fd,
                          const char *tmp, tandem__stream_knobs *knobs)
{
	size_t window = knobs->window;
	stream_window win;
	memset(&win, 0, sizeof win);
	win.calls = window_calls;
	win.to = to;
	win.w = (tandem__writer){opts, opts->crlf ? "\r\n" : "\n", fd, 0, &win.ww, NULL};
	win.out = out_buffer();
	win.normalize = tandem__bilingual_applies(st->f->name);
	st->r.window = &win.calls;
	st->r.window_size = window;
	/* Plain UTF-8 not checked yet: read through a ring, which checks it, and
	 * hold what is found until it is known to be UTF-8 throughout. */
	tandem__ring ring;
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
	tandem__split split;
	if (strcmp(to->name, "vtt") == 0 && st->tlen >= knobs->split_min) {
		size_t from = knobs->split_from == SIZE_MAX ? st->tlen / 100 * SPLIT_PERCENT
		                                            : knobs->split_from;
		uint64_t num;
		size_t at = st->f->split_point(st->text, st->tlen, from, &num);
		win.half = at ? half_start(st, &win, opts, target, at, num, window, tmp,
		                           knobs->half_waits)
		              : NULL;
		if (win.half) {
			split = (tandem__split){.at = at, .prev_num = num - 1, .half = win.half,
			                       .join = split_join, .end = split_end};
			st->r.split = &split;
		}
	}
	/* One reader: its write(2)s go to a thread of their own, on the other
	 * core.  Two readers keep both cores busy, and a third thread only takes
	 * turns with them (100 MB: 174 ms without it, 191 with). */
	tandem__outq queue;
	bool queued = !win.half && tandem__outq_start(&queue, fd);
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
	tandem__spk_run_free(&win.spk);
	if (queued) {
		int e = tandem__outq_stop(&queue);
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
			rc = tandem__read_parse(st, &doc, true);
		if (!rc) {
			rc = tandem__render_to_fd(to, doc, opts, fd);
			tandem_doc_free(doc);
		}
	} else if (!rc) {
		rc = tandem__write_all(fd, win.out.ptr, win.out.len);
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

/* The reader can stream when its format can say where a second reader may
 * start; the SRT and WebVTT writers can write a window at a time. */
static bool streamable(const tandem__format *from, const tandem__format *to)
{
	return from->split_point &&
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
                         tandem__stream_knobs *knobs)
{
	size_t window = knobs->window;
	knobs->stitched = knobs->again = false;
	tandem_read_opts ro = tandem__read_opts_for(in, ropts);
	tandem_write_opts wo;
	if (wopts)
		wo = *wopts;
	else
		tandem_write_opts_init(&wo);
	if (!wo.filename)
		wo.filename = out;
	if (wo.out_encoding || wo.bom)
		window = 0; /* the output is transcoded whole: no streaming */
	if (tandem_output_is_input(out, in))
		return TANDEM_ESAME;
	const tandem__format *to = tandem__writer_for(format, &wo);
	if (!to)
		return TANDEM_EFORMAT;

	/* Streaming needs a big mapped input and an output that can start over. */
	bool direct = true;
	char *target = strcmp(out, "-") == 0 ? NULL : tandem__write_target(out, &direct);
	/* Plain UTF-8 is checked as it is read (a ring reads the file), when
	 * the reader is known without a look at the text (the format sniffers
	 * would look at it unchecked). */
	const tandem__format *from =
		tandem__format_find(ro.format ? ro.format : tandem_format_from_path(ro.filename));
	bool lazy = from && from->read && streamable(from, to);
	size_t len = 0, maplen = 0;
	int in_fd = -1;
	char *data = direct || !window ? NULL
	                               : tandem__file_map(in, &len, &maplen, (off_t)knobs->map_min,
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
	tandem__read_state st;
	int rc = tandem__read_prepare(&st, data, len, &ro, lazy);
	if (st.unchecked) {
		st.fd = in_fd;
		st.from = st.text - data;
		st.ring_piece = knobs->ring_piece;
		st.ring_slide = knobs->ring_slide;
	}
	if (!rc && streamable(st.f, to)) {
		char *tmp;
		int slot;
		int fd = tandem__temp_open(target, &tmp, &slot);
		if (fd < 0) {
			rc = TANDEM_EIO;
		} else {
			rc = convert_stream(&st, to, &wo, target, fd, tmp, knobs);
			knobs->again = rc == STREAM_AGAIN;
			if (rc == STREAM_AGAIN) {
				/* Not UTF-8 after all: decoded this time, from the start. */
				tandem__read_release(&st);
				rc = ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) < 0
				         ? TANDEM_EIO
				         : tandem__read_prepare(&st, data, len, &ro, false);
				if (!rc)
					rc = convert_stream(&st, to, &wo, target, fd, tmp, knobs);
			}
			rc = tandem__temp_commit(fd, tmp, slot, target, rc);
		}
		rc = write_failed(&wo, rc);
	} else if (!rc) {
		tandem_doc *doc;
		rc = tandem__read_parse(&st, &doc, false);
		if (!rc)
			rc = write_failed(&wo, tandem_doc_write_file(doc, format, &wo, out));
		tandem_doc_free(doc);
	}
	tandem__read_release(&st);
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
	tandem__stream_knobs k = {.window = STREAM_WINDOW, .map_min = 1 << 20,
	                         .split_min = cpus >= 2 ? 8u << 20 : SIZE_MAX,
	                         .split_from = SIZE_MAX};
	return tandem__convert_file(in, out, format, ropts, wopts, &k);
}
