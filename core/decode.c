/*
 * decode.c - bytes in, UTF-8 out.
 *
 * Order of decisions (first that applies wins):
 *   1. --encoding NAME given: iconv from NAME, no guessing.
 *   2. UTF-8 BOM (EF BB BF): strip it.  UTF-16 BOM (FF FE / FE FF): transcode.
 *   3. NUL bytes in the first 8 KiB: binary data, not text (an error).
 *   4. Valid UTF-8: take it as is.
 *   5. Otherwise GB18030 (a superset of GB2312 and GBK, the encoding of
 *      most legacy Chinese subtitle files), then Big5: the first that
 *      decodes the whole input without error wins, and a warning says so.
 *   6. Nothing fits: an error at the first invalid byte.
 */
#include "tandem_private.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * The exact rules (Unicode 15, table 3-7): no overlong forms, no surrogates,
 * nothing above U+10FFFF, and a sequence cut by the end is invalid.  Returns
 * the offset of the first byte that does not start a valid character, len if
 * there is none.  Scanning starts at i, which must be the start of a character.
 */
static size_t utf8_check_from(const unsigned char *p, size_t len, size_t i)
{
	while (i < len) {
		/* Eight ASCII bytes at a time: most subtitle bytes are ASCII. */
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
		/* Three-byte sequences that cannot be overlong or a surrogate: all of
		 * CJK text, checked without decoding. */
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

#ifdef TANDEM_X86_SIMD
/*
 * The vector check is the "lookup" algorithm of Keiser and Lemire
 * (Validating UTF-8 in less than one instruction per byte, Software:
 * Practice and Experience 51(5), 2021).  Every error but a missing third or
 * fourth byte shows in a pair of adjacent bytes, and within a pair in the
 * top 12 bits: three 16-entry tables, indexed by the first byte's two
 * nibbles and the second byte's high nibble, each give a bit per kind of
 * error that nibble allows, and an error is a bit set in all three.  Bit 7
 * marks two continuation bytes in a row, which is right exactly where a
 * third or fourth byte must be (a 3- or 4-byte lead two back, or a 4-byte
 * lead three back): bit 7 is flipped there, and any bit left is an error.
 *
 * The vector code only finds that a 64-byte block holds an error (or that
 * the input ends inside a character); it then hands over to
 * utf8_check_from() at the start of the last character before the block,
 * which finds the exact offset.  All loads stay inside the input.
 */
#define SHORT 0x01     /* a lead byte, then no continuation byte */
#define LONG 0x02      /* a continuation byte after an ASCII one */
#define OVER3 0x04     /* E0 80..9F: overlong 3-byte form */
#define SURR 0x08      /* ED A0..BF: a surrogate */
#define OVER2 0x10     /* C0, C1: overlong 2-byte form */
#define OVER4 0x20     /* F0 80..8F overlong; F5..FF 80..8F too large */
#define LARGE 0x40     /* F4..FF 90..BF: above U+10FFFF */
#define CONT2 0x80     /* two continuation bytes in a row */
#define X(c) ((char)(c))

/* By the first byte's high nibble. */
#define T_HI1 X(LONG), X(LONG), X(LONG), X(LONG), X(LONG), X(LONG), X(LONG), X(LONG), \
	X(CONT2), X(CONT2), X(CONT2), X(CONT2), X(SHORT | OVER2), X(SHORT), \
	X(SHORT | OVER3 | SURR), X(SHORT | OVER4 | LARGE)
/* By the first byte's low nibble. */
#define T_ANY (SHORT | LONG | CONT2)
#define T_LO1 X(T_ANY | OVER3 | OVER2 | OVER4), X(T_ANY | OVER2), X(T_ANY), X(T_ANY), \
	X(T_ANY | LARGE), X(T_ANY | OVER4 | LARGE), X(T_ANY | OVER4 | LARGE), \
	X(T_ANY | OVER4 | LARGE), X(T_ANY | OVER4 | LARGE), X(T_ANY | OVER4 | LARGE), \
	X(T_ANY | OVER4 | LARGE), X(T_ANY | OVER4 | LARGE), X(T_ANY | OVER4 | LARGE), \
	X(T_ANY | SURR | OVER4 | LARGE), X(T_ANY | OVER4 | LARGE), X(T_ANY | OVER4 | LARGE)
/* By the second byte's high nibble. */
#define T_HI2 X(SHORT), X(SHORT), X(SHORT), X(SHORT), X(SHORT), X(SHORT), X(SHORT), X(SHORT), \
	X(LONG | OVER3 | OVER2 | OVER4 | CONT2), X(LONG | OVER3 | OVER2 | LARGE | CONT2), \
	X(LONG | SURR | OVER2 | LARGE | CONT2), X(LONG | SURR | OVER2 | LARGE | CONT2), \
	X(SHORT), X(SHORT), X(SHORT), X(SHORT)

/*
 * Where the scalar check can take over after a prefix p[0, pos) that holds
 * no error but may end inside a character: the start of that last character.
 */
static size_t resume_point(const unsigned char *p, size_t pos)
{
	size_t q = pos;
	while (q > 0 && pos - q < 3 && (p[q - 1] & 0xC0) == 0x80)
		q--;
	if (q > 0 && p[q - 1] >= 0xC0)
		q--;
	return q;
}

__attribute__((target("avx2"))) static inline __m256i
errors_avx2(__m256i prev, __m256i cur)
{
	const __m256i hi1 = _mm256_setr_epi8(T_HI1, T_HI1), lo1 = _mm256_setr_epi8(T_LO1, T_LO1),
	              hi2 = _mm256_setr_epi8(T_HI2, T_HI2), nib = _mm256_set1_epi8(0x0F);
	/* The 16 bytes before cur's upper half: prev's upper half, cur's lower one. */
	__m256i before = _mm256_permute2x128_si256(prev, cur, 0x21);
	__m256i p1 = _mm256_alignr_epi8(cur, before, 15);
	__m256i p2 = _mm256_alignr_epi8(cur, before, 14);
	__m256i p3 = _mm256_alignr_epi8(cur, before, 13);
	__m256i e = _mm256_and_si256(
		_mm256_and_si256(
			_mm256_shuffle_epi8(hi1, _mm256_and_si256(_mm256_srli_epi16(p1, 4), nib)),
			_mm256_shuffle_epi8(lo1, _mm256_and_si256(p1, nib))),
		_mm256_shuffle_epi8(hi2, _mm256_and_si256(_mm256_srli_epi16(cur, 4), nib)));
	/* 0x80 where a third or fourth byte must be: after E0..FF two back or F0..FF three back. */
	__m256i must = _mm256_or_si256(_mm256_subs_epu8(p2, _mm256_set1_epi8(X(0xDF))),
	                               _mm256_subs_epu8(p3, _mm256_set1_epi8(X(0xEF))));
	must = _mm256_and_si256(_mm256_cmpgt_epi8(must, _mm256_setzero_si256()),
	                        _mm256_set1_epi8(X(0x80)));
	return _mm256_xor_si256(e, must);
}

/* Returns a point to resume the scalar check from (see resume_point). */
__attribute__((target("avx2"))) static size_t utf8_prefix_avx2(const unsigned char *p, size_t len)
{
	/* Non-zero where the last bytes of a block open a character that goes on. */
	const __m256i tail = _mm256_setr_epi8(
		X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(255),
		X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(255),
		X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(255), X(0xEF),
		X(0xDF), X(0xBF));
	__m256i prev = _mm256_setzero_si256(), open = _mm256_setzero_si256();
	size_t i = 0;
	for (; i + 64 <= len; i += 64) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 32));
		__m256i err;
		if (!_mm256_movemask_epi8(_mm256_or_si256(a, b))) {
			err = open;
			open = _mm256_setzero_si256();
		} else {
			err = _mm256_or_si256(errors_avx2(prev, a), errors_avx2(a, b));
			open = _mm256_subs_epu8(b, tail);
		}
		prev = b;
		if (!_mm256_testz_si256(err, err))
			break;
	}
	return resume_point(p, i);
}

