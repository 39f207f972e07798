/*
 * test_ass.c - how the ASS reader pairs events into bilingual segments:
 * only the writer's Source/Translation pairs fold, in the order of the
 * file's layout; ordinary same-timed events stay separate.  Also the
 * libFuzzer finding behind it (fixtures/regress/ass-pair-grouping.ass, the
 * crash input cut down to 14 lines): a
 * lone Source event beside a same-timed pair took the pair's translation,
 * so a round trip changed the number of segments.  And the second finding
 * (fixtures/regress/ass-near-timed-pair.ass): cues a few milliseconds apart.
 */
#include "harness.h"
#include "tandem.h"

#include <stdbool.h>

#define FIX TANDEM_SOURCE_DIR "/fixtures/"

static tandem_doc *read_ass(const char *s, size_t len)
{
	tandem_read_opts o;
	tandem_read_opts_init(&o);
	o.format = "ass";
	o.strict = 1;
	tandem_doc *doc = NULL;
	if (tandem_doc_read(&doc, s, len, &o))
		return NULL;
	return doc;
}

static tandem_doc *read_str(const char *s)
{
	return read_ass(s, strlen(s));
}

static tandem_doc *write_and_read(const tandem_doc *doc, const char *layout)
{
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.ass_layout = layout;
	char *out = NULL;
	size_t len = 0;
	if (tandem_doc_write(doc, "ass", &wo, &out, &len))
		return NULL;
	tandem_doc *back = read_ass(out, len);
	free(out);
	return back;
}

typedef struct want {
	const char *text, *translation, *speaker;
	int64_t start;
} want;

static void expect(const tandem_doc *doc, const want *w, size_t n, const char *what)
{
	INT_EQ(doc ? tandem_doc_count(doc) : 0, n, what);
	if (!doc || tandem_doc_count(doc) != n)
		return;
	for (size_t i = 0; i < n; i++) {
		char m[200];
		snprintf(m, sizeof m, "%s: segment %zu", what, i + 1);
		STR_EQ(tandem_seg_text(doc, i), w[i].text, m);
		STR_EQ(tandem_seg_translation(doc, i), w[i].translation, m);
		STR_EQ(tandem_seg_speaker(doc, i), w[i].speaker, m);
		INT_EQ(tandem_seg_start(doc, i), w[i].start, m);
	}
}

/* The fixture mixes every case; each segment is asserted. */
static void test_fixture(void)
{
	size_t len;
	char *s = harness_slurp(FIX "ass/pairing.ass", &len);
	OK(s != NULL, "fixtures/ass/pairing.ass");
	tandem_doc *doc = s ? read_ass(s, len) : NULL;
	static const want w[] = {
		{"Before the pair", NULL, "Ann", 1000}, /* not the pair's Source */
		{"Hello", "Bonjour", "Bo", 1000},       /* Translation, then Source */
		{"Two speakers", NULL, "Ann", 3000},    /* ordinary same-timed events */
		{"at once", NULL, "Bo", 3000},
		{"EXIT", NULL, NULL, 5000},             /* a Sign is not a Source */
		{"", "Sortie", NULL, 5000},             /* so the Translation is alone */
		{"Goodbye", "Au revoir", NULL, 7000},   /* style names ignore case */
	};
	expect(doc, w, sizeof w / sizeof *w, "pairing.ass");
	tandem_doc *back = doc ? write_and_read(doc, NULL) : NULL;
	expect(back, w, sizeof w / sizeof *w, "pairing.ass written and read back");
	tandem_doc_free(back);
	back = doc ? write_and_read(doc, "top") : NULL;
	expect(back, w, sizeof w / sizeof *w, "pairing.ass written top and read back");
	tandem_doc_free(back);
	tandem_doc_free(doc);
	free(s);
}

#define HEAD                                                                                 \
	"[Script Info]\nScriptType: v4.00+\n\n[Events]\n"                                        \
	"Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"

