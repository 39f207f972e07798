/*
 * test_vttjs.c - mozilla/vtt.js's parser tests (tests/conformance/vttjs),
 * run through the vtt reader to see how far a parser that follows today's
 * W3C WebVTT agrees with vtt.js, which follows an older draft.
 *
 * This is a report, not a conformance gate: it prints one line per file,
 * how many agree, and the disagreements grouped by their first cause, and
 * fails only if fewer files agree than were measured when the figures in
 * docs/conformance.md were written (VTTJS_MIN_AGREE), so a regression shows.
 *
 * Expectations: a file's own NAME.json holds vtt.js's parsed cues and
 * regions (VTTCue/VTTRegion properties): every cue property is compared.
 * Files with only NAME-proc.json (the DOM vtt.js renders) are compared by
 * cue count and each cue's text content; files with neither are compared
 * with the directory's shared "bad-*.json" (no cues, no regions) when there
 * is one.  Keywords the spec renamed since (align/positionAlign "middle" ->
 * "center", positionAlign "start"/"end" -> "line-left"/"line-right") are
 * translated first, and vtt.js's positionAlign, which it computes from
 * align, is compared with the spec's "computed position alignment"; a
 * remaining difference is a disagreement.
 */
#include "vtt.h"
#include "harness.h"

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <sys/stat.h>

#ifndef TANDEM_SOURCE_DIR
#define TANDEM_SOURCE_DIR "."
#endif

#define CORPUS TANDEM_SOURCE_DIR "/tests/conformance/vttjs/tests"
#define VTTJS_MIN_AGREE 203

typedef struct paths {
	char **v;
	size_t n, cap;
} paths;

static void walk(const char *dir, paths *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		tandem__buf p = TANDEM_BUF_INIT;
		tandem__buf_printf(&p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(p.ptr, out);
			tandem__buf_free(&p);
			continue;
		}
		size_t n = strlen(p.ptr);
		if (n > 4 && strcmp(p.ptr + n - 4, ".vtt") == 0) {
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 64;
				out->v = tandem__xrealloc(out->v, out->cap * sizeof *out->v);
			}
			out->v[out->n++] = tandem__buf_detach(&p, NULL);
		} else {
			tandem__buf_free(&p);
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *str_of(const tandem__json *v)
{
	return v && v->type == TANDEM_JSON_STRING ? v->str : NULL;
}

typedef struct result {
	char cause[96];     /* first difference, for grouping */
	char detail[256];
} result;

static void differ(result *res, const char *cause, const char *fmt, ...) TANDEM_PRINTF(3, 4);
static void differ(result *res, const char *cause, const char *fmt, ...)
{
	if (res->cause[0])
		return;
	snprintf(res->cause, sizeof res->cause, "%s", cause);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof res->detail, fmt, ap);
	va_end(ap);
}

static const char *rename_kw(const char *key, const char *v)
{
	if (!v)
		return "?";
	if (strcmp(v, "middle") == 0)
		return "center";
	if (strcmp(key, "positionAlign") == 0) {
		if (strcmp(v, "start") == 0)
			return "line-left";
		if (strcmp(v, "end") == 0)
			return "line-right";
	}
	return v;
}

static void cmp_num(result *res, const char *key, size_t i, bool is_auto, double got,
                    const tandem__json *want)
{
	if (!want)
		return;
	if (str_of(want) && strcmp(want->str, "auto") == 0) {
		if (!is_auto)
			differ(res, key, "cue %zu %s %g, vtt.js auto", i, key, got);
	} else if (want->type == TANDEM_JSON_NUMBER) {
		if (is_auto || got != want->number)
			differ(res, key, "cue %zu %s %s%g, vtt.js %g", i, key, is_auto ? "auto " : "", got,
			       want->number);
	}
}

static void cmp_kw(result *res, const char *key, size_t i, const char *got,
                   const tandem__json *want)
{
	if (!want)
		return;
	const char *w = rename_kw(key, str_of(want));
	if (strcmp(got, w) != 0)
		differ(res, key, "cue %zu %s '%s', vtt.js '%s'", i, key, got, str_of(want));
}

