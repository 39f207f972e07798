/*
 * bilingual.c - the format-independent half of bilingual subtitles: after a
 * subtitle reader has run, turn the two ways people lay out two languages in
 * a one-language format into the model's text + translation, and the text
 * helpers the paragraph-building formats share (joining wrapped lines,
 * finding sentence ends).
 *
 * Two layouts are recognised:
 *
 *  1. Doubled cues: every cue appears twice with the same timing (and often
 *     the same number), first in one language, then in the other, as in the
 *     machine-translated lecture files of the bilingual corpus.  Players show
 *     one of two cues with identical times, so the pair is folded into one
 *     bilingual cue.
 *     In a file of doubled cues, a pair holding the same text twice is one
 *     cue left untranslated: it folds into one cue whose translation repeats
 *     its text (which `check` reports as identical-translation).
 *  2. Stacked lines: one cue whose lines are a run in one script followed by
 *     a run in another ("Hello\n你好").  The cue is split into text and
 *     translation.  Lines marked <font class="translation">...</font> (the
 *     SRT writer's mark where the scripts would not tell: "Mythos" under an
 *     English line) are the translation whatever their script, and one such
 *     mark says the whole file is in this layout.
 *
 * In both, when one side is Latin and the other CJK, the Latin side becomes
 * the text (the source) whichever came first: tandem's material is English
 * with its Chinese translation, and this keeps a translation-first file
 * reading back the same as a source-first one.  Otherwise the first side is
 * the text.  Each change is reported once, as information, with the position
 * of the first cue it touched.
 *
 * Whether a layout applies is a decision about the whole file (a stray pair
 * is not a layout).  A streamed conversion normalises window by window and
 * takes that decision on its first window; tandem__bilingual_finish then
 * checks it against the whole file's counts, and the caller starts over
 * without streaming in the rare file where the two differ.
 */
#include "format.h"
#include "bilingual.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- text helpers ---- */

/* The last code point of s[0..n), or -1 for empty text. */
static int32_t last_cp(const char *s, size_t n)
{
	if (!n)
		return -1;
	size_t i = n - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80 && n - i < 4)
		i--;
	int32_t cp;
	tandem__utf8_decode(s + i, n - i, &cp);
	return cp;
}

static int32_t first_cp(const char *s, size_t n)
{
	if (!n)
		return -1;
	int32_t cp;
	tandem__utf8_decode(s, n, &cp);
	return cp;
}

/* East Asian wide text where CSS drops a segment break: CJK but not Hangul. */
static bool wide_no_space(int32_t c)
{
	if (c < 0 || !tandem__is_cjk(c))
		return false;
	return !((c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
	         (c >= 0xAC00 && c <= 0xD7AF));
}

/*
 * CSS Text Level 3, 4.1.3 (segment break transformation): a line break
 * between two East Asian wide characters disappears; any other becomes one
 * space.  So "Thomas\nKuran" is "Thomas Kuran" and "我们\n的" is "我们的".
 */
void tandem__text_join(tandem__buf *b, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n)
		return;
	while (b->len && (b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\t'))
		b->ptr[--b->len] = '\0';
	if (b->len && !(wide_no_space(last_cp(b->ptr, b->len)) && wide_no_space(first_cp(s, n))))
		tandem__buf_putc(b, ' ');
	tandem__buf_put(b, s, n);
}

bool tandem__ends_sentence(const char *s, size_t n)
{
	/* Closing quotes and brackets may follow the full stop: 'end."' or '结束。」'. */
	for (;;) {
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
			n--;
		int32_t c = last_cp(s, n);
		if (c == '"' || c == '\'' || c == ')' || c == 0x201D || c == 0x2019 || c == 0x300D ||
		    c == 0x300F || c == 0xFF09 || c == 0x300B) {
			while (n && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
				n--;
			n--;
			continue;
		}
		return c == '.' || c == '?' || c == '!' || c == 0x3002 || c == 0xFF1F ||
		       c == 0xFF01 || c == 0x2026 || c == 0xFF0E;
	}
}

/* ---- normalisation ---- */

/* What line_script_quick has read so far. */
typedef struct quick_counts {
	size_t i, letters, han;
	bool high, latin_beyond;
} quick_counts;

/* Whether the bytes left can no longer change the answer from CJK. */
static bool quick_decided(const quick_counts *q, size_t n)
{
	return !q->latin_beyond && q->han && q->han * 8 >= q->letters + (n - q->i);
}

/* One byte, the same counts as the vector steps. */
static void quick_byte(const unsigned char *u, size_t n, quick_counts *q)
{
	size_t i = q->i++;
	unsigned char b = u[i];
	if (b < 0x80) {
		q->letters += (unsigned)((b | 0x20) - 'a') < 26;
		return;
	}
	q->high = true;
	if ((b & 0xE0) == 0xC0 || b == 0xE1)
		q->latin_beyond = true;
	else if (b >= 0xE4 && b <= 0xE9 && i + 3 <= n && (u[i + 1] & 0xC0) == 0x80 &&
	         (u[i + 2] & 0xC0) == 0x80 && (b > 0xE4 || u[i + 1] >= 0xB8))
		q->han++;
}

#ifdef TANDEM_X86_SIMD
/*
 * The vector steps count per byte lane (ASCII letters; ideograph-block
 * leads followed by two continuation bytes) and note high bytes and the
 * lead bytes of Latin letters beyond ASCII (C0..DF, E1).  Each step reads
 * two bytes past its block, so it stops 2 + width bytes before the end.
 * The lane counts are summed every four steps, where the answer may be
 * decided early.  Signed compares: bytes above 0x7F are never letters.
 */
#define V8(c) ((char)(c))

/* 0xFF in the lanes of 16 bytes v that are ASCII letters. */
static inline __m128i quick_letters16(__m128i v)
{
	__m128i x = _mm_or_si128(v, _mm_set1_epi8(0x20));
	return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
	                     _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), x));
}

