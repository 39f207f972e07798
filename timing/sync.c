/*
 * sync.c - move a document's cues onto a recording's speech (or onto
 * another document's cues): new = ratio * old + offset.
 *
 * Everything happens on the 10 ms frame grid.  The reference is a 0/1 mask
 * r (detected speech, or cue coverage of the reference document); the
 * document gives a 0/1 coverage mask s for a trial ratio.  With both made
 * zero-mean, the correlation c[D] = sum_u s[u] r[u + D] over every lag D is
 * one product of FFTs, and each lag's score is that correlation divided by
 * the norms of s and of the stretch of r it overlaps (a Pearson
 * correlation, -1..1), so lags and ratios compare fairly.  Lags where less
 * than half of the document would overlap the reference are not tried.
 *
 * The best lag's offset is refined below the 10 ms grid by a parabola
 * through the scores either side, or, when neighbouring lags score as well
 * (cues that hold their speech with some slack), it is the middle of that
 * plateau.  The standard ratios are tried first;
 * then the best one is perturbed by +-0.05%, +-0.15% and +-0.3%.  A
 * perturbation that wins by more than RATIO_GAIN is used, except at +-0.3%,
 * the edge: the true ratio then lies outside what was searched, and the
 * result is refused.
 *
 * Splits: the highest distinct peaks of the winning ratio's correlation are
 * candidate offsets; a dynamic programme over the cues picks one candidate
 * per cue maximising the agreement of each cue with the reference
 * (frames of speech minus frames of non-speech under the cue) minus
 * split_penalty for every change of candidate, with at most max_splits
 * changes.
 *
 * tandem_sync_frames runs on a mask, in named steps (options, the
 * document's span, the ratio search, the offsets, the checks);
 * tandem_sync_run makes the mask from a recording through tandem__vad_run
 * (vad.h), tandem_sync_reference from another document's cues.  The FFT
 * is fft.c's.
 */
#include "tandem_private.h"
#include "fft.h"
#include "vad.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATIO_GAIN 0.02
#define RATIO_TIE 0.005    /* a standard ratio must beat 1 by this */
#define PLATEAU 0.001      /* scores this close to the best are as good */
#define MAX_CANDIDATES 12
#define COARSE_FROM 12000  /* frames: 2 minutes */
#define COARSE_STEP 4

void tandem_sync_opts_init(tandem_sync_opts *o)
{
	memset(o, 0, sizeof *o);
	tandem_vad_opts_init(&o->vad);
	o->max_offset_ms = 60000;
	o->min_score = 0.25;
}

typedef struct sync_ctx {
	const tandem_doc *doc;
	const unsigned char *ref;
	size_t R;                 /* reference frames */
	double rmean;
	double *a2;               /* prefix sums of (r - rmean)^2, R + 1 */
	size_t *rpre;             /* prefix counts of speech frames, R + 1 */
	size_t N;
	tandem__fft *fft;
	double *fr, *fi;          /* FFT of the zero-mean reference */
	double *wr, *wi;          /* work */
	int64_t min_start, max_end;
	int64_t max_lag_ms;       /* lags searched: |offset| up to this */
	int cell_ms;              /* grid: 10 ms, or coarser for the first search */
} sync_ctx;

typedef struct trial {
	double ratio;
	double score;
	double offset_ms;         /* refined below the grid */
	bool found;
} trial;

static int64_t frame_floor(double ms)
{
	return (int64_t)floor(ms / TANDEM_FRAME_MS);
}

static int64_t frame_ceil(double ms)
{
	return (int64_t)ceil(ms / TANDEM_FRAME_MS);
}

static int64_t cell_floor(const sync_ctx *c, double ms)
{
	return (int64_t)floor(ms / c->cell_ms);
}

static int64_t cell_ceil(const sync_ctx *c, double ms)
{
	return (int64_t)ceil(ms / c->cell_ms);
}

