/*
 * check.c - `tandem check` (tandem_check_run): a document's sides measured
 * once, then three families of rules over them, each finding going to the
 * diagnostics sink with a stable rule id, the segment index and its input
 * line:
 *
 *  coverage  missing-translation, empty-text, identical-translation,
 *            wrong-script, number-mismatch, url-mismatch, name-mismatch,
 *            length-ratio, extra-translation     (rules_coverage.c, pair.c)
 *  timing    out-of-order, overlap, zero-duration, negative-duration,
 *            too-short, too-long, min-gap, reading-speed, line-length,
 *            too-many-lines (display rules: timed cues only)  (rules_timing.c)
 *  media     past-media-end, media-coverage, duration-claim  (rules_media.c)
 *
 * The rule table and the profiles are in profiles.c, the YAML rules file in
 * config.c, the measuring of a side in measure.c (check.h lists them all).
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

static void report_at(tandem__check_ctx *c, int rule, const char *file, size_t line,
                      size_t line2, long seg, const char *fmt, va_list ap)
{
	int sev = c->r->sev[rule];
	if (sev < 0)
		return;
	if (sev == TANDEM_ERROR)
		c->sum->errors++;
	else if (sev == TANDEM_WARNING)
		c->sum->warnings++;
	else
		c->sum->infos++;
	tandem__diag_full(c->o->diag, c->o->diag_user, file, (tandem_severity)sev,
	                  tandem__check_rule_defs[rule].id, line, line ? 1 : 0, line2, 0, seg, fmt, ap);
}

void tandem__check_find(tandem__check_ctx *c, int rule, long seg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(c, rule, c->file, seg >= 0 ? c->doc->segs[seg].line : 0, 0, seg, fmt, ap);
	va_end(ap);
}

void tandem__check_find2(tandem__check_ctx *c, int rule, long seg, long seg2, const char *fmt,
                         ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(c, rule, c->file, c->doc->segs[seg].line, c->doc->segs[seg2].line, seg, fmt, ap);
	va_end(ap);
}

void tandem__check_find_file(tandem__check_ctx *c, int rule, const char *file, size_t line,
                             long seg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(c, rule, file, line, 0, seg, fmt, ap);
	va_end(ap);
}

bool tandem__check_on(const tandem__check_ctx *c, int rule)
{
	return c->r->sev[rule] >= 0;
}

const char *tandem__check_fmt_time(char *buf, size_t n, int64_t ms)
{
	const char *sign = ms < 0 ? "-" : "";
	int64_t a = ms < 0 ? -ms : ms;
	if (a < 60000)
		snprintf(buf, n, "%s%lld.%03lld s", sign, (long long)(a / 1000), (long long)(a % 1000));
	else
		snprintf(buf, n, "%s%lld:%02lld:%02lld.%03lld", sign, (long long)(a / 3600000),
		         (long long)(a / 60000 % 60), (long long)(a / 1000 % 60), (long long)(a % 1000));
	return buf;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

void tandem_check_opts_init(tandem_check_opts *o)
{
	memset(o, 0, sizeof *o);
	o->media_ms = TANDEM_NO_TIME;
}

static bool has_translation_side(const tandem_doc *doc)
{
	for (size_t i = 0; i < doc->nsegs; i++)
		if (doc->segs[i].translation)
			return true;
	return tandem_doc_meta(doc, "translation_language") != NULL;
}

int tandem_check_run(const tandem_doc *doc, const tandem_check_opts *opts,
                     tandem_check_summary *summary)
{
	if (!doc || !opts)
		return TANDEM_EINVAL;
	tandem_check_summary local;
	tandem_check_summary *sum = summary ? summary : &local;
	memset(sum, 0, sizeof *sum);
	sum->first_ms = sum->last_ms = TANDEM_NO_TIME;
	sum->claimed_ms = TANDEM_NO_TIME;
	sum->media_ms = opts->media_ms;
	sum->media_pct = -1;
	sum->segments_pct = sum->chars_pct = -1;
	tandem_check_rules *own = NULL;
	const tandem_check_rules *r = opts->rules;
	if (!r)
		r = own = tandem_check_rules_new(NULL);
	tandem__check_ctx c = {doc, opts, r, sum, opts->filename ? opts->filename : "<input>"};
	tandem_doc *paired = NULL;
	if (opts->translation)
		c.doc = paired = tandem__check_pair(&c, doc, opts->translation);
	const tandem_doc *d = c.doc;
	bool bilingual = opts->translation || has_translation_side(d);
	sum->segments = d->nsegs;
	sum->bilingual = bilingual;
	tandem__check_side *src = tandem__xcalloc(d->nsegs + 1, sizeof *src);
	tandem__check_side *tr = tandem__xcalloc(d->nsegs + 1, sizeof *tr);
	for (size_t i = 0; i < d->nsegs; i++) {
		tandem__check_measure(d->segs[i].text, &src[i]);
		tandem__check_measure(d->segs[i].translation, &tr[i]);
	}
	tandem__check_coverage(&c, src, tr, bilingual);
	tandem__check_timing(&c, src, tr, bilingual);
	tandem__check_media(&c);
	if (bilingual) {
		size_t with_text = 0;
		for (size_t i = 0; i < d->nsegs; i++)
			with_text += !src[i].blank;
		sum->segments_pct = with_text ? 100.0 * (double)sum->translated / (double)with_text : 100.0;
		sum->chars_pct = sum->chars ? 100.0 * (double)sum->chars_translated / (double)sum->chars
		                            : 100.0;
	}
	free(src);
	free(tr);
	tandem_doc_free(paired);
	tandem_check_rules_free(own);
	return 0;
}
