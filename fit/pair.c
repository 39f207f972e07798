/*
 * pair.c - the joint cut of a segment's two sides (tandem__cut_pair), and
 * the split of one text into k shares (tandem__cut_split, the aligner's
 * split repair), over the candidates cut.c finds.
 *
 * The joint cut (tandem__cut_pair) is a dynamic programme over pairs of
 * candidate cuts (i on the source, j on the translation): a piece from
 * (i, j) to (i', j') costs
 *
 *   RATIO_COST * ln((ft + e) / (fs + e))^2    fs, ft: its share of each
 *                                             side's spoken weight
 *   + class cost of the cut on each side      (a sentence end 0, a word 6)
 *   + PIECE_COST                              (fewer, fuller pieces)
 *   + duration costs                          (the share of the segment's
 *                                             time it would get, against
 *                                             min/max duration)
 *
 * and a piece may only run as far as its side's layout allows (max_lines
 * lines of line_chars / line_width, measured by a greedy fill over the
 * line break opportunities, which gives the fewest lines).  States far off
 * the diagonal (|fs - ft| > BAND) are not visited; when no path is found
 * there, the whole square is.  A long text is first split into chunks of
 * about CHUNK candidates at its best cuts (tandem__cut_split), so the
 * square stays small.
 */
#include "fit.h"
#include "side.h"
#include "tandem_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define RATIO_COST 10.0
#define RATIO_EPS 0.03
#define PIECE_COST 1.0
#define DRIFT_COST 250.0
#define MISMATCH_COST 1.5
#define POOR_RATIO 1.0986        /* ln 3: a piece with one side 3x the other's share */
#define OVERFULL_COST 40.0
#define BAND 0.25
#define CHUNK 240

/* ------------------------------------------------------------------ */
/* Split one text into k shares (the aligner's split repair)           */
/* ------------------------------------------------------------------ */

static double split_side(const side *d, size_t lo, size_t hi, const double *shares, size_t k,
                         size_t *pick)
{
	/* Cuts chosen among candidates lo+1 .. hi-1, k-1 of them, in order. */
	if (k <= 1)
		return 0;
	size_t m = hi - lo + 1;
	if (m < k + 1)
		return -1;
	double W = d->cand[hi].w - d->cand[lo].w, tot = 0;
	for (size_t q = 0; q < k; q++)
		tot += shares[q] > 0 ? shares[q] : 0;
	if (tot <= 0)
		tot = 1;
	double *cost = tandem__xmalloc(m * k * sizeof *cost);
	size_t *from = tandem__xmalloc(m * k * sizeof *from);
	for (size_t x = 0; x < m * k; x++)
		cost[x] = INFINITY;
	cost[0] = 0;   /* position 0 (lo), 0 cuts */
	double cum = 0;
	for (size_t q = 1; q < k; q++) {
		cum += (shares[q - 1] > 0 ? shares[q - 1] : 0) / tot;
		for (size_t x = q; x + (k - q) < m; x++) {
			double f = W > 0 ? (d->cand[lo + x].w - d->cand[lo].w) / W : (double)x / (double)(m - 1);
			double dev = (f - cum) / 0.1;
			double here = dev * dev + tandem__class_cost(d, lo + x);
			for (size_t p = q - 1; p < x; p++) {
				double c = cost[p * k + q - 1];
				if (c == INFINITY)
					continue;
				if (c + here < cost[x * k + q]) {
					cost[x * k + q] = c + here;
					from[x * k + q] = p;
				}
			}
		}
	}
	size_t best = SIZE_MAX;
	double bc = INFINITY;
	for (size_t x = k - 1; x + 1 < m; x++)
		if (cost[x * k + k - 1] < bc) {
			bc = cost[x * k + k - 1];
			best = x;
		}
	if (best == SIZE_MAX) {
		free(cost);
		free(from);
		return -1;
	}
	for (size_t q = k - 1, x = best; q >= 1; q--) {
		pick[q - 1] = lo + x;
		x = from[x * k + q];
	}
	free(cost);
	free(from);
	return bc;
}

double tandem__cut_split(tandem__cutter *c, const char *text, size_t len, bool cjk,
                         const double *shares, size_t k, size_t *offs)
{
	if (k <= 1)
		return 1;
	side d;
	tandem__side_init(c, &d, text, len, cjk);
	size_t *pick = tandem__xmalloc(k * sizeof *pick);
	double cost = split_side(&d, 0, d.ncand - 1, shares, k, pick);
	double q = 0;
	if (cost >= 0) {
		for (size_t x = 0; x + 1 < k; x++)
			offs[x] = d.cand[pick[x]].off;
		q = exp(-cost / (double)(k - 1) / 4.0);
	}
	free(pick);
	tandem__side_free(&d);
	return q;
}

