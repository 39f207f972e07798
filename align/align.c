/*
 * align.c - the aligner: pairs the segments of a source document with those
 * of its translation, repairing merged, split, missing and extra lines.
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
 *    words kept in a CJK text, capitalised names, URLs; see align_text.c).
 *    A token found on both sides scores log(p / q), missing on the other
 *    side log((1-p)/(1-q)), where q is the chance that a random run of
 *    segments of the other side holds it (its document frequency) and p
 *    the chance a true link keeps it (re-estimated).  Each token counts
 *    once per link, however many of its segments hold it.  Tokens that
 *    never occur on the other side carry no evidence.  Lexicon words
 *    (--lexicon) are anchors that score only when found.
 *  - learned word translations (align_learn.c, after Moore 2002): an IBM
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
 * with the table's other direction added (see refine()).
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
#include "align_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
static const double sh_prior0[NSHAPES] = {0.80, 0.05, 0.07, 0.006, 0.012, 0.006, 0.03, 0.02};

enum { BIN_END, BIN_Q, BIN_X, BIN_SPK, NBIN };
enum { CNT_SENT, CNT_CLAUSE };
/* How strongly a true link is expected to agree on each binary feature. */
static const double bin_agree0[NBIN] = {0.85, 0.85, 0.75, 0.8};

#define UNRELATED_GAIN 0.35
#define LEARN_CONF 0.9
#define LEARNED_BAND 6
#define DEFAULT_BAND 8
#define PATH_BAND 6
#define SHUFFLE_BAND 12
#define NSPK 16
#define FIRST_PASS_ROWS 10000
#define LTAB 1024
#define L0 120.0
#define MAX_CELLS ((size_t)24 * 1000 * 1000)
#define EV_CACHE_MAX ((size_t)16 * 1000 * 1000)

typedef struct anchor {
	uint64_t h;
	float wm[3], wx[3];   /* match / miss weights for 1, 2, 3 segments on the other side */
	float q;              /* document frequency on the other side, as a fraction */
	uint8_t lex;
} anchor;

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
	anchor *anchors;
	size_t nanch;
	uint64_t *sets;
	size_t nsets;
	model M;
	double margS[2], margT[NBIN][2];
	double pS[NBIN][2], pT[NBIN][2];
	double cnt_rand[2][5];  /* P(difference) for random pairs */
	bool speakers;          /* both documents name speakers */
	tandem__m1 *m1;         /* the learned word-translation table (align_learn.c) */
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
};

/* ------------------------------------------------------------------ */
/* Features                                                            */
/* ------------------------------------------------------------------ */

static const char *side_text(const tandem_doc *d, size_t i, bool use_tr)
{
	if (use_tr) {
		const char *t = tandem_seg_translation(d, i);
		return t ? t : "";
	}
	return tandem_seg_text(d, i);
}

static bool doc_is_cjk(const tandem_doc *d, bool use_tr)
{
	size_t han = 0, latin = 0;
	size_t n = tandem_doc_count(d), step = n > 400 ? n / 400 : 1;
	for (size_t i = 0; i < n; i += step) {
		const char *s = side_text(d, i, use_tr);
		tandem_script_counts k = tandem_text_scripts(s, strlen(s));
		han += k.han;
		latin += k.latin;
	}
	return han * 3 > latin;
}

static bool doc_is_bilingual(const tandem_doc *d)
{
	size_t n = tandem_doc_count(d), k = 0;
	for (size_t i = 0; i < n; i++)
		if (tandem_seg_translation(d, i))
			k++;
	return n && k * 2 > n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* A sorted, unique set of hashes. */
typedef struct hset {
	uint64_t *v;
	size_t n;
} hset;

static bool hset_has(const uint64_t *v, size_t n, uint64_t h)
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

static size_t uniq(uint64_t *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_u64);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

typedef struct raw {
	tandem__tokens tok;
	size_t *start;          /* per segment: first token, n+1 entries */
} raw;

static void tokenize_doc(const tandem_doc *d, bool use_tr, bool cjk, bool split_latin,
                         const tandem_lexicon *lex, raw *r, feat *f, tandem__m1 *m1,
                         int m1_side, tandem__tokens *units)
{
	size_t n = tandem_doc_count(d), nspk = 0;
	const char *names[NSPK];
	r->start = tandem__xmalloc((n + 1) * sizeof *r->start);
	/*
	 * Room for more tokens than the text is likely to give (one per four
	 * bytes; it still grows if not): doubling would copy the tokens into
	 * fresh pages several times over, and untouched room costs nothing.
	 */
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += strlen(side_text(d, i, use_tr));
	if (r->tok.cap < bytes / 4 + 64) {
		r->tok.cap = bytes / 4 + 64;
		r->tok.v = tandem__xrealloc(r->tok.v, r->tok.cap * sizeof *r->tok.v);
	}
	/* the learned table's units: a word takes two bytes or more, a CJK character three */
	tandem__m1_reserve(m1, m1_side, bytes / 2 + 64);
	for (size_t i = 0; i < n; i++) {
		const char *s = side_text(d, i, use_tr);
		size_t len = strlen(s);
		r->start[i] = r->tok.n;
		/* what the learned table is over, one segment at a time */
		units->n = 0;
		tandem__align_units(s, len, cjk, units);
		tandem__m1_add(m1, m1_side, units->v, units->n);
		tandem__align_tokens(s, len, cjk, &r->tok);
		if (lex && cjk)
			tandem__lexicon_lookup(lex, s, len, &r->tok);
		f[i].len = (double)tandem__align_length(s, len);
		if (split_latin) {
			/* a name kept in a CJK text is as long as in the Latin one */
			size_t lat = 0;
			for (size_t k = 0; k < len; k++)
				lat += s[k] > 0 && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
				                    (s[k] >= '0' && s[k] <= '9'));
			f[i].lat = (double)lat;
			f[i].len -= f[i].len >= (double)lat ? (double)lat : f[i].len;
		}
		f[i].end = (uint8_t)tandem__align_end(s, len);
		tandem__align_punct pc;
		tandem__align_punctuation(s, len, &pc);
		f[i].q = pc.questions > 0;
		f[i].aside = tandem__align_aside(s, len);
		unsigned se = pc.sentences, cl = pc.clauses;
		f[i].cnt[CNT_SENT] = (uint8_t)(se > 15 ? 15 : se);
		f[i].cnt[CNT_CLAUSE] = (uint8_t)(cl > 15 ? 15 : cl);
		f[i].x = pc.exclaims > 0;
		const char *sp = tandem_seg_speaker(d, i);
		const char *pp = i ? tandem_seg_speaker(d, i - 1) : NULL;
		f[i].chg = i == 0 || (sp && (!pp || strcmp(sp, pp) != 0));
		/* speakers by first appearance; names need not match across languages */
		f[i].spk = NSPK - 1;
		for (size_t k = 0; sp && k < nspk; k++)
			if (strcmp(names[k], sp) == 0)
				f[i].spk = (uint8_t)k;
		if (sp && f[i].spk == NSPK - 1 && nspk < NSPK - 1) {
			names[nspk] = sp;
			f[i].spk = (uint8_t)nspk++;
		}
		f[i].t0 = tandem_seg_start(d, i);
		f[i].t1 = tandem_seg_end(d, i);
	}
	r->start[n] = r->tok.n;
}

/* Anchors of one side that are expected on the other: the universe. */
static hset anchor_universe(const raw *r, bool lex_ok)
{
	hset u;
	u.v = tandem__xmalloc((r->tok.n + 1) * sizeof *u.v);
	u.n = 0;
	for (size_t k = 0; k < r->tok.n; k++)
		if (r->tok.v[k].anchor && (lex_ok || r->tok.v[k].kind != TANDEM__TOK_LEX))
			u.v[u.n++] = r->tok.v[k].hash;
	u.n = uniq(u.v, u.n);
	return u;
}

/* Token sets: each segment's distinct tokens that the other side anchors on. */
static void build_sets(ctx *C, const raw *r, feat *f, size_t n, const hset *other, uint64_t *tmp,
                       size_t *cap)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		for (size_t t = r->start[i]; t < r->start[i + 1]; t++)
			if (r->tok.v[t].kind != TANDEM__TOK_LEX && hset_has(other->v, other->n, r->tok.v[t].hash))
				tmp[k++] = r->tok.v[t].hash;
		k = uniq(tmp, k);
		if (C->nsets + k > *cap) {
			*cap = (*cap + k) * 2;
			C->sets = tandem__xrealloc(C->sets, *cap * sizeof *C->sets);
		}
		f[i].soff = (uint32_t)C->nsets;
		f[i].sn = (uint32_t)k;
		f[i].bloom = 0;
		for (size_t t = 0; t < k; t++)
			f[i].bloom |= 1ULL << (tmp[t] & 63);
		if (k)
			memcpy(C->sets + C->nsets, tmp, k * sizeof *tmp);
		C->nsets += k;
	}
}

/* Document frequency of h among segment sets of one side. */
typedef struct dfent {
	uint64_t h;
	uint32_t df;
} dfent;

static int cmp_dfent(const void *a, const void *b)
{
	const dfent *x = a, *y = b;
	return x->h < y->h ? -1 : x->h > y->h;
}

static dfent *df_table(const ctx *C, const feat *f, size_t n, size_t *count)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += f[i].sn;
	uint64_t *all = tandem__xmalloc((total + 1) * sizeof *all);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (uint32_t t = 0; t < f[i].sn; t++)
			all[k++] = C->sets[f[i].soff + t];
	qsort(all, k, sizeof *all, cmp_u64);
	dfent *d = tandem__xmalloc((k + 1) * sizeof *d);
	size_t nd = 0;
	for (size_t i = 0; i < k; i++) {
		if (nd && d[nd - 1].h == all[i])
			d[nd - 1].df++;
		else
			d[nd++] = (dfent){all[i], 1};
	}
	free(all);
	*count = nd;
	return d;
}

