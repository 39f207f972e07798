/*
 * test_transcript.c - the bilingual transcript format: the seed read and
 * written back byte for byte, its header facts, and each malformed input
 * with its positioned message.
 */
#include "harness.h"
#include "tandem.h"

#define SEEDS TANDEM_SOURCE_DIR "/fixtures/seeds/"
#define SEED_003 SEEDS "003_a154d282383bb464.txt"

/* Every diagnostic, formatted, one a line. */
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

static int read_str(tandem_doc **doc, const char *s, int strict, diags *c)
{
	tandem_read_opts o;
	tandem_read_opts_init(&o);
	o.filename = "t.txt";
	o.format = "transcript";
	o.strict = strict;
	o.diag = collect;
	o.diag_user = c;
	c->len = 0;
	c->text[0] = '\0';
	return tandem_doc_read(doc, s, strlen(s), &o);
}

static char *write_str(const tandem_doc *doc, const tandem_write_opts *wo)
{
	char *out = NULL;
	size_t len;
	if (tandem_doc_write(doc, "transcript", wo, &out, &len))
		return NULL;
	return out;
}

static void test_seed(void)
{
	size_t len;
	char *data = harness_slurp(SEED_003, &len);
	OK(data != NULL, "cannot read %s", SEED_003);
	if (!data)
		return;
	STR_EQ(tandem_format_sniff(data, len), "transcript", "sniffed format of seed 003");
	tandem_doc *doc = NULL;
	diags c;
	tandem_read_opts o;
	tandem_read_opts_init(&o);
	o.filename = "003.txt"; /* no extension to go by: the content decides */
	o.diag = collect;
	o.diag_user = &c;
	c.len = 0;
	c.text[0] = '\0';
	INT_EQ(tandem_doc_read(&doc, data, len, &o), 0, "read seed 003");
	STR_EQ(c.text, "", "seed 003 reads without diagnostics");
	if (!doc) {
		free(data);
		return;
	}
	INT_EQ(tandem_doc_count(doc), 566, "segments");
	STR_EQ(tandem_doc_meta(doc, "format"), "transcript", "format");
	STR_EQ(tandem_doc_meta(doc, "kind"), "Podcast", "kind");
	STR_EQ(tandem_doc_meta(doc, "title"),
	       "Inside Anthropic's $100 Billion Al Compute Commitment | CFO Krishna Rao", "title");
	STR_EQ(tandem_doc_meta(doc, "show"), "Invest Like The Best", "show");
	STR_EQ(tandem_doc_meta(doc, "status"), "done", "status");
	STR_EQ(tandem_doc_meta(doc, "duration"), "82 min", "duration text");
	INT_EQ(tandem_doc_claimed_duration(doc), 82 * 60000, "claimed duration");
	STR_EQ(tandem_seg_text(doc, 2),
	       "passionate about is this question of compute that you have to deal with all day "
	       "every day. It's a key part of what you do. It's a key part of what these "
	       "companies are doing and there's just this whole revolution happening.",
	       "text of segment 3");
	STR_EQ(tandem_seg_translation(doc, 3), "我很想听你解释一下处理这个问题是什么感觉。",
	       "translation of segment 4");
	INT_EQ(tandem_seg_line(doc, 3), 11, "segment 4 begins on line 11");
	INT_EQ(tandem_seg_start(doc, 0), TANDEM_NO_TIME, "untimed");
	/* The pair whose Chinese is mostly Latin product names is still a pair. */
	STR_EQ(tandem_seg_translation(doc, 87),
	       "OpenAI、Cursor、Anthropic、Perplexity 和 Vercel 都有一个共同点。",
	       "a translation heavy with Latin names");
	char *out = write_str(doc, NULL);
	OK(out && strcmp(out, data) == 0, "seed 003 written back is not byte-identical");
	free(out);
	/* CRLF in, CRLF out, same segments. */
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.crlf = 1;
	out = write_str(doc, &wo);
	tandem_doc *again = NULL;
	INT_EQ(read_str(&again, out ? out : "", 0, &c), 0, "read the CRLF rendering");
	if (again) {
		INT_EQ(tandem_doc_count(again), 566, "CRLF segments");
		STR_EQ(tandem_seg_translation(again, 565), tandem_seg_translation(doc, 565),
		       "CRLF last translation");
		tandem_doc_free(again);
	}
	free(out);
	tandem_doc_free(doc);
	free(data);
}

