/*
 * align_internal.h - the aligner's own pieces, shared by align.c,
 * align_text.c and align_lexicon.c and visible to tests/test_align.c:
 * the text features each segment contributes to the cost, and the lexicon.
 */
#ifndef TANDEM_ALIGN_INTERNAL_H
#define TANDEM_ALIGN_INTERNAL_H

#include "tandem_private.h"

#include <math.h>

/* How a segment ends: the segment-end evidence. */
typedef enum {
	TANDEM__END_MID = 0,    /* cut mid-sentence: no final punctuation, or a comma */
	TANDEM__END_FINAL = 1   /* . ? ! 。 ？ ！ … (closing quotes and brackets skipped) */
} tandem__end_class;

/* One token a segment offers for matching with the other side. */
typedef struct tandem__token {
	uint64_t hash;
	unsigned anchor : 1;    /* expected to survive translation (see align_text.c) */
	unsigned kind : 3;      /* TANDEM__TOK_* */
} tandem__token;

enum { TANDEM__TOK_WORD = 0, TANDEM__TOK_NUMBER = 1, TANDEM__TOK_URL = 2, TANDEM__TOK_LEX = 3 };

typedef struct tandem__tokens {
	tandem__token *v;
	size_t n, cap;
} tandem__tokens;

/*
 * Tokenise `s` (len bytes) and append its tokens to `out`: Latin words
 * (lower-cased, a possessive 's and a plural -s removed), URLs and domains
 * (scheme and www. removed), and numbers by value: ASCII and full-width
 * digits with an optional scale word (thousand, million, billion, 万, 亿, ...)
 * or %, English number words from two up, and simple Chinese numerals
 * (三个, 两年, 十亿, 百分之五十).  `cjk_doc` says the text's document is
 * mostly CJK: then every Latin word is an anchor (it was kept in the
 * translation on purpose); otherwise only capitalised words and words with
 * digits are.  Numbers and URLs are always anchors.
 */
void tandem__align_tokens(const char *s, size_t len, bool cjk_doc, tandem__tokens *out);

/* The hash tandem__align_tokens gives a number's value. */
uint64_t tandem__align_number_hash(double value);
/* The hash of a word (already normalised: lower case, no plural -s). */
uint64_t tandem__align_word_hash(const char *w, size_t len);

/* Grapheme clusters that are not white space: the length measure. */
size_t tandem__align_length(const char *s, size_t len);

tandem__end_class tandem__align_end(const char *s, size_t len);

/* Sentence ends inside the text: . ? ! 。 ？ ！ (a run counts once; "..."
 * and abbreviations such as "U.S." and "Mr." do not count). */
unsigned tandem__align_sentences(const char *s, size_t len);

/* A line that is not speech: all in brackets ([Music], [音乐], (laughs),
 * 【注】), or a translator's note (译者注, 译注, 注：, TN:). */
bool tandem__align_aside(const char *s, size_t len);

/* Clause marks inside the text: , ; : 、 — and their full-width forms. */
unsigned tandem__align_clauses(const char *s, size_t len);

/* Question and exclamation marks, ASCII or full-width. */
void tandem__align_marks(const char *s, size_t len, unsigned *questions, unsigned *exclaims);

/* The three above at once, in one pass. */
typedef struct tandem__align_punct {
	unsigned questions, exclaims, sentences, clauses;
} tandem__align_punct;
void tandem__align_punctuation(const char *s, size_t len, tandem__align_punct *p);

/*
 * Cut `s` into k pieces whose lengths follow `weights` (k of them, any
 * positive scale): cuts[0..k-2] receive byte offsets.  Cuts fall after
 * punctuation when one is near the proportional place, else between
 * words, else between CJK characters; never inside a grapheme.
 */
void tandem__align_split(const char *s, size_t len, const double *weights, size_t k,
                         size_t *cuts);

/* Append b to a with a space between unless the join is between CJK characters. */
void tandem__align_join(tandem_buf *a, const char *b);

/* ---- lexicon (align_lexicon.c) ---- */

/*
 * For one translation text, the hashes of the English words its lexicon
 * entries translate to (appended to `out` as tokens of kind WORD).
 */
void tandem__lexicon_lookup(const tandem_lexicon *lex, const char *s, size_t len,
                            tandem__tokens *out);

void tandem__tokens_push(tandem__tokens *t, uint64_t hash, bool anchor, int kind);

/* ---- the learned word-translation table (align_learn.c) ---- */

/*
 * What the table is learned over (appended to `out`, kind WORD, not
 * anchors): a Latin text's words, normalised like tandem__align_word_hash
 * (numbers left out); a CJK text's CJK characters (Latin words left out:
 * they are anchors).
 */
void tandem__align_units(const char *s, size_t len, bool cjk_doc, tandem__tokens *out);