static uint32_t df_of(const dfent *d, size_t n, uint64_t h)
{
	dfent key = {h, 0};
	const dfent *e = bsearch(&key, d, n, sizeof *d, cmp_dfent);
	return e ? e->df : 0;
}

static void build_anchors(ctx *C, const raw *r, feat *f, size_t n, const dfent *odf, size_t nodf,
                          size_t other_n, size_t *cap)
{
	uint64_t *seen = tandem__xmalloc(64 * sizeof *seen);
	size_t seencap = 64;
	for (size_t i = 0; i < n; i++) {
		f[i].aoff = (uint32_t)C->nanch;
		size_t ns = 0;
		for (size_t t = r->start[i]; t < r->start[i + 1]; t++) {
			const tandem__token *tk = &r->tok.v[t];
			if (!tk->anchor)
				continue;
			bool dup = false;
			for (size_t k = 0; k < ns; k++)
				if (seen[k] == tk->hash)
					dup = true;
			if (dup)
				continue;
			uint32_t df = df_of(odf, nodf, tk->hash);
			if (!df)
				continue;
			/* a lexicon word in most segments ("we") is no evidence, only work */
			if (tk->kind == TANDEM__TOK_LEX && (double)df > 0.2 * (double)other_n)
				continue;
			if (ns == seencap) {
				seencap *= 2;
				seen = tandem__xrealloc(seen, seencap * sizeof *seen);
			}
			seen[ns++] = tk->hash;
			if (C->nanch == *cap) {
				*cap = *cap ? *cap * 2 : 256;
				C->anchors = tandem__xrealloc(C->anchors, *cap * sizeof *C->anchors);
			}
			anchor *a = &C->anchors[C->nanch++];
			memset(a, 0, sizeof *a);
			a->h = tk->hash;
			a->q = (float)((double)df / (double)(other_n ? other_n : 1));
			a->lex = tk->kind == TANDEM__TOK_LEX;
		}
		f[i].an = (uint32_t)(C->nanch - f[i].aoff);
		f[i].abloom = 0;
		for (uint32_t k = 0; k < f[i].an; k++)
			f[i].abloom |= 1ULL << (C->anchors[f[i].aoff + k].h & 63);
	}
	free(seen);
}

static void anchor_weights(ctx *C)
{
	for (size_t k = 0; k < C->nanch; k++) {
		anchor *a = &C->anchors[k];
		double p = a->lex ? C->M.p_lex : C->M.p_keep;
		for (int d = 0; d < 3; d++) {
			double q = 1 - pow(1 - (double)a->q, d + 1);
			if (q > 0.95)
				q = 0.95;
			if (q < 1e-6)
				q = 1e-6;
			double wm = log(p / q), wx = log((1 - p) / (1 - q));
			if (wm > 6)
				wm = 6;
			if (wm < -1)
				wm = -1;
			if (a->lex) {
				wm *= 0.5;
				wx = 0;
			}
			a->wm[d] = (float)wm;
			a->wx[d] = (float)wx;
		}
	}
}

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

static void set_bin_from(ctx *C, int b, double cnt[2][2], double alpha)
{
	/*
	 * P(t | s) for true links, smoothed toward a prior that tilts the
	 * translation's own marginal toward agreement by agree/(1-agree).
	 */
	double odds = bin_agree0[b] / (1 - bin_agree0[b]);
	for (int s = 0; s < 2; s++) {
		double row = cnt[s][0] + cnt[s][1];
		double z = C->pT[b][s] * odds + C->pT[b][1 - s];
		for (int t = 0; t < 2; t++) {
			double pt = C->pT[b][t];
			double p0 = pt * (s == t ? odds : 1) / z;
			double p = (cnt[s][t] + alpha * p0) / (row + alpha);
			double v = log(p / (pt > 1e-3 ? pt : 1e-3));
			if (v > 3)
				v = 3;
			if (v < -3)
				v = -3;
			C->M.bin[b][s][t] = v;
		}
	}
}

static double mean_var(const double *v, size_t n, double *var)
{
	double m = 0, q = 0;
	for (size_t i = 0; i < n; i++)
		m += v[i];
	m /= n ? (double)n : 1;
	for (size_t i = 0; i < n; i++)
		q += (v[i] - m) * (v[i] - m);
	*var = n > 1 ? q / (double)(n - 1) : 1;
	return m;
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

static void derive(model *M)
{
	M->inv_s = 1 / M->s;
	M->inv_s0 = 1 / M->s0;
	M->lnorm = log(M->s0 / M->s);
	for (int L = 0; L < LTAB; L++) {
		double var = M->s * M->s * (1 + L0 / (L + 1));
		M->vinv[L] = 1 / var;
		M->vnorm[L] = log(M->s0) - 0.5 * log(var);
	}
}

/* The random-pair length model for the current c. */
static void null_length(ctx *C)
{
	double *v = tandem__xmalloc((C->n + C->m + 1) * sizeof *v);
	double vs, vt;
	for (size_t i = 0; i < C->n; i++)
		v[i] = log(C->M.c * lenS(&C->S[i], C->M.c) + C->M.kappa);
	double ms = mean_var(v, C->n, &vs);
	for (size_t j = 0; j < C->m; j++)
		v[j] = log(lenT(&C->T[j], C->M.c) + C->M.kappa);
	double mt = mean_var(v, C->m, &vt);
	free(v);
	C->M.mu0 = mt - ms;
	C->M.s0 = sqrt(vs + vt);
	if (C->M.s0 < 0.2)
		C->M.s0 = 0.2;
}

/* Before any data: differences of sentence and clause counts, -2..2. */
static const double cnt_true0[2][5] = {{0.05, 0.15, 0.6, 0.15, 0.05},
                                       {0.1, 0.2, 0.4, 0.2, 0.1}};

static int cnt_bin(int d)
{
	return (d < -2 ? -2 : d > 2 ? 2 : d) + 2;
}

static void cnt_set(ctx *C, int f, const double cnt[5], double alpha)
{
	double tot = 0;
	for (int d = 0; d < 5; d++)
		tot += cnt[d];
	for (int d = 0; d < 5; d++) {
		double p = (cnt[d] + alpha * cnt_true0[f][d]) / (tot + alpha);
		double v = log(p / C->cnt_rand[f][d]);
		C->M.cnt[f][d] = v > 3 ? 3 : v < -3 ? -3 : v;
	}
}

/* Sentence and clause counts: the random-pair distribution of their difference. */
static void cnt_init(ctx *C)
{
	for (int f = 0; f < 2; f++) {
		double hs[16] = {0}, ht[16] = {0};
		for (size_t i = 0; i < C->n; i++)
			hs[C->S[i].cnt[f]]++;
		for (size_t j = 0; j < C->m; j++)
			ht[C->T[j].cnt[f]]++;
		double r[5] = {0};
		for (int a = 0; a < 16; a++)
			for (int b = 0; b < 16; b++)
				r[cnt_bin(b - a)] += hs[a] / (double)C->n * ht[b] / (double)C->m;
		for (int d = 0; d < 5; d++)
			C->cnt_rand[f][d] = r[d] > 1e-3 ? r[d] : 1e-3;
		/* No such marks on a side (bare subtitles): nothing to learn. */
		C->M.use_cnt[f] = hs[0] < (double)C->n * 0.9 && ht[0] < (double)C->m * 0.9;
		double zero[5] = {0};
		cnt_set(C, f, zero, 1);
	}
}

static void model_init(ctx *C, bool timed, bool speakers)
{
	model *M = &C->M;
	double ls = 0, lt = 0;
	for (size_t i = 0; i < C->n; i++)
		ls += C->S[i].len;
	for (size_t j = 0; j < C->m; j++)
		lt += C->T[j].len;
	M->c = ls > 0 && lt > 0 ? lt / ls : 1;
	/* with Latin runs converted by c itself: a fixed point */
	for (int it = 0; it < 8; it++) {
		ls = lt = 0;
		for (size_t i = 0; i < C->n; i++)
			ls += lenS(&C->S[i], M->c);
		for (size_t j = 0; j < C->m; j++)
			lt += lenT(&C->T[j], M->c);
		if (ls > 0 && lt > 0)
			M->c = lt / ls;
	}
	M->kappa = 1 + 2 * M->c;
	null_length(C);
	M->s = M->s0 * 0.5 < 0.4 ? M->s0 * 0.5 : 0.4;
	derive(M);
	M->p_keep = 0.7;
	M->p_lex = 0.4;
	M->timed = timed;
	for (int k = 0; k < NSHAPES; k++)
		M->prior[k] = log(sh_prior0[k]);
	for (int b = 0; b < NBIN; b++) {
		double cs[2] = {0, 0}, ct[2] = {0, 0};
		for (size_t i = 0; i < C->n; i++) {
			const feat *f = &C->S[i];
			int v = b == BIN_END ? f->end : b == BIN_Q ? f->q : b == BIN_X ? f->x : f->chg;
			cs[v]++;
		}
		for (size_t j = 0; j < C->m; j++) {
			const feat *f = &C->T[j];
			int v = b == BIN_END ? f->end : b == BIN_Q ? f->q : b == BIN_X ? f->x : f->chg;
			ct[v]++;
		}
		for (int v = 0; v < 2; v++) {
			C->pS[b][v] = (cs[v] + 0.5) / ((double)C->n + 1);
			C->pT[b][v] = (ct[v] + 0.5) / ((double)C->m + 1);
		}
		/* A feature that never varies on one side tells nothing. */
		M->use_bin[b] = cs[0] > 0 && cs[1] > 0 && ct[0] > 0 && ct[1] > 0;
		if (b == BIN_SPK)
			M->use_bin[b] = M->use_bin[b] && speakers;
	C->speakers = speakers;
		double zero[2][2] = {{0, 0}, {0, 0}};
		set_bin_from(C, b, zero, 1);
	}
	cnt_init(C);
	anchor_weights(C);
}

/* ------------------------------------------------------------------ */
/* Link scores                                                         */
/* ------------------------------------------------------------------ */

static void aggregate(const feat *f, size_t n, agg *g)
{
	for (size_t i = 0; i <= n; i++)
		for (size_t d = 1; d <= 3; d++) {
			agg a;
			memset(&a, 0, sizeof a);
			unsigned cs = 0, cc = 0;
			for (size_t k = 1; k <= d && k <= i; k++) {
				const feat *x = &f[i - k];
				a.q |= x->q;
				a.x |= x->x;
				a.aside = (uint8_t)(a.aside + x->aside);
				cs += x->cnt[CNT_SENT];
				cc += x->cnt[CNT_CLAUSE];
				a.an += x->an;
				a.bloom |= x->bloom;
				a.abloom |= x->abloom;
			}
			a.cnt[CNT_SENT] = (uint8_t)(cs > 255 ? 255 : cs);
			a.cnt[CNT_CLAUSE] = (uint8_t)(cc > 255 ? 255 : cc);
			g[i * 3 + d - 1] = a;
		}
}

/* Whether one of f[from..to) has anchor h. */
static bool has_anchor(const ctx *C, const feat *f, size_t from, size_t to, uint64_t h)
{
	for (size_t k = from; k < to; k++)
		if (f[k].abloom >> (h & 63) & 1)
			for (uint32_t t = 0; t < f[k].an; t++)
				if (C->anchors[f[k].aoff + t].h == h)
					return true;
	return false;
}

static void run_anchors(const ctx *C, const feat *f, size_t n, uint32_t **list, uint32_t **off,
                        double **miss)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += f[i].an;
	uint32_t *o = tandem__xmalloc(((n + 1) * 3 + 1) * sizeof *o);
	uint32_t *l = tandem__xmalloc((6 * total + 1) * sizeof *l); /* each in 3 + 2 + 1 runs */
	size_t k = 0;
	for (size_t i = 0; i <= n; i++)
		for (size_t d = 1; d <= 3; d++) {
			o[i * 3 + d - 1] = (uint32_t)k;
			size_t i0 = d <= i ? i - d : 0;
			for (size_t x = i0; x < i; x++)
				for (uint32_t t = 0; t < f[x].an; t++) {
					uint32_t a = f[x].aoff + t;
					if (x > i0 && has_anchor(C, f, i0, x, C->anchors[a].h))
						continue;
					l[k++] = a;
				}
		}
	o[(n + 1) * 3] = (uint32_t)k;
	double *x = tandem__xmalloc((n + 1) * 9 * sizeof *x);
	for (size_t r = 0; r < (n + 1) * 3; r++)
		for (size_t d = 0; d < 3; d++) {
			double e = 0;
			for (uint32_t y = o[r]; y < o[r + 1]; y++)
				e += C->anchors[l[y]].wx[d];
			x[r * 3 + d] = e;
		}
	*list = l;
	*off = o;
	*miss = x;
}