static const char HEAD[] = "Podcast\nA Title\nThe Show / 5 min / done\n";

typedef struct bad_case {
	const char *name;
	const char *body;     /* after HEAD */
	int rc;               /* lenient */
	size_t segs;
	const char *diags;
	int strict_rc;
} bad_case;

static const bad_case bad[] = {
	{"count claim", "3 transcript segments\nHello there.\n你好。\n", 0, 1,
	 "t.txt:4:1: warning: the header claims 3 segments but the file holds 1 "
	 "[transcript-count]\n",
	 TANDEM_EPARSE},
	{"odd line count", "2 transcript segments\nHello there.\n你好。\nGoodbye.\n", 0, 2,
	 "t.txt:7:1: warning: odd number of lines after the header: this last line has no "
	 "translation line [transcript-odd-lines]\n",
	 TANDEM_EPARSE},
	{"same-script pair, resynchronised",
	 "3 transcript segments\nOne.\n一。\nTwo.\nThree.\n三。\n", 0, 3,
	 "t.txt:8:1: warning: line is in the same script (latin) as line 7 before it; "
	 "expected its translation [transcript-same-script]\n",
	 TANDEM_EPARSE},
	{"same-script pair, both Chinese", "1 transcript segments\n一。\n二。\n", 0, 1,
	 "t.txt:6:1: warning: line is in the same script (cjk) as line 5 before it; expected "
	 "its translation [transcript-same-script]\n",
	 TANDEM_EPARSE},
	{"empty line between pairs", "2 transcript segments\nOne.\n一。\n\nTwo.\n二。\n", 0, 2,
	 "t.txt:7:1: warning: empty line between segments [transcript-empty-line]\n",
	 TANDEM_EPARSE},
	{"empty translation line", "2 transcript segments\nOne.\n\nTwo.\n二。\n", 0, 2,
	 "t.txt:6:1: warning: empty line where the translation of line 5 belongs "
	 "[transcript-empty-line]\n",
	 TANDEM_EPARSE},
	{"no count line", "Hello there.\n你好。\n", 0, 1,
	 "t.txt:4:1: warning: expected 'N transcript segments' on the fourth header line "
	 "[transcript-header]\n"
	 "t.txt:5:1: warning: odd number of lines after the header: this last line has no "
	 "translation line [transcript-odd-lines]\n",
	 TANDEM_EPARSE},
};

static void test_malformed(void)
{
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		char in[1024];
		snprintf(in, sizeof in, "%s%s", HEAD, bad[k].body);
		tandem_doc *doc = NULL;
		diags c;
		int rc = read_str(&doc, in, 0, &c);
		INT_EQ(rc, bad[k].rc, bad[k].name);
		STR_EQ(c.text, bad[k].diags, bad[k].name);
		INT_EQ(tandem_doc_count(doc), bad[k].segs, bad[k].name);
		tandem_doc_free(doc);
		doc = NULL;
		INT_EQ(read_str(&doc, in, 1, &c), bad[k].strict_rc, bad[k].name);
		OK(doc == NULL, "%s: strict failure leaves no document", bad[k].name);
	}

	/* Header problems. */
	tandem_doc *doc = NULL;
	diags c;
	INT_EQ(read_str(&doc, "Podcast\nTitle\n", 0, &c), TANDEM_EPARSE, "short header");
	STR_EQ(c.text,
	       "t.txt:2:1: error: a transcript needs four header lines (kind, title, 'show / "
	       "duration / status', 'N transcript segments'); the input ends after 2 "
	       "[transcript-header]\n",
	       "short header message");
	INT_EQ(read_str(&doc, "Podcast\nTitle\nShow / soon / done\n1 transcript segment\nA.\n"
	                      "一。\n",
	                0, &c),
	       0, "unreadable duration");
	STR_EQ(c.text,
	       "t.txt:3:8: warning: cannot read the duration 'soon' (expected e.g. '82 min' or "
	       "'1:22:00') [transcript-duration]\n",
	       "unreadable duration message");
	INT_EQ(tandem_doc_claimed_duration(doc), TANDEM_NO_TIME, "no claimed duration");
	tandem_doc_free(doc);
	INT_EQ(read_str(&doc, "Podcast\nTitle\nShow only\n1 transcript segments\nA.\n一。\n", 0,
	                &c),
	       0, "two missing facts");
	STR_EQ(c.text,
	       "t.txt:3:1: warning: expected 'show / duration / status' on the third header "
	       "line [transcript-header]\n",
	       "facts message");
	STR_EQ(tandem_doc_meta(doc, "show"), "Show only", "show kept");
	tandem_doc_free(doc);
}

