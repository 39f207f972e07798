/*
 * stream.h - the streamed conversion's protocol between its engine
 * (stream.c) and a reader that can stream (srt.c): windows of settled
 * segments handed over as they are read, and a second reader reading the
 * second half; and the conversion's entry with its knobs, for the tests.
 */
#ifndef TANDEM_STREAM_H
#define TANDEM_STREAM_H

#include "bilingual.h"
#include "format.h"

/*
 * A reader streams when its format entry gives a split_point (format.h) and
 * the reader context a window (r->window, non-NULL only in a streamed
 * conversion): once more than r->window_size segments wait in its document
 * it hands the settled ones over through the window's calls.  It never names
 * the engine's functions, nor the engine a reader's: the engine finds the
 * reader and its split point in the format table.
 */
struct tandem_window {
	/* Normalise, write and free doc->segs[0..n), which the reader will not
	 * touch again; a cue that may pair with the next one stays at the
	 * front.  0, or a negative TANDEM_E* for the reader to stop with
	 * (TANDEM_EPARSE, saying nothing, to a second reader not wanted). */
	int (*offer)(tandem__reader *r, tandem_doc *doc, size_t n);
	/* A decision taken on the first window would not be the whole
	 * document's (the engine then converts the whole document instead). */
	void (*diverge)(tandem__reader *r);
};

/*
 * A big streamed conversion is read in two halves at once (formats/stream.c).
 * The second half starts at a cue boundary `at` (the format's split_point)
 * and is read, normalised and written to memory on another thread, assuming
 * what the main reader will know when it gets there.  When the main reader
 * reaches `at` it calls join; if the second reader's assumptions hold, the
 * halves are stitched (the result is byte for byte the one-reader result),
 * else the main reader reads on through the second half itself.
 */
typedef struct tandem__split {
	bool second;          /* this reader reads the second half */
	size_t at;            /* main reader: offset in its text where the second half starts */
	size_t line_base;     /* main reader, at `at`: the lines before it (the second
	                         reader numbers its lines from its own start) */
	uint64_t prev_num;    /* SRT: the number of the cue before `at`, as assumed */
	/* Second reader: its own end state (SRT: the speaker names it saw), for
	 * the main one to check against its own; freed with tail_free. */
	void *tail;
	void (*tail_free)(void *);
	/*
	 * Main reader, at `at` with doc holding what it has not handed over:
	 * hands it all over, then waits for the second reader.  Returns its tail
	 * when its result can be used so far as the engine can tell, else NULL.
	 */
	void *(*join)(tandem__reader *r, tandem_doc *doc);
	/*
	 * After join: `use` says whether the reader's own checks passed too.
	 * Stitches (returns 1: the reader stops, the second reader has read the
	 * rest and doc holds its unsettled tail) or lets the main reader read on
	 * (returns 0); a negative TANDEM_E* on a failed write.
	 */
	int (*end)(tandem__reader *r, tandem_doc *doc, bool use);
	struct tandem_half *half;   /* main reader: the second half (stream.c's) */
} tandem__split;

/* SRT's split point (srt.c), the split_point of its format entry: the
 * engine finds it there; tests call it by name. */
size_t tandem__srt_split_point(const char *data, size_t len, size_t from, uint64_t *num);

/* tandem_convert_file with its knobs. */
typedef struct tandem__stream_knobs {
	size_t window;        /* segments between hand-overs; 0: never stream */
	size_t map_min;       /* stream only inputs of at least this many bytes */
	size_t split_min;     /* read in two halves inputs of at least this many bytes */
	size_t split_from;    /* look for the second half's start from here (SIZE_MAX: the middle) */
	bool half_waits;      /* (tests) the second reader waits for the main one at each
	                         hand-over, so its output is always moved (stream.c) */
	bool stitched;        /* out: the halves were stitched */
	bool moved;           /* out: the second half's output was moved while it was read */
	bool again;           /* out: read through a ring, it was not UTF-8: read again decoded */
	size_t ring_piece;    /* (tests) a ring reads this many bytes at a time; 0: its own */
	size_t ring_slide;    /* (tests) and slides this far into its buffer; 0: its own */
} tandem__stream_knobs;
int tandem__convert_file(const char *in, const char *out, const char *format,
                         const tandem_read_opts *ropts, const tandem_write_opts *wopts,
                         tandem__stream_knobs *knobs);

#endif /* TANDEM_STREAM_H */