static void view_logs(view *v, const ctx *C)
{
	const model *M = &C->M;
	run_anchors(C, v->S, v->n, &v->dS, &v->dSoff, &v->xS);
	run_anchors(C, v->T, v->m, &v->dT, &v->dToff, &v->xT);
	v->lS = tandem__xmalloc((v->n + 1) * 3 * sizeof *v->lS);
	v->lT = tandem__xmalloc((v->m + 1) * 3 * sizeof *v->lT);
	v->sS = tandem__xmalloc((v->n + 1) * 3 * sizeof *v->sS);
	v->sT = tandem__xmalloc((v->m + 1) * 3 * sizeof *v->sT);
	v->gS = tandem__xmalloc((v->n + 1) * 3 * sizeof *v->gS);
	v->gT = tandem__xmalloc((v->m + 1) * 3 * sizeof *v->gT);
	aggregate(v->S, v->n, v->gS);
	aggregate(v->T, v->m, v->gT);
	for (size_t i = 0; i <= v->n; i++)
		for (size_t d = 1; d <= 3; d++) {
			double l = 0;
			for (size_t k = 1; k <= d && k <= i; k++)
				l += lenS(&v->S[i - k], M->c);
			v->lS[i * 3 + d - 1] = log(M->c * l + M->kappa);
			v->sS[i * 3 + d - 1] = (float)(M->c * l);
		}
	for (size_t j = 0; j <= v->m; j++)
		for (size_t d = 1; d <= 3; d++) {
			double l = 0;
			for (size_t k = 1; k <= d && k <= j; k++)
				l += lenT(&v->T[j - k], M->c);
			v->lT[j * 3 + d - 1] = log(l + M->kappa);
			v->sT[j * 3 + d - 1] = (float)l;
		}
}

static void view_free(view *v)
{
	free(v->lS);
	free(v->lT);
	free(v->sS);
	free(v->sT);
	free(v->gS);
	free(v->gT);
	free(v->dS);
	free(v->dT);
	free(v->dSoff);
	free(v->dToff);
	free(v->xS);
	free(v->xT);
	const feat *S = v->S, *T = v->T;
	size_t n = v->n, m = v->m;
	memset(v, 0, sizeof *v);
	v->S = S;
	v->T = T;
	v->n = n;
	v->m = m;
}

static bool in_sets(const ctx *C, const feat *f, size_t from, size_t to, uint64_t h)
{
	uint64_t bit = 1ULL << (h & 63);
	for (size_t k = from; k < to; k++)
		if ((f[k].bloom & bit) && hset_has(C->sets + f[k].soff, f[k].sn, h))
			return true;
	return false;
}

/*
 * Each anchor counts once per link: a name in both of two merged source
 * segments is one piece of evidence against the one mention in the
 * translation, not two.
 */
__attribute__((noinline)) static double anchor_llr(const ctx *C, const view *V, size_t i0, size_t i1, size_t j0, size_t j1,
                         const agg *gs, const agg *gt)
{
	double e = 0;
	size_t di = i1 - i0, dj = j1 - j0, rs = i1 * 3 + di - 1, rt = j1 * 3 + dj - 1;
	for (uint32_t x = V->dSoff[rs]; x < V->dSoff[rs + 1]; x++) {
		const anchor *a = &C->anchors[V->dS[x]];
		bool hit = (gt->bloom >> (a->h & 63) & 1) && in_sets(C, V->T, j0, j1, a->h);
		e += hit ? a->wm[dj - 1] : a->wx[dj - 1];
	}
	for (uint32_t x = V->dToff[rt]; x < V->dToff[rt + 1]; x++) {
		const anchor *a = &C->anchors[V->dT[x]];
		if ((gs->abloom >> (a->h & 63) & 1) && has_anchor(C, V->S, i0, i1, a->h))
			continue;
		bool hit = (gs->bloom >> (a->h & 63) & 1) && in_sets(C, V->S, i0, i1, a->h);
		e += hit ? a->wm[di - 1] : a->wx[di - 1];
	}
	return e;
}

/* 3 when less than half of [c0, c1] lies inside [s0, s1], else 0. */
static double outside(int64_t c0, int64_t c1, int64_t s0, int64_t s1)
{
	if (c0 == TANDEM_NO_TIME || c1 == TANDEM_NO_TIME || c1 <= c0)
		return 0;
	int64_t lo = c0 > s0 ? c0 : s0, hi = c1 < s1 ? c1 : s1;
	return (hi > lo ? hi - lo : 0) * 2 < c1 - c0 ? 3 : 0;
}

static double time_llr(const feat *S, size_t i0, size_t i1, const feat *T, size_t j0, size_t j1)
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
			e += anchor_llr(C, V, i0, i, j0, j, gs, gt);
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

/* ------------------------------------------------------------------ */
/* Banded Viterbi                                                      */
/* ------------------------------------------------------------------ */

typedef struct band {
	size_t n, m;
	size_t *lo, *hi, *off;
	size_t cells;
	uint8_t *bp;
	size_t capcells;
	/*
	 * Forward scores, then (when cached) link scores by end cell and
	 * shape, kept for the backward pass: one block of capbytes, so that
	 * training can borrow it whole (see learn()).
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

static void band_free(band *B)
{
	free(B->lo);
	free(B->hi);
	free(B->off);
	free(B->bp);
	free(B->F); /* and the link cache */
	free(B->g);
	free(B->goff);
	memset(B, 0, sizeof *B);
}