/* A real pair folds, in either layout; two ordinary same-timed events stay two. */
static void test_both_behaviours(void)
{
	static const struct {
		const char *name, *events;
		want w[2];
		size_t n;
	} cases[] = {
		{"bottom pair folds",
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Translation,,0,0,0,,早\n"
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Source,,0,0,0,,Morning\n",
		 {{"Morning", "早", NULL, 1000}}, 1},
		{"top pair folds",
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Source,,0,0,0,,Morning\n"
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Translation,,0,0,0,,早\n",
		 {{"Morning", "早", NULL, 1000}}, 1},
		{"ordinary same-timed events stay two",
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Default,A,0,0,0,,Morning\n"
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Default,B,0,0,0,,Evening\n",
		 {{"Morning", NULL, "A", 1000}, {"Evening", NULL, "B", 1000}}, 2},
		{"two Source events stay two",
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Source,A,0,0,0,,Morning\n"
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Source,B,0,0,0,,Evening\n",
		 {{"Morning", NULL, "A", 1000}, {"Evening", NULL, "B", 1000}}, 2},
		{"different end times stay apart",
		 "Dialogue: 0,0:00:01.00,0:00:02.00,Translation,,0,0,0,,早\n"
		 "Dialogue: 0,0:00:01.00,0:00:02.01,Source,,0,0,0,,Morning\n",
		 {{"", "早", NULL, 1000}, {"Morning", NULL, NULL, 1000}}, 2},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		char in[1024];
		snprintf(in, sizeof in, "%s%s", HEAD, cases[k].events);
		tandem_doc *doc = read_str(in);
		expect(doc, cases[k].w, cases[k].n, cases[k].name);
		tandem_doc_free(doc);
	}
}

/*
 * The layout decides which neighbour a Translation event belongs to: a top
 * file pairs Source-then-Translation even where a lone Source follows.
 */
static void test_layout(void)
{
	tandem_doc *doc = read_str(
		HEAD "Dialogue: 0,0:00:01.00,0:00:02.00,Source,,0,0,0,,One\n"
		     "Dialogue: 0,0:00:01.00,0:00:02.00,Translation,,0,0,0,,一\n"
		     "Dialogue: 0,0:00:03.00,0:00:04.00,Source,,0,0,0,,Two\n"
		     "Dialogue: 0,0:00:03.00,0:00:04.00,Translation,,0,0,0,,二\n"
		     "Dialogue: 0,0:00:03.00,0:00:04.00,Source,,0,0,0,,Alone\n");
	static const want top[] = {
		{"One", "一", NULL, 1000}, {"Two", "二", NULL, 3000}, {"Alone", NULL, NULL, 3000}};
	expect(doc, top, 3, "top layout");
	tandem_doc_free(doc);

	/* The same events in the bottom order: the lone Source comes first. */
	doc = read_str(HEAD "Dialogue: 0,0:00:01.00,0:00:02.00,Translation,,0,0,0,,一\n"
	                    "Dialogue: 0,0:00:01.00,0:00:02.00,Source,,0,0,0,,One\n"
	                    "Dialogue: 0,0:00:03.00,0:00:04.00,Source,,0,0,0,,Alone\n"
	                    "Dialogue: 0,0:00:03.00,0:00:04.00,Translation,,0,0,0,,二\n"
	                    "Dialogue: 0,0:00:03.00,0:00:04.00,Source,,0,0,0,,Two\n");
	static const want bottom[] = {
		{"One", "一", NULL, 1000}, {"Alone", NULL, NULL, 3000}, {"Two", "二", NULL, 3000}};
	expect(doc, bottom, 3, "bottom layout");
	tandem_doc_free(doc);
}

/* The fuzzer's input: read, written and read again, it keeps its segment count. */
static void test_fuzz_regression(void)
{
	size_t len;
	char *s = harness_slurp(FIX "regress/ass-pair-grouping.ass", &len);
	OK(s != NULL, "fixtures/regress/ass-pair-grouping.ass");
	if (!s)
		return;
	tandem_read_opts o;
	tandem_read_opts_init(&o);
	o.format = "ass";
	tandem_doc *doc = NULL;
	INT_EQ(tandem_doc_read(&doc, s, len, &o), 0, "lenient read of the fuzzer's input");
	/* 13 events, none folded: the stacked ones (a Latin line over CJK) already
	 * hold both languages, so they are not halves of same-timed pairs. */
	INT_EQ(doc ? tandem_doc_count(doc) : 0, 13, "segments of the fuzzer's input");
	/*
	 * All the segments share their times, and every bilingual one is
	 * followed by another segment: written top, the file fits both layouts
	 * and reads as bottom (the documented tie), so there only the count,
	 * which is what the fuzzer checks, is asserted.
	 */
	for (int k = 0; k < 2 && doc; k++) {
		tandem_doc *back = write_and_read(doc, k ? "top" : NULL);
		INT_EQ(back ? tandem_doc_count(back) : 0, tandem_doc_count(doc),
		       k ? "round trip (top)" : "round trip (bottom)");
		size_t differ = 0;
		for (size_t i = 0; !k && back && i < tandem_doc_count(doc) &&
		                   i < tandem_doc_count(back);
		     i++) {
			const char *a = tandem_seg_translation(doc, i), *b = tandem_seg_translation(back, i);
			if (strcmp(tandem_seg_text(doc, i), tandem_seg_text(back, i)) != 0 ||
			    (!a) != (!b) || (a && strcmp(a, b) != 0))
				differ++;
		}
		INT_EQ(differ, 0, "round trip (bottom): segments that changed");
		tandem_doc_free(back);
	}
	tandem_doc_free(doc);
	free(s);
}

