/*
 * features.c - what each segment offers the aligner's score: its length,
 * punctuation, speaker and times, its tokens (tokens.c), the anchors it
 * holds that the other document also has, and the token set the other
 * side's anchors are looked up in.
 */
#include "align_internal.h"

#include <stdlib.h>
#include <string.h>

static bool doc_is_cjk(const tandem_doc *d, bool use_tr)
{
	size_t han = 0, latin = 0;
	size_t n = tandem_doc_count(d), step = n > 400 ? n / 400 : 1;
	for (size_t i = 0; i < n; i += step) {
		const char *s = tandem__align_side_text(d, i, use_tr);
		tandem_script_counts k = tandem_text_scripts(s, strlen(s));
		han += k.han;
		latin += k.latin;
	}
	return han * 3 > latin;
}

bool tandem__align_bilingual(const tandem_doc *d)
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
		bytes += strlen(tandem__align_side_text(d, i, use_tr));
	if (r->tok.cap < bytes / 4 + 64) {
		r->tok.cap = bytes / 4 + 64;
		r->tok.v = tandem__xrealloc(r->tok.v, r->tok.cap * sizeof *r->tok.v);
	}
	/* the learned table's units: a word takes two bytes or more, a CJK character three */
	tandem__m1_reserve(m1, m1_side, bytes / 2 + 64);
	for (size_t i = 0; i < n; i++) {
		const char *s = tandem__align_side_text(d, i, use_tr);
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
			if (r->tok.v[t].kind != TANDEM__TOK_LEX && tandem__align_hset_has(other->v, other->n, r->tok.v[t].hash))
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
			anchor_ev *a = &C->anchors[C->nanch++];
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


void tandem__align_features(ctx *C, const tandem_doc *source, const tandem_doc *translation,
                            bool use_tr, const tandem_lexicon *lex)
{
	size_t n = C->n, m = C->m;
	C->S = tandem__xcalloc(n, sizeof *C->S);
	C->T = tandem__xcalloc(m, sizeof *C->T);
	bool cjkS = doc_is_cjk(source, false), cjkT = doc_is_cjk(translation, use_tr);
	C->cjkT = cjkT;
	raw rs, rt;
	memset(&rs, 0, sizeof rs);
	memset(&rt, 0, sizeof rt);
	C->m1 = tandem__m1_new(n, m);
	tandem__tokens units = {NULL, 0, 0};
	tokenize_doc(source, false, cjkS, cjkS && !cjkT, lex, &rs, C->S, C->m1, 0, &units);
	tokenize_doc(translation, use_tr, cjkT, cjkT && !cjkS, lex, &rt, C->T, C->m1, 1, &units);
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
	build_sets(C, &rs, C->S, n, &ut, tmp, &setcap);
	build_sets(C, &rt, C->T, m, &us, tmp, &setcap);
	free(tmp);
	size_t ndfS, ndfT;
	dfent *dfS = df_table(C, C->S, n, &ndfS), *dfT = df_table(C, C->T, m, &ndfT);
	build_anchors(C, &rs, C->S, n, dfT, ndfT, m, &anchcap);
	build_anchors(C, &rt, C->T, m, dfS, ndfS, n, &anchcap);
	free(dfS);
	free(dfT);
	free(us.v);
	free(ut.v);
	free(rs.tok.v);
	free(rs.start);
	free(rt.tok.v);
	free(rt.start);
}