/* Band rows [cmin - W, cmax + W], made monotone and connected. */
static void band_build(band *B, size_t n, size_t m, const double *cmin, const double *cmax, size_t W)
{
	free(B->lo);
	free(B->hi);
	free(B->off);
	B->n = n;
	B->m = m;
	B->lo = tandem__xmalloc((n + 1) * sizeof *B->lo);
	B->hi = tandem__xmalloc((n + 1) * sizeof *B->hi);
	B->off = tandem__xmalloc((n + 2) * sizeof *B->off);
	for (size_t i = 0; i <= n; i++) {
		double a = floor(cmin[i]) - (double)W, b = ceil(cmax[i]) + (double)W;
		B->lo[i] = a < 0 ? 0 : a > (double)m ? m : (size_t)a;
		B->hi[i] = b < 0 ? 0 : b > (double)m ? m : (size_t)b;
	}
	B->lo[0] = 0;
	B->hi[n] = m;
	for (size_t i = 1; i <= n; i++)
		if (B->hi[i] < B->hi[i - 1])
			B->hi[i] = B->hi[i - 1];
	for (size_t i = n; i-- > 0;)
		if (B->lo[i] > B->lo[i + 1])
			B->lo[i] = B->lo[i + 1];
	for (size_t i = 0; i < n; i++)
		if (B->lo[i + 1] > B->hi[i])
			B->lo[i + 1] = B->hi[i];
	size_t cells = 0;
	for (size_t i = 0; i <= n; i++) {
		if (B->lo[i] > B->hi[i])
			B->lo[i] = B->hi[i];
		B->off[i] = cells;
		cells += B->hi[i] - B->lo[i] + 1;
	}
	B->off[n + 1] = cells;
	B->cells = cells;
	/* keep the pages of the last pass: re-faulting them costs more than the search */
	if (cells > B->capcells) {
		free(B->bp);
		B->bp = tandem__xmalloc(cells);
		B->capcells = cells;
	}
	/*
	 * Caching link scores for the backward pass pays while it stays small
	 * (the limit counts all shapes, as it did when all were cached: whether
	 * the cache is on decides the margins' rounding).
	 */
	bool ev = B->want_ev && cells * NSHAPES <= EV_CACHE_MAX;
	size_t bytes = cells * sizeof *B->F + (ev ? cells * NEV * sizeof *B->ev : 0);
	if (bytes > B->capbytes) {
		free(B->F);
		B->F = tandem__xmalloc(bytes);
		B->capbytes = bytes;
	}
	B->ev = ev ? (float *)(B->F + cells) : NULL;
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

/* The learned table's row sums over the band (all of it: the backward pass reads them too). */
static void m1_fill(const view *V, band *B)
{
	if (!V->m1) {
		free(B->g);
		free(B->goff);
		B->g = NULL;
		B->goff = NULL;
		B->capg = 0;
		return;
	}
	free(B->goff);
	B->goff = tandem__xmalloc((B->n + 1) * sizeof *B->goff);
	size_t k = 0;
	for (size_t i = 0; i <= B->n; i++) {
		B->goff[i] = k;
		k += B->hi[i] - glo(B, i) + 1;
	}
	if (k > B->capg) {
		free(B->g);
		B->g = tandem__xmalloc(3 * k * sizeof *B->g);
		B->capg = k;
	}
	for (size_t i = 0; i <= B->n; i++) {
		size_t a = glo(B, i);
		float *g = B->g + 3 * B->goff[i];
		if (a == 0) {
			g[0] = g[1] = g[2] = 0;
			g += 3;
			a = 1;
		}
		if (B->hi[i] >= a)
			tandem__m1_row(V->m1, i, a - 1, B->hi[i], g);
	}
}

/*
 * One shape's step into cell (i, j) of the forward pass; inlined with sh a
 * constant, so its segment counts fold into the link score's arithmetic.
 */
static inline __attribute__((always_inline)) void
forward_shape(const ctx *C, const view *V, band *B, size_t i, size_t j, const float *gj,
              int sh, double *best, int *arg)
{
	size_t di = (size_t)sh_di[sh], dj = (size_t)sh_dj[sh];
	if (di > i || dj > j)
		return;
	size_t pi = i - di, pj = j - dj;
	if (!in_band(B, pi, pj))
		return;
	double prev = B->F[cell(B, pi, pj)];
	/* the backward pass reads every in-band link, reachable or not */
	if (prev == -INFINITY && !B->ev)
		return;
	double ls = link_score(C, V, i, j, sh, gj);
	if (B->ev && sh < NEV)
		B->ev[cell(B, i, j) * NEV + (size_t)sh] = (float)ls;
	if (prev == -INFINITY)
		return;
	double v = prev + ls;
	if (v > *best) {
		*best = v;
		*arg = sh;
	}
}

static double forward(const ctx *C, const view *V, band *B)
{
	_Static_assert(NSHAPES == 8, "forward() steps through the 8 shapes");
	for (size_t i = 0; i <= B->n; i++) {
		for (size_t j = B->lo[i]; j <= B->hi[i]; j++) {
			double best = -INFINITY;
			int arg = 255;
			const float *gj = gcell(B, i, j);
			if (i == 0 && j == 0)
				best = 0;
			forward_shape(C, V, B, i, j, gj, SH_11, &best, &arg);
			forward_shape(C, V, B, i, j, gj, SH_12, &best, &arg);
			forward_shape(C, V, B, i, j, gj, SH_21, &best, &arg);
			forward_shape(C, V, B, i, j, gj, SH_13, &best, &arg);
			forward_shape(C, V, B, i, j, gj, SH_31, &best, &arg);
			forward_shape(C, V, B, i, j, gj, SH_22, &best, &arg);
			forward_shape(C, V, B, i, j, gj, SH_10, &best, &arg);
			forward_shape(C, V, B, i, j, gj, SH_01, &best, &arg);
			size_t c = cell(B, i, j);
			B->F[c] = best;
			B->bp[c] = (uint8_t)arg;
		}
	}
	return B->F[cell(B, B->n, B->m)];
}

/* The path's links, start to end; *nl links.  Also each row's path span. */
static link *backtrace(const band *B, size_t *nl, size_t *rmin, size_t *rmax)
{
	size_t cap = B->n + B->m + 1, k = 0;
	link *L = tandem__xmalloc(cap * sizeof *L);
	size_t i = B->n, j = B->m;
	for (size_t r = 0; r <= B->n; r++) {
		rmin[r] = SIZE_MAX;
		rmax[r] = 0;
	}
	for (;;) {
		if (j < rmin[i])
			rmin[i] = j;
		if (j > rmax[i])
			rmax[i] = j;
		if (i == 0 && j == 0)
			break;
		int sh = B->bp[cell(B, i, j)];
		if (sh >= NSHAPES)
			break; /* unreachable: cannot happen with a connected band */
		i -= (size_t)sh_di[sh];
		j -= (size_t)sh_dj[sh];
		L[k].i = i;
		L[k].j = j;
		L[k].sh = (uint8_t)sh;
		L[k].ni = (size_t)sh_di[sh];
		L[k].nj = (size_t)sh_dj[sh];
		L[k].score = 0;
		k++;
	}
	for (size_t a = 0, b = k ? k - 1 : 0; a < b; a++, b--) {
		link t = L[a];
		L[a] = L[b];
		L[b] = t;
	}
	*nl = k;
	return L;
}

/* The centre of the next band: the path, interpolated over rows it jumps. */
static void path_centre(const size_t *rmin, const size_t *rmax, size_t n, double *cmin,
                        double *cmax)
{
	double last = 0;
	for (size_t i = 0; i <= n; i++) {
		if (rmin[i] <= rmax[i]) {
			cmin[i] = (double)rmin[i];
			cmax[i] = (double)rmax[i];
			last = cmax[i];
		} else {
			cmin[i] = cmax[i] = last;
		}
	}
}

/*
 * Run the banded search from a centre path, widening and re-centring while
 * the best path runs along the band's edge.  Returns the links; B keeps the
 * final band and forward scores.
 */
static link *search(const ctx *C, const view *V, band *B, double *cmin, double *cmax, size_t W,
                    int iters, size_t *nl, size_t *rmin, size_t *rmax, double *total)
{
	link *L = NULL;
	size_t n = V->n, m = V->m, last_touched = SIZE_MAX;
	for (int iter = 0; iter < iters; iter++) {
		band_build(B, n, m, cmin, cmax, W);
		m1_fill(V, B);
		*total = forward(C, V, B);
		free(L);
		L = backtrace(B, nl, rmin, rmax);
		size_t touched = 0;
		for (size_t i = 0; i <= n; i++) {
			if (rmin[i] > rmax[i])
				continue;
			if ((B->lo[i] > 0 && rmin[i] < B->lo[i] + 2) || (B->hi[i] < m && rmax[i] + 2 > B->hi[i]))
				touched++;
		}
		bool touch = touched > 0;
		if (!touch)
			break;
		/*
		 * Follow the path: re-centre on it.  Widen only when re-centring
		 * stopped helping (the path still leans on as many rows, and more
		 * than a few: a few hard places settle by re-centring alone).
		 */
		path_centre(rmin, rmax, n, cmin, cmax);
		if (touched >= last_touched && touched > 32 && (n + 1) * (4 * W + 1) <= MAX_CELLS)
			W *= 2;
		last_touched = touched;
	}
	return L;
}

/* One shape's step back from cell (i, j) in row_margins; inlined with sh a constant. */
static inline __attribute__((always_inline)) void
margin_shape(const ctx *C, const view *V, const band *B, double *const *ring, size_t i, size_t j,
             int sh, double *best)
{
	size_t ni = i + (size_t)sh_di[sh], nj = j + (size_t)sh_dj[sh];
	if (ni > B->n || nj > B->m || !in_band(B, ni, nj))
		return;
	double nx = ring[ni % 4][nj - B->lo[ni]];
	if (nx == -INFINITY)
		return;
	double v = nx + (!B->ev ? link_score(C, V, ni, nj, sh, gcell(B, ni, nj))
	                 : sh < NEV ? (double)B->ev[cell(B, ni, nj) * NEV + (size_t)sh]
	                            : (double)(float)C->M.prior[sh]);
	if (v > *best)
		*best = v;
}

/* Margins: best path minus the best path through an off-path cell, per row. */
static void row_margins(const ctx *C, const view *V, const band *B, double total,
                        const size_t *rmin, const size_t *rmax, double *margin)
{
	size_t n = B->n, maxw = 0;
	for (size_t i = 0; i <= n; i++)
		if (B->hi[i] - B->lo[i] + 1 > maxw)
			maxw = B->hi[i] - B->lo[i] + 1;
	double *ring[4];
	for (int r = 0; r < 4; r++)
		ring[r] = tandem__xmalloc(maxw * sizeof(double));
	for (size_t i = n + 1; i-- > 0;) {
		double *G = ring[i % 4];
		double alt = -INFINITY;
		for (size_t j = B->hi[i] + 1; j-- > B->lo[i];) {
			double best = -INFINITY;
			if (i == n && j == B->m)
				best = 0;
			margin_shape(C, V, B, ring, i, j, SH_11, &best);
			margin_shape(C, V, B, ring, i, j, SH_12, &best);
			margin_shape(C, V, B, ring, i, j, SH_21, &best);
			margin_shape(C, V, B, ring, i, j, SH_13, &best);
			margin_shape(C, V, B, ring, i, j, SH_31, &best);
			margin_shape(C, V, B, ring, i, j, SH_22, &best);
			margin_shape(C, V, B, ring, i, j, SH_10, &best);
			margin_shape(C, V, B, ring, i, j, SH_01, &best);
			G[j - B->lo[i]] = best;
			if (j < rmin[i] || j > rmax[i]) {
				double mm = B->F[cell(B, i, j)] + best;
				if (mm > alt)
					alt = mm;
			}
		}
		double mg = total - alt;
		margin[i] = mg > 30 ? 30 : mg < 0 ? 0 : mg;
	}
	for (int r = 0; r < 4; r++)
		free(ring[r]);
}

/* ------------------------------------------------------------------ */
/* Seeds                                                               */
/* ------------------------------------------------------------------ */

/* Proportional in cumulative length between two points. */
static void interpolate(const ctx *C, size_t i0, double j0, size_t i1, double j1, double *c)
{
	double tot = 0;
	for (size_t i = i0; i < i1; i++)
		tot += C->S[i].len + C->S[i].lat + 1;
	double acc = 0;
	for (size_t i = i0; i <= i1; i++) {
		c[i] = tot > 0 ? j0 + (j1 - j0) * acc / tot : j0;
		if (i < i1)
			acc += C->S[i].len + C->S[i].lat + 1;
	}
}

typedef struct pt {
	size_t i, j;
} pt;

static int cmp_pt(const void *a, const void *b)
{
	const pt *x = a, *y = b;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->j > y->j ? -1 : x->j < y->j;
}

typedef struct occ {
	uint64_t h;
	size_t seg;
} occ;

static int cmp_occ(const void *a, const void *b)
{
	const occ *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->seg < y->seg ? -1 : x->seg > y->seg;
}

static occ *occurrences(const ctx *C, const feat *f, size_t n, size_t *k)
{
	size_t tot = 0;
	for (size_t i = 0; i < n; i++)
		tot += f[i].an;
	occ *o = tandem__xmalloc((tot + 1) * sizeof *o);
	*k = 0;
	for (size_t i = 0; i < n; i++)
		for (uint32_t a = 0; a < f[i].an; a++)
			if (!C->anchors[f[i].aoff + a].lex)
				o[(*k)++] = (occ){C->anchors[f[i].aoff + a].h, i};
	qsort(o, *k, sizeof *o, cmp_occ);
	return o;
}

/*
 * Tokens found in exactly one segment on each side pin the path there.
 * With a guide (a first seed path), tokens that are unique within D rows of
 * the guide on both sides pin it too: names that recur through a long text
 * still fix the path locally.
 */
static void seed_anchors(const ctx *C, double *c, const double *guide, double D)
{
	size_t ns, nt;
	occ *os = occurrences(C, C->S, C->n, &ns);
	occ *ot = occurrences(C, C->T, C->m, &nt);
	pt *p = tandem__xmalloc((ns + 2) * sizeof *p);
	size_t np = 0, a = 0, b = 0;
	while (a < ns && b < nt) {
		if (os[a].h < ot[b].h) {
			a++;
			continue;
		}
		if (os[a].h > ot[b].h) {
			b++;
			continue;
		}
		size_t a2 = a, b2 = b;
		while (a2 < ns && os[a2].h == os[a].h)
			a2++;
		while (b2 < nt && ot[b2].h == ot[b].h)
			b2++;
		if (a2 - a == 1 && b2 - b == 1) {
			p[np++] = (pt){os[a].seg, ot[b].seg};
		} else if (guide) {
			double Ds = D * (double)C->n / (double)(C->m ? C->m : 1);
			for (size_t x = a; x < a2; x++) {
				size_t i = os[x].seg;
				if ((x > a && (double)(i - os[x - 1].seg) <= Ds) ||
				    (x + 1 < a2 && (double)(os[x + 1].seg - i) <= Ds))
					continue;
				size_t hit = SIZE_MAX, cnt = 0, lo = b, hi = b2;
				double from = guide[i] - D;
				while (lo < hi) {
					size_t mid = lo + (hi - lo) / 2;
					if ((double)ot[mid].seg < from)
						lo = mid + 1;
					else
						hi = mid;
				}
				for (size_t y = lo; y < b2 && cnt < 2 && (double)ot[y].seg <= guide[i] + D; y++) {
					hit = ot[y].seg;
					cnt++;
				}
				if (cnt == 1)
					p[np++] = (pt){i, hit};
			}
		}
		a = a2;
		b = b2;
	}
	free(os);
	free(ot);
	qsort(p, np, sizeof *p, cmp_pt);
	/*
	 * Longest chain increasing in both i and j: with equal i sorted by
	 * falling j, a strictly increasing subsequence in j (patience sorting)
	 * takes at most one point per row.
	 */
	size_t *tail = tandem__xmalloc((np + 1) * sizeof *tail);
	size_t *prev = tandem__xmalloc((np + 1) * sizeof *prev);
	size_t len = 0;
	for (size_t k = 0; k < np; k++) {
		size_t lo = 0, hi = len;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (p[tail[mid]].j < p[k].j)
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[k] = lo ? tail[lo - 1] : SIZE_MAX;
		tail[lo] = k;
		if (lo == len)
			len++;
	}
	pt *chain = tandem__xmalloc((len + 2) * sizeof *chain);
	size_t k = len ? tail[len - 1] : SIZE_MAX;
	for (size_t r = len; r > 0; r--) {
		chain[r] = p[k];
		k = prev[k];
	}
	chain[0] = (pt){0, 0};
	chain[len + 1] = (pt){C->n, C->m};
	size_t last = 0;
	for (size_t r = 1; r <= len + 1; r++) {
		if (r <= len && (chain[r].i <= chain[last].i || chain[r].j < chain[last].j))
			continue;
		interpolate(C, chain[last].i, (double)chain[last].j, chain[r].i, (double)chain[r].j, c);
		last = r;
	}
	free(chain);
	free(tail);
	free(prev);
	free(p);
}

/* Both timed: row i sits where the translation's cues pass the source's start. */
static bool seed_times(const ctx *C, double *c)
{
	for (size_t j = 0; j < C->m; j++)
		if (C->T[j].t0 == TANDEM_NO_TIME || (j && C->T[j].t0 < C->T[j - 1].t0))
			return false;
	size_t j = 0;
	double last = 0;
	for (size_t i = 0; i < C->n; i++) {
		if (C->S[i].t0 == TANDEM_NO_TIME)
			return false;
		while (j < C->m && C->T[j].t0 + 200 < C->S[i].t0)
			j++;
		c[i] = (double)j > last ? (double)j : last;
		last = c[i];
	}
	c[C->n] = (double)C->m;
	return true;
}

/* ------------------------------------------------------------------ */
/* Re-estimation from a first pass                                     */
/* ------------------------------------------------------------------ */

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_dbl);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void reestimate(ctx *C, const link *L, size_t nl)
{
	model *M = &C->M;
	double *r = tandem__xmalloc((nl + 1) * sizeof *r);
	size_t k = 0;
	double cnt[NBIN][2][2];
	memset(cnt, 0, sizeof cnt);
	double shapes[NSHAPES] = {0};
	double sc[2][5] = {{0}};
	double sp[NSPK][NSPK];
	memset(sp, 0, sizeof sp);
	double kept = 0, seen = 0, lkept = 0, lseen = 0;
	for (size_t x = 0; x < nl; x++) {
		const link *l = &L[x];
		shapes[l->sh]++;
		if (l->sh != SH_11)
			continue;
		const feat *s = &C->S[l->i], *t = &C->T[l->j];
		double lt = lenT(t, M->c), ls = M->c * lenS(s, M->c);
		/* residuals on the scale of a long text, as the variance model has it */
		r[k++] = (log(lt + M->kappa) - log(ls + M->kappa)) / sqrt(1 + L0 / (lt + ls + 1));
		for (int b = 0; b < NBIN; b++)
			cnt[b][bin_val(s, b)][bin_val(t, b)]++;
		for (int f = 0; f < 2; f++)
			sc[f][cnt_bin((int)t->cnt[f] - (int)s->cnt[f])]++;
		sp[s->spk][t->spk]++;
		for (uint32_t a = 0; a < s->an; a++) {
			const anchor *an = &C->anchors[s->aoff + a];
			bool hit = hset_has(C->sets + t->soff, t->sn, an->h);
			seen += !an->lex;
			kept += !an->lex && hit;
		}
		for (uint32_t a = 0; a < t->an; a++) {
			const anchor *an = &C->anchors[t->aoff + a];
			bool hit = hset_has(C->sets + s->soff, s->sn, an->h);
			if (an->lex) {
				lseen++;
				lkept += hit;
			} else {
				seen++;
				kept += hit;
			}
		}
	}
	if (k >= 5) {
		double med = median(r, k);
		for (size_t x = 0; x < k; x++)
			r[x] = fabs(r[x] - med);
		double mad = median(r, k);
		M->c *= exp(med);
		M->s = 1.4826 * mad;
		if (M->s < 0.06)
			M->s = 0.06;
		if (M->s > 1.5)
			M->s = 1.5;
		null_length(C);
		derive(M);
	}
	free(r);
	for (int b = 0; b < NBIN; b++)
		set_bin_from(C, b, cnt[b], 20);
	for (int f = 0; f < 2; f++)
		cnt_set(C, f, sc[f], 20);
	if (C->speakers) {
		/* P(translation speaker | source speaker) over P(translation speaker) */
		double pts[NSPK] = {0};
		for (size_t j = 0; j < C->m; j++)
			pts[C->T[j].spk]++;
		for (int b = 0; b < NSPK; b++)
			pts[b] = (pts[b] + 0.5) / ((double)C->m + 0.5 * NSPK);
		for (int a = 0; a < NSPK; a++) {
			double row = 0;
			for (int b = 0; b < NSPK; b++)
				row += sp[a][b];
			for (int b = 0; b < NSPK; b++) {
				double p = (sp[a][b] + 5 * pts[b]) / (row + 5);
				double v = log(p / pts[b]);
				M->spk[a][b] = v > 3 ? 3 : v < -3 ? -3 : v;
			}
		}
		M->use_spk = true;
	}
	double tot = 0;
	for (int s = 0; s < NSHAPES; s++)
		tot += shapes[s] + 30 * sh_prior0[s];
	for (int s = 0; s < NSHAPES; s++)
		M->prior[s] = log((shapes[s] + 30 * sh_prior0[s]) / tot);
	M->p_keep = (kept + 7) / (seen + 10);
	if (M->p_keep < 0.3)
		M->p_keep = 0.3;
	if (M->p_keep > 0.95)
		M->p_keep = 0.95;
	M->p_lex = (lkept + 4) / (lseen + 10);
	if (M->p_lex < 0.1)
		M->p_lex = 0.1;
	anchor_weights(C);
}

