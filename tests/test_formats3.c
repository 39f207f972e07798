/*
 * test_formats3.c - Markdown, ASS, plain lines and the bilingual layouts
 * (doubled cues folded, stacked cues split), plus the golden files of every
 * format pair the transcript, post, md and ass formats take part in, and
 * same-format round trips of their fixtures.
 *
 * Golden files are fixtures/<area>/<case>.to-<what>.<ext>.  They are
 * regenerated on purpose, never silently: TANDEM_REGEN=1 ./test_formats3.
 */
#include "harness.h"
#include "markdown.h"
#include "tandem.h"

#include <stdbool.h>

#define FIX TANDEM_SOURCE_DIR "/fixtures/"

typedef struct diags {
	char text[8192];
	size_t len;
} diags;

static void collect(const tandem_diag *d, void *user)
{
	diags *c = user;
	char line[1200];
	tandem_diag_format(d, line, sizeof line);
	int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s\n", line);
	if (n > 0 && (size_t)n < sizeof c->text - c->len)
		c->len += (size_t)n;
}

/* Read a fixture (format from its extension or content). */
static tandem_doc *load(const char *rel, const char *format, int strict, diags *c, int *rc)
{
	char path[512];
	snprintf(path, sizeof path, FIX "%s", rel);
	tandem_read_opts o;
	tandem_read_opts_init(&o);
	o.format = format;
	o.strict = strict;
	const char *slash = strrchr(rel, '/');
	o.filename = slash ? slash + 1 : rel;
	o.diag = c ? collect : NULL;
	o.diag_user = c;
	if (c) {
		c->len = 0;
		c->text[0] = '\0';
	}
	tandem_doc *doc = NULL;
	int r = tandem_doc_read_file(&doc, path, &o);
	if (rc)
		*rc = r;
	return doc;
}

static int read_mem(tandem_doc **doc, const char *s, const char *format, int strict, diags *c)
{
	tandem_read_opts o;
	tandem_read_opts_init(&o);
	o.filename = "m.txt";
	o.format = format;
	o.strict = strict;
	o.diag = c ? collect : NULL;
	o.diag_user = c;
	if (c) {
		c->len = 0;
		c->text[0] = '\0';
	}
	return tandem_doc_read(doc, s, strlen(s), &o);
}

static char *render(const tandem_doc *doc, const char *format, const tandem_write_opts *wo)
{
	char *out = NULL;
	size_t len;
	if (tandem_doc_write(doc, format, wo, &out, &len))
		return NULL;
	return out;
}

/* ---- Markdown ---- */

