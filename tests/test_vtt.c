/*
 * test_vtt.c - the WebVTT reader and writer.
 *
 *  - Golden files: every fixtures/vtt/NAME.in.vtt is read (lenient) and
 *    written back as WebVTT (NAME.out.vtt) and as SRT (NAME.out.srt); the
 *    reader's diagnostics, one per line, are compared with NAME.diag.
 *    TANDEM_REGEN=1 rewrites the expected files instead and names each one
 *    it changed.
 *  - Round trips over the same fixtures: read -> write -> read gives the
 *    same segments (every field) and the same NOTE/STYLE/REGION blocks, and
 *    the written file is a fixed point.
 *  - Real-world samples (fixtures/samples/webvtt-py, ttconv): cue counts,
 *    warnings, values.
 *  - Unit cases: signature and timing rules, speakers, strict mode, the
 *    settings parser, and every writer option (bilingual layouts, --side,
 *    --order, STYLE, {\anN} mapping, what it drops and says it dropped).
 */
#include "harness.h"
#include "vtt.h"
#include "harness_doc.h"

#include <dirent.h>
#include <time.h>

static tandem_doc *read_vtt(const char *text, size_t len, const char *name, int strict,
                            tandem__buf *diags, int *status)
{
	return harness_read(text, len, name, "vtt", NULL, strict, diags, status);
}

static tandem_doc *read_str(const char *text, tandem__buf *diags)
{
	int rc;
	tandem_doc *d = read_vtt(text, strlen(text), "t.vtt", 0, diags, &rc);
	OK(rc == 0 && d, "read: %s", tandem_strerror(rc));
	return d;
}

static char *write_fmt(const tandem_doc *doc, const char *fmt, const tandem_write_opts *wo,
                       tandem__buf *notes, int *status)
{
	tandem_write_opts o;
	if (wo)
		o = *wo;
	else
		tandem_write_opts_init(&o);
	if (notes) {
		o.diag = harness_collect;
		o.diag_user = notes;
		o.filename = "out.vtt";
	}
	char *out = NULL;
	size_t len;
	int rc = tandem_doc_write(doc, fmt, &o, &out, &len);
	if (status)
		*status = rc;
	else
		OK(rc == 0, "write %s: %s", fmt, tandem_strerror(rc));
	return out;
}

/* ---- golden files ---- */

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

/* Every field but the input line, and every block. */
static void same_doc(const tandem_doc *a, const tandem_doc *b, const char *what)
{
	INT_EQ(b->nsegs, a->nsegs, what);
	for (size_t i = 0; i < a->nsegs && i < b->nsegs; i++) {
		const tandem__seg *x = &a->segs[i], *y = &b->segs[i];
		bool ok = x->start == y->start && x->end == y->end && same(x->text, y->text) &&
		          same(x->translation, y->translation) && same(x->speaker, y->speaker) &&
		          same(x->markup, y->markup) && same(x->id, y->id) &&
		          same(x->settings, y->settings) && x->an == y->an;
		OK(ok, "%s: segment %zu differs: '%s' / '%s'", what, i, x->text, y->text);
		if (!ok)
			break;
	}
	INT_EQ(b->nblocks, a->nblocks, what);
	for (size_t k = 0; k < a->nblocks && k < b->nblocks; k++) {
		const tandem__block *x = &a->blocks[k], *y = &b->blocks[k];
		OK(x->kind == y->kind && x->before == y->before && same(x->text, y->text),
		   "%s: block %zu differs: '%s' / '%s'", what, k, x->text, y->text);
	}
	STR_EQ(tandem_doc_meta(b, "header"), tandem_doc_meta(a, "header"), what);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dir/stem+suffix, malloc'd. */
static char *fixture_path(const char *dir, const char *name, size_t stem, const char *suffix)
{
	tandem__buf b = TANDEM_BUF_INIT;
	tandem__buf_printf(&b, "%s/%.*s%s", dir, (int)stem, name, suffix);
	return tandem__buf_detach(&b, NULL);
}

static void golden_one(const char *dir, const char *name)
{
	char what[512];
	size_t stem = strlen(name) - strlen(".in.vtt");
	char *path = fixture_path(dir, name, strlen(name), "");
	size_t len = 0;
	char *in = harness_slurp(path, &len);
	OK(in != NULL, "cannot read %s", path);
	free(path);
	if (!in)
		return;
	tandem__buf diags = TANDEM_BUF_INIT;
	int rc;
	tandem_doc *doc = read_vtt(in, len, name, 0, &diags, &rc);
	snprintf(what, sizeof what, "%s reads", name);
	OK(rc == 0 && doc, "%s: %s", what, tandem_strerror(rc));
	path = fixture_path(dir, name, stem, ".diag");
	snprintf(what, sizeof what, "%s diagnostics", name);
	check_or_regen(path, diags.ptr, what);
	free(path);
	if (doc) {
		char *vtt = write_fmt(doc, "vtt", NULL, NULL, NULL);
		path = fixture_path(dir, name, stem, ".out.vtt");
		snprintf(what, sizeof what, "%s -> vtt", name);
		if (vtt)
			check_or_regen(path, vtt, what);
		free(path);
		if (tandem_format_can_write("srt")) {
			char *srt = write_fmt(doc, "srt", NULL, NULL, NULL);
			path = fixture_path(dir, name, stem, ".out.srt");
			snprintf(what, sizeof what, "%s -> srt", name);
			if (srt)
				check_or_regen(path, srt, what);
			free(path);
			free(srt);
		}
		/* Round trip: what we wrote reads back as the same document, and is a fixed point. */
		tandem_doc *back = vtt ? read_str(vtt, NULL) : NULL;
		snprintf(what, sizeof what, "%s: vtt -> vtt", name);
		if (back) {
			same_doc(doc, back, what);
			char *again = write_fmt(back, "vtt", NULL, NULL, NULL);
			snprintf(what, sizeof what, "%s: written vtt is stable", name);
			if (again)
				STR_EQ(again, vtt, what);
			free(again);
		}
		tandem_doc_free(back);
		free(vtt);
	}
	tandem_doc_free(doc);
	tandem__buf_free(&diags);
	free(in);
}

static void golden(void)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/fixtures/vtt", harness_src_dir());
	DIR *d = opendir(dir);
	OK(d != NULL, "cannot open %s", dir);
	if (!d)
		return;
	char *names[256];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 256) {
		size_t l = strlen(e->d_name);
		if (l > 7 && strcmp(e->d_name + l - 7, ".in.vtt") == 0)
			names[n++] = tandem__xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_name);
	OK(n >= 6, "only %zu golden files", n);
	for (size_t i = 0; i < n; i++) {
		golden_one(dir, names[i]);
		free(names[i]);
	}
}

