/*
 * model1.c - word-translation evidence learned from the two documents
 * themselves, after Moore (2002), "Fast and accurate sentence alignment of
 * bilingual corpora" (AMTA 2002).
 *
 * A first pass aligns with lengths, anchors and punctuation only.  Its 1-1
 * links that the search is sure of (confidence >= 0.9, see learn.c) are
 * taken as parallel text, and an IBM Model 1 table t(u | w) is trained on
 * them by EM: w a source word (a Latin text: its lower-cased words), u a
 * unit of the translation (a CJK text: its characters, see
 * tandem__align_units; a Latin one: its words).  Words and units in more
 * than a quarter of their document's segments are skipped (function words:
 * they cost work and say little), and so are those found in fewer than two
 * training links (nothing can be learned about them).  The sample is capped
 * at TRAIN_OCC_MAX word-unit co-occurrences (evenly spaced links), so a
 * 100,000-segment text trains as fast as a 2,000-segment one.  After
 * EM_ITERS iterations, entries below MIN_P are pruned and each word keeps
 * its MAX_PER_WORD best units.
 *
 * Model 1's NULL word, shared by all units and diluted by 1/(l+1), makes a
 * long segment's unexplained units very costly; here each unit of a
 * translation comes either from the words of its source (uniformly chosen,
 * as in Model 1) or from the translation's own unit frequencies p(u):
 *
 *     P(u | I) = lambda (1/l) sum_{w in I} t(u|w) + (1 - lambda) p(u)
 *
 * (l the known words of the source segments I).  EM on its own training
 * links drives lambda to 1, so lambda is estimated on every fifth sure link,
 * held out of the training (EM for lambda alone, the table fixed).
 *
 * The second pass adds to a link of source segments I and translation
 * segments J the log-likelihood ratio of this model against the
 * translation's own frequencies, a sum over the known units u of J:
 *
 *     sum_u log( 1 - lambda + lambda S(u) / (l p(u)) ),  S(u) = sum_{w in I} t(u|w)
 *
 * 0 when I has no known word; a translation of I scores well above 0, a
 * random segment of the document below it (each unexplained unit costs
 * log(1 - lambda)).  The ratio treats every character as independent
 * evidence, but the characters of a word are not, and the table comes from
 * the same documents; the sum is therefore scaled by WEIGHT, a constant of
 * the model (chosen on the benchmark; 0.2-0.5 all meet its goals).
 *
 * The ratio splits over J's segments, and only log(1 + c S(u)/p(u)) depends
 * on both sides, non-zero only for units some word of I translates to.  The
 * search scatters each source segment's S(u)/p(u) into a dense array once
 * per row (tandem__m1_row) and reads it for every unit of the translation
 * segments in the band: O(units) per cell, with a cheap logarithm.
 *
 * The other direction, P(w | J) with t(w|u) from the same table by Bayes'
 * rule, is used by learn.c's refinement of merged links (tandem__m1_reverse).
 */
#include "align_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STOP_FRAC 0.25
#define WEIGHT 0.3
#define EM_ITERS 5
#define MIN_P 0.01
#define MAX_PER_WORD 16
#define MAX_WORDS 1500
#define MAX_UNITS 3000
#define MIN_LINKS 8
#define HOLD_OUT 5
#define TRAIN_OCC_MAX ((size_t)1 << 20)
#define NONE UINT32_MAX
/* word ids and ranks within a unit's pairs are below MAX_WORDS: 16 bits */
_Static_assert(MAX_WORDS <= 65536, "word ids are stored in 16 bits");

/* ---- an open-addressing map from 64-bit hashes to 32-bit ids ---- */

static void hmap_init(tandem__hmap *h, size_t want)
{
	size_t cap = 64;
	while (cap < want * 2)
		cap *= 2;
	h->cap = cap;
	h->n = 0;
	h->key = tandem__xmalloc(cap * sizeof *h->key);
	h->val = tandem__xmalloc(cap * sizeof *h->val);
	memset(h->val, 0xff, cap * sizeof *h->val);
}

static void hmap_free(tandem__hmap *h)
{
	free(h->key);
	free(h->val);
	memset(h, 0, sizeof *h);
}

static size_t hmap_pos(const tandem__hmap *h, uint64_t k)
{
	size_t mask = h->cap - 1, p = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
	while (h->val[p] != NONE && h->key[p] != k)
		p = (p + 1) & mask;
	return p;
}

static uint32_t hmap_get(const tandem__hmap *h, uint64_t k)
{
	return h->cap ? h->val[hmap_pos(h, k)] : NONE;
}

/* The id of k, inserting `next` when k is new (then *fresh is set). */
static uint32_t hmap_put(tandem__hmap *h, uint64_t k, uint32_t next, bool *fresh)
{
	if ((h->n + 1) * 2 > h->cap) {
		tandem__hmap g;
		hmap_init(&g, h->cap);
		for (size_t p = 0; p < h->cap; p++)
			if (h->val[p] != NONE) {
				size_t q = hmap_pos(&g, h->key[p]);
				g.key[q] = h->key[p];
				g.val[q] = h->val[p];
				g.n++;
			}
		hmap_free(h);
		*h = g;
	}
	size_t p = hmap_pos(h, k);
	*fresh = h->val[p] == NONE;
	if (*fresh) {
		h->key[p] = k;
		h->val[p] = next;
		h->n++;
	}
	return h->val[p];
}