static void test_md(void)
{
	diags c;
	int rc;
	tandem_doc *doc = load("md/speakers.md", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "read speakers.md strictly");
	STR_EQ(c.text, "", "speakers.md: no diagnostics");
	INT_EQ(tandem_doc_count(doc), 4, "paragraphs");
	STR_EQ(tandem_doc_meta(doc, "format"), "md", "format by extension");
	STR_EQ(tandem_doc_meta(doc, "title"), "一次对话", "title from the first heading");
	STR_EQ(tandem_doc_meta(doc, "date"), "2024-07-04", "date from 发布时间");
	STR_EQ(tandem_doc_meta(doc, "source"), "https://example.com/a", "source from 原文链接");
	if (tandem_doc_count(doc) == 4) {
		STR_EQ(tandem_seg_text(doc, 0),
		       "欢迎大家。我是 Thomas Kuran，负责云计算业务。我们希望帮助创业公司。",
		       "Latin words joined by a space, CJK without");
		STR_EQ(tandem_seg_speaker(doc, 0), "主持人 Thomas Kuran", "label inside the bold");
		STR_EQ(tandem_seg_section(doc, 0), "第一部分", "section");
		INT_EQ(tandem_seg_line(doc, 0), 8, "paragraph line");
		STR_EQ(tandem_seg_text(doc, 1), "感谢邀请。Claude 3是最新的模型。",
		       "label on its own line");
		STR_EQ(tandem_seg_speaker(doc, 1), "Elad Gil", "second speaker");
		STR_EQ(tandem_seg_text(doc, 2), "继续说明，强调 和 链接 以及 图片。",
		       "emphasis, links and images dropped");
		STR_EQ(tandem_seg_speaker(doc, 2), "Elad Gil", "the speaker carries on");
		STR_EQ(tandem_seg_speaker(doc, 3), "Dario", "colon after the bold");
		STR_EQ(tandem_seg_section(doc, 3), "第二部分", "second section");
	}
	tandem_doc_free(doc);

	/* Seed 001: a real article transcript. */
	doc = load("seeds/001_cc0133aad5618f96.txt", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "read seed 001 strictly");
	STR_EQ(tandem_doc_meta(doc, "format"), "md", "seed 001 sniffed as md");
	INT_EQ(tandem_doc_count(doc), 74, "seed 001 paragraphs");
	size_t host = 0, elad = 0, dario = 0, stars = 0, breaks = 0;
	for (size_t i = 0; i < tandem_doc_count(doc); i++) {
		const char *sp = tandem_seg_speaker(doc, i), *t = tandem_seg_text(doc, i);
		host += sp && strcmp(sp, "主持人 Thomas Kuran") == 0;
		elad += sp && strcmp(sp, "Elad Gil") == 0;
		dario += sp && strcmp(sp, "Dario Amodei") == 0;
		stars += strstr(t, "**") != NULL;
		breaks += strchr(t, '\n') != NULL;
	}
	OK(host >= 3 && elad >= 20 && dario >= 20, "speakers: host %zu, Elad %zu, Dario %zu", host,
	   elad, dario);
	INT_EQ(stars + breaks, 0, "no emphasis markers or line breaks left");
	bool found = false;
	for (size_t i = 0; i < tandem_doc_count(doc) && !found; i++)
		found = strncmp(tandem_seg_text(doc, i),
		                "欢迎大家来到 Clout Next 云技术和创业论坛。我是 Thomas Kuran，负责谷歌",
		                strlen("欢迎大家来到 Clout Next 云技术和创业论坛。我是 Thomas Kuran，负责谷歌")) ==
		            0 &&
		        strcmp(tandem_seg_section(doc, i), "文本整理") == 0;
	OK(found, "'Thomas\\nKuran' joined as 'Thomas Kuran' in section 文本整理");
	tandem_doc_free(doc);

	/* Malformed Markdown: positioned warnings, errors when strict. */
	static const struct {
		const char *name, *in, *diags;
		size_t segs;
	} bad[] = {
		{"label alone", "**Ann：**\n\n## Next\n\nText.\n",
		 "m.txt:1:1: warning: speaker label with no paragraph after it before the next heading "
		 "[md-label-alone]\n",
		 1},
		{"label at the end", "Text.\n\n**Ann：**\n",
		 "m.txt:3:1: warning: speaker label with no paragraph after it before the next heading "
		 "[md-label-alone]\n",
		 1},
		{"unbalanced emphasis", "First line\nsome **bold text.\n\nOther.\n",
		 "m.txt:2:6: warning: unbalanced '**': this emphasis is never closed [md-emphasis]\n", 2},
	};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		doc = NULL;
		INT_EQ(read_mem(&doc, bad[k].in, "md", 0, &c), 0, bad[k].name);
		STR_EQ(c.text, bad[k].diags, bad[k].name);
		INT_EQ(tandem_doc_count(doc), bad[k].segs, bad[k].name);
		tandem_doc_free(doc);
		doc = NULL;
		INT_EQ(read_mem(&doc, bad[k].in, "md", 1, NULL), TANDEM_EPARSE, bad[k].name);
		OK(doc == NULL, "%s: strict leaves no document", bad[k].name);
	}

	/* A post named .md is still a post. */
	size_t len;
	char *post = harness_slurp(FIX "seeds/000_c84498d7aca169fa.txt", &len);
	doc = NULL;
	INT_EQ(post ? read_mem(&doc, post, "md", 1, NULL) : -1, 0, "post read through md");
	INT_EQ(tandem_doc_count(doc), 48, "post through md: paragraphs");
	OK(doc && tandem_seg_translation(doc, 0) != NULL, "post through md is bilingual");
	tandem_doc_free(doc);
	free(post);
}

/* ---- plain lines and sniffing ---- */

