/*
 * test_check.c - every rule of the checker: it fires when it should (with
 * the segment, line and message it should) and is silent when it should
 * not; the profiles' published numbers; overrides by key and from YAML; the
 * summary's coverage figures.
 */
#include "harness.h"
#include "tandem.h"

#include <stdbool.h>
#include <stdint.h>

#define MAXF 256

typedef struct sink {
	int n;
	char rule[MAXF][40];
	char msg[MAXF][400];
	long seg[MAXF];
	size_t line[MAXF], line2[MAXF];
	tandem_severity sev[MAXF];
	char file[MAXF][64];
} sink;

static void collect(const tandem_diag *d, void *user)
{
	sink *s = user;
	if (s->n == MAXF)
		return;
	snprintf(s->rule[s->n], sizeof s->rule[0], "%s", d->rule ? d->rule : "");
	snprintf(s->msg[s->n], sizeof s->msg[0], "%s", d->message);
	snprintf(s->file[s->n], sizeof s->file[0], "%s", d->file ? d->file : "");
	s->seg[s->n] = d->segment;
	s->line[s->n] = d->line;
	s->line2[s->n] = d->line2;
	s->sev[s->n] = d->severity;
	s->n++;
}

/* How many findings of a rule; *first gets the index of the first. */
static int count(const sink *s, const char *rule, int *first)
{
	int n = 0;
	for (int k = 0; k < s->n; k++)
		if (strcmp(s->rule[k], rule) == 0) {
			if (!n && first)
				*first = k;
			n++;
		}
	return n;
}

static tandem_check_summary sum;

static void run(const tandem_doc *doc, const tandem_check_rules *r, int64_t media, sink *s)
{
	memset(s, 0, sizeof *s);
	tandem_check_opts o;
	tandem_check_opts_init(&o);
	o.filename = "t.srt";
	o.rules = r;
	o.media_ms = media;
	o.diag = collect;
	o.diag_user = s;
	INT_EQ(tandem_check_run(doc, &o, &sum), 0, "tandem_check_run");
}

/* A rule fires exactly `want` times, the first on segment `seg`. */
#define FIRES(s, rule, want, seg_)                                                      \
	do {                                                                                \
		int f_ = -1, n_ = count(s, rule, &f_);                                          \
		INT_EQ(n_, want, rule " count");                                                \
		if (n_ && (seg_) != -2)                                                         \
			INT_EQ((s)->seg[f_], seg_, rule " segment");                               \
	} while (0)
#define SILENT(s, rule) INT_EQ(count(s, rule, NULL), 0, rule " silent")

static const char *msg_of(const sink *s, const char *rule)
{
	int f = -1;
	return count(s, rule, &f) ? s->msg[f] : "";
}

/* Ten ordinary English/Chinese pairs, untimed, for the coverage rules. */
static tandem_doc *pairs(void)
{
	static const char *const en[] = {
		"Good morning, everyone.", "Today we talk about subtitles.",
		"They must be easy to read.", "Each line has a limit.",
		"Reading speed matters too.", "Some viewers read slowly.",
		"Others read very quickly.", "A good file suits both.",
		"We check every cue.", "Then we ship the file.",
	};
	static const char *const zh[] = {
		"大家早上好。", "今天我们来谈谈字幕。", "字幕必须易于阅读。", "每一行都有长度限制。",
		"阅读速度也很重要。", "有些观众读得很慢。", "另一些人读得很快。", "好的文件适合两者。",
		"我们检查每一条字幕。", "然后我们发布文件。",
	};
	tandem_doc *d = tandem_doc_new();
	for (size_t i = 0; i < 10; i++)
		tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, en[i], zh[i]);
	return d;
}

