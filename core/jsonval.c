/*
 * jsonval.c - a small JSON DOM: RFC 8259 in, a tree of tandem__json out
 * (formats/json.c, the JSON subtitle format, reads its input through it).
 *
 * Grammar (RFC 8259 section 2-7):
 *   value  = ws ( object / array / string / number / "true" / "false" / "null" ) ws
 *   object = "{" [ string ":" value *( "," string ":" value ) ] "}"
 *   array  = "[" [ value *( "," value ) ] "]"
 *   number = [ "-" ] int [ frac ] [ exp ]      (no leading zeros, no "+", no NaN)
 *   string = '"' *char '"'  with escapes \" \\ \/ \b \f \n \r \t \uXXXX
 *            (surrogate pairs joined; a lone surrogate is an error, since it
 *            has no UTF-8 form) and no raw control characters.
 * Whitespace is space, tab, LF and CR; a CR not followed by LF counts as a
 * line end for positions, as the line scanner does.  Nesting is limited
 * (JSON_MAX_DEPTH) so hostile input cannot exhaust the stack.  The text
 * must be UTF-8; invalid bytes inside strings are an error.
 *
 * Every failure is positioned: line and column (1-based, bytes) of the first
 * byte that does not fit, with a fixed message.
 */
#include "tandem_private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 512

typedef struct jparser {
	const char *p, *end;
	const char *linestart;
	size_t line;
	const char *msg;
	size_t eline, ecol;   /* error position */
	tandem__buf scratch;   /* string decoding */
} jparser;

static size_t col_of(const jparser *j, const char *at)
{
	return (size_t)(at - j->linestart) + 1;
}

static int fail_at(jparser *j, const char *at, const char *msg)
{
	if (!j->msg) {
		j->msg = msg;
		j->eline = j->line;
		j->ecol = col_of(j, at);
	}
	return TANDEM_EPARSE;
}

static void skip_ws(jparser *j)
{
	while (j->p < j->end) {
		char c = *j->p;
		if (c == ' ' || c == '\t') {
			j->p++;
		} else if (c == '\n') {
			j->p++;
			j->line++;
			j->linestart = j->p;
		} else if (c == '\r') {
			j->p++;
			if (j->p < j->end && *j->p == '\n')
				j->p++;
			j->line++;
			j->linestart = j->p;
		} else {
			break;
		}
	}
}

static tandem__json *new_value(jparser *j, tandem__json_type t)
{
	tandem__json *v = tandem__xcalloc(1, sizeof *v);
	v->type = t;
	v->line = j->line;
	v->col = col_of(j, j->p);
	return v;
}