static void test_lines_and_sniff(void)
{
	static const struct {
		const char *file, *format;
	} seeds[] = {
		{"000_c84498d7aca169fa.txt", "post"}, {"001_cc0133aad5618f96.txt", "md"},
		{"002_a7702332fec17ca5.txt", "lines"}, {"003_a154d282383bb464.txt", "transcript"},
		{"004_b5580065a6987a8a.txt", "lines"},
	};
	for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
		char path[512];
		size_t len;
		snprintf(path, sizeof path, FIX "seeds/%s", seeds[k].file);
		char *data = harness_slurp(path, &len);
		STR_EQ(data ? tandem_format_sniff(data, len) : NULL, seeds[k].format, seeds[k].file);
		free(data);
	}
	int rc;
	tandem_doc *doc = load("seeds/002_a7702332fec17ca5.txt", NULL, 1, NULL, &rc);
	INT_EQ(rc, 0, "read seed 002");
	INT_EQ(tandem_doc_count(doc), 398, "one segment a line");
	STR_EQ(tandem_seg_text(doc, 0), "大家好，这里是最佳拍档", "first line");
	tandem_doc_free(doc);

	doc = NULL;
	read_mem(&doc, "K\nT\nS / 1 min / done\n2 transcript segments\nA.\n一。\nB.\n二。\n",
	         "transcript", 1, NULL);
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	char *out = render(doc, "lines", &wo);
	STR_EQ(out, "A.\n一。\nB.\n二。\n", "lines: both sides");
	free(out);
	wo.side = TANDEM_SIDE_TRANSLATION;
	out = render(doc, "lines", &wo);
	STR_EQ(out, "一。\n二。\n", "lines: translation side");
	free(out);
	wo.side = TANDEM_SIDE_BOTH;
	wo.order = TANDEM_ORDER_TRANSLATION_FIRST;
	out = render(doc, "lines", &wo);
	STR_EQ(out, "一。\nA.\n二。\nB.\n", "lines: translation first");
	free(out);
	tandem_doc_free(doc);
}

/* ---- ASS ---- */

