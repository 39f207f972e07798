/*
 * run.c - the aligner's entry point, tandem_align_run: features, seeds,
 * the passes (first pass, learning, re-estimation, the pass with the
 * learned table), refinement and confidence; then the check that the
 * translation follows the source at all, and for timed tracks cut more
 * finely the cues a link could not hold.  Also the alignment's accessors.
 */
#include "align_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UNRELATED_GAIN 0.35
#define LEARNED_BAND 6
#define DEFAULT_BAND 8
#define PATH_BAND 6
#define SHUFFLE_BAND 12
#define FIRST_PASS_ROWS 10000
#define POOR_CUT 0.3

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
	tandem__align_view_logs(&V, C);
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
	link *L = tandem__align_search(C, &V, &B, cmin, cmax, W, 1, &nl, rmin, rmax, &total);
	free(L);
	free(rmin);
	free(rmax);
	free(cmin);
	free(cmax);
	tandem__align_band_free(&B);
	tandem__align_view_free(&V);
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
	tandem__align_path_centre(rmin, rmax, win, cmin, cmax);
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

/* The centre of the first band: the times when both sides are timed, else the anchors. */
static void seed_path(const ctx *C, bool timed, double *cmin, double *cmax)
{
	size_t n = C->n;
	if (!timed || !tandem__align_seed_times(C, cmin)) {
		tandem__align_seed_anchors(C, cmin, NULL, 0);
		memcpy(cmax, cmin, (n + 1) * sizeof *cmax);
		tandem__align_seed_anchors(C, cmin, cmax, 100);
	}
	memcpy(cmax, cmin, (n + 1) * sizeof *cmax);
}

/* What the passes share: the band, its centre and the path's rows. */
typedef struct passes {
	band B;
	double *cmin, *cmax;  /* the centre of the next band, n + 1 rows */
	size_t *rmin, *rmax;  /* the last path's span per row */
	size_t W;             /* the next band's half-width */
} passes;

/*
 * A long text: the first pass only estimates the model, and a prefix does
 * that as well; the second pass follows the seeds.  With a learned table,
 * that pass still follows the seeds in a wide band, and the table joins in
 * a third pass, in a narrow band around its path (the table only moves
 * links locally).
 */
static void first_passes_long(ctx *C, view *V, passes *P)
{
	size_t m = C->m, nl;
	double total;
	size_t R = FIRST_PASS_ROWS, mR = (size_t)(P->cmin[R] + 0.5);
	if (mR < 1)
		mR = 1;
	if (mR > m)
		mR = m;
	view V1;
	memset(&V1, 0, sizeof V1);
	V1.S = C->S;
	V1.T = C->T;
	V1.n = R;
	V1.m = mR;
	tandem__align_view_logs(&V1, C);
	double *c1min = tandem__xmalloc((R + 1) * sizeof *c1min);
	double *c1max = tandem__xmalloc((R + 1) * sizeof *c1max);
	memcpy(c1min, P->cmin, (R + 1) * sizeof *c1min);
	memcpy(c1max, P->cmax, (R + 1) * sizeof *c1max);
	c1min[R] = c1max[R] = (double)mR;
	link *L = tandem__align_search(C, &V1, &P->B, c1min, c1max, P->W, 12, &nl, P->rmin, P->rmax,
	                               &total);
	tandem__align_learn(C, &V1, &P->B, total, P->rmin, P->rmax, L, nl);
	tandem__align_reestimate(C, L, nl);
	free(L);
	free(c1min);
	free(c1max);
	tandem__align_view_free(&V1);
	tandem__align_view_logs(V, C);
	P->B.want_ev = true;
	if (C->m1) {
		L = tandem__align_search(C, V, &P->B, P->cmin, P->cmax, P->W, 12, &nl, P->rmin, P->rmax,
		                         &total);
		free(L);
		tandem__align_path_centre(P->rmin, P->rmax, C->n, P->cmin, P->cmax);
		P->W = LEARNED_BAND;
	}
}

/* The first pass over the whole text: it trains the table and re-estimates the model. */
static void first_pass(ctx *C, view *V, passes *P)
{
	size_t nl;
	double total;
	tandem__align_view_logs(V, C);
	link *L = tandem__align_search(C, V, &P->B, P->cmin, P->cmax, P->W, 12, &nl, P->rmin, P->rmax,
	                               &total);
	tandem__align_learn(C, V, &P->B, total, P->rmin, P->rmax, L, nl);
	tandem__align_reestimate(C, L, nl);
	free(L);
	tandem__align_view_free(V);
	tandem__align_view_logs(V, C);
	tandem__align_path_centre(P->rmin, P->rmax, C->n, P->cmin, P->cmax);
	/* centred on the first pass's path, the band needs less slack; it widens if not */
	if (C->m1 && P->W > LEARNED_BAND)
		P->W = LEARNED_BAND;
	P->B.want_ev = true;
}

/* The last pass, with the learned table; then refinement and each link's confidence. */
static link *last_pass(ctx *C, view *V, passes *P, size_t *nl)
{
	double total;
	V->m1 = C->m1;
	link *L = tandem__align_search(C, V, &P->B, P->cmin, P->cmax, P->W, 12, nl, P->rmin, P->rmax,
	                               &total);
	double *margin = tandem__xmalloc((C->n + 1) * sizeof *margin);
	tandem__align_row_margins(C, V, &P->B, total, P->rmin, P->rmax, margin);
	if (V->m1)
		L = tandem__align_refine(C, V, &P->B, L, nl);
	for (size_t x = 0; x < *nl; x++)
		L[x].score = tandem__align_link_conf(&L[x], margin);
	free(margin);
	return L;
}