/* ---- what the golden files hold, value by value ---- */

static void blocks_values(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/fixtures/vtt/blocks.in.vtt", harness_src_dir());
	char *in = harness_slurp(path, NULL);
	tandem_doc *d = in ? read_str(in, NULL) : NULL;
	OK(d != NULL, "blocks.in.vtt");
	if (!d) {
		free(in);
		return;
	}
	STR_EQ(tandem_doc_meta(d, "header"), " - tandem block fixture\nKind: captions\nLanguage: en",
	       "header");
	INT_EQ(tandem_doc_count(d), 5, "cues");
	INT_EQ(tandem_doc_block_count(d), 5, "blocks");
	const char *text;
	size_t before;
	INT_EQ(tandem_doc_block(d, 0, &text, &before), TANDEM_BLOCK_NOTE, "block 0 kind");
	STR_EQ(text, "NOTE\nThis file keeps every kind of block.", "block 0");
	INT_EQ(tandem_doc_block(d, 1, &text, &before), TANDEM_BLOCK_STYLE, "block 1 kind");
	STR_EQ(text, "STYLE\n::cue(.loud) {\n  color: yellow;\n}", "block 1");
	INT_EQ(tandem_doc_block(d, 2, &text, &before), TANDEM_BLOCK_REGION, "block 2 kind");
	INT_EQ(tandem_doc_block(d, 3, &text, &before), TANDEM_BLOCK_NOTE, "block 3 kind");
	STR_EQ(text, "NOTE a comment between cues", "block 3");
	INT_EQ(before, 1, "block 3 before cue 1");
	INT_EQ(tandem_doc_block(d, 4, &text, &before), TANDEM_BLOCK_NOTE, "block 4 kind");
	INT_EQ(before, 5, "trailing block");

	STR_EQ(tandem_seg_id(d, 0), "intro", "id");
	INT_EQ(tandem_seg_start(d, 0), 1000, "start");
	INT_EQ(tandem_seg_end(d, 0), 3500, "end");
	STR_EQ(tandem_seg_settings(d, 0), "region:top align:start", "settings");
	STR_EQ(tandem_seg_text(d, 0), "Hello & welcome.", "plain text");
	STR_EQ(tandem_seg_markup(d, 0), "<c.loud>Hello</c> &amp; welcome.", "markup");
	STR_EQ(tandem_seg_text(d, 1), "Two lines\nof text", "two lines");
	INT_EQ(tandem_seg_line(d, 1), 22, "input line of the timing");
	/* A whole-cue voice span is the speaker, and out of the markup. */
	STR_EQ(tandem_seg_speaker(d, 2), "Alice Smith", "speaker");
	STR_EQ(tandem_seg_text(d, 2), "I'm speaking <now>.", "speaker text");
	STR_EQ(tandem_seg_markup(d, 2), "I'm speaking &lt;now&gt;.", "speaker markup");
	INT_EQ(tandem_seg_start(d, 2), 62003, "mm:ss.ttt with hours");
	/* Two voices: not one speaker; the markup keeps both. */
	STR_EQ(tandem_seg_speaker(d, 3), NULL, "two voices");
	STR_EQ(tandem_seg_markup(d, 3), "<v Bob>Hi <v Alice>both</v> of us", "two voices markup");
	INT_EQ(tandem_seg_start(d, 4), 3600000, "an hour");
	STR_EQ(tandem_seg_text(d, 4), "漢kan oui karaoke", "ruby, lang, inner timestamp");
	tandem_doc_free(d);
	free(in);
}

