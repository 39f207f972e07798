/*
 * test_textfast.c - the vector UTF-8 check (core/decode.c) and script
 * counts (core/text.c) against the scalar code they replaced, kept below
 * as the reference model: the same answer for every input, valid or not,
 * on every path.  The two files are compiled into this test with
 * TANDEM_CPU_HAS replaced, so the AVX2 path, the SSSE3 (check) and
 * SSE2+POPCNT (counts) paths and the plain C ones all run on one machine,
 * as far as it has them.
 *
 *   test_textfast                    the tests
 *   test_textfast --bench FILE [N]   MB/s of old and new on FILE, best of N
 *                                    (bench/text/run.sh)
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* 2: everything the CPU has; 1: no AVX2; 0: no vector code at all. */
static int cpu_level = 2;
/* What the CPU really has, asked once in main: "avx2", "ssse3", "popcnt". */
static bool cpu_avx2, cpu_ssse3, cpu_popcnt;

/* Cheap, since the benchmark asks once per line: the names differ in their second letter. */
static int fake_cpu_has(const char *feature)
{
	if (feature[1] == 'v')
		return cpu_level >= 2 && cpu_avx2;
	return cpu_level >= 1 && (feature[1] == 's' ? cpu_ssse3 : cpu_popcnt);
}

#define TANDEM_CPU_HAS(feature) fake_cpu_has(feature)
#include "../core/decode.c"
#include "../core/text.c"

#include "harness.h"

#include <time.h>
#include <utf8proc.h>

/* ---- the reference model: the scalar code as it was before the vector paths ---- */

static size_t ref_utf8_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 3 <= len &&
		    (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		size_t n;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n > len)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n;
	}
	return len;
}

#define REF_ONES 0x0101010101010101ull
#define REF_BYTES_GE(w, c) (((w) + (0x80 - (uint64_t)(c)) * REF_ONES) & 0x8080808080808080ull)

static bool ref_cjk_punct(int32_t c)
{
	return c == 0x3001 || c == 0x3002 || (c >= 0x3008 && c <= 0x3011) || c == 0xFF01 ||
	       c == 0xFF08 || c == 0xFF09 || c == 0xFF0C || c == 0xFF1A || c == 0xFF1B ||
	       c == 0xFF1F || (c >= 0x2018 && c <= 0x201D) || c == 0x2014 || c == 0x2026;
}

static tandem_script_counts ref_text_scripts(const char *s, size_t len)
{
	tandem_script_counts k = {0, 0, 0, 0};
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, u + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			uint64_t x = w | 0x20 * REF_ONES;
			uint64_t letters = REF_BYTES_GE(x, 'a') & ~REF_BYTES_GE(x, 'z' + 1);
			uint64_t digits = REF_BYTES_GE(w, '0') & ~REF_BYTES_GE(w, '9' + 1);
			k.latin += (size_t)(((letters >> 7) * REF_ONES) >> 56);
			k.digits += (size_t)(((digits >> 7) * REF_ONES) >> 56);
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char b = u[i];
		if (b < 0x80) {
			if ((unsigned)((b | 0x20) - 'a') < 26)
				k.latin++;
			else if ((unsigned)(b - '0') < 10)
				k.digits++;
			i++;
			continue;
		}
		if (b >= 0xE4 && b <= 0xE9 && i + 3 <= len && (u[i + 1] & 0xC0) == 0x80 &&
		    (u[i + 2] & 0xC0) == 0x80 && (b > 0xE4 || u[i + 1] >= 0xB8)) {
			k.han++;
			i += 3;
			continue;
		}
		int32_t c;
		i += tandem__utf8_decode(s + i, len - i, &c);
		if (c >= 0x4E00 && c <= 0x9FFF) {
			k.han++;
			continue;
		}
		if (ref_cjk_punct(c))
			continue;
		utf8proc_category_t cat = utf8proc_category(c);
		if (cat == UTF8PROC_CATEGORY_ND) {
			k.digits++;
		} else if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
			if (tandem__is_cjk(c))
				k.han++;
			else if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF))
				k.latin++;
			else
				k.other++;
		}
	}
	return k;
}

