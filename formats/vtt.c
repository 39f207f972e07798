/*
 * vtt.c - the WebVTT reader, and the format's table entry (the cue and
 * region settings parser is vtt_settings.c, the writer vtt_write.c).
 *
 * The reader follows the W3C WebVTT parsing algorithm step for step
 * (WebVTT: The Web Video Text Tracks Format, https://www.w3.org/TR/webvtt1/,
 * 6.1 "WebVTT file parsing" with "collect a WebVTT block", "collect WebVTT
 * cue timings and settings", "collect a WebVTT timestamp", "parse the
 * WebVTT cue settings" and "collect WebVTT region settings"), so that every
 * cue a browser creates is created here with the same id, times, text and
 * settings, and nothing else is:
 *
 *   file      := "WEBVTT" [SP|TAB rest] LF [header-line LF]* LF+ block (LF+ block)*
 *   block     := cue | NOTE... | STYLE LF css | REGION LF region-settings
 *   cue       := [id LF] timestamp WS* "-->" WS* timestamp [settings] (LF text-line)*
 *   timestamp := [hours ":"] mm ":" ss "." ttt
 *                (hours when the first field is not exactly two digits or is
 *                above 59; mm and ss two digits <= 59, ttt three digits)
 *
 * A block ends at a blank line, or before any line holding "-->" that is
 * not its first or (after an id) second line.  The spec's preprocessing
 * (CR and CRLF to LF) is the line scanner's job; NUL becomes U+FFFD as we
 * copy.  The decoder has already removed one BOM; a second one fails the
 * signature, as in the spec.
 *
 * Where the spec silently drops something (a cue whose timing line is bad,
 * an ignored cue setting, text outside any cue, a STYLE block after the
 * first cue) the cues come out exactly as the spec says, and a positioned
 * warning says what was dropped; --strict makes the first one an error.
 *
 * The model keeps: id, times, the settings verbatim, the cue text as markup
 * (WebVTT cue-text syntax) and as plain text, a whole-cue <v Name> span as
 * the speaker, the header text after "WEBVTT" (meta "header") and NOTE,
 * STYLE and REGION blocks verbatim in place, so VTT -> VTT loses nothing a
 * player would use.  A cue in the writer's bilingual layout (a <lang> span,
 * a line break, a <lang.translation> span) reads back as text + translation.
 */
#include "vtt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FFFD "\xEF\xBF\xBD"