__attribute__((target("ssse3"))) static inline __m128i errors_ssse3(__m128i prev, __m128i cur)
{
	const __m128i hi1 = _mm_setr_epi8(T_HI1), lo1 = _mm_setr_epi8(T_LO1),
	              hi2 = _mm_setr_epi8(T_HI2), nib = _mm_set1_epi8(0x0F);
	__m128i p1 = _mm_alignr_epi8(cur, prev, 15);
	__m128i p2 = _mm_alignr_epi8(cur, prev, 14);
	__m128i p3 = _mm_alignr_epi8(cur, prev, 13);
	__m128i e = _mm_and_si128(
		_mm_and_si128(_mm_shuffle_epi8(hi1, _mm_and_si128(_mm_srli_epi16(p1, 4), nib)),
		              _mm_shuffle_epi8(lo1, _mm_and_si128(p1, nib))),
		_mm_shuffle_epi8(hi2, _mm_and_si128(_mm_srli_epi16(cur, 4), nib)));
	__m128i must = _mm_or_si128(_mm_subs_epu8(p2, _mm_set1_epi8(X(0xDF))),
	                            _mm_subs_epu8(p3, _mm_set1_epi8(X(0xEF))));
	must = _mm_and_si128(_mm_cmpgt_epi8(must, _mm_setzero_si128()), _mm_set1_epi8(X(0x80)));
	return _mm_xor_si128(e, must);
}