/* ---- comparing ---- */

static int levels[3], nlevels;

static void dump(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len && i < 96; i++)
		fprintf(stderr, "%02X%s", s[i], i + 1 < len ? " " : "");
	fprintf(stderr, "%s\n", len > 96 ? " ..." : "");
}

/* Counted one per input, not one per comparison; the first few failures are shown. */
static void verdict(bool same, const char *what, const unsigned char *s, size_t len,
                    long long got, long long want)
{
	if (same) {
		harness_passed++;
		return;
	}
	if (harness_failed++ < 8) {
		fprintf(stderr, "FAIL: %s at level %d (len %zu): got %lld, want %lld\n  ", what,
		        cpu_level, len, got, want);
		dump(s, len);
	}
}

static bool same_counts(tandem_script_counts a, tandem_script_counts b)
{
	return a.latin == b.latin && a.han == b.han && a.other == b.other && a.digits == b.digits;
}

/* Both functions, at every level, against the model. */
static void cmp_check(const unsigned char *s, size_t len, const char *what)
{
	size_t want = ref_utf8_check((const char *)s, len);
	for (int l = 0; l < nlevels; l++) {
		cpu_level = levels[l];
		size_t got = tandem__utf8_check((const char *)s, len);
		if (got != want) {
			verdict(false, what, s, len, (long long)got, (long long)want);
			return;
		}
	}
	verdict(true, what, s, len, 0, 0);
}

static void cmp_scripts(const unsigned char *s, size_t len, const char *what)
{
	tandem_script_counts want = ref_text_scripts((const char *)s, len);
	for (int l = 0; l < nlevels; l++) {
		cpu_level = levels[l];
		tandem_script_counts got = tandem_text_scripts((const char *)s, len);
		if (!same_counts(got, want)) {
			verdict(false, what, s, len,
			        (long long)(got.latin * 1000000000 + got.han * 1000000 + got.other * 1000 +
			                    got.digits),
			        (long long)(want.latin * 1000000000 + want.han * 1000000 +
			                    want.other * 1000 + want.digits));
			return;
		}
	}
	verdict(true, what, s, len, 0, 0);
}

static void cmp_both(const unsigned char *s, size_t len, const char *what)
{
	cmp_check(s, len, what);
	cmp_scripts(s, len, what);
}

/* ---- a few answers worked out by hand, on every path ---- */

static void known_answers(void)
{
	char buf[256];
	for (int l = 0; l < nlevels; l++) {
		cpu_level = levels[l];
		/* 40 ideographs, ASCII letters and digits, CJK punctuation, an é and an α. */
		size_t n = 0;
		for (int i = 0; i < 40; i++)
			n += (size_t)sprintf(buf + n, "%s", i % 2 ? "\xE4\xB8\x80" : "\xE9\xBE\x8D");
		n += (size_t)sprintf(buf + n, "%s",
		                     "OpenAI 2024\xE3\x80\x82\xEF\xBC\x8C\xC3\xA9\xCE\xB1 x");
		tandem_script_counts k = tandem_text_scripts(buf, n);
		INT_EQ(k.han, 40, "ideographs");
		INT_EQ(k.latin, 8, "Latin letters: OpenAI, x, and é");
		INT_EQ(k.digits, 4, "digits");
		INT_EQ(k.other, 1, "other letters: α");
		/* U+4DFF (E4 B7 BF) is not in the ideograph block, nor a letter. */
		memset(buf, 'a', 100);
		memcpy(buf + 40, "\xE4\xB7\xBF", 3);
		k = tandem_text_scripts(buf, 100);
		INT_EQ(k.han, 0, "U+4DFF is not an ideograph here");
		INT_EQ(k.latin, 97, "the letters around it");
		memset(buf, 'a', 200);
		INT_EQ(tandem__utf8_check(buf, 200), 200, "ASCII is valid");
		memcpy(buf + 130, "\xED\xA0\x80", 3);
		INT_EQ(tandem__utf8_check(buf, 200), 130, "a surrogate at 130");
		memcpy(buf + 62, "\xF0\x9F\x98", 3);
		INT_EQ(tandem__utf8_check(buf, 200), 62, "a 4-byte form cut at 65, across a block edge");
		memcpy(buf + 62, "\xF0\x9F\x98\x80", 4);
		INT_EQ(tandem__utf8_check(buf, 200), 130, "the same 4-byte form whole");
		INT_EQ(tandem__utf8_check(buf, 132), 130, "a surrogate cut by the end");
		INT_EQ(tandem__utf8_check(buf, 129), 129, "the input before it");
	}
}