static void lenient_values(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/fixtures/vtt/lenient.in.vtt", harness_src_dir());
	size_t len;
	char *in = harness_slurp(path, &len);
	OK(in != NULL, "lenient.in.vtt");
	if (!in)
		return;
	tandem__buf diags = TANDEM_BUF_INIT;
	int rc;
	tandem_doc *d = read_vtt(in, len, "lenient.vtt", 0, &diags, &rc);
	INT_EQ(rc, 0, "lenient read");
	if (d) {
		/* The spec's cues, exactly: the missing blank line folds "2" into cue one. */
		INT_EQ(tandem_doc_count(d), 5, "cues");
		STR_EQ(tandem_seg_text(d, 0), "cue one\n2", "missing blank line");
		STR_EQ(tandem_seg_id(d, 1), NULL, "the timing line starts a cue without id");
		STR_EQ(tandem_seg_text(d, 2), "backwards", "end before start is kept");
		INT_EQ(tandem_seg_start(d, 3), 10000, "mm:ss.ttt");
		STR_EQ(tandem_seg_text(d, 4), "tab\tand space\tinside", "tabs kept");
	}
	OK(strstr(diags.ptr, "lenient.vtt:3:1: warning: text outside any cue") != NULL,
	   "garbage warned: %s", diags.ptr);
	OK(strstr(diags.ptr, "lenient.vtt:13:9: warning: malformed cue timing") != NULL,
	   "comma warned at its column: %s", diags.ptr);
	tandem_doc_free(d);

	/* --strict: the first oddity is an error and nothing is returned. */
	tandem__buf_clear(&diags);
	d = read_vtt(in, len, "lenient.vtt", 1, &diags, &rc);
	INT_EQ(rc, TANDEM_EPARSE, "strict fails");
	OK(d == NULL, "strict returns no document");
	OK(strncmp(diags.ptr, "lenient.vtt:3:1: error: text outside any cue", 44) == 0,
	   "strict stops at the first: %s", diags.ptr);
	OK(strchr(diags.ptr, '\n') == diags.ptr + diags.len - 1, "one error: %s", diags.ptr);
	tandem_doc_free(d);
	tandem__buf_free(&diags);
	free(in);
}

/* ---- signature, timings, settings ---- */

static void signature(void)
{
	static const struct {
		const char *in;
		int rc;
		const char *diag;
	} cases[] = {
		{"webvtt\n\n00:00.000 --> 00:01.000\nx\n", TANDEM_EPARSE,
		 "t.vtt:1:1: error: not WebVTT: the file must begin with 'WEBVTT' (it must be upper "
		 "case) [vtt-signature]\n"},
		{"WEBVTTX\n", TANDEM_EPARSE,
		 "t.vtt:1:1: error: not WebVTT: the file must begin with 'WEBVTT' (it must be followed "
		 "by a space, a tab or a line end) [vtt-signature]\n"},
		{"1\n00:00:01,000 --> 00:00:02,000\nSRT\n", TANDEM_EPARSE,
		 "t.vtt:1:1: error: not WebVTT: the file must begin with 'WEBVTT' [vtt-signature]\n"},
		{"\xEF\xBB\xBF\xEF\xBB\xBFWEBVTT\n", TANDEM_EPARSE,
		 "t.vtt:1:1: error: not WebVTT: the file must begin with 'WEBVTT' (a second byte "
		 "order mark) [vtt-signature]\n"},
		{"WEBVTT", TANDEM_EEMPTY,
		 "t.vtt: error: no vtt segments found in this input [no-segments]\n"},
		{"WEBVTT\tx\n\n00:00.000 --> 00:01.000\nok", 0, ""},
		{"\xEF\xBB\xBFWEBVTT\n\n00:00.000 --> 00:01.000\nok", 0, ""},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem__buf diags = TANDEM_BUF_INIT;
		int rc;
		tandem_doc *d = read_vtt(cases[k].in, strlen(cases[k].in), "t.vtt", 0, &diags, &rc);
		INT_EQ(rc, cases[k].rc, cases[k].in);
		STR_EQ(diags.ptr, cases[k].diag, cases[k].in);
		OK((d != NULL) == (cases[k].rc == 0), "document only on success");
		tandem_doc_free(d);
		tandem__buf_free(&diags);
	}
	OK(tandem_format_sniff("WEBVTT\n\n00:00.000 --> 00:01.000\nx", 31) != NULL &&
	   strcmp(tandem_format_sniff("WEBVTT\n\n00:00.000 --> 00:01.000\nx", 31), "vtt") == 0,
	   "sniffed as vtt");
	STR_EQ(tandem_format_from_path("a/b.webvtt"), "vtt", ".webvtt extension");
}

