/*
 * text.c - measuring text the way a reader sees it (utf8proc grapheme
 * clusters and East Asian width), script detection, and the conversion
 * between plain text and the model's markup.
 */
#include "tandem_private.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t tandem__utf8_decode_rest(const char *s, size_t len, int32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate(u, (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

int tandem__digit_value(int32_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 0xFF10 && c <= 0xFF19)
		return c - 0xFF10;
	return -1;
}

long tandem__cjk_numeral(int32_t c)
{
	switch (c) {
	case 0x96F6: case 0x3007: return 0;          /* 零 〇 */
	case 0x4E00: return 1;                       /* 一 */
	case 0x4E8C: case 0x4E24: return 2;          /* 二 两 */
	case 0x4E09: return 3;                       /* 三 */
	case 0x56DB: return 4;                       /* 四 */
	case 0x4E94: return 5;                       /* 五 */
	case 0x516D: return 6;                       /* 六 */
	case 0x4E03: return 7;                       /* 七 */
	case 0x516B: return 8;                       /* 八 */
	case 0x4E5D: return 9;                       /* 九 */
	case 0x5341: return 10;                      /* 十 */
	case 0x767E: return 100;                     /* 百 */
	case 0x5343: return 1000;                    /* 千 */
	case 0x4E07: return 10000;                   /* 万 */
	case 0x4EBF: return 100000000;               /* 亿 */
	default: return -1;
	}
}

bool tandem__is_cjk(int32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) ||   /* radicals, kana, CJK symbols, ideographs */
	       (c >= 0xAC00 && c <= 0xD7AF) ||   /* hangul */
	       (c >= 0xF900 && c <= 0xFAFF) ||   /* compatibility ideographs */
	       (c >= 0xFF00 && c <= 0xFFEF) ||   /* full-width forms */
	       (c >= 0x20000 && c <= 0x3FFFF);   /* extension planes */
}

/*
 * Code points of grapheme break class Other that no rule but "break
 * everywhere else" applies to: printable ASCII, CJK punctuation, unified
 * ideographs, full-width ASCII forms.  Between two of them there is always
 * a break, and the break state afterwards is that of any Other after Other
 * (tests/test_align.c checks the classes against utf8proc).
 */
static inline bool plain_other(int32_t c)
{
	return (c >= 0x20 && c <= 0x7E) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0x3001 && c <= 0x3029) || (c >= 0xFF01 && c <= 0xFF5E);
}

size_t tandem_text_graphemes(const char *s, size_t len)
{
	size_t n = 0, i = 0;
	utf8proc_int32_t prev = -1, state = 0, other = -1;
	while (i < len) {
		int32_t c;
		i += tandem__utf8_decode(s + i, len - i, &c);
		if (prev < 0) {
			n++;
		} else if (plain_other(prev) && plain_other(c)) {
			/* most text: skip utf8proc's per-character lookup (a third of tokenising) */
			if (other < 0) {
				other = 0;
				utf8proc_grapheme_break_stateful('a', 'a', &other);
			}
			state = other;
			n++;
		} else if (utf8proc_grapheme_break_stateful(prev, c, &state)) {
			n++;
		}
		prev = c;
	}
	return n;
}

size_t tandem_text_width(const char *s, size_t len)
{
	size_t w = 0, i = 0;
	while (i < len) {
		int32_t c;
		i += tandem__utf8_decode(s + i, len - i, &c);
		int cw = utf8proc_charwidth(c);
		if (cw > 0)
			w += (size_t)cw;
	}
	return w;
}

/* Per byte of w (all bytes < 0x80): the top bit set where the byte is >= c. */
#define ONES 0x0101010101010101ull
#define BYTES_GE(w, c) (((w) + (0x80 - (uint64_t)(c)) * ONES) & 0x8080808080808080ull)

/* Punctuation common in CJK text (all Unicode category P): no table look-up. */
static bool cjk_punct(int32_t c)
{
	return c == 0x3001 || c == 0x3002 || (c >= 0x3008 && c <= 0x3011) || c == 0xFF01 ||
	       c == 0xFF08 || c == 0xFF09 || c == 0xFF0C || c == 0xFF1A || c == 0xFF1B ||
	       c == 0xFF1F || (c >= 0x2018 && c <= 0x201D) || c == 0x2014 || c == 0x2026;
}