/*
 * Correlate the coverage at `ratio` with the reference.  Fills wr[D] with
 * the score of lag D (D indexes wr circularly) and returns the best trial.
 */
static trial correlate(sync_ctx *c, double ratio, int64_t *first_out, int64_t *ulen_out)
{
	trial t = {ratio, -2, 0, false};
	size_t N = c->N;
	int64_t first = cell_floor(c, ratio * (double)c->min_start);
	int64_t U = cell_ceil(c, ratio * (double)c->max_end) - first;
	if (U < 1)
		U = 1;
	*first_out = first;
	*ulen_out = U;
	memset(c->wr, 0, N * sizeof *c->wr);
	memset(c->wi, 0, N * sizeof *c->wi);
	size_t n = tandem_doc_count(c->doc);
	for (size_t i = 0; i < n; i++) {
		int64_t s = cell_floor(c, ratio * (double)tandem_seg_start(c->doc, i)) - first;
		int64_t e = cell_ceil(c, ratio * (double)tandem_seg_end(c->doc, i)) - first;
		if (s < 0)
			s = 0;
		for (int64_t u = s; u < e && u < U; u++)
			c->wr[u] = 1;
	}
	double mean = 0;
	for (int64_t u = 0; u < U; u++)
		mean += c->wr[u];
	mean /= (double)U;
	double bnorm = 0;
	for (int64_t u = 0; u < U; u++) {
		c->wr[u] -= mean;
		bnorm += c->wr[u] * c->wr[u];
	}
	bnorm = sqrt(bnorm);
	tandem__fft_run(c->fft, c->wr, c->wi, false);
	for (size_t k = 0; k < N; k++) {
		/* F(a) * conj(F(b)) */
		double xr = c->fr[k] * c->wr[k] + c->fi[k] * c->wi[k];
		double xi = c->fi[k] * c->wr[k] - c->fr[k] * c->wi[k];
		c->wr[k] = xr;
		c->wi[k] = xi;
	}
	tandem__fft_run(c->fft, c->wr, c->wi, true);
	/* Turn correlations into scores, in place, over the lags allowed. */
	int64_t R = (int64_t)c->R;
	int64_t lagmax = c->max_lag_ms / c->cell_ms + 1;
	for (size_t k = 0; k < N; k++) {
		int64_t D = k < N / 2 + 1 ? (int64_t)k : (int64_t)k - (int64_t)N;
		double corr = c->wr[k] / (double)N;
		c->wr[k] = -2;
		int64_t off = D - first;
		if (off > lagmax || off < -lagmax)
			continue;
		int64_t lo = D > 0 ? D : 0, hi = U + D < R ? U + D : R;
		if (hi - lo < (U + 1) / 2 || hi <= lo)
			continue;
		double anorm = sqrt(c->a2[hi] - c->a2[lo]);
		if (anorm <= 0 || bnorm <= 0)
			continue;
		double sc = corr / (anorm * bnorm);
		c->wr[k] = sc;
		if (sc > t.score) {
			t.score = sc;
			t.offset_ms = (double)off * c->cell_ms;
			t.found = true;
		}
	}
	if (t.found) {
		int64_t D = (int64_t)llround(t.offset_ms / c->cell_ms) + first;
		size_t k = (size_t)((D % (int64_t)N + (int64_t)N) % (int64_t)N);
		/*
		 * Cues usually hold their speech with some lead-in and lead-out, so
		 * the score has a plateau as wide as the slack: take its middle.
		 */
		size_t left = 0, right = 0;
		while (left < N / 4 && c->wr[(k + N - left - 1) % N] >= t.score - PLATEAU)
			left++;
		while (right < N / 4 && c->wr[(k + right + 1) % N] >= t.score - PLATEAU)
			right++;
		if (left || right) {
			t.offset_ms += ((double)right - (double)left) / 2 * c->cell_ms;
		} else {
			double y0 = c->wr[(k + N - 1) % N], y1 = c->wr[k], y2 = c->wr[(k + 1) % N];
			if (y0 > -2 && y2 > -2) {
				double den = y0 - 2 * y1 + y2;
				if (den < 0) {
					double d = 0.5 * (y0 - y2) / den;
					if (d > -1 && d < 1)
						t.offset_ms += d * c->cell_ms;
				}
			}
		}
	}
	return t;
}

