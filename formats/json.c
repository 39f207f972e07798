/*
 * json.c - tandem's own JSON segment format, for scripts.
 *
 * Schema (RFC 8259 JSON, UTF-8):
 *
 *   {
 *     "segments": [
 *       {"id": STRING|null, "start_ms": INT|null, "end_ms": INT|null,
 *        "text": STRING, "translation": STRING|null, "speaker": STRING|null,
 *        "section": STRING, "markup": STRING, "settings": STRING,
 *        "position": 1..9},
 *       ...
 *     ],
 *     "meta": {KEY: STRING, ...},
 *     "claimed_duration_ms": INT,
 *     "blocks": [{"kind": "note"|"style"|"region", "text": STRING, "before": INT}, ...]
 *   }
 *
 * The first six segment fields are always written; "section", "markup"
 * (WebVTT cue-text syntax, see tandem_seg_markup), "settings" (WebVTT cue
 * settings) and "position" ({\anN}) only when set, and the top-level
 * "claimed_duration_ms" and "blocks" (WebVTT NOTE/STYLE/REGION blocks and
 * the index of the segment each preceded) only when the document has them.
 * So a document read from any format goes through JSON and back unchanged.
 *
 * Reading: "segments" is required, every other member optional ("id" may
 * also be a number; "text" defaults to "").  A wrong type, a time that is
 * not a whole number of milliseconds, or a NUL character in a string is an
 * error at the value's line:col (rule json-type), as is a negative time
 * (json-time); broken JSON is an error at the first byte that does not fit
 * (json-syntax).  Warnings (errors with --strict), at the value's line:col:
 * a segment that ends before it starts (json-time, as srt-timing), a member
 * named twice in one object (json-duplicate-key: the last one is used),
 * unknown members (json-unknown-key), and markup whose plain text is not the
 * segment's text (json-markup: the markup is stale, so it is dropped).
 * One segment per line on output keeps diffs readable.
 */
#include "format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

static const char *type_name(tandem__json_type t)
{
	switch (t) {
	case TANDEM_JSON_NULL: return "null";
	case TANDEM_JSON_BOOL: return "a boolean";
	case TANDEM_JSON_NUMBER: return "a number";
	case TANDEM_JSON_STRING: return "a string";
	case TANDEM_JSON_ARRAY: return "an array";
	default: return "an object";
	}
}

static int type_error(tandem__reader *r, const tandem__json *v, const char *what, const char *want)
{
	return tandem__error(r, "json-type", v->line, v->col, "%s must be %s, not %s", what, want,
	                     type_name(v->type));
}

/* A string or null member: *out is borrowed (NULL for null/absent). */
static int get_string(tandem__reader *r, const tandem__json *v, const char *what,
                      const char **out)
{
	*out = NULL;
	if (!v || v->type == TANDEM_JSON_NULL)
		return 0;
	if (v->type != TANDEM_JSON_STRING)
		return type_error(r, v, what, "a string or null");
	if (memchr(v->str, '\0', v->len))
		return tandem__error(r, "json-type", v->line, v->col,
		                     "%s holds a NUL character (\\u0000)", what);
	*out = v->str;
	return 0;
}

/* A whole number of milliseconds, or null/absent (TANDEM_NO_TIME). */
static int get_int(tandem__reader *r, const tandem__json *v, const char *what, int64_t *out,
                   bool nullable)
{
	*out = TANDEM_NO_TIME;
	if (!v || (nullable && v->type == TANDEM_JSON_NULL))
		return 0;
	if (v->type != TANDEM_JSON_NUMBER)
		return type_error(r, v, what, nullable ? "a number or null" : "a number");
	/* 2^53: beyond it doubles skip integers, and no media is that long anyway. */
	if (v->number != floor(v->number) || fabs(v->number) > 9007199254740992.0)
		return tandem__error(r, "json-type", v->line, v->col,
		                     "%s must be a whole number (of milliseconds), not %g", what,
		                     v->number);
	*out = (int64_t)v->number;
	return 0;
}

/* A time: as get_int, and never negative (rule json-time). */
static int get_time(tandem__reader *r, const tandem__json *obj, const char *key, int64_t *out)
{
	char what[32];
	snprintf(what, sizeof what, "\"%s\"", key);
	const tandem__json *v = tandem__json_get(obj, key);
	int rc = get_int(r, v, what, out, true);
	if (!rc && *out != TANDEM_NO_TIME && *out < 0)
		rc = tandem__error(r, "json-time", v->line, v->col,
		                   "%s must not be negative, not %lld", what, (long long)*out);
	return rc;
}

/*
 * Members named twice in one object: RFC 8259 leaves them open and the
 * last one wins (tandem__json_get), which hides the first; a warning at
 * the second value (an error with --strict).
 */
