/*
 * align_internal.h - the aligner's private header, shared by the files of
 * align/ and visible to tests/test_align.c: the text features each segment
 * contributes (tokens.c), the lexicon (lexicon.c), the learned table
 * (model1.c), and the aligner's model and search, whose files are
 *
 *   features.c  what each segment offers the score (lengths, anchors, sets)
 *   score.c     the model, its re-estimation, the per-run sums, anchors
 *   search.c    the banded Viterbi, margins, seed paths
 *   learn.c     training the table on a first pass; confidence; refinement
 *   run.c       tandem_align_run: the passes; unrelated input; timed tracks
 *   apply.c     the bilingual document and the JSON report
 *
 * The aligner pairs the segments of a source document with those of its
 * translation, repairing merged, split, missing and extra lines.
 *
 * The model.  An alignment is a monotone sequence of links, each joining
 * di source segments with dj translation segments, (di, dj) one of 1-1,
 * 1-2, 2-1, 1-3, 3-1, 2-2, 1-0, 0-1.  A link scores
 *
 *     log P(shape) + sum of evidence log-likelihood ratios
 *
 * where each evidence term is log P(feature | the two sides translate each
 * other) - log P(feature | two segments drawn at random from the two
 * documents).  Null links (1-0, 0-1) carry no evidence, only their prior, so
 * a pairing is kept only when its evidence beats leaving both sides
 * unpaired; unrelated text therefore scores about 0 per link and is not
 * forced into links.  The best alignment maximises the sum (Viterbi).
 *
 * Evidence terms:
 *  - length: r = log(lt + k) - log(c*ls + k), lengths in graphemes (not
 *    bytes, so a CJK character counts once), summed over the link's
 *    segments.  True links: r ~ N(0, s^2 (1 + L0/(L+1))), L = c ls + lt,
 *    since short texts vary more.  Random pairs: r ~ N(mu0, s0^2) from the
 *    two documents' length distributions.  c starts as the ratio
 *    of total lengths; c and s are re-estimated (median and MAD, robust to
 *    the wrong links of a first pass) from the first pass's 1-1 links.
 *  - anchors: tokens that survive translation (numbers by value, Latin
 *    words kept in a CJK text, capitalised names, URLs; see tokens.c).
 *    A token found on both sides scores log(p / q), missing on the other
 *    side log((1-p)/(1-q)), where q is the chance that a random run of
 *    segments of the other side holds it (its document frequency) and p
 *    the chance a true link keeps it (re-estimated).  Each token counts
 *    once per link, however many of its segments hold it.  Tokens that
 *    never occur on the other side carry no evidence.  Lexicon words
 *    (--lexicon) are anchors that score only when found.
 *  - learned word translations (model1.c, after Moore 2002): an IBM
 *    Model 1 table t(translation character | source word) trained by EM
 *    on the first pass's sure 1-1 links; its log-likelihood ratio against
 *    the translation's own character frequencies, weighted, from the
 *    second pass on.
 *  - segment ends (mid-sentence vs sentence-final), ?-marks, !-marks,
 *    speaker changes: 2x2 tables log P(a, b | link) / P(a) P(b),
 *    re-estimated from the first pass with pseudo-counts; the differences
 *    of sentence-end and clause-mark counts, the same way; which speaker
 *    pairs with which (names differ across languages), learned likewise.
 *  - asides ([音乐], translator's notes) pair only with asides.
 *  - time, when both sides are timed: 3 * (2 * IoU - 1) of the two spans,
 *    minus up to 3 for the gap between disjoint spans, minus 3 for each
 *    end cue lying mostly outside the other side's span.
 *
 * Search.  Viterbi over a band of translation indices per source row: O(n
 * band) time and memory.  The band starts around a seed path (the time
 * mapping when both sides are timed; otherwise a chain of tokens unique on
 * both sides, longest increasing subsequence, interpolated in cumulative
 * length) and follows the path: when the best path touches the band's
 * edge, the band is re-centred on that path and widened, and the pass is
 * run again.  A missing block thus shifts the band rather than breaking it.
 * It starts 8 either side of the seeds (24 gave the same links on every
 * benchmark case, perturbation levels 0.5-4, at three times the cost).
 *
 * Passes.  The first pass (on a 10,000-segment prefix of a long text)
 * gives the links every estimate above is re-estimated from, and the
 * learned table is trained on; the second aligns again with the table, in
 * a band of 6 around the first's path (a good centre: the table moves
 * links locally; 4 lost links where a long block of a translation with
 * no anchors was missing; the band still follows the path if it must).
 * A long text's second pass still follows the seeds, so the learned
 * table joins in a third, in a band of 6 around the second's path.
 *
 * Refinement.  Where a translation line was dropped, the search often keeps
 * its source segment inside a merged link with a neighbour, or leaves the
 * neighbour untranslated instead: the learned table, read as translation
 * given source, barely notices source words left unexplained.  Those
 * places (merged links, a null link next to a 1-1 link) are re-decided
 * with the table's other direction added (see tandem__align_refine()).
 *
 * Confidence.  A backward pass gives for every cell the best path through
 * it; a link's margin is how much worse the best path is that avoids the
 * link's rows' positions, and its score is 1 - exp(-margin).
 *
 * Unrelated input.  On a window of the result, the same search (without
 * the learned table) is run on the real translation order, in a band of 6
 * around the path found, and on a shuffled order, in a band of 12 around
 * the diagonal; if the real order gains less than 0.35 nats per source
 * segment, the translation is not a translation of the source and no
 * links are reported.
 */