static void test_missing_and_empty(void)
{
	sink s;
	tandem_doc *d = pairs();
	run(d, NULL, TANDEM_NO_TIME, &s);
	INT_EQ(s.n, 0, "clean pairs: no findings");
	INT_EQ(sum.translated, 10, "all translated");
	OK(sum.segments_pct == 100.0 && sum.chars_pct == 100.0, "coverage %g %g", sum.segments_pct,
	   sum.chars_pct);

	tandem_seg_set_translation(d, 3, NULL);
	tandem_seg_set_translation(d, 6, "   ");
	run(d, NULL, TANDEM_NO_TIME, &s);
	FIRES(&s, "missing-translation", 2, 3);
	INT_EQ(s.sev[0], TANDEM_ERROR, "missing translation is an error");
	STR_EQ(s.msg[0], "segment 4 has no translation", "message");
	STR_EQ(s.msg[1], "segment 7: the translation is empty", "empty translation message");
	INT_EQ(sum.errors, 2, "summary errors");
	INT_EQ(sum.translated, 8, "translated");
	OK(sum.segments_pct > 79.99 && sum.segments_pct < 80.01, "80%% of segments: %g",
	   sum.segments_pct);
	/* "Each line has a limit." is 22 graphemes, "Others read very quickly." 25, of 241. */
	INT_EQ(sum.chars, 241, "source characters");
	INT_EQ(sum.chars_translated, 241 - 22 - 25, "translated characters");

	tandem_seg_set_text(d, 0, "");
	run(d, NULL, TANDEM_NO_TIME, &s);
	FIRES(&s, "empty-text", 1, 0);
	STR_EQ(msg_of(&s, "empty-text"), "segment 1 has a translation but no source text", "msg");
	tandem_doc_free(d);

	/* A monolingual document has nothing to translate. */
	d = tandem_doc_new();
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "Just English.", NULL);
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "", NULL);
	run(d, NULL, TANDEM_NO_TIME, &s);
	SILENT(&s, "missing-translation");
	FIRES(&s, "empty-text", 1, 1);
	STR_EQ(msg_of(&s, "empty-text"), "segment 2 is empty", "msg");
	INT_EQ(sum.bilingual, 0, "not bilingual");
	OK(sum.segments_pct < 0, "no coverage figure for a monolingual document");
	tandem_doc_free(d);
}

static void test_identical_and_script(void)
{
	sink s;
	tandem_doc *d = pairs();
	tandem_seg_set_translation(d, 2, "They must be easy to READ.");
	tandem_seg_set_text(d, 5, "Krishna Rao");
	tandem_seg_set_translation(d, 5, "Krishna Rao");
	tandem_seg_set_text(d, 7, "OK.");
	tandem_seg_set_translation(d, 7, "OK.");
	run(d, NULL, TANDEM_NO_TIME, &s);
	FIRES(&s, "identical-translation", 1, 2);
	/* The identical one is not also reported as being in the wrong script. */
	SILENT(&s, "wrong-script");
	tandem_doc_free(d);

	d = pairs();
	tandem_seg_set_translation(d, 4, "Reading speed is important too.");
	/* Latin names inside Chinese are still Chinese. */
	tandem_seg_set_translation(d, 8, "OpenAI、Cursor、Anthropic 和 Vercel 都在用。");
	tandem_seg_set_text(d, 8, "OpenAI, Cursor, Anthropic and Vercel all use it.");
	run(d, NULL, TANDEM_NO_TIME, &s);
	FIRES(&s, "wrong-script", 1, 4);
	STR_EQ(msg_of(&s, "wrong-script"),
	       "the translation is in latin script; this document translates into cjk", "msg");
	tandem_seg_set_text(d, 4, "阅读速度也很重要。");
	tandem_seg_set_translation(d, 4, "阅读速度也很重要!");
	run(d, NULL, TANDEM_NO_TIME, &s);
	FIRES(&s, "wrong-script", 1, 4);
	STR_EQ(msg_of(&s, "wrong-script"),
	       "the source text is in cjk script; this document's source is latin", "msg");
	tandem_doc_free(d);
}

static void pair_case(const char *en, const char *zh, const char *rule, int want,
                      const char *msg)
{
	sink s;
	tandem_doc *d = pairs();
	tandem_seg_set_text(d, 0, en);
	tandem_seg_set_translation(d, 0, zh);
	run(d, NULL, TANDEM_NO_TIME, &s);
	char what[300];
	snprintf(what, sizeof what, "%s: '%s' / '%s'", rule, en, zh);
	INT_EQ(count(&s, rule, NULL), want, what);
	if (msg)
		STR_EQ(msg_of(&s, rule), msg, what);
	tandem_doc_free(d);
}