static int hex4(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Parse a string at j->p (on the opening quote) into j->scratch. */
static int parse_string_raw(jparser *j)
{
	tandem__buf *b = &j->scratch;
	tandem__buf_clear(b);
	j->p++;
	for (;;) {
		/* Copy the run of plain bytes in one go: strings are most of a document. */
		const char *run = j->p;
		while (j->p < j->end && *j->p != '"' && *j->p != '\\' &&
		       (unsigned char)*j->p >= 0x20)
			j->p++;
		if (j->p > run) {
			size_t n = (size_t)(j->p - run);
			size_t bad = tandem__utf8_check(run, n);
			if (bad != n)
				return fail_at(j, run + bad, "invalid UTF-8 in string");
			tandem__buf_put(b, run, n);
		}
		if (j->p >= j->end)
			return fail_at(j, j->p, "unterminated string");
		char c = *j->p;
		if (c == '"') {
			j->p++;
			return 0;
		}
		if (c != '\\')
			return fail_at(j, j->p, "control character in string (escape it)");
		const char *esc = j->p;
		if (j->p + 1 >= j->end)
			return fail_at(j, esc, "unterminated string");
		char e = j->p[1];
		j->p += 2;
		switch (e) {
		case '"': tandem__buf_putc(b, '"'); break;
		case '\\': tandem__buf_putc(b, '\\'); break;
		case '/': tandem__buf_putc(b, '/'); break;
		case 'b': tandem__buf_putc(b, '\b'); break;
		case 'f': tandem__buf_putc(b, '\f'); break;
		case 'n': tandem__buf_putc(b, '\n'); break;
		case 'r': tandem__buf_putc(b, '\r'); break;
		case 't': tandem__buf_putc(b, '\t'); break;
		case 'u': {
			uint32_t cp;
			if (j->end - j->p < 4 || hex4(j->p, &cp))
				return fail_at(j, esc, "bad \\u escape (four hex digits expected)");
			j->p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				uint32_t lo;
				if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
				    hex4(j->p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					return fail_at(j, esc, "unpaired UTF-16 surrogate in \\u escape");
				j->p += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return fail_at(j, esc, "unpaired UTF-16 surrogate in \\u escape");
			}
			tandem__buf_put_utf8(b, cp);
			break;
		}
		default:
			return fail_at(j, esc, "unknown escape in string");
		}
	}
}

static int parse_number(jparser *j, tandem__json *v)
{
	const char *s = j->p, *q = s;
	if (q < j->end && *q == '-')
		q++;
	if (q >= j->end || *q < '0' || *q > '9')
		return fail_at(j, s, "bad number");
	if (*q == '0') {
		q++;
		if (q < j->end && *q >= '0' && *q <= '9')
			return fail_at(j, s, "number with a leading zero");
	} else {
		while (q < j->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < j->end && *q == '.') {
		q++;
		if (q >= j->end || *q < '0' || *q > '9')
			return fail_at(j, q, "digit expected after '.'");
		while (q < j->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < j->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < j->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= j->end || *q < '0' || *q > '9')
			return fail_at(j, q, "digit expected in exponent");
		while (q < j->end && *q >= '0' && *q <= '9')
			q++;
	}
	/* strtod needs a terminated copy: the input need not end after the number. */
	char tmp[64];
	size_t n = (size_t)(q - s);
	char *heap = NULL, *num = tmp;
	if (n >= sizeof tmp)
		num = heap = tandem__xmalloc(n + 1);
	memcpy(num, s, n);
	num[n] = '\0';
	v->number = strtod(num, NULL);
	free(heap);
	if (isinf(v->number))
		return fail_at(j, s, "number out of range");
	j->p = q;
	return 0;
}

static int parse_value(jparser *j, tandem__json **out, int depth);

static int parse_array(jparser *j, tandem__json *v, int depth)
{
	size_t cap = 0;
	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		if (v->n == cap) {
			cap = cap ? cap * 2 : 4;
			v->items = tandem__xrealloc(v->items, cap * sizeof *v->items);
		}
		/* Stored before it is parsed, so a half-built item is freed with v. */
		int rc = parse_value(j, &v->items[v->n++], depth + 1);
		if (rc)
			return rc;
		skip_ws(j);
		if (j->p >= j->end)
			return fail_at(j, j->p, "unterminated array (']' expected)");
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == ']') {
			j->p++;
			return 0;
		}
		return fail_at(j, j->p, "',' or ']' expected in array");
	}
}

static int parse_object(jparser *j, tandem__json *v, int depth)
{
	size_t cap = 0;
	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		skip_ws(j);
		if (j->p >= j->end)
			return fail_at(j, j->p, "unterminated object ('}' expected)");
		if (*j->p != '"')
			return fail_at(j, j->p, "object key (a string) expected");
		int rc = parse_string_raw(j);
		if (rc)
			return rc;
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			v->items = tandem__xrealloc(v->items, cap * sizeof *v->items);
			v->keys = tandem__xrealloc(v->keys, cap * sizeof *v->keys);
		}
		/* Keys are C strings: one holding \u0000 is cut there, harmlessly. */
		v->keys[v->n] = tandem__xstrndup(j->scratch.ptr, j->scratch.len);
		v->items[v->n] = NULL;
		v->n++;
		skip_ws(j);
		if (j->p >= j->end || *j->p != ':')
			return fail_at(j, j->p, "':' expected after object key");
		j->p++;
		rc = parse_value(j, &v->items[v->n - 1], depth + 1);
		if (rc)
			return rc;
		skip_ws(j);
		if (j->p >= j->end)
			return fail_at(j, j->p, "unterminated object ('}' expected)");
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == '}') {
			j->p++;
			return 0;
		}
		return fail_at(j, j->p, "',' or '}' expected in object");
	}
}