static void test_ass(void)
{
	diags c;
	int rc;
	tandem_doc *doc = load("ass/ttml_example.ass", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "read pysubs2's ttml_example.ass");
	STR_EQ(c.text, "", "ttml_example.ass: no diagnostics");
	INT_EQ(tandem_doc_count(doc), 11, "events (same-timed English pairs are not folded)");
	if (tandem_doc_count(doc) == 11) {
		INT_EQ(tandem_seg_start(doc, 0), 760, "start in centiseconds");
		INT_EQ(tandem_seg_end(doc, 0), 3450, "end");
		STR_EQ(tandem_seg_text(doc, 1), "that the image formed on\nthe Retina should be inverted?",
		       "\\N is a line break");
		OK(tandem_seg_translation(doc, 6) == NULL, "no translation");
	}
	tandem_doc_free(doc);
	doc = load("ass/subtitle_with_attached_images_aegisub.ass", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "read Aegisub's file with a BOM and [Graphics]");
	INT_EQ(tandem_doc_count(doc), 1, "one event");
	STR_EQ(tandem_doc_meta(doc, "title"), "Default Aegisub file", "title");
	tandem_doc_free(doc);

	/* Styles, positions, speakers and the writer's own pairs. */
	static const char own[] =
		"[Script Info]\nTitle: t\n\n[Events]\n"
		"Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
		"Dialogue: 0,0:00:01.00,0:00:02.50,Translation,Ann,0,0,0,,{\\an8}你好，\\N世界\n"
		"Dialogue: 0,0:00:01.00,0:00:02.50,Source,Ann,0,0,0,,{\\i1}Hello,{\\i0} world\n"
		"Comment: 0,0:00:03.00,0:00:04.00,Source,,0,0,0,,not shown\n"
		"Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,Alone\\hhere\n";
	doc = NULL;
	INT_EQ(read_mem(&doc, own, "ass", 1, &c), 0, "read own pairs");
	INT_EQ(tandem_doc_count(doc), 2, "paired by style");
	if (tandem_doc_count(doc) == 2) {
		STR_EQ(tandem_seg_text(doc, 0), "Hello, world", "override blocks removed");
		STR_EQ(tandem_seg_markup(doc, 0), "<i>Hello,</i> world", "\\i1 is <i>");
		STR_EQ(tandem_seg_markup(doc, 1), NULL, "no styling, no markup");
		STR_EQ(tandem_seg_translation(doc, 0), "你好，\n世界", "translation style");
		STR_EQ(tandem_seg_speaker(doc, 0), "Ann", "Name field");
		INT_EQ(tandem_seg_position(doc, 0), 8, "{\\an8}");
		STR_EQ(tandem_seg_text(doc, 1), "Alone\xC2\xA0here", "\\h");
	}
	tandem_doc_free(doc);

	static const struct {
		const char *name, *in, *diags;
		int rc;
		size_t segs;
	} bad[] = {
		{"bad time",
		 "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
		 "Text\nDialogue: 0,0:00:xx.00,0:00:02.00,Default,,0,0,0,,A\n"
		 "Dialogue: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,B\n",
		 "m.txt:3:13: warning: malformed time '0:00:xx.00' (expected H:MM:SS.CC); event "
		 "skipped [ass-time]\n",
		 0, 1},
		{"few fields",
		 "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
		 "Text\nDialogue: 0,0:00:01.00,0:00:02.00\n"
		 "Dialogue: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,B\n",
		 "m.txt:3:34: warning: Dialogue has 3 of its 10 fields; skipped [ass-dialogue]\n", 0,
		 1},
		{"no Format", "[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,A\n",
		 "m.txt:2:1: warning: Dialogue before any Format line; assuming the v4+ fields "
		 "[ass-format]\n",
		 0, 1},
		{"Text not last", "[Events]\nFormat: Start, End, Text, Style\n",
		 "m.txt:2:1: error: the Format line needs Start, End and Text, with Text last "
		 "[ass-format]\n",
		 TANDEM_EPARSE, 0},
		{"backwards",
		 "[Events]\nDialogue: 0,0:00:05.00,0:00:02.00,Default,,0,0,0,,A\n",
		 "m.txt:2:1: warning: Dialogue before any Format line; assuming the v4+ fields "
		 "[ass-format]\n"
		 "m.txt:2:24: warning: event ends before it starts [ass-time]\n",
		 0, 1},
	};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		doc = NULL;
		INT_EQ(read_mem(&doc, bad[k].in, "ass", 0, &c), bad[k].rc, bad[k].name);
		STR_EQ(c.text, bad[k].diags, bad[k].name);
		INT_EQ(tandem_doc_count(doc), bad[k].segs, bad[k].name);
		tandem_doc_free(doc);
		doc = NULL;
		INT_EQ(read_mem(&doc, bad[k].in, "ass", 1, NULL), TANDEM_EPARSE, bad[k].name);
		OK(doc == NULL, "%s: strict leaves no document", bad[k].name);
	}

	/* The writer refuses untimed input and says why. */
	doc = tandem_doc_new();
	tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, "x", "y");
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.diag = collect;
	wo.diag_user = &c;
	c.len = 0;
	c.text[0] = '\0';
	char *out = NULL;
	size_t len;
	INT_EQ(tandem_doc_write(doc, "ass", &wo, &out, &len), TANDEM_EINVAL, "untimed ASS");
	STR_EQ(c.text,
	       "<output>: error: segment 1 has no timing; ASS events need times (align or retime "
	       "first) [ass-untimed]\n",
	       "untimed message");
	tandem_seg_set_times(doc, 0, 1234, 2000);
	tandem_seg_set_markup(doc, 0, "<i>x</i> &amp; <c.loud><b>y</b></c>");
	out = render(doc, "ass", NULL);
	OK(out && strstr(out, ",Source,,0,0,0,,{\\i1}x{\\i0} & {\\b1}y{\\b0}\n"),
	   "markup as override tags");
	tandem_doc *back = NULL;
	INT_EQ(out ? read_mem(&back, out, "ass", 1, NULL) : -1, 0, "read styled ASS");
	STR_EQ(back ? tandem_seg_markup(back, 0) : NULL, "<i>x</i> &amp; <b>y</b>",
	       "styles back as markup");
	STR_EQ(back ? tandem_seg_text(back, 0) : NULL, "x & y", "plain text");
	tandem_doc_free(back);
	free(out);
	tandem_seg_set_text(doc, 0, "a {b} c");
	c.len = 0;
	c.text[0] = '\0';
	wo.side = TANDEM_SIDE_SOURCE;
	out = render(doc, "ass", &wo);
	OK(out && strstr(out, "\nDialogue: 0,0:00:01.23,0:00:02.00,Source,,0,0,0,,a ｛b｝ c\n") &&
	       !strstr(out, ",Translation,,"),
	   "source side, braces replaced, times rounded");
	STR_EQ(c.text,
	       "<output>: info: ASS times are centiseconds; milliseconds were rounded "
	       "[ass-precision]\n"
	       "<output>: warning: '{' and '}' open override blocks in ASS; written as full-width "
	       "braces [ass-braces]\n",
	       "writer notes");
	free(out);
	tandem_doc_free(doc);
}