static void test_tokens(void)
{
	pair_case("In 2024 we had 35 staff.", "2023年我们有35名员工。", "number-mismatch", 2, NULL);
	pair_case("In 2024 we had 35 staff.", "2023年我们有35名员工。", "number-mismatch", 2, NULL);
	pair_case("In 2024 we shipped 35 languages.", "我们在去年发布了多种语言。", "number-mismatch", 1,
	          "numbers 2024, 35 in the source are not in the translation");
	pair_case("We signed a 5 gigawatt deal.", "我们签了一份协议。", "number-mismatch", 0, NULL);
	/* Scale words move the digits, not the significant ones. */
	pair_case("A $100 billion commitment.", "一项1000亿美元的承诺。", "number-mismatch", 0, NULL);
	pair_case("About 1.5 million users.", "大约150万用户。", "number-mismatch", 0, NULL);
	pair_case("Close to a billion dollars.", "接近10亿美元。", "number-mismatch", 0, NULL);
	pair_case("The first 20 to 30 employees.", "最早的二三十名员工。", "number-mismatch", 0, NULL);
	pair_case("Open twenty-four hours.", "24小时营业。", "number-mismatch", 0, NULL);
	pair_case("About 250 million in revenue.", "大约2.5亿美元的收入。", "number-mismatch", 0, NULL);
	pair_case("It cost 1,000 dollars.", "花了一千美元。", "number-mismatch", 0, NULL);
	pair_case("In the year 2027.", "在二〇二七年。", "number-mismatch", 0, NULL);
	pair_case("Room 42, floor 7.", "七楼四十三号房间。", "number-mismatch", 1,
	          "number 42 in the source is not in the translation");

	pair_case("See https://example.com/a for more.", "更多内容见 example.org。", "url-mismatch", 1,
	          "https://example.com/a in the source is not in the translation");
	pair_case("See https://example.com/a for more.", "更多内容见 https://www.example.com/a/。",
	          "url-mismatch", 0, NULL);
	pair_case("Write to team@example.com today.", "今天就写信给我们。", "url-mismatch", 1,
	          "team@example.com in the source is not in the translation");
	pair_case("Learn more at rogo.ai/felix.", "了解更多请访问 rogo.ai/felix。", "url-mismatch", 0,
	          NULL);

	pair_case("We use the chips.", "我们使用 TPU 芯片。", "name-mismatch", 1,
	          "TPU in the translation is not in the source");
	pair_case("Google's TPUs and Nvidia's GPUs.", "Google 的 TPU 和 Nvidia 的 GPU。",
	          "name-mismatch", 0, NULL);
	pair_case("Opus 4.5 processes tokens.", "Opus 4.5 处理 token。", "name-mismatch", 0, NULL);
}

static void test_length_ratio(void)
{
	sink s;
	tandem_doc *d = pairs();
	run(d, NULL, TANDEM_NO_TIME, &s);
	SILENT(&s, "length-ratio");
	tandem_seg_set_translation(d, 5, "有些观众读得很慢,尤其是在看一部节奏很快、对白很多、而且画面里同时还有大量需要注意的"
	                                 "细节的电影的时候,他们常常来不及读完。");
	run(d, NULL, TANDEM_NO_TIME, &s);
	FIRES(&s, "length-ratio", 1, 5);
	OK(strstr(msg_of(&s, "length-ratio"), "translation is unusually long for its source") != NULL,
	   "msg %s", msg_of(&s, "length-ratio"));
	tandem_seg_set_translation(d, 5, "慢。");
	run(d, NULL, TANDEM_NO_TIME, &s);
	FIRES(&s, "length-ratio", 1, 5);
	/* Fewer than 8 pairs make no statistics. */
	tandem_doc_remove(d, 6, 4);
	run(d, NULL, TANDEM_NO_TIME, &s);
	SILENT(&s, "length-ratio");
	tandem_doc_free(d);
}

/* A timed document of n cues, 3 s apart, 2 s long. */
static tandem_doc *cues(size_t n, const char *text)
{
	tandem_doc *d = tandem_doc_new();
	for (size_t i = 0; i < n; i++)
		tandem_doc_add(d, (int64_t)i * 3000, (int64_t)i * 3000 + 2000, text, NULL);
	return d;
}