/* The lanes of v that lead a Latin letter beyond ASCII (*beyond), and that
 * lead a character of the ideograph block (*han); v1 and v2 hold the bytes
 * one and two after each lane. */
static inline void quick_high16(__m128i v, __m128i v1, __m128i v2, __m128i *beyond, __m128i *han)
{
	const __m128i c0 = _mm_set1_epi8(V8(0xC0)), c80 = _mm_set1_epi8(V8(0x80));
	*beyond = _mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8(V8(0xE0))), c0),
	                       _mm_cmpeq_epi8(v, _mm_set1_epi8(V8(0xE1))));
	__m128i e5_e9 = _mm_cmpeq_epi8(
		_mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8(V8(0xE5))), _mm_set1_epi8(4)),
		_mm_setzero_si128());
	__m128i e4_b8 = _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(V8(0xE4))),
	                              _mm_cmpeq_epi8(_mm_max_epu8(v1, _mm_set1_epi8(V8(0xB8))), v1));
	__m128i cont = _mm_and_si128(_mm_cmpeq_epi8(_mm_and_si128(v1, c0), c80),
	                             _mm_cmpeq_epi8(_mm_and_si128(v2, c0), c80));
	*han = _mm_and_si128(_mm_or_si128(e5_e9, e4_b8), cont);
}

static bool quick_sse2(const unsigned char *u, size_t n, quick_counts *q)
{
	const __m128i zero = _mm_setzero_si128();
	while (q->i + 18 <= n) {
		__m128i acc_l = zero, acc_h = zero, any_high = zero, any_beyond = zero;
		for (int k = 0; k < 4 && q->i + 18 <= n; k++, q->i += 16) {
			const unsigned char *p = u + q->i;
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			acc_l = _mm_sub_epi8(acc_l, quick_letters16(v));
			if (!_mm_movemask_epi8(v))
				continue;
			any_high = _mm_or_si128(any_high, v);
			__m128i beyond, han;
			quick_high16(v, _mm_loadu_si128((const __m128i *)(const void *)(p + 1)),
			             _mm_loadu_si128((const __m128i *)(const void *)(p + 2)), &beyond, &han);
			any_beyond = _mm_or_si128(any_beyond, beyond);
			acc_h = _mm_sub_epi8(acc_h, han);
		}
		__m128i sl = _mm_sad_epu8(acc_l, zero), sh = _mm_sad_epu8(acc_h, zero);
		q->letters += (size_t)_mm_cvtsi128_si32(sl) + (size_t)_mm_extract_epi16(sl, 4);
		q->han += (size_t)_mm_cvtsi128_si32(sh) + (size_t)_mm_extract_epi16(sh, 4);
		q->high |= _mm_movemask_epi8(any_high) != 0;
		q->latin_beyond |= _mm_movemask_epi8(any_beyond) != 0;
		if (quick_decided(q, n))
			return true;
	}
	return false;
}

/* The same two at 32 bytes, for the AVX2 steps. */
__attribute__((target("avx2"))) static inline __m256i quick_letters32(__m256i v)
{
	__m256i x = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
	return _mm256_and_si256(_mm256_cmpgt_epi8(x, _mm256_set1_epi8('a' - 1)),
	                        _mm256_cmpgt_epi8(_mm256_set1_epi8('z' + 1), x));
}