/* ---- vocabulary ---- */

tandem__m1 *tandem__m1_new(size_t n, size_t m)
{
	tandem__m1 *M = tandem__xcalloc(1, sizeof *M);
	M->n = n;
	M->m = m;
	for (int d = 0; d < 2; d++) {
		tandem__m1_side *S = &M->side[d];
		size_t segs = d ? m : n;
		S->start = tandem__xmalloc((segs + 1) * sizeof *S->start);
		S->start[0] = 0;
		hmap_init(&S->map, 1024);
	}
	M->weight = WEIGHT;
	return M;
}

void tandem__m1_reserve(tandem__m1 *M, int translation, size_t units)
{
	tandem__m1_side *S = &M->side[translation ? 1 : 0];
	if (units > S->cap) {
		S->cap = units;
		S->id = tandem__xrealloc(S->id, S->cap * sizeof *S->id);
	}
}

void tandem__m1_add(tandem__m1 *M, int translation, const tandem__token *tok, size_t k)
{
	tandem__m1_side *S = &M->side[translation ? 1 : 0];
	size_t seg = S->segs, at = S->start[seg];
	if (seg == (translation ? M->m : M->n))
		return;
	if (at + k > S->cap) {
		S->cap = (at + k) * 2;
		S->id = tandem__xrealloc(S->id, S->cap * sizeof *S->id);
	}
	for (size_t x = 0; x < k; x++) {
		bool fresh;
		uint32_t id = hmap_put(&S->map, tok[x].hash, (uint32_t)S->nv, &fresh);
		if (fresh) {
			if (S->nv == S->vcap) {
				S->vcap = S->vcap ? S->vcap * 2 : 256;
				S->df = tandem__xrealloc(S->df, S->vcap * sizeof *S->df);
				S->last = tandem__xrealloc(S->last, S->vcap * sizeof *S->last);
			}
			S->df[id] = 0;
			S->last[id] = NONE;
			S->nv++;
		}
		S->id[at + x] = id;
		if (S->last[id] != (uint32_t)seg) {
			S->last[id] = (uint32_t)seg;
			S->df[id]++;
		}
	}
	S->start[seg + 1] = at + k;
	S->segs++;
}

void tandem__m1_free(tandem__m1 *M)
{
	if (!M)
		return;
	for (int d = 0; d < 2; d++) {
		hmap_free(&M->side[d].map);
		free(M->side[d].start);
		free(M->side[d].id);
		free(M->side[d].df);
		free(M->side[d].last);
	}
	free(M->wnew);
	free(M->unew);
	free(M->eoff);
	free(M->eunit);
	free(M->ep);
	free(M->pu);
	free(M->roff);
	free(M->rword);
	free(M->rp);
	free(M->wdense);
	free(M->rowlog);
	free(M->rowstamp);
	free(M->lsw);
	free(M->lswoff);
	free(M->ltu);
	free(M->ltuoff);
	free(M->pnu);
	free(M->pnw);
	for (int s = 0; s < 4; s++)
		free(M->dense[s]);
	free(M);
}

/* ---- training ---- */

void tandem__m1_lend(tandem__m1 *M, int k, void *p, size_t bytes)
{
	M->lend[k] = p;
	M->lendn[k] = p ? bytes : 0;
	M->lendused[k] = 0;
}

/*
 * A training array from the lent regions (first fit), else the heap.  The
 * caller lends the first pass's band (learn.c), already faulted in and
 * idle until the second pass: on the demo podcast that spares ~100 fresh
 * pages, ~1 ms (a page fault costs ~10 us on the benchmark VM).
 */
static void *take(tandem__m1 *M, size_t bytes)
{
	size_t want = (bytes + 63) & ~(size_t)63;
	for (int k = 0; k < 2; k++) {
		size_t at = (M->lendused[k] + 63) & ~(size_t)63;
		if (M->lend[k] && at <= M->lendn[k] && M->lendn[k] - at >= want) {
			M->lendused[k] = at + want;
			return M->lend[k] + at;
		}
	}
	return tandem__xmalloc(bytes);
}

static void give(const tandem__m1 *M, void *p)
{
	for (int k = 0; k < 2; k++)
		if (M->lend[k] && (uintptr_t)p >= (uintptr_t)M->lend[k] &&
		    (uintptr_t)p < (uintptr_t)M->lend[k] + M->lendn[k])
			return;
	free(p);
}

typedef struct tpair {
	uint32_t w, u;
	float p;
} tpair;

static int cmp_tpair(const void *a, const void *b)
{
	const tpair *x = a, *y = b;
	return x->p > y->p ? -1 : x->p < y->p;
}

static inline unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

/*
 * The co-occurring pairs: bit w of row u (rw 64-bit words a row) is set
 * when word w and unit u met in a training link; the pair's index is
 * coff[u] + the set bits before it (rank[] counts them a word at a time).
 */
typedef struct pairs {
	uint64_t *bits;
	uint32_t *rank;
	size_t *coff;
	size_t rw;
} pairs;

/* Index of the pair (u, w), or SIZE_MAX when they never met. */
static inline size_t pair_index(const pairs *P, uint32_t u, uint32_t w)
{
	size_t r = (size_t)u * P->rw + w / 64;
	uint64_t bit = 1ULL << (w % 64);
	if (!(P->bits[r] & bit))
		return SIZE_MAX;
	return P->coff[u] + P->rank[r] + popcount64(P->bits[r] & (bit - 1));
}

