/*
 * test_json.c - the JSON DOM (core/jsonval.c): values, escapes, positions of
 * errors, and tandem__json_quote round trips; and tandem's JSON segment
 * format (formats/json.c): every model field read from a fixture, the
 * canonical output as a golden file (fixtures/json/NAME.out.json,
 * TANDEM_REGEN=1 rewrites it and says so), read -> write -> read, and the
 * positioned errors and warnings.
 */
#include "harness.h"
#include "tandem_private.h"
#include "harness_doc.h"

static tandem__json *parse(const char *s)
{
	tandem__json *v = NULL;
	int rc = tandem__json_parse(s, strlen(s), &v, NULL, NULL, NULL);
	OK(rc == 0 && v, "parse '%s'", s);
	return v;
}

static void test_values(void)
{
	tandem__json *v = parse(" {\"a\": [1, -2.5e2, true, false, null, \"x\"], \"b\": {}, \"c\": []}\n");
	INT_EQ(v->type, TANDEM_JSON_OBJECT, "root type");
	INT_EQ(v->n, 3, "members");
	const tandem__json *a = tandem__json_get(v, "a");
	OK(a && a->type == TANDEM_JSON_ARRAY && a->n == 6, "array a");
	INT_EQ(a->items[0]->number, 1, "1");
	OK(a->items[1]->number == -250.0, "-2.5e2 is %g", a->items[1]->number);
	OK(a->items[2]->type == TANDEM_JSON_BOOL && a->items[2]->boolean, "true");
	OK(a->items[3]->type == TANDEM_JSON_BOOL && !a->items[3]->boolean, "false");
	INT_EQ(a->items[4]->type, TANDEM_JSON_NULL, "null");
	STR_EQ(a->items[5]->str, "x", "string");
	INT_EQ(a->items[5]->line, 1, "string line");
	INT_EQ(a->items[5]->col, 39, "string col");
	OK(tandem__json_get(v, "b")->type == TANDEM_JSON_OBJECT, "b object");
	INT_EQ(tandem__json_get(v, "c")->n, 0, "c empty");
	OK(tandem__json_get(v, "zz") == NULL, "absent key");
	OK(tandem__json_get(a, "a") == NULL, "get on array");
	OK(tandem__json_get(NULL, "a") == NULL, "get on NULL");
	tandem__json_free(v);

	v = parse("{\"k\":1,\"k\":2}");
	INT_EQ(tandem__json_get(v, "k")->number, 2, "duplicate key: last wins");
	tandem__json_free(v);

	v = parse("[\n  1,\n\t\"two\"\r\n]");
	INT_EQ(v->items[1]->line, 3, "line after CRLF-free LF");
	INT_EQ(v->items[1]->col, 2, "col after tab");
	tandem__json_free(v);

	v = parse("1234567890123");
	OK(v->number == 1234567890123.0, "big integer exact");
	tandem__json_free(v);
	tandem__json_free(NULL);
}

static void test_strings(void)
{
	tandem__json *v = parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u4e2d\\ud83d\\ude00\"");
	STR_EQ(v->str, "a\"b\\c/d\b\f\n\r\t\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80", "escapes");
	INT_EQ(v->len, strlen(v->str), "len");
	tandem__json_free(v);

	v = parse("\"a\\u0000b\"");
	INT_EQ(v->len, 3, "embedded NUL keeps its length");
	OK(v->str[0] == 'a' && v->str[1] == '\0' && v->str[2] == 'b', "NUL bytes");
	tandem__json_free(v);

	v = parse("\"\xE4\xB8\xAD\xE6\x96\x87\"");
	STR_EQ(v->str, "\xE4\xB8\xAD\xE6\x96\x87", "raw UTF-8");
	tandem__json_free(v);
}

