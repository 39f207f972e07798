/*
 * test_srt.c - the SRT reader and writer.
 *
 *  - Golden files: every fixtures/srt/NAME.in.srt is read (lenient) and
 *    written back as canonical SRT, compared with NAME.out.srt; the
 *    diagnostics the reader gave, one per line, are compared with
 *    NAME.diag.  TANDEM_REGEN=1 rewrites the expected files instead, and
 *    says so for each one it changed.
 *  - Round trips over the same fixtures: SRT -> SRT, SRT -> JSON -> SRT
 *    and (when the WebVTT format is built in) SRT -> VTT -> SRT give the
 *    same segments.
 *  - Unit cases: values read, strict mode, tags, speakers, writer options,
 *    what the writer reports dropping.
 */
#include "harness.h"
#include "stream.h"
#include "harness_doc.h"

#include <dirent.h>

/* Read text as SRT; diagnostics into *diags (may be NULL). */
static tandem_doc *read_srt(const char *text, size_t len, const char *name, int strict,
                            tandem__buf *diags, int *status)
{
	return harness_read(text, len, name, "srt", NULL, strict, diags, status);
}

static tandem_doc *read_str(const char *text)
{
	int rc;
	tandem_doc *d = read_srt(text, strlen(text), "t.srt", 0, NULL, &rc);
	OK(rc == 0 && d, "read: %s", tandem_strerror(rc));
	return d;
}

static char *write_fmt(const tandem_doc *doc, const char *fmt, const tandem_write_opts *wo,
                       tandem__buf *notes)
{
	tandem_write_opts o;
	if (wo)
		o = *wo;
	else
		tandem_write_opts_init(&o);
	if (notes) {
		o.diag = harness_collect;
		o.diag_user = notes;
		o.filename = "out.srt";
	}
	char *out = NULL;
	size_t len;
	int rc = tandem_doc_write(doc, fmt, &o, &out, &len);
	OK(rc == 0, "write %s: %s", fmt, tandem_strerror(rc));
	return out;
}

/* ---- golden files ---- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_or_regen(const char *path, const char *got, const char *what)
{
	char *want = harness_slurp(path, NULL);
	bool regen = getenv("TANDEM_REGEN") && strcmp(getenv("TANDEM_REGEN"), "1") == 0;
	if (regen && (!want || strcmp(want, got) != 0)) {
		FILE *fp = fopen(path, "wb");
		OK(fp != NULL, "cannot write %s", path);
		if (fp) {
			fputs(got, fp);
			fclose(fp);
		}
		printf("REGENERATED %s\n", path);
	} else {
		OK(want != NULL, "missing %s (run with TANDEM_REGEN=1 to create it)", path);
		if (want)
			STR_EQ(got, want, what);
	}
	free(want);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A markup without tags says no more than its text. */
static const char *styled(const char *markup)
{
	return markup && strchr(markup, '<') ? markup : NULL;
}

enum { SAME_TEXT, SAME_SRT, SAME_ALL };

/*
 * Segments equal: SAME_TEXT in times, text and translation; SAME_SRT also
 * in what SRT holds (speaker, markup, position); SAME_ALL in every field.
 */
static void same_segments(const tandem_doc *a, const tandem_doc *b, const char *what, int level)
{
	INT_EQ(tandem_doc_count(b), tandem_doc_count(a), what);
	size_t n = tandem_doc_count(a) < tandem_doc_count(b) ? tandem_doc_count(a)
	                                                      : tandem_doc_count(b);
	for (size_t i = 0; i < n; i++) {
		const tandem__seg *x = &a->segs[i], *y = &b->segs[i];
		bool ok = x->start == y->start && x->end == y->end && same(x->text, y->text) &&
		          same(x->translation, y->translation);
		if (level >= SAME_SRT)
			ok = ok && same(x->speaker, y->speaker) &&
			     same(styled(x->markup), styled(y->markup)) && x->an == y->an;
		if (level >= SAME_ALL)
			ok = ok && same(x->id, y->id) && same(x->settings, y->settings) &&
			     same(x->section, y->section) && same(x->markup, y->markup) &&
			     x->line == y->line;
		OK(ok, "%s: segment %zu differs: '%s' / '%s'", what, i, x->text, y->text);
		if (!ok)
			break;
	}
}

