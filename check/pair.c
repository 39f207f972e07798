/*
 * pair.c - a separate translation (`check -T`) paired with the document
 * before the rules run: each source segment takes the translation cues it
 * overlaps most, or the one at its index when either side is untimed;
 * translation cues left over are extra-translation findings.
 */
#include "check.h"

static bool all_timed(const tandem_doc *d)
{
	for (size_t i = 0; i < d->nsegs; i++)
		if (d->segs[i].start == TANDEM_NO_TIME || d->segs[i].end == TANDEM_NO_TIME)
			return false;
	return d->nsegs > 0;
}

/*
 * Give each source segment the text of the translation cues it overlaps
 * most (by time), or pair by index when either side is untimed.  Cues left
 * over are findings.
 */
tandem_doc *tandem__check_pair(tandem__check_ctx *c, const tandem_doc *doc, const tandem_doc *tr)
{
	tandem_doc *w = tandem_doc_clone(doc);
	const char *tfile = c->o->translation_filename ? c->o->translation_filename : "<translation>";
	for (size_t i = 0; i < w->nsegs; i++)
		tandem__set_str(&w->segs[i].translation, NULL);
	const char *tl = tandem_doc_meta(tr, "language");
	if (tl)
		tandem_doc_set_meta(w, "translation_language", tl);
	if (all_timed(doc) && all_timed(tr)) {
		tandem__buf b = TANDEM_BUF_INIT;
		size_t lo = 0;
		for (size_t k = 0; k < tr->nsegs; k++) {
			const tandem__seg *t = &tr->segs[k];
			long best = -1;
			int64_t best_ov = 0;
			/* Source cues are mostly in order: start looking near the last match. */
			size_t from = lo > 8 ? lo - 8 : 0;
			for (size_t i = from; i < w->nsegs; i++) {
				const tandem__seg *g = &w->segs[i];
				if (g->start >= t->end && i > lo + 8)
					break;
				int64_t a = g->start > t->start ? g->start : t->start;
				int64_t e = g->end < t->end ? g->end : t->end;
				if (e - a > best_ov) {
					best_ov = e - a;
					best = (long)i;
				}
			}
			if (best < 0) {
				tandem__check_find_file(c, TANDEM__RULE_EXTRA_TRANSLATION, tfile, t->line, -1,
				                        "translation cue %zu overlaps no source cue", k + 1);
				continue;
			}
			lo = (size_t)best;
			tandem__seg *g = &w->segs[best];
			tandem__buf_clear(&b);
			if (g->translation) {
				tandem__buf_puts(&b, g->translation);
				tandem__buf_putc(&b, '\n');
			}
			tandem__buf_puts(&b, t->text);
			tandem__set_str(&g->translation, b.ptr);
		}
		tandem__buf_free(&b);
	} else {
		for (size_t i = 0; i < w->nsegs && i < tr->nsegs; i++)
			tandem__set_str(&w->segs[i].translation, tr->segs[i].text);
		for (size_t k = w->nsegs; k < tr->nsegs; k++)
			tandem__check_find_file(
				c, TANDEM__RULE_EXTRA_TRANSLATION, tfile, tr->segs[k].line, -1,
				"translation segment %zu has no source segment (the source has %zu)", k + 1,
				w->nsegs);
	}
	return w;
}