/* Each malformed text with the position and message of its error. */
static const struct {
	const char *text;
	size_t line, col;
	const char *msg;
} bad[] = {
	{"", 1, 1, "unexpected end of input (a JSON value expected)"},
	{"   ", 1, 4, "unexpected end of input (a JSON value expected)"},
	{"{", 1, 2, "unterminated object ('}' expected)"},
	{"[1,", 1, 4, "unexpected end of input (a JSON value expected)"},
	{"[1 2]", 1, 4, "',' or ']' expected in array"},
	{"{\"a\" 1}", 1, 6, "':' expected after object key"},
	{"{a:1}", 1, 2, "object key (a string) expected"},
	{"{\"a\":1,}", 1, 8, "object key (a string) expected"},
	{"[1,]", 1, 4, "unexpected character (a JSON value expected)"},
	{"\"abc", 1, 5, "unterminated string"},
	{"\"a\tb\"", 1, 3, "control character in string (escape it)"},
	{"\"\\x\"", 1, 2, "unknown escape in string"},
	{"\"\\u12g4\"", 1, 2, "bad \\u escape (four hex digits expected)"},
	{"\"\\ud800\"", 1, 2, "unpaired UTF-16 surrogate in \\u escape"},
	{"\"\\udc00\"", 1, 2, "unpaired UTF-16 surrogate in \\u escape"},
	{"\"\xFF\"", 1, 2, "invalid UTF-8 in string"},
	{"01", 1, 1, "number with a leading zero"},
	{"-", 1, 1, "bad number"},
	{"1.", 1, 3, "digit expected after '.'"},
	{"1e+", 1, 4, "digit expected in exponent"},
	{"+1", 1, 1, "unexpected character (a JSON value expected)"},
	{"1e999", 1, 1, "number out of range"},
	{"tru", 1, 1, "unexpected character (a JSON value expected)"},
	{"nul", 1, 1, "unexpected character (a JSON value expected)"},
	{"NaN", 1, 1, "unexpected character (a JSON value expected)"},
	{"{}\n\n  x", 3, 3, "trailing characters after the JSON value"},
	{"[\r\n\r\n  ,]", 3, 3, "unexpected character (a JSON value expected)"},
	{"[\r\r,]", 3, 1, "unexpected character (a JSON value expected)"},
	{"{\"segments\": [\n  {\"id\": 1,\n   \"text\" \"x\"}]}", 3, 11,
	 "':' expected after object key"},
};

static void test_errors(void)
{
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		tandem__json *v = (tandem__json *)1;
		size_t line = 0, col = 0;
		const char *msg = NULL;
		int rc = tandem__json_parse(bad[k].text, strlen(bad[k].text), &v, &line, &col, &msg);
		INT_EQ(rc, TANDEM_EPARSE, bad[k].text);
		OK(v == NULL, "no tree for '%s'", bad[k].text);
		INT_EQ(line, bad[k].line, bad[k].text);
		INT_EQ(col, bad[k].col, bad[k].text);
		STR_EQ(msg, bad[k].msg, bad[k].text);
	}
	/* Deep nesting fails cleanly instead of overflowing the stack. */
	size_t n = 100000;
	char *deep = malloc(n + 1);
	memset(deep, '[', n);
	deep[n] = '\0';
	tandem__json *v;
	const char *msg = NULL;
	size_t line, col;
	INT_EQ(tandem__json_parse(deep, n, &v, &line, &col, &msg), TANDEM_EPARSE, "deep");
	STR_EQ(msg, "nesting too deep", "deep message");
	INT_EQ(col, 514, "deep column");
	free(deep);
	/* A length shorter than the string: the parser must not read past it. */
	INT_EQ(tandem__json_parse("[1, 2]", 3, &v, NULL, NULL, NULL), TANDEM_EPARSE, "cut");
}

static void test_quote(void)
{
	tandem__buf b = TANDEM_BUF_INIT;
	tandem__json_quote(&b, "a\"b\\c\n\r\t\b\f\x01\x1f \xE4\xB8\xAD/");
	STR_EQ(b.ptr, "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f \xE4\xB8\xAD/\"", "quote");
	/* Quoted text parses back to itself. */
	tandem__json *v = NULL;
	OK(tandem__json_parse(b.ptr, b.len, &v, NULL, NULL, NULL) == 0, "reparse");
	STR_EQ(v ? v->str : NULL, "a\"b\\c\n\r\t\b\f\x01\x1f \xE4\xB8\xAD/", "round trip");
	tandem__json_free(v);
	tandem__buf_clear(&b);
	tandem__json_quote(&b, "");
	STR_EQ(b.ptr, "\"\"", "empty");
	tandem__buf_free(&b);
}