__attribute__((target("avx2"))) static inline void
quick_high32(__m256i v, __m256i v1, __m256i v2, __m256i *beyond, __m256i *han)
{
	const __m256i c0 = _mm256_set1_epi8(V8(0xC0)), c80 = _mm256_set1_epi8(V8(0x80));
	*beyond = _mm256_or_si256(
		_mm256_cmpeq_epi8(_mm256_and_si256(v, _mm256_set1_epi8(V8(0xE0))), c0),
		_mm256_cmpeq_epi8(v, _mm256_set1_epi8(V8(0xE1))));
	__m256i e5_e9 = _mm256_cmpeq_epi8(
		_mm256_subs_epu8(_mm256_sub_epi8(v, _mm256_set1_epi8(V8(0xE5))), _mm256_set1_epi8(4)),
		_mm256_setzero_si256());
	__m256i e4_b8 = _mm256_and_si256(
		_mm256_cmpeq_epi8(v, _mm256_set1_epi8(V8(0xE4))),
		_mm256_cmpeq_epi8(_mm256_max_epu8(v1, _mm256_set1_epi8(V8(0xB8))), v1));
	__m256i cont = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(v1, c0), c80),
	                                _mm256_cmpeq_epi8(_mm256_and_si256(v2, c0), c80));
	*han = _mm256_and_si256(_mm256_or_si256(e5_e9, e4_b8), cont);
}

__attribute__((target("avx2"))) static bool quick_avx2(const unsigned char *u, size_t n,
                                                      quick_counts *q)
{
	const __m256i zero = _mm256_setzero_si256();
	while (q->i + 34 <= n) {
		__m256i acc_l = zero, acc_h = zero, any_high = zero, any_beyond = zero;
		for (int k = 0; k < 4 && q->i + 34 <= n; k++, q->i += 32) {
			const unsigned char *p = u + q->i;
			__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
			acc_l = _mm256_sub_epi8(acc_l, quick_letters32(v));
			if (!_mm256_movemask_epi8(v))
				continue;
			any_high = _mm256_or_si256(any_high, v);
			__m256i beyond, han;
			quick_high32(v, _mm256_loadu_si256((const __m256i *)(const void *)(p + 1)),
			             _mm256_loadu_si256((const __m256i *)(const void *)(p + 2)), &beyond,
			             &han);
			any_beyond = _mm256_or_si256(any_beyond, beyond);
			acc_h = _mm256_sub_epi8(acc_h, han);
		}
		__m256i sl = _mm256_sad_epu8(acc_l, zero), sh = _mm256_sad_epu8(acc_h, zero);
		q->letters += (size_t)(_mm256_extract_epi64(sl, 0) + _mm256_extract_epi64(sl, 1) +
		                       _mm256_extract_epi64(sl, 2) + _mm256_extract_epi64(sl, 3));
		q->han += (size_t)(_mm256_extract_epi64(sh, 0) + _mm256_extract_epi64(sh, 1) +
		                   _mm256_extract_epi64(sh, 2) + _mm256_extract_epi64(sh, 3));
		q->high |= _mm256_movemask_epi8(any_high) != 0;
		q->latin_beyond |= _mm256_movemask_epi8(any_beyond) != 0;
		if (quick_decided(q, n))
			return true;
	}
	return false;
}

/*
 * The last n - q->i <= 16 bytes, as one block loaded from the end (n >= 16):
 * the lanes already counted are masked off, and the bytes after the end
 * read as zero, which is no continuation byte (a lead that close to the end
 * is no character).
 */
static void quick_last16(const unsigned char *u, size_t n, quick_counts *q)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + n - 16)), beyond, han;
	quick_high16(v, _mm_srli_si128(v, 1), _mm_srli_si128(v, 2), &beyond, &han);
	unsigned fresh = (0xFFFFu << (16 - (n - q->i))) & 0xFFFFu;
	q->letters += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(quick_letters16(v)) & fresh);
	q->han += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(han) & fresh);
	q->high |= ((unsigned)_mm_movemask_epi8(v) & fresh) != 0;
	q->latin_beyond |= ((unsigned)_mm_movemask_epi8(beyond) & fresh) != 0;
	q->i = n;
}
#undef V8
#endif

/*
 * The common cases of tandem__line_script without counting every
 * character: returns its answer, or TANDEM_SCRIPT_OTHER + 1 when the line
 * has to be counted.  This runs over every line of a big conversion.
 *
 * Why the answers agree:
 *  - No byte above 0x7F: the counts are the ASCII letters alone, so Latin
 *    when there is one, else none.
 *  - ASCII letters are always counted as Latin letters, and the only other
 *    Latin letters the count knows (U+0080..U+024F, U+1E00..U+1EFF) start
 *    with a byte C2..DF or E1; without those bytes the Latin count is the
 *    ASCII letter count L.
 *  - A lead byte of the ideograph block (E5..E9, or E4 then B8..BF)
 *    followed by two continuation bytes is one counted CJK character: the
 *    decoder reaches it as a character start (it cannot be a continuation
 *    byte).  With H of them, the CJK count is at least H, so H > 0 and
 *    8H >= L decide CJK.
 *  - Each byte not yet read adds at most one Latin letter: once H counted
 *    so far is > 0 and 8H >= L so far + the bytes left, the rest cannot
 *    change the answer (a Chinese line is decided in its first third).
 */