static void timings(void)
{
	static const struct {
		const char *line;
		int64_t start, end; /* -1: the cue is dropped */
		const char *why;
	} cases[] = {
		{"00:00.000 --> 00:01.000", 0, 1000, NULL},
		{"01:02:03.004 --> 100:00:00.000", 3723004, 360000000, NULL},
		{"59:59.999 --> 60:00:00.000", 3599999, 216000000, NULL},
		{"\t 00:00.001\t-->\f00:00.002 ", 1, 2, NULL},
		{"00:00:00.000-->00:00:01.000", 0, 1000, NULL},
		{"0:00:00.000 --> 00:00:01.000", 0, 1000, NULL},
		{"00:60.000 --> 00:01.000", -1, -1, "minutes or seconds above 59"},
		{"000:00.000 --> 00:01.000", -1, -1, "expected ':'"},
		{"00:00.00 --> 00:01.000", -1, -1, "milliseconds take exactly three digits"},
		{"00:00,000 --> 00:01.000", -1, -1, "expected '.' before the milliseconds"},
		{"00:00.000 x --> 00:01.000", -1, -1, "expected '-->'"},
		{"00:00.000 --> x", -1, -1, "expected a digit"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem__buf in = TANDEM_BUF_INIT, diags = TANDEM_BUF_INIT;
		tandem__buf_printf(&in, "WEBVTT\n\n%s\ntext\n\n00:59:00.000 --> 00:59:01.000\nlast\n",
		                  cases[k].line);
		int rc;
		tandem_doc *d = read_vtt(in.ptr, in.len, "t.vtt", 0, &diags, &rc);
		OK(d != NULL, "%s reads", cases[k].line);
		if (d && cases[k].start >= 0) {
			INT_EQ(tandem_doc_count(d), 2, cases[k].line);
			INT_EQ(tandem_seg_start(d, 0), cases[k].start, cases[k].line);
			INT_EQ(tandem_seg_end(d, 0), cases[k].end, cases[k].line);
			STR_EQ(diags.ptr, "", cases[k].line);
		} else if (d) {
			INT_EQ(tandem_doc_count(d), 1, cases[k].line);
			OK(strstr(diags.ptr, cases[k].why) && strstr(diags.ptr, "t.vtt:3:") &&
			       strstr(diags.ptr, "[vtt-timestamp]"),
			   "%s: %s", cases[k].line, diags.ptr);
		}
		tandem_doc_free(d);
		tandem__buf_free(&in);
		tandem__buf_free(&diags);
	}
}

static void settings_parser(void)
{
	tandem__vtt_cue c;
	const char *s = "line:-2,end position:30%,line-right size:50% align:left vertical:lr bad";
	tandem__vtt_settings(s, strlen(s), NULL, 0, &c, NULL, 0, 0);
	OK(!c.line_auto && c.line == -2 && c.snap_to_lines, "line -2");
	STR_EQ(c.line_align, "end", "line align");
	OK(!c.position_auto && c.position == 30, "position");
	STR_EQ(c.position_align, "line-right", "position align");
	OK(c.size == 50, "size");
	STR_EQ(c.align, "left", "align");
	STR_EQ(c.vertical, "lr", "vertical");
	s = "line:50%";
	tandem__vtt_settings(s, strlen(s), NULL, 0, &c, NULL, 0, 0);
	OK(!c.line_auto && c.line == 50 && !c.snap_to_lines, "line 50%%");

	tandem__vtt_region g;
	s = "id:r1 width:40%\nlines:4 regionanchor:10%,90% viewportanchor:5%,95% scroll:up";
	tandem__vtt_region_parse(s, strlen(s), &g, NULL, 0);
	STR_EQ(g.id, "r1", "region id");
	OK(g.width == 40 && g.lines == 4 && g.anchor_x == 10 && g.anchor_y == 90 &&
	       g.viewport_x == 5 && g.viewport_y == 95 && g.scroll_up,
	   "region values");
	free(g.id);

	/* Warnings carry the setting's column. */
	tandem__buf diags = TANDEM_BUF_INIT;
	tandem_doc *d = read_str("WEBVTT\n\n00:00.000 --> 00:01.000 align:middle  size:5\nx\n",
	                         &diags);
	STR_EQ(diags.ptr,
	       "t.vtt:3:25: warning: cue setting 'align:middle' ignored: align is start, center, "
	       "end, left or right [vtt-settings]\n"
	       "t.vtt:3:39: warning: cue setting 'size:5' ignored: not a percentage from 0% to "
	       "100% [vtt-settings]\n",
	       "settings warnings");
	STR_EQ(d ? tandem_seg_settings(d, 0) : NULL, "align:middle  size:5", "kept verbatim");
	tandem_doc_free(d);

	/* The reader looks region ids up in a sorted index: exact ids only, a
	 * duplicate id found, prefixes and extensions of ids not. */
	tandem__buf_clear(&diags);
	d = read_str("WEBVTT\n\nREGION\nid:b\n\nREGION\nid:a\n\nREGION\nid:b\n\nREGION\nid:bb\n\n"
	             "00:00.000 --> 00:01.000 region:a\nx\n\n"
	             "00:01.000 --> 00:02.000 region:b\nx\n\n"
	             "00:02.000 --> 00:03.000 region:bb region:ab\nx\n\n"
	             "00:03.000 --> 00:04.000 region:c region:\nx\n",
	             &diags);
	STR_EQ(diags.ptr,
	       "t.vtt:21:35: warning: cue setting 'region:ab' ignored: no REGION before the first "
	       "cue has this id [vtt-settings]\n"
	       "t.vtt:24:25: warning: cue setting 'region:c' ignored: no REGION before the first "
	       "cue has this id [vtt-settings]\n"
	       "t.vtt:24:34: warning: cue setting 'region:' ignored: not name:value "
	       "[vtt-settings]\n",
	       "region lookups");
	INT_EQ(d ? tandem_doc_count(d) : 0, 4, "region cues");
	tandem_doc_free(d);
	tandem__buf_free(&diags);
}

static void nul_and_ids(void)
{
	static const char in[] = "WEBVTT\n\nid\0x\n00:00.000 --> 00:01.000\na\0b\n";
	tandem__reader r = {0};
	r.data = in;
	r.len = sizeof in - 1;
	tandem_doc *d = tandem_doc_new();
	INT_EQ(tandem__format_find("vtt")->read(&r, d), 0, "NUL read");
	INT_EQ(tandem_doc_count(d), 1, "NUL cue");
	if (tandem_doc_count(d)) {
		STR_EQ(tandem_seg_id(d, 0), "id\xEF\xBF\xBDx", "NUL in id is U+FFFD");
		STR_EQ(tandem_seg_text(d, 0), "a\xEF\xBF\xBD" "b", "NUL in text is U+FFFD");
	}
	tandem_doc_free(d);
}

/* ---- writer ---- */

static tandem_doc *bilingual_doc(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 0, 1500, "Hello & welcome.", "你好，欢迎。");
	tandem_doc_add(d, 2000, 3000, "Two\nlines", "两行");
	tandem_seg_set_speaker(d, 1, "Krishna Rao");
	tandem_doc_add(d, 3000, 4000, "Only English", NULL);
	return d;
}