#ifndef TANDEM_ALIGN_INTERNAL_H
#define TANDEM_ALIGN_INTERNAL_H

#include "fit.h"
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
	unsigned anchor : 1;    /* expected to survive translation (see tokens.c) */
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
void tandem__align_join(tandem__buf *a, const char *b);

/* ---- lexicon (lexicon.c) ---- */

/*
 * For one translation text, the hashes of the English words its lexicon
 * entries translate to (appended to `out` as tokens of kind WORD).
 */
void tandem__lexicon_lookup(const tandem_lexicon *lex, const char *s, size_t len,
                            tandem__tokens *out);

void tandem__tokens_push(tandem__tokens *t, uint64_t hash, bool anchor, int kind);

/* ---- the learned word-translation table (model1.c) ---- */

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

/* ---- the aligner's model and search ---- */

enum { SH_11, SH_12, SH_21, SH_13, SH_31, SH_22, SH_10, SH_01, NSHAPES };
/*
 * The shapes with both sides non-empty come first: only their scores are
 * cached (band.ev); a 1-0 or 0-1 link scores its prior alone.  A quarter
 * less cache: the demo podcast's first pass (27,602 cells) writes 660 KB,
 * not 880 KB, ~50 fewer page faults.
 */
#define NEV SH_10
static const int sh_di[NSHAPES] = {1, 1, 2, 1, 3, 2, 1, 0};
static const int sh_dj[NSHAPES] = {1, 2, 1, 3, 1, 2, 0, 1};
enum { BIN_END, BIN_Q, BIN_X, BIN_SPK, NBIN };
enum { CNT_SENT, CNT_CLAUSE };
#define NSPK 16
#define LTAB 1024

/* An anchor token of one segment and its evidence weights. */
typedef struct anchor_ev {
	uint64_t h;
	float wm[3], wx[3];   /* match / miss weights for 1, 2, 3 segments on the other side */
	float q;              /* document frequency on the other side, as a fraction */
	uint8_t lex;
} anchor_ev;

