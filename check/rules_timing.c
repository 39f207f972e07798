/*
 * rules_timing.c - the checker's timing rules: out-of-order, overlap,
 * zero-duration, negative-duration, too-short, too-long, min-gap, and the
 * display rules reading-speed, line-length and too-many-lines (timed cues
 * only, each side against its language's limits).
 */
#include "check.h"

static void check_display(tandem__check_ctx *c, size_t i, const tandem__check_side *m,
                          const tandem__check_lang *lang, const char *which, int64_t dur)
{
	if (m->blank || !lang)
		return;
	const tandem_check_rules *r = c->r;
	if (r->max_lines > 0 && (double)m->lines > r->max_lines)
		tandem__check_find(c, TANDEM__RULE_TOO_MANY_LINES, (long)i, "%s has %zu lines (limit %.0f)",
		                   which, m->lines, r->max_lines);
	if (lang->line_chars > 0 && (double)m->max_line_chars > lang->line_chars)
		tandem__check_find(c, TANDEM__RULE_LINE_LENGTH, (long)i,
		                   "line %zu of the %s has %zu characters (limit %.0f for %s)",
		                   m->max_line_no, which, m->max_line_chars, lang->line_chars, lang->code);
	else if (lang->line_width > 0 && (double)m->max_line_width > lang->line_width)
		tandem__check_find(c, TANDEM__RULE_LINE_LENGTH, (long)i,
		                   "line %zu of the %s is %zu columns wide (limit %.0f for %s)",
		                   m->widest_line_no, which, m->max_line_width, lang->line_width,
		                   lang->code);
	if (dur <= 0)
		return;
	double cps = (double)m->chars * 1000.0 / (double)dur;
	if (cps > c->sum->max_cps) {
		c->sum->max_cps = cps;
		c->sum->max_cps_segment = i;
	}
	/* A hundredth of slack: 42 characters in 2.1 s is 20.0 cps, not a finding. */
	if (lang->cps > 0 && cps > lang->cps + 0.005)
		tandem__check_find(
			c, TANDEM__RULE_READING_SPEED, (long)i,
			"%s reads at %.1f characters a second (limit %g for %s): %zu characters in %s", which,
			cps, lang->cps, lang->code, m->chars, tandem__check_fmt_time((char[32]){0}, 32, dur));
	double wpm = (double)m->words * 60000.0 / (double)dur;
	if (lang->wpm > 0 && wpm > lang->wpm + 0.05)
		tandem__check_find(c, TANDEM__RULE_READING_SPEED, (long)i,
		                   "%s reads at %.0f words a minute (limit %g for %s): %zu words in %s",
		                   which, wpm, lang->wpm, lang->code, m->words,
		                   tandem__check_fmt_time((char[32]){0}, 32, dur));
}

void tandem__check_timing(tandem__check_ctx *c, const tandem__check_side *src,
                          const tandem__check_side *tr, bool bilingual)
{
	const tandem_doc *doc = c->doc;
	const tandem_check_rules *r = c->r;
	const tandem__check_lang *ls =
		tandem__check_lang_find(r, tandem__check_side_lang(doc, false, src));
	const tandem__check_lang *lt =
		bilingual ? tandem__check_lang_find(r, tandem__check_side_lang(doc, true, tr)) : NULL;
	long prev = -1, latest = -1;   /* previous timed cue; the one ending last so far */
	char t1[32], t2[32];
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *g = &doc->segs[i];
		if (g->start == TANDEM_NO_TIME || g->end == TANDEM_NO_TIME)
			continue;
		c->sum->timed++;
		if (c->sum->first_ms == TANDEM_NO_TIME || g->start < c->sum->first_ms)
			c->sum->first_ms = g->start;
		if (c->sum->last_ms == TANDEM_NO_TIME || g->end > c->sum->last_ms)
			c->sum->last_ms = g->end;
		int64_t dur = g->end - g->start;
		if (dur < 0)
			tandem__check_find(c, TANDEM__RULE_NEGATIVE_DURATION, (long)i,
			                   "cue ends %s before it starts (%s)",
			                   tandem__check_fmt_time(t1, sizeof t1, -dur),
			                   tandem__check_fmt_time(t2, sizeof t2, g->start));
		else if (dur == 0)
			tandem__check_find(c, TANDEM__RULE_ZERO_DURATION, (long)i,
			                   "cue has zero duration (at %s)",
			                   tandem__check_fmt_time(t1, sizeof t1, g->start));
		else if (r->min_duration > 0 && (double)dur < r->min_duration)
			tandem__check_find(c, TANDEM__RULE_TOO_SHORT, (long)i,
			                   "cue is on screen for %s (minimum %s)",
			                   tandem__check_fmt_time(t1, sizeof t1, dur),
			                   tandem__check_fmt_time(t2, sizeof t2, (int64_t)r->min_duration));
		else if (r->max_duration > 0 && (double)dur > r->max_duration)
			tandem__check_find(c, TANDEM__RULE_TOO_LONG, (long)i,
			                   "cue is on screen for %s (maximum %s)",
			                   tandem__check_fmt_time(t1, sizeof t1, dur),
			                   tandem__check_fmt_time(t2, sizeof t2, (int64_t)r->max_duration));
		if (prev >= 0) {
			const tandem__seg *p = &doc->segs[prev], *l = &doc->segs[latest];
			if (g->start < p->start) {
				tandem__check_find2(c, TANDEM__RULE_OUT_OF_ORDER, (long)i, prev,
				                    "cue starts at %s, before the previous cue (%s)",
				                    tandem__check_fmt_time(t1, sizeof t1, g->start),
				                    tandem__check_fmt_time(t2, sizeof t2, p->start));
			} else if (g->start < l->end) {
				tandem__check_find2(c, TANDEM__RULE_OVERLAP, (long)i, latest,
				                    "cue starts at %s, %s before the cue of segment %ld ends",
				                    tandem__check_fmt_time(t1, sizeof t1, g->start),
				                    tandem__check_fmt_time(t2, sizeof t2, l->end - g->start),
				                    latest + 1);
			} else if (r->min_gap > 0 && (double)(g->start - l->end) < r->min_gap) {
				tandem__check_find2(c, TANDEM__RULE_MIN_GAP, (long)i, latest,
				                    "gap of %lld ms after the previous cue (minimum %.0f ms)",
				                    (long long)(g->start - l->end), r->min_gap);
			}
		}
		check_display(c, i, &src[i], ls, "text", dur);
		if (bilingual)
			check_display(c, i, &tr[i], lt, "translation", dur);
		prev = (long)i;
		if (latest < 0 || g->end > doc->segs[latest].end)
			latest = (long)i;
	}
}