/* ---- bilingual layouts ---- */

static void test_bilingual(void)
{
	diags c;
	int rc;
	tandem_doc *doc = load("bilingual/lecture1-dual-double.srt", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "read the doubled lecture strictly");
	STR_EQ(c.text,
	       "lecture1-dual-double.srt:1:1: info: folded 181 pairs of same-timed cues in two "
	       "scripts into bilingual cues [bilingual-fold]\n",
	       "fold reported once");
	INT_EQ(tandem_doc_count(doc), 181, "362 cues fold to 181");
	if (tandem_doc_count(doc) == 181) {
		STR_EQ(tandem_seg_text(doc, 0), "Okay, let's continue.", "English text");
		STR_EQ(tandem_seg_translation(doc, 0), "好的，咱们接着来。", "Chinese translation");
		INT_EQ(tandem_seg_end(doc, 0), 14120, "times kept");
		STR_EQ(tandem_seg_id(doc, 4), "5", "number kept");
		STR_EQ(tandem_seg_translation(doc, 4),
		       "嗯，我稍后会对一些答案进行回顾，就像为什么 RSA 这个缩写那么难理解一样",
		       "a translation with a Latin acronym");
	}
	tandem_doc_free(doc);

	doc = load("bilingual/double-stray.srt", NULL, 0, &c, &rc);
	INT_EQ(rc, 0, "a doubled file with one cue alone");
	STR_EQ(c.text,
	       "double-stray.srt:9:1: warning: cue has no same-timed partner in a file of doubled "
	       "bilingual cues [bilingual-unpaired]\n"
	       "double-stray.srt:1:1: info: folded 2 pairs of same-timed cues in two scripts into "
	       "bilingual cues [bilingual-fold]\n",
	       "stray cue reported");
	INT_EQ(tandem_doc_count(doc), 3, "two folded, one alone");
	OK(doc && tandem_seg_translation(doc, 1) == NULL, "the stray cue has no translation");
	tandem_doc_free(doc);
	doc = load("bilingual/double-stray.srt", NULL, 1, NULL, &rc);
	INT_EQ(rc, TANDEM_EPARSE, "strict: a stray cue fails");

	doc = load("bilingual/stacked.srt", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "stacked cues");
	STR_EQ(c.text,
	       "stacked.srt:1:1: info: split 2 cues whose lines are in two scripts into text and "
	       "translation [bilingual-split]\n",
	       "split reported");
	if (tandem_doc_count(doc) == 3) {
		STR_EQ(tandem_seg_text(doc, 1), "Two lines of\nEnglish here.", "a two-line source");
		STR_EQ(tandem_seg_translation(doc, 1), "两行中文。", "its translation");
		OK(tandem_seg_translation(doc, 2) == NULL, "a one-language cue stays whole");
	}
	tandem_doc_free(doc);

	/* A stacked cue already holds both languages: a same-timed one-language cue
	 * beside it is a second cue, not its other half. */
	doc = load("bilingual/stacked-beside-single.srt", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "stacked beside a single-language cue");
	INT_EQ(tandem_doc_count(doc), 3, "no fold");
	STR_EQ(doc ? tandem_seg_translation(doc, 0) : NULL, "你好", "stacked cue split");
	STR_EQ(doc ? tandem_seg_text(doc, 1) : NULL, "General Kenobi", "its neighbour kept");
	OK(doc && tandem_seg_translation(doc, 1) == NULL, "and left alone");
	tandem_doc_free(doc);

	doc = load("bilingual/stacked-reversed.srt", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "translation-first stacked cues");
	STR_EQ(c.text,
	       "stacked-reversed.srt:1:1: info: 2 split cues had the CJK lines first; the Latin "
	       "lines are kept as the text [bilingual-order]\n"
	       "stacked-reversed.srt:1:1: info: split 2 cues whose lines are in two scripts into "
	       "text and translation [bilingual-split]\n",
	       "order reported");
	STR_EQ(doc ? tandem_seg_text(doc, 1) : NULL, "Goodbye.", "the Latin side is the text");
	STR_EQ(doc ? tandem_seg_translation(doc, 1) : NULL, "再见。", "the CJK side translates");
	tandem_doc_free(doc);

	doc = load("bilingual/mono-stray.srt", NULL, 1, &c, &rc);
	INT_EQ(rc, 0, "monolingual with a stray Chinese line");
	STR_EQ(c.text, "", "nothing to report");
	STR_EQ(doc ? tandem_seg_text(doc, 0) : NULL, "We flew to\n北京", "not split");
	tandem_doc_free(doc);

	/* Other formats are left alone: two same-timed cues in a post stay two. */
	doc = NULL;
	INT_EQ(read_mem(&doc, "Hello.\n你好。\n", "lines", 1, &c), 0, "lines");
	INT_EQ(tandem_doc_count(doc), 2, "lines are not folded");
	tandem_doc_free(doc);
}