/* The same for machines without AVX2, 16 bytes a vector. */
__attribute__((target("ssse3"))) static size_t utf8_prefix_ssse3(const unsigned char *p, size_t len)
{
	const __m128i tail = _mm_setr_epi8(X(255), X(255), X(255), X(255), X(255), X(255),
	                                   X(255), X(255), X(255), X(255), X(255), X(255),
	                                   X(255), X(0xEF), X(0xDF), X(0xBF));
	__m128i prev = _mm_setzero_si128(), open = _mm_setzero_si128();
	size_t i = 0;
	for (; i + 64 <= len; i += 64) {
		__m128i v[4];
		for (int k = 0; k < 4; k++)
			v[k] = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16 * k));
		__m128i err;
		if (!_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(v[0], v[1]),
		                                    _mm_or_si128(v[2], v[3])))) {
			err = open;
			open = _mm_setzero_si128();
		} else {
			err = _mm_or_si128(_mm_or_si128(errors_ssse3(prev, v[0]), errors_ssse3(v[0], v[1])),
			                   _mm_or_si128(errors_ssse3(v[1], v[2]), errors_ssse3(v[2], v[3])));
			open = _mm_subs_epu8(v[3], tail);
		}
		prev = v[3];
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(err, _mm_setzero_si128())) != 0xFFFF)
			break;
	}
	return resume_point(p, i);
}
#undef SHORT
#undef LONG
#undef OVER3
#undef SURR
#undef OVER2
#undef OVER4
#undef LARGE
#undef CONT2
#undef T_HI1
#undef T_ANY
#undef T_LO1
#undef T_HI2
#undef X
#endif

static size_t utf8_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t from = 0;
#ifdef TANDEM_X86_SIMD
	/* Asked each time rather than cached: no global state, and it is one load. */
	if (len >= 64 && TANDEM_CPU_HAS("avx2"))
		from = utf8_prefix_avx2(p, len);
	else if (len >= 64 && TANDEM_CPU_HAS("ssse3"))
		from = utf8_prefix_ssse3(p, len);
