/*
 * vtt.c - WebVTT, read and write.
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

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FFFD "\xEF\xBF\xBD"

static bool is_ws(char c)
{
	/* ASCII whitespace: the spec's "skip whitespace" and "split on spaces". */
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

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
static void put_clean(tandem_buf *b, const char *s, size_t n)
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
	while (*p < n && is_digit(s[*p])) {
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
	if (*p >= n || !is_digit(s[*p])) {
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
	while (p < n && is_ws(s[p]))
		p++;
	if (timestamp(s, n, &p, start, why))
		goto bad;
	while (p < n && is_ws(s[p]))
		p++;
	if (p + 3 > n || memcmp(s + p, "-->", 3) != 0) {
		*why = "expected '-->'";
		goto bad;
	}
	p += 3;
	while (p < n && is_ws(s[p]))
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
/* Cue settings and region settings                                    */
/* ------------------------------------------------------------------ */

/* Parse s[0..n) as a real number; false when it is not finite. */
static bool to_double(const char *s, size_t n, double *out)
{
	char small[64];
	char *tmp = n < sizeof small ? small : tandem__xmalloc(n + 1);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	double v = strtod(tmp, NULL);
	if (tmp != small)
		free(tmp);
	if (!isfinite(v))
		return false;
	*out = v;
	return true;
}

/* "Parse a percentage string": digits ["." digits] "%", 0..100. */
static bool percentage(const char *s, size_t n, double *out)
{
	size_t p = 0, k;
	while (p < n && is_digit(s[p]))
		p++;
	if (p == 0)
		return false;
	if (p < n && s[p] == '.') {
		k = ++p;
		while (p < n && is_digit(s[p]))
			p++;
		if (p == k)
			return false;
	}
	if (p + 1 != n || s[p] != '%')
		return false;
	double v;
	if (!to_double(s, n - 1, &v) || v < 0 || v > 100)
		return false;
	*out = v;
	return true;
}

/* The real number the "line" setting allows: [-]digits[.digits]. */
static bool line_number(const char *s, size_t n, double *out)
{
	size_t dots = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-') {
			if (i != 0)
				return false;
		} else if (s[i] == '.') {
			if (++dots > 1 || i == 0 || i + 1 == n || !is_digit(s[i - 1]) ||
			    !is_digit(s[i + 1]))
				return false;
		} else if (!is_digit(s[i])) {
			return false;
		}
	}
	return to_double(s, n, out);
}

static bool has_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_digit(s[i]))
			return true;
	return false;
}

static void cue_defaults(tandem_vtt_cue *c)
{
	c->region = -1;
	c->vertical = "";
	c->snap_to_lines = true;
	c->line_auto = true;
	c->position_auto = true;
	c->line = 0;
	c->position = 0;
	c->size = 100;
	c->line_align = "start";
	c->position_align = "auto";
	c->align = "center";
}

/* The next whitespace-separated token of s[0..n) from *p, or false at the end. */
static bool next_token(const char *s, size_t n, size_t *p, size_t *t0, size_t *tn)
{
	while (*p < n && is_ws(s[*p]))
		(*p)++;
	if (*p >= n)
		return false;
	*t0 = *p;
	while (*p < n && !is_ws(s[*p]))
		(*p)++;
	*tn = *p - *t0;
	return true;
}

/*
 * A region id and its index, sorted by id then index: the reader's index of
 * its REGION blocks, so that each cue's region:ID is a binary search rather
 * than a walk over every block (20k regions and cues took 16 s that way).
 */
typedef struct region_ref {
	const char *id;
	size_t k;
} region_ref;

static int region_ref_cmp(const void *a, const void *b)
{
	const region_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->k > y->k) - (x->k < y->k);
}

/* s[0..n) against a NUL-terminated id, as strcmp orders them. */
static int id_cmp(const char *s, size_t n, const char *id)
{
	size_t m = strlen(id);
	int c = memcmp(s, id, n < m ? n : m);
	return c ? c : (n > m) - (n < m);
}