/* Speech frames minus other frames under [s, e) ms of the reference. */
static double agreement(const sync_ctx *c, double s, double e)
{
	int64_t a = frame_floor(s), b = frame_ceil(e);
	if (a < 0)
		a = 0;
	if (b > (int64_t)c->R)
		b = (int64_t)c->R;
	if (b <= a)
		return 0;
	double sp = (double)(c->rpre[b] - c->rpre[a]);
	return 2 * sp - (double)(b - a);
}

/* Pearson correlation of the moved coverage with the reference. */
static double final_score(const sync_ctx *c, double ratio, const double *off)
{
	size_t n = tandem_doc_count(c->doc);
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		int64_t s = frame_floor(ratio * (double)tandem_seg_start(c->doc, i) + off[i]);
		int64_t e = frame_ceil(ratio * (double)tandem_seg_end(c->doc, i) + off[i]);
		if (s < lo)
			lo = s;
		if (e > hi)
			hi = e;
	}
	if (lo < 0)
		lo = 0;
	if (hi > (int64_t)c->R)
		hi = (int64_t)c->R;
	if (hi - lo < 2)
		return -1;
	size_t len = (size_t)(hi - lo);
	unsigned char *m = tandem__xcalloc(len, 1);
	for (size_t i = 0; i < n; i++) {
		int64_t s = frame_floor(ratio * (double)tandem_seg_start(c->doc, i) + off[i]) - lo;
		int64_t e = frame_ceil(ratio * (double)tandem_seg_end(c->doc, i) + off[i]) - lo;
		for (int64_t u = s < 0 ? 0 : s; u < e && u < (int64_t)len; u++)
			m[u] = 1;
	}
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	for (size_t u = 0; u < len; u++) {
		double x = m[u], y = c->ref[(size_t)lo + u];
		sx += x;
		sy += y;
		sxx += x * x;
		syy += y * y;
		sxy += x * y;
	}
	free(m);
	double N = (double)len;
	double cov = sxy - sx * sy / N;
	double vx = sxx - sx * sx / N, vy = syy - sy * sy / N;
	if (vx <= 0 || vy <= 0)
		return -1;
	return cov / sqrt(vx * vy);
}

/*
 * Pick up to `max` distinct peaks (>= min_sep frames apart) from the scores
 * in wr, among offsets no larger than max_off_ms.
 */
static size_t pick_peaks(const sync_ctx *c, int64_t first, double *offs, size_t max,
                         int64_t max_off_ms)
{
	size_t N = c->N, np = 0;
	const int64_t min_sep = 20;
	int64_t lags[MAX_CANDIDATES];
	double best[MAX_CANDIDATES];
	for (size_t k = 0; k < N; k++) {
		double y = c->wr[k];
		if (y <= -2 || y < c->wr[(k + N - 1) % N] || y < c->wr[(k + 1) % N])
			continue;
		int64_t D = k < N / 2 + 1 ? (int64_t)k : (int64_t)k - (int64_t)N;
		if (llabs(D - first) * c->cell_ms > max_off_ms)
			continue;
		/* Replace a close, lower peak; else insert if among the best. */
		size_t j;
		for (j = 0; j < np; j++)
			if (llabs(lags[j] - D) < min_sep)
				break;
		if (j < np) {
			if (y > best[j]) {
				best[j] = y;
				lags[j] = D;
			}
			continue;
		}
		if (np < max) {
			lags[np] = D;
			best[np++] = y;
			continue;
		}
		size_t w = 0;
		for (j = 1; j < np; j++)
			if (best[j] < best[w])
				w = j;
		if (y > best[w]) {
			best[w] = y;
			lags[w] = D;
		}
	}
	for (size_t j = 0; j < np; j++)
		offs[j] = (double)(lags[j] - first) * c->cell_ms;
	return np;
}

