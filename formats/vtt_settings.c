/*
 * vtt_settings.c - WebVTT cue settings and region settings, parsed as the
 * spec's parser does (https://www.w3.org/TR/webvtt1/, 6.1 "parse the WebVTT
 * cue settings" and "collect WebVTT region settings"):
 *
 *   settings := (WS* name ":" value)*    each token split on whitespace at
 *                                        its first ':'; name and value non-empty
 *   cue       region:ID  vertical:rl|lr  line:N[%][,start|center|end]
 *             position:N%[,line-left|center|line-right]  size:N%
 *             align:start|center|end|left|right
 *   region    id:ID  width:N%  lines:N  regionanchor:X%,Y%  viewportanchor:X%,Y%
 *             scroll:up
 *
 * A setting the spec ignores (unknown, malformed, out of range) leaves the
 * value it would have set alone and is a positioned warning; the values are
 * the VTTCue and VTTRegion DOM's, which the conformance drivers compare.
 */
#include "vtt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	while (p < n && tandem__vtt_is_digit(s[p]))
		p++;
	if (p == 0)
		return false;
	if (p < n && s[p] == '.') {
		k = ++p;
		while (p < n && tandem__vtt_is_digit(s[p]))
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
			if (++dots > 1 || i == 0 || i + 1 == n || !tandem__vtt_is_digit(s[i - 1]) ||
			    !tandem__vtt_is_digit(s[i + 1]))
				return false;
		} else if (!tandem__vtt_is_digit(s[i])) {
			return false;
		}
	}
	return to_double(s, n, out);
}

static bool has_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tandem__vtt_is_digit(s[i]))
			return true;
	return false;
}

static void cue_defaults(tandem__vtt_cue *c)
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
	while (*p < n && tandem__vtt_is_ws(s[*p]))
		(*p)++;
	if (*p >= n)
		return false;
	*t0 = *p;
	while (*p < n && !tandem__vtt_is_ws(s[*p]))
		(*p)++;
	*tn = *p - *t0;
	return true;
}

static int region_ref_cmp(const void *a, const void *b)
{
	const tandem__vtt_region_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->k > y->k) - (x->k < y->k);
}

void tandem__vtt_region_index(const tandem__vtt_region *regions, size_t nregions,
                              tandem__vtt_region_ref *sorted)
{
	for (size_t k = 0; k < nregions; k++)
		sorted[k] = (tandem__vtt_region_ref){regions[k].id, k};
	qsort(sorted, nregions, sizeof *sorted, region_ref_cmp);
}

/* s[0..n) against a NUL-terminated id, as strcmp orders them. */
static int id_cmp(const char *s, size_t n, const char *id)
{
	size_t m = strlen(id);
	int c = memcmp(s, id, n < m ? n : m);
	return c ? c : (n > m) - (n < m);
}

/* The last region with this id (the spec's rule), or -1; `sorted` may be NULL. */
static long find_region(const char *val, size_t vn, const tandem__vtt_region *regions,
                        size_t nregions, const tandem__vtt_region_ref *sorted)
{
	if (!sorted) {
		for (size_t k = nregions; k-- > 0;)
			if (tandem__vtt_eq(val, vn, regions[k].id))
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

int tandem__vtt_settings(const char *s, size_t n, const tandem__vtt_region *regions,
                         size_t nregions, tandem__vtt_cue *c, tandem__reader *r, size_t line,
                         size_t col)
{
	return tandem__vtt_settings_indexed(s, n, regions, nregions, NULL, c, r, line, col);
}

/* The word of words[0, k) that s[0, n) is, or NULL. */
static const char *one_of(const char *s, size_t n, const char *const *words, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (tandem__vtt_eq(s, n, words[i]))
			return words[i];
	return NULL;
}

int tandem__vtt_settings_indexed(const char *s, size_t n, const tandem__vtt_region *regions,
                                 size_t nregions, const tandem__vtt_region_ref *sorted,
                                 tandem__vtt_cue *c, tandem__reader *r, size_t line, size_t col)
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
		if (tandem__vtt_eq(name, nn, "region")) {
			long found = find_region(val, vn, regions, nregions, sorted);
			c->region = found;
			if (found < 0)
				why = "no REGION before the first cue has this id";
		} else if (tandem__vtt_eq(name, nn, "vertical")) {
			if (tandem__vtt_eq(val, vn, "rl"))
				c->vertical = "rl";
			else if (tandem__vtt_eq(val, vn, "lr"))
				c->vertical = "lr";
			else
				why = "vertical is rl or lr";
		} else if (tandem__vtt_eq(name, nn, "line")) {
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
				align = one_of(la, lan, line_aligns, 3);
				if (!align) {
					why = "line alignment is start, center or end";
					goto next;
				}
				c->line_align = align;
			}
			c->line = num;
			c->line_auto = false;
			c->snap_to_lines = !pct;
		} else if (tandem__vtt_eq(name, nn, "position")) {
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
				align = one_of(pa, pan, pos_aligns, 3);
				if (!align) {
					why = "position alignment is line-left, center or line-right";
					goto next;
				}
				c->position_align = align;
			}
			c->position = num;
			c->position_auto = false;
		} else if (tandem__vtt_eq(name, nn, "size")) {
			double num;
			if (percentage(val, vn, &num))
				c->size = num;
			else
				why = "not a percentage from 0% to 100%";
		} else if (tandem__vtt_eq(name, nn, "align")) {
			const char *a = one_of(val, vn, aligns, 5);
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

int tandem__vtt_region_parse(const char *s, size_t n, tandem__vtt_region *g, tandem__reader *r,
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
		if (tandem__vtt_eq(name, nn, "id")) {
			id = val;
			idn = vn;
		} else if (tandem__vtt_eq(name, nn, "width")) {
			if (!percentage(val, vn, &g->width))
				why = "not a percentage from 0% to 100%";
		} else if (tandem__vtt_eq(name, nn, "lines")) {
			double v;
			bool ok = vn > 0;
			for (size_t k = 0; k < vn; k++)
				ok = ok && tandem__vtt_is_digit(val[k]);
			if (ok && to_double(val, vn, &v))
				g->lines = v;
			else
				why = "lines is a whole number";
		} else if (tandem__vtt_eq(name, nn, "regionanchor")) {
			if (!anchor(val, vn, &g->anchor_x, &g->anchor_y))
				why = "anchor is x%,y%";
		} else if (tandem__vtt_eq(name, nn, "viewportanchor")) {
			if (!anchor(val, vn, &g->viewport_x, &g->viewport_y))
				why = "anchor is x%,y%";
		} else if (tandem__vtt_eq(name, nn, "scroll")) {
			if (tandem__vtt_eq(val, vn, "up"))
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