/* ------------------------------------------------------------------ */
/* The joint programme                                                 */
/* ------------------------------------------------------------------ */

typedef struct plan_acc {
	size_t n, cap;
	size_t *s, *t;       /* candidate indices */
	bool poor_last;
} plan_acc;

static void acc_push(plan_acc *a, size_t s, size_t t)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->s = tandem__xrealloc(a->s, a->cap * sizeof *a->s);
		a->t = tandem__xrealloc(a->t, a->cap * sizeof *a->t);
	}
	a->s[a->n] = s;
	a->t[a->n] = t;
	a->n++;
}

static size_t reach_of(const side *d, size_t i, size_t hi, const tandem__layout *lay)
{
	size_t r = i + 1;
	size_t maxl = lay->max_lines ? lay->max_lines : SIZE_MAX;
	for (size_t k = i + 1; k <= hi; k++) {
		if (tandem__side_lines(d, d->cand_opp[i], d->cand_opp[k], lay) <= maxl)
			r = k;
		else
			break;
	}
	return r;
}

static double dur_cost(const tandem__cut_limits *lim, double share)
{
	if (lim->span_ms == TANDEM_NO_TIME || lim->span_ms <= 0)
		return 0;
	double est = (double)lim->span_ms * share, c = 0;
	if (lim->max_ms > 0 && est > (double)lim->max_ms)
		c += 3 + 6 * (est / (double)lim->max_ms - 1);
	if (lim->min_ms > 0 && est < (double)lim->min_ms)
		c += 10 * (1 - est / (double)lim->min_ms);
	return c;
}

typedef struct cell {
	double cost;
	int32_t pi, pj;
} cell;

/* One side of the programme, measured once: what the inner loops read. */
typedef struct dp_side {
	size_t n;
	size_t *reach;   /* the farthest candidate a piece from here may end at */
	double *f;       /* the candidate's share of the chunk's spoken weight */
	double *cls;     /* class_cost of a cut at the candidate */
	bool *over;      /* the piece to the next candidate is overfull on its own */
	double *lg;      /* lg[i * span + (k - i - 1)]: log of the share from i to k,
	                    plus RATIO_EPS, for k up to reach[i] */
	size_t span;
} dp_side;

static void dp_side_init(dp_side *x, const side *d, size_t lo, size_t hi,
                         const tandem__layout *lay, bool strong_only)
{
	size_t n = hi - lo + 1;
	size_t maxl = lay->max_lines ? lay->max_lines : SIZE_MAX;
	double W = d->cand[hi].w - d->cand[lo].w;
	x->n = n;
	x->reach = tandem__xmalloc(n * sizeof *x->reach);
	x->f = tandem__xmalloc(n * sizeof *x->f);
	x->cls = tandem__xmalloc(n * sizeof *x->cls);
	x->over = tandem__xmalloc(n * sizeof *x->over);
	for (size_t i = 0; i < n; i++) {
		x->reach[i] = i + 1 >= n ? i : strong_only ? n - 1 : reach_of(d, lo + i, hi, lay) - lo;
		x->f[i] = W > 0 ? (d->cand[lo + i].w - d->cand[lo].w) / W
		                : n > 1 ? (double)i / (double)(n - 1) : 0;
		x->cls[i] = tandem__class_cost(d, lo + i);
		if (strong_only && i > 0 && i + 1 < n && d->cand[lo + i].cls < TANDEM__CUT_CLAUSE)
			x->cls[i] = INFINITY;
		x->over[i] = i + 1 < n &&
		             tandem__side_lines(d, d->cand_opp[lo + i], d->cand_opp[lo + i + 1], lay) > maxl;
	}
	/* The ratio cost's logarithms, once per piece rather than once per pair. */
	x->span = 1;
	for (size_t i = 0; i < n; i++)
		if (x->reach[i] - i > x->span)
			x->span = x->reach[i] - i;
	x->lg = tandem__xmalloc(n * x->span * sizeof *x->lg);
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k <= x->reach[i]; k++)
			x->lg[i * x->span + (k - i - 1)] = log(x->f[k] - x->f[i] + RATIO_EPS);
}

static void dp_side_free(dp_side *x)
{
	free(x->reach);
	free(x->f);
	free(x->cls);
	free(x->over);
	free(x->lg);
}

