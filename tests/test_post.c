/*
 * test_post.c - the annotated post: the seed read into bilingual segments
 * and written back byte for byte (directly and through JSON), entities,
 * timings, front matter from a file, paragraph grouping of the transcript
 * seed, and each malformed input with its positioned message.
 */
#include "harness.h"
#include "tandem.h"

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#define SEEDS TANDEM_SOURCE_DIR "/fixtures/seeds/"
#define SEED_000 SEEDS "000_c84498d7aca169fa.txt"
#define SEED_003 SEEDS "003_a154d282383bb464.txt"

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

static int read_as(tandem_doc **doc, const char *s, size_t len, const char *format, int strict,
                   diags *c)
{
	tandem_read_opts o;
	tandem_read_opts_init(&o);
	o.filename = "p.txt";
	o.format = format;
	o.strict = strict;
	o.diag = c ? collect : NULL;
	o.diag_user = c;
	if (c) {
		c->len = 0;
		c->text[0] = '\0';
	}
	return tandem_doc_read(doc, s, len, &o);
}

static int read_post(tandem_doc **doc, const char *s, int strict, diags *c)
{
	return read_as(doc, s, strlen(s), "post", strict, c);
}

static char *write_as(const tandem_doc *doc, const char *format, const tandem_write_opts *wo)
{
	char *out = NULL;
	size_t len;
	if (tandem_doc_write(doc, format, wo, &out, &len))
		return NULL;
	return out;
}

static void test_seed(void)
{
	size_t len;
	char *data = harness_slurp(SEED_000, &len);
	OK(data != NULL, "cannot read %s", SEED_000);
	if (!data)
		return;
	STR_EQ(tandem_format_sniff(data, len), "post", "sniffed format of seed 000");
	tandem_doc *doc = NULL;
	diags c;
	INT_EQ(read_as(&doc, data, len, NULL, 1, &c), 0, "read seed 000 strictly");
	STR_EQ(c.text, "", "seed 000 reads without diagnostics");
	if (!doc) {
		free(data);
		return;
	}
	INT_EQ(tandem_doc_count(doc), 48, "paragraphs");
	STR_EQ(tandem_doc_meta(doc, "title"), "企业级AI的规模化应用：礼来与Anthropic的炉边对话",
	       "title");
	STR_EQ(tandem_doc_meta(doc, "date"), "2025-10-20", "date");
	STR_EQ(tandem_doc_meta(doc, "source"), "https://www.youtube.com/watch?v=Yiy0cU6ChSw",
	       "source");
	STR_EQ(tandem_doc_meta(doc, "speaker"), "Anthropic", "speaker");
	STR_EQ(tandem_doc_meta(doc, "people"), "Diogo Rau\nDario Amodei", "people");
	const char *h = tandem_doc_meta(doc, "header");
	OK(h && strncmp(h, "author: Anthropic\ndate: '2025-10-20'\n", 37) == 0,
	   "header kept verbatim: %.40s", h ? h : "(null)");
	OK(h && strcmp(h + strlen(h) - 18, "status: evergreen\n") == 0, "header ends: %s",
	   h ? h + strlen(h) - 18 : "(null)");
	STR_EQ(tandem_seg_speaker(doc, 0), "Diogo", "first speaker");
	STR_EQ(tandem_seg_section(doc, 0), "引言：AI进展与患者福祉", "first section");
	STR_EQ(tandem_seg_translation(doc, 3), "感谢你的邀请，Diogo。", "a translation");
	STR_EQ(tandem_seg_text(doc, 0),
	       "Let's have faith in the pace of progress of the technology, because if the models "
	       "get good enough to do it end to end, a year from now and only then you start "
	       "deploying it. There will be another two year delay.",
	       "first English");
	INT_EQ(tandem_seg_line(doc, 0), 38, "first paragraph's line");
	STR_EQ(tandem_seg_speaker(doc, 47), "Dario", "last speaker");
	STR_EQ(tandem_seg_section(doc, 47), "对药物发现与开发的建议：雄心与并行准备", "last section");
	/* Inline notes stay as they were. */
	const char *t0 = tandem_seg_translation(doc, 0);
	OK(t0 && strstr(t0, "**端到端**（End-to-End: 从开始到结束的整个过程）"), "inline note kept");

	char *out = write_as(doc, "post", NULL);
	OK(out && strcmp(out, data) == 0, "seed 000 post -> post is not byte-identical");
	free(out);

	/* Through JSON and back. */
	if (tandem_format_can_write("json") && tandem_format_can_read("json")) {
		char *js = write_as(doc, "json", NULL);
		tandem_doc *fromjson = NULL;
		INT_EQ(js ? read_as(&fromjson, js, strlen(js), "json", 0, NULL) : -1, 0,
		       "read the JSON rendering");
		out = fromjson ? write_as(fromjson, "post", NULL) : NULL;
		OK(out && strcmp(out, data) == 0, "seed 000 post -> JSON -> post is not identical");
		free(out);
		free(js);
		tandem_doc_free(fromjson);
	} else {
		OK(0, "the json format is not registered");
	}

	/* A custom label replaces the summary everywhere. */
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.summary_label = "原文 & English";
	out = write_as(doc, "post", &wo);
	OK(out && strstr(out, "<summary>原文 &amp; English</summary>") &&
	       !strstr(out, "View/Hide"),
	   "summary label");
	tandem_doc *again = NULL;
	INT_EQ(out ? read_post(&again, out, 1, NULL) : -1, 0, "read relabelled");
	STR_EQ(tandem_doc_meta(again, "summary_label"), "原文 & English", "label decoded");
	char *out2 = again ? write_as(again, "post", NULL) : NULL;
	OK(out2 && out && strcmp(out2, out) == 0, "a relabelled post round-trips");
	free(out2);
	tandem_doc_free(again);
	free(out);
	tandem_doc_free(doc);
	free(data);
}

