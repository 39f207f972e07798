/*
 * test_decode.c - input decoding as a reader sees it: BOMs, UTF-16,
 * legacy Chinese encodings (GB18030/GBK and Big5 detected, Big5 by its trail
 * bytes; a very short Big5 text needs --encoding),
 * invalid bytes reported with their position, --encoding forcing, binary
 * input, and LF / CRLF / CR line ends giving the same segments.
 */
#include "harness.h"
#include "tandem_private.h"
#include "harness_doc.h"

static tandem_doc *rd(const char *data, size_t len, const char *encoding, int strict,
                      tandem__buf *diags, int *status)
{
	return harness_read(data, len, "d.srt", "srt", encoding, strict, diags, status);
}

#define CUE "1\n00:00:01,000 --> 00:00:02,000\n"

/* UTF-8 (ASCII and BMP only) to UTF-16, with a BOM. */
static char *utf16(const char *s, bool be, size_t *len)
{
	size_t n = strlen(s);
	char *out = malloc(2 * n + 2);
	size_t k = 0;
	out[k++] = be ? '\xFE' : '\xFF';
	out[k++] = be ? '\xFF' : '\xFE';
	for (size_t i = 0; i < n;) {
		int32_t cp;
		i += tandem__utf8_decode(s + i, n - i, &cp);
		char hi = (char)(cp >> 8), lo = (char)(cp & 0xFF);
		out[k++] = be ? hi : lo;
		out[k++] = be ? lo : hi;
	}
	*len = k;
	return out;
}

static void test_unicode(void)
{
	tandem__buf diags = TANDEM_BUF_INIT;
	int rc;
	const char *plain = CUE "中文 text\n";
	tandem_doc *d = rd(plain, strlen(plain), NULL, 1, &diags, &rc);
	INT_EQ(rc, 0, "utf-8");
	if (d) {
		STR_EQ(tandem_doc_meta(d, "encoding"), "UTF-8", "utf-8 name");
		tandem_doc_free(d);
	}
	STR_EQ(diags.ptr, "", "utf-8: nothing to say, even strict");

	const char *bom = "\xEF\xBB\xBF" CUE "中文 text\n";
	d = rd(bom, strlen(bom), NULL, 1, &diags, &rc);
	INT_EQ(rc, 0, "utf-8 bom");
	if (d) {
		STR_EQ(tandem_doc_meta(d, "encoding"), "UTF-8 (BOM)", "bom name");
		STR_EQ(tandem_seg_id(d, 0), "1", "BOM does not stick to the number");
		STR_EQ(tandem_seg_text(d, 0), "中文 text", "bom text");
		tandem_doc_free(d);
	}

	for (int be = 0; be < 2; be++) {
		size_t len;
		char *u = utf16(CUE "中文 text\r\n", be, &len);
		d = rd(u, len, NULL, 1, &diags, &rc);
		INT_EQ(rc, 0, be ? "utf-16be" : "utf-16le");
		if (d) {
			STR_EQ(tandem_doc_meta(d, "encoding"), be ? "UTF-16BE" : "UTF-16LE", "utf-16 name");
			STR_EQ(tandem_seg_text(d, 0), "中文 text", "utf-16 text");
			INT_EQ(tandem_seg_end(d, 0), 2000, "utf-16 times");
			tandem_doc_free(d);
		}
		/* An odd byte count cannot be UTF-16: the message says where the cut
		 * unit is (line and column of the text before it, and its byte). */
		tandem__buf_clear(&diags);
		d = rd(u, len - 1, NULL, 0, &diags, &rc);
		INT_EQ(rc, TANDEM_EENCODING, "truncated utf-16");
		OK(d == NULL, "no doc");
		STR_EQ(diags.ptr,
		       be ? "d.srt:4:1: error: input starts with a UTF-16BE byte order mark but is not "
		            "valid UTF-16BE: a cut code unit at byte 82 [encoding-invalid]\n"
		          : "d.srt:4:1: error: input starts with a UTF-16LE byte order mark but is not "
		            "valid UTF-16LE: a cut code unit at byte 82 [encoding-invalid]\n",
		       "truncated utf-16 message");
		free(u);
	}
	tandem__buf_free(&diags);
}