typedef struct tandem__hmap {
	uint64_t *key;
	uint32_t *val;        /* UINT32_MAX: empty */
	size_t cap, n;
} tandem__hmap;

/* One document's units as vocabulary ids, segment by segment. */
typedef struct tandem__m1_side {
	tandem__hmap map;             /* unit hash -> vocabulary id */
	uint32_t *id;                 /* every unit's id, segments in order */
	size_t *start;                /* per segment: first unit; segments + 1 entries */
	size_t segs, cap;
	uint32_t *df, *last;          /* per id: segments holding it; the last one seen */
	size_t nv, vcap;
} tandem__m1_side;

typedef struct tandem__m1 {
	size_t n, m;                  /* source and translation segments */
	tandem__m1_side side[2];      /* the source's words, the translation's units */
	/* after training: */
	bool ready;
	size_t trained_links;
	uint32_t *wnew, *unew;        /* vocabulary id -> table id, or UINT32_MAX */
	size_t nw, nu;
	size_t *eoff;                 /* t(u|w) / p(u) by word: eoff[w]..eoff[w+1] */
	uint32_t *eunit;
	float *ep;
	size_t nentries;
	float *pu;                    /* p(u): the translation's unit frequencies */
	size_t *roff;                 /* the other direction, t(w|u) / p(w), by unit */
	uint32_t *rword;
	float *rp;
	float *wdense;                /* scratch over words, all 0 between calls */
	double lambda;                /* P(a unit is a word's translation, not background) */
	double log_bg, odds;          /* log(1 - lambda), lambda / (1 - lambda) */
	uint32_t *lsw, *ltu;          /* table ids per source / translation segment */
	size_t *lswoff, *ltuoff;
	uint32_t *pnu;                /* prefix counts of known units */
	uint32_t *pnw;                /* prefix counts of known words */
	double weight;                /* calibration of the summed ratio */
	float *dense[4];              /* S(u)/p(u) of the source segment slot[s] (s = segment % 4) */
	size_t slot[4];
	float *rowlog;                /* the current row's terms per unit (tandem__m1_row) */
	uint32_t *rowstamp;           /* the row they belong to */
	char *lend[2];                /* memory lent to training (tandem__m1_lend) */
	size_t lendn[2], lendused[2];
} tandem__m1;

/* A table for n source and m translation segments; their units come next. */
tandem__m1 *tandem__m1_new(size_t n, size_t m);
/* Room for `units` units of one side, so that adding them copies nothing. */
void tandem__m1_reserve(tandem__m1 *M, int translation, size_t units);
/* The units of the next source (translation = 0) or translation segment. */
void tandem__m1_add(tandem__m1 *M, int translation, const tandem__token *tok, size_t k);
void tandem__m1_free(tandem__m1 *M);
/*
 * Lend training scratch memory: region k (0 or 1) of `bytes` at p, whose
 * contents training overwrites; it must stay valid until tandem__m1_train
 * returns, and is not used after.  Optional: without it training takes
 * heap memory, whose fresh pages are most of its cost.
 */
void tandem__m1_lend(tandem__m1 *M, int k, void *p, size_t bytes);
/* Train on 1-1 links (si[k], tj[k]); false when there is too little to learn from. */
bool tandem__m1_train(tandem__m1 *M, const size_t *si, const size_t *tj, size_t npairs);
/*
 * For the runs of 1, 2, 3 source segments ending before segment i, and each
 * translation segment j in [j0, j1): g[3 (j - j0) + d - 1] = the part of the
 * ratio that depends on both sides, sum_u log(1 + S(u) / t(u|NULL)).
 */
void tandem__m1_row(tandem__m1 *M, size_t i, size_t j0, size_t j1, float *g);
/*
 * The ratio in the other direction: how well the translation segments
 * [j0, j1) explain the words of source segments [i0, i1), with t(w|u)
 * obtained from the table by Bayes' rule.  Weighted like tandem__m1_link.
 */
double tandem__m1_reverse(tandem__m1 *M, size_t i0, size_t i1, size_t j0, size_t j1);
/* t(u|w) for a word and a unit hash (tandem__align_units), 0 when not in the table. */
double tandem__m1_prob(const tandem__m1 *M, uint64_t word, uint64_t unit);

/* The learned evidence of a link [i0, i1) x [j0, j1) given the sum of its g over j. */
static inline double tandem__m1_link(const tandem__m1 *M, size_t i0, size_t i1, size_t j0,
                                     size_t j1, double gsum)
{
	if (M->pnw[i1] == M->pnw[i0])
		return 0; /* no known word: the model is the background, a ratio of 1 */
	return M->weight * (gsum + (M->pnu[j1] - M->pnu[j0]) * M->log_bg);
}

#endif