typedef struct feat {
	double len;           /* graphemes, less lat */
	double lat;           /* Latin letters and digits in a CJK text facing a non-CJK one */
	uint32_t aoff, an;    /* anchors */
	uint32_t soff, sn;    /* sorted token set for the other side's anchors */
	uint64_t bloom;       /* one bit per set member (hash & 63): a quick "not there" */
	uint64_t abloom;      /* the same for its anchors */
	uint8_t end, q, x, chg;
	uint8_t cnt[2];       /* sentence ends, clause marks inside; capped at 15 */
	uint8_t aside;        /* [音乐], (translator's note): not speech */
	uint8_t spk;          /* speaker id within its document (NSPK-1: none or other) */
	int64_t t0, t1;
} feat;

typedef struct model {
	double c, kappa, s, mu0, s0;
	double inv_s, inv_s0, lnorm;   /* derived: 1/s, 1/s0, log(s0/s) */
	/* Short texts vary more: Var(r) = s^2 (1 + L0/(L+1)), L = c ls + lt; by L: */
	double vinv[LTAB], vnorm[LTAB];  /* 1/Var, log(s0) - log(sd) */
	double bin[NBIN][2][2];
	double cnt[2][5];     /* LLR of (translation - source) counts, -2..2 */
	double spk[NSPK][NSPK];  /* LLR of the speaker pair, learned from a first pass */
	bool use_spk;
	bool use_cnt[2];
	bool use_bin[NBIN];
	double prior[NSHAPES];
	double p_keep, p_lex;
	bool timed;
} model;

typedef struct ctx {
	feat *S, *T;
	size_t n, m;
	anchor_ev *anchors;
	size_t nanch;
	uint64_t *sets;
	size_t nsets;
	model M;
	double margS[2], margT[NBIN][2];
	double pS[NBIN][2], pT[NBIN][2];
	double cnt_rand[2][5];  /* P(difference) for random pairs */
	bool speakers;          /* both documents name speakers */
	bool cjkT;              /* the translation is mostly CJK */
	tandem__m1 *m1;         /* the learned word-translation table (model1.c) */
} ctx;

/* What a run of 1..3 segments ending at a row offers, summed once. */
typedef struct agg {
	uint8_t q, x, aside, cnt[2];
	uint32_t an;
	uint64_t bloom, abloom;   /* token sets; anchors */
} agg;

typedef struct view {
	const feat *S, *T;
	size_t n, m;
	double *lS, *lT;      /* [i*3 + d-1]: log length of the d segments before i */
	float *sS, *sT;       /* the lengths themselves, in translation units */
	agg *gS, *gT;  /* the same runs' other features */
	/*
	 * The same runs' anchors, each once (the first segment holding it
	 * keeps it): indices into ctx.anchors, run [i*3 + d-1] at
	 * dS[dSoff[i*3 + d-1] .. dSoff[i*3 + d]).
	 */
	uint32_t *dS, *dT, *dSoff, *dToff;
	/*
	 * What anchor_llr sums over a run's anchors when none is found on the
	 * other side (of 1, 2, 3 segments): [run * 3 + d-1], summed in the
	 * same order, so the fast path gives the same bits.
	 */
	double *xS, *xT;
	tandem__m1 *m1;       /* learned evidence, for the whole documents only */
} view;

typedef struct link {
	size_t i, j;          /* start */
	uint8_t sh;           /* the shape the search chose */
	double score;
	size_t ni, nj;        /* segments on each side (nj may exceed 3 after attach_by_time) */
} link;

struct tandem_alignment {
	link *links;
	size_t nlinks;
	size_t n, m, translated;
	bool related;
	bool use_translation_field;
	bool tr_cjk;           /* the translation is mostly CJK: cut as Chinese */
};

typedef struct band {
	size_t n, m;
	size_t *lo, *hi, *off;
	size_t cells;
	uint8_t *bp;
	size_t capcells;
	/*
	 * Forward scores, then (when cached) link scores by end cell and
	 * shape, kept for the backward pass: one block of capbytes, so that
	 * training can borrow it whole (see tandem__align_learn()).
	 */
	double *F;
	float *ev;
	size_t capbytes;
	bool want_ev;
	/*
	 * The learned table's sums (tandem__m1_row), 3 per entry; row i covers
	 * j in [glo(i), hi[i]], glo(i) = lo[i] - 2 (links of 2 or 3 translation
	 * segments reach left of the row), entry j for translation segment j-1.
	 */
	float *g;
	size_t *goff;
	size_t capg;
} band;