static void test_timing(void)
{
	sink s;
	tandem_check_rules *nf = tandem_check_rules_new("netflix");
	tandem_doc *d = cues(5, "Short line.");
	run(d, nf, TANDEM_NO_TIME, &s);
	INT_EQ(s.n, 0, "clean cues");
	INT_EQ(sum.timed, 5, "timed");
	INT_EQ(sum.first_ms, 0, "first");
	INT_EQ(sum.last_ms, 14000, "last");

	tandem_seg_set_times(d, 2, 5000, 6000);   /* starts before cue 1 (3000-5000) ends? no: at its end */
	run(d, nf, TANDEM_NO_TIME, &s);
	SILENT(&s, "overlap");
	FIRES(&s, "min-gap", 1, 2);
	STR_EQ(msg_of(&s, "min-gap"), "gap of 0 ms after the previous cue (minimum 83 ms)", "msg");
	tandem_seg_set_times(d, 2, 4500, 6000);
	run(d, nf, TANDEM_NO_TIME, &s);
	FIRES(&s, "overlap", 1, 2);
	STR_EQ(msg_of(&s, "overlap"), "cue starts at 4.500 s, 0.500 s before the cue of segment 2 ends",
	       "msg");
	tandem_seg_set_times(d, 2, 5083, 6000);
	run(d, nf, TANDEM_NO_TIME, &s);
	SILENT(&s, "min-gap");
	tandem_seg_set_times(d, 2, 5050, 6000);
	run(d, NULL, TANDEM_NO_TIME, &s);
	SILENT(&s, "min-gap");   /* the default profile has no gap rule */
	tandem_seg_set_times(d, 2, 2000, 2500);
	run(d, nf, TANDEM_NO_TIME, &s);
	FIRES(&s, "out-of-order", 1, 2);
	SILENT(&s, "overlap");
	tandem_doc_free(d);

	d = cues(4, "Short line.");
	tandem_seg_set_times(d, 1, 3000, 3000);
	tandem_seg_set_times(d, 2, 6000, 5000);
	run(d, nf, TANDEM_NO_TIME, &s);
	FIRES(&s, "zero-duration", 1, 1);
	FIRES(&s, "negative-duration", 1, 2);
	int f = -1;
	count(&s, "negative-duration", &f);
	INT_EQ(s.sev[f], TANDEM_ERROR, "negative duration is an error");
	SILENT(&s, "too-short");
	tandem_seg_set_times(d, 1, 3000, 3832);
	tandem_seg_set_times(d, 2, 6000, 13001);
	run(d, nf, TANDEM_NO_TIME, &s);
	FIRES(&s, "too-short", 1, 1);
	FIRES(&s, "too-long", 1, 2);
	STR_EQ(msg_of(&s, "too-short"), "cue is on screen for 0.832 s (minimum 0.833 s)", "msg");
	tandem_seg_set_times(d, 1, 3000, 3833);
	tandem_seg_set_times(d, 2, 6000, 13000);
	run(d, nf, TANDEM_NO_TIME, &s);
	SILENT(&s, "too-short");
	SILENT(&s, "too-long");
	tandem_doc_free(d);
	tandem_check_rules_free(nf);
}