#endif
	return utf8_check_from(p, len, from);
}

typedef struct half {
	const char *s;
	size_t len, bad;
	bool nul_too;
	size_t nul;          /* the first NUL byte when all is valid (len: none) */
} half;

/*
 * Checked in pieces, each looked at for a NUL while it is still in the
 * cache (one pass over the input, not two).  A piece ends where no valid
 * sequence is cut: past at most three continuation bytes, after which a
 * fourth is invalid anyway, so the first bad byte is the whole input's.
 */
#define CHECK_PIECE (256u << 10)

static void check_one(half *h)
{
	const char *s = h->s;
	size_t len = h->len, at = 0;
	h->bad = h->nul = len;
	while (at < len) {
		size_t end = len - at <= CHECK_PIECE ? len : at + CHECK_PIECE;
		for (int k = 0; k < 3 && end < len && ((unsigned char)s[end] & 0xC0) == 0x80; k++)
			end++;
		size_t bad = utf8_check(s + at, end - at);
		if (bad < end - at) {
			h->bad = at + bad;
			h->nul = len;
			return;
		}
		if (h->nul_too && h->nul == len) {
			const char *z = memchr(s + at, '\0', end - at);
			if (z)
				h->nul = (size_t)(z - s);
		}
		at = end;
	}
}

static void *check_half(void *arg)
{
	check_one(arg);
	return NULL;
}

/*
 * Big inputs are checked in two halves at once: the check is the first to
 * touch the pages of a mapped input, which costs more than the vector check
 * itself (100 MB: 30 ms, then 3 ms).  With nul, the first NUL byte of a
 * valid input is looked for in the same pass over each half.
 */
static size_t check_halves(const char *s, size_t len, size_t *nul)
{
	half one = {s, len, 0, nul != NULL, 0};
	if (len < (16u << 20)) {
		check_one(&one);
		if (nul)
			*nul = one.nul;
		return one.bad;
	}
	/* Split at the start of a character, so no valid sequence straddles the halves. */
	size_t mid = len / 2;
	for (int k = 0; k < 3 && ((unsigned char)s[mid] & 0xC0) == 0x80; k++)
		mid++;
	half second = {s + mid, len - mid, 0, nul != NULL, 0};
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, check_half, &second) == 0;
	one.len = threaded ? mid : len;
	check_one(&one);
	if (!threaded) {
		if (nul)
			*nul = one.nul;
		return one.bad;
	}
	pthread_join(t, NULL);
	if (one.bad < mid)
		return one.bad;
	if (second.bad < second.len)
		return mid + second.bad;
	if (nul)
		*nul = one.nul < mid ? one.nul : second.nul < second.len ? mid + second.nul : len;
	return len;
}

size_t tandem__utf8_check(const char *s, size_t len)
{
	return check_halves(s, len, NULL);
}

bool tandem__utf8_clean(const char *s, size_t len)
{
	size_t nul = len;
	return check_halves(s, len, &nul) == len && nul == len;
}

static void position_of(const char *s, size_t off, size_t *line, size_t *col);

/* Where a conversion stopped: the input's byte offset, and the line and
 * column it is at in the text decoded before it. */
typedef struct badpos {
	size_t off, line, col;
} badpos;

/* iconv the whole input; 0 on success.  On an invalid or cut sequence,
 * *bad (when not NULL) says where. */
static int convert(const char *from, const char *data, size_t len, char **out, size_t *outlen,
                   badpos *bad)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return TANDEM_EFORMAT;
	size_t cap = len * 2 + 16;
	char *buf = tandem__xmalloc(cap);
	char *in = (char *)data;
	size_t inleft = len;
	char *o = buf;
	size_t oleft = cap - 1;
	int rc = 0;
	while (inleft) {
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - buf);
			cap *= 2;
			buf = tandem__xrealloc(buf, cap);
			o = buf + used;
			oleft = cap - used - 1;
			continue;
		}
		rc = TANDEM_EENCODING;
		break;
	}
	if (!rc && iconv(cd, NULL, NULL, &o, &oleft) == (size_t)-1)
		rc = TANDEM_EENCODING;
	iconv_close(cd);
	if (rc && bad) {
		bad->off = (size_t)(in - data);
		position_of(buf, (size_t)(o - buf), &bad->line, &bad->col);
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*o = '\0';
	*outlen = (size_t)(o - buf);
	*out = buf;
	return 0;
}