/* ---- golden files ---- */

enum { TIMINGS = 1, PARA1 = 2, TOP = 4, SIDE_TR = 8 };

static const struct golden {
	const char *in, *to;
	int flags;
	const char *expected;
} goldens[] = {
	{"transcript/small.txt", "post", 0, "transcript/small.to-post.txt"},
	{"transcript/small.txt", "post", PARA1, "transcript/small.to-post-para1.txt"},
	{"transcript/small.txt", "lines", 0, "transcript/small.to-lines.txt"},
	{"transcript/small.txt", "json", 0, "transcript/small.to-json.json"},
	{"seeds/003_a154d282383bb464.txt", "post", 0, "transcript/003.to-post.txt"},
	{"post/timed.txt", "post", TIMINGS, "post/timed.txt"},
	{"post/timed.txt", "transcript", 0, "post/timed.to-transcript.txt"},
	{"post/timed.txt", "srt", 0, "post/timed.to-srt.srt"},
	{"post/timed.txt", "vtt", 0, "post/timed.to-vtt.vtt"},
	{"post/timed.txt", "ass", 0, "post/timed.to-ass.ass"},
	{"post/timed.txt", "lines", 0, "post/timed.to-lines.txt"},
	{"post/timed.txt", "json", 0, "post/timed.to-json.json"},
	{"md/speakers.md", "lines", 0, "md/speakers.to-lines.txt"},
	{"md/speakers.md", "json", 0, "md/speakers.to-json.json"},
	{"bilingual/lecture1-dual-double.srt", "srt", 0, "bilingual/lecture1.to-srt.srt"},
	{"bilingual/lecture1-dual-double.srt", "ass", 0, "bilingual/lecture1.to-ass.ass"},
	{"bilingual/lecture1-dual-double.srt", "ass", TOP, "bilingual/lecture1.to-ass-top.ass"},
	{"bilingual/lecture1-dual-double.srt", "post", TIMINGS, "bilingual/lecture1.to-post.txt"},
	{"bilingual/lecture1-dual-double.srt", "transcript", 0,
	 "bilingual/lecture1.to-transcript.txt"},
	{"bilingual/stacked-reversed.srt", "srt", 0, "bilingual/stacked-reversed.to-srt.srt"},
	{"bilingual/stacked.srt", "ass", SIDE_TR, "bilingual/stacked.to-ass-translation.ass"},
	{"ass/ttml_example.ass", "srt", 0, "ass/ttml_example.to-srt.srt"},
	{"post/timed.to-ass.ass", "post", TIMINGS, "ass/timed.to-post.txt"},
};

static void test_goldens(void)
{
	bool regen = getenv("TANDEM_REGEN") != NULL;
	for (size_t k = 0; k < sizeof goldens / sizeof *goldens; k++) {
		const struct golden *g = &goldens[k];
		if (!tandem_format_can_write(g->to)) {
			OK(0, "%s: format %s is not registered", g->expected, g->to);
			continue;
		}
		int rc;
		tandem_doc *doc = load(g->in, NULL, 0, NULL, &rc);
		INT_EQ(rc, 0, g->in);
		if (!doc)
			continue;
		tandem_write_opts wo;
		tandem_write_opts_init(&wo);
		wo.timings = (g->flags & TIMINGS) != 0;
		wo.para_chars = (g->flags & PARA1) ? 1 : 0;
		wo.ass_layout = (g->flags & TOP) ? "top" : NULL;
		wo.side = (g->flags & SIDE_TR) ? TANDEM_SIDE_TRANSLATION : TANDEM_SIDE_BOTH;
		char *out = render(doc, g->to, &wo);
		OK(out != NULL, "%s: writing failed", g->expected);
		char path[512];
		snprintf(path, sizeof path, FIX "%s", g->expected);
		if (regen && out && strcmp(g->in, g->expected) != 0) {
			FILE *fp = fopen(path, "wb");
			if (fp) {
				fputs(out, fp);
				fclose(fp);
			}
		}
		size_t len;
		char *want = harness_slurp(path, &len);
		OK(want && out && strcmp(out, want) == 0, "%s differs from the writer's output",
		   g->expected);
		free(want);
		free(out);
		tandem_doc_free(doc);
	}
}