/* ---- exhaustive: short sequences alone and at every block edge ---- */

/* Fill [0, n) with text that ends at a character boundary: "中" (3 bytes) or 'a'. */
static void fill_before(unsigned char *b, size_t n, bool cjk)
{
	size_t i = 0;
	if (cjk)
		for (; i < n % 3; i++)
			b[i] = 'a';
	for (; i < n; i += cjk ? 3 : 1) {
		if (cjk)
			memcpy(b + i, "\xE4\xB8\xAD", 3);
		else
			b[i] = 'a';
	}
}

/* Fill [from, n) with "中" from from on, or 'a'; a cut character at the end becomes 'a's. */
static void fill_after(unsigned char *b, size_t from, size_t n, bool cjk)
{
	size_t i = from;
	for (; cjk && i + 3 <= n; i += 3)
		memcpy(b + i, "\xE4\xB8\xAD", 3);
	for (; i < n; i++)
		b[i] = 'a';
}

static void exhaustive_short(void)
{
	unsigned char b[4];
	for (unsigned x = 0; x < 256; x++) {
		b[0] = (unsigned char)x;
		cmp_both(b, 1, "every byte");
		for (unsigned y = 0; y < 256; y++) {
			b[1] = (unsigned char)y;
			cmp_both(b, 2, "every byte pair");
		}
	}
}

/* A pair at each spot around the 16-, 32- and 64-byte block edges, after ASCII or CJK. */
static void exhaustive_pairs(void)
{
	static const size_t at[] = {0, 1, 14, 15, 16, 30, 31, 47, 62, 63, 64};
	/* Two whole validation blocks, so the first one's end is seen by the vector code. */
	unsigned char b[136];
	for (int cjk = 0; cjk < 2; cjk++)
		for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
			fill_before(b, at[k], cjk);
			fill_after(b, at[k] + 2, sizeof b, cjk);
			for (unsigned x = 0; x < 256; x++)
				for (unsigned y = 0; y < 256; y++) {
					b[at[k]] = (unsigned char)x;
					b[at[k] + 1] = (unsigned char)y;
					/* Cut right after the pair too: an input that ends inside a character. */
					cmp_check(b, sizeof b, "pair at a block edge");
					cmp_check(b, at[k] + 2, "pair at the end");
					if (k % 2 == 0 && (x >= 0x80 || y >= 0x80))
						cmp_scripts(b, 72, "pair at a block edge");
				}
		}
}

/*
 * Every triple of bytes from 80..FF and four ASCII bytes, straddling the
 * 64-byte validation block; and for the script counts every triple with a
 * lead E0..EF (the ones the vector path takes) straddling the 16-, 32- and
 * 48-byte edges.
 */
static void exhaustive_triples(void)
{
	unsigned char alpha[132];
	for (int i = 0; i < 128; i++)
		alpha[i] = (unsigned char)(0x80 + i);
	memcpy(alpha + 128, "\x00" "A0\x7F", 4);
	unsigned char b[136];
	for (size_t at = 62; at <= 63; at++) {
		fill_before(b, sizeof b, false);
		for (int x = 0; x < 132; x++)
			for (int y = 0; y < 132; y++)
				for (int z = 0; z < 132; z++) {
					b[at] = alpha[x];
					b[at + 1] = alpha[y];
					b[at + 2] = alpha[z];
					cmp_check(b, sizeof b, "triple across the 64-byte edge");
				}
	}
	unsigned char t[52];
	static const size_t spots[] = {14, 31, 46};
	for (size_t k = 0; k < sizeof spots / sizeof *spots; k++) {
		fill_before(t, spots[k], true);
		fill_after(t, spots[k] + 3, sizeof t, true);
		for (unsigned x = 0xE0; x <= 0xEF; x++)
			for (unsigned y = 0; y < 256; y++)
				for (unsigned z = 0; z < 256; z += (y >= 0x80 && y < 0xC0) ? 1 : 15) {
					t[spots[k]] = (unsigned char)x;
					t[spots[k] + 1] = (unsigned char)y;
					t[spots[k] + 2] = (unsigned char)z;
					cmp_scripts(t, sizeof t, "3-byte character at a block edge");
				}
	}
}