/* Line and column (bytes) of an offset, for messages about raw input. */
static void position_of(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
			l++;
			c = 1;
		} else if (s[i] != '\r') {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/*
 * Text with a few NUL bytes (WebVTT's own tests have one) is still text:
 * each NUL becomes U+FFFD, as the WebVTT parser does.  Many NULs or other
 * control bytes mean binary data, which is refused rather than turned into
 * an empty or garbled output.  Control bytes alone do not, in valid UTF-8
 * without a NUL: that is what tandem's own writers emit (a NUL in text is
 * written as U+FFFD), and a cue holding a few stray controls, written out
 * without the blank lines and stray text around it, would otherwise come
 * back refused (found by fuzz_srt, fixtures/regress/srt-controls-binary.srt).
 */
static bool looks_binary(const char *data, size_t len)
{
	size_t probe = len < 8192 ? len : 8192, nul = 0, ctl = 0;
	for (size_t i = 0; i < probe; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == 0)
			nul++;
		else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B)
			ctl++;
	}
	if (nul * 20 > probe)
		return true;
	if ((nul + ctl) * 10 <= probe)
		return false;
	if (nul)
		return true;
	/* A sequence cut by the end of the probe is not an invalid one. */
	return tandem__utf8_check(data, probe) + (probe < len ? 4 : 0) < probe;
}

static char *replace_nuls(const char *data, size_t len, size_t *outlen)
{
	tandem__buf b = TANDEM_BUF_INIT;
	tandem__buf_grow(&b, len + 16);
	for (size_t i = 0; i < len; i++) {
		if (data[i])
			tandem__buf_putc(&b, data[i]);
		else
			tandem__buf_puts(&b, "\xEF\xBF\xBD");
	}
	return tandem__buf_detach(&b, outlen);
}

/*
 * Every Big5 byte pair is also a valid GBK pair, so "decodes without error"
 * cannot tell them apart.  Their trail bytes can: GB2312, where nearly all
 * Simplified Chinese text lives, has trail bytes 0xA1-0xFE only, while about
 * a third of Big5's common characters have a trail byte in 0x40-0x7E.
 */
static bool big5_likely(const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	size_t pairs = 0, low = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (u[i] < 0x81)
			continue;
		pairs++;
		if (u[i + 1] >= 0x40 && u[i + 1] <= 0x7E)
			low++;
		i++;
	}
	return pairs >= 4 && low * 5 > pairs;
}

static const char *const gb_first[] = {"GB18030", "BIG5"};
static const char *const big5_first[] = {"BIG5", "GB18030"};