static void round_trips(const tandem_doc *doc, const char *name)
{
	char what[256];
	/* A label on every cue: the lossless setting (under the default, a
	 * speaker's later cues carry no "Name: " and read back without one). */
	tandem_write_opts every;
	tandem_write_opts_init(&every);
	every.speakers = TANDEM_SPEAKERS_EVERY;
	/* SRT -> SRT */
	char *srt = write_fmt(doc, "srt", &every, NULL);
	tandem_doc *d2 = srt ? read_str(srt) : NULL;
	snprintf(what, sizeof what, "%s: srt -> srt", name);
	if (d2)
		same_segments(doc, d2, what, SAME_SRT);
	/* Canonical output is a fixed point. */
	char *srt2 = d2 ? write_fmt(d2, "srt", &every, NULL) : NULL;
	snprintf(what, sizeof what, "%s: canonical srt is stable", name);
	if (srt2)
		STR_EQ(srt2, srt, what);
	free(srt2);
	tandem_doc_free(d2);

	/* SRT -> JSON -> model: everything, ids and input lines included. */
	char *json = write_fmt(doc, "json", NULL, NULL);
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "json";
	tandem_doc *dj = NULL;
	OK(json && tandem_doc_read(&dj, json, strlen(json), &ro) == 0, "%s: json reads", name);
	if (dj) {
		for (size_t i = 0; i < dj->nsegs; i++)
			dj->segs[i].line = i < doc->nsegs ? doc->segs[i].line : 0;
		snprintf(what, sizeof what, "%s: srt -> json -> model", name);
		same_segments(doc, dj, what, SAME_ALL);
		for (size_t k = 0; k < doc->nmeta; k++)
			if (strcmp(doc->meta[k].key, "format") && strcmp(doc->meta[k].key, "encoding"))
				STR_EQ(tandem_doc_meta(dj, doc->meta[k].key), doc->meta[k].value, what);
		char *back = write_fmt(dj, "srt", &every, NULL);
		snprintf(what, sizeof what, "%s: srt -> json -> srt", name);
		if (back)
			STR_EQ(back, srt, what);
		free(back);
	}
	tandem_doc_free(dj);
	free(json);

	/* SRT -> VTT -> SRT, once helper formats include WebVTT. */
	if (tandem_format_can_write("vtt") && tandem_format_can_read("vtt")) {
		char *vtt = write_fmt(doc, "vtt", NULL, NULL);
		ro.format = "vtt";
		tandem_doc *dv = NULL;
		OK(vtt && tandem_doc_read(&dv, vtt, strlen(vtt), &ro) == 0, "%s: vtt reads", name);
		if (dv) {
			/* WebVTT has no <font> and no {\anN}: the segments must survive, not the styling. */
			char *back = write_fmt(dv, "srt", &every, NULL);
			tandem_doc *d3 = back ? read_str(back) : NULL;
			snprintf(what, sizeof what, "%s: srt -> vtt -> srt", name);
			if (d3)
				same_segments(doc, d3, what, SAME_TEXT);
			tandem_doc_free(d3);
			free(back);
		}
		tandem_doc_free(dv);
		free(vtt);
	}
	free(srt);
}

static void test_golden(void)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/fixtures/srt", harness_src_dir());
	DIR *d = opendir(dir);
	OK(d != NULL, "cannot open %s", dir);
	if (!d)
		return;
	char *names[256];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256) {
		size_t len = strlen(e->d_name);
		if (len > 7 && strcmp(e->d_name + len - 7, ".in.srt") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_name);
	OK(n >= 12, "expected at least 12 golden cases, found %zu", n);
	for (size_t k = 0; k < n; k++) {
		char path[4600], stem[256];
		size_t len = strlen(names[k]) - 7;
		snprintf(stem, sizeof stem, "%.*s", (int)len, names[k]);
		snprintf(path, sizeof path, "%s/%s", dir, names[k]);
		size_t size;
		char *input = harness_slurp(path, &size);
		OK(input != NULL, "read %s", path);
		if (!input)
			continue;
		tandem__buf diags = TANDEM_BUF_INIT;
		int rc;
		tandem_doc *doc = read_srt(input, size, names[k], 0, &diags, &rc);
		OK(rc == 0, "%s: %s\n%s", names[k], tandem_strerror(rc), diags.ptr);
		char *out = doc ? write_fmt(doc, "srt", NULL, NULL) : NULL;
		snprintf(path, sizeof path, "%s/%s.out.srt", dir, stem);
		if (out)
			check_or_regen(path, out, names[k]);
		snprintf(path, sizeof path, "%s/%s.diag", dir, stem);
		check_or_regen(path, diags.ptr, path);
		/* The model as JSON shows what text can't: speakers, ids, markup, positions. */
		char *json = doc ? write_fmt(doc, "json", NULL, NULL) : NULL;
		snprintf(path, sizeof path, "%s/%s.out.json", dir, stem);
		if (json)
			check_or_regen(path, json, path);
		free(json);
		if (doc)
			round_trips(doc, names[k]);
		free(out);
		tandem_doc_free(doc);
		tandem__buf_free(&diags);
		free(input);
		free(names[k]);
	}
}