static void test_display(void)
{
	sink s;
	tandem_check_rules *nf = tandem_check_rules_new("netflix");
	/* 42 characters in 2.1 s: 20.0 cps, the limit; 43 is over both limits. */
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 0, 2100, "abcdefghij abcdefghij abcdefghij abcdefghi", NULL);
	tandem_doc_add(d, 3000, 5000, "abcdefghij abcdefghij abcdefghij abcdefghij", NULL);
	tandem_doc_add(d, 6000, 9000, "one\ntwo\nthree", NULL);
	tandem_doc_add(d, 10000, 13000, "one\ntwo", NULL);
	run(d, nf, TANDEM_NO_TIME, &s);
	FIRES(&s, "line-length", 1, 1);
	STR_EQ(msg_of(&s, "line-length"), "line 1 of the text has 43 characters (limit 42 for en)",
	       "msg");
	FIRES(&s, "reading-speed", 1, 1);
	STR_EQ(msg_of(&s, "reading-speed"),
	       "text reads at 21.5 characters a second (limit 20 for en): 43 characters in 2.000 s",
	       "msg");
	FIRES(&s, "too-many-lines", 1, 2);
	STR_EQ(msg_of(&s, "too-many-lines"), "text has 3 lines (limit 2)", "msg");
	tandem_doc_free(d);

	/* Chinese: 16 characters a line and 9 cps; a character is one, however wide. */
	d = tandem_doc_new();
	tandem_doc_add(d, 0, 2000, "Sixteen is fine.", "一二三四五六七八九十一二三四五六");
	tandem_doc_add(d, 3000, 5000, "Seventeen is not.", "一二三四五六七八九十一二三四五六七");
	tandem_doc_add(d, 6000, 7000, "Nine a second.", "一二三四五六七八九");
	tandem_doc_add(d, 8000, 9000, "Ten a second.", "一二三四五六七八九十");
	run(d, nf, TANDEM_NO_TIME, &s);
	FIRES(&s, "line-length", 1, 1);
	STR_EQ(msg_of(&s, "line-length"),
	       "line 1 of the translation has 17 characters (limit 16 for zh)", "msg");
	int first = -1;
	INT_EQ(count(&s, "reading-speed", &first), 1, "reading speed zh");
	INT_EQ(s.seg[first], 3, "ten a second");
	STR_EQ(s.msg[first],
	       "translation reads at 10.0 characters a second (limit 9 for zh): 10 characters in 1.000 s",
	       "msg");
	/* The peak is over both sides: "Nine a second." is 14 characters in 1 s. */
	OK(sum.max_cps > 13.99 && sum.max_cps < 14.01 && sum.max_cps_segment == 2, "max cps %g at %zu",
	   sum.max_cps, sum.max_cps_segment);
	tandem_doc_free(d);

	/* Columns, when asked: sixteen Chinese characters are 32 columns wide. */
	tandem_check_rules *cols = tandem_check_rules_new("netflix");
	INT_EQ(tandem_check_rules_set(cols, "zh.line_width", "30"), 0, "zh.line_width");
	d = tandem_doc_new();
	tandem_doc_add(d, 0, 2000, "Sixteen is wide.", "一二三四五六七八九十一二三四五六");
	tandem_doc_add(d, 3000, 5000, "Fifteen fits.", "一二三四五六七八九十一二三四五");
	run(d, cols, TANDEM_NO_TIME, &s);
	FIRES(&s, "line-length", 1, 0);
	STR_EQ(msg_of(&s, "line-length"),
	       "line 1 of the translation is 32 columns wide (limit 30 for zh)", "msg");
	tandem_doc_free(d);
	tandem_check_rules_free(cols);

	/* Graphemes, not code points: e + combining acute is one character. */
	d = tandem_doc_new();
	tandem_doc_add(d, 0, 5000,
	               "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81"
	               "abcdefghij abcdefghij abcdefghij abcd", NULL);
	run(d, nf, TANDEM_NO_TIME, &s);
	SILENT(&s, "line-length");
	tandem_doc_free(d);

	/* BBC: words a minute. */
	tandem_check_rules *bbc = tandem_check_rules_new("bbc");
	d = tandem_doc_new();
	tandem_doc_add(d, 0, 3000, "one two three four five six seven eight nine", NULL);
	tandem_doc_add(d, 4000, 7000, "one two three four five six seven eight nine ten", NULL);
	run(d, bbc, TANDEM_NO_TIME, &s);
	FIRES(&s, "reading-speed", 1, 1);
	STR_EQ(msg_of(&s, "reading-speed"),
	       "text reads at 200 words a minute (limit 180 for en): 10 words in 3.000 s", "msg");
	tandem_doc_free(d);
	tandem_check_rules_free(bbc);

	/* Untimed documents skip the timing and display rules. */
	d = tandem_doc_new();
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME,
	               "A very long transcript paragraph that no subtitle would ever hold on one line.\n"
	               "with\nmany\nlines", NULL);
	run(d, nf, TANDEM_NO_TIME, &s);
	INT_EQ(s.n, 0, "untimed: no findings");
	INT_EQ(sum.timed, 0, "untimed");
	tandem_doc_free(d);
	tandem_check_rules_free(nf);
}