/* One character that is neither ASCII nor an ideograph found by a fast path:
 * which count it adds to (returned, not added, so callers keep theirs in registers). */
enum { COUNT_NONE, COUNT_LATIN, COUNT_HAN, COUNT_OTHER, COUNT_DIGIT };

static int count_of(int32_t c)
{
	if (c >= 0x4E00 && c <= 0x9FFF)
		return COUNT_HAN;
	if (cjk_punct(c))
		return COUNT_NONE;
	utf8proc_category_t cat = utf8proc_category(c);
	if (cat == UTF8PROC_CATEGORY_ND)
		return COUNT_DIGIT;
	if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
		if (tandem__is_cjk(c))
			return COUNT_HAN;
		if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF))
			return COUNT_LATIN;
		return COUNT_OTHER;
	}
	return COUNT_NONE;
}

static inline void count_add(tandem_script_counts *k, int which)
{
	k->latin += which == COUNT_LATIN;
	k->han += which == COUNT_HAN;
	k->other += which == COUNT_OTHER;
	k->digits += which == COUNT_DIGIT;
}

/*
 * Counts the characters that start in [i, end), the last of which may run
 * on up to len; returns where the next character starts.  Invalid bytes
 * count as U+FFFD, one byte each (see tandem__utf8_decode).
 */