static void writer_bilingual(void)
{
	tandem_doc *d = bilingual_doc();
	char *out = write_fmt(d, "vtt", NULL, NULL, NULL);
	STR_EQ(out,
	       "WEBVTT\n\n"
	       "00:00:00.000 --> 00:00:01.500\n"
	       "<lang en>Hello &amp; welcome.</lang>\n<lang.translation zh>你好，欢迎。</lang>\n\n"
	       "00:00:02.000 --> 00:00:03.000\n"
	       "<v Krishna Rao><lang en>Two\nlines</lang>\n<lang.translation zh>两行</lang>\n\n"
	       "00:00:03.000 --> 00:00:04.000\nOnly English\n",
	       "source first");
	/* Reads back as text + translation, speaker, languages. */
	tandem_doc *back = out ? read_str(out, NULL) : NULL;
	if (back) {
		INT_EQ(tandem_doc_count(back), 3, "bilingual back");
		STR_EQ(tandem_seg_text(back, 0), "Hello & welcome.", "text back");
		STR_EQ(tandem_seg_translation(back, 0), "你好，欢迎。", "translation back");
		STR_EQ(tandem_seg_speaker(back, 1), "Krishna Rao", "speaker back");
		STR_EQ(tandem_seg_text(back, 1), "Two\nlines", "two lines back");
		STR_EQ(tandem_seg_translation(back, 2), NULL, "monolingual cue");
		STR_EQ(tandem_doc_meta(back, "language"), "en", "language meta");
		STR_EQ(tandem_doc_meta(back, "translation_language"), "zh", "translation meta");
	}
	tandem_doc_free(back);
	free(out);

	tandem_write_opts o;
	tandem_write_opts_init(&o);
	o.order = TANDEM_ORDER_TRANSLATION_FIRST;
	o.vtt_style = 1;
	o.crlf = 1;
	out = write_fmt(d, "vtt", &o, NULL, NULL);
	STR_EQ(out,
	       "WEBVTT\r\n\r\n"
	       "STYLE\r\n::cue(:lang(en)) {\r\n  color: #ffffff;\r\n}\r\n"
	       "::cue(.translation) {\r\n  color: #ffe680;\r\n  font-size: 90%;\r\n}\r\n\r\n"
	       "00:00:00.000 --> 00:00:01.500\r\n"
	       "<lang.translation zh>你好，欢迎。</lang>\r\n<lang en>Hello &amp; welcome.</lang>\r\n\r\n"
	       "00:00:02.000 --> 00:00:03.000\r\n"
	       "<v Krishna Rao><lang.translation zh>两行</lang>\r\n<lang en>Two\r\nlines</lang>\r\n\r\n"
	       "00:00:03.000 --> 00:00:04.000\r\nOnly English\r\n",
	       "translation first, style, crlf");
	/* Translation first still reads back with the translation in its place. */
	back = out ? read_str(out, NULL) : NULL;
	if (back) {
		STR_EQ(tandem_seg_text(back, 0), "Hello & welcome.", "order: text");
		STR_EQ(tandem_seg_translation(back, 0), "你好，欢迎。", "order: translation");
		INT_EQ(tandem_doc_block_count(back), 1, "style block read");
		/* Writing it again with --vtt-style does not double the STYLE block. */
		tandem_write_opts o2;
		tandem_write_opts_init(&o2);
		o2.vtt_style = 1;
		char *again = write_fmt(back, "vtt", &o2, NULL, NULL);
		size_t styles = 0;
		for (const char *p = again; p && (p = strstr(p, "STYLE\n")) != NULL; p++)
			styles++;
		INT_EQ(styles, 1, "one STYLE block");
		free(again);
	}
	tandem_doc_free(back);
	free(out);

	tandem_write_opts_init(&o);
	o.side = TANDEM_SIDE_TRANSLATION;
	out = write_fmt(d, "vtt", &o, NULL, NULL);
	STR_EQ(out,
	       "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n你好，欢迎。\n\n"
	       "00:00:02.000 --> 00:00:03.000\n<v Krishna Rao>两行\n\n"
	       "00:00:03.000 --> 00:00:04.000\n",
	       "side translation");
	free(out);
	o.side = TANDEM_SIDE_SOURCE;
	o.vtt_style = 1;
	tandem__buf notes = TANDEM_BUF_INIT;
	out = write_fmt(d, "vtt", &o, &notes, NULL);
	STR_EQ(notes.ptr,
	       "out.vtt: info: no STYLE block added: the cues hold one language [vtt-style]\n",
	       "style note for one language");
	tandem__buf_free(&notes);
	STR_EQ(out,
	       "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello &amp; welcome.\n\n"
	       "00:00:02.000 --> 00:00:03.000\n<v Krishna Rao>Two\nlines\n\n"
	       "00:00:03.000 --> 00:00:04.000\nOnly English\n",
	       "side source");
	free(out);
	tandem_doc_free(d);
}