static void test_legacy(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fixtures/samples/cdown_srt/gb2312.srt", harness_src_dir());
	size_t len;
	char *data = harness_slurp(path, &len);
	OK(data != NULL, "read %s", path);
	if (!data)
		return;
	tandem__buf diags = TANDEM_BUF_INIT;
	int rc;
	tandem_doc *d = rd(data, len, NULL, 0, &diags, &rc);
	INT_EQ(rc, 0, "gb2312.srt reads with no flag");
	if (d) {
		STR_EQ(tandem_doc_meta(d, "encoding"), "GB18030", "detected");
		INT_EQ(tandem_doc_count(d), 3, "3 cues");
		STR_EQ(tandem_seg_text(d, 0), "宇宙守护神  保护我们远离邪恶", "first cue");
		STR_EQ(tandem_seg_text(d, 2), "轻轻一跳就能飞跃高楼", "last cue");
		tandem_doc_free(d);
	}
	const char *want = "d.srt:3:1: warning: input is not UTF-8; decoded as GB18030 (use "
	                   "--encoding to choose) [encoding-legacy]\n";
	OK(strncmp(diags.ptr, want, strlen(want)) == 0, "legacy warning first, got: %s", diags.ptr);
	/* Strict: a guessed encoding is not good enough. */
	tandem__buf_clear(&diags);
	d = rd(data, len, NULL, 1, &diags, &rc);
	INT_EQ(rc, TANDEM_EENCODING, "strict refuses a guessed encoding");
	OK(d == NULL, "no doc");
	/* Asking for it is. */
	tandem__buf_clear(&diags);
	d = rd(data, len, "GBK", 0, &diags, &rc);
	INT_EQ(rc, 0, "--encoding GBK");
	if (d) {
		STR_EQ(tandem_doc_meta(d, "encoding"), "GBK", "forced name");
		STR_EQ(tandem_seg_text(d, 1), "他能徒手抓住子弹  拦住疾速的火车", "forced text");
		tandem_doc_free(d);
	}
	OK(strstr(diags.ptr, "encoding-legacy") == NULL, "no guess warning when forced");
	free(data);

	/* Big5 ("宇宙守護神"), forced: --encoding BIG5 reads it whatever the
	 * detection (core/decode.c's big5_likely) would have said. */
	const char big5[] = CUE "\xA6\x74\xA9\x7A\xA6\x75\xC5\x40\xAF\xAB\n";
	tandem__buf_clear(&diags);
	d = rd(big5, sizeof big5 - 1, "BIG5", 0, &diags, &rc);
	INT_EQ(rc, 0, "--encoding BIG5");
	if (d) {
		STR_EQ(tandem_seg_text(d, 0), "宇宙守護神", "big5 text");
		tandem_doc_free(d);
	}
	tandem__buf_free(&diags);
}