static size_t count_scalar(const unsigned char *u, size_t i, size_t end, size_t len,
                           tandem_script_counts *out)
{
	/* Counted in a local whose address goes nowhere: registers, not memory. */
	tandem_script_counts t = *out, *k = &t;
	while (i < end) {
		/* Eight ASCII bytes at a time: letters are [a-z] once 0x20 is set. */
		while (i + 8 <= end) {
			uint64_t w;
			memcpy(&w, u + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			uint64_t x = w | 0x20 * ONES;
			uint64_t letters = BYTES_GE(x, 'a') & ~BYTES_GE(x, 'z' + 1);
			uint64_t digits = BYTES_GE(w, '0') & ~BYTES_GE(w, '9' + 1);
			/* One flag bit per byte: summing them is a multiply. */
			k->latin += (size_t)(((letters >> 7) * ONES) >> 56);
			k->digits += (size_t)(((digits >> 7) * ONES) >> 56);
			i += 8;
		}
		if (i >= end)
			break;
		unsigned char b = u[i];
		if (b < 0x80) {
			if ((unsigned)((b | 0x20) - 'a') < 26)
				k->latin++;
			else if ((unsigned)(b - '0') < 10)
				k->digits++;
			i++;
			continue;
		}
		/* U+4E00..U+9FFF, the ideograph block, is E4 B8 80 .. E9 BF BF. */
		if (b >= 0xE4 && b <= 0xE9 && i + 3 <= len && (u[i + 1] & 0xC0) == 0x80 &&
		    (u[i + 2] & 0xC0) == 0x80 && (b > 0xE4 || u[i + 1] >= 0xB8)) {
			k->han++;
			i += 3;
			continue;
		}
		int32_t c;
		size_t n = tandem__utf8_decode((const char *)u + i, len - i, &c);
		i += n;
		/* An invalid byte, read as U+FFFD (category So), counts as nothing. */
		if (n == 1 && b >= 0x80)
			continue;
		count_add(k, count_of(c));
	}
	*out = t;
	return i;
}

#ifdef TANDEM_X86_SIMD
/*
 * Vector blocks of w (up to 32) bytes, one bit per byte in each mask.  A
 * block is counted here when all its non-ASCII bytes form well-formed
 * 3-byte characters (all of Chinese text and its punctuation); a character
 * cut by the end of the block is left for the next one, which starts at its
 * lead byte.  Ideographs are counted from the masks, the few other 3-byte
 * characters one by one.  Anything else (2- and 4-byte characters, invalid
 * bytes) goes to count_scalar for the block.  The helpers are always
 * inlined into the AVX2 and the SSE2 functions, both built with POPCNT, so
 * a popcount is one instruction (x86-64 CPUs without it, made before 2008,
 * take the plain C path).
 */
#define INLINE static inline __attribute__((always_inline))

typedef struct block_masks {
	uint32_t high, letters, digits; /* bytes >= 0x80, ASCII [A-Za-z], [0-9] */
	uint32_t lead3, cont, han;      /* E0..EF, 80..BF, leads of U+4E00..U+9FFF */
} block_masks;

/* Bytes counted, or 0 when the block needs the scalar path; 2 <= w <= 32. */
INLINE unsigned count_block(const unsigned char *u, unsigned w, const block_masks *m,
                            tandem_script_counts *k)
{
	if (!m->high) {
		k->latin += (size_t)__builtin_popcount(m->letters);
		k->digits += (size_t)__builtin_popcount(m->digits);
		return w;
	}
	if ((m->lead3 | m->cont) != m->high)
		return 0;
	unsigned n = w;
	if (m->lead3 >> (w - 1))
		n = w - 1;
	else if ((m->lead3 >> (w - 2)) & 1)
		n = w - 2;
	uint32_t keep = n == 32 ? 0xFFFFFFFFu : (1u << n) - 1;
	uint32_t lead = m->lead3 & keep;
	/* Every lead has its two continuation bytes in the kept bytes, and no
	 * other continuation byte is there.  (A lead left at w - 2, after one at
	 * w - 1, expects one at w - 1, which is not kept: refused too.) */
	if ((m->cont & keep) != ((lead << 1) | (lead << 2)))
		return 0;
	uint32_t han = m->han & lead;
	tandem_script_counts t = *k;
	for (uint32_t rest = lead & ~han; rest; rest &= rest - 1) {
		const unsigned char *c3 = u + __builtin_ctz(rest);
		int32_t c = ((c3[0] & 0x0F) << 12) | ((c3[1] & 0x3F) << 6) | (c3[2] & 0x3F);
		/* Overlong or surrogate: the scalar path reads it byte by byte. */
		if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		count_add(&t, count_of(c));
	}
	t.han += (size_t)__builtin_popcount(han);
	t.latin += (size_t)__builtin_popcount(m->letters & keep);
	t.digits += (size_t)__builtin_popcount(m->digits & keep);
	*k = t;
	return n;
}

/* count_scalar for one block, into counts whose address is never taken
 * outside these inlined helpers (so they stay in registers). */
INLINE size_t block_scalar(const unsigned char *u, size_t i, size_t end, size_t len,
                           tandem_script_counts *k)
{
	tandem_script_counts f = {0, 0, 0, 0};
	i = count_scalar(u, i, end, len, &f);
	k->latin += f.latin;
	k->han += f.han;
	k->other += f.other;
	k->digits += f.digits;
	return i;
}

#define V8(c) ((char)(c))

/* The masks of 16 bytes v; v1 holds the byte after each one (only read after a lead). */
INLINE void masks16(__m128i v, __m128i v1, block_masks *m)
{
	__m128i x = _mm_or_si128(v, _mm_set1_epi8(0x20));
	/* Signed compares: bytes >= 0x80 are negative, so never letters or digits. */
	m->letters = (uint32_t)_mm_movemask_epi8(_mm_and_si128(
		_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)), _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), x)));
	m->digits = (uint32_t)_mm_movemask_epi8(_mm_and_si128(
		_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), v)));
	m->high = (uint32_t)_mm_movemask_epi8(v);
	if (!m->high)
		return;
	m->lead3 = (uint32_t)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8(V8(0xF0))), _mm_set1_epi8(V8(0xE0))));
	m->cont = (uint32_t)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8(V8(0xC0))), _mm_set1_epi8(V8(0x80))));
	__m128i e5_e9 = _mm_cmpeq_epi8(
		_mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8(V8(0xE5))), _mm_set1_epi8(4)),
		_mm_setzero_si128());
	__m128i e4_b8 = _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(V8(0xE4))),
	                              _mm_cmpeq_epi8(_mm_max_epu8(v1, _mm_set1_epi8(V8(0xB8))), v1));
	m->han = (uint32_t)_mm_movemask_epi8(_mm_or_si128(e5_e9, e4_b8));
}

