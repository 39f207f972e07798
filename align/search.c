/*
 * search.c - the aligner's search: the banded Viterbi (forward pass, back
 * trace, the band following the path), the backward pass that gives each
 * row its margin, and the seed paths the first band is centred on (times
 * when both sides are timed, else tokens unique on both sides).
 */
#include "align_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS ((size_t)24 * 1000 * 1000)
#define EV_CACHE_MAX ((size_t)16 * 1000 * 1000)

/* ------------------------------------------------------------------ */
/* Banded Viterbi                                                      */
/* ------------------------------------------------------------------ */

void tandem__align_band_free(band *B)
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
void tandem__align_path_centre(const size_t *rmin, const size_t *rmax, size_t n, double *cmin,
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
link *tandem__align_search(const ctx *C, const view *V, band *B, double *cmin, double *cmax, size_t W,
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
		tandem__align_path_centre(rmin, rmax, n, cmin, cmax);
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
void tandem__align_row_margins(const ctx *C, const view *V, const band *B, double total,
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
void tandem__align_seed_anchors(const ctx *C, double *c, const double *guide, double D)
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
bool tandem__align_seed_times(const ctx *C, double *c)
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