static int line_script_quick(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	quick_counts q = {0, 0, 0, false, false};
#ifdef TANDEM_X86_SIMD
	/* Asked each time rather than cached: no global state, and it is one load. */
	if (n >= 34 && TANDEM_CPU_HAS("avx2") && quick_avx2(u, n, &q))
		return TANDEM_SCRIPT_CJK;
	if (quick_sse2(u, n, &q))
		return TANDEM_SCRIPT_CJK;
	if (n >= 16 && q.i < n) {
		while (n - q.i > 16)
			quick_byte(u, n, &q);
		quick_last16(u, n, &q);
	}
#endif
	while (q.i < n)
		quick_byte(u, n, &q);
	if (!q.high)
		return q.letters ? TANDEM_SCRIPT_LATIN : TANDEM_SCRIPT_NONE;
	return quick_decided(&q, n) ? TANDEM_SCRIPT_CJK : TANDEM_SCRIPT_OTHER + 1; /* all read */
}

tandem_script tandem__line_script(const char *s, size_t n)
{
	int quick = line_script_quick(s, n);
	if (quick <= TANDEM_SCRIPT_OTHER)
		return (tandem_script)quick;
	tandem_script_counts k = tandem_text_scripts(s, n);
	/* Chinese translations keep Latin names and acronyms ("OpenAI、Cursor 和 Vercel
	 * 都有一个共同点"): any real share of CJK makes the line CJK. */
	if (k.han && k.han * 8 >= k.latin)
		return TANDEM_SCRIPT_CJK;
	return tandem__script_of_counts(k);
}

static tandem_script script_of(const char *s)
{
	return tandem__line_script(s, strlen(s));
}

/* Is (a, b) a pair of languages, and is b the source side of it? */
static bool two_scripts(tandem_script a, tandem_script b)
{
	return a != TANDEM_SCRIPT_NONE && b != TANDEM_SCRIPT_NONE && a != b;
}

static bool swap_sides(tandem_script first, tandem_script second)
{
	return first == TANDEM_SCRIPT_CJK && second == TANDEM_SCRIPT_LATIN;
}

/* A time in centiseconds, rounded as the ASS writer rounds it (no overflow). */
static int64_t centis(int64_t ms)
{
	return ms / 10 + (ms % 10 >= 5);
}

/*
 * Same-timed to the centisecond, the coarsest time a subtitle format holds:
 * two cues a few milliseconds apart are one pair, and stay one when written
 * to ASS, whose rounding would otherwise make a pair of them on reading back.
 */
static bool same_time(const tandem__seg *a, const tandem__seg *b)
{
	return a->start != TANDEM_NO_TIME && b->start != TANDEM_NO_TIME &&
	       centis(a->start) == centis(b->start) && centis(a->end) == centis(b->end);
}

/*
 * A cue that already holds both languages is not half of a pair: any two of
 * its lines in two scripts, whether or not they stack cleanly (a line of
 * punctuation or digits among them stops the split, not the two languages).
 */
static bool one_language(const tandem__seg *s)
{
	if (s->markup && strstr(s->markup, TANDEM__TR_OPEN))
		return false;   /* a marked translation: both languages */
	tandem_script seen = TANDEM_SCRIPT_NONE;
	for (const char *p = s->text;;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		tandem_script l = tandem__line_script(p, n);
		if (l != TANDEM_SCRIPT_NONE) {
			if (seen != TANDEM_SCRIPT_NONE && l != seen)
				return false;
			seen = l;
		}
		if (!e)
			return true;
		p = e + 1;
	}
}

/*
 * The one script of all of s's lines that are not blank, or
 * TANDEM_SCRIPT_NONE when there is no such line, one has no script, or two
 * differ: the run stacked_split_at would find there.
 */
static tandem_script run_script(const char *s)
{
	tandem_script run = TANDEM_SCRIPT_NONE;
	bool any = false;
	while (*s) {
		size_t n = strcspn(s, "\n");
		size_t len = n && s[n - 1] == '\r' ? n - 1 : n;
		if (len && !tandem__blank(s, len)) {
			tandem_script x = tandem__line_script(s, len);
			if (x == TANDEM_SCRIPT_NONE || (any && x != run))
				return TANDEM_SCRIPT_NONE;
			run = x;
			any = true;
		}
		s += n + (s[n] != '\0');
	}
	return run;
}