/* The first k-byte needle in s[0..n), or NULL (memmem is a GNU extension). */
static const char *find(const char *s, size_t n, const char *needle, size_t k)
{
	const char *end = s + n, *p = s;
	while (end - p >= (ptrdiff_t)k && (p = memchr(p, needle[0], (size_t)(end - p) - k + 1))) {
		if (memcmp(p, needle, k) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* Append s[0..n), each NUL replaced by U+FFFD as the spec's preprocessing does. */
static void put_clean(tandem__buf *b, const char *s, size_t n)
{
	const char *z;
	while (n && (z = memchr(s, '\0', n)) != NULL) {
		size_t k = (size_t)(z - s);
		tandem__buf_put(b, s, k);
		tandem__buf_put(b, FFFD, 3);
		s += k + 1;
		n -= k + 1;
	}
	tandem__buf_put(b, s, n);
}

/* ------------------------------------------------------------------ */
/* Timestamps and timing lines                                         */
/* ------------------------------------------------------------------ */

static size_t digits(const char *s, size_t n, size_t *p, int64_t *val)
{
	size_t start = *p;
	int64_t v = 0;
	while (*p < n && tandem__vtt_is_digit(s[*p])) {
		if (*p - start < 12) /* longer fields are rejected by the caller */
			v = v * 10 + (s[*p] - '0');
		(*p)++;
	}
	*val = v;
	return *p - start;
}

/* "Collect a WebVTT timestamp".  On failure *p is where it went wrong. */
static int timestamp(const char *s, size_t n, size_t *p, int64_t *ms, const char **why)
{
	int64_t v1, v2, v3, v4;
	size_t k;
	if (*p >= n || !tandem__vtt_is_digit(s[*p])) {
		*why = "expected a digit";
		return -1;
	}
	k = digits(s, n, p, &v1);
	if (k > 10) {
		*why = "hours out of range";
		return -1;
	}
	bool hours = k != 2 || v1 > 59;
	if (*p >= n || s[*p] != ':') {
		*why = "expected ':'";
		return -1;
	}
	(*p)++;
	if (digits(s, n, p, &v2) != 2) {
		*why = "minutes and seconds take exactly two digits";
		return -1;
	}
	if (hours || (*p < n && s[*p] == ':')) {
		if (*p >= n || s[*p] != ':') {
			*why = "expected ':'";
			return -1;
		}
		(*p)++;
		if (digits(s, n, p, &v3) != 2) {
			*why = "seconds take exactly two digits";
			return -1;
		}
	} else {
		v3 = v2;
		v2 = v1;
		v1 = 0;
	}
	if (*p >= n || s[*p] != '.') {
		*why = "expected '.' before the milliseconds";
		return -1;
	}
	(*p)++;
	if (digits(s, n, p, &v4) != 3) {
		*why = "milliseconds take exactly three digits";
		return -1;
	}
	if (v2 > 59 || v3 > 59) {
		*why = "minutes or seconds above 59";
		return -1;
	}
	*ms = ((v1 * 60 + v2) * 60 + v3) * 1000 + v4;
	return 0;
}

/* "Collect WebVTT cue timings and settings": *rest is where the settings begin. */
static int timings(const char *s, size_t n, int64_t *start, int64_t *end, size_t *rest,
                   size_t *errcol, const char **why)
{
	size_t p = 0;
	while (p < n && tandem__vtt_is_ws(s[p]))
		p++;
	if (timestamp(s, n, &p, start, why))
		goto bad;
	while (p < n && tandem__vtt_is_ws(s[p]))
		p++;
	if (p + 3 > n || memcmp(s + p, "-->", 3) != 0) {
		*why = "expected '-->'";
		goto bad;
	}
	p += 3;
	while (p < n && tandem__vtt_is_ws(s[p]))
		p++;
	if (timestamp(s, n, &p, end, why))
		goto bad;
	*rest = p;
	return 0;
bad:
	*errcol = p + 1;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Reader                                                              */
/* ------------------------------------------------------------------ */

typedef struct vtt_reader {
	tandem__reader *r;
	tandem_doc *doc;
	tandem__lines it;
	bool seen_cue;
	tandem__buf buf;       /* the spec's "buffer" */
	tandem__buf id, settings, tmp, plain, trans;
	tandem__vtt_region *regions;   /* REGION blocks before the first cue */
	size_t nregions, capregions;
	tandem__vtt_region_ref *sorted; /* their ids sorted, for nsorted of them */
	size_t nsorted;
} vtt_reader;

enum block_kind { BLK_NULL, BLK_CUE, BLK_STYLE, BLK_REGION };

/* "STYLE" or "REGION" followed only by ASCII whitespace. */
static bool keyword_line(const char *s, size_t n, const char *kw)
{
	size_t k = strlen(kw);
	if (n < k || memcmp(s, kw, k) != 0)
		return false;
	for (size_t i = k; i < n; i++)
		if (!tandem__vtt_is_ws(s[i]))
			return false;
	return true;
}

static bool note_line(const char *s, size_t n)
{
	return n >= 4 && memcmp(s, "NOTE", 4) == 0 && (n == 4 || s[4] == ' ' || s[4] == '\t');
}

static bool has_markup(const char *s, size_t n)
{
	return memchr(s, '<', n) || memchr(s, '&', n);
}

/*
 * A cue that is one voice span from its first byte ("<v Name>..." with no
 * other voice span, closed at the very end or not at all) names its
 * speaker; other writers show it as "Name:".
 */
static bool whole_voice(const char *t, size_t n, size_t *a0, size_t *an, size_t *b0,
                        size_t *bn)
{
	if (n < 4 || t[0] != '<' || t[1] != 'v' || (t[2] != ' ' && t[2] != '\t'))
		return false;
	const char *gt = memchr(t, '>', n);
	if (!gt || memchr(t, '\n', (size_t)(gt - t)))
		return false;
	size_t s = 3, e = (size_t)(gt - t);
	while (s < e && tandem__vtt_is_ws(t[s]))
		s++;
	while (e > s && tandem__vtt_is_ws(t[e - 1]))
		e--;
	if (s == e || memchr(t + s, '<', e - s))
		return false;
	size_t body = (size_t)(gt - t) + 1, bl = n - body;
	const char *q = t + body;
	while ((q = find(q, (size_t)(t + n - q), "<v", 2)) != NULL) {
		char c = q + 2 < t + n ? q[2] : '\0';
		if (c == ' ' || c == '\t' || c == '.' || c == '>')
			return false;
		q += 2;
	}
	const char *close = find(t + body, bl, "</v>", 4);
	if (close) {
		if (close + 4 != t + n)
			return false;
		bl -= 4;
	}
	/* Line breaks at either end of a voice span show nothing; the writer drops them. */
	while (bl && t[body] == '\n') {
		body++;
		bl--;
	}
	while (bl && t[body + bl - 1] == '\n')
		bl--;
	*a0 = s;
	*an = e - s;
	*b0 = body;
	*bn = bl;
	return true;
}

typedef struct lang_span {
	size_t code0, coden;    /* language tag */
	size_t in0, inn;        /* inner markup */
	bool translation;       /* carries class "translation" */
	size_t end;             /* first byte after </lang> */
} lang_span;

/* "<lang[.class...] CODE>inner</lang>" at t[p..n). */
static bool lang_span_at(const char *t, size_t n, size_t p, lang_span *ls)
{
	if (n - p < 6 || memcmp(t + p, "<lang", 5) != 0)
		return false;
	const char *gt = memchr(t + p, '>', n - p);
	if (!gt)
		return false;
	size_t q = p + 5, e = (size_t)(gt - t);
	ls->translation = false;
	while (q < e && t[q] == '.') {
		size_t c0 = ++q;
		while (q < e && t[q] != '.' && !tandem__vtt_is_ws(t[q]))
			q++;
		if (tandem__vtt_eq(t + c0, q - c0, "translation"))
			ls->translation = true;
	}
	if (q >= e || !tandem__vtt_is_ws(t[q]))
		return false;
	while (q < e && tandem__vtt_is_ws(t[q]))
		q++;
	size_t c1 = e;
	while (c1 > q && tandem__vtt_is_ws(t[c1 - 1]))
		c1--;
	if (c1 == q)
		return false;
	ls->code0 = q;
	ls->coden = c1 - q;
	size_t in0 = e + 1;
	const char *close = find(t + in0, n - in0, "</lang>", 7);
	if (!close || find(t + in0, (size_t)(close - t) - in0, "<lang", 5))
		return false;
	ls->in0 = in0;
	ls->inn = (size_t)(close - t) - in0;
	ls->end = (size_t)(close - t) + 7;
	return true;
}

/* The character reference at p ("&amp;", "&#233;", "&#xE9;"): bytes used, or 0. */
static size_t char_ref(const char *p, size_t avail, tandem__buf *out)
{
	static const struct {
		const char *name, *utf8;
	} named[] = {
		{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
		{"nbsp", "\xC2\xA0"}, {"lrm", "\xE2\x80\x8E"}, {"rlm", "\xE2\x80\x8F"},
	};
	const char *semi = memchr(p, ';', avail < 14 ? avail : 14);
	if (!semi)
		return 0;
	const char *name = p + 1;
	size_t n = (size_t)(semi - name);
	if (n >= 2 && name[0] == '#') {
		bool hex = name[1] == 'x' || name[1] == 'X';
		size_t i = hex ? 2 : 1;
		uint32_t c = 0;
		if (i == n)
			return 0;
		for (; i < n; i++) {
			char d = name[i];
			int v = tandem__vtt_is_digit(d) ? d - '0'
			        : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
			        : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10
			                                      : -1;
			if (v < 0)
				return 0;
			c = c * (hex ? 16 : 10) + (uint32_t)v;
			if (c > 0x10FFFF)
				return 0;
		}
		if (c == 0 || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		tandem__buf_put_utf8(out, c);
		return n + 2;
	}
	for (size_t k = 0; k < sizeof named / sizeof *named; k++)
		if (tandem__vtt_eq(name, n, named[k].name)) {
			tandem__buf_puts(out, named[k].utf8);
			return n + 2;
		}
	return 0;
}

/*
 * Cue text to plain text: tags removed, character references decoded.  The
 * same result as tandem_markup_to_plain() on cue text, computed here so it
 * stays linear on hostile input (a megabyte of '<' with no '>').
 */
static void put_plain(tandem__buf *out, const char *s, size_t n)
{
	if (!has_markup(s, n)) {
		tandem__buf_put(out, s, n);
		return;
	}
	const char *p = s, *end = s + n, *gt = NULL;
	bool no_gt = false;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != '<' && *q != '&')
			q++;
		tandem__buf_put(out, p, (size_t)(q - p));
		p = q;
		if (p == end)
			break;
		if (*p == '<') {
			if (!no_gt && (!gt || gt < p)) {
				gt = memchr(p, '>', (size_t)(end - p));
				no_gt = gt == NULL;
			}
			if (!no_gt) {
				p = gt + 1;
				continue;
			}
		} else {
			size_t k = char_ref(p, (size_t)(end - p), out);
			if (k) {
				p += k;
				continue;
			}
		}
		tandem__buf_putc(out, *p++);
	}
}

/* Make a segment from the cue the block produced (text in v->buf). */
static int add_cue(vtt_reader *v, int64_t start, int64_t end, size_t line)
{
	tandem_doc *doc = v->doc;
	const char *t = v->buf.ptr;
	size_t n = v->buf.len, a0 = 0, an = 0, b0 = 0, bn = n;
	int rc = 0;
	if (end < start) {
		char s1[32], s2[32];
		tandem__buf b = TANDEM_BUF_INIT;
		tandem__buf_time(&b, start, '.');
		snprintf(s1, sizeof s1, "%s", b.ptr);
		tandem__buf_clear(&b);
		tandem__buf_time(&b, end, '.');
		snprintf(s2, sizeof s2, "%s", b.ptr);
		tandem__buf_free(&b);
		if ((rc = tandem__warn(v->r, "vtt-time-order", line, 1,
		                       "cue ends (%s) before it starts (%s); players never show it",
		                       s2, s1)))
			return rc;
	}
	bool voice = whole_voice(t, n, &a0, &an, &b0, &bn);
	const char *body = t + b0;

	/* The writer's bilingual layout: <lang A>source</lang> LF <lang B>translation</lang>. */
	lang_span l1, l2;
	bool bilingual = false;
	if (bn && lang_span_at(body, bn, 0, &l1) && l1.end < bn && body[l1.end] == '\n' &&
	    lang_span_at(body, bn, l1.end + 1, &l2) && l2.end == bn &&
	    l1.translation != l2.translation)
		bilingual = true;

	tandem__buf *tx = &v->tmp;
	tandem__buf *plain = &v->plain, *trans = &v->trans;
	tandem__buf_clear(plain);
	tandem__buf_clear(trans);
	const char *src = body;
	size_t srcn = bn;
	if (bilingual) {
		lang_span *s = l1.translation ? &l2 : &l1, *tr = l1.translation ? &l1 : &l2;
		src = body + s->in0;
		srcn = s->inn;
		put_plain(trans, body + tr->in0, tr->inn);
		if (!tandem_doc_meta(doc, "language")) {
			tandem__buf_clear(tx);
			tandem__buf_put(tx, body + s->code0, s->coden);
			tandem_doc_set_meta(doc, "language", tx->ptr);
		}
		if (!tandem_doc_meta(doc, "translation_language")) {
			tandem__buf_clear(tx);
			tandem__buf_put(tx, body + tr->code0, tr->coden);
			tandem_doc_set_meta(doc, "translation_language", tx->ptr);
		}
	}
	bool styled = has_markup(src, srcn);
	put_plain(plain, src, srcn);
	/* A last line that was only tags holds no text: the writer, which must
	 * drop some tags (<font>), could not write it back as an empty line. */
	while (styled && plain->len && plain->ptr[plain->len - 1] == '\n')
		plain->ptr[--plain->len] = 0;

	size_t k = tandem_doc_add(doc, start, end, plain->ptr, bilingual ? trans->ptr : NULL);
	tandem__seg *seg = &doc->segs[k];
	seg->line = line;
	if (styled)
		seg->markup = tandem__xstrndup(src, srcn);
	if (v->id.len)
		seg->id = tandem__xstrndup(v->id.ptr, v->id.len);
	if (v->settings.len)
		seg->settings = tandem__xstrndup(v->settings.ptr, v->settings.len);
	if (voice) {
		tandem__buf_clear(plain);
		put_plain(plain, t + a0, an);
		seg->speaker = tandem__xstrndup(plain->ptr, plain->len);
	}
	return 0;
}

static void add_block(vtt_reader *v, tandem_block_kind kind, const char *first, size_t fn,
                      const tandem__buf *body)
{
	tandem__buf *b = &v->tmp;
	tandem__buf_clear(b);
	if (first) {
		put_clean(b, first, fn);
		if (body->len)
			tandem__buf_putc(b, '\n');
	}
	tandem__buf_put(b, body->ptr, body->len);
	tandem_doc_add_block(v->doc, kind, b->ptr, v->doc->nsegs);
}

/* "Collect a WebVTT block". */
static int collect_block(vtt_reader *v, bool in_header)
{
	tandem__reader *r = v->r;
	size_t count = 0, first_no = 0, cue_line = 0;
	bool seen_arrow = false, bad_timing = false;
	enum block_kind kind = BLK_NULL;
	int64_t start = 0, end = 0;
	const char *first = NULL;
	size_t first_len = 0;
	tandem__line ln;
	int rc = 0;

	tandem__buf_clear(&v->buf);
	tandem__buf_clear(&v->id);
	tandem__buf_clear(&v->settings);
	while (tandem__lines_peek(&v->it, &ln)) {
		count++;
		if (count == 1) {
			first = ln.s;
			first_len = ln.len;
			first_no = ln.no;
		}
		const char *arrow = find(ln.s, ln.len, "-->", 3);
		if (arrow) {
			if (in_header || !(count == 1 || (count == 2 && !seen_arrow))) {
				/* The line starts the next block: the spec rewinds to it. */
				if (kind == BLK_CUE &&
				    (rc = tandem__warn(r, "vtt-cue-text", ln.no, (size_t)(arrow - ln.s) + 1,
				                       "a line holding '-->' ends the cue begun at line %zu "
				                       "(a blank line is missing?)",
				                       cue_line)))
					return rc;
				break;
			}
			tandem__lines_take(&v->it, &ln);
			seen_arrow = true;
			size_t rest = 0, ecol = 0;
			const char *why = NULL;
			if (timings(ln.s, ln.len, &start, &end, &rest, &ecol, &why) == 0) {
				kind = BLK_CUE;
				cue_line = ln.no;
				tandem__buf_put(&v->id, v->buf.ptr, v->buf.len);
				tandem__buf_clear(&v->buf);
				v->seen_cue = true;
				size_t e = ln.len;
				while (rest < e && tandem__vtt_is_ws(ln.s[rest]))
					rest++;
				while (e > rest && tandem__vtt_is_ws(ln.s[e - 1]))
					e--;
				put_clean(&v->settings, ln.s + rest, e - rest);
				tandem__vtt_cue c;
				if (v->nsorted != v->nregions) { /* once: regions end at the first cue */
					v->sorted = tandem__xrealloc(v->sorted,
					                             v->nregions * sizeof *v->sorted);
					tandem__vtt_region_index(v->regions, v->nregions, v->sorted);
					v->nsorted = v->nregions;
				}
				if (v->settings.len &&
				    (rc = tandem__vtt_settings_indexed(v->settings.ptr, v->settings.len,
				                                       v->regions, v->nregions, v->sorted,
				                                       &c, r, ln.no, rest + 1)))
					return rc;
			} else {
				bad_timing = true;
				if ((rc = tandem__warn(r, "vtt-timestamp", ln.no, ecol,
				                       "malformed cue timing '%.*s' (%s); the cue is dropped",
				                       (int)(ln.len > 80 ? 80 : ln.len), ln.s, why)))
					return rc;
			}
			continue;
		}
		tandem__lines_take(&v->it, &ln);
		if (ln.len == 0)
			break;
		if (!in_header && count == 2 && !v->seen_cue) {
			if (keyword_line(v->buf.ptr, v->buf.len, "STYLE")) {
				kind = BLK_STYLE;
				tandem__buf_clear(&v->buf);
			} else if (keyword_line(v->buf.ptr, v->buf.len, "REGION")) {
				kind = BLK_REGION;
				tandem__buf_clear(&v->buf);
			}
		}
		if (v->buf.len)
			tandem__buf_putc(&v->buf, '\n');
		put_clean(&v->buf, ln.s, ln.len);
	}
	if (in_header)
		return 0;

	switch (kind) {
	case BLK_CUE:
		return add_cue(v, start, end, cue_line);
	case BLK_STYLE:
		add_block(v, TANDEM_BLOCK_STYLE, first, first_len, &v->buf);
		return 0;
	case BLK_REGION: {
		tandem__vtt_region g;
		rc = tandem__vtt_region_parse(v->buf.ptr, v->buf.len, &g, r, first_no + 1);
		if (v->nregions == v->capregions) {
			v->capregions = v->capregions ? 2 * v->capregions : 8;
			v->regions = tandem__xrealloc(v->regions, v->capregions * sizeof *v->regions);
		}
		v->regions[v->nregions++] = g;
		add_block(v, TANDEM_BLOCK_REGION, first, first_len, &v->buf);
		return rc;
	}
	case BLK_NULL:
		break;
	}
	if (bad_timing)
		return 0; /* already reported */
	if (note_line(first, first_len)) {
		add_block(v, TANDEM_BLOCK_NOTE, NULL, 0, &v->buf);
		return 0;
	}
	bool style = keyword_line(first, first_len, "STYLE");
	if (style || keyword_line(first, first_len, "REGION")) {
		/* Kept so VTT -> VTT round-trips, but players ignore it. */
		add_block(v, style ? TANDEM_BLOCK_STYLE : TANDEM_BLOCK_REGION, NULL, 0, &v->buf);
		return tandem__warn(r, "vtt-block-order", first_no, 1,
		                    v->seen_cue ? "%s block after the first cue: players ignore it"
		                                : "%s block with nothing in it",
		                    style ? "STYLE" : "REGION");
	}
	return tandem__warn(r, "vtt-block", first_no, 1,
	                    "text outside any cue (no timing line): '%.*s' is ignored",
	                    (int)(first_len > 60 ? 60 : first_len), first);
}

static bool skip_blank_lines(vtt_reader *v)
{
	tandem__line ln;
	while (tandem__lines_peek(&v->it, &ln)) {
		if (ln.len)
			return true;
		tandem__lines_take(&v->it, &ln);
	}
	return false;
}

static int vtt_read(tandem__reader *r, tandem_doc *doc)
{
	vtt_reader v;
	memset(&v, 0, sizeof v);
	v.r = r;
	v.doc = doc;
	v.buf = (tandem__buf)TANDEM_BUF_INIT;
	v.id = (tandem__buf)TANDEM_BUF_INIT;
	v.settings = (tandem__buf)TANDEM_BUF_INIT;
	v.tmp = (tandem__buf)TANDEM_BUF_INIT;
	v.plain = (tandem__buf)TANDEM_BUF_INIT;
	v.trans = (tandem__buf)TANDEM_BUF_INIT;
	const char *d = r->data;
	size_t n = r->len;
	int rc = 0;

	if (n < 6 || memcmp(d, "WEBVTT", 6) != 0 ||
	    (n > 6 && d[6] != ' ' && d[6] != '\t' && d[6] != '\n' && d[6] != '\r')) {
		const char *hint = "";
		if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
			hint = " (a second byte order mark)";
		else if (n >= 6 && strncasecmp(d, "webvtt", 6) == 0 && memcmp(d, "WEBVTT", 6) != 0)
			hint = " (it must be upper case)";
		else if (n >= 6 && memcmp(d, "WEBVTT", 6) == 0)
			hint = " (it must be followed by a space, a tab or a line end)";
		return tandem__error(r, "vtt-signature", 1, 1,
		                     "not WebVTT: the file must begin with 'WEBVTT'%s", hint);
	}
	tandem__lines_init(&v.it, d, n);
	tandem__line ln;
	tandem__lines_next(&v.it, &ln);
	tandem__buf_clear(&v.tmp);
	put_clean(&v.tmp, ln.s + 6, ln.len - 6);
	if (tandem__lines_peek(&v.it, &ln)) {
		if (ln.len) {
			/* Header lines up to the first blank line: kept verbatim in meta "header". */
			if ((rc = collect_block(&v, true)))
				goto done;
			tandem__buf_putc(&v.tmp, '\n');
			tandem__buf_put(&v.tmp, v.buf.ptr, v.buf.len);
		} else {
			tandem__lines_next(&v.it, &ln);
		}
	}
	if (v.tmp.len)
		tandem_doc_set_meta(doc, "header", v.tmp.ptr);
	while (skip_blank_lines(&v))
		if ((rc = collect_block(&v, false)))
			goto done;
done:
	for (size_t k = 0; k < v.nregions; k++)
		free(v.regions[k].id);
	free(v.regions);
	free(v.sorted);
	tandem__buf_free(&v.buf);
	tandem__buf_free(&v.id);
	tandem__buf_free(&v.settings);
	tandem__buf_free(&v.tmp);
	tandem__buf_free(&v.plain);
	tandem__buf_free(&v.trans);
	return rc;
}

static int vtt_sniff(const char *d, size_t n)
{
	if (n >= 6 && memcmp(d, "WEBVTT", 6) == 0 &&
	    (n == 6 || d[6] == ' ' || d[6] == '\t' || d[6] == '\n' || d[6] == '\r'))
		return 95;
	return 0;
}

const tandem__format tandem__format_vtt = {
	"vtt", "vtt webvtt", vtt_sniff, vtt_read, tandem__vtt_write, NULL,
};