static void writer_mapping(void)
{
	tandem_doc *d = tandem_doc_new();
	tandem_doc_add(d, 0, 1000, "top", NULL);
	tandem_seg_set_position(d, 0, 8);
	tandem_doc_add(d, 1000, 2000, "red", NULL);
	tandem_seg_set_markup(d, 1, "<font color=\"red\">red</font> <i>x</i>");
	tandem_doc_add(d, 2000, 3000, "a --> b\n\n\nc", NULL);
	tandem_seg_set_id(d, 2, "bad --> id");
	tandem_doc_add(d, 3000, 4000, "left top", NULL);
	tandem_seg_set_position(d, 3, 7);
	tandem_seg_set_settings(d, 3, "align:start");
	tandem_doc_set_meta(d, "header", "Podcast\nTitle");
	tandem__buf notes = TANDEM_BUF_INIT;
	char *out = write_fmt(d, "vtt", NULL, &notes, NULL);
	STR_EQ(out,
	       "WEBVTT\n\n"
	       "00:00:00.000 --> 00:00:01.000 line:0\ntop\n\n"
	       "00:00:01.000 --> 00:00:02.000\nred <i>x</i>\n\n"
	       "00:00:02.000 --> 00:00:03.000\na --&gt; b\nc\n\n"
	       "00:00:03.000 --> 00:00:04.000 align:start\nleft top\n",
	       "mapping");
	STR_EQ(notes.ptr,
	       "out.vtt: info: WebVTT has no <font>: 2 <font> tag(s) dropped (colour and face) "
	       "[vtt-font]\n"
	       "out.vtt: info: 2 blank line(s) inside cue text dropped (a blank line ends a WebVTT "
	       "cue) [vtt-blank-line]\n"
	       "out.vtt: warning: 1 cue id(s) holding '-->' or a line break dropped [vtt-id]\n",
	       "notes");
	free(out);

	/* "<font" inside another tag is that tag's text, not a <font> to drop
	 * (fixtures/regress/vtt-font-in-tag.vtt). */
	tandem_doc *in_tag = tandem_doc_new();
	tandem_doc_add(in_tag, 0, 1000, "cycle", NULL);
	tandem_seg_set_markup(in_tag, 0, "<<font a >cycle <font x>y</font>");
	out = write_fmt(in_tag, "vtt", NULL, NULL, NULL);
	STR_EQ(out, "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<<font a >cycle y\n", "font in tag");
	free(out);
	tandem_doc_free(in_tag);

	/* Untimed segments cannot be cues. */
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "untimed", NULL);
	tandem__buf_clear(&notes);
	int rc;
	out = write_fmt(d, "vtt", NULL, &notes, &rc);
	INT_EQ(rc, TANDEM_EFORMAT, "untimed");
	OK(out == NULL, "no output");
	OK(strstr(notes.ptr, "segment 5 has no start time") != NULL, "%s", notes.ptr);
	tandem__buf_free(&notes);
	tandem_doc_free(d);
}