static const char FRONT[] = "---\ntitle: T\n---\n";

static void test_entities_and_timings(void)
{
	char in[1024];
	snprintf(in, sizeof in,
	         "%s### Part one\n\nAnn：你好。\n\n"
	         "<details data-start=\"00:00:01.250\" data-end=\"00:00:03.000\">\n"
	         "<summary>View/Hide Original English</summary>\n"
	         "<p class=\"english-text\">Tom &amp; Jerry &lt;3 &#39;quoted&#39; &#x4E2D; &bogus;"
	         "</p>\n</details>\n",
	         FRONT);
	tandem_doc *doc = NULL;
	diags c;
	INT_EQ(read_post(&doc, in, 1, &c), 0, "read entities");
	STR_EQ(c.text, "", "no diagnostics");
	STR_EQ(tandem_seg_text(doc, 0), "Tom & Jerry <3 'quoted' 中 &bogus;", "entities decoded");
	STR_EQ(tandem_seg_speaker(doc, 0), "Ann", "full-width colon speaker");
	STR_EQ(tandem_seg_translation(doc, 0), "你好。", "translation");
	STR_EQ(tandem_seg_section(doc, 0), "Part one", "section");
	INT_EQ(tandem_seg_start(doc, 0), 1250, "data-start");
	INT_EQ(tandem_seg_end(doc, 0), 3000, "data-end");

	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.timings = 1;
	char *out = write_as(doc, "post", &wo);
	STR_EQ(out,
	       "---\ntitle: T\n---\n### Part one\n\nAnn: 你好。\n\n"
	       "<details data-start=\"00:00:01.250\" data-end=\"00:00:03.000\">\n"
	       "<summary>View/Hide Original English</summary>\n"
	       "<p class=\"english-text\">Tom &amp; Jerry &lt;3 'quoted' 中 &amp;bogus;</p>\n"
	       "</details>\n",
	       "escaped on write, timings kept");
	free(out);
	/* Without --timings they are dropped, and the writer says so. */
	wo.timings = 0;
	wo.diag = collect;
	wo.diag_user = &c;
	c.len = 0;
	c.text[0] = '\0';
	out = write_as(doc, "post", &wo);
	OK(out && strstr(out, "<details>\n"), "plain <details> without --timings");
	STR_EQ(c.text,
	       "<output>: info: timings were dropped (--timings keeps them as "
	       "data-start/data-end) [post-drops-timings]\n",
	       "timings note");
	free(out);
	tandem_doc_free(doc);
}

typedef struct bad_case {
	const char *name;
	const char *in;
	int rc;
	size_t segs;
	const char *diags;
} bad_case;

#define DET(en) "<details>\n<summary>View/Hide Original English</summary>\n" \
	"<p class=\"english-text\">" en "</p>\n</details>\n"