/*
 * The DP over candidates [s_lo, s_hi] x [t_lo, t_hi] (t NULL: one side).
 * Appends the chosen cuts (after the start) to acc.  Returns false when no
 * path was found within the band.
 *
 * A state is a pair of candidates (i, j) that both sides have been cut at;
 * a step takes one piece of each, to (i2, j2).  The translation's cut must lie
 * within `band` of the source's (as shares of the chunk), so for each i2 only
 * the window [lo[i2], hi[i2]] of j2 is visited (the shares grow with the
 * index, so the window moves forward with i2).
 */
static bool pair_dp(const side *S, size_t s_lo, size_t s_hi, const side *T, size_t t_lo,
                    size_t t_hi, const tandem__cut_limits *lim, double span_share, double band,
                    plan_acc *acc)
{
	dp_side A, B = {0};
	dp_side_init(&A, S, s_lo, s_hi, &lim->src, lim->strong_only);
	if (T)
		dp_side_init(&B, T, t_lo, t_hi, &lim->tr, lim->strong_only);
	size_t m = A.n, n = T ? B.n : 1;
	size_t *wlo = NULL, *whi = NULL;
	if (T) {
		/* The band's window of j2 for each i2 (whi exclusive). */
		wlo = tandem__xmalloc(m * sizeof *wlo);
		whi = tandem__xmalloc(m * sizeof *whi);
		size_t lo = 0, hi = 0;
		for (size_t i2 = 0; i2 < m; i2++) {
			while (lo < n && B.f[lo] < A.f[i2] - band && fabs(A.f[i2] - B.f[lo]) > band)
				lo++;
			if (hi < lo)
				hi = lo;
			while (hi < n && !(B.f[hi] > A.f[i2] + band && fabs(A.f[i2] - B.f[hi]) > band))
				hi++;
			wlo[i2] = lo;
			whi[i2] = hi;
		}
	}
	cell *g = tandem__xmalloc(m * n * sizeof *g);
	for (size_t k = 0; k < m * n; k++)
		g[k] = (cell){INFINITY, -1, -1};
	g[0].cost = 0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			cell *c0 = &g[i * n + j];
			if (c0->cost == INFINITY || (i == m - 1 && j == n - 1))
				continue;
			if (T && (i == m - 1 || j == n - 1))
				continue;   /* one side ended: no piece may be empty on the other */
			for (size_t i2 = i + 1; i2 <= A.reach[i]; i2++) {
				double ps = A.f[i2] - A.f[i];
				double lps = A.lg[i * A.span + (i2 - i - 1)];
				double cs = A.cls[i2] + (i2 == i + 1 && A.over[i] ? OVERFULL_COST : 0);
				double base = c0->cost + cs + PIECE_COST + dur_cost(lim, ps * span_share);
				if (!T) {
					cell *c1 = &g[i2 * n];
					if (base < c1->cost)
						*c1 = (cell){base, (int32_t)i, 0};
					continue;
				}
				bool last = i2 == m - 1;
				int ks = S->cand[s_lo + i2].cls;
				/* The last source candidate pairs with the last of the translation
				 * only, whatever the band; the others with any but the last. */
				size_t j2a = last ? n - 1 : wlo[i2] > j + 1 ? wlo[i2] : j + 1;
				size_t j2b = last ? n : whi[i2] < n - 1 ? whi[i2] : n - 1;
				if (j2b > B.reach[j] + 1)
					j2b = B.reach[j] + 1;
				for (size_t j2 = j2a; j2 < j2b; j2++) {
					if (!last && fabs(A.f[i2] - B.f[j2]) > band)
						continue;   /* the window's edges, to the last bit */
					double lr = B.lg[j * B.span + (j2 - j - 1)] - lps;
					/* The cut points themselves must correspond: no drift. */
					double dr = A.f[i2] - B.f[j2];
					int kt = T->cand[t_lo + j2].cls;
					double mis = (ks == TANDEM__CUT_SENTENCE) != (kt == TANDEM__CUT_SENTENCE) &&
					                     j2 + 1 < n
					                 ? MISMATCH_COST
					                 : 0;
					double c = base + RATIO_COST * lr * lr + DRIFT_COST * dr * dr + mis +
					           B.cls[j2] + (j2 == j + 1 && B.over[j] ? OVERFULL_COST : 0);
					cell *c1 = &g[i2 * n + j2];
					if (c < c1->cost)
						*c1 = (cell){c, (int32_t)i, (int32_t)j};
				}
			}
		}
	bool ok = g[m * n - 1].cost < INFINITY;
	if (ok) {
		size_t cnt = 0;
		for (int32_t i = (int32_t)m - 1, j = (int32_t)n - 1; i > 0;) {
			cell *c = &g[(size_t)i * n + (size_t)j];
			cnt++;
			i = c->pi;
			j = c->pj;
		}
		for (size_t k = 0; k < cnt; k++)
			acc_push(acc, 0, 0);
		size_t k = acc->n;
		for (int32_t i = (int32_t)m - 1, j = (int32_t)n - 1; i > 0;) {
			cell *c = &g[(size_t)i * n + (size_t)j];
			k--;
			acc->s[k] = s_lo + (size_t)i;
			acc->t[k] = t_lo + (size_t)j;
			i = c->pi;
			j = c->pj;
		}
	}
	dp_side_free(&A);
	if (T)
		dp_side_free(&B);
	free(wlo);
	free(whi);
	free(g);
	return ok;
}