/* Every 4-byte form with 80..FF first and a byte from each class after it, at the 64-byte edge. */
static void exhaustive_quads(void)
{
	static const unsigned char reps[] = {0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC2, 0xF0};
	enum { R = sizeof reps };
	unsigned char b[136];
	for (size_t at = 60; at <= 64; at++) {
		fill_before(b, sizeof b, false);
		for (unsigned w = 0x80; w < 0x100; w++)
			for (int x = 0; x < R; x++)
				for (int y = 0; y < R; y++)
					for (int z = 0; z < R; z++) {
						b[at] = (unsigned char)w;
						b[at + 1] = reps[x];
						b[at + 2] = reps[y];
						b[at + 3] = reps[z];
						cmp_check(b, sizeof b, "4-byte form at the 64-byte edge");
					}
	}
}

/* ---- random text, valid and not ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: fixed seeds, the same cases every run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t put_cp(unsigned char *o, uint32_t c)
{
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)c, o);
}

/* The characters subtitle text is made of, and the ways it goes wrong. */
static size_t gen_char(unsigned char *o, int cjk_weight)
{
	static const uint32_t punct[] = {0x3001, 0x3002, 0x3008, 0x3011, 0xFF01, 0xFF08, 0xFF09,
	                                 0xFF0C, 0xFF1A, 0xFF1B, 0xFF1F, 0x2018, 0x201D, 0x2014,
	                                 0x2026, 0x3000, 0x30FC, 0x30FB, 0x300C, 0x300D, 0xFF0E};
	static const uint32_t odd[] = {0xE9,   0xDF,   0x3B1,  0x416,  0x660,  0x669,   0x5D0,
	                               0x1E9E, 0x2160, 0xFF10, 0xFF21, 0xAC00, 0x3042,  0x30A2,
	                               0xFFFD, 0xA0,   0x20AC, 0x1F600, 0x20000, 0x1D7CE, 0x10FFFF,
	                               0x4DFF, 0x4E00, 0x9FFF, 0xA000, 0x2E80, 0xF900,  0x10000};
	uint64_t r = rnd();
	unsigned kind = (unsigned)(r % 100);
	r >>= 8;
	if (kind < (unsigned)cjk_weight)
		return put_cp(o, 0x4E00 + (uint32_t)(r % 0x5200));
	if (kind < (unsigned)cjk_weight + 8)
		return put_cp(o, punct[r % (sizeof punct / sizeof *punct)]);
	if (kind < 88) {
		static const char ascii[] = "etaoinshrdluETAOIN 0123456789 .,!?'\"<>-\n\r\t";
		o[0] = (unsigned char)ascii[r % (sizeof ascii - 1)];
		return 1;
	}
	if (kind < 94)
		return put_cp(o, odd[r % (sizeof odd / sizeof *odd)]);
	/* Any code point at all, surrogates excluded. */
	uint32_t c = (uint32_t)(r % 0x110000);
	if (c >= 0xD800 && c <= 0xDFFF)
		c = 0x3000 + (c & 0xFF);
	return put_cp(o, c);
}

