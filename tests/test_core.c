/*
 * test_core.c - the model, the string buffer, diagnostics, the line
 * scanner, text measures and markup conversion.
 */
#include "harness.h"
#include "scan.h"

#include <unistd.h>

static void test_buf(void)
{
	tandem__buf b = TANDEM_BUF_INIT;
	OK(b.ptr != NULL && b.ptr[0] == '\0', "empty buffer is a valid string");
	tandem__buf_puts(&b, "ab");
	tandem__buf_putc(&b, 'c');
	tandem__buf_printf(&b, "%d-%s", 42, "x");
	STR_EQ(b.ptr, "abc42-x", "puts/putc/printf");
	tandem__buf_clear(&b);
	for (int i = 0; i < 1000; i++)
		tandem__buf_printf(&b, "%04d", i);
	INT_EQ(b.len, 4000, "printf growth");
	OK(memcmp(b.ptr + 3996, "0999", 4) == 0, "last number intact");
	tandem__buf_clear(&b);
	tandem__buf_time(&b, 0, ',');
	tandem__buf_putc(&b, ' ');
	tandem__buf_time(&b, 3723456, '.');
	tandem__buf_putc(&b, ' ');
	tandem__buf_time(&b, 360000000 + 1, ',');
	STR_EQ(b.ptr, "00:00:00,000 01:02:03.456 100:00:00,001", "time rendering");
	size_t n;
	char *p = tandem__buf_detach(&b, &n);
	INT_EQ(n, strlen(p), "detach length");
	free(p);
	OK(b.ptr[0] == '\0' && b.len == 0, "detach resets");
	tandem__buf_free(&b);
}

static void test_doc(void)
{
	tandem_doc *d = tandem_doc_new();
	INT_EQ(tandem_doc_count(d), 0, "new doc is empty");
	size_t a = tandem_doc_add(d, 1000, 2000, "Hello", "你好");
	size_t b = tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, NULL, NULL);
	INT_EQ(a, 0, "first index");
	INT_EQ(b, 1, "second index");
	STR_EQ(tandem_seg_text(d, 1), "", "NULL text becomes empty");
	OK(tandem_seg_translation(d, 1) == NULL, "no translation");
	INT_EQ(tandem_seg_start(d, 1), TANDEM_NO_TIME, "untimed");
	tandem_seg_set_markup(d, 0, "<i>Hello</i>");
	tandem_seg_set_speaker(d, 0, "Ann");
	tandem_seg_set_position(d, 0, 8);
	tandem_seg_set_position(d, 1, 12);
	INT_EQ(tandem_seg_position(d, 0), 8, "an8 kept");
	INT_EQ(tandem_seg_position(d, 1), 0, "an12 rejected");
	tandem_doc_set_meta(d, "title", "T");
	tandem_doc_set_meta(d, "title", "T2");
	tandem_doc_set_meta(d, "show", "S");
	STR_EQ(tandem_doc_meta(d, "title"), "T2", "meta replaced");
	tandem_doc_set_meta(d, "title", NULL);
	OK(tandem_doc_meta(d, "title") == NULL, "meta removed");
	STR_EQ(tandem_doc_meta_key(d, 0), "show", "remaining key");
	tandem_doc_add_block(d, TANDEM_BLOCK_NOTE, "NOTE hi", 1);
	tandem_doc *c = tandem_doc_clone(d);
	STR_EQ(tandem_seg_markup(c, 0), "<i>Hello</i>", "clone keeps markup");
	STR_EQ(tandem_seg_speaker(c, 0), "Ann", "clone keeps speaker");
	INT_EQ(tandem_doc_block_count(c), 1, "clone keeps blocks");
	tandem_seg_set_text(d, 0, "Bye");
	OK(tandem_seg_markup(d, 0) == NULL, "setting text clears markup");
	STR_EQ(tandem_seg_text(c, 0), "Hello", "clone is deep");
	tandem_doc_remove(d, 0, 1);
	INT_EQ(tandem_doc_count(d), 1, "removed");
	size_t before;
	tandem_doc_block(d, 0, NULL, &before);
	INT_EQ(before, 0, "block index follows removal");
	tandem_doc_free(c);
	tandem_doc_free(d);
	tandem_doc_free(NULL);
}