void tandem__cut_plan_free(tandem__cut_plan *p)
{
	free(p->s);
	free(p->t);
	free(p->s_end);
	free(p->t_end);
	free(p->share);
	memset(p, 0, sizeof *p);
}

int tandem__cut_pair(tandem__cutter *c, const char *src, bool src_cjk, const char *tr,
                     bool tr_cjk, const tandem__cut_limits *lim, tandem__cut_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	side S, T;
	tandem__side_init(c, &S, src, strlen(src), src_cjk);
	bool bi = tr && *tr;
	if (bi)
		tandem__side_init(c, &T, tr, strlen(tr), tr_cjk);
	/* Chunks: split long texts at their best cuts, both sides by the same shares. */
	size_t big = S.ncand > (bi ? T.ncand : 0) ? S.ncand : T.ncand;
	size_t K = big > CHUNK ? (big + CHUNK - 1) / CHUNK : 1;
	if (bi && (S.ncand < K + 1 || T.ncand < K + 1))
		K = 1;
	size_t *cs = tandem__xmalloc((K + 1) * sizeof *cs), *ct = tandem__xmalloc((K + 1) * sizeof *ct);
	cs[0] = ct[0] = 0;
	cs[K] = S.ncand - 1;
	ct[K] = bi ? T.ncand - 1 : 0;
	if (K > 1) {
		double *sh = tandem__xmalloc(K * sizeof *sh);
		for (size_t k = 0; k < K; k++)
			sh[k] = 1;
		if (split_side(&S, 0, S.ncand - 1, sh, K, cs + 1) < 0)
			K = 1, cs[1] = S.ncand - 1;
		else if (bi) {
			/* The translation at the source's shares. */
			double Ws = S.cand[S.ncand - 1].w;
			double prev = 0;
			for (size_t k = 0; k < K; k++) {
				double f = k + 1 < K ? S.cand[cs[k + 1]].w / (Ws > 0 ? Ws : 1) : 1;
				sh[k] = f - prev;
				prev = f;
			}
			if (split_side(&T, 0, T.ncand - 1, sh, K, ct + 1) < 0) {
				K = 1;
				cs[1] = S.ncand - 1;
				ct[1] = T.ncand - 1;
			}
		}
		free(sh);
	}
	plan_acc acc = {0, 0, NULL, NULL, false};
	double Ws = S.cand[S.ncand - 1].w;
	for (size_t k = 0; k < K; k++) {
		double share = Ws > 0 ? (S.cand[cs[k + 1]].w - S.cand[cs[k]].w) / Ws : 1.0 / (double)K;
		if (!pair_dp(&S, cs[k], cs[k + 1], bi ? &T : NULL, ct[k], ct[k + 1], lim, share, BAND,
		             &acc) &&
		    !pair_dp(&S, cs[k], cs[k + 1], bi ? &T : NULL, ct[k], ct[k + 1], lim, share, 2.0,
		             &acc)) {
			/* No path at all (a side too short to pair): the chunk whole. */
			acc_push(&acc, cs[k + 1], bi ? ct[k + 1] : 0);
		}
	}
	size_t P = acc.n;
	plan->npieces = P;
	plan->s = tandem__xmalloc((P + 1) * sizeof *plan->s);
	plan->s_end = tandem__xmalloc((P + 1) * sizeof *plan->s_end);
	plan->share = tandem__xmalloc((P ? P : 1) * sizeof *plan->share);
	if (bi) {
		plan->t = tandem__xmalloc((P + 1) * sizeof *plan->t);
		plan->t_end = tandem__xmalloc((P + 1) * sizeof *plan->t_end);
	}
	plan->s[0] = 0;
	if (bi)
		plan->t[0] = 0;
	size_t ps = 0, pt = 0;
	double Wt = bi ? T.cand[T.ncand - 1].w : 0;
	for (size_t k = 0; k < P; k++) {
		size_t si = acc.s[k], ti = acc.t[k];
		plan->s[k + 1] = S.cand[si].off;
		plan->s_end[k] = S.cand[si].end ? S.cand[si].end : S.cand[si].off;
		double fs = Ws > 0 ? (S.cand[si].w - S.cand[ps].w) / Ws : 1.0 / (double)P;
		plan->share[k] = fs;
		if (tandem__side_lines(&S, S.cand_opp[ps], S.cand_opp[si], &lim->src) >
		    (lim->src.max_lines ? lim->src.max_lines : SIZE_MAX))
			plan->overfull++;
		if (bi) {
			plan->t[k + 1] = T.cand[ti].off;
			plan->t_end[k] = T.cand[ti].end ? T.cand[ti].end : T.cand[ti].off;
			double ft = Wt > 0 ? (T.cand[ti].w - T.cand[pt].w) / Wt : 1.0 / (double)P;
			if (P > 1 && fabs(log((ft + RATIO_EPS) / (fs + RATIO_EPS))) > POOR_RATIO)
				plan->poor++;
			else if (lim->strong_only)
				plan->poor++;
			if (tandem__side_lines(&T, T.cand_opp[pt], T.cand_opp[ti], &lim->tr) >
			    (lim->tr.max_lines ? lim->tr.max_lines : SIZE_MAX))
				plan->overfull++;
		}
		ps = si;
		pt = ti;
	}
	plan->s_end[P] = strlen(src);
	if (bi)
		plan->t_end[P] = strlen(tr);
	free(acc.s);
	free(acc.t);
	free(cs);
	free(ct);
	tandem__side_free(&S);
	if (bi)
		tandem__side_free(&T);
	return 0;
}

