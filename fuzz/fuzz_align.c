/*
 * fuzz_align.c - the aligner under documents built from arbitrary bytes.
 *
 * Two documents come out of the input:
 *  - when it reads as a bilingual document (a transcript, a dual SRT, a
 *    post), its source text against its translations, as users align them;
 *  - otherwise its lines are the source, and the translation is made from
 *    them: each ASCII word becomes one or two CJK characters chosen by its
 *    hash (so the same word always "translates" the same, which the learned
 *    table can pick up), punctuation its full-width form.
 * The translation is then perturbed, steered by the input's bytes: lines
 * merged, split inside, dropped, and stray lines inserted.  Each side is
 * timed or not (source cues from their lengths, translation cues from the
 * source cues they came from, both jittered) as the first byte says.
 *
 * The aligner must not crash, and its links must cover both documents
 * exactly once, in order (the header's promise); the bilingual result and
 * the report must be made without error.  The input is the document whole;
 * its first byte also chooses, and its second seeds the perturbation:
 *   bit 0  source timed        bit 1  translation timed
 *   bit 2  a small lexicon     bit 3  --no-times
 *   bits 4-7  the perturbation rate
 */
#include "tandem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGS 400
#define MAX_LINE 4000

typedef struct rng {
	uint64_t s;
} rng;

static uint32_t next(rng *r)
{
	r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(r->s >> 33);
}

typedef struct strbuf {
	char *p;
	size_t n, cap;
} strbuf;

static void put(strbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

/* Append code point c (a BMP character here) as UTF-8. */
static void put_cjk(strbuf *b, uint32_t c)
{
	char u[3] = {(char)(0xE0 | (c >> 12)), (char)(0x80 | ((c >> 6) & 0x3F)),
	             (char)(0x80 | (c & 0x3F))};
	put(b, u, 3);
}

static uint64_t word_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t k = 0; k < n; k++)
		h = (h ^ (uint64_t)(unsigned char)(s[k] | 0x20)) * 1099511628211ULL;
	return h;
}

/* The made-up translation of one line (see the top). */
static void pseudo_translate(const char *s, strbuf *out)
{
	out->n = 0;
	put(out, "", 0);
	for (size_t k = 0; s[k];) {
		unsigned char c = (unsigned char)s[k];
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
			size_t e = k;
			while (((unsigned char)s[e] | 0x20) >= 'a' && ((unsigned char)s[e] | 0x20) <= 'z')
				e++;
			uint64_t h = word_hash(s + k, e - k);
			put_cjk(out, 0x4E00 + (uint32_t)(h % 6000));
			if (e - k > 5)
				put_cjk(out, 0x4E00 + (uint32_t)((h >> 20) % 6000));
			k = e;
		} else if (c == '.' || c == ',' || c == '?' || c == '!' || c == ':' || c == ';') {
			static const char *const wide[] = {"。", "，", "？", "！", "：", "；"};
			put(out, wide[strchr(".,?!:;", c) - ".,?!:;"], 3);
			k++;
		} else if (c == ' ') {
			k++;
		} else {
			put(out, s + k, 1);
			k++;
		}
	}
}

/* Whether s[0..n) is valid UTF-8 with no NUL (the model holds text). */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t k = 0; k < n;) {
		unsigned char c = s[k];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!c || !len || k + len > n)
			return false;
		uint32_t cp = len == 1 ? c : (uint32_t)(c & (0x7F >> len));
		for (size_t j = 1; j < len; j++) {
			if ((s[k + j] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[k + j] & 0x3F);
		}
		static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
		if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		k += len;
	}
	return true;
}