static void test_media(void)
{
	sink s;
	tandem_doc *d = cues(4, "Line.");   /* 0-2, 3-5, 6-8, 9-11 s */
	run(d, NULL, 11250, &s);
	SILENT(&s, "past-media-end");
	OK(sum.media_pct > 71.1 && sum.media_pct < 71.2, "8 of 11.25 s covered: %g", sum.media_pct);
	run(d, NULL, 10749, &s);
	FIRES(&s, "past-media-end", 1, 3);
	INT_EQ(s.sev[0], TANDEM_ERROR, "past the end is an error");
	STR_EQ(s.msg[0], "cue ends at 11.000 s, 0.251 s after the media ends (10.749 s)", "msg");
	run(d, NULL, 8500, &s);
	FIRES(&s, "past-media-end", 1, 3);
	STR_EQ(s.msg[0], "cue starts at 9.000 s, 0.500 s after the media ends (8.500 s)", "msg");
	tandem_check_rules *r = tandem_check_rules_new(NULL);
	INT_EQ(tandem_check_rules_set(r, "media_tolerance", "3000"), 0, "tolerance");
	run(d, r, 8500, &s);
	SILENT(&s, "past-media-end");
	/* 8 s of cues in 100 s of media. */
	run(d, r, 100000, &s);
	FIRES(&s, "media-coverage", 1, -1);
	STR_EQ(msg_of(&s, "media-coverage"),
	       "the cues cover 8.0% of the media (8.000 s of 0:01:40.000; minimum 10%)", "msg");
	run(d, r, 70000, &s);
	SILENT(&s, "media-coverage");

	/* Claimed duration against the media, then against the last cue. */
	tandem_doc_set_claimed_duration(d, 82 * 60000);
	run(d, r, 75 * 60000, &s);
	FIRES(&s, "duration-claim", 1, -1);
	STR_EQ(msg_of(&s, "duration-claim"),
	       "the document claims a duration of 1:22:00.000 but the media lasts 1:15:00.000 "
	       "(0:07:00.000 longer)", "msg");
	run(d, r, 81 * 60000 + 30000, &s);
	SILENT(&s, "duration-claim");
	INT_EQ(sum.claimed_ms, 82 * 60000, "claimed in summary");
	run(d, r, TANDEM_NO_TIME, &s);
	FIRES(&s, "duration-claim", 1, -1);
	STR_EQ(msg_of(&s, "duration-claim"),
	       "the document claims a duration of 1:22:00.000 but its last cue ends at 11.000 s", "msg");
	tandem_doc_set_claimed_duration(d, 40000);
	run(d, r, TANDEM_NO_TIME, &s);
	SILENT(&s, "duration-claim");
	tandem_check_rules_free(r);
	tandem_doc_free(d);
}

static void test_translation_doc(void)
{
	sink s;
	tandem_doc *src = cues(3, "English line here.");
	tandem_doc *tr = tandem_doc_new();
	tandem_doc_add(tr, 0, 1000, "第一", NULL);
	tandem_doc_add(tr, 1000, 2000, "部分。", NULL);
	tandem_doc_add(tr, 6000, 8000, "第三行。", NULL);
	tandem_doc_add(tr, 20000, 21000, "多余的。", NULL);
	tandem_check_opts o;
	tandem_check_opts_init(&o);
	o.filename = "en.srt";
	o.translation = tr;
	o.translation_filename = "zh.srt";
	o.diag = collect;
	o.diag_user = &s;
	memset(&s, 0, sizeof s);
	INT_EQ(tandem_check_run(src, &o, &sum), 0, "run");
	FIRES(&s, "missing-translation", 1, 1);
	FIRES(&s, "extra-translation", 1, -1);
	int f = -1;
	count(&s, "extra-translation", &f);
	STR_EQ(s.file[f], "zh.srt", "extra translation is reported in the translation's file");
	STR_EQ(s.msg[f], "translation cue 4 overlaps no source cue", "msg");
	INT_EQ(sum.translated, 2, "two paired");
	tandem_doc_free(tr);

	/* Untimed: by index. */
	tr = tandem_doc_new();
	for (int i = 0; i < 4; i++)
		tandem_doc_add(tr, TANDEM_NO_TIME, TANDEM_NO_TIME, "翻译。", NULL);
	o.translation = tr;
	memset(&s, 0, sizeof s);
	INT_EQ(tandem_check_run(src, &o, &sum), 0, "run");
	SILENT(&s, "missing-translation");
	FIRES(&s, "extra-translation", 1, -1);
	STR_EQ(msg_of(&s, "extra-translation"),
	       "translation segment 4 has no source segment (the source has 3)", "msg");
	tandem_doc_free(tr);
	tandem_doc_free(src);
}