/* ------------------------------------------------------------------ */
/* Learning word translations from the first pass                      */
/* ------------------------------------------------------------------ */

/* A link's confidence from its rows' margins: 1 - exp(-margin). */
static double link_conf(const link *l, const double *margin)
{
	double mg = 30;
	for (size_t r = l->i; r <= l->i + l->ni; r++)
		if (margin[r] < mg)
			mg = margin[r];
	return 1 - exp(-mg);
}

/*
 * Train the learned table (align_learn.c) on the 1-1 links of the first
 * pass that it is sure of; C->m1 is freed when there is too little.
 */
static void learn(ctx *C, view *V, const band *B, double total, const size_t *rmin,
                  const size_t *rmax, const link *L, size_t nl)
{
	double *margin = tandem__xmalloc((V->n + 1) * sizeof *margin);
	row_margins(C, V, B, total, rmin, rmax, margin);
	/* the pass is done with its view: its memory serves training (fewer fresh pages) */
	view_free(V);
	size_t *si = tandem__xmalloc((nl + 1) * sizeof *si);
	size_t *tj = tandem__xmalloc((nl + 1) * sizeof *tj);
	size_t k = 0;
	for (size_t x = 0; x < nl; x++) {
		const link *l = &L[x];
		if (l->sh != SH_11 || C->S[l->i].aside || C->T[l->j].aside)
			continue;
		if (link_conf(l, margin) < LEARN_CONF)
			continue;
		si[k] = l->i;
		tj[k++] = l->j;
	}
	/*
	 * The band's link cache and forward scores (one block) and its back
	 * pointers sit idle until the next pass rewrites them: lent to training
	 * as scratch (fresh pages cost more).
	 */
	tandem__m1_lend(C->m1, 0, B->F, B->capbytes);
	tandem__m1_lend(C->m1, 1, B->bp, B->capcells);
	bool ok = tandem__m1_train(C->m1, si, tj, k);
	tandem__m1_lend(C->m1, 0, NULL, 0);
	tandem__m1_lend(C->m1, 1, NULL, 0);
	if (!ok) {
		tandem__m1_free(C->m1);
		C->m1 = NULL;
	}
	free(si);
	free(tj);
	free(margin);
}