/*
 * Counts from i to len (len >= 16) in 16-byte blocks; the last few bytes go
 * through one more block loaded from the end of the input, overlapping the
 * bytes already counted, whose bits are shifted out of the masks.
 */
INLINE size_t blocks16(const unsigned char *u, size_t i, size_t len, tandem_script_counts *k)
{
	block_masks m = {0, 0, 0, 0, 0, 0};
	while (i + 17 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		masks16(v, _mm_loadu_si128((const __m128i *)(const void *)(u + i + 1)), &m);
		unsigned n = count_block(u + i, 16, &m, k);
		i = n ? i + n : block_scalar(u, i, i + 16, len, k);
	}
	size_t r = len - i;
	if (r < 2)
		return i;
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + len - 16));
	masks16(v, _mm_srli_si128(v, 1), &m);
	unsigned drop = 16 - (unsigned)r;
	m.high >>= drop;
	m.letters >>= drop;
	m.digits >>= drop;
	m.lead3 >>= drop;
	m.cont >>= drop;
	m.han >>= drop;
	unsigned n = count_block(u + i, (unsigned)r, &m, k);
	return n ? i + n : i;
}

__attribute__((target("popcnt"))) static size_t
scripts_sse2(const unsigned char *u, size_t len, tandem_script_counts *k)
{
	tandem_script_counts t = {0, 0, 0, 0};
	size_t i = blocks16(u, 0, len, &t);
	*k = t;
	return i;
}

__attribute__((target("avx2,popcnt"))) static size_t
scripts_avx2(const unsigned char *u, size_t len, tandem_script_counts *k)
{
	const __m256i zero = _mm256_setzero_si256();
	tandem_script_counts t = {0, 0, 0, 0};
	size_t i = 0;
	while (i + 33 <= len) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(u + i));
		__m256i x = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
		block_masks m = {0, 0, 0, 0, 0, 0};
		m.letters = (uint32_t)_mm256_movemask_epi8(
			_mm256_and_si256(_mm256_cmpgt_epi8(x, _mm256_set1_epi8('a' - 1)),
			                 _mm256_cmpgt_epi8(_mm256_set1_epi8('z' + 1), x)));
		m.digits = (uint32_t)_mm256_movemask_epi8(
			_mm256_and_si256(_mm256_cmpgt_epi8(v, _mm256_set1_epi8('0' - 1)),
			                 _mm256_cmpgt_epi8(_mm256_set1_epi8('9' + 1), v)));
		m.high = (uint32_t)_mm256_movemask_epi8(v);
		if (m.high) {
			__m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(u + i + 1));
			m.lead3 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
				_mm256_and_si256(v, _mm256_set1_epi8(V8(0xF0))), _mm256_set1_epi8(V8(0xE0))));
			m.cont = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
				_mm256_and_si256(v, _mm256_set1_epi8(V8(0xC0))), _mm256_set1_epi8(V8(0x80))));
			__m256i e5_e9 = _mm256_cmpeq_epi8(
				_mm256_subs_epu8(_mm256_sub_epi8(v, _mm256_set1_epi8(V8(0xE5))),
				                 _mm256_set1_epi8(4)),
				zero);
			__m256i e4_b8 = _mm256_and_si256(
				_mm256_cmpeq_epi8(v, _mm256_set1_epi8(V8(0xE4))),
				_mm256_cmpeq_epi8(_mm256_max_epu8(v1, _mm256_set1_epi8(V8(0xB8))), v1));
			m.han = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(e5_e9, e4_b8));
		}
		unsigned n = count_block(u + i, 32, &m, &t);
		i = n ? i + n : block_scalar(u, i, i + 32, len, &t);
	}
	i = blocks16(u, i, len, &t);
	*k = t;
	return i;
}
#endif