static void test_rules(void)
{
	double v;
	tandem_check_rules *r = tandem_check_rules_new("netflix");
	static const struct {
		const char *key;
		double want;
	} nf[] = {
		{"min_duration", 833}, {"max_duration", 7000}, {"min_gap", 83}, {"max_lines", 2},
		{"fps", 24}, {"en.line_chars", 42}, {"en.cps", 20}, {"zh.line_chars", 16},
		{"zh.cps", 9}, {"zh-Hans.cps", -1}, {"media_tolerance", 250},
		{"claim_tolerance", 60000},
	};
	for (size_t k = 0; k < sizeof nf / sizeof *nf; k++) {
		int rc = tandem_check_rules_get(r, nf[k].key, &v);
		if (nf[k].want < 0) {
			INT_EQ(rc, TANDEM_EINVAL, nf[k].key);
			continue;
		}
		INT_EQ(rc, 0, nf[k].key);
		OK(v == nf[k].want, "netflix %s = %g, want %g", nf[k].key, v, nf[k].want);
	}
	INT_EQ(tandem_check_rules_set(r, "fps", "25"), 0, "fps");
	INT_EQ(tandem_check_rules_get(r, "min_gap", &v), 0, "min_gap");
	OK(v == 80, "2 frames at 25 fps = 80 ms, got %g", v);
	INT_EQ(tandem_check_rules_set(r, "min_gap", "120"), 0, "min_gap");
	INT_EQ(tandem_check_rules_set(r, "fps", "30"), 0, "fps");
	tandem_check_rules_get(r, "min_gap", &v);
	OK(v == 120, "a gap in ms stays put when fps changes: %g", v);
	INT_EQ(tandem_check_rules_set(r, "no_such_key", "1"), TANDEM_EINVAL, "unknown key");
	INT_EQ(tandem_check_rules_set(r, "min_gap", "-3"), TANDEM_EINVAL, "negative");
	INT_EQ(tandem_check_rules_set(r, "min_gap", "abc"), TANDEM_EINVAL, "not a number");
	INT_EQ(tandem_check_rules_set(r, "overlap", "loud"), TANDEM_EINVAL, "bad severity");
	INT_EQ(tandem_check_rules_set(r, "fr.cps", "17"), 0, "new language");
	tandem_check_rules_get(r, "fr.cps", &v);
	OK(v == 17, "fr.cps %g", v);
	tandem_check_rules_free(r);

	r = tandem_check_rules_new("BBC");
	OK(r != NULL, "profile names ignore case");
	tandem_check_rules_get(r, "en.line_chars", &v);
	OK(v == 37, "bbc line %g", v);
	tandem_check_rules_get(r, "en.wpm", &v);
	OK(v == 180, "bbc wpm %g", v);
	tandem_check_rules_get(r, "max_lines", &v);
	OK(v == 2, "bbc lines %g", v);
	tandem_check_rules_free(r);
	OK(tandem_check_rules_new("hbo") == NULL, "unknown profile");
	STR_EQ(tandem_check_profile_name(1), "netflix", "profile list");
	OK(tandem_check_profile_name(3) == NULL, "three profiles");

	/* The ids the issue promises, with their severities. */
	static const char *const promised[] = {"missing-translation", "past-media-end",
	                                       "duration-claim", "overlap", "reading-speed",
	                                       "line-length"};
	for (size_t k = 0; k < 6; k++) {
		bool found = false;
		tandem_severity sev;
		for (size_t i = 0; tandem_check_rule_id(i, NULL, NULL); i++)
			if (strcmp(tandem_check_rule_id(i, &sev, NULL), promised[k]) == 0) {
				found = true;
				if (k < 2)
					INT_EQ(sev, TANDEM_ERROR, promised[k]);
			}
		OK(found, "rule %s exists", promised[k]);
	}

	/* Severity overrides change and silence findings. */
	sink s;
	tandem_doc *d = cues(3, "Line.");
	tandem_seg_set_times(d, 1, 1500, 4000);
	r = tandem_check_rules_new(NULL);
	tandem_check_rules_set(r, "overlap", "error");
	run(d, r, TANDEM_NO_TIME, &s);
	FIRES(&s, "overlap", 1, 1);
	INT_EQ(s.sev[0], TANDEM_ERROR, "overlap raised to error");
	INT_EQ(sum.errors, 1, "counted as an error");
	tandem_check_rules_set(r, "overlap", "off");
	run(d, r, TANDEM_NO_TIME, &s);
	SILENT(&s, "overlap");
	tandem_check_rules_free(r);
	tandem_doc_free(d);
}