static int shape_of(size_t di, size_t dj)
{
	for (int sh = 0; sh < NSHAPES; sh++)
		if ((size_t)sh_di[sh] == di && (size_t)sh_dj[sh] == dj)
			return sh;
	return -1;
}

/*
 * A link's score as the search has it, plus the learned table's other
 * direction (how well the translation explains the source's words); false
 * when the link is not one the search could make.
 */
static bool alt_score(const ctx *C, const view *V, const band *B, size_t i0, size_t di, size_t j0,
                      size_t dj, double *out)
{
	int sh = shape_of(di, dj);
	if (sh < 0)
		return false;
	if (!di || !dj) {
		*out = C->M.prior[sh];
		return true;
	}
	size_t i = i0 + di, j = j0 + dj;
	if (i > B->n || j > B->m || !in_band(B, i, j) || !in_band(B, i0, j0))
		return false;
	*out = link_score(C, V, i, j, sh, gcell(B, i, j)) + tandem__m1_reverse(V->m1, i0, i, j0, j);
	return true;
}

static link mk(size_t i, size_t ni, size_t j, size_t nj)
{
	link l = {i, j, (uint8_t)shape_of(ni, nj), 0, ni, nj};
	return l;
}

/*
 * Where a translation line was dropped, the search often keeps its source
 * segment inside a merged link with a neighbour (2-1, 3-1, 2-2), or drops
 * the neighbour instead of it: the table's direction it scores with, the
 * translation's units given the source's words, barely notices source
 * words left unexplained.  Re-decide those places with the other direction
 * added: a merged link may give up its first or last segment to a null
 * link, and a null link next to a 1-1 link may trade places with its
 * source segment.
 */
static link *refine(const ctx *C, const view *V, const band *B, link *L, size_t *nl)
{
	size_t n = *nl, k = 0;
	link *out = tandem__xmalloc((2 * n + 1) * sizeof *out);
	double nul = C->M.prior[SH_10];
	for (size_t x = 0; x < n; x++) {
		const link *l = &L[x];
		double keep, a, b;
		if (l->ni >= 2 && l->nj >= 1 && l->nj <= 3 && alt_score(C, V, B, l->i, l->ni, l->j, l->nj, &keep)) {
			double first = -INFINITY, last = -INFINITY;
			if (alt_score(C, V, B, l->i + 1, l->ni - 1, l->j, l->nj, &a))
				first = nul + a;
			if (alt_score(C, V, B, l->i, l->ni - 1, l->j, l->nj, &b))
				last = nul + b;
			if (first > keep && first >= last) {
				out[k++] = mk(l->i, 1, l->j, 0);
				out[k++] = mk(l->i + 1, l->ni - 1, l->j, l->nj);
				continue;
			}
			if (last > keep) {
				out[k++] = mk(l->i, l->ni - 1, l->j, l->nj);
				out[k++] = mk(l->i + l->ni - 1, 1, l->j + l->nj, 0);
				continue;
			}
		} else if (x + 1 < n && l->ni == 1 && l->nj == 1 && L[x + 1].ni == 1 && !L[x + 1].nj &&
		           alt_score(C, V, B, l->i, 1, l->j, 1, &keep) &&
		           alt_score(C, V, B, l->i + 1, 1, l->j, 1, &a) && a > keep) {
			out[k++] = mk(l->i, 1, l->j, 0);
			out[k++] = mk(l->i + 1, 1, l->j, 1);
			x++;
			continue;
		} else if (x + 1 < n && l->ni == 1 && !l->nj && L[x + 1].ni == 1 && L[x + 1].nj == 1 &&
		           alt_score(C, V, B, l->i + 1, 1, L[x + 1].j, 1, &keep) &&
		           alt_score(C, V, B, l->i, 1, L[x + 1].j, 1, &a) && a > keep) {
			out[k++] = mk(l->i, 1, L[x + 1].j, 1);
			out[k++] = mk(l->i + 1, 1, L[x + 1].j + 1, 0);
			x++;
			continue;
		}
		out[k++] = *l;
	}
	free(L);
	*nl = k;
	return out;
}

/* ------------------------------------------------------------------ */
/* Unrelated translations                                              */
/* ------------------------------------------------------------------ */

/*
 * The best total of aligning S[0..n) with T[0..m): in a band of W around
 * the path's rows pmin/pmax[0..n] when given, else around the diagonal.
 */
static double sub_search(const ctx *C, const feat *S, size_t n, const feat *T, size_t m,
                         const double *pmin, const double *pmax, size_t W)
{
	view V;
	memset(&V, 0, sizeof V);
	V.S = S;
	V.T = T;
	V.n = n;
	V.m = m;
	view_logs(&V, C);
	double *cmin = tandem__xmalloc((n + 1) * sizeof *cmin);
	double *cmax = tandem__xmalloc((n + 1) * sizeof *cmax);
	for (size_t i = 0; i <= n; i++)
		if (pmin) {
			cmin[i] = pmin[i];
			cmax[i] = pmax[i];
		} else {
			cmin[i] = cmax[i] = (double)i * (double)m / (double)(n ? n : 1);
		}
	band B;
	memset(&B, 0, sizeof B);
	size_t *rmin = tandem__xmalloc((n + 1) * sizeof *rmin);
	size_t *rmax = tandem__xmalloc((n + 1) * sizeof *rmax);
	size_t nl;
	double total;
	link *L = search(C, &V, &B, cmin, cmax, W, 1, &nl, rmin, rmax, &total);
	free(L);
	free(rmin);
	free(rmax);
	free(cmin);
	free(cmax);
	band_free(&B);
	view_free(&V);
	return total;
}