static void test_invalid(void)
{
	static const struct {
		const char *data;
		size_t len;
		const char *encoding;
		int status;
		const char *diag;
	} cases[] = {
		{CUE "ab\xFF\xFE\x80\n", sizeof CUE + 6 - 1, NULL, TANDEM_EENCODING,
		 "d.srt:3:3: error: invalid UTF-8 (byte 0xFF), and not GB18030 or Big5 either; use "
		 "--encoding NAME [encoding-invalid]\n"},
		{"1\r\n00:00:01,000 --> 00:00:02,000\r\nok\r\nx\xC3\x28\xFF\r\n", 44, NULL,
		 TANDEM_EENCODING,
		 "d.srt:4:2: error: invalid UTF-8 (byte 0xC3), and not GB18030 or Big5 either; use "
		 "--encoding NAME [encoding-invalid]\n"},
		{CUE "a\0\0\0\0\0\0\0\0\0b\n", sizeof CUE + 12 - 1, NULL, TANDEM_EENCODING,
		 "d.srt:3:2: error: input holds NUL or control bytes: binary data, not subtitles or "
		 "text (UTF-16 without a byte order mark needs --encoding) [binary-input]\n"},
		{CUE "caf\xE9\n", sizeof CUE + 5 - 1, "NO-SUCH-ENCODING", TANDEM_EENCODING,
		 "d.srt: error: unknown encoding 'NO-SUCH-ENCODING' [encoding-unknown]\n"},
		{CUE "caf\xE9\n", sizeof CUE + 5 - 1, "UTF-8", TANDEM_EENCODING,
		 "d.srt: error: input is not valid UTF-8 [encoding-invalid]\n"},
		{"", 0, NULL, TANDEM_EEMPTY, "d.srt: error: input is empty [empty-input]\n"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem__buf diags = TANDEM_BUF_INIT;
		int rc;
		tandem_doc *d = rd(cases[k].data, cases[k].len, cases[k].encoding, 0, &diags, &rc);
		INT_EQ(rc, cases[k].status, cases[k].diag);
		OK(d == NULL, "no doc for case %zu", k);
		tandem_doc_free(d);
		STR_EQ(diags.ptr, cases[k].diag, "message");
		tandem__buf_free(&diags);
	}
	/* Forcing an encoding that fits. */
	tandem__buf diags = TANDEM_BUF_INIT;
	int rc;
	const char latin1[] = CUE "caf\xE9\n";
	tandem_doc *d = rd(latin1, sizeof latin1 - 1, "ISO-8859-1", 0, &diags, &rc);
	INT_EQ(rc, 0, "latin-1 forced");
	if (d) {
		STR_EQ(tandem_seg_text(d, 0), "caf\xC3\xA9", "latin-1 text");
		tandem_doc_free(d);
	}
	const char bom[] = "\xEF\xBB\xBF" CUE "x\n";
	d = rd(bom, sizeof bom - 1, "UTF-8", 0, &diags, &rc);
	INT_EQ(rc, 0, "utf-8 forced with a BOM");
	if (d) {
		STR_EQ(tandem_seg_id(d, 0), "1", "BOM dropped when forced");
		tandem_doc_free(d);
	}
	/* Dense control bytes in valid UTF-8 without a NUL are text, not binary
	 * (fixtures/regress/srt-controls-binary.srt: the SRT writer's output). */
	const char ctl[] = "1\n00:00:04,000 --> 00:00:06,000\n<i\x11\x11\x11\x11\x11te\n\n";
	tandem__buf_clear(&diags);
	d = rd(ctl, sizeof ctl - 1, NULL, 0, &diags, &rc);
	INT_EQ(rc, 0, "controls in UTF-8 are text");
	if (d) {
		STR_EQ(tandem_seg_text(d, 0), "<i\x11\x11\x11\x11\x11te", "controls kept");
		tandem_doc_free(d);
	}
	tandem__buf_free(&diags);
}

static void test_line_ends(void)
{
	static const char *const variants[] = {
		"1\n00:00:01,000 --> 00:00:02,000\nOne\nTwo\n\n2\n00:00:03,000 --> 00:00:04,000\nThree\n",
		"1\r\n00:00:01,000 --> 00:00:02,000\r\nOne\r\nTwo\r\n\r\n2\r\n00:00:03,000 --> "
		"00:00:04,000\r\nThree\r\n",
		"1\r00:00:01,000 --> 00:00:02,000\rOne\rTwo\r\r2\r00:00:03,000 --> 00:00:04,000\rThree\r",
		"1\r\n00:00:01,000 --> 00:00:02,000\nOne\rTwo\r\n\n2\r00:00:03,000 --> "
		"00:00:04,000\r\nThree\n",
	};
	for (size_t k = 0; k < sizeof variants / sizeof *variants; k++) {
		tandem__buf diags = TANDEM_BUF_INIT;
		int rc;
		tandem_doc *d = rd(variants[k], strlen(variants[k]), NULL, 1, &diags, &rc);
		INT_EQ(rc, 0, variants[k]);
		STR_EQ(diags.ptr, "", "no findings");
		if (d) {
			INT_EQ(tandem_doc_count(d), 2, "two cues");
			STR_EQ(tandem_seg_text(d, 0), "One\nTwo", "lines joined with LF");
			STR_EQ(tandem_seg_text(d, 1), "Three", "second cue");
			INT_EQ(tandem_seg_line(d, 1), 6, "line numbers count any line end");
			tandem_doc_free(d);
		}
		tandem__buf_free(&diags);
	}
}

int main(void)
{
	test_unicode();
	test_legacy();
	test_invalid();
	test_line_ends();
	return harness_done();
}