static void cmp_region(result *res, const char *what, const tandem__vtt_region *g,
                       const tandem__json *want)
{
	static const char *const keys[] = {"width", "lines", "regionAnchorX", "regionAnchorY",
	                                   "viewportAnchorX", "viewportAnchorY"};
	double got[6] = {g->width, g->lines, g->anchor_x, g->anchor_y, g->viewport_x,
	                 g->viewport_y};
	for (size_t k = 0; k < 6; k++) {
		const tandem__json *v = tandem__json_get(want, keys[k]);
		if (v && v->type == TANDEM_JSON_NUMBER && v->number != got[k])
			differ(res, "region settings", "%s %s %g, vtt.js %g", what, keys[k], got[k],
			       v->number);
	}
	const char *scroll = str_of(tandem__json_get(want, "scroll"));
	if (scroll && strcmp(scroll, g->scroll_up ? "up" : "") != 0)
		differ(res, "region settings", "%s scroll", what);
}

/* The spec's "computed position alignment" (left-to-right text). */
static const char *computed_position_align(const tandem__vtt_cue *v)
{
	if (strcmp(v->position_align, "auto") != 0)
		return v->position_align;
	if (strcmp(v->align, "left") == 0 || strcmp(v->align, "start") == 0)
		return "line-left";
	if (strcmp(v->align, "right") == 0 || strcmp(v->align, "end") == 0)
		return "line-right";
	return "center";
}

/* The directory's shared expectation for invalid inputs ("bad-*.json"), if any. */
static char *shared_bad_json(const char *vtt, size_t *len)
{
	char *dir = tandem__xstrdup(vtt);
	char *slash = strrchr(dir, '/');
	char *found = NULL;
	if (slash) {
		*slash = '\0';
		DIR *d = opendir(dir);
		struct dirent *e;
		while (d && !found && (e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);
			if (strncmp(e->d_name, "bad-", 4) != 0 || n < 6 ||
			    strcmp(e->d_name + n - 5, ".json") != 0 || strstr(e->d_name, "-proc"))
				continue;
			tandem__buf p = TANDEM_BUF_INIT;
			tandem__buf_printf(&p, "%s/%.*s.vtt", dir, (int)(n - 5), e->d_name);
			FILE *fp = fopen(p.ptr, "rb");
			if (fp) {
				fclose(fp); /* it belongs to its own .vtt */
			} else {
				tandem__buf_clear(&p);
				tandem__buf_printf(&p, "%s/%s", dir, e->d_name);
				found = harness_slurp(p.ptr, len);
			}
			tandem__buf_free(&p);
		}
		if (d)
			closedir(d);
	}
	free(dir);
	return found;
}

/* Text content as the rendered DOM shows it: tags gone, line breaks gone. */
static char *flat_text(const tandem__seg *s)
{
	tandem__buf b = TANDEM_BUF_INIT;
	for (const char *p = s->text; *p; p++)
		if (*p != '\n')
			tandem__buf_putc(&b, *p);
	return tandem__buf_detach(&b, NULL);
}