/* ---- unit cases ---- */

static void test_values(void)
{
	tandem_doc *d = read_str("1\n00:00:01,5 --> 00:00:02,25\nA\n\n"
	                         "2\n01:02:03.004 --> 01:02:04,000\nB\n\n"
	                         "3\n02:03,000 --> 02:04,999\nC\n");
	if (!d)
		return;
	INT_EQ(tandem_doc_count(d), 3, "count");
	INT_EQ(tandem_seg_start(d, 0), 1500, "',5' is half a second");
	INT_EQ(tandem_seg_end(d, 0), 2250, "',25' is a quarter");
	INT_EQ(tandem_seg_start(d, 1), 3723004, "dot separator");
	INT_EQ(tandem_seg_start(d, 2), 123000, "mm:ss,mmm");
	INT_EQ(tandem_seg_end(d, 2), 124999, "mm:ss,mmm end");
	STR_EQ(tandem_seg_id(d, 1), "2", "number kept as id");
	INT_EQ(tandem_seg_line(d, 2), 9, "input line");
	tandem_doc_free(d);
}

static void test_strict(void)
{
	static const struct {
		const char *text;
		const char *diag;   /* the first diagnostic, exactly */
	} cases[] = {
		{"1\n00:00:01.000 --> 00:00:02,000\nA\n",
		 "s.srt:2:1: error: '.' instead of ',' before the milliseconds in '00:00:01.000' "
		 "[srt-timestamp]"},
		{"1\n00:00:01,000 --> 00:00:02,5\nA\n",
		 "s.srt:2:18: error: 1-digit milliseconds in '00:00:02,5' (read as a fraction: x100) "
		 "[srt-timestamp]"},
		{"1\n00:00:01,000 --> 00:00:02,000\nA\n\n\n2\n00:00:03,000 --> 00:00:04,000\nB\n",
		 "s.srt:5:1: error: 2 blank lines between cues (one expected) [srt-blank-line]"},
		{"1\n00:00:01,000 --> 00:00:02,000\nA\n2\n00:00:03,000 --> 00:00:04,000\nB\n",
		 "s.srt:4:1: error: no blank line before this cue [srt-blank-line]"},
		{"1\n00:00:01,000  --> 00:00:02,000\nA\n",
		 "s.srt:2:15: error: '-->' should have one space on each side [srt-timing]"},
		{"1\n00:00:03,000 --> 00:00:02,000\nA\n",
		 "s.srt:2:18: error: cue ends before it starts (00:00:03,000 --> 00:00:02,000) "
		 "[srt-timing]"},
		{"2\n00:00:01,000 --> 00:00:02,000\nA\n",
		 "s.srt:1:1: error: numbering starts at 2, not 1 [srt-number]"},
		{"1\n00:00:01,000 --> 00:00:02,000\nA",
		 "s.srt:3:2: error: no line break at the end of the file [srt-final-newline]"},
		{"1\n00:00:01,000 --> 00:00:02,000\n<blink>A</blink>\n",
		 "s.srt:3:1: error: unknown tag '<blink>' kept as text [srt-tag]"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem__buf diags = TANDEM_BUF_INIT;
		int rc;
		/* Lenient: read, with the same finding as a warning. */
		tandem_doc *d = read_srt(cases[k].text, strlen(cases[k].text), "s.srt", 0, &diags, &rc);
		INT_EQ(rc, 0, cases[k].diag);
		tandem_doc_free(d);
		tandem__buf_clear(&diags);
		d = read_srt(cases[k].text, strlen(cases[k].text), "s.srt", 1, &diags, &rc);
		INT_EQ(rc, TANDEM_EPARSE, cases[k].diag);
		OK(d == NULL, "no document on failure");
		char *nl = strchr(diags.ptr, '\n');
		if (nl)
			*nl = '\0';
		STR_EQ(diags.ptr, cases[k].diag, "strict: first diagnostic");
		tandem__buf_free(&diags);
	}
}

static void test_errors(void)
{
	static const struct {
		const char *text;
		int status;
		const char *diag;
	} cases[] = {
		{"1\n00:00:01,000 --> 00:00:0x,000\nA\n", TANDEM_EPARSE,
		 "e.srt:2:18: error: malformed end time '00:00:0x,000' [srt-timestamp]"},
		{"1\n00:61:01,000 --> 00:00:02,000\nA\n", TANDEM_EPARSE,
		 "e.srt:2:1: error: malformed start time '00:61:01,000' [srt-timestamp]"},
		{"1\n00:00:01,000 -> 00:00:02,000\nA\n", TANDEM_EPARSE,
		 "e.srt:2:1: error: cue number 1 is not followed by a timing line ('00:00:01,000 --> "
		 "00:00:02,000') [srt-timing]"},
		{"1\n00:00:01,000 00:00:02,000 -->\nA\n", TANDEM_EPARSE,
		 "e.srt:2:14: error: '-->' expected after the start time [srt-timing]"},
		{"just some text\nand more\n", TANDEM_EEMPTY,
		 "e.srt:1:1: warning: text outside any cue skipped: 'just some text' [srt-stray-text]"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem__buf diags = TANDEM_BUF_INIT;
		int rc;
		tandem_doc *d = read_srt(cases[k].text, strlen(cases[k].text), "e.srt", 0, &diags, &rc);
		INT_EQ(rc, cases[k].status, cases[k].diag);
		OK(d == NULL, "no document");
		char *nl = strchr(diags.ptr, '\n');
		if (nl)
			*nl = '\0';
		STR_EQ(diags.ptr, cases[k].diag, "first diagnostic");
		tandem__buf_free(&diags);
	}
}

static void test_markup(void)
{
	tandem_doc *d = read_str("1\n00:00:01,000 --> 00:00:02,000\n"
	                         "<I>a</I> & <font color=\"red\">b</font> {\\an7}<x\n"
	                         "<b>c</b> > d\n\n"
	                         "2\n00:00:03,000 --> 00:00:04,000\nplain & simple {\\an9} {\\an1}\n");
	if (!d)
		return;
	STR_EQ(tandem_seg_text(d, 0), "a & b <x\nc > d", "text is plain");
	STR_EQ(tandem_seg_markup(d, 0),
	       "<i>a</i> &amp; <font color=\"red\">b</font> &lt;x\n<b>c</b> &gt; d", "markup");
	char *plain = tandem_markup_to_plain(tandem_seg_markup(d, 0));
	STR_EQ(plain, tandem_seg_text(d, 0), "markup_to_plain(markup) == text");
	free(plain);
	INT_EQ(tandem_seg_position(d, 0), 7, "{\\an7}");
	STR_EQ(tandem_seg_text(d, 1), "plain & simple  ", "no tags: no markup, {\\anN} removed");
	OK(tandem_seg_markup(d, 1) == NULL, "markup NULL without tags");
	INT_EQ(tandem_seg_position(d, 1), 9, "first {\\anN} wins");
	char *out = write_fmt(d, "srt", NULL, NULL);
	STR_EQ(out,
	       "1\n00:00:01,000 --> 00:00:02,000\n{\\an7}<i>a</i> & <font color=\"red\">b</font> <x\n"
	       "<b>c</b> > d\n\n2\n00:00:03,000 --> 00:00:04,000\n{\\an9}plain & simple  \n\n",
	       "written back");
	free(out);
	tandem_doc_free(d);
}

static void test_writer_mapping(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 0, 1000, "Bob: Hi there x", NULL);
	tandem_seg_set_markup(d, 0, "<v Bob><c.loud>Hi</c> <00:00:00.500><i.x>there</i> "
	                            "<lang en>x</lang></v>");
	tandem_doc_add(d, 1000, 2000, "漢(kan) &", "翻译");
	tandem_seg_set_markup(d, 1, "<ruby>漢<rt>kan</rt></ruby> &amp;");
	tandem_seg_set_settings(d, 1, "line:0");
	tandem_doc_add_block(d, TANDEM_BLOCK_NOTE, "a note", 0);
	tandem__buf notes = TANDEM_BUF_INIT;
	char *out = write_fmt(d, "srt", NULL, &notes);
	STR_EQ(out,
	       "1\n00:00:00,000 --> 00:00:01,000\nBob: Hi <i>there</i> x\n\n"
	       "2\n00:00:01,000 --> 00:00:02,000\n漢(kan) &\n"
	       "<font class=\"translation\">翻译</font>\n\n",
	       "markup mapped to SRT; a translation in the text's script is marked");
	STR_EQ(notes.ptr,
	       "out.srt: warning: SRT has no WebVTT classes (<c>), voices (<v>; the name is kept as "
	       "'Name: '), language spans (<lang>), ruby (its text kept in parentheses), inner "
	       "timestamps; dropped (the text is kept) [srt-dropped-tags]\n"
	       "out.srt: warning: cue settings of 1 cues dropped (SRT has only {\\anN}) "
	       "[srt-dropped-settings]\n"
	       "out.srt: info: 1 NOTE/STYLE/REGION blocks dropped (SRT has none) "
	       "[srt-dropped-blocks]\n"
	       "out.srt: info: 1 translation(s) marked <font class=\"translation\"> (players show "
	       "plain text) to read back as translations: the script alone would not tell them "
	       "from the text [srt-translation-mark]\n",
	       "one note per kind of loss");
	free(out);
	tandem__buf_free(&notes);
	tandem_doc_free(d);
}

static void test_writer_options(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 0, 1500, "Hello\n\nworld", "你好世界");
	tandem_seg_set_speaker(d, 0, "Ann");
	tandem_seg_set_position(d, 0, 8);
	tandem_doc_add(d, 2000, 3000, "Untranslated", NULL);
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	tandem__buf notes = TANDEM_BUF_INIT;
	char *out = write_fmt(d, "srt", &wo, &notes);
	STR_EQ(out,
	       "1\n00:00:00,000 --> 00:00:01,500\n{\\an8}Ann: Hello\nworld\n你好世界\n\n"
	       "2\n00:00:02,000 --> 00:00:03,000\nUntranslated\n\n",
	       "default: source first, LF");
	STR_EQ(notes.ptr,
	       "out.srt: info: 1 empty lines inside cue text left out (a blank line ends an SRT "
	       "cue) [srt-blank-line]\n",
	       "empty line reported");
	free(out);
	wo.order = TANDEM_ORDER_TRANSLATION_FIRST;
	wo.crlf = 1;
	out = write_fmt(d, "srt", &wo, NULL);
	STR_EQ(out,
	       "1\r\n00:00:00,000 --> 00:00:01,500\r\n{\\an8}Ann: 你好世界\r\nHello\r\nworld\r\n\r\n"
	       "2\r\n00:00:02,000 --> 00:00:03,000\r\nUntranslated\r\n\r\n",
	       "translation first, CRLF");
	free(out);
	wo.crlf = 0;
	wo.side = TANDEM_SIDE_SOURCE;
	out = write_fmt(d, "srt", &wo, NULL);
	STR_EQ(out,
	       "1\n00:00:00,000 --> 00:00:01,500\n{\\an8}Ann: Hello\nworld\n\n"
	       "2\n00:00:02,000 --> 00:00:03,000\nUntranslated\n\n",
	       "source side only");
	free(out);
	wo.side = TANDEM_SIDE_TRANSLATION;
	tandem__buf_clear(&notes);
	out = write_fmt(d, "srt", &wo, &notes);
	STR_EQ(out, "1\n00:00:00,000 --> 00:00:01,500\n{\\an8}Ann: 你好世界\n\n",
	       "translation side only");
	STR_EQ(notes.ptr,
	       "out.srt: info: 1 segments without a translation left out [srt-side-empty]\n",
	       "left-out segments reported");
	free(out);
	tandem__buf_free(&notes);

	/* Untimed segments cannot be SRT cues. */
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "no time", NULL);
	tandem_write_opts_init(&wo);
	notes = (tandem__buf)TANDEM_BUF_INIT;
	wo.diag = harness_collect;
	wo.diag_user = &notes;
	char *o2 = NULL;
	size_t len;
	INT_EQ(tandem_doc_write(d, "srt", &wo, &o2, &len), TANDEM_EFORMAT, "untimed");
	OK(o2 == NULL, "no output");
	STR_EQ(notes.ptr,
	       "<output>: error: segment 3 has no start time, and SRT cues need both (give the "
	       "document timings first, e.g. with tandem retime) [srt-untimed]\n",
	       "untimed message");
	tandem__buf_free(&notes);
	tandem_doc_free(d);
}