/*
 * Choose a candidate offset per cue: maximise agreement minus penalty per
 * change, at most max_splits changes.  Fills off[i].
 */
static void split_dp(const sync_ctx *c, double ratio, const double *cand, size_t K,
                     size_t start_k, int max_splits, double penalty, double *off)
{
	size_t n = tandem_doc_count(c->doc);
	size_t S = (size_t)max_splits + 1;
	double *dp = tandem__xmalloc(n * K * S * sizeof *dp);
	unsigned short *from = tandem__xmalloc(n * K * S * sizeof *from);
#define AT(i, j, s) (((i) * K + (j)) * S + (s))
	for (size_t i = 0; i < n; i++) {
		double st = ratio * (double)tandem_seg_start(c->doc, i);
		double en = ratio * (double)tandem_seg_end(c->doc, i);
		for (size_t j = 0; j < K; j++) {
			double w = agreement(c, st + cand[j], en + cand[j]);
			for (size_t s = 0; s < S; s++) {
				double bestv = -INFINITY;
				size_t bj = j;
				if (i == 0) {
					bestv = s == 0 ? 0 : -INFINITY;
				} else {
					bestv = dp[AT(i - 1, j, s)];
					if (s > 0)
						for (size_t q = 0; q < K; q++) {
							if (q == j)
								continue;
							double v = dp[AT(i - 1, q, s - 1)] - penalty;
							if (v > bestv) {
								bestv = v;
								bj = q;
							}
						}
				}
				dp[AT(i, j, s)] = bestv + w;
				from[AT(i, j, s)] = (unsigned short)bj;
			}
		}
	}
	size_t bj = start_k, bs = 0;
	double bv = -INFINITY;
	for (size_t j = 0; j < K; j++)
		for (size_t s = 0; s < S; s++)
			if (dp[AT(n - 1, j, s)] > bv) {
				bv = dp[AT(n - 1, j, s)];
				bj = j;
				bs = s;
			}
	for (size_t i = n; i-- > 0;) {
		off[i] = cand[bj];
		size_t pj = from[AT(i, bj, bs)];
		if (i > 0 && pj != bj)
			bs--;
		bj = pj;
	}
#undef AT
	free(dp);
	free(from);
}

/*
 * Fill the reference side of a context on a grid of `step` frames (a cell
 * holds the share of its frames that are speech), for lags up to span_ms.
 */
static void ctx_setup(sync_ctx *c, const unsigned char *ref, size_t Rf, size_t speech, int step,
                      int64_t span_ms)
{
	c->cell_ms = step * TANDEM_FRAME_MS;
	c->ref = ref;
	c->R = (Rf + (size_t)step - 1) / (size_t)step;
	size_t R = c->R;
	int64_t span = cell_ceil(c, (double)span_ms) + 4;
	c->N = 2;
	while (c->N < R + (size_t)span + 2)
		c->N *= 2;
	c->fft = tandem__fft_new(c->N);
	c->fr = tandem__xcalloc(c->N, sizeof *c->fr);
	c->fi = tandem__xcalloc(c->N, sizeof *c->fi);
	c->wr = tandem__xcalloc(c->N, sizeof *c->wr);
	c->wi = tandem__xcalloc(c->N, sizeof *c->wi);
	c->a2 = tandem__xmalloc((R + 1) * sizeof *c->a2);
	c->rmean = (double)speech / (double)Rf;
	c->a2[0] = 0;
	for (size_t u = 0; u < R; u++) {
		size_t lo = u * (size_t)step, hi = lo + (size_t)step < Rf ? lo + (size_t)step : Rf;
		size_t k = 0;
		for (size_t t = lo; t < hi; t++)
			k += ref[t] != 0;
		double a = (double)k / (double)(hi - lo) - c->rmean;
		c->fr[u] = a;
		c->a2[u + 1] = c->a2[u] + a * a;
	}
	if (step == 1) {
		c->rpre = tandem__xmalloc((R + 1) * sizeof *c->rpre);
		c->rpre[0] = 0;
		for (size_t t = 0; t < R; t++)
			c->rpre[t + 1] = c->rpre[t] + (ref[t] != 0);
	}
	tandem__fft_run(c->fft, c->fr, c->fi, false);
}