/* Seeds, passes, refinement: the links of the related case (scores set). */
static link *align_passes(ctx *C, const tandem_align_opts *opts, size_t *nl)
{
	size_t n = C->n;
	passes P;
	memset(&P, 0, sizeof P);
	P.cmin = tandem__xmalloc((n + 1) * sizeof *P.cmin);
	P.cmax = tandem__xmalloc((n + 1) * sizeof *P.cmax);
	seed_path(C, C->M.timed, P.cmin, P.cmax);
	P.W = opts->band ? opts->band : DEFAULT_BAND;
	view V;
	memset(&V, 0, sizeof V);
	V.S = C->S;
	V.T = C->T;
	V.n = n;
	V.m = C->m;
	P.B.want_ev = true; /* learn() reads the first pass's margins */
	P.rmin = tandem__xmalloc((n + 1) * sizeof *P.rmin);
	P.rmax = tandem__xmalloc((n + 1) * sizeof *P.rmax);
	if (n > FIRST_PASS_ROWS * 3)
		first_passes_long(C, &V, &P);
	else
		first_pass(C, &V, &P);
	link *L = last_pass(C, &V, &P, nl);
	tandem__align_band_free(&P.B);
	tandem__align_view_free(&V);
	tandem__m1_free(C->m1);
	C->m1 = NULL;
	free(P.cmin);
	free(P.cmax);
	free(P.rmin);
	free(P.rmax);
	return L;
}

/*
 * A translation line shared by several source segments is cut over them
 * (apply.c); when the best cut is poor, the link is less sure than its
 * margin says, and its score is multiplied by the cut's quality.
 * tandem__cut_split's quality is exp(-cost / 4) per cut, cost = (share
 * missed / 0.1)^2 plus the cut's class (sentence end 0, clause mark 1,
 * conjunction 2.5, phrase 3.5, between words 6, a weak word break 8).
 * Poor is below 0.3 (cost 4.8): every cut between bare words (0.22 at the
 * share itself: the line gives no sign where one segment's translation
 * ends), and punctuation a fifth or more off the source's share; a clause
 * mark at the share (0.78) or a sentence end a tenth off (0.78) stays
 * sure.  The product is then below 0.3, under low_confidence's 0.5.  On
 * the benchmark (seeds 1-5 at levels 0.5, 1, 2 and the two lectures) it
 * flags 20 more links, 7 of them wrong, about the precision of the other
 * low-confidence links (52 wrong of 139); on the demo podcast, one (a
 * line with no punctuation cut between words).
 */
static void score_cuts(const tandem_doc *source, const tandem_doc *translation, bool use_tr,
                       bool cjk, link *L, size_t nl)
{
	tandem__cutter *cut = NULL;
	tandem__buf b = TANDEM_BUF_INIT;
	for (size_t x = 0; x < nl; x++) {
		if (L[x].ni < 2 || !L[x].nj)
			continue;
		size_t offs[2];
		double q = tandem__align_cut_link(&cut, source, translation, use_tr, cjk, &L[x], &b, offs);
		if (q < POOR_CUT)
			L[x].score *= q;
	}
	tandem__buf_free(&b);
	tandem__cutter_free(cut);
}

/* The translation does not follow the source: every segment on its own, reported. */
static link *unrelated_links(const tandem_align_opts *opts, size_t n, size_t m, double gain,
                             size_t *nl)
{
	tandem__report(opts->diag, opts->diag_user, opts->translation_name, TANDEM_ERROR,
	               "align-unrelated", 0, 0, -1,
	               "the translation does not follow the source (order gains %.2f per "
	               "segment over a shuffled one); no links made",
	               gain);
	link *L = tandem__xmalloc((n + m) * sizeof *L);
	*nl = 0;
	for (size_t i = 0; i < n; i++)
		L[(*nl)++] = (link){i, 0, SH_10, 1, 1, 0};
	for (size_t j = 0; j < m; j++)
		L[(*nl)++] = (link){n, j, SH_01, 1, 0, 1};
	return L;
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
	bool use_tr = tandem__align_bilingual(translation);
	ctx C;
	memset(&C, 0, sizeof C);
	C.n = n;
	C.m = m;
	tandem__align_features(&C, source, translation, use_tr, opts->lexicon);
	bool timed = !opts->no_times && all_timed(C.S, n) && all_timed(C.T, m);
	tandem__align_model_init(&C, timed, has_speakers(source) && has_speakers(translation));
	size_t nl;
	link *L = align_passes(&C, opts, &nl);

	tandem_alignment *A = tandem__xcalloc(1, sizeof *A);
	A->n = n;
	A->m = m;
	A->use_translation_field = use_tr;
	A->related = true;
	double gain = order_gain(&C, L, nl);
	if (gain < UNRELATED_GAIN) {
		A->related = false;
		free(L);
		L = unrelated_links(opts, n, m, gain, &nl);
	}
	if (A->related && C.M.timed)
		nl = attach_by_time(&C, L, nl);
	A->tr_cjk = C.cjkT;
	if (A->related)
		score_cuts(source, translation, use_tr, C.cjkT, L, nl);
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