static void test_yaml(void)
{
	sink s;
	memset(&s, 0, sizeof s);
	tandem_check_rules *r = tandem_check_rules_new(NULL);
	int rc = tandem_check_rules_load(r, TANDEM_SOURCE_DIR "/fixtures/check/rules.yaml", collect,
	                                 &s);
	INT_EQ(rc, 0, "rules.yaml loads");
	INT_EQ(s.n, 0, "no diagnostics");
	double v;
	static const struct {
		const char *key;
		double want;
	} want[] = {
		{"min_duration", 833},   /* from profile: netflix */
		{"max_duration", 6000},  /* overridden */
		{"min_gap", 80},         /* 2 frames at 25 fps */
		{"zh.cps", 11}, {"zh.line_chars", 16}, {"en.line_chars", 40}, {"de.cps", 17},
		{"identical-translation", -1}, {"overlap", TANDEM_ERROR},
	};
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		INT_EQ(tandem_check_rules_get(r, want[k].key, &v), 0, want[k].key);
		OK(v == want[k].want, "%s = %g, want %g", want[k].key, v, want[k].want);
	}
	tandem_check_rules_free(r);

	memset(&s, 0, sizeof s);
	r = tandem_check_rules_new(NULL);
	rc = tandem_check_rules_load(r, TANDEM_SOURCE_DIR "/fixtures/check/bad-rules.yaml", collect,
	                             &s);
	INT_EQ(rc, TANDEM_EPARSE, "bad-rules.yaml fails");
	INT_EQ(s.n, 4, "four problems");
	STR_EQ(s.rule[0], "check-config", "rule");
	INT_EQ(s.line[0], 3, "line of the unknown setting");
	STR_EQ(s.msg[0], "unknown setting 'max_durration'", "msg");
	INT_EQ(s.line[1], 4, "line of the bad number");
	STR_EQ(s.msg[1], "'min_gap' takes a number (0 or more), not 'short'", "msg");
	STR_EQ(s.msg[2], "unknown language setting 'speed' (line_chars, line_width, cps, wpm)", "msg");
	INT_EQ(s.line[3], 9, "line of the bad severity");
	STR_EQ(s.msg[3], "'overlap' takes off, info, warning or error, not 'sometimes'", "msg");
	tandem_check_rules_free(r);

	memset(&s, 0, sizeof s);
	r = tandem_check_rules_new(NULL);
	rc = tandem_check_rules_load(r, TANDEM_SOURCE_DIR "/fixtures/check/broken.yaml", collect, &s);
	INT_EQ(rc, TANDEM_EPARSE, "broken YAML");
	INT_EQ(s.n, 1, "one diagnostic");
	/* The flow sequence opened on line 3 is still open at the end, line 4. */
	OK(s.line[0] == 4 && strstr(s.msg[0], "YAML: ") == s.msg[0], "positioned YAML error %zu %s",
	   s.line[0], s.msg[0]);
	memset(&s, 0, sizeof s);
	rc = tandem_check_rules_load(r, TANDEM_SOURCE_DIR "/fixtures/check/missing.yaml", collect, &s);
	INT_EQ(rc, TANDEM_EIO, "missing file");
	tandem_check_rules_free(r);
}

/* Findings carry the input's line numbers. */
static void test_lines(void)
{
	static const char srt[] = "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n"
	                          "2\n00:00:01,500 --> 00:00:03,000\nOverlapping cue.\n";
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "srt";
	tandem_doc *d = NULL;
	if (!tandem_format_can_read("srt")) {
		OK(1, "no SRT reader yet");
		return;
	}
	INT_EQ(tandem_doc_read(&d, srt, sizeof srt - 1, &ro), 0, "read srt");
	sink s;
	run(d, NULL, TANDEM_NO_TIME, &s);
	int f = -1;
	INT_EQ(count(&s, "overlap", &f), 1, "overlap");
	INT_EQ(s.line[f], 5, "at the second cue's line");
	INT_EQ(s.line2[f], 1, "pointing back to the first");
	STR_EQ(s.file[f], "t.srt", "file");
	tandem_doc_free(d);
}

int main(void)
{
	test_missing_and_empty();
	test_identical_and_script();
	test_tokens();
	test_length_ratio();
	test_timing();
	test_display();
	test_media();
	test_translation_doc();
	test_rules();
	test_yaml();
	test_lines();
	OK(tandem_check_run(NULL, NULL, NULL) == TANDEM_EINVAL, "NULL document");
	return harness_done();
}