static void ctx_free(sync_ctx *c)
{
	tandem__fft_free(c->fft);
	free(c->fr);
	free(c->fi);
	free(c->wr);
	free(c->wi);
	free(c->a2);
	free(c->rpre);
}

static int refuse(tandem_sync_result *res, const tandem_sync_opts *o, const char *why)
{
	res->reason = why;
	tandem__report(o->diag, o->diag_user, o->filename, TANDEM_ERROR, "sync-refused", 0, 0, -1,
	               "%s", why);
	return TANDEM_EREFUSED;
}

/* The options with their defaults filled in and max_splits capped. */
static void sync_opts_resolve(const tandem_sync_opts *opts, tandem_sync_opts *o)
{
	if (opts)
		*o = *opts;
	else
		tandem_sync_opts_init(o);
	if (o->max_offset_ms <= 0)
		o->max_offset_ms = 60000;
	if (o->min_score == 0)
		o->min_score = 0.25;
	if (o->split_penalty <= 0)
		o->split_penalty = 5;
	if (o->max_splits > TANDEM_SYNC_MAX_SPLITS)
		o->max_splits = TANDEM_SYNC_MAX_SPLITS;
}

/* The document's span (min_start, max_end) into c; every cue must be timed. */
static int doc_span(sync_ctx *c, const tandem_sync_opts *o)
{
	size_t n = tandem_doc_count(c->doc);
	c->min_start = INT64_MAX;
	c->max_end = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		int64_t s = tandem_seg_start(c->doc, i), e = tandem_seg_end(c->doc, i);
		if (s == TANDEM_NO_TIME || e == TANDEM_NO_TIME) {
			tandem__report(o->diag, o->diag_user, NULL, TANDEM_ERROR, "sync-untimed", 0, 0,
			               (long)i, "segment %zu has no times (use retime for untimed text)",
			               i + 1);
			return TANDEM_EINVAL;
		}
		if (s < c->min_start)
			c->min_start = s;
		if (e > c->max_end)
			c->max_end = e;
	}
	if (c->max_end <= c->min_start)
		c->max_end = c->min_start + TANDEM_FRAME_MS;
	return 0;
}

/*
 * The ratio: the given one, or the best standard ratio on srch, then the
 * best of its perturbations.  Returns 0 with *best found, or a refusal
 * (the winner at the edge of the search, or no overlap at all).
 */
static int search_ratio(sync_ctx *c, sync_ctx *srch, const tandem_sync_opts *o,
                        tandem_sync_result *res, trial *best)
{
	static const double std_ratios[] = {1.0, 1001.0 / 1000, 1000.0 / 1001, 25.0 / 24,
	                                    24.0 / 25, 25 / 23.976, 23.976 / 25};
	static const double perturb[] = {-0.003, -0.0015, -0.0005, 0.0005, 0.0015, 0.003};
	int64_t first, ulen;
	*best = (trial){1, -2, 0, false};
	if (o->ratio > 0) {
		*best = correlate(c, o->ratio, &first, &ulen);
	} else {
		for (size_t k = 0; k < sizeof std_ratios / sizeof *std_ratios; k++) {
			trial t = correlate(srch, std_ratios[k], &first, &ulen);
			/* The plain ratio wins ties: a change of frame rate must show. */
			if (t.found && t.score > best->score + (k ? RATIO_TIE : 0))
				*best = t;
		}
		if (best->found) {
			trial edge = *best, inner = *best;
			for (size_t k = 0; k < sizeof perturb / sizeof *perturb; k++) {
				trial t = correlate(srch, best->ratio * (1 + perturb[k]), &first, &ulen);
				bool at_edge = fabs(perturb[k]) > 0.002;
				trial *slot = at_edge ? &edge : &inner;
				if (t.found && t.score > slot->score)
					*slot = t;
			}
			if (edge.score > best->score + RATIO_GAIN && edge.score > inner.score) {
				res->ratio = edge.ratio;
				res->offset_ms = (int64_t)llround(edge.offset_ms);
				res->score = edge.score;
				return refuse(res, o, "the best ratio lies at the edge of the search "
				                      "(not a standard frame-rate change)");
			}
			if (inner.score > best->score + RATIO_GAIN)
				*best = inner;
		}
	}
	if (!best->found)
		return refuse(res, o, "the document and the reference do not overlap at any offset "
		                      "searched");
	return 0;
}

