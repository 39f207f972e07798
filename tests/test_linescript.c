/*
 * test_linescript.c - tandem__line_script (formats/bilingual.c), which decides
 * the common lines without counting every character, against its
 * definition over the full counts (tandem_text_scripts): the same answer
 * for every line, valid UTF-8 or not.  Lines are drawn from pieces chosen
 * to sit on each edge of the shortcut: ASCII letters, the ideograph block's
 * first and last characters and its neighbours, Latin letters beyond ASCII
 * (two-byte and U+1E00..U+1EFF), punctuation that counts as nothing,
 * other scripts, four-byte characters, and broken sequences.
 */
#include <stdbool.h>
#include <stdint.h>

/* 1: the AVX2 steps when the CPU has them; 0: SSE2 steps only.  bilingual.c
 * is compiled into this test with TANDEM_CPU_HAS replaced, so both run. */
static int cpu_level = 1;
static bool cpu_avx2;

static int fake_cpu_has(const char *feature)
{
	(void)feature; /* bilingual.c asks only for "avx2" */
	return cpu_level >= 1 && cpu_avx2;
}

#define TANDEM_CPU_HAS(feature) fake_cpu_has(feature)
#include "../formats/bilingual.c"

#include "harness.h"

/* The definition, as formats/bilingual.c states it. */
static tandem_script reference(const char *s, size_t n)
{
	tandem_script_counts k = tandem_text_scripts(s, n);
	if (k.han && k.han * 8 >= k.latin)
		return TANDEM_SCRIPT_CJK;
	return tandem__script_of_counts(k);
}

static const char *const pieces[] = {
	"a", "Z", "q", "word ", "The compute ", "0", "7", " ", ",", ".", "<", "\t", "-",
	"\xE4\xB8\x80",             /* U+4E00, the block's first */
	"\xE9\xBF\xBF",             /* U+9FFF, its last */
	"\xE4\xB7\xBF",             /* U+4DFF, just before (E4 then B7) */
	"\xE4\xBD\xA0\xE5\xA5\xBD", /* 你好 */
	"\xE7\xAE\x97\xE5\x8A\x9B", /* 算力 */
	"\xE3\x80\x82",             /* 。 */
	"\xEF\xBC\x8C",             /* ， */
	"\xE2\x80\x94",             /* — */
	"\xE2\x80\x99",             /* ’ */
	"\xE2\x84\x93",             /* ℓ, a letter of no script tandem knows */
	"\xC3\xA9",                 /* é */
	"\xC3\x80",                 /* À */
	"\xE1\xBA\xA1",             /* ạ, U+1EA1 */
	"\xE3\x81\x82",             /* あ */
	"\xEA\xB0\x80",             /* 가 */
	"\xE3\x90\x80",             /* U+3400, extension A */
	"\xD0\x96",                 /* Ж */
	"\xF0\x9F\x98\x80",         /* an emoji */
	"\xF0\xA0\x80\x80",         /* U+20000, extension B */
	"\x80",                     /* a lone continuation byte */
	"\xE5",                     /* a cut sequence */
	"\xE5\x80",                 /* a cut sequence */
	"\xE5" "A",                 /* a lead then ASCII */
	"\xE0\x80\x80",             /* overlong */
	"\xED\xA0\x80",             /* a surrogate */
	"\xFF",
};

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned next(unsigned bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % bound);
}

static void drawn_lines(void)
{
	enum { NP = sizeof pieces / sizeof *pieces };
	char line[1200];
	size_t tried = 0, differ = 0, by[4] = {0, 0, 0, 0};
	for (int round = 0; round < 400000; round++) {
		/* Mostly one or two kinds of piece, as real lines are, sometimes any. */
		unsigned a = next(NP), b = next(NP), count = next(round % 4 ? 40 : 300);
		size_t n = 0;
		for (unsigned k = 0; k < count; k++) {
			unsigned which = next(8) == 0 ? next(NP) : next(3) ? a : b;
			size_t len = strlen(pieces[which]);
			if (n + len >= sizeof line)
				break;
			memcpy(line + n, pieces[which], len);
			n += len;
		}
		line[n] = '\0';
		/* Cut anywhere: a line may end inside a character. */
		if (n && next(4) == 0)
			n = next((unsigned)n + 1);
		tandem_script got = tandem__line_script(line, n), want = reference(line, n);
		tried++;
		by[want]++;
		if (got != want && differ++ < 5)
			OK(got == want, "line of %zu bytes: got %d, want %d", n, (int)got, (int)want);
	}
	printf("level %d: %zu lines, %zu differ\n", cpu_level, tried, differ);
	INT_EQ(differ, 0, "lines whose script differs from the full count's");
	/* Every answer was drawn often enough to mean something. */
	for (int s = 0; s < 4; s++)
		OK(by[s] > tried / 100, "script %d drawn %zu times of %zu", s, by[s], tried);
	/* The edges, by hand. */
	INT_EQ(tandem__line_script("Hello world", 11), TANDEM_SCRIPT_LATIN, "ASCII words");
	INT_EQ(tandem__line_script("12:30 -- 45", 11), TANDEM_SCRIPT_NONE, "no letters");
	const char *mixed = "OpenAI\xE3\x80\x81" "Cursor \xE5\x92\x8C Vercel \xE9\x83\xBD\xE6\x9C\x89";
	INT_EQ(tandem__line_script(mixed, strlen(mixed)), TANDEM_SCRIPT_CJK,
	       "Chinese with Latin names");
	const char *cafe = "caf\xC3\xA9 \xE4\xBD\xA0";
	INT_EQ(tandem__line_script(cafe, strlen(cafe)), reference(cafe, strlen(cafe)),
	       "a Latin letter beyond ASCII");
	const char *before = "\xE4\xB7\xBF\xE4\xB7\xBF";
	INT_EQ(tandem__line_script(before, strlen(before)), reference(before, strlen(before)),
	       "U+4DFF is not in the block");
}

int main(void)
{
#ifdef TANDEM_X86_SIMD
	cpu_avx2 = __builtin_cpu_supports("avx2");
#endif
	for (cpu_level = 1; cpu_level >= 0; cpu_level--)
		drawn_lines();
	return harness_done();
}