bool tandem__bilingual_stack_reads(const char *text, const char *translation,
                                   bool translation_first)
{
	/* The reader splits where the script changes, and keeps the first run as
	 * the text unless it is CJK and the second Latin. */
	tandem_script s1 = run_script(translation_first ? translation : text);
	tandem_script s2 = s1 == TANDEM_SCRIPT_NONE
	                       ? TANDEM_SCRIPT_NONE
	                       : run_script(translation_first ? text : translation);
	return two_scripts(s1, s2) && swap_sides(s1, s2) == translation_first;
}

bool tandem__bilingual_foldable(const tandem__seg *a, const tandem__seg *b)
{
	return same_time(a, b) && !a->translation && !b->translation &&
	       two_scripts(script_of(a->text), script_of(b->text)) && one_language(a) &&
	       one_language(b);
}

static void unpaired_push(tandem__bistream *bs, size_t line)
{
	if (bs->nunpaired == bs->capunpaired) {
		bs->capunpaired = bs->capunpaired ? 2 * bs->capunpaired : 16;
		bs->unpaired = tandem__xrealloc(bs->unpaired, bs->capunpaired * sizeof *bs->unpaired);
	}
	bs->unpaired[bs->nunpaired++] = line;
}

/* Where a pair starts, and whether it is an echo (the same text twice). */
typedef struct pair_at {
	size_t at;
	bool echo;
} pair_at;

/*
 * In a file of doubled cues, a same-timed pair whose two cues hold the same
 * text is one cue the translator left as it was (lecture 2 of the corpus,
 * cue 221): one cue whose translation repeats its text, which `check` reports
 * as identical-translation, not two cues without a partner.
 */
static bool echoed(const tandem__seg *a, const tandem__seg *b)
{
	return same_time(a, b) && !a->translation && !b->translation && *a->text &&
	       strcmp(a->text, b->text) == 0 && one_language(a);
}

/* The pairs among doc->segs[0..n), taken greedily from the left; *i ends
 * where the search stopped, *npairs counts the pairs in two scripts. */
static pair_at *find_pairs(const tandem_doc *doc, size_t n, size_t *count, size_t *npairs,
                           size_t *i)
{
	pair_at *p = NULL;
	size_t cap = 0;
	*count = *npairs = *i = 0;
	while (*i + 1 < n) {
		const tandem__seg *a = &doc->segs[*i];
		bool two = tandem__bilingual_foldable(a, a + 1);
		/* An echo gives way to a real pair that starts at its second cue. */
		bool echo = !two && echoed(a, a + 1) &&
		            !(*i + 2 < n && tandem__bilingual_foldable(a + 1, a + 2));
		if (!two && !echo) {
			(*i)++;
			continue;
		}
		if (*count == cap) {
			cap = cap ? 2 * cap : 16;
			p = tandem__xrealloc(p, cap * sizeof *p);
		}
		p[(*count)++] = (pair_at){*i, echo};
		*npairs += two;
		*i += 2;
	}
	return p;
}

/* Fold b into a: a keeps the text (swapped first when b is the source), b's is
 * its translation. */
static void fold_pair(tandem__bistream *bs, tandem__seg *a, tandem__seg *b, bool echo)
{
	if (echo) {
		if (!bs->echoes++)
			bs->echo_line = a->line;
	} else {
		if (!bs->folded)
			bs->fold_line = a->line;
		if (swap_sides(script_of(a->text), script_of(b->text))) {
			/* The Latin cue is the source: keep it, take the other as translation. */
			tandem__seg tmp = *a;
			*a = *b;
			*b = tmp;
			a->line = b->line;
			bs->fold_swapped++;
		}
		bs->folded++;
	}
	a->translation = b->text;
	b->text = NULL;
	if (!a->speaker) {
		a->speaker = b->speaker;
		b->speaker = NULL;
	}
	tandem__seg_free(b);
}

/*
 * Layout 1 on doc->segs[0..n): fold doubled cues.  Pairs are taken greedily
 * from the left.  Unless this is the last window, a final cue left unpaired
 * might pair with the next window's first, so it is held back (*take says
 * how many cues were settled).  Returns how many segments the settled ones
 * became; they are at the front, the held-back and later cues follow them.
 */