/* ---- round trips: read -> write -> read gives the same segments ---- */

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool near(int64_t a, int64_t b, int64_t slack)
{
	return a == b || (a != TANDEM_NO_TIME && b != TANDEM_NO_TIME && llabs(a - b) <= slack);
}

/* slack: ASS keeps centiseconds, so its times may move by up to 5 ms. */
static void same_segments(const tandem_doc *a, const tandem_doc *b, const char *what,
                          bool sections, int64_t slack)
{
	INT_EQ(tandem_doc_count(b), tandem_doc_count(a), what);
	size_t n = tandem_doc_count(a) < tandem_doc_count(b) ? tandem_doc_count(a)
	                                                      : tandem_doc_count(b);
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		bool ok = same(tandem_seg_text(a, i), tandem_seg_text(b, i)) &&
		          same(tandem_seg_translation(a, i), tandem_seg_translation(b, i)) &&
		          same(tandem_seg_speaker(a, i), tandem_seg_speaker(b, i)) &&
		          (!sections || same(tandem_seg_section(a, i), tandem_seg_section(b, i))) &&
		          near(tandem_seg_start(a, i), tandem_seg_start(b, i), slack) &&
		          near(tandem_seg_end(a, i), tandem_seg_end(b, i), slack);
		if (!ok && bad++ == 0)
			fprintf(stderr, "%s: segment %zu differs: '%s' / '%s'\n", what, i,
			        tandem_seg_text(b, i), tandem_seg_translation(b, i) ? tandem_seg_translation(b, i) : "(null)");
	}
	INT_EQ(bad, 0, what);
}

static void test_round_trips(void)
{
	static const struct {
		const char *in, *format;
		bool sections, plain;
	} cases[] = {
		{"transcript/small.txt", "transcript", false, false},
		{"seeds/003_a154d282383bb464.txt", "transcript", false, false},
		{"seeds/000_c84498d7aca169fa.txt", "post", true, false},
		{"post/timed.txt", "post", true, false},
		/* A subtitle holds a post's Markdown as its plain text. */
		{"post/timed.txt", "ass", false, true},
		{"ass/ttml_example.ass", "ass", false, false},
		{"post/timed.to-ass.ass", "ass", false, false},
		{"bilingual/lecture1-dual-double.srt", "ass", false, false},
		{"bilingual/lecture1-dual-double.srt", "post", false, false},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		int rc;
		tandem_doc *doc = load(cases[k].in, NULL, 0, NULL, &rc);
		if (!doc) {
			OK(0, "cannot read %s", cases[k].in);
			continue;
		}
		tandem_write_opts wo;
		tandem_write_opts_init(&wo);
		wo.timings = 1;
		wo.para_chars = 1;
		char *out = render(doc, cases[k].format, &wo);
		for (size_t i = 0; cases[k].plain && i < tandem_doc_count(doc); i++) {
			tandem__buf b = TANDEM_BUF_INIT;
			if (tandem_seg_translation(doc, i))
				tandem__md_plain(&b, tandem_seg_translation(doc, i));
			if (tandem_seg_translation(doc, i))
				tandem_seg_set_translation(doc, i, b.ptr);
			tandem__buf_free(&b);
		}
		tandem_doc *again = NULL;
		INT_EQ(out ? read_mem(&again, out, cases[k].format, 0, NULL) : -1, 0, cases[k].in);
		char what[256];
		snprintf(what, sizeof what, "%s via %s", cases[k].in, cases[k].format);
		if (again)
			same_segments(doc, again, what, cases[k].sections,
			              strcmp(cases[k].format, "ass") == 0 ? 5 : 0);
		tandem_doc_free(again);
		free(out);
		tandem_doc_free(doc);
	}
}

int main(void)
{
	test_md();
	test_lines_and_sniff();
	test_ass();
	test_bilingual();
	test_goldens();
	test_round_trips();
	return harness_done();
}