tandem_script_counts tandem_text_scripts(const char *s, size_t len)
{
	tandem_script_counts k = {0, 0, 0, 0};
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
#ifdef TANDEM_X86_SIMD
	/* Asked each time rather than cached: no global state, and it is one load. */
	if (len >= 33 && TANDEM_CPU_HAS("avx2") && TANDEM_CPU_HAS("popcnt"))
		i = scripts_avx2(u, len, &k);
	else if (len >= 16 && TANDEM_CPU_HAS("popcnt"))
		i = scripts_sse2(u, len, &k);
#endif
	if (i < len)
		count_scalar(u, i, len, len, &k);
	return k;
}

tandem_script tandem__script_of_counts(tandem_script_counts k)
{
	/* A CJK character carries about as much as a Latin word: weigh it so. */
	size_t cjk = k.han * 3;
	if (!k.latin && !k.han && !k.other)
		return TANDEM_SCRIPT_NONE;
	if (cjk >= k.latin && cjk >= k.other)
		return TANDEM_SCRIPT_CJK;
	if (k.latin >= k.other)
		return TANDEM_SCRIPT_LATIN;
	return TANDEM_SCRIPT_OTHER;
}

tandem_script tandem_text_script(const char *s, size_t len)
{
	return tandem__script_of_counts(tandem_text_scripts(s, len));
}

const char *tandem_script_name(tandem_script s)
{
	switch (s) {
	case TANDEM_SCRIPT_LATIN: return "latin";
	case TANDEM_SCRIPT_CJK: return "cjk";
	case TANDEM_SCRIPT_OTHER: return "other";
	default: return "none";
	}
}

static const struct {
	const char *name;
	const char *utf8;
} entities[] = {
	{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
	{"nbsp", "\xC2\xA0"}, {"lrm", "\xE2\x80\x8E"}, {"rlm", "\xE2\x80\x8F"},
};

/* Decode the entity at s (s[0] == '&'); returns bytes consumed, 0 if none. */
static size_t decode_entity(const char *s, tandem__buf *out)
{
	/* Entities are short: look for the ';' in the next 12 bytes only, so a
	 * line full of '&' stays linear. */
	const char *semi = NULL;
	for (size_t k = 1; k <= 12 && s[k]; k++)
		if (s[k] == ';') {
			semi = s + k;
			break;
		}
	if (!semi)
		return 0;
	size_t n = (size_t)(semi - s - 1);
	if (n >= 2 && s[1] == '#') {
		long cp;
		char *end;
		if (s[2] == 'x' || s[2] == 'X')
			cp = strtol(s + 3, &end, 16);
		else
			cp = strtol(s + 2, &end, 10);
		if (end != semi || cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		tandem__buf_put_utf8(out, (uint32_t)cp);
		return n + 2;
	}
	for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
		if (strlen(entities[i].name) == n && memcmp(entities[i].name, s + 1, n) == 0) {
			tandem__buf_puts(out, entities[i].utf8);
			return n + 2;
		}
	return 0;
}

char *tandem_markup_to_plain(const char *m)
{
	tandem__buf b = TANDEM_BUF_INIT;
	const char *p = m;
	/* Once a '<' has no closing '>', none after it has one either: remember
	 * that instead of scanning to the end again (linear on "<<<<...").
	 * Entities are decoded with a 12-byte look-ahead for the same reason. */
	bool no_more_gt = false;
	while (*p) {
		if (*p == '<' && !no_more_gt) {
			const char *gt = strchr(p, '>');
			if (gt) {
				p = gt + 1;
				continue;
			}
			no_more_gt = true;
		} else if (*p == '&') {
			size_t k = decode_entity(p, &b);
			if (k) {
				p += k;
				continue;
			}
		}
		tandem__buf_putc(&b, *p++);
	}
	return tandem__buf_detach(&b, NULL);
}

char *tandem_plain_to_markup(const char *s)
{
	tandem__buf b = TANDEM_BUF_INIT;
	for (; *s; s++) {
		switch (*s) {
		case '&': tandem__buf_puts(&b, "&amp;"); break;
		case '<': tandem__buf_puts(&b, "&lt;"); break;
		case '>': tandem__buf_puts(&b, "&gt;"); break;
		default: tandem__buf_putc(&b, *s);
		}
	}
	return tandem__buf_detach(&b, NULL);
}

bool tandem__blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}
