/*
 * scan.h - the line scanner every reader walks its text with (scan.c), the
 * ring a streamed reader reads its file through (ring.c), and the giving
 * back of a mapped input's pages as the scan passes them.
 */
#ifndef TANDEM_SCAN_H
#define TANDEM_SCAN_H

#include "tandem_private.h"

#include <sys/types.h>

/*
 * Line scanner over LF, CRLF and CR line ends.  Each call yields one line
 * (without its terminator) and its 1-based number; returns false at the end.
 * A final line without a terminator is still yielded; an empty input yields
 * nothing.
 */
typedef struct tandem__lines {
	const char *p, *end;
	size_t lineno;
	const char *lf;        /* next LF at or after p (end if none), cached */
	const char *cr, *crend; /* next CR before crend, else crend: a CR is looked for
	                          only a stretch ahead, and cached */
	const char *seen;      /* the line last peeked starts here (readers peek a line,
	                          then take it)... */
	const char *seen_next; /* ...and is followed by this */
	size_t seen_len;
	struct tandem__ring *ring; /* the text is read into this as the scan goes;
	                             NULL: it is all in memory */
} tandem__lines;

typedef struct tandem__line {
	const char *s;
	size_t len;
	size_t no;
	const char *next;      /* first byte after its terminator */
} tandem__line;

void tandem__lines_init(tandem__lines *it, const char *data, size_t len);
bool tandem__lines_next(tandem__lines *it, tandem__line *out);
/* Look at the next line without consuming it. */
bool tandem__lines_find(const tandem__lines *it, tandem__line *out);
static inline bool tandem__lines_peek(const tandem__lines *it, tandem__line *out)
{
	/* Readers peek at a line, then take it: the second look is free. */
	if (it->seen == it->p && it->p < it->end) {
		out->s = it->p;
		out->no = it->lineno + 1;
		out->len = it->seen_len;
		out->next = it->seen_next;
		return true;
	}
	return tandem__lines_find(it, out);
}
/*
 * Take the line just peeked.  Unlike tandem__lines_next, this does not tell
 * the reading in progress on this thread how far it got: for scanners that
 * look ahead of the reader (the page-giving-back in tandem__input_progress
 * would otherwise release pages the reader has yet to read).
 */
static inline void tandem__lines_take(tandem__lines *it, const tandem__line *ln)
{
	it->p = ln->next;
	it->lineno++;
}

/*
 * Input held in a file mapping (see formats/read.c, formats/stream.c) need not stay resident
 * once a reader is past it: the pages can be dropped and would come back
 * from the file if touched again.  The line scanner calls this as it goes.
 */
void tandem__input_mapped(const char *base, size_t len);   /* NULL: none */
void tandem__input_progress(const char *p);

/*
 * A streamed conversion's reader does not walk the mapped input: it reads
 * its part of the file into a small buffer that it reuses, a piece at a
 * time, with pread(2), and checks each piece as UTF-8 while it is in the
 * cache (formats/ring.c).  On this machine the first touch of each page of
 * a mapping costs about 3.5 us (100 MB: 25,600 pages, 90 ms of CPU); the
 * kernel's copy into pages already touched costs a fifth of that.
 *
 * The scanner sees only checked bytes.  A piece that is not valid UTF-8,
 * or holds a NUL, ends the scan and sets `failed`: the caller reads the
 * input again, decoded (tandem__decode).  Text is dropped from the buffer
 * only at tandem__lines_slide(), which the reader calls where it holds no
 * line: everything else in it stays where it is while the scan reads on.
 */
typedef struct tandem__ring {
	int fd;
	off_t from;             /* the file offset of the text's first byte */
	size_t len;             /* the text's length */
	char *buf;              /* the text from offset `base` on, NUL-terminated */
	size_t base, fill;      /* buf[0, fill) read... */
	size_t checked;         /* ...buf[0, checked) checked (the rest ends inside a character) */
	size_t reserved;        /* address space held for buf (the longest line can take all) */
	size_t piece, slide;    /* bytes read at a time; how far the scan goes before a slide */
	bool failed;            /* not UTF-8 (or a NUL), or unreadable */
} tandem__ring;

/* False if no buffer could be had. */
bool tandem__ring_open(tandem__ring *g, int fd, off_t from, size_t len);
void tandem__ring_close(tandem__ring *g);
/* Read the next piece; false at the end of the text or on failure. */
bool tandem__ring_more(tandem__ring *g);

void tandem__lines_init_ring(tandem__lines *it, tandem__ring *g);
/* A point where the reader holds no line: the buffer may drop what the scan has passed. */
void tandem__lines_slide(tandem__lines *it);
/* The offset in the text of q, a byte the scan has handed out. */
static inline size_t tandem__lines_offset(const tandem__lines *it, const char *text,
                                         const char *q)
{
	return it->ring ? it->ring->base + (size_t)(q - it->ring->buf) : (size_t)(q - text);
}

#endif /* TANDEM_SCAN_H */