static void compare(const char *vtt, result *res)
{
	size_t len = 0;
	char *data = harness_slurp(vtt, &len);
	if (!data) {
		differ(res, "unreadable", "%s", vtt);
		return;
	}
	size_t off = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	tandem__reader r = {0};
	r.data = data + off;
	r.len = len - off;
	r.filename = vtt;
	tandem_doc *doc = tandem_doc_new();
	int rc = tandem__format_find("vtt")->read(&r, doc);
	if (!rc && r.nerrors)
		rc = TANDEM_EPARSE;
	free(data);
	size_t n = rc ? 0 : doc->nsegs;

	char *base = tandem__xstrndup(vtt, strlen(vtt) - 4);
	tandem__buf jp = TANDEM_BUF_INIT;
	tandem__buf_printf(&jp, "%s.json", base);
	bool model = true;
	char *json = harness_slurp(jp.ptr, &len);
	if (!json) {
		model = false;
		tandem__buf_clear(&jp);
		tandem__buf_printf(&jp, "%s-proc.json", base);
		json = harness_slurp(jp.ptr, &len);
		if (!json && (json = shared_bad_json(vtt, &len)) != NULL)
			model = true;
	}
	tandem__json *want = NULL;
	if (!json || tandem__json_parse(json, len, &want, NULL, NULL, NULL)) {
		differ(res, "no expectation", "%s", jp.ptr);
		goto done;
	}

	/* Regions: REGION blocks before the first cue. */
	tandem__vtt_region *regions = NULL;
	size_t nregions = 0;
	for (size_t k = 0; !rc && k < doc->nblocks; k++) {
		const tandem__block *b = &doc->blocks[k];
		const char *body = strchr(b->text, '\n');
		if (b->kind != TANDEM_BLOCK_REGION || b->before != 0 || !body)
			continue;
		regions = tandem__xrealloc(regions, (nregions + 1) * sizeof *regions);
		tandem__vtt_region_parse(body + 1, strlen(body + 1), &regions[nregions++], NULL, 0);
	}

	if (!model) {
		if (want->type != TANDEM_JSON_ARRAY || want->n != n) {
			differ(res, "cue count", "%zu cues, vtt.js renders %zu", n,
			       want->type == TANDEM_JSON_ARRAY ? want->n : 0);
		} else {
			for (size_t i = 0; i < n; i++) {
				char *flat = flat_text(&doc->segs[i]);
				const char *tc = str_of(tandem__json_get(want->items[i], "textContent"));
				if (!tc || strcmp(flat, tc) != 0)
					differ(res, "text content", "cue %zu '%s', vtt.js '%s'", i, flat,
					       tc ? tc : "?");
				free(flat);
			}
		}
	} else {
		const tandem__json *cues = tandem__json_get(want, "cues");
		const tandem__json *wreg = tandem__json_get(want, "regions");
		size_t wn = cues ? cues->n : 0;
		if (wn != n)
			differ(res, "cue count", "%zu cues, vtt.js %zu", n, wn);
		for (size_t i = 0; i < n && i < wn; i++) {
			const tandem__json *c = cues->items[i];
			const tandem__seg *s = &doc->segs[i];
			const char *id = str_of(tandem__json_get(c, "id"));
			if (id && strcmp(id, s->id ? s->id : "") != 0)
				differ(res, "id", "cue %zu id '%s', vtt.js '%s'", i, s->id ? s->id : "", id);
			const tandem__json *t0 = tandem__json_get(c, "startTime");
			const tandem__json *t1 = tandem__json_get(c, "endTime");
			if ((t0 && fabs(t0->number - s->start / 1000.0) > 1e-9) ||
			    (t1 && fabs(t1->number - s->end / 1000.0) > 1e-9))
				differ(res, "times", "cue %zu %lld..%lld ms, vtt.js %g..%g s", i,
				       (long long)s->start, (long long)s->end, t0 ? t0->number : -1,
				       t1 ? t1->number : -1);
			const char *text = str_of(tandem__json_get(c, "text"));
			tandem__buf raw = TANDEM_BUF_INIT;
			if (s->speaker)
				tandem__buf_printf(&raw, "<v %s>", s->speaker);
			tandem__buf_puts(&raw, s->markup ? s->markup : s->text);
			bool text_ok = !text || strcmp(text, raw.ptr) == 0;
			if (!text_ok && s->speaker) {
				/* vtt.js keeps the closing tag and the annotation's spacing. */
				tandem__buf_puts(&raw, "</v>");
				text_ok = strcmp(text, raw.ptr) == 0;
			}
			if (!text_ok)
				differ(res, "text", "cue %zu text '%s', vtt.js '%s'", i, raw.ptr, text);
			tandem__buf_free(&raw);

			tandem__vtt_cue v;
			const char *set = s->settings ? s->settings : "";
			tandem__vtt_settings(set, strlen(set), regions, nregions, &v, NULL, 0, 0);
			cmp_kw(res, "align", i, v.align, tandem__json_get(c, "align"));
			cmp_kw(res, "vertical", i, v.vertical, tandem__json_get(c, "vertical"));
			cmp_kw(res, "lineAlign", i, v.line_align, tandem__json_get(c, "lineAlign"));
			cmp_num(res, "line", i, v.line_auto, v.line, tandem__json_get(c, "line"));
			cmp_num(res, "position", i, v.position_auto, v.position,
			        tandem__json_get(c, "position"));
			cmp_num(res, "size", i, false, v.size, tandem__json_get(c, "size"));
			const tandem__json *snap = tandem__json_get(c, "snapToLines");
			if (snap && snap->type == TANDEM_JSON_BOOL && snap->boolean != v.snap_to_lines)
				differ(res, "snapToLines", "cue %zu snapToLines", i);
			cmp_kw(res, "positionAlign", i, computed_position_align(&v),
			       tandem__json_get(c, "positionAlign"));
			const tandem__json *reg = tandem__json_get(c, "region");
			if (reg && reg->type == TANDEM_JSON_OBJECT) {
				if (v.region < 0)
					differ(res, "cue region", "cue %zu region null, vtt.js has one", i);
				else
					cmp_region(res, "cue region", &regions[v.region], reg);
			} else if (reg && v.region >= 0) {
				differ(res, "cue region", "cue %zu region '%s', vtt.js none", i,
				       regions[v.region].id);
			}
		}
		size_t rn = wreg ? wreg->n : 0;
		if (rn != nregions)
			differ(res, "regions", "%zu regions, vtt.js %zu", nregions, rn);
		for (size_t k = 0; k < rn && k < nregions; k++)
			cmp_region(res, "region", &regions[k], wreg->items[k]);
	}
	for (size_t k = 0; k < nregions; k++)
		free(regions[k].id);
	free(regions);
done:
	tandem__json_free(want);
	free(json);
	tandem__buf_free(&jp);
	free(base);
	tandem_doc_free(doc);
}