static int check_duplicates(tandem__reader *r, const tandem__json *obj, const char *where)
{
	for (size_t k = 1; k < obj->n; k++)
		for (size_t j = 0; j < k; j++) {
			if (strcmp(obj->keys[j], obj->keys[k]))
				continue;
			int rc = tandem__warn(r, "json-duplicate-key", obj->items[k]->line,
			                      obj->items[k]->col,
			                      "member \"%.40s\" is given twice in %s (also at %zu:%zu); "
			                      "the last one counts",
			                      obj->keys[k], where, obj->items[j]->line, obj->items[j]->col);
			if (rc)
				return rc;
			break;
		}
	return 0;
}

static const char *const seg_keys[] = {
	"id", "start_ms", "end_ms", "text", "translation", "speaker",
	"section", "markup", "settings", "position",
};

static int read_segment(tandem__reader *r, tandem_doc *doc, const tandem__json *s, size_t idx)
{
	int rc;
	char what[64];
	if (s->type != TANDEM_JSON_OBJECT) {
		snprintf(what, sizeof what, "segments[%zu]", idx);
		return type_error(r, s, what, "an object");
	}
	snprintf(what, sizeof what, "segments[%zu]", idx);
	if ((rc = check_duplicates(r, s, what)))
		return rc;
	for (size_t k = 0; k < s->n; k++) {
		bool known = false;
		for (size_t j = 0; j < sizeof seg_keys / sizeof *seg_keys; j++)
			known |= strcmp(s->keys[k], seg_keys[j]) == 0;
		if (!known && (rc = tandem__warn(r, "json-unknown-key", s->items[k]->line,
		                                 s->items[k]->col,
		                                 "unknown member \"%.40s\" in segments[%zu] ignored",
		                                 s->keys[k], idx)))
			return rc;
	}
	const char *text, *tr, *speaker, *section, *markup, *settings, *id = NULL;
	int64_t start, end, pos;
	char idbuf[32];
	const tandem__json *idv = tandem__json_get(s, "id");
	if (idv && idv->type == TANDEM_JSON_NUMBER) {
		int64_t n;
		if ((rc = get_int(r, idv, "\"id\"", &n, false)))
			return rc;
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)n);
		id = idbuf;
	} else if ((rc = get_string(r, idv, "\"id\"", &id))) {
		return rc;
	}
	const tandem__json *tv = tandem__json_get(s, "text");
	if (tv && tv->type == TANDEM_JSON_NULL)
		return type_error(r, tv, "\"text\"", "a string");
	if ((rc = get_string(r, tv, "\"text\"", &text)) ||
	    (rc = get_string(r, tandem__json_get(s, "translation"), "\"translation\"", &tr)) ||
	    (rc = get_string(r, tandem__json_get(s, "speaker"), "\"speaker\"", &speaker)) ||
	    (rc = get_string(r, tandem__json_get(s, "section"), "\"section\"", &section)) ||
	    (rc = get_string(r, tandem__json_get(s, "markup"), "\"markup\"", &markup)) ||
	    (rc = get_string(r, tandem__json_get(s, "settings"), "\"settings\"", &settings)) ||
	    (rc = get_time(r, s, "start_ms", &start)) || (rc = get_time(r, s, "end_ms", &end)) ||
	    (rc = get_int(r, tandem__json_get(s, "position"), "\"position\"", &pos, true)))
		return rc;
	const tandem__json *pv = tandem__json_get(s, "position");
	if (pos != TANDEM_NO_TIME && (pos < 0 || pos > 9))
		return tandem__error(r, "json-type", pv->line, pv->col,
		                     "\"position\" must be 1..9 (numpad {\\anN}) or 0, not %lld",
		                     (long long)pos);
	if (start != TANDEM_NO_TIME && end != TANDEM_NO_TIME && end < start) {
		const tandem__json *ev = tandem__json_get(s, "end_ms");
		if ((rc = tandem__warn(r, "json-time", ev->line, ev->col,
		                       "segments[%zu] ends (%lld ms) before it starts (%lld ms)", idx,
		                       (long long)end, (long long)start)))
			return rc;
	}
	size_t k = tandem_doc_add(doc, start, end, text, tr);
	tandem__seg *seg = &doc->segs[k];
	seg->line = s->line;
	tandem__set_str(&seg->id, id);
	tandem__set_str(&seg->speaker, speaker);
	tandem__set_str(&seg->section, section);
	tandem__set_str(&seg->settings, settings);
	seg->an = pos == TANDEM_NO_TIME ? 0 : (int)pos;
	if (markup) {
		char *plain = tandem_markup_to_plain(markup);
		bool same = strcmp(plain, seg->text) == 0;
		free(plain);
		if (same) {
			tandem__set_str(&seg->markup, markup);
		} else {
			const tandem__json *mv = tandem__json_get(s, "markup");
			if ((rc = tandem__warn(r, "json-markup", mv->line, mv->col,
			                       "\"markup\" does not match \"text\"; the markup is "
			                       "dropped and the text kept")))
				return rc;
		}
	}
	return 0;
}