/* ---- real-world samples ---- */

static void samples(void)
{
	static const struct {
		const char *path;
		int rc;
		size_t cues, warnings;
	} cases[] = {
		{"webvtt-py/captions_with_bom.vtt", 0, 4, 0},
		{"webvtt-py/comments.vtt", 0, 3, 0},
		{"webvtt-py/cue_tags.vtt", 0, 3, 0},
		{"webvtt-py/empty.vtt", TANDEM_EEMPTY, 0, 0},
		{"webvtt-py/invalid.vtt", TANDEM_EPARSE, 0, 0},
		{"webvtt-py/invalid_timeframe.vtt", 0, 6, 1},
		{"webvtt-py/invalid_timeframe_in_cue_text.vtt", 0, 4, 1},
		{"webvtt-py/metadata_headers.vtt", 0, 2, 0},
		{"webvtt-py/metadata_headers_multiline.vtt", 0, 2, 0},
		{"webvtt-py/missing_caption_text.vtt", 0, 5, 0},
		{"webvtt-py/missing_timeframe.vtt", 0, 6, 1},
		{"webvtt-py/no_captions.vtt", TANDEM_EEMPTY, 0, 0},
		{"webvtt-py/one_caption.vtt", 0, 1, 0},
		{"webvtt-py/sample.vtt", 0, 16, 0},
		{"webvtt-py/styles.vtt", 0, 1, 0},
		{"webvtt-py/using_identifiers.vtt", 0, 6, 0},
		{"webvtt-py/youtube_dl.vtt", 0, 4, 1},
		{"ttconv/vtt/invalid/bad-signature.vtt", TANDEM_EPARSE, 0, 0},
		{"ttconv/vtt/valid/alignment.vtt", 0, 9, 0},
		{"ttconv/vtt/valid/font.vtt", 0, 3, 0},
		{"ttconv/vtt/valid/position.vtt", 0, 4, 0},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/fixtures/samples/%s", harness_src_dir(), cases[k].path);
		tandem_read_opts ro;
		tandem_read_opts_init(&ro);
		tandem__buf diags = TANDEM_BUF_INIT;
		ro.diag = harness_collect;
		ro.diag_user = &diags;
		tandem_doc *d = NULL;
		int rc = tandem_doc_read_file(&d, path, &ro);
		INT_EQ(rc, cases[k].rc, cases[k].path);
		if (d) {
			INT_EQ(tandem_doc_count(d), cases[k].cues, cases[k].path);
			size_t w = 0;
			for (const char *p = diags.ptr; (p = strstr(p, ": warning: ")); p++)
				w++;
			INT_EQ(w, cases[k].warnings, cases[k].path);
			/* Every sample survives VTT -> VTT. */
			char *out = write_fmt(d, "vtt", NULL, NULL, NULL);
			tandem_doc *back = out ? read_str(out, NULL) : NULL;
			if (back)
				same_doc(d, back, cases[k].path);
			tandem_doc_free(back);
			free(out);
		}
		tandem_doc_free(d);
		tandem__buf_free(&diags);
	}

	/* A few values from them. */
	char path[1024];
	snprintf(path, sizeof path, "%s/fixtures/samples/webvtt-py/cue_tags.vtt", harness_src_dir());
	tandem_doc *d = NULL;
	OK(tandem_doc_read_file(&d, path, NULL) == 0, "cue_tags");
	if (d) {
		STR_EQ(tandem_seg_markup(d, 0), "When the moon <00:17.500>hits your eye",
		       "inner timestamp kept in the markup");
		STR_EQ(tandem_seg_text(d, 0), "When the moon hits your eye", "and out of the text");
		STR_EQ(tandem_seg_markup(d, 2), "That's <00:00:21.000><c.colorE5E5E5>amore</c>",
		       "class span");
	}
	tandem_doc_free(d);
	snprintf(path, sizeof path, "%s/fixtures/samples/webvtt-py/netflix_chicas_del_cable.vtt",
	         harness_src_dir());
	d = NULL;
	OK(tandem_doc_read_file(&d, path, NULL) == 0, "netflix");
	if (d) {
		OK(tandem_doc_count(d) > 300, "netflix cues: %zu", tandem_doc_count(d));
		STR_EQ(tandem_seg_text(d, 0), "[Alba] En 1928,", "netflix first cue");
		/* The first cue's "1" is dropped by the spec: a whitespace line opened the block. */
		STR_EQ(tandem_seg_id(d, 0), NULL, "netflix first id");
		STR_EQ(tandem_seg_id(d, 1), "2", "netflix second id");
	}
	tandem_doc_free(d);
}