static int literal(jparser *j, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return fail_at(j, j->p, "unexpected character (a JSON value expected)");
	j->p += n;
	return 0;
}

static int parse_value(jparser *j, tandem__json **out, int depth)
{
	*out = NULL;
	skip_ws(j);
	if (depth > JSON_MAX_DEPTH)
		return fail_at(j, j->p, "nesting too deep");
	if (j->p >= j->end)
		return fail_at(j, j->p, "unexpected end of input (a JSON value expected)");
	tandem__json *v;
	int rc;
	switch (*j->p) {
	case '{':
		v = *out = new_value(j, TANDEM_JSON_OBJECT);
		return parse_object(j, v, depth);
	case '[':
		v = *out = new_value(j, TANDEM_JSON_ARRAY);
		return parse_array(j, v, depth);
	case '"':
		v = *out = new_value(j, TANDEM_JSON_STRING);
		rc = parse_string_raw(j);
		if (rc)
			return rc;
		v->len = j->scratch.len;
		v->str = tandem__xstrndup(j->scratch.ptr, j->scratch.len);
		return 0;
	case 't':
		v = *out = new_value(j, TANDEM_JSON_BOOL);
		v->boolean = true;
		return literal(j, "true");
	case 'f':
		v = *out = new_value(j, TANDEM_JSON_BOOL);
		return literal(j, "false");
	case 'n':
		v = *out = new_value(j, TANDEM_JSON_NULL);
		return literal(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
			v = *out = new_value(j, TANDEM_JSON_NUMBER);
			return parse_number(j, v);
		}
		return fail_at(j, j->p, "unexpected character (a JSON value expected)");
	}
}

int tandem__json_parse(const char *s, size_t len, tandem__json **out, size_t *line, size_t *col,
                      const char **msg)
{
	jparser j;
	memset(&j, 0, sizeof j);
	j.p = j.linestart = s;
	j.end = s + len;
	j.line = 1;
	j.scratch = (tandem__buf)TANDEM_BUF_INIT;
	*out = NULL;
	tandem__json *root = NULL;
	int rc = parse_value(&j, &root, 0);
	if (!rc) {
		skip_ws(&j);
		if (j.p < j.end)
			rc = fail_at(&j, j.p, "trailing characters after the JSON value");
	}
	tandem__buf_free(&j.scratch);
	if (rc) {
		tandem__json_free(root);
		if (line)
			*line = j.eline;
		if (col)
			*col = j.ecol;
		if (msg)
			*msg = j.msg;
		return TANDEM_EPARSE;
	}
	*out = root;
	return 0;
}

void tandem__json_free(tandem__json *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		tandem__json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const tandem__json *tandem__json_get(const tandem__json *v, const char *key)
{
	if (!v || v->type != TANDEM_JSON_OBJECT || !key)
		return NULL;
	/* RFC 8259 leaves duplicate names open; the last one wins, as in most parsers. */
	for (size_t i = v->n; i-- > 0;)
		if (strcmp(v->keys[i], key) == 0)
			return v->items[i];
	return NULL;
}

void tandem__json_quote(tandem__buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	tandem__buf_putc(b, '"');
	const char *run = s;
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		tandem__buf_put(b, run, (size_t)(p - run));
		if (!c)
			break;
		run = p + 1;
		switch (c) {
		case '"': tandem__buf_puts(b, "\\\""); break;
		case '\\': tandem__buf_puts(b, "\\\\"); break;
		case '\n': tandem__buf_puts(b, "\\n"); break;
		case '\r': tandem__buf_puts(b, "\\r"); break;
		case '\t': tandem__buf_puts(b, "\\t"); break;
		case '\b': tandem__buf_puts(b, "\\b"); break;
		case '\f': tandem__buf_puts(b, "\\f"); break;
		default: {
			char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			tandem__buf_put(b, u, 6);
		}
		}
	}
	tandem__buf_putc(b, '"');
}