/* ---- features.c ---- */

/* Whether most of d's segments carry a translation (a bilingual document). */
bool tandem__align_bilingual(const tandem_doc *d);
/*
 * Fill C->S and C->T (allocated here, C->n and C->m set before), the
 * anchors and token sets, and C->m1 (a new learned table holding both
 * documents' units).  `use_tr`: the translation's text is its segments'
 * translation field.
 */
void tandem__align_features(ctx *C, const tandem_doc *source, const tandem_doc *translation,
                            bool use_tr, const tandem_lexicon *lex);

/* ---- score.c ---- */

/* The model's first estimates, before any pass. */
void tandem__align_model_init(ctx *C, bool timed, bool speakers);
/* Re-estimate the model from a pass's links (its 1-1 links mostly). */
void tandem__align_reestimate(ctx *C, const link *L, size_t nl);
/* The per-run sums of v->S[0, n) and v->T[0, m) that link scores read. */
void tandem__align_view_logs(view *v, const ctx *C);
/* Free them; the view keeps its sides and counts. */
void tandem__align_view_free(view *v);
/* Each anchor counts once per link (see score.c). */
double tandem__align_anchor_llr(const ctx *C, const view *V, size_t i0, size_t i1, size_t j0,
                                size_t j1, const agg *gs, const agg *gt);

/* ---- search.c ---- */

void tandem__align_band_free(band *B);
/*
 * Run the banded search from a centre path, widening and re-centring while
 * the best path runs along the band's edge.  Returns the links (*nl of
 * them); B keeps the final band and forward scores; rmin/rmax[0..n] each
 * row's path span; *total the best path's score.
 */
link *tandem__align_search(const ctx *C, const view *V, band *B, double *cmin, double *cmax,
                           size_t W, int iters, size_t *nl, size_t *rmin, size_t *rmax,
                           double *total);
/* The centre of the next band: the path, interpolated over rows it jumps. */
void tandem__align_path_centre(const size_t *rmin, const size_t *rmax, size_t n, double *cmin,
                               double *cmax);
/* Margins: best path minus the best path through an off-path cell, per row. */
void tandem__align_row_margins(const ctx *C, const view *V, const band *B, double total,
                               const size_t *rmin, const size_t *rmax, double *margin);
/* A seed path c[0..n] from tokens unique on both sides (near `guide`, within D rows, when given). */
void tandem__align_seed_anchors(const ctx *C, double *c, const double *guide, double D);
/* Both timed: a seed path from the times; false when they cannot give one. */
bool tandem__align_seed_times(const ctx *C, double *c);

/* ---- learn.c ---- */

/* A link's confidence from its rows' margins: 1 - exp(-margin). */
double tandem__align_link_conf(const link *l, const double *margin);
/*
 * Train the learned table (model1.c) on the 1-1 links of the first pass
 * that it is sure of; C->m1 is freed when there is too little.  Frees V's
 * sums (their memory serves training).
 */
void tandem__align_learn(ctx *C, view *V, const band *B, double total, const size_t *rmin,
                         const size_t *rmax, const link *L, size_t nl);
/* Re-decide merged links and dropped lines with the table's other direction; frees L. */
link *tandem__align_refine(const ctx *C, const view *V, const band *B, link *L, size_t *nl);

/* ---- apply.c ---- */

/*
 * Link l's translation lines joined into b, and when l has several source
 * segments and offs is not NULL, where b is cut over them: offs[0 .. ni-1) the byte offsets
 * where pieces 1 .. ni-1 start.  The cut is fit/'s cut finder (no cut
 * inside a Chinese word, none before a particle; shares the source
 * segments' spoken weights; no piece of fewer than two letters), opened in
 * *cut on first use (the caller frees it).  Returns the cut's quality in
 * [0, 1] (1 for one source segment, or when ICU cannot cut); 0 when no cut
 * leaves every piece two letters (then the whole line goes to the segment
 * with the largest share).
 */