static size_t fold_window(tandem__bistream *bs, tandem_doc *doc, size_t n, bool last,
                          size_t *take)
{
	/* Where each pair starts, found once; echoes fold only in a doubled file. */
	size_t count, npairs, i;
	pair_at *starts = find_pairs(doc, n, &count, &npairs, &i);
	*take = !last && i == n - 1 ? n - 1 : n;
	size_t m = *take;
	if (!bs->decided) {
		/* A stray same-timed pair in a monolingual file is two speakers at once, not a layout. */
		bs->fold = !(npairs < 2 && !(npairs == 1 && m == 2));
		bs->doubled = npairs * 4 >= m;
	}
	bs->pairs += npairs;
	bs->segs += m;
	if (!bs->fold || !m) {
		free(starts);
		return m;
	}
	/* Blocks (NOTE, STYLE) stand before a segment index: renumber them. */
	size_t *map = doc->nblocks ? tandem__xmalloc((m + 1) * sizeof *map) : NULL;
	size_t out = 0, next = 0;
	for (i = 0; i < m; i++) {
		tandem__seg *a = &doc->segs[i];
		if (map)
			map[i] = out;
		while (next < count && starts[next].at < i)
			next++;
		if (next < count && starts[next].at == i && (!starts[next].echo || bs->doubled)) {
			if (map)
				map[i + 1] = out;
			fold_pair(bs, a, &doc->segs[i + 1], starts[next].echo);
			doc->segs[out++] = *a;
			next++;
			i++;
			continue;
		}
		if (bs->doubled && a->start != TANDEM_NO_TIME && !a->translation)
			unpaired_push(bs, a->line); /* warned at the end, after what the reader said */
		doc->segs[out++] = *a;
	}
	free(starts);
	if (map) {
		map[m] = out;
		for (size_t k = 0; k < doc->nblocks; k++) {
			size_t *b = &doc->blocks[k].before;
			*b = *b <= m ? map[*b] : *b - (m - out);
		}
		free(map);
	}
	memmove(&doc->segs[out], &doc->segs[m], (doc->nsegs - m) * sizeof *doc->segs);
	doc->nsegs -= m - out;
	return out;
}

/* Where the two runs of a stacked cue meet: index of the first line of run 2, or 0. */
static size_t stacked_split_at(const char *text, tandem_script *s1, tandem_script *s2,
                               size_t *off)
{
	const char *p = text, *e = strchr(p, '\n');
	if (!e)
		return 0;
	tandem_script run1 = TANDEM_SCRIPT_NONE, run2 = TANDEM_SCRIPT_NONE;
	size_t split = 0;
	for (size_t k = 0;; k++) {
		size_t n = e ? (size_t)(e - p) : strlen(p);
		tandem_script s = tandem__line_script(p, n);
		if (s == TANDEM_SCRIPT_NONE)
			return 0;
		if (k == 0)
			run1 = s;
		else if (!split && s != run1) {
			split = k;
			run2 = s;
			*off = (size_t)(p - text);
		} else if (split && s != run2)
			return 0;
		if (!e)
			break;
		p = e + 1;
		e = strchr(p, '\n');
	}
	*s1 = run1;
	*s2 = run2;
	return split;
}

/* Byte offset of line `k` (0-based) in s. */
static size_t line_offset(const char *s, size_t k)
{
	size_t off = 0;
	while (k && s[off]) {
		if (s[off] == '\n')
			k--;
		off++;
	}
	return off;
}

/* Markup that is the plain text again carries no styling: the model says NULL. */
static char *styled_or_null(char *markup)
{
	if (!markup)
		return NULL;
	char *plain = tandem_markup_to_plain(markup);
	bool styled = strcmp(plain, markup) != 0;
	free(plain);
	if (styled)
		return markup;
	free(markup);
	return NULL;
}

/* Lines [a, b) of s, which has nlines lines, as a new string. */
static char *lines_dup(const char *s, size_t a, size_t b, size_t nlines)
{
	size_t from = line_offset(s, a);
	size_t to = b < nlines ? line_offset(s, b) - 1 : strlen(s);
	return tandem__xstrndup(s + from, to > from ? to - from : 0);
}