static const bad_case bad[] = {
	{"orphan paragraph", "---\nt: 1\n---\nA: 一。\n\nB: 二。\n\n" DET("Two."), 0, 2,
	 "p.txt:4:1: warning: paragraph has no <details> block with its original after it "
	 "[post-orphan-paragraph]\n"},
	{"orphan block", "---\nt: 1\n---\n" DET("One.") "\nB: 二。\n\n" DET("Two."), 0, 2,
	 "p.txt:4:1: warning: <details> block has no paragraph before it "
	 "[post-orphan-details]\n"},
	{"orphan paragraph at the end", "A: 一。\n\n" DET("One.") "\n### S\n\nB: 二。\n", 0, 2,
	 "p.txt:10:1: warning: paragraph has no <details> block with its original after it "
	 "[post-orphan-paragraph]\n"},
	{"unclosed details", "A: 一。\n\n<details>\n<summary>x</summary>\n<p>One.</p>\n", TANDEM_EPARSE,
	 0, "p.txt:3:1: error: <details> is never closed by </details> [post-details]\n"},
	{"details without p", "A: 一。\n\n<details>\n<summary>x</summary>\n</details>\n", 0, 1,
	 "p.txt:3:1: warning: <details> block holds no <p>...</p> with the original text "
	 "[post-details]\n"
	 "p.txt:1:1: warning: paragraph has no <details> block with its original after it "
	 "[post-orphan-paragraph]\n"},
	{"unclosed front matter", "---\ntitle: x\nA: 一。\n", TANDEM_EPARSE, 0,
	 "p.txt:1:1: error: front matter opened here is never closed by '---' "
	 "[post-front-matter]\n"},
	{"bad YAML", "---\ntitle: x\n  bad: [1\n---\nA: 一。\n\n" DET("One."), 0, 1,
	 "p.txt:3:6: warning: front matter: mapping values are not allowed in this context "
	 "[post-yaml]\n"},
	{"bad timing", "A: 一。\n\n<details data-start=\"soon\" data-end=\"00:00:02.000\">\n"
	 "<p>One.</p>\n</details>\n", 0, 1,
	 "p.txt:3:22: warning: cannot read the time 'soon' (expected HH:MM:SS.mmm) "
	 "[post-timing]\n"},
};

static void test_malformed(void)
{
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		tandem_doc *doc = NULL;
		diags c;
		INT_EQ(read_post(&doc, bad[k].in, 0, &c), bad[k].rc, bad[k].name);
		STR_EQ(c.text, bad[k].diags, bad[k].name);
		INT_EQ(tandem_doc_count(doc), bad[k].segs, bad[k].name);
		tandem_doc_free(doc);
		doc = NULL;
		INT_EQ(read_post(&doc, bad[k].in, 1, NULL), TANDEM_EPARSE, bad[k].name);
		OK(doc == NULL, "%s: strict failure leaves no document", bad[k].name);
	}
	/* The orphans are kept one-sided. */
	tandem_doc *doc = NULL;
	read_post(&doc, bad[1].in, 0, NULL);
	OK(doc && tandem_seg_translation(doc, 0) == NULL, "orphan block has no translation");
	STR_EQ(doc ? tandem_seg_text(doc, 0) : NULL, "One.", "orphan block's English");
	tandem_doc_free(doc);
	doc = NULL;
	read_post(&doc, bad[0].in, 0, NULL);
	STR_EQ(doc ? tandem_seg_text(doc, 0) : NULL, "", "orphan paragraph has no English");
	STR_EQ(doc ? tandem_seg_translation(doc, 0) : NULL, "一。", "orphan paragraph kept");
	tandem_doc_free(doc);
}

/*
 * transcript -> post -> transcript gives back the same bytes: the header's
 * kind, show, duration and status travel in the front matter, and the
 * post keeps one paragraph a segment by default.
 */