static size_t gen_bad(unsigned char *o)
{
	uint64_t r = rnd();
	switch (r % 9) {
	case 0: o[0] = (unsigned char)(0x80 + (r >> 8) % 0x80); return 1;       /* any high byte */
	case 1: o[0] = (unsigned char)(0x80 + (r >> 8) % 0x40); return 1;       /* stray continuation */
	case 2: memcpy(o, "\xE4\xB8", 2); return 2;                              /* cut ideograph */
	case 3: memcpy(o, "\xF0\x9F\x98", 3); return 3;                          /* cut emoji */
	case 4: o[0] = (unsigned char)(0xC0 + (r >> 8) % 2); o[1] = 0xAF; return 2; /* overlong */
	case 5: memcpy(o, "\xE0\x80\xAF", 3); return 3;                          /* overlong */
	case 6: o[0] = 0xED; o[1] = (unsigned char)(0xA0 + (r >> 8) % 0x20); o[2] = 0x80; return 3;
	case 7: memcpy(o, "\xF4\x90\x80\x80", 4); return 4;                      /* > U+10FFFF */
	default: o[0] = (unsigned char)(0xF5 + (r >> 8) % 11); o[1] = 0x80; return 2;
	}
}

static size_t gen_text(unsigned char *o, size_t want, int mode, int cjk_weight)
{
	size_t n = 0;
	size_t bad_at = mode == 1 ? (size_t)(rnd() % (want + 1)) : (size_t)-1;
	while (n < want) {
		if (mode == 3) {
			uint64_t r = rnd();
			o[n++] = (unsigned char)(r & 1 ? 0x80 + (r >> 8) % 0x80 : (r >> 8) % 0x80);
		} else if ((mode == 1 && n >= bad_at) || (mode == 2 && rnd() % 10 == 0)) {
			n += gen_bad(o + n);
			bad_at = (size_t)-1;
		} else {
			n += gen_char(o + n, cjk_weight);
		}
	}
	return n;
}

/* Each case at the very end of its own allocation, so a read past it is an ASan error. */
static void random_cases(void)
{
	unsigned char tmp[320];
	int all = nlevels;
	rng_state = 0x9E3779B97F4A7C15ull;
	for (int c = 0; c < 200000; c++) {
		/* The plain C path (last) on a quarter of the cases: it is the slow one. */
		nlevels = c % 4 == 0 || all == 1 ? all : all - 1;
		size_t want = (size_t)(rnd() % 301);
		/* Mostly valid or nearly so; raw random bytes only now and then (they are slow to count). */
		static const int modes[10] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 3};
		int mode = modes[rnd() % 10];
		int cjk = (int)(rnd() % 80);
		size_t n = gen_text(tmp, want, mode, cjk);
		if (n > 300)
			n = 300;
		size_t off = (size_t)c % 32;
		unsigned char *buf = malloc(off + n > 0 ? off + n : 1);
		memcpy(buf + off, tmp, n);
		cmp_both(buf + off, n, "random text");
		free(buf);
	}
	nlevels = all;
}

/* ---- the seed documents, whole, cut and damaged ---- */

static void seed_cases(void)
{
	static const char *const seeds[] = {
		"000_c84498d7aca169fa.txt", "001_cc0133aad5618f96.txt", "002_a7702332fec17ca5.txt",
		"003_a154d282383bb464.txt", "004_b5580065a6987a8a.txt"};
	rng_state = 12345;
	for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
		char path[512];
		snprintf(path, sizeof path, "%s/fixtures/seeds/%s", TANDEM_SOURCE_DIR, seeds[k]);
		size_t len;
		unsigned char *doc = (unsigned char *)harness_slurp(path, &len);
		OK(doc != NULL, "read %s", path);
		if (!doc)
			continue;
		INT_EQ(ref_utf8_check((const char *)doc, len), len, "seed is valid UTF-8");
		cmp_both(doc, len, "whole seed");
		/* Windows cut anywhere, so both ends fall inside characters too. */
		for (int w = 0; w < 4000; w++) {
			size_t a = (size_t)(rnd() % len), n = (size_t)(rnd() % 400);
			if (n > len - a)
				n = len - a;
			unsigned char *win = malloc(n > 0 ? n : 1);
			memcpy(win, doc + a, n);
			cmp_both(win, n, "seed window");
			free(win);
		}
		/* Whole prefixes cut at every byte of a few stretches. */
		for (size_t s = 0; s < 6; s++) {
			size_t from = len / 6 * s;
			for (size_t cut = from; cut < from + 70 && cut <= len; cut++)
				cmp_check(doc, cut, "seed prefix");
		}
		/* One byte damaged; the check sees the whole rest, the counts a window around it. */
		static const unsigned char junk[] = {0x80, 0xBF, 0xC0, 0xE4, 0xED, 0xF0, 0xFF, 'x', 0};
		for (int d = 0; d < 600; d++) {
			size_t at = (size_t)(rnd() % len);
			unsigned char save = doc[at];
			doc[at] = junk[rnd() % sizeof junk];
			cmp_check(doc, len, "damaged seed");
			size_t a = at > 150 ? at - 150 : 0, n = len - a < 300 ? len - a : 300;
			cmp_scripts(doc + a, n, "damaged seed window");
			doc[at] = save;
		}
		free(doc);
	}
}