static void test_speakers(void)
{
	/* One "Name:" is not enough: it could be ordinary text. */
	tandem_doc *d = read_str("1\n00:00:01,000 --> 00:00:02,000\nAnna: once\n\n"
	                         "2\n00:00:03,000 --> 00:00:04,000\nBob: x\n");
	if (d) {
		OK(tandem_seg_speaker(d, 0) == NULL, "single label is left alone");
		STR_EQ(tandem_seg_text(d, 0), "Anna: once", "text untouched");
		tandem_doc_free(d);
	}
	d = read_str("1\n00:00:01,000 --> 00:00:02,000\nDr. Lee: one\n\n"
	             "2\n00:00:03,000 --> 00:00:04,000\n<i>Dr. Lee: two</i>\n\n"
	             "3\n00:00:05,000 --> 00:00:06,000\nDr. Lee: three\n\n"
	             "4\n00:00:07,000 --> 00:00:08,000\nwe met at 10: 30 and 10: 45\n");
	if (d) {
		STR_EQ(tandem_seg_speaker(d, 0), "Dr. Lee", "two-word name");
		STR_EQ(tandem_seg_text(d, 0), "one", "label removed");
		OK(tandem_seg_speaker(d, 1) == NULL, "a tag before the name: left alone");
		STR_EQ(tandem_seg_speaker(d, 2), "Dr. Lee", "third");
		OK(tandem_seg_speaker(d, 3) == NULL, "lower case is not a name");
		tandem_doc_free(d);
	}
}