double tandem__align_cut_link(tandem__cutter **cut, const tandem_doc *source,
                              const tandem_doc *translation, bool use_tr, bool cjk,
                              const link *l, tandem__buf *b, size_t *offs);

/* ---- inline pieces of the score and the band ---- */

/* One document side's text: a bilingual translation's translation field. */
static inline const char *tandem__align_side_text(const tandem_doc *d, size_t i, bool use_tr)
{
	if (use_tr) {
		const char *t = tandem_seg_translation(d, i);
		return t ? t : "";
	}
	return tandem_seg_text(d, i);
}

/* Whether a sorted, unique set v[0, n) holds h. */
static inline bool tandem__align_hset_has(const uint64_t *v, size_t n, uint64_t h)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == h;
}

/* Lengths in each side's own units: Latin runs of a CJK text converted by c. */
static inline double lenS(const feat *f, double c)
{
	return f->len + f->lat / c;
}

static inline double lenT(const feat *f, double c)
{
	return f->len + f->lat * c;
}

static inline int cnt_bin(int d)
{
	return (d < -2 ? -2 : d > 2 ? 2 : d) + 2;
}

static inline bool in_band(const band *B, size_t i, size_t j)
{
	return j >= B->lo[i] && j <= B->hi[i];
}

static inline size_t cell(const band *B, size_t i, size_t j)
{
	return B->off[i] + (j - B->lo[i]);
}

static inline size_t glo(const band *B, size_t i)
{
	return B->lo[i] >= 2 ? B->lo[i] - 2 : 0;
}

static inline const float *gcell(const band *B, size_t i, size_t j)
{
	return B->g ? B->g + 3 * (B->goff[i] + (j - glo(B, i))) : NULL;
}

/* 3 when less than half of [c0, c1] lies inside [s0, s1], else 0. */
static inline double outside(int64_t c0, int64_t c1, int64_t s0, int64_t s1)
{
	if (c0 == TANDEM_NO_TIME || c1 == TANDEM_NO_TIME || c1 <= c0)
		return 0;
	int64_t lo = c0 > s0 ? c0 : s0, hi = c1 < s1 ? c1 : s1;
	return (hi > lo ? hi - lo : 0) * 2 < c1 - c0 ? 3 : 0;
}

static inline double time_llr(const feat *S, size_t i0, size_t i1, const feat *T, size_t j0, size_t j1)
{
	int64_t a0 = S[i0].t0, a1 = S[i1 - 1].t1, b0 = T[j0].t0, b1 = T[j1 - 1].t1;
	if (a0 == TANDEM_NO_TIME || a1 == TANDEM_NO_TIME || b0 == TANDEM_NO_TIME ||
	    b1 == TANDEM_NO_TIME || a1 < a0 || b1 < b0)
		return 0;
	int64_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
	int64_t ulo = a0 < b0 ? a0 : b0, uhi = a1 > b1 ? a1 : b1;
	double uni = (double)(uhi - ulo);
	double inter = hi > lo ? (double)(hi - lo) : 0;
	double iou = uni > 0 ? inter / uni : 1;
	double v = 3 * (2 * iou - 1);
	if (hi < lo) {
		double gap = (double)(lo - hi) / 1000.0;
		v -= gap < 3 ? gap : 3;
	}
	/*
	 * Every cue of a link should lie mostly inside the other side's span:
	 * a cue hanging outside belongs to a neighbour (or to nothing).  The end
	 * cues tell; those between lie inside when they do.
	 */
	v -= outside(S[i0].t0, S[i0].t1, b0, b1) + (i1 - i0 > 1 ? outside(S[i1 - 1].t0, S[i1 - 1].t1, b0, b1) : 0);
	v -= outside(T[j0].t0, T[j0].t1, a0, a1) + (j1 - j0 > 1 ? outside(T[j1 - 1].t0, T[j1 - 1].t1, a0, a1) : 0);
	return v;
}

