/*
 * test_biround.c - bilingual subtitles read back as tandem wrote them
 * (issue 15, items 4 and 5).
 *
 *  - SRT marks a translation that its script does not tell from the text
 *    ("Mythos" under an English line, "OK", "42", a Latin translation of a
 *    Chinese text, a translation with no text) as <font class="translation">,
 *    and only those: the exact bytes are checked, in both orders, and read
 *    back into the same segments.
 *  - Write -> read gives the same segments (times, text, translation,
 *    speaker) over every bilingual fixture, to SRT and WebVTT, in both
 *    orders.
 *  - A document with few translations marks them all, so the reader still
 *    splits the stacked cues; a hand-written mark the reader cannot place
 *    is left as text.
 *  - A doubled file's echoed pair (the same text on both sides, lecture 2's
 *    cue 221) folds into one cue whose translation repeats its text, with no
 *    "no same-timed partner" warning; a monolingual file's repeated cue is
 *    left alone.
 */
#include "harness.h"
#include "bilingual.h"
#include "harness_doc.h"

#include <stdbool.h>

static tandem_doc *read_as(const char *text, const char *name, const char *format,
                           tandem__buf *diags)
{
	int rc;
	tandem_doc *d = harness_read(text, strlen(text), name, format, NULL, 0, diags, &rc);
	OK(rc == 0 && d, "read %s: %s", name, tandem_strerror(rc));
	return d;
}

static char *write_as(const tandem_doc *doc, const char *format, bool translation_first)
{
	tandem_write_opts o;
	tandem_write_opts_init(&o);
	o.order = translation_first ? TANDEM_ORDER_TRANSLATION_FIRST : TANDEM_ORDER_SOURCE_FIRST;
	char *out = NULL;
	size_t len;
	int rc = tandem_doc_write(doc, format, &o, &out, &len);
	OK(rc == 0 && out, "write %s: %s", format, tandem_strerror(rc));
	return out;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Do a and b hold the same segments?  Reports the first difference. */
static void same_segments(const tandem_doc *a, const tandem_doc *b, const char *what)
{
	INT_EQ(tandem_doc_count(b), tandem_doc_count(a), what);
	size_t n = tandem_doc_count(a) < tandem_doc_count(b) ? tandem_doc_count(a)
	                                                     : tandem_doc_count(b);
	for (size_t i = 0; i < n; i++) {
		bool same = tandem_seg_start(a, i) == tandem_seg_start(b, i) &&
		            tandem_seg_end(a, i) == tandem_seg_end(b, i) &&
		            same_str(tandem_seg_text(a, i), tandem_seg_text(b, i)) &&
		            same_str(tandem_seg_translation(a, i), tandem_seg_translation(b, i)) &&
		            same_str(tandem_seg_speaker(a, i), tandem_seg_speaker(b, i));
		if (!same) {
			const char *ta = tandem_seg_translation(a, i), *tb = tandem_seg_translation(b, i);
			OK(same, "%s: segment %zu: '%s' / '%s' read back as '%s' / '%s'", what, i + 1,
			   tandem_seg_text(a, i), ta ? ta : "(none)", tandem_seg_text(b, i),
			   tb ? tb : "(none)");
			return;
		}
	}
	OK(true, "%s", what);
}

/* doc written as format in both orders and read back gives doc again. */
static void round_trip(const tandem_doc *doc, const char *format, const char *what)
{
	for (int tf = 0; tf < 2; tf++) {
		char *out = write_as(doc, format, tf);
		char name[16];
		snprintf(name, sizeof name, "rt.%s", format);
		tandem_doc *back = read_as(out ? out : "", name, format, NULL);
		char label[512];
		snprintf(label, sizeof label, "%s -> %s (%s) -> read", what, format,
		         tf ? "translation first" : "source first");
		if (back)
			same_segments(doc, back, label);
		tandem_doc_free(back);
		free(out);
	}
}

static void test_mark_bytes(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 1000, 2000, "The release of Mythos was such an", "Mythos");
	tandem_doc_add(d, 2000, 3000, "a big moment.", "一个重要时刻。");
	tandem_doc_add(d, 3000, 4000, "Are we good?", "OK");
	char *out = write_as(d, "srt", false);
	STR_EQ(out,
	       "1\n00:00:01,000 --> 00:00:02,000\nThe release of Mythos was such an\n"
	       "<font class=\"translation\">Mythos</font>\n\n"
	       "2\n00:00:02,000 --> 00:00:03,000\na big moment.\n一个重要时刻。\n\n"
	       "3\n00:00:03,000 --> 00:00:04,000\nAre we good?\n"
	       "<font class=\"translation\">OK</font>\n\n",
	       "only the translations without a script of their own are marked");
	free(out);
	out = write_as(d, "srt", true);
	STR_EQ(out,
	       "1\n00:00:01,000 --> 00:00:02,000\n<font class=\"translation\">Mythos</font>\n"
	       "The release of Mythos was such an\n\n"
	       "2\n00:00:02,000 --> 00:00:03,000\n一个重要时刻。\na big moment.\n\n"
	       "3\n00:00:03,000 --> 00:00:04,000\n<font class=\"translation\">OK</font>\n"
	       "Are we good?\n\n",
	       "translation first: the mark on the first lines");
	free(out);
	/* WebVTT's layout names the translation already; nothing changes there. */
	out = write_as(d, "vtt", false);
	OK(out && strstr(out, "<lang en>The release of Mythos was such an</lang>\n"
	                      "<lang.translation zh>Mythos</lang>\n"),
	   "WebVTT: the translation span: %s", out ? out : "(null)");
	free(out);
	round_trip(d, "srt", "Mythos");
	round_trip(d, "vtt", "Mythos");
	tandem_doc_free(d);
}