static int decode(const char *data, size_t len, const char *forced, char **out,
                  size_t *outlen, const char **encoding, bool *owned, bool *unchecked,
                  tandem__reader *r)
{
	const unsigned char *u = (const unsigned char *)data;
	int rc;
	*owned = true;
	if (forced && *forced) {
		rc = convert(forced, data, len, out, outlen, NULL);
		if (rc == TANDEM_EFORMAT)
			return tandem__error(r, "encoding-unknown", 0, 0, "unknown encoding '%s'",
			                     forced), TANDEM_EENCODING;
		if (rc)
			return tandem__error(r, "encoding-invalid", 0, 0,
			                     "input is not valid %s", forced), TANDEM_EENCODING;
		/* A BOM survives iconv from UTF-8/UTF-16LE; drop it. */
		if (*outlen >= 3 && memcmp(*out, "\xEF\xBB\xBF", 3) == 0) {
			memmove(*out, *out + 3, *outlen - 2);
			*outlen -= 3;
		}
		*encoding = forced;
		return 0;
	}
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		const char *enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		badpos bad = {0, 0, 0};
		rc = convert(enc, data + 2, len - 2, out, outlen, &bad);
		if (rc)
			return tandem__error(r, "encoding-invalid", bad.line, bad.col,
			                     "input starts with a %s byte order mark but is not valid %s: "
			                     "%s at byte %zu",
			                     enc, enc,
			                     len - 2 - bad.off < 2 ? "a cut code unit"
			                                           : "an unpaired surrogate",
			                     bad.off + 2), TANDEM_EENCODING;
		*encoding = enc;
		return 0;
	}
	const char *enc = "UTF-8";
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		data += 3;
		len -= 3;
		enc = "UTF-8 (BOM)";
	}
	if (looks_binary(data, len)) {
		const char *z = memchr(data, '\0', len < 8192 ? len : 8192);
		size_t off = z ? (size_t)(z - data) : 0, l, c;
		position_of(data, off, &l, &c);
		return tandem__error(r, "binary-input", l, c,
		                     "input holds NUL or control bytes: binary data, not subtitles "
		                     "or text (UTF-16 without a byte order mark needs --encoding)"),
		       TANDEM_EENCODING;
	}
	if (unchecked) {
		*out = (char *)data;
		*owned = false;
		*outlen = len;
		*encoding = enc;
		*unchecked = true;
		return 0;
	}
	size_t nul = len;
	size_t bad = check_halves(data, len, &nul);
	if (bad == len) {
		const char *z = nul < len ? data + nul : NULL;
		if (z) {
			size_t l, c;
			position_of(data, (size_t)(z - data), &l, &c);
			if (tandem__warn(r, "nul-byte", l, c, "NUL byte in text, read as U+FFFD"))
				return TANDEM_EENCODING;
			*out = replace_nuls(data, len, outlen);
		} else {
			*out = (char *)data; /* borrowed: no copy of a 100 MB input */
			*owned = false;
			*outlen = len;
		}
		*encoding = enc;
		return 0;
	}
	const char *const *legacy = big5_likely(data, len) ? big5_first : gb_first;
	for (size_t k = 0; k < 2; k++) {
		if (convert(legacy[k], data, len, out, outlen, NULL) != 0)
			continue;
		if (memchr(*out, '\0', *outlen)) {
			free(*out);
			*out = NULL;
			continue;
		}
		size_t l, c;
		position_of(data, bad, &l, &c);
		*encoding = legacy[k];
		rc = tandem__warn(r, "encoding-legacy", l, c,
		                  "input is not UTF-8; decoded as %s (use --encoding to choose)",
		                  legacy[k]);
		if (rc) {
			free(*out);
			*out = NULL;
			return TANDEM_EENCODING;
		}
		return 0;
	}
	size_t l, c;
	position_of(data, bad, &l, &c);
	tandem__error(r, "encoding-invalid", l, c,
	              "invalid UTF-8 (byte 0x%02X), and not GB18030 or Big5 either; "
	              "use --encoding NAME",
	              (unsigned)(unsigned char)data[bad]);
	return TANDEM_EENCODING;
}

int tandem__decode(const char *data, size_t len, const char *forced, char **out,
                   size_t *outlen, const char **encoding, bool *owned, tandem__reader *r)
{
	return decode(data, len, forced, out, outlen, encoding, owned, NULL, r);
}

int tandem__decode_lazy(const char *data, size_t len, const char *forced, char **out,
                        size_t *outlen, const char **encoding, bool *owned, bool *unchecked,
                        tandem__reader *r)
{
	*unchecked = false;
	return decode(data, len, forced, out, outlen, encoding, owned, unchecked, r);
}