static void test_transcript_round_trip(void)
{
	size_t len;
	char *data = harness_slurp(SEED_003, &len);
	tandem_doc *doc = NULL;
	INT_EQ(data ? read_as(&doc, data, len, NULL, 0, NULL) : -1, 0, "read seed 003");
	if (!doc) {
		free(data);
		return;
	}
	char *post = write_as(doc, "post", NULL);
	OK(post && strstr(post, "\nkind: \"Podcast\"\nshow: \"Invest Like The Best\"\n"
	                        "duration: \"82 min\"\nstatus: \"done\"\n"),
	   "the header in the front matter");
	tandem_doc *back = NULL;
	INT_EQ(post ? read_post(&back, post, 1, NULL) : -1, 0, "read the post strictly");
	INT_EQ(back ? tandem_doc_count(back) : 0, 566, "566 segments come back");
	INT_EQ(back ? tandem_doc_claimed_duration(back) : 0, 82 * 60000, "the claimed duration");
	char *again = back ? write_as(back, "transcript", NULL) : NULL;
	OK(again && strlen(again) == len && memcmp(again, data, len) == 0,
	   "transcript -> post -> transcript is byte-identical");
	free(again);
	tandem_doc_free(back);
	free(post);
	tandem_doc_free(doc);
	free(data);
}

/*
 * No <details> without its paragraph: a segment without translation goes
 * into its neighbour's block, so the post reads back strictly (no warning)
 * with all of its English.  A Chinese document without translation is
 * written as paragraphs, with no "Original English" block holding Chinese.
 */
static void test_untranslated(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 0, 1000, "Hello there.", "你好。");
	tandem_doc_add(d, 1000, 2000, "Nobody translated this.", NULL);
	tandem_doc_add(d, 2000, 3000, "Goodbye.", "再见。");
	char *out = write_as(d, "post", NULL);
	OK(out && !strstr(out, "</p>\n</details>\n\n<details"), "every block has its paragraph");
	tandem_doc *back = NULL;
	INT_EQ(out ? read_post(&back, out, 1, NULL) : -1, 0, "reads back strictly");
	bool kept = false;
	for (size_t i = 0; back && i < tandem_doc_count(back); i++)
		kept |= strstr(tandem_seg_text(back, i), "Nobody translated this.") != NULL;
	OK(kept, "the untranslated English is kept");
	tandem_doc_free(back);
	free(out);
	tandem_doc_free(d);

	d = tandem_doc_new();
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "这是第一段。", NULL);
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "这是第二段，有一个链接 https://example.com。", NULL);
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "--END--", NULL);
	out = write_as(d, "post", NULL);
	OK(out && !strstr(out, "<details"), "a Chinese document has no original blocks");
	OK(out && strstr(out, "\n这是第一段。\n\n这是第二段"), "its text is the paragraphs: %s",
	   out ? out : "(null)");
	free(out);
	tandem_doc_free(d);
}

/* With --para-chars 400, the 566 transcript segments become readable
 * paragraphs (by default a segment list keeps one paragraph a segment:
 * test_transcript_round_trip). */
static void test_grouping(void)
{
	size_t len;
	char *data = harness_slurp(SEED_003, &len);
	tandem_doc *doc = NULL;
	INT_EQ(data ? read_as(&doc, data, len, NULL, 0, NULL) : -1, 0, "read seed 003");
	free(data);
	if (!doc)
		return;
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.para_chars = 400;
	char *out = write_as(doc, "post", &wo);
	tandem_doc *post = NULL;
	INT_EQ(out ? read_post(&post, out, 1, NULL) : -1, 0, "read the grouped post strictly");
	size_t n = tandem_doc_count(post);
	OK(n > 100 && n < 250, "566 segments grouped into %zu paragraphs", n);
	/* Segment 2 ends mid-sentence ("we're both quite"): it is joined to segment 3. */
	const char *t1 = tandem_seg_text(post, 1);
	OK(strstr(t1, "we're both quite passionate about is this question of compute"),
	   "a cut sentence is joined with a space: %.80s", t1);
	const char *z1 = tandem_seg_translation(post, 1);
	OK(z1 && strstr(z1, "我想直接切入我们都非常热衷的话题"),
	   "Chinese joined without a space: %.80s", z1 ? z1 : "(null)");
	STR_EQ(tandem_doc_meta(post, "title"),
	       "Inside Anthropic's $100 Billion Al Compute Commitment | CFO Krishna Rao",
	       "generated front matter title");
	/* Every English word survives the grouping, in order. */
	size_t words_in = 0, words_out = 0;
	for (size_t i = 0; i < tandem_doc_count(doc); i++)
		for (const char *p = tandem_seg_text(doc, i); *p; p++)
			words_in += *p == ' ';
	for (size_t i = 0; i < n; i++)
		for (const char *p = tandem_seg_text(post, i); *p; p++)
			words_out += *p == ' ';
	INT_EQ(words_out, words_in + tandem_doc_count(doc) - n, "spaces: one per join");
	tandem_doc_free(post);
	free(out);

	wo.para_chars = 1;
	out = write_as(doc, "post", &wo);
	post = NULL;
	INT_EQ(out ? read_post(&post, out, 1, NULL) : -1, 0, "one paragraph per segment");
	INT_EQ(tandem_doc_count(post), 566, "--para-chars 1 keeps every segment");
	tandem_doc_free(post);
	free(out);

	/* Speaker changes always break a paragraph, whatever the length target. */
	wo.para_chars = 100000;
	tandem_seg_set_speaker(doc, 0, "Krishna");
	tandem_seg_set_speaker(doc, 1, "Patrick");
	tandem_seg_set_speaker(doc, 2, "Patrick");
	out = write_as(doc, "post", &wo);
	OK(out && strstr(out, "\n---\nKrishna: 每次") && strstr(out, "\n\nPatrick: Krishna,"),
	   "speaker paragraphs");
	post = NULL;
	INT_EQ(out ? read_post(&post, out, 1, NULL) : -1, 0, "read speakers");
	INT_EQ(tandem_doc_count(post), 3, "Krishna, Patrick, everyone else");
	tandem_doc_free(post);
	free(out);
	tandem_doc_free(doc);
}