static void test_sniff(void)
{
	STR_EQ(tandem_format_sniff("1\n00:00:01,000 --> 00:00:02,000\nA\n", 33), "srt", "srt");
	STR_EQ(tandem_format_sniff("\n\n12\r\n00:00:01,000 --> 00:00:02,000\r\n", 35), "srt",
	       "srt after blank lines");
	STR_EQ(tandem_format_sniff("{\"segments\": []}", 16), "json", "json");
	OK(tandem_format_sniff("hello\nworld\n", 12) == NULL ||
	   strcmp(tandem_format_sniff("hello\nworld\n", 12), "srt") != 0, "text is not srt");
}

/* Big inputs in linear time: 200k cues, and a 1 MB line. */
static void test_big(void)
{
	tandem__buf b = TANDEM_BUF_INIT;
	for (int i = 0; i < 200000; i++) {
		tandem__buf_printf(&b, "%d\r\n", i + 1);
		tandem__buf_time(&b, (int64_t)i * 1000, ',');
		tandem__buf_puts(&b, " --> ");
		tandem__buf_time(&b, (int64_t)i * 1000 + 900, ',');
		tandem__buf_puts(&b, "\r\nLine <i>one</i>\r\n第二行\r\n\r\n");
	}
	tandem_doc *d = read_str(b.ptr);
	if (d) {
		INT_EQ(tandem_doc_count(d), 200000, "200k cues");
		STR_EQ(tandem_seg_translation(d, 199999), "第二行", "bilingual split");
		tandem_doc_free(d);
	}
	tandem__buf_clear(&b);
	tandem__buf_puts(&b, "1\n00:00:01,000 --> 00:00:02,000\n");
	for (int i = 0; i < 1 << 20; i++)
		tandem__buf_putc(&b, (char)('a' + i % 26));
	d = read_str(b.ptr);
	if (d) {
		INT_EQ(strlen(tandem_seg_text(d, 0)), 1 << 20, "1 MB line");
		tandem_doc_free(d);
	}
	/* CR-only line ends over many lines stay linear. */
	tandem__buf_clear(&b);
	for (int i = 0; i < 100000; i++)
		tandem__buf_printf(&b, "%d\r00:00:%02d,000 --> 00:00:%02d,500\rx\r\r", i + 1, i % 60,
		                  i % 60);
	d = read_str(b.ptr);
	if (d) {
		INT_EQ(tandem_doc_count(d), 100000, "CR-only file");
		tandem_doc_free(d);
	}
	tandem__buf_free(&b);
}

int main(void)
{
	test_golden();
	test_values();
	test_strict();
	test_errors();
	test_markup();
	test_writer_mapping();
	test_writer_options();
	test_speakers();
	test_sniff();
	test_big();
	return harness_done();
}