/* Kept words of source segment i, or units of translation segment j, into out. */
static size_t kept_ids(const uint32_t *ids, const size_t *start, size_t seg, const uint32_t *renum,
                       uint32_t *out)
{
	size_t k = 0;
	for (size_t x = start[seg]; x < start[seg + 1]; x++)
		if (renum[ids[x]] != NONE)
			out[k++] = renum[ids[x]];
	return k;
}

typedef struct idcount {
	uint32_t id, n;
} idcount;

static int cmp_idcount(const void *a, const void *b)
{
	const idcount *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Renumber the ids kept: in at most STOP_FRAC of the document's segments,
 * in at least two training links, and among the `cap` most frequent in them.
 */
static uint32_t *keep_ids(const uint32_t *ids, const size_t *start, const uint32_t *df, size_t nv,
                          size_t nseg, const size_t *segs, size_t nsegs, size_t cap,
                          size_t *nkept)
{
	uint32_t *seen = tandem__xcalloc(nv + 1, sizeof *seen);
	uint32_t *last = tandem__xmalloc((nv + 1) * sizeof *last);
	memset(last, 0xff, (nv + 1) * sizeof *last);
	for (size_t k = 0; k < nsegs; k++)
		for (size_t x = start[segs[k]]; x < start[segs[k] + 1]; x++)
			if (last[ids[x]] != (uint32_t)k) {
				last[ids[x]] = (uint32_t)k;
				seen[ids[x]]++;
			}
	free(last);
	idcount *c = tandem__xmalloc((nv + 1) * sizeof *c);
	size_t nc = 0;
	double stop = STOP_FRAC * (double)nseg;
	for (size_t v = 0; v < nv; v++)
		if (seen[v] >= 2 && (double)df[v] <= stop)
			c[nc++] = (idcount){(uint32_t)v, seen[v]};
	free(seen);
	if (nc > cap) {
		qsort(c, nc, sizeof *c, cmp_idcount);
		nc = cap;
	}
	uint32_t *renum = tandem__xmalloc((nv + 1) * sizeof *renum);
	memset(renum, 0xff, (nv + 1) * sizeof *renum);
	/* table ids in vocabulary order, whatever the selection order */
	for (size_t k = 0; k < nc; k++)
		renum[c[k].id] = 0;
	*nkept = 0;
	for (size_t v = 0; v < nv; v++)
		if (renum[v] == 0)
			renum[v] = (uint32_t)(*nkept)++;
	free(c);
	return renum;
}
/*
 * For each of nseg segments of one side: how many of its units the table
 * knows (returned as prefix counts, nseg + 1 of them), and the list of
 * those with entries in the table (off[t] < off[t + 1]) in *list, segment
 * by segment from (*listoff)[seg].
 */
static uint32_t *known_lists(const tandem__m1_side *S, size_t nseg, const uint32_t *renum,
                             const size_t *off, uint32_t **list, size_t **listoff)
{
	uint32_t *prefix = tandem__xmalloc((nseg + 1) * sizeof *prefix);
	size_t *lo = tandem__xmalloc((nseg + 1) * sizeof *lo);
	size_t k = 0;
	for (size_t x = 0; x < S->start[nseg]; x++)
		k += renum[S->id[x]] != NONE;
	uint32_t *l = tandem__xmalloc((k + 1) * sizeof *l);
	k = 0;
	prefix[0] = 0;
	for (size_t i = 0; i < nseg; i++) {
		lo[i] = k;
		uint32_t known = 0;
		for (size_t x = S->start[i]; x < S->start[i + 1]; x++) {
			uint32_t t = renum[S->id[x]];
			if (t == NONE)
				continue;
			known++;
			if (off[t + 1] > off[t])
				l[k++] = t;
		}
		prefix[i + 1] = prefix[i] + known;
	}
	lo[nseg] = k;
	*list = l;
	*listoff = lo;
	return prefix;
}


/* What training works on, step by step (see tandem__m1_train). */
typedef struct train {
	size_t *ps, *pt, np;          /* the training links: source, translation segment */
	size_t *hs, *ht, nh;          /* the held-out links */
	size_t nw, nu;                /* kept words and units */
	uint32_t *wv, *uv;            /* one link's kept words and units (scratch) */
	double *pu;                   /* p(u) */
	pairs PR;                     /* the pairs that co-occur in a training link */
	size_t nnz;
	float *tr;                    /* t(u|w) by entry */
	uint16_t *cw;                 /* each entry's word */
	uint16_t *lword;              /* each training link's kept words, from wo[k] */
	uint32_t *lunit;              /* and units, from lo[k]; la[k] words */
	size_t *lo, *wo, word_n, unit_n;
	uint32_t *la;
	double *wtot;                 /* per word: the sum of its entries */
	double lambda;
	size_t ne;                    /* entries kept after pruning */
} train;

static size_t seg_units(const tandem__m1 *M, int side, size_t seg)
{
	return M->side[side].start[seg + 1] - M->side[side].start[seg];
}

/* An even sample of the links within the co-occurrence budget; every HOLD_OUT-th held out. */
static void sample_links(train *T, const tandem__m1 *M, const size_t *si, const size_t *tj,
                         size_t npairs)
{
	size_t occ = 0;
	for (size_t k = 0; k < npairs; k++)
		occ += seg_units(M, 0, si[k]) * seg_units(M, 1, tj[k]);
	T->ps = tandem__xmalloc((npairs + 1) * sizeof *T->ps);
	T->pt = tandem__xmalloc((npairs + 1) * sizeof *T->pt);
	T->np = 0;
	double ratio = occ > TRAIN_OCC_MAX ? (double)TRAIN_OCC_MAX / (double)occ : 1;
	T->hs = tandem__xmalloc((npairs / HOLD_OUT + 1) * sizeof *T->hs);
	T->ht = tandem__xmalloc((npairs / HOLD_OUT + 1) * sizeof *T->ht);
	size_t taken = 0;
	T->nh = 0;
	for (size_t k = 0; k < npairs; k++)
		if (ratio >= 1 || floor((double)(k + 1) * ratio) > floor((double)k * ratio)) {
			if (taken++ % HOLD_OUT == HOLD_OUT - 1) {
				T->hs[T->nh] = si[k];
				T->ht[T->nh++] = tj[k];
			} else {
				T->ps[T->np] = si[k];
				T->pt[T->np++] = tj[k];
			}
		}
}

/* The translation's own unit frequencies p(u), over the whole document. */
static double *unit_frequencies(const tandem__m1 *M, size_t nu)
{
	double *pu = tandem__xcalloc(nu + 1, sizeof *pu);
	double all = 0;
	for (size_t x = 0; x < M->side[1].start[M->m]; x++)
		if (M->unew[M->side[1].id[x]] != NONE) {
			pu[M->unew[M->side[1].id[x]]]++;
			all++;
		}
	for (size_t u = 0; u < nu; u++)
		pu[u] = (pu[u] + 0.5) / (all + 0.5 * (double)nu);
	return pu;
}

/*
 * Scratch for one link's kept words and units, sized over every link
 * it will hold: the training links and the held-out ones (a held-out
 * link longer than any training link overflowed it once).
 */
static void link_scratch(train *T, const tandem__m1 *M, const size_t *si, const size_t *tj,
                         size_t npairs)
{
	size_t maxs = 1, maxt = 1;
	for (size_t k = 0; k < npairs; k++) {
		if (seg_units(M, 0, si[k]) > maxs)
			maxs = seg_units(M, 0, si[k]);
		if (seg_units(M, 1, tj[k]) > maxt)
			maxt = seg_units(M, 1, tj[k]);
	}
	T->wv = tandem__xmalloc(maxs * sizeof *T->wv);
	T->uv = tandem__xmalloc(maxt * sizeof *T->uv);
}

static size_t kept_words(const tandem__m1 *M, train *T, size_t seg)
{
	return kept_ids(M->side[0].id, M->side[0].start, seg, M->wnew, T->wv);
}

static size_t kept_units(const tandem__m1 *M, train *T, size_t seg)
{
	return kept_ids(M->side[1].id, M->side[1].start, seg, M->unew, T->uv);
}

/*
 * The pairs that co-occur in some training link, by unit, words in
 * order (a bitmap finds them): the only t(u|w) EM can make non-zero.
 * Kept sparse because the pages a dense table would touch cost more
 * than the whole search.
 */
static void cooccurring_pairs(tandem__m1 *M, train *T)
{
	size_t nw = T->nw, nu = T->nu;
	size_t rw = T->PR.rw = (nw + 63) / 64;
	uint64_t *bits = T->PR.bits = tandem__xcalloc(nu * rw + 1, sizeof *bits);
	for (size_t k = 0; k < T->np; k++) {
		size_t a = kept_words(M, T, T->ps[k]);
		size_t b = kept_units(M, T, T->pt[k]);
		for (size_t y = 0; y < b; y++)
			for (size_t x = 0; x < a; x++)
				bits[T->uv[y] * rw + T->wv[x] / 64] |= 1ULL << (T->wv[x] % 64);
	}
	size_t *coff = T->PR.coff = tandem__xmalloc((nu + 1) * sizeof *coff);
	uint32_t *rank = T->PR.rank = tandem__xmalloc((nu * rw + 1) * sizeof *rank);
	size_t nnz = 0;
	for (size_t u = 0; u < nu; u++) {
		coff[u] = nnz;
		for (size_t r = 0; r < rw; r++) {
			rank[u * rw + r] = (uint32_t)(nnz - coff[u]);
			nnz += popcount64(bits[u * rw + r]);
		}
	}
	coff[nu] = nnz;
	T->nnz = nnz;
	/* the EM's arrays, whose fresh pages are much of its cost; word ids fit 16 bits */
	T->tr = take(M, (nnz + 1) * sizeof *T->tr);
	T->cw = take(M, (nnz + 1) * sizeof *T->cw);
	for (size_t u = 0, e = 0; u < nu; u++)
		for (size_t r = 0; r < rw; r++)
			for (uint64_t v = bits[u * rw + r]; v; v &= v - 1)
				T->cw[e++] = (uint16_t)(r * 64 + popcount64((v & (~v + 1)) - 1));
}

/* Each training link's kept words (ids < nw: 16 bits) and units, in order. */
static void link_lists(tandem__m1 *M, train *T)
{
	size_t np = T->np, word_n = 0, unit_n = 0;
	for (size_t k = 0; k < np; k++) {
		word_n += kept_words(M, T, T->ps[k]);
		unit_n += kept_units(M, T, T->pt[k]);
	}
	T->lword = take(M, (word_n + 1) * sizeof *T->lword);
	T->lunit = take(M, (unit_n + 1) * sizeof *T->lunit);
	T->lo = tandem__xmalloc((np + 1) * sizeof *T->lo);
	T->wo = tandem__xmalloc((np + 1) * sizeof *T->wo);
	T->la = tandem__xmalloc((np + 1) * sizeof *T->la);
	word_n = unit_n = 0;
	for (size_t k = 0; k < np; k++) {
		size_t a = kept_words(M, T, T->ps[k]);
		size_t b = kept_units(M, T, T->pt[k]);
		T->wo[k] = word_n;
		for (size_t x = 0; x < a; x++)
			T->lword[word_n++] = (uint16_t)T->wv[x];
		T->lo[k] = unit_n;
		T->la[k] = (uint32_t)a;
		for (size_t y = 0; y < b; y++)
			T->lunit[unit_n++] = T->uv[y];
	}
	T->lo[np] = unit_n;
	T->wo[np] = word_n;
	T->word_n = word_n;
	T->unit_n = unit_n;
}

/*
 * EM for t(u|w) and the mixture weight lambda; p(u) stays fixed.  A
 * uniform start.  The E-step goes unit by unit, each unit's
 * occurrences in link order (so every count adds up in the same order
 * as link by link).  A unit reads and counts only its own entries:
 * they are spread by word into two dense arrays while its occurrences
 * are done, read with each link's word ids, and the counts then replace
 * the table in place.  No second table of counts, and no per-link rows
 * of entry indices (on the demo podcast the two were 0.7 MB, ~180 fresh
 * pages).
 */
static void em(tandem__m1 *M, train *T)
{
	size_t np = T->np, nw = T->nw, nu = T->nu, nnz = T->nnz, unit_n = T->unit_n;
	const size_t *coff = T->PR.coff, *lo = T->lo, *wo = T->wo;
	const uint32_t *lunit = T->lunit, *la = T->la;
	const uint16_t *lword = T->lword, *cw = T->cw;
	const double *pu = T->pu;
	float *tr = T->tr;
	size_t *byoff = tandem__xcalloc(nu + 2, sizeof *byoff);
	uint32_t *by = tandem__xmalloc((unit_n + 1) * sizeof *by);
	uint32_t *olink = tandem__xmalloc((unit_n + 1) * sizeof *olink); /* occurrence -> link */
	double *q = tandem__xmalloc((unit_n + 1) * sizeof *q);
	for (size_t k = 0; k < np; k++)
		for (size_t y = lo[k]; y < lo[k + 1]; y++) {
			olink[y] = (uint32_t)k;
			if (la[k])
				byoff[lunit[y] + 2]++;
		}
	for (size_t u = 0; u < nu; u++)
		byoff[u + 2] += byoff[u + 1];
	for (size_t y = 0; y < unit_n; y++)
		if (la[olink[y]])
			by[byoff[lunit[y] + 1]++] = (uint32_t)y;
	double *dt = tandem__xmalloc((nw + 1) * sizeof *dt); /* read as doubles: converted once */
	float *dc = tandem__xmalloc((nw + 1) * sizeof *dc);
	/*
	 * The M-step rides along: a unit's counts add to their words' totals
	 * as they are stored (in entry order, as a pass of its own would), and
	 * are divided by the totals when the unit is next read.
	 */
	double *wtot = tandem__xmalloc(nw * sizeof *wtot), *wnext = tandem__xmalloc(nw * sizeof *wnext);
	for (size_t e = 0; e < nnz; e++)
		tr[e] = (float)(1.0 / (double)nu);
	double lambda = 0.5;
	for (int it = 0; it < EM_ITERS; it++) {
		memset(wnext, 0, nw * sizeof *wnext);
		for (size_t u = 0; u < nu; u++) {
			for (size_t e = coff[u]; e < coff[u + 1]; e++) {
				if (it)
					tr[e] = wtot[cw[e]] > 0 ? (float)((double)tr[e] / wtot[cw[e]]) : 0;
				dt[cw[e]] = (double)tr[e];
				dc[cw[e]] = 0;
			}
			for (size_t b = byoff[u]; b < byoff[u + 1]; b++) {
				size_t y = by[b], k = olink[y], a = la[k];
				const uint16_t *ws = lword + wo[k];
				double f = lambda / (double)a;
				double sum = 0;
				for (size_t x = 0; x < a; x++)
					sum += dt[ws[x]];
				double z = f * sum + (1 - lambda) * pu[u];
				double inv = f / z;
				for (size_t x = 0; x < a; x++)
					dc[ws[x]] += (float)(dt[ws[x]] * inv);
				q[y] = f * sum / z;
			}
			for (size_t e = coff[u]; e < coff[u + 1]; e++) {
				tr[e] = dc[cw[e]];
				wnext[cw[e]] += (double)tr[e];
			}
		}
		/* lambda's sum in link order, as before */
		double lw = 0, lt = 0;
		for (size_t y = 0; y < unit_n; y++)
			if (la[olink[y]]) {
				lw += q[y];
				lt++;
			}
		double *w = wtot;
		wtot = wnext;
		wnext = w;
		lambda = lt > 0 ? lw / lt : 0.5;
	}
	for (size_t e = 0; e < nnz; e++)
		tr[e] = wtot[cw[e]] > 0 ? (float)((double)tr[e] / wtot[cw[e]]) : 0;
	free(wnext);
	free(byoff);
	free(by);
	free(olink);
	free(q);
	free(dt);
	free(dc);
	give(M, T->lword);
	give(M, T->lunit);
	free(T->lo);
	free(T->wo);
	free(T->la);
	T->wtot = wtot;
	T->lambda = lambda;
}

/*
 * On its own links EM explains nearly every unit by some word; the
 * share a link it has not seen gets from the words is lambda on the
 * held-out links (EM for lambda alone, the table fixed).
 */
static void held_out_lambda(tandem__m1 *M, train *T)
{
	size_t nhu = 0;
	for (size_t k = 0; k < T->nh; k++)
		nhu += kept_units(M, T, T->ht[k]);
	/* per held-out unit: the words' mean t(u|w), and p(u); fixed while lambda moves */
	double *hw = tandem__xmalloc((nhu + 1) * sizeof *hw);
	double *hb = tandem__xmalloc((nhu + 1) * sizeof *hb);
	nhu = 0;
	for (size_t k = 0; k < T->nh; k++) {
		size_t a = kept_words(M, T, T->hs[k]);
		size_t b = kept_units(M, T, T->ht[k]);
		if (!a)
			continue;
		for (size_t y = 0; y < b; y++) {
			uint32_t u = T->uv[y];
			double sum = 0;
			for (size_t x = 0; x < a; x++) {
				size_t e = pair_index(&T->PR, u, T->wv[x]);
				if (e != SIZE_MAX)
					sum += (double)T->tr[e];
			}
			hw[nhu] = sum / (double)a;
			hb[nhu++] = T->pu[u];
		}
	}
	double lambda = T->lambda;
	for (int it = 0; it < EM_ITERS && nhu; it++) {
		double lw = 0;
		for (size_t y = 0; y < nhu; y++)
			lw += lambda * hw[y] / (lambda * hw[y] + (1 - lambda) * hb[y]);
		lambda = lw / (double)nhu;
	}
	free(hw);
	free(hb);
	free(T->PR.bits);
	free(T->PR.rank);
	if (lambda < 0.05)
		lambda = 0.05;
	if (lambda > 0.95)
		lambda = 0.95;
	M->lambda = lambda;
	M->log_bg = log(1 - lambda);
	M->odds = lambda / (1 - lambda);
}

/* Prune: entries of at least MIN_P, a word's best MAX_PER_WORD. */
static void prune(tandem__m1 *M, train *T)
{
	size_t nw = T->nw, nu = T->nu, nnz = T->nnz;
	const size_t *coff = T->PR.coff;
	const float *tr = T->tr;
	const uint16_t *cw = T->cw;
	M->eoff = tandem__xcalloc(nw + 1, sizeof *M->eoff);
	size_t *fill = tandem__xcalloc(nw + 1, sizeof *fill);
	for (size_t e = 0; e < nnz; e++)
		fill[cw[e] + 1] += tr[e] >= MIN_P;
	for (size_t w = 0; w < nw; w++)
		fill[w + 1] += fill[w];
	size_t all_e = fill[nw];
	tpair *tp = take(M, (all_e + 1) * sizeof *tp);
	for (size_t u = 0; u < nu; u++)
		for (size_t e = coff[u]; e < coff[u + 1]; e++)
			if (tr[e] >= MIN_P)
				tp[fill[cw[e]]++] = (tpair){cw[e], (uint32_t)u, tr[e]};
	free(fill);
	/* tp is by word now; keep each word's best */
	M->eunit = tandem__xmalloc((all_e + 1) * sizeof *M->eunit);
	M->ep = tandem__xmalloc((all_e + 1) * sizeof *M->ep);
	size_t ne = 0;
	for (size_t x = 0; x < all_e;) {
		size_t y = x;
		while (y < all_e && tp[y].w == tp[x].w)
			y++;
		if (y - x > MAX_PER_WORD)
			qsort(tp + x, y - x, sizeof *tp, cmp_tpair);
		for (size_t e = x; e < y && e < x + MAX_PER_WORD; e++) {
			M->eunit[ne] = tp[e].u;
			M->ep[ne++] = tp[e].p;
		}
		M->eoff[tp[x].w + 1] = ne;
		x = y;
	}
	for (size_t w = 0; w < nw; w++)
		if (M->eoff[w + 1] < M->eoff[w])
			M->eoff[w + 1] = M->eoff[w];
	give(M, tp);
	give(M, T->tr);
	give(M, T->cw);
	free(T->PR.coff);
	free(T->wtot);
	M->nentries = ne;
	T->ne = ne;
}

/*
 * The other direction, for the refinement of merged links (learn.c):
 * t(w|u) = t(u|w) p(w) / sum_w' t(u|w') p(w') over the pruned table,
 * p(w) the source's word frequencies; stored divided by p(w).
 */
static void reverse_table(tandem__m1 *M, size_t nw, size_t nu, size_t ne)
{
	double *pw = tandem__xcalloc(nw + 1, sizeof *pw);
	double wall = 0;
	for (size_t x = 0; x < M->side[0].start[M->n]; x++)
		if (M->wnew[M->side[0].id[x]] != NONE) {
			pw[M->wnew[M->side[0].id[x]]]++;
			wall++;
		}
	for (size_t w = 0; w < nw; w++)
		pw[w] = (pw[w] + 0.5) / (wall + 0.5 * (double)nw);
	M->roff = tandem__xcalloc(nu + 1, sizeof *M->roff);
	for (size_t e = 0; e < ne; e++)
		M->roff[M->eunit[e] + 1]++;
	for (size_t u = 0; u < nu; u++)
		M->roff[u + 1] += M->roff[u];
	M->rword = tandem__xmalloc((ne + 1) * sizeof *M->rword);
	M->rp = tandem__xmalloc((ne + 1) * sizeof *M->rp);
	double *rz = tandem__xcalloc(nu + 1, sizeof *rz);
	size_t *at = tandem__xmalloc((nu + 1) * sizeof *at);
	memcpy(at, M->roff, (nu + 1) * sizeof *at);
	for (size_t w = 0; w < nw; w++)
		for (size_t e = M->eoff[w]; e < M->eoff[w + 1]; e++) {
			uint32_t u = M->eunit[e];
			M->rword[at[u]] = (uint32_t)w;
			M->rp[at[u]++] = (float)((double)M->ep[e] * pw[w]);
			rz[u] += (double)M->ep[e] * pw[w];
		}
	for (size_t u = 0; u < nu; u++)
		for (size_t e = M->roff[u]; e < M->roff[u + 1]; e++)
			M->rp[e] = (float)((double)M->rp[e] / rz[u] / pw[M->rword[e]]);
	free(rz);
	free(at);
	free(pw);
	M->wdense = tandem__xcalloc(nw + 1, sizeof *M->wdense);
}

/* What scoring reads: the table over p(u), the known units and words per segment, dense rows. */
static void scoring_tables(tandem__m1 *M, const double *pu, size_t nu, size_t ne)
{
	/* S(u) is read divided by p(u): fold 1/p(u) into the table. */
	for (size_t e = 0; e < ne; e++)
		M->ep[e] = (float)((double)M->ep[e] / pu[M->eunit[e]]);
	M->pu = tandem__xmalloc((nu + 1) * sizeof *M->pu);
	for (size_t u = 0; u < nu; u++)
		M->pu[u] = (float)pu[u];
	/*
	 * Per segment: how many units of the translation and words of the
	 * source the table knows (each counts in the ratio), and the lists of
	 * those with entries (only they can make S(u) or R(w) non-zero).
	 */
	M->pnu = known_lists(&M->side[1], M->m, M->unew, M->roff, &M->ltu, &M->ltuoff);
	M->pnw = known_lists(&M->side[0], M->n, M->wnew, M->eoff, &M->lsw, &M->lswoff);
	M->rowlog = tandem__xmalloc(3 * (nu + 1) * sizeof *M->rowlog);
	M->rowstamp = tandem__xmalloc((nu + 1) * sizeof *M->rowstamp);
	memset(M->rowstamp, 0xff, (nu + 1) * sizeof *M->rowstamp);
	for (int sl = 0; sl < 4; sl++) {
		M->dense[sl] = tandem__xcalloc(nu + 1, sizeof *M->dense[sl]);
		M->slot[sl] = SIZE_MAX;
	}
}

bool tandem__m1_train(tandem__m1 *M, const size_t *si, const size_t *tj, size_t npairs)
{
	train T;
	memset(&T, 0, sizeof T);
	sample_links(&T, M, si, tj, npairs);
	M->trained_links = T.np;
	M->wnew = keep_ids(M->side[0].id, M->side[0].start, M->side[0].df, M->side[0].nv, M->n, T.ps,
	                   T.np, MAX_WORDS, &T.nw);
	M->unew = keep_ids(M->side[1].id, M->side[1].start, M->side[1].df, M->side[1].nv, M->m, T.pt,
	                   T.np, MAX_UNITS, &T.nu);
	M->nw = T.nw;
	M->nu = T.nu;
	if (T.np < MIN_LINKS || !T.nh || !T.nw || !T.nu) {
		free(T.ps);
		free(T.pt);
		free(T.hs);
		free(T.ht);
		return false;
	}
	T.pu = unit_frequencies(M, T.nu);
	link_scratch(&T, M, si, tj, npairs);
	cooccurring_pairs(M, &T);
	link_lists(M, &T);
	em(M, &T);
	held_out_lambda(M, &T);
	prune(M, &T);
	free(T.wv);
	free(T.uv);
	free(T.ps);
	free(T.pt);
	free(T.hs);
	free(T.ht);
	reverse_table(M, T.nw, T.nu, T.ne);
	scoring_tables(M, T.pu, T.nu, T.ne);
	free(T.pu);
	M->ready = true;
	return true;
}

/* ---- scoring ---- */

/*
 * log(1 + x) for x >= 0 to about 1e-4: the exponent of 1 + x, and a
 * polynomial for the logarithm of its mantissa in [1, 2).  The row sums
 * take one per known unit and cell, and libm's would be most of the cost.
 */
static inline float fast_log1p(float x)
{
	union {
		float f;
		uint32_t u;
	} v = {1 + x};
	int e = (int)((v.u >> 23) & 0xff) - 127;
	v.u = (v.u & 0x007fffffu) | 0x3f800000u;
	float m = v.f - 1; /* [0, 1) */
	float p = m * (0.99949556f + m * (-0.49190896f + m * (0.28947478f + m * (-0.13606275f + m * 0.03215845f))));
	return (float)e * 0.69314718f + p;
}

/* Make dense slot seg % 4 hold S(u)/p(u) of source segment seg. */
static const float *load(tandem__m1 *M, size_t seg)
{
	int s = (int)(seg % 4);
	float *d = M->dense[s];
	if (M->slot[s] == seg)
		return d;
	if (M->slot[s] != SIZE_MAX) {
		size_t o = M->slot[s];
		for (size_t x = M->lswoff[o]; x < M->lswoff[o + 1]; x++) {
			uint32_t w = M->lsw[x];
			for (size_t e = M->eoff[w]; e < M->eoff[w + 1]; e++)
				d[M->eunit[e]] = 0;
		}
	}
	for (size_t x = M->lswoff[seg]; x < M->lswoff[seg + 1]; x++) {
		uint32_t w = M->lsw[x];
		for (size_t e = M->eoff[w]; e < M->eoff[w + 1]; e++)
			d[M->eunit[e]] += M->ep[e];
	}
	M->slot[s] = seg;
	return d;
}

void tandem__m1_row(tandem__m1 *M, size_t i, size_t j0, size_t j1, float *g)
{
	if (!i) {
		memset(g, 0, 3 * (j1 - j0) * sizeof *g);
		return;
	}
	const float *d1 = load(M, i - 1);
	const float *d2 = i >= 2 ? load(M, i - 2) : NULL;
	const float *d3 = i >= 3 ? load(M, i - 3) : NULL;
	/* lambda / ((1 - lambda) l) for the runs of 1, 2, 3 segments */
	uint32_t l1 = M->pnw[i] - M->pnw[i - 1];
	uint32_t l2 = d2 ? M->pnw[i] - M->pnw[i - 2] : 0, l3 = d3 ? M->pnw[i] - M->pnw[i - 3] : 0;
	float c1 = l1 ? (float)(M->odds / l1) : 0, c2 = l2 ? (float)(M->odds / l2) : 0;
	float c3 = l3 ? (float)(M->odds / l3) : 0;
	/* a unit's three terms depend on the row only: computed once per row */
	uint32_t stamp = (uint32_t)i;
	for (size_t j = j0; j < j1; j++) {
		float g1 = 0, g2 = 0, g3 = 0;
		for (size_t x = M->ltuoff[j]; x < M->ltuoff[j + 1]; x++) {
			uint32_t u = M->ltu[x];
			float *L = M->rowlog + 3 * (size_t)u;
			if (M->rowstamp[u] != stamp) {
				M->rowstamp[u] = stamp;
				float a = d1[u], b = d2 ? d2[u] : 0, c = d3 ? d3[u] : 0;
				L[0] = a > 0 ? fast_log1p(c1 * a) : 0;
				L[1] = a + b > 0 ? fast_log1p(c2 * (a + b)) : 0;
				L[2] = a + b + c > 0 ? fast_log1p(c3 * (a + b + c)) : 0;
			}
			g1 += L[0];
			g2 += L[1];
			g3 += L[2];
		}
		g[3 * (j - j0)] = g1;
		g[3 * (j - j0) + 1] = g2;
		g[3 * (j - j0) + 2] = g3;
	}
}

double tandem__m1_reverse(tandem__m1 *M, size_t i0, size_t i1, size_t j0, size_t j1)
{
	double nj = j1 > j0 ? (double)(M->pnu[j1] - M->pnu[j0]) : 0;
	if (nj <= 0 || M->pnw[i1] == M->pnw[i0])
		return 0;
	for (size_t x = M->ltuoff[j0]; x < M->ltuoff[j1]; x++) {
		uint32_t u = M->ltu[x];
		for (size_t e = M->roff[u]; e < M->roff[u + 1]; e++)
			M->wdense[M->rword[e]] += M->rp[e];
	}
	double c = M->odds / nj, sum = 0;
	for (size_t x = M->lswoff[i0]; x < M->lswoff[i1]; x++)
		sum += log1p(c * (double)M->wdense[M->lsw[x]]);
	for (size_t x = M->ltuoff[j0]; x < M->ltuoff[j1]; x++) {
		uint32_t u = M->ltu[x];
		for (size_t e = M->roff[u]; e < M->roff[u + 1]; e++)
			M->wdense[M->rword[e]] = 0;
	}
	return M->weight * (sum + (double)(M->pnw[i1] - M->pnw[i0]) * M->log_bg);
}

double tandem__m1_prob(const tandem__m1 *M, uint64_t word, uint64_t unit)
{
	if (!M || !M->ready)
		return 0;
	uint32_t w = hmap_get(&M->side[0].map, word), u = hmap_get(&M->side[1].map, unit);
	if (w == NONE || u == NONE || M->wnew[w] == NONE || M->unew[u] == NONE)
		return 0;
	w = M->wnew[w];
	u = M->unew[u];
	for (size_t e = M->eoff[w]; e < M->eoff[w + 1]; e++)
		if (M->eunit[e] == u)
			return (double)M->ep[e] * (double)M->pu[u];
	return 0;
}
