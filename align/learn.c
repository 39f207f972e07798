/*
 * learn.c - what the aligner learns from its first pass and how it uses
 * it: the learned table (model1.c) trained on the pass's sure 1-1 links, a
 * link's confidence from its rows' margins, and the refinement that
 * re-decides merged links and dropped lines with the table's other
 * direction.
 */
#include "align_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LEARN_CONF 0.9

/* ------------------------------------------------------------------ */
/* Learning word translations from the first pass                      */
/* ------------------------------------------------------------------ */

/* A link's confidence from its rows' margins: 1 - exp(-margin). */
double tandem__align_link_conf(const link *l, const double *margin)
{
	double mg = 30;
	for (size_t r = l->i; r <= l->i + l->ni; r++)
		if (margin[r] < mg)
			mg = margin[r];
	return 1 - exp(-mg);
}

/*
 * Train the learned table (model1.c) on the 1-1 links of the first
 * pass that it is sure of; C->m1 is freed when there is too little.
 */
void tandem__align_learn(ctx *C, view *V, const band *B, double total, const size_t *rmin,
                  const size_t *rmax, const link *L, size_t nl)
{
	double *margin = tandem__xmalloc((V->n + 1) * sizeof *margin);
	tandem__align_row_margins(C, V, B, total, rmin, rmax, margin);
	/* the pass is done with its view: its memory serves training (fewer fresh pages) */
	tandem__align_view_free(V);
	size_t *si = tandem__xmalloc((nl + 1) * sizeof *si);
	size_t *tj = tandem__xmalloc((nl + 1) * sizeof *tj);
	size_t k = 0;
	for (size_t x = 0; x < nl; x++) {
		const link *l = &L[x];
		if (l->sh != SH_11 || C->S[l->i].aside || C->T[l->j].aside)
			continue;
		if (tandem__align_link_conf(l, margin) < LEARN_CONF)
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
link *tandem__align_refine(const ctx *C, const view *V, const band *B, link *L, size_t *nl)
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