/* ---- pathological inputs (regressions: markup scanning was quadratic) ---- */

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pathological(void)
{
	static const char *const fills[] = {"<", "&", "a", "<v ", "&#x"};
	for (size_t k = 0; k < sizeof fills / sizeof *fills; k++) {
		/* One 8 MB cue line: linear work is a few tens of ms, quadratic would be hours. */
		tandem__buf in = TANDEM_BUF_INIT;
		tandem__buf_puts(&in, "WEBVTT\n\n00:00.000 --> 00:01.000\n");
		size_t fl = strlen(fills[k]);
		while (in.len < (8u << 20))
			tandem__buf_put(&in, fills[k], fl);
		tandem__buf_putc(&in, '\n');
		double t0 = seconds();
		tandem__reader r = {0};
		r.data = in.ptr;
		r.len = in.len;
		tandem_doc *d = tandem_doc_new();
		INT_EQ(tandem__format_find("vtt")->read(&r, d), 0, fills[k]);
		INT_EQ(tandem_doc_count(d), 1, fills[k]);
		double dt = seconds() - t0;
		OK(dt < 20, "8 MB line of '%s' took %.1f s", fills[k], dt);
		tandem_doc_free(d);
		tandem__buf_free(&in);
	}

	/* 100k cues read, write and read back. */
	tandem__buf in = TANDEM_BUF_INIT;
	tandem__buf_puts(&in, "WEBVTT\n\n");
	for (int i = 0; i < 100000; i++) {
		tandem__buf_time(&in, (int64_t)i * 1000, '.');
		tandem__buf_puts(&in, " --> ");
		tandem__buf_time(&in, (int64_t)i * 1000 + 900, '.');
		tandem__buf_printf(&in, "\ncue <i>%d</i>\n\n", i);
	}
	in.ptr[--in.len] = '\0'; /* the writer ends with the last cue's line */
	tandem_doc *d = read_str(in.ptr, NULL);
	if (d) {
		INT_EQ(tandem_doc_count(d), 100000, "100k cues");
		INT_EQ(tandem_seg_end(d, 99999), 99999900, "last end");
		STR_EQ(tandem_seg_text(d, 99999), "cue 99999", "last text");
		char *out = write_fmt(d, "vtt", NULL, NULL, NULL);
		OK(out && strcmp(out, in.ptr) == 0, "100k cues written back byte for byte");
		free(out);
	}
	tandem_doc_free(d);
	tandem__buf_free(&in);
}

int main(void)
{
	golden();
	blocks_values();
	lenient_values();
	signature();
	timings();
	settings_parser();
	nul_and_ids();
	writer_bilingual();
	writer_mapping();
	samples();
	pathological();
	return harness_done();
}