/* ---- inputs big enough to be checked in two halves at once ---- */

/* One bad byte at a time, at each of the nine places around `at`. */
static void damage_around(unsigned char *s, size_t n, size_t at0, const char *what)
{
	static const unsigned char junk[] = {0x80, 0xE4, 'x'};
	for (long d = -4; d <= 4; d++) {
		size_t at = (size_t)((long)at0 + d);
		unsigned char save = s[at];
		s[at] = junk[(size_t)(d + 4) % sizeof junk];
		cmp_check(s, n, what);
		s[at] = save;
	}
}

static void split_cases(void)
{
	size_t seedlen;
	char *seed = harness_slurp(TANDEM_SOURCE_DIR "/fixtures/seeds/003_a154d282383bb464.txt",
	                           &seedlen);
	OK(seed != NULL, "read seed 003");
	if (!seed)
		return;
	size_t len = (16u << 20) + 4099;
	unsigned char *s = malloc(len);
	for (size_t i = 0; i < len; i += seedlen)
		memcpy(s + i, seed, len - i < seedlen ? len - i : seedlen);
	free(seed);
	/* The copy may end inside a character: make it end at a boundary. */
	size_t n = len;
	while (n && (s[n - 1] & 0xC0) == 0x80)
		n--;
	if (n && s[n - 1] >= 0xC0)
		n--;
	cmp_check(s, n, "big valid input");
	cmp_check(s, len, "big input cut inside a character, or not");
	size_t mid = n / 2;
	damage_around(s, n, mid, "big input damaged near the split");
	/* A run of continuation bytes across the split: the halves cannot start at a character. */
	unsigned char keep[8];
	memcpy(keep, s + mid - 2, 8);
	memset(s + mid - 2, 0x80, 8);
	cmp_check(s, n, "continuation bytes across the split");
	memcpy(s + mid - 2, keep, 8);
	/* Each half is checked in pieces (CHECK_PIECE): damage at their edges. */
	for (size_t at0 = CHECK_PIECE; at0 < n; at0 += 5 * CHECK_PIECE + 1) {
		damage_around(s, n, at0, "big input damaged near a piece's end");
		for (size_t run = 1; run <= 5; run++) {
			memcpy(keep, s + at0 - 1, 8);
			memset(s + at0 - 1, 0x80, run);
			cmp_check(s, n, "continuation bytes across a piece's end");
			memcpy(s + at0 - 1, keep, 8);
		}
	}
	/* The first NUL of a valid input, found piece by piece in each half. */
	size_t places[] = {0, CHECK_PIECE - 1, CHECK_PIECE, 3 * CHECK_PIECE + 7, mid - 1, mid,
	                   mid + CHECK_PIECE, n - 1};
	for (size_t k = 0; k < sizeof places / sizeof *places; k++) {
		size_t at = places[k]; /* an ASCII byte there or before, so the input stays valid */
		while (at && s[at] >= 0x80)
			at--;
		unsigned char save = s[at];
		s[at] = 0;
		size_t nul = 0;
		size_t bad = check_halves((const char *)s, n, &nul);
		OK(bad == n && nul == at, "NUL at %zu: bad %zu (of %zu), found at %zu", at, bad, n,
		   nul);
		s[at] = save;
	}
	size_t none = 0;
	check_halves((const char *)s, n, &none);
	INT_EQ(none, n, "no NUL in a valid input: its length");
	s[7] = 0xFF;
	cmp_check(s, n, "big input damaged at the start");
	free(s);
}