/*
 * The second libFuzzer finding (fixtures/regress/ass-near-timed-pair.ass,
 * minimised): two cues in two scripts whose end times were 2 ms apart read
 * as two segments, but the writer's centiseconds made them a same-timed
 * pair that folded on reading back.  Same-timed now means the same to the
 * centisecond, so they are one pair on both reads; 10 ms apart stay two.
 */
static void test_near_times(void)
{
	size_t len;
	char *s = harness_slurp(FIX "regress/ass-near-timed-pair.ass", &len);
	OK(s != NULL, "fixtures/regress/ass-near-timed-pair.ass");
	if (!s)
		return;
	tandem_read_opts o;
	tandem_read_opts_init(&o);
	o.format = "ass";
	tandem_doc *doc = NULL;
	INT_EQ(tandem_doc_read(&doc, s, len, &o), 0, "lenient read of the second finding");
	INT_EQ(doc ? tandem_doc_count(doc) : 0, 1, "cues 2 ms apart fold into one pair");
	tandem_doc *back = doc ? write_and_read(doc, NULL) : NULL;
	INT_EQ(back ? tandem_doc_count(back) : 0, 1, "and stay one through a round trip");
	tandem_doc_free(back);
	tandem_doc_free(doc);
	free(s);
	/* The same in SRT, which holds milliseconds: 2 ms apart pair, 10 ms do not. */
	static const char *const srt[] = {
		"1\n00:00:01,000 --> 00:00:02,012\nMorning\n\n2\n00:00:01,000 --> 00:00:02,010\n早\n",
		"1\n00:00:01,000 --> 00:00:02,020\nMorning\n\n2\n00:00:01,000 --> 00:00:02,010\n早\n"};
	for (int k = 0; k < 2; k++) {
		o.format = "srt";
		doc = NULL;
		INT_EQ(tandem_doc_read(&doc, srt[k], strlen(srt[k]), &o), 0, "SRT near-timed cues");
		INT_EQ(doc ? tandem_doc_count(doc) : 0, k ? 2 : 1,
		       k ? "SRT cues 10 ms apart stay two" : "SRT cues 2 ms apart fold");
		tandem_doc_free(doc);
	}
}

/*
 * The last time ASS holds (six digits of hours) reads back as written; a
 * time past it is an error naming the segment, never a different time.
 */
static void test_time_range(void)
{
	const int64_t last = (int64_t)999999 * 3600000 + 59 * 60000 + 59 * 1000 + 990;
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, last - 1000, last, "The last second.", NULL);
	tandem_doc *back = write_and_read(d, NULL);
	OK(back != NULL, "the last time writes and reads");
	if (back) {
		INT_EQ(tandem_seg_end(back, 0), last, "the last time reads back as written");
		tandem_doc_free(back);
	}
	tandem_doc_add(d, last, last + 10, "Past it.", NULL);
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	char *out = NULL;
	size_t len = 0;
	OK(tandem_doc_write(d, "ass", &wo, &out, &len) != 0, "a time past it is an error");
	OK(out == NULL, "and nothing is written");
	free(out);
	tandem_doc_free(d);
}

int main(void)
{
	test_time_range();
	test_fixture();
	test_both_behaviours();
	test_layout();
	test_fuzz_regression();
	test_near_times();
	return harness_done();
}