static void test_durations(void)
{
	static const struct {
		const char *text;
		int64_t ms;
	} cases[] = {
		{"82 min", 4920000}, {"1 h 22 min", 4920000}, {"1h22m", 4920000},
		{"1:22:00", 4920000}, {"82:30", 4950000}, {"90 seconds", 90000},
		{"2 hours", 7200000}, {"-", TANDEM_NO_TIME},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		char in[256];
		snprintf(in, sizeof in, "K\nT\nS / %s / done\n1 transcript segments\nA.\n一。\n",
		         cases[k].text);
		tandem_doc *doc = NULL;
		diags c;
		INT_EQ(read_str(&doc, in, 1, &c), 0, cases[k].text);
		INT_EQ(tandem_doc_claimed_duration(doc), cases[k].ms, cases[k].text);
		tandem_doc_free(doc);
	}
}

static void test_writer(void)
{
	/* A document from elsewhere: no header facts, speakers and times to drop. */
	tandem_doc *doc = tandem_doc_new();
	tandem_doc_add(doc, 1000, 2000, "Hello\nthere.", "你好。");
	tandem_doc_add(doc, 2000, 3000, "Untranslated.", NULL);
	tandem_seg_set_speaker(doc, 0, "Ann");
	tandem_doc_set_claimed_duration(doc, 4921000);
	diags c = {{0}, 0};
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.diag = collect;
	wo.diag_user = &c;
	char *out = write_str(doc, &wo);
	STR_EQ(out,
	       "Transcript\n-\n- / 1:22:01 / -\n2 transcript segments\nHello there.\n你好。\n"
	       "Untranslated.\n\n",
	       "generated header and body");
	STR_EQ(c.text,
	       "<output>: warning: some segments have no translation; their translation lines "
	       "are left empty [transcript-no-translation]\n"
	       "<output>: info: line breaks inside segments became spaces "
	       "[transcript-line-breaks]\n"
	       "<output>: info: a transcript holds no timings; they were dropped "
	       "[transcript-drops-timings]\n"
	       "<output>: info: a transcript holds no speakers; they were dropped "
	       "[transcript-drops-speakers]\n",
	       "writer notes");
	/* Its own output reads back: the empty translation line is reported, not fatal. */
	tandem_doc *again = NULL;
	INT_EQ(read_str(&again, out ? out : "", 0, &c), 0, "read generated");
	INT_EQ(tandem_doc_count(again), 2, "generated segments");
	STR_EQ(tandem_doc_meta(again, "title"), NULL, "'-' is an absent title");
	INT_EQ(tandem_doc_claimed_duration(again), 4921000, "duration round trip");
	OK(again && tandem_seg_translation(again, 1) == NULL, "no translation read back");
	tandem_doc_free(again);
	free(out);

	wo.order = TANDEM_ORDER_TRANSLATION_FIRST;
	wo.diag = NULL;
	tandem_doc_set_claimed_duration(doc, 4920000);
	tandem_doc_remove(doc, 1, 1);
	out = write_str(doc, &wo);
	STR_EQ(out, "Transcript\n-\n- / 82 min / -\n1 transcript segments\n你好。\nHello there.\n",
	       "translation first, whole minutes");
	free(out);
	tandem_doc_free(doc);
}

int main(void)
{
	test_seed();
	test_malformed();
	test_durations();
	test_writer();
	return harness_done();
}
