/*
 * fit.h - the private interface of fit/: candidate cut points, the joint
 * source/translation cut programme, line breaking and piece timing.
 *
 * The cut finder is meant for other parts of the library too (the
 * aligner's split repair): it works on plain UTF-8 strings and byte
 * offsets and knows nothing of documents.
 *
 * Names are tandem__ and hidden from the shared library.
 */
#ifndef TANDEM_FIT_H
#define TANDEM_FIT_H

#include "tandem.h"

#include <stdbool.h>
#include <stddef.h>

/* How good a place to cut is, best last.  CUT_NONE: never cut there. */
enum {
	TANDEM__CUT_NONE = 0,
	TANDEM__CUT_WORD = 1,     /* between two words (ICU's for Chinese) */
	TANDEM__CUT_PHRASE = 2,   /* before a preposition */
	TANDEM__CUT_CONJ = 3,     /* before a conjunction or relative word */
	TANDEM__CUT_CLAUSE = 4,   /* after , ; : — (and ，、；：) */
	TANDEM__CUT_SENTENCE = 5  /* after . ! ? (and 。！？) */
};

/* One place a text may be cut: the next piece starts at byte `off`
 * (whitespace before it belongs to neither piece). */
typedef struct tandem__cut {
	size_t off;      /* byte offset in the text, 0 < off < len */
	size_t end;      /* where the piece before it ends (off less the spaces) */
	int cls;         /* TANDEM__CUT_* */
	bool weak;       /* a poor place of its class: after "the", between two
	                    one-character Chinese words (likely one word ICU's
	                    dictionary does not know) */
	double w;        /* spoken weight of the text before off (retime's units) */
} tandem__cut;

/*
 * A reusable cutter: it holds ICU's word and line break iterators, opened
 * once (opening them is the costly part).  NULL when ICU cannot open them.
 */
typedef struct tandem__cutter tandem__cutter;

tandem__cutter *tandem__cutter_new(void);
void tandem__cutter_free(tandem__cutter *c);

/*
 * The candidate cuts of text[0, len) in order, with the first entry the
 * start (off 0, cls SENTENCE, w 0) and the last the end (off len, w the
 * whole weight); *n counts both.  `cjk`: cut as Chinese (ICU's dictionary
 * word breaks; never before closing punctuation or a particle that cannot
 * start a line), else as English (between words).  Returns a malloc'd
 * array the caller frees.
 */
tandem__cut *tandem__cut_candidates(tandem__cutter *c, const char *text, size_t len, bool cjk,
                                    size_t *n);

/* Spoken weight of text (retime's: a Latin letter 1, a CJK character 3.5, a digit 2.5). */
double tandem__spoken_weight(const char *s, size_t len);

/*
 * Cut one text into k pieces whose spoken-weight shares come closest to
 * shares[0..k) (they need not sum to 1; they are normalised), at the best
 * candidate cuts.  offs[0..k-1) get the byte offsets where pieces 1..k-1
 * start.  Returns the quality in [0, 1]: 1 when every cut is a sentence
 * end at the share asked for, lower for weaker cuts or shares missed; 0
 * (and offs untouched) when the text has fewer than k-1 candidate cuts.
 * This is the aligner's split repair: a merged line cut over k segments.
 */
double tandem__cut_split(tandem__cutter *c, const char *text, size_t len, bool cjk,
                         const double *shares, size_t k, size_t *offs);

/* What a piece of one side may hold. */
typedef struct tandem__layout {
	size_t line_chars;   /* graphemes a line; 0 no limit */
	size_t line_width;   /* columns a line; 0 no limit */
	size_t max_lines;    /* 0 no limit */
	double cps;          /* characters a second; 0 no limit */
} tandem__layout;

/* The limits that the cut programme weighs. */
typedef struct tandem__cut_limits {
	tandem__layout src, tr;
	int64_t span_ms;         /* the segment's duration, or TANDEM_NO_TIME */
	int64_t min_ms, max_ms;  /* cue duration limits; 0 off */
	/* The two sides' lengths disagree (one side is far shorter than the
	 * document's usual ratio says): no pairing of word cuts can be trusted,
	 * so cut only where both sides end a sentence or a clause, and keep the
	 * pieces between whole, whatever the layout. */
	bool strong_only;
} tandem__cut_limits;

/* The cut programme's answer: npieces pieces; piece k is src[s[k], s[k+1]),
 * tr[t[k], t[k+1]) (offsets are candidate offs, s[0] = t[0] = 0). */
typedef struct tandem__cut_plan {
	size_t npieces;
	size_t *s, *t;           /* npieces + 1 entries each; t NULL when monolingual */
	size_t *s_end, *t_end;   /* where piece k's text ends (spaces left out) */
	double *share;           /* piece k's share of the segment's spoken weight */
	size_t poor;             /* pieces paired with a poor length ratio (every
	                            piece, when lim->strong_only) */
	size_t overfull;         /* pieces that still do not fit their layout */
} tandem__cut_plan;

/*
 * Choose the cuts of both sides of a segment together: a dynamic
 * programme over pairs of candidate cuts, scored by the pieces' length
 * ratio (each piece's share of one side's spoken weight against its share
 * of the other's), the cut classes on both sides, the layout (every piece fits
 * max_lines lines) and the duration each piece would get.  `tr` NULL (or
 * empty) cuts the source alone.  A piece that cannot be made to fit (a
 * word longer than a line) is kept whole and counted in overfull.
 * Returns 0, the plan filled (free it with tandem__cut_plan_free).
 */
int tandem__cut_pair(tandem__cutter *c, const char *src, bool src_cjk, const char *tr,
                     bool tr_cjk, const tandem__cut_limits *lim, tandem__cut_plan *plan);
void tandem__cut_plan_free(tandem__cut_plan *plan);

/*
 * Break text[0, len) into at most lay->max_lines balanced lines (UAX #14
 * through ICU's line break iterator, widths from utf8proc) joined by '\n',
 * edge spaces left out.  Never starts a Chinese line with closing
 * punctuation or a particle.  When it cannot fit, the fewest lines it can.
 * Returns a malloc'd string; *nlines, when not NULL, gets the line count.
 */
char *tandem__break_lines(tandem__cutter *c, const char *text, size_t len, bool cjk,
                          const tandem__layout *lay, size_t *nlines);

/* Lines text[0, len) needs at the least (greedy fill over line breaks). */
size_t tandem__lines_needed(tandem__cutter *c, const char *text, size_t len, bool cjk,
                            const tandem__layout *lay);

/* Does this code point not start a Chinese line (closing punctuation, a particle)? */
bool tandem__no_line_start(int32_t cp);

/*
 * tandem__cut_split with no piece holding fewer than min_letters letters
 * and digits (the aligner asks for 2: a piece of one character is no
 * segment's translation).  Cuts too near either end are left out; a cut
 * that leaves a short piece between two cuts is dropped and the split
 * chosen again.  Returns the quality as tandem__cut_split does; 0 (offs
 * untouched) when no such split exists.
 */
double tandem__cut_split_min(tandem__cutter *c, const char *text, size_t len, bool cjk,
                             const double *shares, size_t k, size_t min_letters, size_t *offs);

#endif