static size_t count_lines(const char *s)
{
	size_t n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Where a stacked cue splits: a marked run, or the line where the script changes. */
typedef struct cand {
	size_t k, off;     /* the first line of the second run, and its byte offset */
	tandem_script a, b;
	bool mark;         /* a marked translation run: lines [r0, r1] of nl */
	size_t r0, r1, nl;
} cand;

/*
 * The marked translation run of a cue: TANDEM__TR_OPEN opens its first line
 * and TANDEM__TR_CLOSE ends its last.  It is either the cue's last lines or,
 * opening the cue (--order translation-first), its lines up to the first
 * close; the other lines are the text.
 */
static bool marked_run(const tandem__seg *s, cand *c)
{
	static const size_t olen = sizeof TANDEM__TR_OPEN - 1, clen = sizeof TANDEM__TR_CLOSE - 1;
	if (!s->markup || !strstr(s->markup, TANDEM__TR_OPEN))
		return false;
	size_t nl = count_lines(s->markup), k = 0, open = SIZE_MAX, close = SIZE_MAX;
	bool last_closes = false;
	for (const char *p = s->markup;; k++) {
		size_t n = strcspn(p, "\n");
		bool closes = n >= clen && memcmp(p + n - clen, TANDEM__TR_CLOSE, clen) == 0;
		if (open == SIZE_MAX && n >= olen && memcmp(p, TANDEM__TR_OPEN, olen) == 0)
			open = k;
		if (open != SIZE_MAX && closes && close == SIZE_MAX)
			close = k;
		last_closes = closes;
		if (!p[n])
			break;
		p += n + 1;
	}
	if (open == SIZE_MAX || nl != count_lines(s->text))
		return false;
	if ((open > 0 && !last_closes) || (open == 0 && close == SIZE_MAX))
		return false;
	c->mark = true;
	c->r0 = open;
	c->r1 = open > 0 ? nl - 1 : close;
	c->nl = nl;
	return true;
}

/* Split a cue at its marked run: the run is the translation, the rest the text. */
static void split_marked(tandem__seg *s, const cand *c)
{
	size_t r0 = c->r0, r1 = c->r1, nl = c->nl;
	char *tr = lines_dup(s->text, r0, r1 + 1, nl);
	char *text = r0 ? lines_dup(s->text, 0, r0, nl) : lines_dup(s->text, r1 + 1, nl, nl);
	char *markup = r0 ? lines_dup(s->markup, 0, r0, nl) : lines_dup(s->markup, r1 + 1, nl, nl);
	free(s->text);
	free(s->markup);
	s->text = text;
	s->translation = tr;
	s->markup = styled_or_null(markup);
}

/* Split a cue whose lines are a run in one script then another. */
static void split_stacked(tandem__bistream *bs, tandem__seg *s, const cand *c)
{
	tandem_script a = c->a, b = c->b;
	size_t k = c->k, off = c->off;
	if (!bs->nsplit)
		bs->split_line = s->line;
	char *two = tandem__xstrdup(s->text + off);
	/* Markup lines follow the text lines; keep the source side's when they still match. */
	char *markup = NULL;
	if (s->markup) {
		size_t m1 = count_lines(s->markup), t1 = count_lines(s->text);
		if (m1 == t1 && !swap_sides(a, b))
			markup = tandem__xstrndup(s->markup, line_offset(s->markup, k) - 1);
		else if (m1 == t1)
			markup = tandem__xstrdup(s->markup + line_offset(s->markup, k));
	}
	markup = styled_or_null(markup);
	/* The first run stays where it is, cut at its last line. */
	char *one = s->text;
	one[off - 1] = '\0';
	free(s->markup);
	if (swap_sides(a, b)) {
		s->text = two;
		s->translation = one;
		bs->split_swapped++;
	} else {
		s->text = one;
		s->translation = two;
	}
	s->markup = markup;
	bs->nsplit++;
}

/*
 * Layout 2 on doc->segs[0..n): split stacked cues.  A marked run is always
 * the translation, and one in the file says it is tandem's stacked layout,
 * so the cues told apart by script are split too.
 */
static void split_window(tandem__bistream *bs, tandem_doc *doc, size_t n)
{
	/* One pass finds the candidates and remembers where each splits, so no
	 * line's script is counted twice (this runs over every line of a 100 MB file). */
	cand *c = tandem__xmalloc((n ? n : 1) * sizeof *c);
	size_t ncand = 0, nmarked = 0;
	for (size_t i = 0; i < n; i++) {
		const tandem__seg *s = &doc->segs[i];
		c[i].k = 0;
		c[i].mark = false;
		if (s->translation)
			continue;
		if (marked_run(s, &c[i])) {
			nmarked++;
			continue;
		}
		c[i].k = stacked_split_at(s->text, &c[i].a, &c[i].b, &c[i].off);
		ncand += c[i].k != 0;
	}
	/* One stray Chinese line in an English film is a sign, not a second language. */
	if (!bs->decided)
		bs->split = nmarked || (ncand && ncand * 3 >= n);
	bs->cands += ncand;
	bs->marked += nmarked;
	bs->split_segs += n;
	for (size_t i = 0; i < n && (bs->split || nmarked); i++) {
		if (c[i].mark)
			split_marked(&doc->segs[i], &c[i]);
		else if (c[i].k && bs->split)
			split_stacked(bs, &doc->segs[i], &c[i]);
	}
	free(c);
}

bool tandem__bilingual_applies(const char *format)
{
	static const char *const subtitle_formats[] = {"srt", "vtt", "ass", "sbv", "ttml"};
	for (size_t k = 0; k < sizeof subtitle_formats / sizeof *subtitle_formats; k++)
		if (format && strcmp(format, subtitle_formats[k]) == 0)
			return true;
	return false;
}

size_t tandem__bilingual_window(tandem__bistream *bs, tandem_doc *doc, size_t n, bool last)
{
	size_t take;
	size_t out = fold_window(bs, doc, n, last, &take);
	split_window(bs, doc, out);
	if (take || last)
		bs->decided = true;
	return out;
}

int tandem__bilingual_finish(tandem__bistream *bs, tandem__reader *r)
{
	/* What the whole document says; a stream decided on its first window. */
	bool fold = !(bs->pairs < 2 && !(bs->pairs == 1 && bs->segs == 2));
	bool doubled = bs->pairs * 4 >= bs->segs;
	bool split = bs->marked || (bs->cands && bs->cands * 3 >= bs->split_segs);
	if (fold != bs->fold || (fold && doubled != bs->doubled) || split != bs->split) {
		bs->diverged = true;
		return 0;
	}
	int rc = 0;
	for (size_t k = 0; k < bs->nunpaired; k++) {
		int e = tandem__warn(r, "bilingual-unpaired", bs->unpaired[k], 1,
		                     "cue has no same-timed partner in a file of doubled bilingual "
		                     "cues");
		if (e && !rc)
			rc = e;
	}
	if (bs->fold_swapped)
		tandem__diag(r, TANDEM_INFO, "bilingual-order", bs->fold_line, 1,
		             "%zu folded pairs had the CJK cue first; the Latin cue is kept as the "
		             "text", bs->fold_swapped);
	if (bs->echoes)
		tandem__diag(r, TANDEM_INFO, "bilingual-echo", bs->echo_line, 1,
		             "folded %zu same-timed pair(s) whose two cues hold the same text into "
		             "one cue each, whose translation repeats its text (check reports "
		             "identical-translation)",
		             bs->echoes);
	if (bs->folded)
		tandem__diag(r, TANDEM_INFO, "bilingual-fold", bs->fold_line, 1,
		             "folded %zu pairs of same-timed cues in two scripts into bilingual cues",
		             bs->folded);
	if (bs->split_swapped)
		tandem__diag(r, TANDEM_INFO, "bilingual-order", bs->split_line, 1,
		             "%zu split cues had the CJK lines first; the Latin lines are kept as "
		             "the text", bs->split_swapped);
	if (bs->nsplit)
		tandem__diag(r, TANDEM_INFO, "bilingual-split", bs->split_line, 1,
		             "split %zu cues whose lines are in two scripts into text and "
		             "translation",
		             bs->nsplit);
	return rc;
}

void tandem__bistream_decided(tandem__bistream *to, const tandem__bistream *from)
{
	memset(to, 0, sizeof *to);
	to->decided = from->decided;
	to->fold = from->fold;
	to->doubled = from->doubled;
	to->split = from->split;
}

void tandem__bistream_rebase(tandem__bistream *bs, size_t base)
{
	if (bs->folded)
		bs->fold_line += base;
	if (bs->nsplit)
		bs->split_line += base;
	if (bs->echoes)
		bs->echo_line += base;
	for (size_t k = 0; k < bs->nunpaired; k++)
		bs->unpaired[k] += base;
}

void tandem__bistream_merge(tandem__bistream *into, tandem__bistream *more)
{
	into->pairs += more->pairs;
	into->segs += more->segs;
	into->cands += more->cands;
	into->marked += more->marked;
	if (!into->echoes)
		into->echo_line = more->echo_line;
	into->echoes += more->echoes;
	into->split_segs += more->split_segs;
	if (!into->folded)
		into->fold_line = more->fold_line;
	into->folded += more->folded;
	into->fold_swapped += more->fold_swapped;
	if (!into->nsplit)
		into->split_line = more->split_line;
	into->nsplit += more->nsplit;
	into->split_swapped += more->split_swapped;
	into->diverged |= more->diverged;
	for (size_t k = 0; k < more->nunpaired; k++)
		unpaired_push(into, more->unpaired[k]);
	tandem__bistream_free(more);
}

void tandem__bistream_free(tandem__bistream *bs)
{
	free(bs->unpaired);
	memset(bs, 0, sizeof *bs);
}

int tandem__bilingual_normalize(tandem__reader *r, tandem_doc *doc, const char *format)
{
	if (!tandem__bilingual_applies(format) || doc->nsegs == 0)
		return 0;
	/* The whole document as one window: its decisions are the document's. */
	tandem__bistream bs = {0};
	tandem__bilingual_window(&bs, doc, doc->nsegs, true);
	int rc = tandem__bilingual_finish(&bs, r);
	tandem__bistream_free(&bs);
	return rc;
}

bool tandem__srt_escaped(const char *s, size_t n)
{
	while (n >= 3 && memcmp(s, TANDEM__SRT_JOINER, 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (!n || !((*s >= '0' && *s <= '9') || *s == ' ' || *s == '\t'))
		return false;
	for (size_t i = 0; i + 3 <= n; i++)
		if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
			return true;
	return false;
}