/* The layouts the script alone would read wrongly, each in its own document. */
static void test_mark_cases(void)
{
	static const struct {
		const char *text, *translation, *what;
	} cases[] = {
		{"How many people came?", "42", "a number"},
		{"你好，欢迎收听。", "Hello, and welcome.", "a Chinese text with an English translation"},
		{"你好。", "こんにちは。", "two CJK sides"},
		{"", "只有翻译。", "a translation without text"},
		{"First line of English\nsecond line", "English kept\nas it was",
		 "two Latin runs of two lines"},
		{"Hello\n你好 there", "Bonjour", "a text of two scripts"},
		{"We call it the Transformer.", "Transformer", "a Latin name"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem_doc *d = tandem_doc_new();
		tandem_doc_add(d, 1000, 2000, cases[k].text, cases[k].translation);
		tandem_doc_add(d, 2000, 3000, "And that is all.", "就这些。");
		round_trip(d, "srt", cases[k].what);
		round_trip(d, "vtt", cases[k].what);
		tandem_doc_free(d);
	}
	/* Speaker and position stay outside the mark and come back. */
	tandem_doc *d = tandem_doc_new();
	for (int i = 0; i < 3; i++) {
		size_t s = tandem_doc_add(d, 1000 * i, 1000 * i + 900, "Are we good?", "OK");
		tandem_seg_set_speaker(d, s, "Anna");
		tandem_seg_set_position(d, s, 8);
	}
	char *out = write_as(d, "srt", true);
	OK(out && strstr(out, "\n{\\an8}Anna: <font class=\"translation\">OK</font>\n"
	                      "Are we good?\n"),
	   "prefix before the mark: %s", out ? out : "(null)");
	tandem_doc *back = read_as(out ? out : "", "t.srt", "srt", NULL);
	if (back) {
		same_segments(d, back, "speaker and {\\an8} with the mark");
		INT_EQ(tandem_seg_position(back, 0), 8, "{\\an8} read back");
	}
	tandem_doc_free(back);
	free(out);
	tandem_doc_free(d);
	/* Written by the script alone, the usual stacked cue keeps its bytes. */
	OK(tandem__bilingual_stack_reads("Hello there.", "你好。", false), "en / zh needs no mark");
	OK(tandem__bilingual_stack_reads("Hello there.", "你好。", true), "zh / en needs no mark");
	OK(!tandem__bilingual_stack_reads("Hello there.", "Mythos", false), "en / en needs one");
	OK(!tandem__bilingual_stack_reads("你好。", "Hello.", false), "zh / en source needs one");
	OK(!tandem__bilingual_stack_reads("Hello.", "\n", false), "a blank translation: no run");
}

/* Under a third of the cues translated: the reader would not split; all are marked. */
static void test_few_translated(void)
{
	tandem_doc *d = tandem_doc_new();
	for (int i = 0; i < 10; i++)
		tandem_doc_add(d, 1000 * i, 1000 * i + 900, "Sentence of the talk.",
		               i < 2 ? "演讲的一句。" : NULL);
	char *out = write_as(d, "srt", false);
	OK(out && strstr(out, "\nSentence of the talk.\n"
	                      "<font class=\"translation\">演讲的一句。</font>\n"),
	   "few translations: marked although CJK: %s", out ? out : "(null)");
	free(out);
	round_trip(d, "srt", "two of ten translated");
	tandem_doc_free(d);
	/* A mark the reader cannot place (no close) stays text. */
	tandem_doc *t = read_as("1\n00:00:01,000 --> 00:00:02,000\nHello\n"
	                        "<font class=\"translation\">World\n\n",
	                        "t.srt", "srt", NULL);
	if (t) {
		OK(tandem_seg_translation(t, 0) == NULL, "an unclosed mark is no translation");
		STR_EQ(tandem_seg_text(t, 0), "Hello\nWorld", "its text kept");
	}
	tandem_doc_free(t);
	/* A hand-written marked cue in the middle of an English file. */
	t = read_as("1\n00:00:01,000 --> 00:00:02,000\nOne\n\n"
	            "2\n00:00:02,000 --> 00:00:03,000\n<i>Two</i>\n"
	            "<font class=\"translation\">Deux</font>\n\n"
	            "3\n00:00:03,000 --> 00:00:04,000\nThree\n\n",
	            "t.srt", "srt", NULL);
	if (t) {
		STR_EQ(tandem_seg_translation(t, 1), "Deux", "the marked line is the translation");
		STR_EQ(tandem_seg_text(t, 1), "Two", "the rest the text");
		STR_EQ(tandem_seg_markup(t, 1), "<i>Two</i>", "with its own markup");
		OK(tandem_seg_translation(t, 0) == NULL, "an unmarked cue stays one language");
	}
	tandem_doc_free(t);
}

static void round_trip_file(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", harness_src_dir(), rel);
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	tandem_doc *d = NULL;
	int rc = tandem_doc_read_file(&d, path, &ro);
	OK(rc == 0 && d, "read %s: %s", rel, tandem_strerror(rc));
	if (!d)
		return;
	size_t both = 0;
	for (size_t i = 0; i < tandem_doc_count(d); i++)
		both += tandem_seg_translation(d, i) != NULL;
	OK(both > 0, "%s is bilingual", rel);
	round_trip(d, "srt", rel);
	round_trip(d, "vtt", rel);
	tandem_doc_free(d);
}

static void test_fixtures(void)
{
	static const char *const files[] = {
		"fixtures/bilingual/lecture1-dual-double.srt",
		"fixtures/bilingual/lecture1.to-srt.srt",
		"fixtures/bilingual/lecture1.to-ass.ass",
		"fixtures/bilingual/lecture1.to-ass-top.ass",
		"fixtures/bilingual/stacked.srt",
		"fixtures/bilingual/stacked-reversed.srt",
		"fixtures/bilingual/stacked-reversed.to-srt.srt",
		"fixtures/bilingual/stacked-beside-single.srt",
		"fixtures/bilingual/stacked.to-ass-translation.ass",
		"fixtures/bilingual/double-stray.srt",
		"fixtures/bilingual/marked.srt",
		"fixtures/bilingual/marked.vtt",
		"fixtures/bilingual/marked-translation-first.srt",
		"fixtures/bilingual/marked-few.srt",
		"fixtures/align/cli/podcast.out.srt",
		"fixtures/align/cli/podcast.merge.vtt",
		"fixtures/align/corpus/polyu_comp5521_lecture1/zh-CN-dual-double.srt",
		"fixtures/align/corpus/polyu_comp5521_lecture2/zh-CN-dual-double.srt",
		"fixtures/fit/lecture.in.srt",
		"fixtures/fit/lecture.netflix.srt",
		"fixtures/fit/lecture.netflix.vtt",
		"fixtures/fit/lecture.zh-first.ass",
		"fixtures/fit/podcast.in.srt",
		"fixtures/fit/podcast.netflix.srt",
		"fixtures/fit/podcast.netflix.vtt",
		"fixtures/fit/podcast.netflix.ass",
		"fixtures/fit/podcast.bbc.srt",
	};
	for (size_t k = 0; k < sizeof files / sizeof *files; k++)
		round_trip_file(files[k]);
}

/* tandem's own files read back to what made them, and are written back byte for byte. */
static void test_marked_fixture(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/fixtures/bilingual/marked.srt", harness_src_dir());
	size_t len;
	char *text = harness_slurp(path, &len);
	OK(text != NULL, "%s", path);
	if (!text)
		return;
	tandem_doc *d = read_as(text, "marked.srt", "srt", NULL);
	if (d) {
		STR_EQ(tandem_seg_translation(d, 0), "Mythos", "cue 1");
		STR_EQ(tandem_seg_translation(d, 2), "OK", "cue 3");
		STR_EQ(tandem_seg_speaker(d, 2), "Anna", "cue 3's speaker");
		STR_EQ(tandem_seg_translation(d, 3), "42", "cue 4");
		STR_EQ(tandem_seg_text(d, 6), "你好，欢迎收听。", "cue 7: the Chinese stays the text");
		STR_EQ(tandem_seg_translation(d, 6), "Hello, and welcome.", "cue 7");
		STR_EQ(tandem_seg_text(d, 7), "", "cue 8: no text");
		STR_EQ(tandem_seg_translation(d, 7), "只有翻译。", "cue 8");
		OK(tandem_seg_translation(d, 8) == NULL, "cue 9 has none");
		char *again = write_as(d, "srt", false);
		STR_EQ(again, text, "written back byte for byte");
		free(again);
	}
	tandem_doc_free(d);
	free(text);
}

/* Doubled cues with one pair holding the same English twice. */
static void test_echo(void)
{
	tandem__buf diags = TANDEM_BUF_INIT;
	tandem_doc *d = read_as("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n"
	                        "1\n00:00:01,000 --> 00:00:02,000\n你好。\n\n"
	                        "2\n00:00:02,000 --> 00:00:03,000\nNot translated here.\n\n"
	                        "2\n00:00:02,000 --> 00:00:03,000\nNot translated here.\n\n"
	                        "3\n00:00:03,000 --> 00:00:04,000\nGoodbye.\n\n"
	                        "3\n00:00:03,000 --> 00:00:04,000\n再见。\n\n",
	                        "echo.srt", "srt", &diags);
	if (d) {
		INT_EQ(tandem_doc_count(d), 3, "the echoed pair folds into one cue");
		STR_EQ(tandem_seg_translation(d, 1), "Not translated here.",
		       "its translation repeats its text");
	}
	OK(!strstr(diags.ptr, "bilingual-unpaired"), "no 'no same-timed partner': %s", diags.ptr);
	OK(strstr(diags.ptr, "echo.srt:9:1: info: folded 1 same-timed pair(s) whose two cues hold "
	                     "the same text") != NULL,
	   "said, at the pair: %s", diags.ptr);
	tandem_doc_free(d);
	tandem__buf_free(&diags);

	/* One repeated cue in an English file is no layout: two cues, as read. */
	d = read_as("1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n"
	            "2\n00:00:01,000 --> 00:00:02,000\nHello.\n\n"
	            "3\n00:00:03,000 --> 00:00:04,000\nGoodbye.\n\n",
	            "mono.srt", "srt", NULL);
	if (d) {
		INT_EQ(tandem_doc_count(d), 3, "monolingual: the repeat stays");
		OK(tandem_seg_translation(d, 0) == NULL, "and has no translation");
	}
	tandem_doc_free(d);

	/* Lecture 2 of the corpus, upstream cue 221. */
	char path[1024];
	snprintf(path, sizeof path,
	         "%s/fixtures/align/corpus/polyu_comp5521_lecture2/zh-CN-dual-double.srt",
	         harness_src_dir());
	size_t len;
	char *text = harness_slurp(path, &len);
	OK(text != NULL, "%s", path);
	tandem__buf ld = TANDEM_BUF_INIT;
	tandem_doc *l2 = text ? read_as(text, "l2.srt", "srt", &ld) : NULL;
	if (l2) {
		INT_EQ(tandem_doc_count(l2), 328, "lecture 2: 328 cues");
		size_t k = 0;
		while (k < tandem_doc_count(l2) && !same_str(tandem_seg_id(l2, k), "221"))
			k++;
		OK(k < tandem_doc_count(l2), "cue 221 found");
		if (k < tandem_doc_count(l2))
			STR_EQ(tandem_seg_translation(l2, k), tandem_seg_text(l2, k),
			       "cue 221: one cue, its English as the translation");
		OK(!strstr(ld.ptr, "bilingual-unpaired"), "no unpaired warning: %s", ld.ptr);
		OK(strstr(ld.ptr, "l2.srt:1761:1: info: folded 1 same-timed pair(s)") != NULL,
		   "the echo is said: %s", ld.ptr);
	}
	tandem_doc_free(l2);
	tandem__buf_free(&ld);
	free(text);
}

int main(void)
{
	test_mark_bytes();
	test_mark_cases();
	test_few_translated();
	test_fixtures();
	test_marked_fixture();
	test_echo();
	return harness_done();
}