/* Gain per source segment of the real order over a shuffled one. */
static double order_gain(const ctx *C, const link *L, size_t nl)
{
	size_t n = C->n, win = n < 300 ? n : 300;
	/* The window holding the most pairs, so a half-translated text still counts. */
	size_t *paired = tandem__xcalloc(n + 1, sizeof *paired);
	for (size_t x = 0; x < nl; x++)
		if (L[x].ni && L[x].nj)
			for (size_t d = 0; d < L[x].ni; d++)
				paired[L[x].i + d + 1] = 1;
	for (size_t i = 1; i <= n; i++)
		paired[i] += paired[i - 1];
	size_t a = 0, best = 0;
	for (size_t s = 0; s + win <= n; s++)
		if (paired[s + win] - paired[s] > best) {
			best = paired[s + win] - paired[s];
			a = s;
		}
	free(paired);
	/* Translation range the path gives those rows. */
	size_t j0 = SIZE_MAX, j1 = 0;
	for (size_t x = 0; x < nl; x++) {
		if (L[x].i < a || L[x].i >= a + win)
			continue;
		if (L[x].j < j0)
			j0 = L[x].j;
		size_t e = L[x].j + (size_t)L[x].nj;
		if (e > j1)
			j1 = e;
	}
	if (j0 == SIZE_MAX || j1 <= j0)
		return 0;
	size_t mm = j1 - j0;
	/* Too few lines for a shuffle to say anything: trust the links. */
	if (win < 8 || mm < 8)
		return INFINITY;
	/*
	 * The real order's best path lies near the one just found: a narrow
	 * band around it (6 either side, half the shuffled order's cells)
	 * gives the same total, or a little less, which only leans towards
	 * "unrelated".
	 */
	size_t *rmin = tandem__xmalloc((win + 1) * sizeof *rmin);
	size_t *rmax = tandem__xmalloc((win + 1) * sizeof *rmax);
	double *cmin = tandem__xmalloc((win + 1) * sizeof *cmin);
	double *cmax = tandem__xmalloc((win + 1) * sizeof *cmax);
	for (size_t r = 0; r <= win; r++) {
		rmin[r] = SIZE_MAX;
		rmax[r] = 0;
	}
	for (size_t x = 0; x < nl; x++) {
		if (L[x].i < a || L[x].i >= a + win)
			continue;
		size_t pts[2][2] = {{L[x].i - a, L[x].j - j0}, {L[x].i + L[x].ni - a, L[x].j + L[x].nj - j0}};
		for (int p = 0; p < 2; p++) {
			size_t r = pts[p][0], c = pts[p][1] > mm ? mm : pts[p][1];
			if (r > win)
				continue;
			if (c < rmin[r])
				rmin[r] = c;
			if (c > rmax[r])
				rmax[r] = c;
		}
	}
	path_centre(rmin, rmax, win, cmin, cmax);
	double real = sub_search(C, C->S + a, win, C->T + j0, mm, cmin, cmax, PATH_BAND);
	free(rmin);
	free(rmax);
	free(cmin);
	free(cmax);
	feat *sh = tandem__xmalloc(mm * sizeof *sh);
	memcpy(sh, C->T + j0, mm * sizeof *sh);
	uint64_t st = 0x9e3779b97f4a7c15ULL;
	for (size_t k = mm; k > 1; k--) {
		st = st * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t r = (size_t)(st >> 33) % k;
		feat t = sh[k - 1];
		sh[k - 1] = sh[r];
		sh[r] = t;
	}
	/*
	 * The shuffled order has no path to follow: a band of 12 around the
	 * diagonal (its total moves by less than a tenth of a nat per segment
	 * from the band of 24 used before; unrelated texts did not move).
	 */
	double shuf = sub_search(C, C->S + a, win, sh, mm, NULL, NULL, SHUFFLE_BAND);
	free(sh);
	return (real - shuf) / (double)win;
}

/* ------------------------------------------------------------------ */
/* Timed tracks cut differently                                        */
/* ------------------------------------------------------------------ */

static double overlap_ms(const feat *S, const link *l, const feat *t)
{
	int64_t a0 = S[l->i].t0, a1 = S[l->i + l->ni - 1].t1;
	int64_t lo = a0 > t->t0 ? a0 : t->t0, hi = a1 < t->t1 ? a1 : t->t1;
	return hi > lo ? (double)(hi - lo) : 0;
}

/*
 * A link holds at most three translation cues, so when one source cue meets
 * four or more (a finely cut timed track), the search leaves the rest
 * unused.  Give each unused translation cue (not an aside) to the
 * neighbouring link whose source cues it overlaps for at least half its
 * duration.
 */
static size_t attach_by_time(const ctx *C, link *L, size_t nl)
{
	for (int round = 0; round < 4; round++) {
		size_t k = 0;
		bool changed = false;
		for (size_t x = 0; x < nl; x++) {
			link *l = &L[x];
			const feat *t = l->nj == 1 ? &C->T[l->j] : NULL;
			if (!l->ni && t && !t->aside && t->t0 != TANDEM_NO_TIME && t->t1 > t->t0) {
				double half = 0.5 * (double)(t->t1 - t->t0);
				link *p = k ? &L[k - 1] : NULL;
				link *q = x + 1 < nl ? &L[x + 1] : NULL;
				if (p && p->ni && p->nj && p->j + p->nj == l->j && overlap_ms(C->S, p, t) >= half) {
					p->nj++;
					changed = true;
					continue;
				}
				if (q && q->ni && q->nj && q->j == l->j + 1 && overlap_ms(C->S, q, t) >= half) {
					q->j--;
					q->nj++;
					changed = true;
					continue;
				}
			}
			L[k++] = *l;
		}
		nl = k;
		if (!changed)
			break;
	}
	return nl;
}

/* ------------------------------------------------------------------ */
/* Public entry points                                                 */
/* ------------------------------------------------------------------ */

void tandem_align_opts_init(tandem_align_opts *o)
{
	memset(o, 0, sizeof *o);
}

static bool all_timed(const feat *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].t0 == TANDEM_NO_TIME || f[i].t1 == TANDEM_NO_TIME)
			return false;
	return n > 0;
}

static bool has_speakers(const tandem_doc *d)
{
	size_t n = tandem_doc_count(d), k = 0;
	for (size_t i = 0; i < n; i++)
		if (tandem_seg_speaker(d, i))
			k++;
	return n && k * 2 >= n;
}

int tandem_align_run(const tandem_doc *source, const tandem_doc *translation,
                     const tandem_align_opts *opts, tandem_alignment **out)
{
	if (!out || !source || !translation)
		return TANDEM_EINVAL;
	*out = NULL;
	tandem_align_opts defaults;
	if (!opts) {
		tandem_align_opts_init(&defaults);
		opts = &defaults;
	}
	size_t n = tandem_doc_count(source), m = tandem_doc_count(translation);
	if (!n || !m) {
		tandem__report(opts->diag, opts->diag_user, !n ? opts->source_name : opts->translation_name,
		               TANDEM_ERROR, "align-empty", 0, 0, -1, "%s has no segments to align",
		               !n ? "the source" : "the translation");
		return TANDEM_EEMPTY;
	}
	bool use_tr = doc_is_bilingual(translation);
	ctx C;
	memset(&C, 0, sizeof C);
	C.n = n;
	C.m = m;
	C.S = tandem__xcalloc(n, sizeof *C.S);
	C.T = tandem__xcalloc(m, sizeof *C.T);
	bool cjkS = doc_is_cjk(source, false), cjkT = doc_is_cjk(translation, use_tr);
	raw rs, rt;
	memset(&rs, 0, sizeof rs);
	memset(&rt, 0, sizeof rt);
	C.m1 = tandem__m1_new(n, m);
	tandem__tokens units = {NULL, 0, 0};
	tokenize_doc(source, false, cjkS, cjkS && !cjkT, opts->lexicon, &rs, C.S, C.m1, 0, &units);
	tokenize_doc(translation, use_tr, cjkT, cjkT && !cjkS, opts->lexicon, &rt, C.T, C.m1, 1,
	             &units);
	free(units.v);
	hset us = anchor_universe(&rs, false), ut = anchor_universe(&rt, true);
	size_t maxtok = 1;
	for (size_t i = 0; i < n; i++)
		if (rs.start[i + 1] - rs.start[i] > maxtok)
			maxtok = rs.start[i + 1] - rs.start[i];
	for (size_t j = 0; j < m; j++)
		if (rt.start[j + 1] - rt.start[j] > maxtok)
			maxtok = rt.start[j + 1] - rt.start[j];
	uint64_t *tmp = tandem__xmalloc(maxtok * sizeof *tmp);
	size_t setcap = 0, anchcap = 0;
	/* A source segment's set holds what translation anchors look for, and back. */
	build_sets(&C, &rs, C.S, n, &ut, tmp, &setcap);
	build_sets(&C, &rt, C.T, m, &us, tmp, &setcap);
	free(tmp);
	size_t ndfS, ndfT;
	dfent *dfS = df_table(&C, C.S, n, &ndfS), *dfT = df_table(&C, C.T, m, &ndfT);
	build_anchors(&C, &rs, C.S, n, dfT, ndfT, m, &anchcap);
	build_anchors(&C, &rt, C.T, m, dfS, ndfS, n, &anchcap);
	free(dfS);
	free(dfT);
	free(us.v);
	free(ut.v);
	free(rs.tok.v);
	free(rs.start);
	free(rt.tok.v);
	free(rt.start);

	bool timed = !opts->no_times && all_timed(C.S, n) && all_timed(C.T, m);
	model_init(&C, timed, has_speakers(source) && has_speakers(translation));

	double *cmin = tandem__xmalloc((n + 1) * sizeof *cmin);
	double *cmax = tandem__xmalloc((n + 1) * sizeof *cmax);
	if (!timed || !seed_times(&C, cmin)) {
		seed_anchors(&C, cmin, NULL, 0);
		memcpy(cmax, cmin, (n + 1) * sizeof *cmax);
		seed_anchors(&C, cmin, cmax, 100);
	}
	memcpy(cmax, cmin, (n + 1) * sizeof *cmax);
	size_t W = opts->band ? opts->band : DEFAULT_BAND;

	view V;
	memset(&V, 0, sizeof V);
	V.S = C.S;
	V.T = C.T;
	V.n = n;
	V.m = m;
	band B;
	memset(&B, 0, sizeof B);
	B.want_ev = true; /* learn() reads the first pass's margins */
	size_t *rmin = tandem__xmalloc((n + 1) * sizeof *rmin);
	size_t *rmax = tandem__xmalloc((n + 1) * sizeof *rmax);
	size_t nl;
	double total;
	link *L;
	if (n > FIRST_PASS_ROWS * 3) {
		/*
		 * A long text: the first pass only estimates the model, and a
		 * prefix does that as well; the second pass follows the seeds.
		 */
		size_t R = FIRST_PASS_ROWS, mR = (size_t)(cmin[R] + 0.5);
		if (mR < 1)
			mR = 1;
		if (mR > m)
			mR = m;
		view V1;
		memset(&V1, 0, sizeof V1);
		V1.S = C.S;
		V1.T = C.T;
		V1.n = R;
		V1.m = mR;
		view_logs(&V1, &C);
		double *c1min = tandem__xmalloc((R + 1) * sizeof *c1min);
		double *c1max = tandem__xmalloc((R + 1) * sizeof *c1max);
		memcpy(c1min, cmin, (R + 1) * sizeof *c1min);
		memcpy(c1max, cmax, (R + 1) * sizeof *c1max);
		c1min[R] = c1max[R] = (double)mR;
		L = search(&C, &V1, &B, c1min, c1max, W, 12, &nl, rmin, rmax, &total);
		learn(&C, &V1, &B, total, rmin, rmax, L, nl);
		reestimate(&C, L, nl);
		free(L);
		free(c1min);
		free(c1max);
		view_free(&V1);
		view_logs(&V, &C);
	} else {
		view_logs(&V, &C);
		L = search(&C, &V, &B, cmin, cmax, W, 12, &nl, rmin, rmax, &total);
		learn(&C, &V, &B, total, rmin, rmax, L, nl);
		reestimate(&C, L, nl);
		free(L);
		view_free(&V);
		view_logs(&V, &C);
		path_centre(rmin, rmax, n, cmin, cmax);
		/* centred on the first pass's path, the band needs less slack; it widens if not */
		if (C.m1 && W > LEARNED_BAND)
			W = LEARNED_BAND;
	}
	B.want_ev = true;
	if (n > FIRST_PASS_ROWS * 3 && C.m1) {
		/*
		 * A long text: this pass still follows the seeds in a wide band;
		 * the learned table joins in a third pass, in a narrow band
		 * around its path (the table only moves links locally).
		 */
		L = search(&C, &V, &B, cmin, cmax, W, 12, &nl, rmin, rmax, &total);
		free(L);
		path_centre(rmin, rmax, n, cmin, cmax);
		W = LEARNED_BAND;
	}
	V.m1 = C.m1;
	L = search(&C, &V, &B, cmin, cmax, W, 12, &nl, rmin, rmax, &total);

	double *margin = tandem__xmalloc((n + 1) * sizeof *margin);
	row_margins(&C, &V, &B, total, rmin, rmax, margin);
	if (V.m1)
		L = refine(&C, &V, &B, L, &nl);
	for (size_t x = 0; x < nl; x++)
		L[x].score = link_conf(&L[x], margin);
	free(margin);
	band_free(&B);
	view_free(&V);
	tandem__m1_free(C.m1);
	C.m1 = NULL;
	free(cmin);
	free(cmax);
	free(rmin);
	free(rmax);

	tandem_alignment *A = tandem__xcalloc(1, sizeof *A);
	A->n = n;
	A->m = m;
	A->use_translation_field = use_tr;
	A->related = true;
	double gain = order_gain(&C, L, nl);
	if (gain < UNRELATED_GAIN) {
		A->related = false;
		tandem__report(opts->diag, opts->diag_user, opts->translation_name, TANDEM_ERROR,
		               "align-unrelated", 0, 0, -1,
		               "the translation does not follow the source (order gains %.2f per "
		               "segment over a shuffled one); no links made",
		               gain);
		free(L);
		L = tandem__xmalloc((n + m) * sizeof *L);
		nl = 0;
		for (size_t i = 0; i < n; i++)
			L[nl++] = (link){i, 0, SH_10, 1, 1, 0};
		for (size_t j = 0; j < m; j++)
			L[nl++] = (link){n, j, SH_01, 1, 0, 1};
	}
	if (A->related && C.M.timed)
		nl = attach_by_time(&C, L, nl);
	A->links = L;
	A->nlinks = nl;
	for (size_t x = 0; x < nl; x++)
		if (L[x].nj)
			A->translated += (size_t)L[x].ni;
	free(C.S);
	free(C.T);
	free(C.anchors);
	free(C.sets);
	*out = A;
	return 0;
}