static int read_blocks(tandem__reader *r, tandem_doc *doc, const tandem__json *bl)
{
	static const char *const kinds[] = {"note", "style", "region"};
	if (bl->type != TANDEM_JSON_ARRAY)
		return type_error(r, bl, "\"blocks\"", "an array");
	for (size_t i = 0; i < bl->n; i++) {
		const tandem__json *b = bl->items[i];
		if (b->type != TANDEM_JSON_OBJECT)
			return type_error(r, b, "a block", "an object");
		const tandem__json *kv = tandem__json_get(b, "kind");
		const char *kind, *text;
		int64_t before;
		int rc;
		if ((rc = get_string(r, kv, "\"kind\"", &kind)) ||
		    (rc = get_string(r, tandem__json_get(b, "text"), "\"text\"", &text)) ||
		    (rc = get_int(r, tandem__json_get(b, "before"), "\"before\"", &before, true)))
			return rc;
		size_t k = 0;
		while (k < 3 && !(kind && strcmp(kind, kinds[k]) == 0))
			k++;
		if (k == 3)
			return tandem__error(r, "json-type", kv ? kv->line : b->line, kv ? kv->col : b->col,
			                     "block \"kind\" must be \"note\", \"style\" or \"region\"");
		if (before == TANDEM_NO_TIME || before < 0 || (uint64_t)before > doc->nsegs)
			before = (int64_t)doc->nsegs;
		tandem_doc_add_block(doc, (tandem_block_kind)k, text ? text : "", (size_t)before);
	}
	return 0;
}

static int json_read(tandem__reader *r, tandem_doc *doc)
{
	tandem__json *root = NULL;
	size_t line = 0, col = 0;
	const char *msg = NULL;
	if (tandem__json_parse(r->data, r->len, &root, &line, &col, &msg))
		return tandem__error(r, "json-syntax", line, col, "%s", msg);
	int rc = 0;
	if (root->type != TANDEM_JSON_OBJECT) {
		rc = tandem__error(r, "json-type", root->line, root->col,
		                   "the top level must be an object with a \"segments\" array, not %s",
		                   type_name(root->type));
		goto done;
	}
	const tandem__json *segs = tandem__json_get(root, "segments");
	if (!segs) {
		rc = tandem__error(r, "json-type", root->line, root->col,
		                   "no \"segments\" array in this object");
		goto done;
	}
	if (segs->type != TANDEM_JSON_ARRAY) {
		rc = type_error(r, segs, "\"segments\"", "an array");
		goto done;
	}
	if ((rc = check_duplicates(r, root, "the top-level object")))
		goto done;
	for (size_t k = 0; k < root->n; k++) {
		const char *key = root->keys[k];
		if (strcmp(key, "segments") && strcmp(key, "meta") && strcmp(key, "blocks") &&
		    strcmp(key, "claimed_duration_ms") &&
		    (rc = tandem__warn(r, "json-unknown-key", root->items[k]->line,
		                       root->items[k]->col, "unknown member \"%.40s\" ignored", key)))
			goto done;
	}
	for (size_t i = 0; i < segs->n; i++)
		if ((rc = read_segment(r, doc, segs->items[i], i)))
			goto done;
	const tandem__json *meta = tandem__json_get(root, "meta");
	if (meta && meta->type != TANDEM_JSON_NULL) {
		if (meta->type != TANDEM_JSON_OBJECT) {
			rc = type_error(r, meta, "\"meta\"", "an object");
			goto done;
		}
		if ((rc = check_duplicates(r, meta, "\"meta\"")))
			goto done;
		for (size_t k = 0; k < meta->n; k++) {
			const char *v;
			char what[64];
			snprintf(what, sizeof what, "meta \"%.40s\"", meta->keys[k]);
			if ((rc = get_string(r, meta->items[k], what, &v)))
				goto done;
			if (v)
				tandem_doc_set_meta(doc, meta->keys[k], v);
		}
	}
	int64_t claimed;
	if ((rc = get_int(r, tandem__json_get(root, "claimed_duration_ms"), "\"claimed_duration_ms\"",
	                  &claimed, true)))
		goto done;
	doc->claimed_duration = claimed;
	const tandem__json *blocks = tandem__json_get(root, "blocks");
	if (blocks && blocks->type != TANDEM_JSON_NULL)
		rc = read_blocks(r, doc, blocks);
done:
	tandem__json_free(root);
	return rc;
}