/* Why each kind of difference happens (checked by hand against both specs). */
static const struct {
	const char *cause, *why;
} reasons[] = {
	{"regions", "old-draft 'Region:' header lines; today's spec has REGION blocks only "
	            "(WPT regions-old)"},
	{"cue region", "the cue names a region made by an old-draft 'Region:' header line"},
	{"cue count", "old-draft timestamps (000:00.000), a timing line right after WEBVTT, or "
	              "an id line holding '-->' (WPT timings-too-long, header-timings, arrows)"},
	{"line", "old-draft line alignment keyword: today a bad alignment voids the whole "
	         "setting (WPT settings-line)"},
	{"lineAlign", "old-draft line alignment 'middle' (today 'center'; a bad one voids the "
	              "setting)"},
	{"position", "old-draft position alignment start/end/left (today line-left/center/"
	             "line-right; a bad one voids the setting, WPT settings-position)"},
	{"no expectation", "vtt.js's test script pairs these with a shared JSON that the data "
	                   "alone does not name"},
};

typedef struct group {
	char cause[96];
	size_t n;
	char example[160];
} group;

int main(void)
{
	paths ps = {0};
	walk(CORPUS, &ps);
	qsort(ps.v, ps.n, sizeof *ps.v, cmp_str);
	size_t agree = 0;
	group groups[64];
	size_t ngroups = 0;
	size_t skip = strlen(CORPUS) + 1;
	for (size_t i = 0; i < ps.n; i++) {
		result res = {{0}, {0}};
		compare(ps.v[i], &res);
		const char *name = ps.v[i] + skip;
		if (!res.cause[0]) {
			agree++;
			printf("agree   %s\n", name);
		} else {
			printf("differ  %s: [%s] %s\n", name, res.cause, res.detail);
			size_t g = 0;
			while (g < ngroups && strcmp(groups[g].cause, res.cause) != 0)
				g++;
			if (g == ngroups && ngroups < 64) {
				snprintf(groups[g].cause, sizeof groups[g].cause, "%s", res.cause);
				snprintf(groups[g].example, sizeof groups[g].example, "%s", name);
				groups[g].n = 0;
				ngroups++;
			}
			if (g < ngroups)
				groups[g].n++;
		}
		free(ps.v[i]);
	}
	free(ps.v);
	printf("\nvtt.js corpus: %zu of %zu files agree\n", agree, ps.n);
	for (size_t g = 0; g < ngroups; g++) {
		const char *why = "?";
		for (size_t k = 0; k < sizeof reasons / sizeof *reasons; k++)
			if (strcmp(reasons[k].cause, groups[g].cause) == 0)
				why = reasons[k].why;
		printf("  %3zu differ in %-14s %s (e.g. %s)\n", groups[g].n, groups[g].cause, why,
		       groups[g].example);
	}
	if (agree < VTTJS_MIN_AGREE) {
		printf("FAIL: fewer than the %d measured\n", VTTJS_MIN_AGREE);
		return 1;
	}
	return 0;
}
