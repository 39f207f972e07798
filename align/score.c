/*
 * score.c - the aligner's model and link scores: the length model, the
 * binary and count features, the anchor weights, their first estimates
 * and their re-estimation from a first pass; the per-run sums a link's
 * score reads (the view), and the anchor evidence.  The score of one link
 * is inline in align_internal.h (link_evidence), for the search's loops.
 */
#include "align_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define L0 120.0

static const double sh_prior0[NSHAPES] = {0.80, 0.05, 0.07, 0.006, 0.012, 0.006, 0.03, 0.02};
/* How strongly a true link is expected to agree on each binary feature. */
static const double bin_agree0[NBIN] = {0.85, 0.85, 0.75, 0.8};

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

static void anchor_weights(ctx *C)
{
	for (size_t k = 0; k < C->nanch; k++) {
		anchor_ev *a = &C->anchors[k];
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

void tandem__align_model_init(ctx *C, bool timed, bool speakers)
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

void tandem__align_view_logs(view *v, const ctx *C)
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

void tandem__align_view_free(view *v)
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
		if ((f[k].bloom & bit) && tandem__align_hset_has(C->sets + f[k].soff, f[k].sn, h))
			return true;
	return false;
}

/*
 * Each anchor counts once per link: a name in both of two merged source
 * segments is one piece of evidence against the one mention in the
 * translation, not two.
 */
__attribute__((noinline)) double tandem__align_anchor_llr(const ctx *C, const view *V, size_t i0, size_t i1, size_t j0, size_t j1,
                         const agg *gs, const agg *gt)
{
	double e = 0;
	size_t di = i1 - i0, dj = j1 - j0, rs = i1 * 3 + di - 1, rt = j1 * 3 + dj - 1;
	for (uint32_t x = V->dSoff[rs]; x < V->dSoff[rs + 1]; x++) {
		const anchor_ev *a = &C->anchors[V->dS[x]];
		bool hit = (gt->bloom >> (a->h & 63) & 1) && in_sets(C, V->T, j0, j1, a->h);
		e += hit ? a->wm[dj - 1] : a->wx[dj - 1];
	}
	for (uint32_t x = V->dToff[rt]; x < V->dToff[rt + 1]; x++) {
		const anchor_ev *a = &C->anchors[V->dT[x]];
		if ((gs->abloom >> (a->h & 63) & 1) && has_anchor(C, V->S, i0, i1, a->h))
			continue;
		bool hit = (gs->bloom >> (a->h & 63) & 1) && in_sets(C, V->S, i0, i1, a->h);
		e += hit ? a->wm[di - 1] : a->wx[di - 1];
	}
	return e;
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

void tandem__align_reestimate(ctx *C, const link *L, size_t nl)
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
			const anchor_ev *an = &C->anchors[s->aoff + a];
			bool hit = tandem__align_hset_has(C->sets + t->soff, t->sn, an->h);
			seen += !an->lex;
			kept += !an->lex && hit;
		}
		for (uint32_t a = 0; a < t->an; a++) {
			const anchor_ev *an = &C->anchors[t->aoff + a];
			bool hit = tandem__align_hset_has(C->sets + s->soff, s->sn, an->h);
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
