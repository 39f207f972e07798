/*
 * test_timeedit.c - tandem_doc_shift and tandem_doc_scale (clamping,
 * dropping, untimed values, inline timestamps, blocks kept in place) and
 * the output encoding of the write options (iconv targets, BOM, a
 * character the target cannot hold).
 */
#include "harness.h"
#include "tandem.h"

typedef struct seen {
	int n, warnings, infos;
	char last[512];
	long segment;
	size_t line;
} seen;

static void on_diag(const tandem_diag *d, void *user)
{
	seen *s = user;
	s->n++;
	s->warnings += d->severity == TANDEM_WARNING;
	s->infos += d->severity == TANDEM_INFO;
	tandem_diag_format(d, s->last, sizeof s->last);
	s->segment = d->segment;
	s->line = d->line;
}

static void test_shift(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 0, 900, "gone before zero", NULL);
	tandem_doc_add(d, 500, 3000, "clamped", NULL);
	tandem_doc_add(d, 800, 1500, "also clamped", NULL);
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "untimed", NULL);
	tandem_doc_add(d, 5000, 6000, "moved", NULL);
	tandem_doc_add_block(d, TANDEM_BLOCK_NOTE, "NOTE before moved", 4);
	seen s = {0};
	INT_EQ(tandem_doc_shift(d, -1000, "x.srt", on_diag, &s), 0, "shift");
	INT_EQ(tandem_doc_count(d), 4, "one cue dropped");
	STR_EQ(tandem_seg_text(d, 0), "clamped", "order kept");
	INT_EQ(tandem_seg_start(d, 0), 0, "start clamped");
	INT_EQ(tandem_seg_end(d, 0), 2000, "end moved");
	INT_EQ(tandem_seg_start(d, 1), 0, "second clamp");
	INT_EQ(tandem_seg_start(d, 2), TANDEM_NO_TIME, "untimed stays untimed");
	INT_EQ(tandem_seg_start(d, 3), 4000, "moved start");
	INT_EQ(tandem_seg_end(d, 3), 5000, "moved end");
	INT_EQ(s.warnings, 1, "one drop warning");
	INT_EQ(s.infos, 1, "the clamp said once");
	const char *text;
	size_t before;
	tandem_doc_block(d, 0, &text, &before);
	INT_EQ(before, 3, "the block still precedes its cue");
	tandem_doc_free(d);

	d = tandem_doc_new();
	tandem_doc_add(d, 1000, 2000, "A long first line of text\nand a second one", NULL);
	s = (seen){0};
	tandem_doc_shift(d, -2000, "x.srt", on_diag, &s);
	INT_EQ(tandem_doc_count(d), 0, "dropped");
	STR_EQ(s.last,
	       "x.srt: warning: cue 1 ('A long first line of text and...') ends before 0 after the "
	       "shift; dropped [shift-dropped]",
	       "the drop names the cue");
	INT_EQ(s.segment, 0, "its index");
	tandem_doc_free(d);

	d = tandem_doc_new();
	size_t k = tandem_doc_add(d, 10000, 12000, "one two", NULL);
	tandem_seg_set_markup(d, k, "<00:10.000>one <00:00:11.500>two <b>x</b>");
	INT_EQ(tandem_doc_shift(d, 500, NULL, NULL, NULL), 0, "no sink needed");
	STR_EQ(tandem_seg_markup(d, 0), "<00:10.500>one <00:00:12.000>two <b>x</b>",
	       "inline timestamps move");
	INT_EQ(tandem_doc_shift(NULL, 1, NULL, NULL, NULL), TANDEM_EINVAL, "NULL doc");
	tandem_doc_free(d);
}

static void test_scale(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 1000, 62500, "x", NULL);
	tandem_doc_add(d, TANDEM_NO_TIME, 100, "y", NULL);
	INT_EQ(tandem_doc_scale(d, 25, 23.976), 0, "scale");
	INT_EQ(tandem_seg_start(d, 0), 1043, "1000 * 25/23.976");
	INT_EQ(tandem_seg_end(d, 0), 65169, "62500 * 25/23.976");
	INT_EQ(tandem_seg_start(d, 1), TANDEM_NO_TIME, "untimed");
	INT_EQ(tandem_seg_end(d, 1), 104, "rounded");
	INT_EQ(tandem_doc_scale(d, 0, 1), TANDEM_EINVAL, "zero");
	INT_EQ(tandem_doc_scale(d, 1, -1), TANDEM_EINVAL, "negative");
	tandem_doc_free(d);
}

static void test_encoding(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 0, 1000, "你好", NULL);
	tandem_write_opts o;
	tandem_write_opts_init(&o);
	char *out;
	size_t len;
	o.out_encoding = "GB18030";
	INT_EQ(tandem_doc_write(d, "lines", &o, &out, &len), 0, "GB18030");
	INT_EQ(len, 5, "two characters and LF");
	OK(memcmp(out, "\xc4\xe3\xba\xc3\n", 5) == 0, "GB18030 bytes");
	free(out);
	o.out_encoding = NULL;
	o.bom = 1;
	tandem_doc_write(d, "lines", &o, &out, &len);
	OK(len == 10 && memcmp(out, "\xef\xbb\xbf\xe4\xbd\xa0", 6) == 0, "UTF-8 BOM");
	free(out);
	o.out_encoding = "UTF-16BE";
	o.crlf = 1;
	tandem_doc_write(d, "lines", &o, &out, &len);
	OK(len == 10 && memcmp(out, "\xfe\xff\x4f\x60\x59\x7d\x00\r\x00\n", 10) == 0,
	   "UTF-16BE, BOM, CRLF");
	free(out);
	tandem_doc_add(d, 1000, 2000, "ok", NULL);
	tandem_doc_add(d, 2000, 3000, "caf\xc3\xa9", NULL);
	seen s = {0};
	tandem_write_opts_init(&o);
	o.out_encoding = "ASCII";
	o.diag = on_diag;
	o.diag_user = &s;
	o.filename = "o.txt";
	INT_EQ(tandem_doc_write(d, "lines", &o, &out, &len), TANDEM_EENCODING, "ASCII cannot");
	OK(out == NULL, "nothing handed out");
	STR_EQ(s.last,
	       "o.txt: error: cue 1 ('你好'): '你' (U+4F60) cannot be written in ASCII; nothing "
	       "written [out-encoding]",
	       "names the first cue");
	tandem_doc_remove(d, 0, 1);
	tandem_doc_write(d, "lines", &o, &out, &len);
	OK(strstr(s.last, "cue 2 ('caf\xc3\xa9'): '\xc3\xa9' (U+00E9)") != NULL, "%s", s.last);
	o.out_encoding = "NO-SUCH-CODE";
	INT_EQ(tandem_doc_write(d, "lines", &o, &out, &len), TANDEM_EINVAL, "unknown name");
	OK(strstr(s.last, "unknown encoding 'NO-SUCH-CODE'") != NULL, "%s", s.last);
	tandem_doc_free(d);
}

int main(void)
{
	test_shift();
	test_scale();
	test_encoding();
	return harness_done();
}