static int json_sniff(const char *data, size_t len)
{
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i >= len || data[i] != '{')
		return 0;
	size_t n = len - i < 4096 ? len - i : 4096;
	for (size_t k = i; k + 10 <= i + n; k++)
		if (memcmp(data + k, "\"segments\"", 10) == 0)
			return 90;
	return 20;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void put_str_or_null(tandem__buf *b, const char *s)
{
	if (s)
		tandem__json_quote(b, s);
	else
		tandem__buf_puts(b, "null");
}

static void put_ms(tandem__buf *b, int64_t ms)
{
	if (ms == TANDEM_NO_TIME)
		tandem__buf_puts(b, "null");
	else
		tandem__buf_printf(b, "%lld", (long long)ms);
}

static int json_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out)
{
	static const char *const kinds[] = {"note", "style", "region"};
	const char *nl = w->nl;
	tandem__buf_puts(out, "{");
	tandem__buf_puts(out, nl);
	tandem__buf_puts(out, "  \"segments\": [");
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		tandem__buf_puts(out, i ? "," : "");
		tandem__buf_puts(out, nl);
		tandem__buf_puts(out, "    {\"id\": ");
		put_str_or_null(out, s->id);
		tandem__buf_puts(out, ", \"start_ms\": ");
		put_ms(out, s->start);
		tandem__buf_puts(out, ", \"end_ms\": ");
		put_ms(out, s->end);
		tandem__buf_puts(out, ", \"text\": ");
		tandem__json_quote(out, s->text);
		tandem__buf_puts(out, ", \"translation\": ");
		put_str_or_null(out, s->translation);
		tandem__buf_puts(out, ", \"speaker\": ");
		put_str_or_null(out, s->speaker);
		if (s->section) {
			tandem__buf_puts(out, ", \"section\": ");
			tandem__json_quote(out, s->section);
		}
		if (s->markup) {
			tandem__buf_puts(out, ", \"markup\": ");
			tandem__json_quote(out, s->markup);
		}
		if (s->settings) {
			tandem__buf_puts(out, ", \"settings\": ");
			tandem__json_quote(out, s->settings);
		}
		if (s->an)
			tandem__buf_printf(out, ", \"position\": %d", s->an);
		tandem__buf_puts(out, "}");
		tandem__writer_flush(w, out);
	}
	if (doc->nsegs) {
		tandem__buf_puts(out, nl);
		tandem__buf_puts(out, "  ");
	}
	tandem__buf_puts(out, "],");
	tandem__buf_puts(out, nl);
	tandem__buf_puts(out, "  \"meta\": {");
	for (size_t k = 0; k < doc->nmeta; k++) {
		tandem__buf_puts(out, k ? "," : "");
		tandem__buf_puts(out, nl);
		tandem__buf_puts(out, "    ");
		tandem__json_quote(out, doc->meta[k].key);
		tandem__buf_puts(out, ": ");
		tandem__json_quote(out, doc->meta[k].value);
	}
	if (doc->nmeta) {
		tandem__buf_puts(out, nl);
		tandem__buf_puts(out, "  ");
	}
	tandem__buf_puts(out, "}");
	if (doc->claimed_duration != TANDEM_NO_TIME) {
		tandem__buf_puts(out, ",");
		tandem__buf_puts(out, nl);
		tandem__buf_printf(out, "  \"claimed_duration_ms\": %lld",
		                  (long long)doc->claimed_duration);
	}
	if (doc->nblocks) {
		tandem__buf_puts(out, ",");
		tandem__buf_puts(out, nl);
		tandem__buf_puts(out, "  \"blocks\": [");
		for (size_t k = 0; k < doc->nblocks; k++) {
			const tandem__block *b = &doc->blocks[k];
			tandem__buf_puts(out, k ? "," : "");
			tandem__buf_puts(out, nl);
			tandem__buf_printf(out, "    {\"kind\": \"%s\", \"text\": ",
			                  kinds[b->kind <= TANDEM_BLOCK_REGION ? b->kind : 0]);
			tandem__json_quote(out, b->text);
			tandem__buf_printf(out, ", \"before\": %zu}", b->before);
		}
		tandem__buf_puts(out, nl);
		tandem__buf_puts(out, "  ]");
	}
	tandem__buf_puts(out, nl);
	tandem__buf_puts(out, "}");
	tandem__buf_puts(out, nl);
	return 0;
}

const tandem__format tandem__format_json = {
	"json", "json", json_sniff, json_read, json_write, NULL,
};