/* The last region with this id (the spec's rule), or -1; `sorted` may be NULL. */
static long find_region(const char *val, size_t vn, const tandem_vtt_region *regions,
                        size_t nregions, const region_ref *sorted)
{
	if (!sorted) {
		for (size_t k = nregions; k-- > 0;)
			if (eq(val, vn, regions[k].id))
				return (long)k;
		return -1;
	}
	size_t lo = 0, hi = nregions; /* to the first entry after every id <= val */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (id_cmp(val, vn, sorted[mid].id) >= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && id_cmp(val, vn, sorted[lo - 1].id) == 0 ? (long)sorted[lo - 1].k : -1;
}

static int settings(const char *s, size_t n, const tandem_vtt_region *regions, size_t nregions,
                    const region_ref *sorted, tandem_vtt_cue *c, tandem_reader *r,
                    size_t line, size_t col);

int tandem__vtt_settings(const char *s, size_t n, const tandem_vtt_region *regions,
                         size_t nregions, tandem_vtt_cue *c, tandem_reader *r, size_t line,
                         size_t col)
{
	return settings(s, n, regions, nregions, NULL, c, r, line, col);
}

static int settings(const char *s, size_t n, const tandem_vtt_region *regions, size_t nregions,
                    const region_ref *sorted, tandem_vtt_cue *c, tandem_reader *r,
                    size_t line, size_t col)
{
	static const char *const aligns[] = {"start", "center", "end", "left", "right"};
	static const char *const line_aligns[] = {"start", "center", "end"};
	static const char *const pos_aligns[] = {"line-left", "center", "line-right"};
	size_t p = 0, t0, tn;
	cue_defaults(c);
	while (next_token(s, n, &p, &t0, &tn)) {
		const char *tok = s + t0, *why = NULL;
		const char *colon = memchr(tok, ':', tn);
		if (!colon || colon == tok || colon == tok + tn - 1) {
			why = "not name:value";
			goto next;
		}
		const char *name = tok, *val = colon + 1;
		size_t nn = (size_t)(colon - tok), vn = tn - nn - 1;
		if (eq(name, nn, "region")) {
			long found = find_region(val, vn, regions, nregions, sorted);
			c->region = found;
			if (found < 0)
				why = "no REGION before the first cue has this id";
		} else if (eq(name, nn, "vertical")) {
			if (eq(val, vn, "rl"))
				c->vertical = "rl";
			else if (eq(val, vn, "lr"))
				c->vertical = "lr";
			else
				why = "vertical is rl or lr";
		} else if (eq(name, nn, "line")) {
			const char *comma = memchr(val, ',', vn);
			size_t pn = comma ? (size_t)(comma - val) : vn;
			const char *la = comma ? comma + 1 : NULL;
			size_t lan = comma ? vn - pn - 1 : 0;
			double num;
			bool pct = pn && val[pn - 1] == '%';
			const char *align = NULL;
			if (!has_digit(val, pn)) {
				why = "no number";
				goto next;
			}
			if (pct ? !percentage(val, pn, &num) : !line_number(val, pn, &num)) {
				why = pct ? "not a percentage from 0% to 100%" : "not a line number";
				goto next;
			}
			if (la) {
				for (size_t k = 0; k < 3; k++)
					if (eq(la, lan, line_aligns[k]))
						align = line_aligns[k];
				if (!align) {
					why = "line alignment is start, center or end";
					goto next;
				}
				c->line_align = align;
			}
			c->line = num;
			c->line_auto = false;
			c->snap_to_lines = !pct;
		} else if (eq(name, nn, "position")) {
			const char *comma = memchr(val, ',', vn);
			size_t pn = comma ? (size_t)(comma - val) : vn;
			const char *pa = comma ? comma + 1 : NULL;
			size_t pan = comma ? vn - pn - 1 : 0;
			const char *align = NULL;
			double num;
			if (!percentage(val, pn, &num)) {
				why = "not a percentage from 0% to 100%";
				goto next;
			}
			if (pa) {
				for (size_t k = 0; k < 3; k++)
					if (eq(pa, pan, pos_aligns[k]))
						align = pos_aligns[k];
				if (!align) {
					why = "position alignment is line-left, center or line-right";
					goto next;
				}
				c->position_align = align;
			}
			c->position = num;
			c->position_auto = false;
		} else if (eq(name, nn, "size")) {
			double num;
			if (percentage(val, vn, &num))
				c->size = num;
			else
				why = "not a percentage from 0% to 100%";
		} else if (eq(name, nn, "align")) {
			const char *a = NULL;
			for (size_t k = 0; k < 5; k++)
				if (eq(val, vn, aligns[k]))
					a = aligns[k];
			if (a)
				c->align = a;
			else
				why = "align is start, center, end, left or right";
		} else {
			why = "unknown setting";
		}
	next:
		if (why && r) {
			int rc = tandem__warn(r, "vtt-settings", line, col + t0,
			                      "cue setting '%.*s' ignored: %s", (int)tn, tok, why);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* A percentage pair "x%,y%". */
static bool anchor(const char *v, size_t n, double *x, double *y)
{
	const char *comma = memchr(v, ',', n);
	if (!comma)
		return false;
	size_t k = (size_t)(comma - v);
	double a, b;
	if (!percentage(v, k, &a) || !percentage(comma + 1, n - k - 1, &b))
		return false;
	*x = a;
	*y = b;
	return true;
}

int tandem__vtt_region(const char *s, size_t n, tandem_vtt_region *g, tandem_reader *r,
                       size_t line)
{
	size_t p = 0, t0, tn;
	g->id = NULL;
	g->width = 100;
	g->lines = 3;
	g->anchor_x = 0;
	g->anchor_y = 100;
	g->viewport_x = 0;
	g->viewport_y = 100;
	g->scroll_up = false;
	const char *id = "";
	size_t idn = 0;
	while (next_token(s, n, &p, &t0, &tn)) {
		const char *tok = s + t0, *why = NULL;
		const char *colon = memchr(tok, ':', tn);
		if (!colon || colon == tok || colon == tok + tn - 1) {
			why = "not name:value";
			goto next;
		}
		const char *name = tok, *val = colon + 1;
		size_t nn = (size_t)(colon - tok), vn = tn - nn - 1;
		if (eq(name, nn, "id")) {
			id = val;
			idn = vn;
		} else if (eq(name, nn, "width")) {
			if (!percentage(val, vn, &g->width))
				why = "not a percentage from 0% to 100%";
		} else if (eq(name, nn, "lines")) {
			double v;
			bool ok = vn > 0;
			for (size_t k = 0; k < vn; k++)
				ok = ok && is_digit(val[k]);
			if (ok && to_double(val, vn, &v))
				g->lines = v;
			else
				why = "lines is a whole number";
		} else if (eq(name, nn, "regionanchor")) {
			if (!anchor(val, vn, &g->anchor_x, &g->anchor_y))
				why = "anchor is x%,y%";
		} else if (eq(name, nn, "viewportanchor")) {
			if (!anchor(val, vn, &g->viewport_x, &g->viewport_y))
				why = "anchor is x%,y%";
		} else if (eq(name, nn, "scroll")) {
			if (eq(val, vn, "up"))
				g->scroll_up = true;
			else
				why = "scroll is up";
		} else {
			why = "unknown setting";
		}
	next:
		if (why && r) {
			size_t l = line, c0 = 0;
			for (size_t k = 0; k < t0; k++)
				if (s[k] == '\n') {
					l++;
					c0 = k + 1;
				}
			int rc = tandem__warn(r, "vtt-region", l, t0 - c0 + 1,
			                      "region setting '%.*s' ignored: %s", (int)tn, tok, why);
			if (rc) {
				g->id = tandem__xstrndup(id, idn);
				return rc;
			}
		}
	}
	g->id = tandem__xstrndup(id, idn);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reader                                                              */
/* ------------------------------------------------------------------ */

typedef struct vtt_reader {
	tandem_reader *r;
	tandem_doc *doc;
	tandem_lines it;
	bool seen_cue;
	tandem_buf buf;       /* the spec's "buffer" */
	tandem_buf id, settings, tmp, plain, trans;
	tandem_vtt_region *regions;   /* REGION blocks before the first cue */
	size_t nregions, capregions;
	region_ref *sorted;           /* their ids sorted, for nsorted of them */
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
		if (!is_ws(s[i]))
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
	while (s < e && is_ws(t[s]))
		s++;
	while (e > s && is_ws(t[e - 1]))
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
		while (q < e && t[q] != '.' && !is_ws(t[q]))
			q++;
		if (eq(t + c0, q - c0, "translation"))
			ls->translation = true;
	}
	if (q >= e || !is_ws(t[q]))
		return false;
	while (q < e && is_ws(t[q]))
		q++;
	size_t c1 = e;
	while (c1 > q && is_ws(t[c1 - 1]))
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
static size_t char_ref(const char *p, size_t avail, tandem_buf *out)
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
			int v = is_digit(d) ? d - '0'
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
		if (eq(name, n, named[k].name)) {
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
static void put_plain(tandem_buf *out, const char *s, size_t n)
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
		tandem_buf b = TANDEM_BUF_INIT;
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

	tandem_buf *tx = &v->tmp;
	tandem_buf *plain = &v->plain, *trans = &v->trans;
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

	size_t k = tandem_doc_add(doc, start, end, plain->ptr, bilingual ? trans->ptr : NULL);
	tandem_seg *seg = &doc->segs[k];
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
                      const tandem_buf *body)
{
	tandem_buf *b = &v->tmp;
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
	tandem_reader *r = v->r;
	size_t count = 0, first_no = 0, cue_line = 0;
	bool seen_arrow = false, bad_timing = false;
	enum block_kind kind = BLK_NULL;
	int64_t start = 0, end = 0;
	const char *first = NULL;
	size_t first_len = 0;
	tandem_line ln;
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
				while (rest < e && is_ws(ln.s[rest]))
					rest++;
				while (e > rest && is_ws(ln.s[e - 1]))
					e--;
				put_clean(&v->settings, ln.s + rest, e - rest);
				tandem_vtt_cue c;
				if (v->nsorted != v->nregions) { /* once: regions end at the first cue */
					v->sorted = tandem__xrealloc(v->sorted,
					                             v->nregions * sizeof *v->sorted);
					for (size_t k = 0; k < v->nregions; k++)
						v->sorted[k] = (region_ref){v->regions[k].id, k};
					qsort(v->sorted, v->nregions, sizeof *v->sorted, region_ref_cmp);
					v->nsorted = v->nregions;
				}
				if (v->settings.len &&
				    (rc = settings(v->settings.ptr, v->settings.len, v->regions,
				                   v->nregions, v->sorted, &c, r, ln.no, rest + 1)))
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
		tandem_vtt_region g;
		rc = tandem__vtt_region(v->buf.ptr, v->buf.len, &g, r, first_no + 1);
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
	tandem_line ln;
	while (tandem__lines_peek(&v->it, &ln)) {
		if (ln.len)
			return true;
		tandem__lines_take(&v->it, &ln);
	}
	return false;
}

static int vtt_read(tandem_reader *r, tandem_doc *doc)
{
	vtt_reader v;
	memset(&v, 0, sizeof v);
	v.r = r;
	v.doc = doc;
	v.buf = (tandem_buf)TANDEM_BUF_INIT;
	v.id = (tandem_buf)TANDEM_BUF_INIT;
	v.settings = (tandem_buf)TANDEM_BUF_INIT;
	v.tmp = (tandem_buf)TANDEM_BUF_INIT;
	v.plain = (tandem_buf)TANDEM_BUF_INIT;
	v.trans = (tandem_buf)TANDEM_BUF_INIT;
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
	tandem_line ln;
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

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

typedef struct vtt_writer {
	const tandem_writer *w;
	tandem_buf *out;
	size_t fonts, blanks, arrows, ids;   /* what had to change, for the notes */
} vtt_writer;

/*
 * Text as cue-text lines: a blank line would end the cue and a line with
 * "-->" would start a new one, so blank lines are dropped and '>' after
 * "--" is written as &gt;.  Markup keeps its tags, except SRT's <font>,
 * which WebVTT does not have.
 */
static void put_text(vtt_writer *vw, const char *s, bool markup, bool open_before,
                     bool close_after)
{
	tandem_buf *out = vw->out;
	/* A tag before or after the text keeps its first or last line from being blank. */
	bool line_has = open_before, pending_nl = false, any = open_before;
	/* Inside a tag (markup only): a "<font" there is part of that tag, not
	 * one of SRT's to drop ("<<font a >b" is the unknown tag "<font a ",
	 * fixtures/regress/vtt-font-in-tag.vtt). */
	bool in_tag = false;
	const char *p = s;
	while (*p) {
		/* Copy the run up to the next byte that needs a decision in one go. */
		const char *q = p + strcspn(p, "\n\r<>&");
		if (q > p) {
			if (pending_nl) {
				tandem__buf_puts(out, vw->w->nl);
				pending_nl = false;
			}
			tandem__buf_put(out, p, (size_t)(q - p));
			line_has = any = true;
			p = q;
			continue;
		}
		char c = *p;
		if (c == '\r') {
			p++;
			continue;
		}
		if (c == '\n') {
			if (line_has)
				pending_nl = true;
			else if (any)
				vw->blanks++;
			line_has = false;
			p++;
			continue;
		}
		if (markup && c == '<' && !in_tag &&
		    (strncasecmp(p, "<font", 5) == 0 || strncasecmp(p, "</font", 6) == 0)) {
			const char *gt = strchr(p, '>');
			char after = p[1] == '/' ? p[6] : p[5];
			if (gt && (after == '>' || after == ' ' || after == '\t')) {
				vw->fonts++;
				p = gt + 1;
				continue;
			}
		}
		if (pending_nl) {
			tandem__buf_puts(out, vw->w->nl);
			pending_nl = false;
		}
		line_has = any = true;
		if (markup && c == '<')
			in_tag = true;
		else if (markup && c == '>')
			in_tag = false;
		if (!markup && (c == '&' || c == '<' || c == '>')) {
			tandem__buf_puts(out, c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;");
		} else if (markup && c == '>' && p - s >= 2 && p[-1] == '-' && p[-2] == '-') {
			vw->arrows++;
			tandem__buf_puts(out, "&gt;");
		} else {
			tandem__buf_putc(out, c);
		}
		p++;
	}
	if (close_after && (pending_nl || (!line_has && any))) {
		tandem__buf_puts(out, vw->w->nl);
	}
}

static void put_source(vtt_writer *vw, const tandem_seg *s, bool open_before, bool close_after)
{
	if (s->markup)
		put_text(vw, s->markup, true, open_before, close_after);
	else
		put_text(vw, s->text, false, open_before, close_after);
}

static void put_escaped(tandem_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			tandem__buf_puts(out, "&amp;");
		else if (*s == '<')
			tandem__buf_puts(out, "&lt;");
		else if (*s == '>')
			tandem__buf_puts(out, "&gt;");
		else if (*s == '\n' || *s == '\r')
			tandem__buf_putc(out, ' ');
		else
			tandem__buf_putc(out, *s);
	}
}

/* A language tag for the side that has none in the metadata, from its script. */
static const char *guess_lang(const tandem_doc *doc, bool translation, size_t *nseen)
{
	size_t latin = 0, han = 0, kana = 0, hangul = 0, other = 0, seen = 0;
	for (size_t i = 0; i < doc->nsegs && seen < 50; i++) {
		const char *t = translation ? doc->segs[i].translation : doc->segs[i].text;
		if (!t || !*t)
			continue;
		seen++;
		size_t n = strlen(t), p = 0;
		while (p < n) {
			int32_t cp;
			p += tandem__utf8_decode(t + p, n - p, &cp);
			if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
				latin++;
			else if (cp >= 0x3040 && cp <= 0x30FF)
				kana++;
			else if (cp >= 0xAC00 && cp <= 0xD7AF)
				hangul++;
			else if (tandem__is_cjk(cp))
				han++;
			else if (cp >= 0x80)
				other++;
		}
	}
	*nseen = seen;
	if (kana && kana + han >= latin)
		return "ja";
	if (hangul && hangul + han >= latin)
		return "ko";
	if (han * 3 >= latin && han)
		return "zh";
	if (latin >= other && latin)
		return "en";
	return "und";
}

/* A header is written back only if it is one WebVTT can hold. */
static bool header_ok(const char *h)
{
	if (!h || !*h || (h[0] != ' ' && h[0] != '\t' && h[0] != '\n'))
		return false;
	size_t n = strlen(h);
	return !strstr(h, "-->") && !strstr(h, "\n\n") && !strchr(h, '\r') && h[n - 1] != '\n';
}

/* {\anN} to the cue settings that put the cue in the same place. */
static const char *an_settings(int an)
{
	static const char *const map[10] = {
		NULL,
		"align:left",          "",                  "align:right",
		"line:50%,center align:left", "line:50%,center", "line:50%,center align:right",
		"line:0 align:left",   "line:0",            "line:0 align:right",
	};
	return an >= 1 && an <= 9 ? map[an] : NULL;
}

static void put_lines(tandem_buf *out, const char *s, const char *nl)
{
	for (; *s; s++) {
		if (*s == '\n')
			tandem__buf_puts(out, nl);
		else
			tandem__buf_putc(out, *s);
	}
}

static void put_block(vtt_writer *vw, const tandem_block *b, bool *sep)
{
	if (strstr(b->text, "-->") || strstr(b->text, "\n\n") || !*b->text) {
		tandem__write_note(vw->w->opts, TANDEM_WARNING, "vtt-block",
		                   "a %s block that WebVTT cannot hold (blank line or '-->') "
		                   "was dropped",
		                   b->kind == TANDEM_BLOCK_NOTE    ? "NOTE"
		                   : b->kind == TANDEM_BLOCK_STYLE ? "STYLE"
		                                                   : "REGION");
		return;
	}
	if (*sep)
		tandem__buf_puts(vw->out, vw->w->nl);
	put_lines(vw->out, b->text, vw->w->nl);
	tandem__buf_puts(vw->out, vw->w->nl);
	*sep = true;
}

/* "WEBVTT", the header kept from the input, and the STYLE block for two languages. */
static void put_head(vtt_writer *vw, const tandem_doc *doc, const char *src_lang,
                     bool bilingual, bool *sep)
{
	tandem_buf *out = vw->out;
	tandem__buf_puts(out, "WEBVTT");
	const char *h = tandem_doc_meta(doc, "header");
	if (header_ok(h))
		put_lines(out, h, vw->w->nl);
	tandem__buf_puts(out, vw->w->nl);
	if (!vw->w->opts->vtt_style || !bilingual)
		return;
	tandem_buf style = TANDEM_BUF_INIT;
	tandem__buf_printf(&style,
	                  "STYLE\n::cue(:lang(%s)) {\n  color: #ffffff;\n}\n"
	                  "::cue(.translation) {\n  color: #ffe680;\n  font-size: 90%%;\n}",
	                  src_lang);
	bool have = false;
	for (size_t k = 0; k < doc->nblocks; k++)
		have = have || strcmp(doc->blocks[k].text, style.ptr) == 0;
	if (!have) {
		tandem_block b = {TANDEM_BLOCK_STYLE, style.ptr, 0};
		put_block(vw, &b, sep);
	}
	tandem__buf_free(&style);
}

/* Slots of tandem_wwin.count when the writer is called a window at a time. */
enum { VTT_FONTS, VTT_BLANKS, VTT_ARROWS, VTT_IDS, VTT_SEEN_TEXT, VTT_SEEN_TRANSLATION };

/* Does any of doc's segments have a non-empty text (or translation)? */
static bool any_text(const tandem_doc *doc, bool translation)
{
	for (size_t i = 0; i < doc->nsegs; i++) {
		const char *t = translation ? doc->segs[i].translation : doc->segs[i].text;
		if (t && *t)
			return true;
	}
	return false;
}

static int vtt_write(const tandem_doc *doc, const tandem_writer *w, tandem_buf *out)
{
	const tandem_write_opts *o = w->opts;
	const char *nl = w->nl;
	tandem_wwin *win = w->win;
	vtt_writer vw = {w, out, 0, 0, 0, 0};
	if (win) {
		vw.fonts = win->count[VTT_FONTS];
		vw.blanks = win->count[VTT_BLANKS];
		vw.arrows = win->count[VTT_ARROWS];
		vw.ids = win->count[VTT_IDS];
	}
	bool bilingual = false;
	if (o->side == TANDEM_SIDE_BOTH)
		for (size_t i = 0; i < doc->nsegs && !bilingual; i++)
			bilingual = doc->segs[i].translation != NULL;
	const char *src_lang = tandem_doc_meta(doc, "language");
	const char *tr_lang = tandem_doc_meta(doc, "translation_language");
	if (win && !win->first) {
		/* Later windows follow the head's decisions; the whole document
		 * would decide otherwise only if the first window saw too little. */
		if (bilingual && !win->flag)
			win->diverged = true;
		bilingual = win->flag;
		if (bilingual &&
		    ((!src_lang && win->count[VTT_SEEN_TEXT] < 50 && any_text(doc, false)) ||
		     (!tr_lang && win->count[VTT_SEEN_TRANSLATION] < 50 && any_text(doc, true))))
			win->diverged = true;
		src_lang = win->str[0];
		tr_lang = win->str[1];
	} else if (bilingual) {
		size_t seen_text = 50, seen_translation = 50;
		if (!src_lang)
			src_lang = guess_lang(doc, false, &seen_text);
		if (!tr_lang)
			tr_lang = guess_lang(doc, true, &seen_translation);
		if (win) {
			win->count[VTT_SEEN_TEXT] = seen_text;
			win->count[VTT_SEEN_TRANSLATION] = seen_translation;
		}
	}
	if (win && win->first) {
		win->flag = bilingual;
		win->str[0] = src_lang;
		win->str[1] = tr_lang;
	}
	if (win && (win->diverged || win->probe))
		return 0; /* asked for the decisions only, or starting over whole */
	for (size_t i = 0; i < doc->nsegs; i++) {
		if (doc->segs[i].start == TANDEM_NO_TIME || doc->segs[i].end == TANDEM_NO_TIME) {
			tandem__write_note(o, TANDEM_ERROR, "vtt-untimed",
			                   "segment %zu has no %s time; WebVTT cues need both "
			                   "(give timings from a timed source first)",
			                   (win ? win->base : 0) + i + 1,
			                   doc->segs[i].start == TANDEM_NO_TIME ? "start" : "end");
			return TANDEM_EFORMAT;
		}
	}

	/* In memory: one reservation instead of a realloc cascade on big documents. */
	if (w->fd < 0) {
		size_t guess = 64;
		for (size_t i = 0; i < doc->nsegs; i++) {
			const tandem_seg *s = &doc->segs[i];
			guess += 40 + strlen(s->markup ? s->markup : s->text) +
			         (s->translation ? strlen(s->translation) + 48 : 0);
		}
		tandem__buf_grow(out, guess);
	}
	bool sep = true;
	if (!win || win->first)
		put_head(&vw, doc, src_lang, bilingual, &sep);
	/* Measured once, not per cue. */
	size_t nl_len = strlen(nl), src_len = src_lang ? strlen(src_lang) : 0,
	       tr_len = tr_lang ? strlen(tr_lang) : 0;
	size_t kb = 0;
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem_seg *s = &doc->segs[i];
		for (; kb < doc->nblocks && doc->blocks[kb].before <= i; kb++)
			put_block(&vw, &doc->blocks[kb], &sep);
		if (sep)
			tandem__buf_put(out, nl, nl_len);
		sep = true;
		if (s->id && *s->id) {
			if (strstr(s->id, "-->") || strpbrk(s->id, "\r\n"))
				vw.ids++;
			else {
				tandem__buf_puts(out, s->id);
				tandem__buf_put(out, nl, nl_len);
			}
		}
		tandem__buf_time(out, s->start, '.');
		tandem__buf_puts(out, " --> ");
		tandem__buf_time(out, s->end, '.');
		const char *set = s->settings ? s->settings : an_settings(s->an);
		if (set && *set && !strpbrk(set, "\r\n")) {
			tandem__buf_putc(out, ' ');
			tandem__buf_puts(out, set);
		}
		tandem__buf_put(out, nl, nl_len);
		size_t before = out->len;
		bool voice = s->speaker && *s->speaker;
		if (voice) {
			tandem__buf_puts(out, "<v ");
			put_escaped(out, s->speaker);
			tandem__buf_putc(out, '>');
		}
		if (o->side == TANDEM_SIDE_TRANSLATION) {
			if (s->translation)
				put_text(&vw, s->translation, false, voice, false);
		} else if (bilingual && s->translation) {
			const char *order[2] = {"s", "t"};
			if (o->order == TANDEM_ORDER_TRANSLATION_FIRST) {
				order[0] = "t";
				order[1] = "s";
			}
			for (int k = 0; k < 2; k++) {
				if (k)
					tandem__buf_put(out, nl, nl_len);
				if (order[k][0] == 's') {
					tandem__buf_puts(out, "<lang ");
					tandem__buf_put(out, src_lang, src_len);
					tandem__buf_putc(out, '>');
					put_source(&vw, s, true, true);
				} else {
					tandem__buf_puts(out, "<lang.translation ");
					tandem__buf_put(out, tr_lang, tr_len);
					tandem__buf_putc(out, '>');
					put_text(&vw, s->translation, false, true, true);
				}
				tandem__buf_puts(out, "</lang>");
			}
		} else {
			put_source(&vw, s, voice, false);
		}
		if (out->len > before)
			tandem__buf_put(out, nl, nl_len);
		tandem__writer_flush(w, out);
	}
	for (; kb < doc->nblocks; kb++)
		put_block(&vw, &doc->blocks[kb], &sep);

	if (win) {
		win->count[VTT_FONTS] = vw.fonts;
		win->count[VTT_BLANKS] = vw.blanks;
		win->count[VTT_ARROWS] = vw.arrows;
		win->count[VTT_IDS] = vw.ids;
		if (!win->last)
			return 0;
	}
	if (o->vtt_style && !bilingual)
		tandem__write_note(o, TANDEM_INFO, "vtt-style",
		                   "no STYLE block added: the cues hold one language");
	if (vw.fonts)
		tandem__write_note(o, TANDEM_INFO, "vtt-font",
		                   "WebVTT has no <font>: %zu <font> tag(s) dropped (colour and face)",
		                   vw.fonts);
	if (vw.blanks)
		tandem__write_note(o, TANDEM_INFO, "vtt-blank-line",
		                   "%zu blank line(s) inside cue text dropped (a blank line ends a "
		                   "WebVTT cue)",
		                   vw.blanks);
	if (vw.arrows)
		tandem__write_note(o, TANDEM_INFO, "vtt-arrow",
		                   "%zu '-->' in cue text written as '--&gt;' (it would start a new cue)",
		                   vw.arrows);
	if (vw.ids)
		tandem__write_note(o, TANDEM_WARNING, "vtt-id",
		                   "%zu cue id(s) holding '-->' or a line break dropped", vw.ids);
	return 0;
}

const tandem_format tandem__format_vtt = {
	"vtt", "vtt webvtt", vtt_sniff, vtt_read, vtt_write,
};