/*
 * Each cue's offset at the winning ratio (correlated again on the 10 ms
 * grid): the best lag's for all, or with splits, one of the correlation's
 * peaks per cue.  Fills off[] and res's ratio, offset and splits.
 */
static void choose_offsets(sync_ctx *c, const tandem_sync_opts *o, trial *best, double *off,
                           tandem_sync_result *res)
{
	size_t n = tandem_doc_count(c->doc);
	int64_t first, ulen;
	/* Leave the winner's scores in c->wr for the split candidates. */
	*best = correlate(c, best->ratio, &first, &ulen);
	for (size_t i = 0; i < n; i++)
		off[i] = best->offset_ms;
	res->ratio = best->ratio;
	res->offset_ms = (int64_t)llround(best->offset_ms);
	if (o->max_splits <= 0)
		return;
	double cand[MAX_CANDIDATES];
	size_t K = pick_peaks(c, first, cand, MAX_CANDIDATES, o->max_offset_ms);
	size_t start_k = 0;
	for (size_t j = 0; j < K; j++)
		if (fabs(cand[j] - best->offset_ms) < fabs(cand[start_k] - best->offset_ms))
			start_k = j;
	if (K) {
		cand[start_k] = best->offset_ms;
		split_dp(c, best->ratio, cand, K, start_k, o->max_splits,
		         o->split_penalty * 1000 / TANDEM_FRAME_MS, off);
	}
	res->offset_ms = (int64_t)llround(off[0]);
	for (size_t i = 1; i < n && res->nsplits < TANDEM_SYNC_MAX_SPLITS; i++)
		if (off[i] != off[i - 1]) {
			res->splits[res->nsplits].segment = i;
			res->splits[res->nsplits].offset_ms = (int64_t)llround(off[i]);
			res->nsplits++;
		}
}

/* Score the moved cues; refuse a poor or too distant result, else move them. */
static int apply_offsets(const sync_ctx *c, tandem_doc *doc, const tandem_sync_opts *o,
                         double ratio, const double *off, tandem_sync_result *res)
{
	size_t n = tandem_doc_count(doc);
	res->score = final_score(c, ratio, off);
	if (res->score < o->min_score)
		return refuse(res, o, "the best match is poor (score below the minimum)");
	for (size_t i = 0; i < n; i++)
		if (fabs(off[i]) > (double)o->max_offset_ms)
			return refuse(res, o, "the offset found exceeds the maximum offset");
	for (size_t i = 0; i < n; i++) {
		double s = ratio * (double)tandem_seg_start(doc, i) + off[i];
		double e = ratio * (double)tandem_seg_end(doc, i) + off[i];
		int64_t si = (int64_t)llround(s), ei = (int64_t)llround(e);
		if (si < 0)
			si = 0;
		if (ei < si)
			ei = si;
		tandem_seg_set_times(doc, i, si, ei);
	}
	return 0;
}