static void test_lines(void)
{
	static const struct {
		const char *in;
		size_t len;
		int count;
		const char *last;
	} cases[] = {
		{"", 0, 0, NULL},
		{"a", 1, 1, "a"},
		{"a\n", 2, 1, "a"},
		{"a\r\nb", 4, 2, "b"},
		{"a\rb\r", 4, 2, "b"},
		{"a\n\nb\n", 5, 3, "b"},
		{"\r\n\r\n", 4, 2, ""},
		{"x\r\r\ny", 5, 3, "y"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tandem__lines it;
		tandem__line ln;
		tandem__lines_init(&it, cases[i].in, cases[i].len);
		int n = 0;
		char last[16] = "";
		while (tandem__lines_next(&it, &ln)) {
			n++;
			INT_EQ(ln.no, n, "line numbers count up");
			snprintf(last, sizeof last, "%.*s", (int)ln.len, ln.s);
		}
		INT_EQ(n, cases[i].count, cases[i].in);
		if (cases[i].last)
			STR_EQ(last, cases[i].last, "last line");
	}
}

static int diag_count;
static char diag_text[512];

static void diag_sink(const tandem_diag *d, void *user)
{
	(void)user;
	diag_count++;
	tandem_diag_format(d, diag_text, sizeof diag_text);
}

static void test_diag(void)
{
	tandem__reader r = {0};
	r.filename = "talk.srt";
	r.diag = diag_sink;
	int rc = tandem__warn(&r, "srt-timestamp", 12, 14, "malformed timestamp '%s'", "00:01:02.5");
	INT_EQ(rc, 0, "lenient warning does not stop");
	STR_EQ(diag_text, "talk.srt:12:14: warning: malformed timestamp '00:01:02.5' [srt-timestamp]",
	       "compiler-style message");
	r.strict = 1;
	rc = tandem__warn(&r, "srt-number", 3, 1, "cue number missing");
	INT_EQ(rc, TANDEM_EPARSE, "strict warning is an error");
	STR_EQ(diag_text, "talk.srt:3:1: error: cue number missing [srt-number]", "strict message");
	INT_EQ(r.nerrors, 1, "error counted");
	INT_EQ(r.nwarnings, 1, "warning counted");
	tandem_diag d = {TANDEM_ERROR, "x", NULL, 0, 0, 0, 0, -1, "boom"};
	tandem_diag_format(&d, diag_text, sizeof diag_text);
	STR_EQ(diag_text, "<input>: error: boom [x]", "no position");
	STR_EQ(tandem_strerror(TANDEM_EPARSE), "malformed input", "strerror");
}

static void test_text(void)
{
	const char *zh = "你好，世界";
	INT_EQ(tandem_text_graphemes(zh, strlen(zh)), 5, "CJK graphemes");
	INT_EQ(tandem_text_width(zh, strlen(zh)), 10, "CJK is double width");
	const char *e = "e\xCC\x81t\xC3\xA9"; /* e + combining acute, t, é */
	INT_EQ(tandem_text_graphemes(e, strlen(e)), 3, "combining mark joins its base");
	const char *flag = "\xF0\x9F\x87\xA8\xF0\x9F\x87\xB3"; /* regional indicators CN */
	INT_EQ(tandem_text_graphemes(flag, strlen(flag)), 1, "flag is one grapheme");
	INT_EQ(tandem_text_script("Hello there", 11), TANDEM_SCRIPT_LATIN, "latin");
	INT_EQ(tandem_text_script(zh, strlen(zh)), TANDEM_SCRIPT_CJK, "cjk");
	const char *mixed = "我们用Claude写代码";
	INT_EQ(tandem_text_script(mixed, strlen(mixed)), TANDEM_SCRIPT_CJK, "Chinese with a name");
	INT_EQ(tandem_text_script("123 !", 5), TANDEM_SCRIPT_NONE, "no letters");
	char *p = tandem_markup_to_plain("<i>a &amp; b</i> &lt;3 &#x4F60;&#22909; &bogus; <v Ann>x");
	STR_EQ(p, "a & b <3 你好 &bogus; x", "markup to plain");
	free(p);
	/* Pathological input stays linear: 4 MB of '<' and '&' (was quadratic). */
	size_t big = 4u << 20;
	char *lt = malloc(big + 1);
	for (size_t i = 0; i < big; i++)
		lt[i] = i % 2 ? '<' : '&';
	lt[big] = '\0';
	p = tandem_markup_to_plain(lt);
	INT_EQ(strlen(p), big, "unclosed tags and bare ampersands kept");
	free(p);
	free(lt);
	p = tandem_plain_to_markup("a<b & c>");
	STR_EQ(p, "a&lt;b &amp; c&gt;", "plain to markup");
	free(p);
}

static void test_decode(void)
{
	tandem__reader r = {0};
	r.diag = diag_sink;
	char *out;
	size_t n;
	const char *enc;
	bool owned;
	INT_EQ(tandem__decode("\xEF\xBB\xBFhi", 5, NULL, &out, &n, &enc, &owned, &r), 0, "bom");
	STR_EQ(out, "hi", "bom stripped");
	STR_EQ(enc, "UTF-8 (BOM)", "bom named");
	OK(!owned, "valid UTF-8 is not copied");
	INT_EQ(tandem__decode("a\0b\nline two is long enough to be text", 38, NULL, &out, &n, &enc,
	                      &owned, &r), 0, "a stray NUL is text");
	OK(owned && memcmp(out, "a\xEF\xBF\xBD" "b", 5) == 0, "NUL read as U+FFFD");
	OK(strstr(diag_text, ":1:2: warning: NUL byte") != NULL, "NUL warned: %s", diag_text);
	free(out);
	INT_EQ(tandem__decode("\xFF\xFEh\0i\0", 6, NULL, &out, &n, &enc, &owned, &r), 0, "utf16le");
	STR_EQ(out, "hi", "utf16le text");
	free(out);
	INT_EQ(tandem__decode("\xFE\xFF\0h\0i", 6, NULL, &out, &n, &enc, &owned, &r), 0, "utf16be");
	STR_EQ(out, "hi", "utf16be text");
	free(out);
	/* 你好 in GBK. */
	INT_EQ(tandem__decode("a\n\xC4\xE3\xBA\xC3", 6, NULL, &out, &n, &enc, &owned, &r), 0, "gbk");
	STR_EQ(out, "a\n你好", "gbk decoded");
	STR_EQ(enc, "GB18030", "gbk named");
	OK(strstr(diag_text, ":2:1: warning:") != NULL, "legacy warning positioned: %s", diag_text);
	free(out);
	/* 宇宙守護神，我們的世界 in Big5: valid GBK too, told apart by its trail bytes. */
	const char b5[] = "\xA6\x74\xA9\x7A\xA6\x75\xC5\x40\xAF\xAB\xA1\x41\xA7\xDA\xAD\xCC"
	                  "\xAA\xBA\xA5\x40\xAC\xC9";
	INT_EQ(tandem__decode(b5, sizeof b5 - 1, NULL, &out, &n, &enc, &owned, &r), 0, "big5");
	STR_EQ(out, "宇宙守護神，我們的世界", "big5 detected without a flag");
	STR_EQ(enc, "BIG5", "big5 named");
	free(out);
	INT_EQ(tandem__decode("ab\0cd", 5, NULL, &out, &n, &enc, &owned, &r), TANDEM_EENCODING, "binary");
	OK(strstr(diag_text, "binary") != NULL, "binary named: %s", diag_text);
	INT_EQ(tandem__decode("x", 1, "NO-SUCH-ENC", &out, &n, &enc, &owned, &r), TANDEM_EENCODING,
	       "unknown forced encoding");
	INT_EQ(tandem__utf8_check("\xED\xA0\x80", 3), 0, "surrogate rejected");
	INT_EQ(tandem__utf8_check("\xC0\xAF", 2), 0, "overlong rejected");
	INT_EQ(tandem__utf8_check("ok\xF0\x9F\x98", 5), 2, "truncated sequence found");
}

static void test_atomic(void)
{
	char dir[] = "/tmp/tandem-core-XXXXXX";
	OK(mkdtemp(dir) != NULL, "tmpdir");
	char path[128];
	snprintf(path, sizeof path, "%s/out.txt", dir);
	INT_EQ(tandem_write_atomic(path, "one", 3), 0, "write");
	INT_EQ(tandem_write_atomic(path, "two!", 4), 0, "replace");
	size_t n;
	char *got = harness_slurp(path, &n);
	STR_EQ(got, "two!", "replaced content");
	free(got);
	OK(tandem_same_file(path, path), "same file");
	char link[160];
	snprintf(link, sizeof link, "%s/link.txt", dir);
	OK(symlink(path, link) == 0, "symlink");
	OK(tandem_same_file(path, link), "symlink is the same file");
	char bad[160];
	snprintf(bad, sizeof bad, "%s/no/such/dir/x", dir);
	INT_EQ(tandem_write_atomic(bad, "x", 1), TANDEM_EIO, "missing directory");
	unlink(link);
	unlink(path);
	OK(rmdir(dir) == 0, "no temporary left behind");
}

int main(void)
{
	test_buf();
	test_doc();
	test_lines();
	test_diag();
	test_text();
	test_decode();
	test_atomic();
	return harness_done();
}