/* The source and its (unperturbed) translation from the input. */
static void build(const uint8_t *data, size_t size, tandem_doc *src, tandem_doc *tr)
{
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	tandem_doc *doc = NULL;
	if (tandem_doc_read(&doc, (const char *)data, size, &ro) == 0) {
		size_t n = tandem_doc_count(doc), bi = 0;
		for (size_t i = 0; i < n; i++)
			bi += tandem_seg_translation(doc, i) != NULL;
		if (bi * 2 > n) {
			for (size_t i = 0; i < n && tandem_doc_count(src) < MAX_SEGS; i++) {
				const char *t = tandem_seg_translation(doc, i);
				tandem_doc_add(src, TANDEM_NO_TIME, TANDEM_NO_TIME, tandem_seg_text(doc, i), NULL);
				tandem_doc_add(tr, TANDEM_NO_TIME, TANDEM_NO_TIME, t ? t : "", NULL);
			}
			tandem_doc_free(doc);
			return;
		}
		tandem_doc_free(doc);
	}
	strbuf line = {NULL, 0, 0}, zh = {NULL, 0, 0};
	for (size_t k = 0; k < size && tandem_doc_count(src) < MAX_SEGS;) {
		size_t e = k;
		while (e < size && data[e] != '\n')
			e++;
		size_t n = e - k < MAX_LINE ? e - k : MAX_LINE;
		if (n && utf8_ok(data + k, n)) {
			line.n = 0;
			put(&line, (const char *)data + k, n);
			pseudo_translate(line.p, &zh);
			tandem_doc_add(src, TANDEM_NO_TIME, TANDEM_NO_TIME, line.p, NULL);
			tandem_doc_add(tr, TANDEM_NO_TIME, TANDEM_NO_TIME, zh.p, NULL);
		}
		k = e + 1;
	}
	free(line.p);
	free(zh.p);
}