/* ---- micro-benchmark ---- */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static volatile size_t bench_sink;

typedef struct line {
	size_t at, len;
} line;

/* MB/s of one function, best of reps: 0 old check, 1 new check, 2 the two-thread
 * entry, 3 old counts, 4 new counts.  The counts are taken line by line, as the
 * bilingual reader asks for them, with the lines found beforehand. */
static double best_of(int reps, const char *s, size_t len, const line *lines, size_t nlines,
                      int which)
{
	double best = 1e30;
	for (int r = 0; r < reps; r++) {
		double t0 = now();
		size_t sum = 0;
		if (which == 0) {
			sum = ref_utf8_check(s, len);
		} else if (which == 1) {
			sum = utf8_check(s, len);
		} else if (which == 2) {
			sum = tandem__utf8_check(s, len);
		} else {
			for (size_t i = 0; i < nlines; i++) {
				tandem_script_counts k =
					which == 3 ? ref_text_scripts(s + lines[i].at, lines[i].len)
					           : tandem_text_scripts(s + lines[i].at, lines[i].len);
				sum += k.latin + k.han + k.digits + k.other;
			}
		}
		bench_sink += sum;
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	return (double)len / 1048576.0 / best;
}

static int bench(const char *path, int reps)
{
	size_t len;
	char *s = harness_slurp(path, &len);
	if (!s) {
		fprintf(stderr, "cannot read %s\n", path);
		return 2;
	}
	size_t nlines = 0, cap = 1024;
	line *lines = malloc(cap * sizeof *lines);
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(s + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (s + at)) : len - at;
		if (nlines == cap)
			lines = realloc(lines, (cap *= 2) * sizeof *lines);
		lines[nlines++] = (line){at, n};
		at += n + 1;
	}
	printf("%s: %.1f MB, %zu lines, best of %d\n", path, (double)len / 1048576.0, nlines, reps);
	static const char *const check_paths[] = {"plain C", "SSSE3", "AVX2"};
	static const char *const count_paths[] = {"plain C", "SSE2+POPCNT", "AVX2"};
	char what[80];
	printf("%-50s %8s\n", "", "MB/s");
	printf("%-50s %8.0f\n", "utf8_check, old scalar", best_of(reps, s, len, lines, nlines, 0));
	for (int l = 2; l >= 0; l--) {
		cpu_level = l;
		snprintf(what, sizeof what, "utf8_check, new, %s", check_paths[l]);
		printf("%-50s %8.0f\n", what, best_of(reps, s, len, lines, nlines, 1));
	}
	cpu_level = 2;
	printf("%-50s %8.0f\n", "tandem__utf8_check (two threads from 16 MB)",
	       best_of(reps, s, len, lines, nlines, 2));
	printf("%-50s %8.0f\n", "tandem_text_scripts per line, old",
	       best_of(reps, s, len, lines, nlines, 3));
	for (int l = 2; l >= 0; l--) {
		cpu_level = l;
		snprintf(what, sizeof what, "tandem_text_scripts per line, new, %s", count_paths[l]);
		printf("%-50s %8.0f\n", what, best_of(reps, s, len, lines, nlines, 4));
	}
	free(lines);
	free(s);
	return 0;
}

int main(int argc, char **argv)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	cpu_avx2 = __builtin_cpu_supports("avx2");
	cpu_ssse3 = __builtin_cpu_supports("ssse3");
	cpu_popcnt = __builtin_cpu_supports("popcnt");
#endif
	(void)fake_cpu_has; /* unused where there is no vector code */
	if (argc >= 3 && strcmp(argv[1], "--bench") == 0)
		return bench(argv[2], argc >= 4 ? atoi(argv[3]) : 5);
	levels[nlevels++] = 2;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	if (__builtin_cpu_supports("avx2"))
		levels[nlevels++] = 1;
	levels[nlevels++] = 0;
#endif
	known_answers();
	exhaustive_short();
	exhaustive_pairs();
	exhaustive_triples();
	exhaustive_quads();
	random_cases();
	seed_cases();
	split_cases();
	cpu_level = 2;
	return harness_done();
}
