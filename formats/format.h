/*
 * format.h - what a format's file needs: the writer context (a whole
 * document, or a streamed conversion's window at a time), the format table
 * entry each format exports (registry.c lists them; a streamed conversion
 * asks it whether a reader can stream), and the line scanner.
 */
#ifndef TANDEM_FORMAT_H
#define TANDEM_FORMAT_H

#include "scan.h"

/*
 * A writer called a window at a time (a streamed conversion): doc holds the
 * next segments only.  The writer writes its head on the first window and
 * its closing notes on the last, and keeps what it counts in between here.
 */
typedef struct tandem__wwin {
	size_t base;             /* index of doc->segs[0] in the whole document */
	bool first, last;
	bool probe;              /* only take (or check) the decisions; write nothing */
	bool diverged;           /* set by the writer: a head decision would change */
	bool flag;               /* the writer's own running state: */
	const char *str[2];
	size_t count[8];
	unsigned bits;
} tandem__wwin;

typedef struct tandem__writer {
	const tandem_write_opts *opts;
	const char *nl;          /* "\n" or "\r\n" */
	int fd;                  /* streaming to a file: >= 0; to memory: -1 */
	int error;               /* a streamed write failed (errno value) */
	tandem__wwin *win;        /* NULL: doc is the whole document */
	struct tandem__outq *queue; /* non-NULL: a thread does the write()s */
} tandem__writer;

/*
 * Writers call this between cues: when writing to a file and the buffer has
 * grown past a threshold, its contents go to the file and it is emptied, so
 * a 100 MB conversion never holds the whole output.  Call it only where the
 * writer no longer needs to look back at what it wrote.
 */
void tandem__writer_flush(const tandem__writer *w, tandem__buf *out);

/* Report something the target format could not hold (severity info/warning). */
void tandem__write_note(const tandem_write_opts *o, tandem_severity sev, const char *rule,
                        const char *fmt, ...) TANDEM_PRINTF(4, 5);

/* ---- the format table (formats/registry.c) ---- */
typedef struct tandem__format {
	const char *name;
	const char *extensions;     /* space separated, no dots */
	/* 0..100: how sure it is that decoded text is in this format; NULL = never guess. */
	int (*sniff)(const char *data, size_t len);
	/* Fill doc from r->data.  NULL when the format cannot be read. */
	int (*read)(tandem__reader *r, tandem_doc *doc);
	/* Append the rendering to out.  NULL when the format cannot be written. */
	int (*write)(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out);
	/*
	 * NULL: the reader cannot stream.  Else the reader reads a window at a
	 * time in a streamed conversion (stream.h), and this says where its
	 * text may be cut for a second reader: the offset of the first cue at or
	 * after `from` that one can start at (*num: what the reader numbers it),
	 * or 0 when none is near.
	 */
	size_t (*split_point)(const char *data, size_t len, size_t from, uint64_t *num);
} tandem__format;

const tandem__format *tandem__format_find(const char *name);
/* tandem_format_sniff for text already NUL-terminated at text[len] (no copy). */
const char *tandem__format_sniff(const char *text, size_t len);

#endif /* TANDEM_FORMAT_H */