static void test_meta_file(void)
{
	tandem_doc *doc = tandem_doc_new();
	tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, "Hi.", "嗨。");
	tandem_doc_set_meta(doc, "title", "He said \"hi\"");
	tandem_doc_set_meta(doc, "people", "Ann\nBo");
	char *out = write_as(doc, "post", NULL);
	STR_EQ(out,
	       "---\ntitle: \"He said \\\"hi\\\"\"\npeople:\n  - \"Ann\"\n  - \"Bo\"\n---\n嗨。\n\n"
	       DET("Hi."),
	       "front matter generated from metadata");
	tandem_doc *again = NULL;
	INT_EQ(out ? read_post(&again, out, 1, NULL) : -1, 0, "read generated");
	STR_EQ(tandem_doc_meta(again, "title"), "He said \"hi\"", "title through YAML");
	STR_EQ(tandem_doc_meta(again, "people"), "Ann\nBo", "people through YAML");
	tandem_doc_free(again);
	free(out);

	char path[] = "/tmp/tandem-test-meta-XXXXXX";
	int fd = mkstemp(path);
	OK(fd >= 0, "temporary file");
	if (fd < 0) {
		tandem_doc_free(doc);
		return;
	}
	const char yaml[] = "---\nlayout: post.njk\ntitle: Mine\n---\n";
	OK(write(fd, yaml, sizeof yaml - 1) == (ssize_t)(sizeof yaml - 1), "write yaml");
	close(fd);
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.meta_file = path;
	out = write_as(doc, "post", &wo);
	STR_EQ(out, "---\nlayout: post.njk\ntitle: Mine\n---\n嗨。\n\n" DET("Hi."),
	       "front matter from --meta");
	free(out);

	FILE *fp = fopen(path, "w");
	fputs("title: [unclosed\n", fp);
	fclose(fp);
	diags c = {{0}, 0};
	wo.diag = collect;
	wo.diag_user = &c;
	char *none = NULL;
	size_t len;
	INT_EQ(tandem_doc_write(doc, "post", &wo, &none, &len), TANDEM_EPARSE, "bad --meta");
	OK(none == NULL, "nothing written");
	char want[512];
	snprintf(want, sizeof want,
	         "%s:2:1: error: did not find expected ',' or ']' while parsing a flow sequence "
	         "[post-meta]\n",
	         path);
	STR_EQ(c.text, want, "bad --meta message");
	unlink(path);
	c.len = 0;
	INT_EQ(tandem_doc_write(doc, "post", &wo, &none, &len), TANDEM_EIO, "missing --meta");
	tandem_doc_free(doc);
}

int main(void)
{
	test_seed();
	test_entities_and_timings();
	test_malformed();
	test_grouping();
	test_transcript_round_trip();
	test_untranslated();
	test_meta_file();
	return harness_done();
}