void tandem_alignment_free(tandem_alignment *a)
{
	if (!a)
		return;
	free(a->links);
	free(a);
}

size_t tandem_alignment_count(const tandem_alignment *a)
{
	return a ? a->nlinks : 0;
}

void tandem_alignment_link(const tandem_alignment *a, size_t k, size_t *src, size_t *nsrc,
                           size_t *tr, size_t *ntr)
{
	const link *l = &a->links[k];
	if (src)
		*src = l->i;
	if (nsrc)
		*nsrc = (size_t)l->ni;
	if (tr)
		*tr = l->j;
	if (ntr)
		*ntr = (size_t)l->nj;
}

double tandem_alignment_score(const tandem_alignment *a, size_t k)
{
	return a->links[k].score;
}

int tandem_alignment_low_confidence(const tandem_alignment *a, size_t k)
{
	return a->links[k].score < 0.5;
}

size_t tandem_alignment_translated(const tandem_alignment *a)
{
	return a ? a->translated : 0;
}

size_t tandem_alignment_source_count(const tandem_alignment *a)
{
	return a ? a->n : 0;
}

size_t tandem_alignment_translation_count(const tandem_alignment *a)
{
	return a ? a->m : 0;
}

int tandem_alignment_related(const tandem_alignment *a)
{
	return a && a->related;
}

/* ------------------------------------------------------------------ */
/* The bilingual document                                              */
/* ------------------------------------------------------------------ */

int tandem_alignment_apply(const tandem_alignment *a, const tandem_doc *source,
                           const tandem_doc *translation, int merge, tandem_doc **out)
{
	if (!a || !source || !translation || !out || tandem_doc_count(source) != a->n ||
	    tandem_doc_count(translation) != a->m)
		return TANDEM_EINVAL;
	tandem_doc *d = tandem_doc_clone(source);
	for (size_t i = 0; i < a->n; i++)
		tandem_seg_set_translation(d, i, NULL);
	tandem_buf b = TANDEM_BUF_INIT;
	/* From the end, so merging (removing segments) keeps earlier indices. */
	for (size_t x = a->nlinks; x-- > 0;) {
		const link *l = &a->links[x];
		size_t di = (size_t)l->ni, dj = (size_t)l->nj;
		if (!di || !dj)
			continue;
		tandem__buf_clear(&b);
		for (size_t k = 0; k < dj; k++)
			tandem__align_join(&b, side_text(translation, l->j + k, a->use_translation_field));
		if (di == 1) {
			tandem_seg_set_translation(d, l->i, b.ptr);
			continue;
		}
		if (merge) {
			tandem_buf text = TANDEM_BUF_INIT;
			for (size_t k = 0; k < di; k++)
				tandem__align_join(&text, tandem_seg_text(source, l->i + k));
			int64_t s0 = tandem_seg_start(source, l->i), e0 = tandem_seg_end(source, l->i + di - 1);
			tandem_seg_set_text(d, l->i, text.ptr);
			tandem_seg_set_times(d, l->i, s0, e0);
			tandem_seg_set_translation(d, l->i, b.ptr);
			tandem_doc_remove(d, l->i + 1, di - 1);
			tandem__buf_free(&text);
			continue;
		}
		double w[3];
		size_t cuts[2];
		for (size_t k = 0; k < di; k++) {
			const char *s = tandem_seg_text(source, l->i + k);
			w[k] = (double)tandem__align_length(s, strlen(s)) + 1;
		}
		tandem__align_split(b.ptr, b.len, w, di, cuts);
		size_t from = 0;
		for (size_t k = 0; k < di; k++) {
			size_t to = k + 1 < di ? cuts[k] : b.len;
			if (to < from)
				to = from;
			size_t s = from, e = to;
			while (s < e && b.ptr[s] == ' ')
				s++;
			while (e > s && b.ptr[e - 1] == ' ')
				e--;
			char *piece = tandem__xstrndup(b.ptr + s, e - s);
			tandem_seg_set_translation(d, l->i + k, piece);
			free(piece);
			from = to;
		}
	}
	tandem__buf_free(&b);
	*out = d;
	return 0;
}

static void put_range(tandem_buf *b, size_t from, size_t n)
{
	tandem__buf_putc(b, '[');
	for (size_t k = 0; k < n; k++)
		tandem__buf_printf(b, "%s%zu", k ? "," : "", from + k);
	tandem__buf_putc(b, ']');
}

char *tandem_alignment_report_json(const tandem_alignment *a, size_t *len)
{
	tandem_buf b = TANDEM_BUF_INIT;
	tandem__buf_puts(&b, "{\"links\":[");
	for (size_t x = 0; x < a->nlinks; x++) {
		const link *l = &a->links[x];
		tandem__buf_puts(&b, x ? ",\n{\"source\":" : "\n{\"source\":");
		put_range(&b, l->i, (size_t)l->ni);
		tandem__buf_puts(&b, ",\"translation\":");
		put_range(&b, l->j, (size_t)l->nj);
		tandem__buf_printf(&b, ",\"score\":%.3f}", l->score);
	}
	tandem__buf_printf(&b, "],\n\"coverage\":{\"source_segments\":%zu,\"translated\":%zu,"
	                      "\"untranslated\":[",
	                  a->n, a->translated);
	bool first = true;
	for (size_t x = 0; x < a->nlinks; x++)
		if (!a->links[x].nj) {
			tandem__buf_printf(&b, "%s%zu", first ? "" : ",", a->links[x].i);
			first = false;
		}
	tandem__buf_puts(&b, "],\"unused_translation\":[");
	first = true;
	for (size_t x = 0; x < a->nlinks; x++)
		if (!a->links[x].ni) {
			tandem__buf_printf(&b, "%s%zu", first ? "" : ",", a->links[x].j);
			first = false;
		}
	tandem__buf_puts(&b, "],\"low_confidence\":[");
	first = true;
	for (size_t x = 0; x < a->nlinks; x++)
		if (a->links[x].score < 0.5) {
			tandem__buf_printf(&b, "%s%zu", first ? "" : ",", x);
			first = false;
		}
	tandem__buf_puts(&b, "]}}\n");
	return tandem__buf_detach(&b, len);
}