/* Letters and digits of text[0, len) before each candidate: lt[x] for cand[x].off. */
static size_t *letters_before(const side *d)
{
	size_t *lt = tandem__xmalloc((d->ncand + 1) * sizeof *lt);
	size_t at = 0, n = 0;
	for (size_t x = 0; x < d->ncand; x++) {
		while (at < d->cand[x].off && at < d->len) {
			int32_t cp;
			at += tandem__utf8_decode(d->s + at, d->len - at, &cp);
			utf8proc_category_t cat = utf8proc_category(cp);
			n += (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			     (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
		}
		lt[x] = n;
	}
	return lt;
}

double tandem__cut_split_min(tandem__cutter *c, const char *text, size_t len, bool cjk,
                             const double *shares, size_t k, size_t min_letters, size_t *offs)
{
	if (k <= 1)
		return 1;
	side d;
	tandem__side_init(c, &d, text, len, cjk);
	size_t *lt = letters_before(&d), last = lt[d.ncand - 1], n = 0;
	/* A cut too near either end leaves a short first or last piece. */
	for (size_t x = 0; x < d.ncand; x++)
		if (x == 0 || x + 1 == d.ncand || (lt[x] >= min_letters && last - lt[x] >= min_letters)) {
			d.cand[n] = d.cand[x];
			lt[n++] = lt[x];
		}
	d.ncand = n;
	size_t *pick = tandem__xmalloc(k * sizeof *pick);
	double q = 0;
	for (;;) {
		double cost = split_side(&d, 0, d.ncand - 1, shares, k, pick);
		if (cost < 0)
			break;
		/* a short piece between two cuts: drop its end cut and choose again */
		size_t bad = SIZE_MAX;
		for (size_t x = 1; x + 1 < k && bad == SIZE_MAX; x++)
			if (lt[pick[x]] - lt[pick[x - 1]] < min_letters)
				bad = pick[x];
		if (bad == SIZE_MAX) {
			for (size_t x = 0; x + 1 < k; x++)
				offs[x] = d.cand[pick[x]].off;
			q = exp(-cost / (double)(k - 1) / 4.0);
			break;
		}
		memmove(d.cand + bad, d.cand + bad + 1, (d.ncand - bad - 1) * sizeof *d.cand);
		memmove(lt + bad, lt + bad + 1, (d.ncand - bad - 1) * sizeof *lt);
		d.ncand--;
	}
	free(pick);
	free(lt);
	tandem__side_free(&d);
	return q;
}