/* Cut a UTF-8 string near its middle, at a character boundary. */
static size_t middle(const char *s)
{
	size_t n = strlen(s), k = n / 2;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

/*
 * The translation perturbed: merges, splits, drops and stray lines, each
 * line keeping the source span it came from in [from, to).
 */
static tandem_doc *perturb(const tandem_doc *tr, rng *r, unsigned rate, size_t *from, size_t *to)
{
	tandem_doc *out = tandem_doc_new();
	size_t n = tandem_doc_count(tr);
	strbuf b = {NULL, 0, 0};
	for (size_t i = 0; i < n && tandem_doc_count(out) < 2 * MAX_SEGS; i++) {
		uint32_t roll = next(r) % 64;
		const char *t = tandem_seg_text(tr, i);
		size_t k = tandem_doc_count(out);
		if (roll < rate && i + 1 < n) { /* merge with the next */
			b.n = 0;
			put(&b, t, strlen(t));
			put(&b, tandem_seg_text(tr, i + 1), strlen(tandem_seg_text(tr, i + 1)));
			tandem_doc_add(out, TANDEM_NO_TIME, TANDEM_NO_TIME, b.p, NULL);
			from[k] = i;
			to[k] = i + 2;
			i++;
		} else if (roll < 2 * rate && strlen(t) > 6) { /* split */
			size_t m = middle(t);
			b.n = 0;
			put(&b, t, m);
			tandem_doc_add(out, TANDEM_NO_TIME, TANDEM_NO_TIME, b.p, NULL);
			tandem_doc_add(out, TANDEM_NO_TIME, TANDEM_NO_TIME, t + m, NULL);
			from[k] = from[k + 1] = i;
			to[k] = to[k + 1] = i + 1;
		} else if (roll < 3 * rate / 2 + rate) { /* drop */
			continue;
		} else {
			tandem_doc_add(out, TANDEM_NO_TIME, TANDEM_NO_TIME, t, NULL);
			from[k] = i;
			to[k] = i + 1;
		}
		if (next(r) % 64 < rate / 2) { /* a stray line after it */
			size_t s = tandem_doc_count(out);
			tandem_doc_add(out, TANDEM_NO_TIME, TANDEM_NO_TIME, "（译者注：此处略有改动）", NULL);
			from[s] = to[s - 1] - 1;
			to[s] = to[s - 1];
		}
	}
	free(b.p);
	return out;
}

static void check_links(const tandem_alignment *a, size_t ns, size_t nt)
{
	size_t si = 0, tj = 0;
	for (size_t k = 0; k < tandem_alignment_count(a); k++) {
		size_t s, n, t, m;
		tandem_alignment_link(a, k, &s, &n, &t, &m);
		if (s != si || t != tj || (!n && !m))
			abort();
		double sc = tandem_alignment_score(a, k);
		if (!(sc >= 0 && sc <= 1))
			abort();
		si += n;
		tj += m;
	}
	if (si != ns || tj != nt)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	unsigned flags = data[0];
	rng r = {((uint64_t)data[1] << 32) ^ size};
	tandem_doc *src = tandem_doc_new(), *base = tandem_doc_new();
	build(data, size, src, base);
	size_t n = tandem_doc_count(src);
	size_t *from = malloc((4 * MAX_SEGS + 1) * sizeof *from);
	size_t *to = malloc((4 * MAX_SEGS + 1) * sizeof *to);
	if (!from || !to)
		abort();
	tandem_doc *tr = perturb(base, &r, (flags >> 4) & 15, from, to);
	/* Source cues from their lengths; translation cues from theirs. */
	int64_t *t0 = malloc((n + 1) * sizeof *t0);
	if (!t0)
		abort();
	int64_t t = (int64_t)(next(&r) % 5000);
	for (size_t i = 0; i < n; i++) {
		t0[i] = t;
		t += 400 + 60 * (int64_t)strlen(tandem_seg_text(src, i)) % 20000;
		if (flags & 1)
			tandem_seg_set_times(src, i, t0[i], t);
		t += (int64_t)(next(&r) % 800);
	}
	t0[n] = t;
	if (flags & 2)
		for (size_t k = 0; k < tandem_doc_count(tr); k++) {
			int64_t a = t0[from[k]] + (int64_t)(next(&r) % 600) - 300;
			int64_t b = t0[to[k]] - 200 + (int64_t)(next(&r) % 600) - 300;
			if (a < 0)
				a = 0;
			if (b <= a)
				b = a + 100;
			tandem_seg_set_times(tr, k, a, b);
		}

	tandem_lexicon *lex = NULL;
	if (flags & 4) {
		strbuf l = {NULL, 0, 0}, zh = {NULL, 0, 0};
		put(&l, "# made up\n", 10);
		for (size_t i = 0; i < n && i < 20; i++) {
			const char *s = tandem_seg_text(src, i);
			size_t w = 0;
			while (((unsigned char)s[w] | 0x20) >= 'a' && ((unsigned char)s[w] | 0x20) <= 'z')
				w++;
			if (w < 2)
				continue;
			char word[64];
			snprintf(word, sizeof word, "%.*s", (int)(w < 60 ? w : 60), s);
			pseudo_translate(word, &zh);
			put(&l, zh.p, zh.n);
			put(&l, " @ ", 3);
			put(&l, word, strlen(word));
			put(&l, "\n", 1);
		}
		if (tandem_lexicon_parse(&lex, l.p, l.n, "fuzz.lex", NULL, NULL))
			abort();
		free(l.p);
		free(zh.p);
	}

	tandem_align_opts ao;
	tandem_align_opts_init(&ao);
	ao.lexicon = lex;
	ao.no_times = (flags & 8) != 0;
	tandem_alignment *a = NULL;
	int rc = tandem_align_run(src, tr, &ao, &a);
	if (rc == 0) {
		check_links(a, n, tandem_doc_count(tr));
		for (int merge = 0; merge < 2; merge++) {
			tandem_doc *out = NULL;
			if (tandem_alignment_apply(a, src, tr, merge, &out))
				abort();
			tandem_doc_free(out);
		}
		size_t len = 0;
		char *json = tandem_alignment_report_json(a, &len);
		if (!json || !len)
			abort();
		free(json);
		tandem_alignment_free(a);
	} else if (rc != TANDEM_EEMPTY || (n && tandem_doc_count(tr))) {
		abort();
	}
	tandem_lexicon_free(lex);
	free(t0);
	free(from);
	free(to);
	tandem_doc_free(src);
	tandem_doc_free(base);
	tandem_doc_free(tr);
	return 0;
}