static inline int bin_val(const feat *f, int b)
{
	return b == BIN_END ? f->end : b == BIN_Q ? f->q : b == BIN_X ? f->x : f->chg;
}

/*
 * Evidence of a link ending at (i, j) with shape sh: the LLR sum, no prior.
 * gj: the learned table's row sums at (i, j) (3 per cell, cells of a row
 * adjacent; see m1_fill), or NULL without a table.
 */
static inline __attribute__((always_inline)) double link_evidence(const ctx *C, const view *V, size_t i, size_t j, int sh,
                            const float *gj)
{
	int di = sh_di[sh], dj = sh_dj[sh];
	if (!di || !dj)
		return 0;
	const model *M = &C->M;
	size_t i0 = i - (size_t)di, j0 = j - (size_t)dj;
	double r = V->lT[j * 3 + dj - 1] - V->lS[i * 3 + di - 1];
	double L = (double)V->sS[i * 3 + di - 1] + (double)V->sT[j * 3 + dj - 1];
	int li = L < LTAB - 1 ? (int)L : LTAB - 1;
	double z0 = (r - M->mu0) * M->inv_s0;
	double e = 0.5 * (z0 * z0 - r * r * M->vinv[li]) + M->vnorm[li];
	if (e < -25)
		e = -25;
	const feat *S = V->S, *T = V->T;
	const agg *gs = &V->gS[i * 3 + di - 1], *gt = &V->gT[j * 3 + dj - 1];
	if (M->use_bin[BIN_END])
		e += M->bin[BIN_END][S[i - 1].end][T[j - 1].end];
	if (M->use_bin[BIN_Q])
		e += M->bin[BIN_Q][gs->q][gt->q];
	if (M->use_bin[BIN_X])
		e += M->bin[BIN_X][gs->x][gt->x];
	if (M->use_bin[BIN_SPK])
		e += M->bin[BIN_SPK][S[i0].chg][T[j0].chg];
	if (M->use_spk)
		e += M->spk[S[i0].spk][T[j0].spk];
	/* An aside ([音乐], a translator's note) pairs only with an aside. */
	if (gs->aside != gt->aside)
		e -= 5.0 * (gs->aside > gt->aside ? gs->aside - gt->aside : gt->aside - gs->aside);
	for (int f = 0; f < 2; f++)
		if (M->use_cnt[f])
			e += M->cnt[f][cnt_bin((int)gt->cnt[f] - (int)gs->cnt[f])];
	if (M->timed)
		e += time_llr(S, i0, i, T, j0, j);
	if (gs->an + gt->an) {
		/*
		 * Mostly neither side's anchors can be on the other (their bloom
		 * bits miss): then only the misses add up, summed before.
		 */
		size_t rs = i * 3 + (size_t)di - 1, rt = j * 3 + (size_t)dj - 1;
		bool s_miss = !(gs->abloom & gt->bloom);
		bool t_miss = !(gt->abloom & (gs->bloom | gs->abloom));
		if (s_miss && V->dToff[rt] == V->dToff[rt + 1])
			e += V->xS[rs * 3 + (size_t)dj - 1];
		else if (t_miss && V->dSoff[rs] == V->dSoff[rs + 1])
			e += V->xT[rt * 3 + (size_t)di - 1];
		else
			e += tandem__align_anchor_llr(C, V, i0, i, j0, j, gs, gt);
	}
	if (gj) {
		double g = 0;
		for (int k = 0; k < dj; k++)
			g += (double)gj[di - 1 - 3 * k];
		e += tandem__m1_link(V->m1, i0, i, j0, j, g);
	}
	return e;
}

static inline __attribute__((always_inline)) double link_score(const ctx *C, const view *V, size_t i, size_t j, int sh,
                                const float *gj)
{
	return C->M.prior[sh] + link_evidence(C, V, i, j, sh, gj);
}

#endif