int tandem_sync_frames(tandem_doc *doc, const unsigned char *ref, size_t R,
                       const tandem_sync_opts *opts, tandem_sync_result *res)
{
	tandem_sync_opts o;
	sync_opts_resolve(opts, &o);
	memset(res, 0, sizeof *res);
	res->ratio = 1;
	size_t n = tandem_doc_count(doc);
	if (!n)
		return TANDEM_EEMPTY;
	if (!ref || !R)
		return refuse(res, &o, "the reference holds no speech");
	sync_ctx c;
	memset(&c, 0, sizeof c);
	c.doc = doc;
	c.ref = ref;
	c.R = R;
	int rc = doc_span(&c, &o);
	if (rc)
		return rc;
	size_t speech = 0;
	for (size_t t = 0; t < R; t++)
		speech += ref[t] != 0;
	if (!speech || speech == R)
		return refuse(res, &o, speech ? "the reference is speech throughout"
		                              : "the reference holds no speech");
	c.max_lag_ms = 2 * o.max_offset_ms;
	double maxratio = o.ratio > 0 ? o.ratio : 25 / 23.976 * 1.003;
	int64_t span_ms = (int64_t)ceil(maxratio * (double)(c.max_end - c.min_start));
	ctx_setup(&c, ref, R, speech, 1, span_ms);
	/*
	 * Long inputs search ratios on a 40 ms grid first (16 times less FFT
	 * work for the 13 trials); the winner is then correlated at 10 ms.
	 */
	sync_ctx coarse = c;
	sync_ctx *srch = &c;
	bool use_coarse = R >= COARSE_FROM && !(o.ratio > 0);
	if (use_coarse) {
		coarse.fft = NULL;
		coarse.rpre = NULL;
		ctx_setup(&coarse, ref, R, speech, COARSE_STEP, span_ms);
		srch = &coarse;
	}
	double *off = tandem__xmalloc(n * sizeof *off);
	trial best;
	rc = search_ratio(&c, srch, &o, res, &best);
	if (!rc) {
		choose_offsets(&c, &o, &best, off, res);
		rc = apply_offsets(&c, doc, &o, best.ratio, off, res);
	}
	free(off);
	ctx_free(&c);
	if (use_coarse)
		ctx_free(&coarse);
	return rc;
}

typedef struct sync_job {
	tandem_doc *doc;
	const tandem_sync_opts *o;
	tandem_sync_result *res;
} sync_job;

static int sync_job_run(void *job, const unsigned char *speech, size_t nframes)
{
	sync_job *j = job;
	return tandem_sync_frames(j->doc, speech, nframes, j->o, j->res);
}

int tandem_sync_run(tandem_doc *doc, const char *media, const tandem_sync_opts *opts,
                    tandem_sync_result *res)
{
	tandem_sync_opts o;
	if (opts)
		o = *opts;
	else
		tandem_sync_opts_init(&o);
	memset(res, 0, sizeof *res);
	res->ratio = 1;
	sync_job j = {doc, &o, res};
	return tandem__vad_run(media, &o.vad, o.diag, o.diag_user, &o.filename, sync_job_run, &j);
}

int tandem_sync_reference(tandem_doc *doc, const tandem_doc *ref, const tandem_sync_opts *o,
                          tandem_sync_result *res)
{
	memset(res, 0, sizeof *res);
	res->ratio = 1;
	size_t n = tandem_doc_count(ref);
	int64_t end = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t e = tandem_seg_end(ref, i);
		if (e != TANDEM_NO_TIME && e > end)
			end = e;
	}
	size_t R = (size_t)frame_ceil((double)end) + 1;
	unsigned char *mask = tandem__xcalloc(R, 1);
	for (size_t i = 0; i < n; i++) {
		int64_t s = tandem_seg_start(ref, i), e = tandem_seg_end(ref, i);
		if (s == TANDEM_NO_TIME || e == TANDEM_NO_TIME)
			continue;
		for (int64_t u = frame_floor((double)s); u < frame_ceil((double)e); u++)
			if (u >= 0 && (size_t)u < R)
				mask[u] = 1;
	}
	int rc = tandem_sync_frames(doc, mask, R, o, res);
	free(mask);
	return rc;
}