/* ---- the JSON segment format ---- */

static tandem_doc *read_json(const char *text, size_t len, tandem__buf *diags, int strict,
                             int *status)
{
	return harness_read(text, len, "j.json", "json", NULL, strict, diags, status);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void test_format_fixture(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fixtures/json/full.in.json", harness_src_dir());
	size_t len;
	char *text = harness_slurp(path, &len);
	OK(text != NULL, "read %s", path);
	if (!text)
		return;
	tandem__buf diags = TANDEM_BUF_INIT;
	int rc;
	tandem_doc *d = read_json(text, len, &diags, 1, &rc);
	INT_EQ(rc, 0, "fixture reads, even strict");
	STR_EQ(diags.ptr, "", "no findings");
	free(text);
	if (!d)
		return;
	INT_EQ(tandem_doc_count(d), 4, "segments");
	STR_EQ(tandem_seg_id(d, 0), "intro", "string id");
	STR_EQ(tandem_seg_id(d, 1), "2", "numeric id");
	OK(tandem_seg_id(d, 2) == NULL, "absent id");
	INT_EQ(tandem_seg_start(d, 1), 2700, "start_ms");
	INT_EQ(tandem_seg_end(d, 1), 5000, "end_ms");
	INT_EQ(tandem_seg_start(d, 2), TANDEM_NO_TIME, "null start");
	INT_EQ(tandem_seg_end(d, 3), TANDEM_NO_TIME, "absent end");
	STR_EQ(tandem_seg_text(d, 2), "An untimed line\nwith two lines", "text with a newline");
	STR_EQ(tandem_seg_translation(d, 0), "每次我们推出新模型时，", "translation");
	OK(tandem_seg_translation(d, 1) == NULL, "null translation");
	STR_EQ(tandem_seg_translation(d, 3), "", "empty translation is not null");
	STR_EQ(tandem_seg_speaker(d, 0), "Krishna Rao", "speaker");
	STR_EQ(tandem_seg_section(d, 0), "Compute", "section");
	STR_EQ(tandem_seg_markup(d, 0), "<v Krishna Rao>Every time we have a <i>new</i> model,</v>",
	       "markup");
	STR_EQ(tandem_seg_settings(d, 0), "line:0 align:start", "settings");
	INT_EQ(tandem_seg_position(d, 0), 8, "position");
	INT_EQ(tandem_seg_line(d, 1), 4, "segment line");
	STR_EQ(tandem_doc_meta(d, "people"), "Patrick O'Shaughnessy\nKrishna Rao", "meta");
	INT_EQ(tandem_doc_claimed_duration(d), 4920000, "claimed duration");
	INT_EQ(tandem_doc_block_count(d), 3, "blocks");
	const char *bt;
	size_t before;
	INT_EQ(tandem_doc_block(d, 1, &bt, &before), TANDEM_BLOCK_NOTE, "block kind");
	STR_EQ(bt, "between the first two", "block text");
	INT_EQ(before, 1, "block position");
	tandem_doc_block(d, 2, &bt, &before);
	INT_EQ(before, 4, "a block past the end trails the document");

	/* Canonical output: a golden file, then a fixed point. */
	char *out;
	size_t olen;
	OK(tandem_doc_write(d, "json", NULL, &out, &olen) == 0, "write");
	snprintf(path, sizeof path, "%s/fixtures/json/full.out.json", harness_src_dir());
	char *want = harness_slurp(path, NULL);
	const char *regen = getenv("TANDEM_REGEN");
	if (regen && strcmp(regen, "1") == 0 && (!want || strcmp(want, out) != 0)) {
		FILE *fp = fopen(path, "wb");
		OK(fp != NULL, "write %s", path);
		if (fp) {
			fputs(out, fp);
			fclose(fp);
		}
		printf("REGENERATED %s\n", path);
	} else {
		OK(want != NULL, "missing %s (TANDEM_REGEN=1 makes it)", path);
		if (want)
			STR_EQ(out, want, "canonical JSON");
	}
	free(want);
	tandem_doc *again = read_json(out, olen, NULL, 1, &rc);
	INT_EQ(rc, 0, "reads back");
	if (again) {
		INT_EQ(tandem_doc_count(again), tandem_doc_count(d), "same count");
		for (size_t i = 0; i < d->nsegs && i < again->nsegs; i++) {
			const tandem__seg *a = &d->segs[i], *b = &again->segs[i];
			OK(a->start == b->start && a->end == b->end && same(a->id, b->id) &&
			   same(a->text, b->text) && same(a->translation, b->translation) &&
			   same(a->speaker, b->speaker) && same(a->section, b->section) &&
			   same(a->markup, b->markup) && same(a->settings, b->settings) && a->an == b->an,
			   "segment %zu survives JSON -> JSON", i);
		}
		INT_EQ(tandem_doc_block_count(again), 3, "blocks survive");
		INT_EQ(tandem_doc_claimed_duration(again), 4920000, "claimed duration survives");
		char *out2;
		size_t olen2;
		OK(tandem_doc_write(again, "json", NULL, &out2, &olen2) == 0, "write again");
		STR_EQ(out2, out, "fixed point");
		free(out2);
		tandem_doc_free(again);
	}
	free(out);
	tandem_doc_free(d);
	tandem__buf_free(&diags);
}

static void test_format_findings(void)
{
	static const struct {
		const char *text;
		int strict, status;
		const char *diags;
	} cases[] = {
		{"{\"segments\": [{\"text\": \"a\", \"colour\": 1}], \"extra\": {}}", 0, 0,
		 "j.json:1:53: warning: unknown member \"extra\" ignored [json-unknown-key]\n"
		 "j.json:1:39: warning: unknown member \"colour\" in segments[0] ignored "
		 "[json-unknown-key]\n"},
		{"{\"segments\": [{\"text\": \"a b\", \"markup\": \"<i>a</i>\"}]}", 0, 0,
		 "j.json:1:41: warning: \"markup\" does not match \"text\"; the markup is dropped and "
		 "the text kept [json-markup]\n"},
		{"{\"segments\": [{\"text\": null}]}", 0, TANDEM_EPARSE,
		 "j.json:1:24: error: \"text\" must be a string, not null [json-type]\n"},
		{"{\"segments\": [\"a\"]}", 0, TANDEM_EPARSE,
		 "j.json:1:15: error: segments[0] must be an object, not a string [json-type]\n"},
		{"{\"segments\": [{\"end_ms\": 1e300}]}", 0, TANDEM_EPARSE,
		 "j.json:1:26: error: \"end_ms\" must be a whole number (of milliseconds), not "
		 "1e+300 [json-type]\n"},
		{"{\"segments\": [{\"text\": \"a\"}], \"meta\": {\"title\": 1}}", 0, TANDEM_EPARSE,
		 "j.json:1:49: error: meta \"title\" must be a string or null, not a number "
		 "[json-type]\n"},
		{"{\"segments\": [{\"text\": \"a\"}], \"blocks\": [{\"kind\": \"cue\"}]}", 0,
		 TANDEM_EPARSE,
		 "j.json:1:51: error: block \"kind\" must be \"note\", \"style\" or \"region\" "
		 "[json-type]\n"},
		{"\n\n  {\"segments\": [{\"text\": \"a\"}}", 0, TANDEM_EPARSE,
		 "j.json:3:30: error: ',' or ']' expected in array [json-syntax]\n"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem__buf diags = TANDEM_BUF_INIT;
		int rc;
		tandem_doc *d = read_json(cases[k].text, strlen(cases[k].text), &diags, cases[k].strict,
		                          &rc);
		INT_EQ(rc, cases[k].status, cases[k].text);
		OK((d != NULL) == (cases[k].status == 0), "doc only on success");
		STR_EQ(diags.ptr, cases[k].diags, cases[k].text);
		if (d && k == 1)
			OK(tandem_seg_markup(d, 0) == NULL, "stale markup dropped");
		tandem_doc_free(d);
		tandem__buf_free(&diags);
	}
}

int main(void)
{
	test_values();
	test_strings();
	test_errors();
	test_quote();
	test_format_fixture();
	test_format_findings();
	return harness_done();
}
