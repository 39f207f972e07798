/*
 * rules_media.c - the checker's media rules: past-media-end and
 * media-coverage (the cues against the media's real length, when it is
 * known) and duration-claim (the document's claimed duration against the
 * media, or against its last cue).
 */
#include "check.h"

#include <stdlib.h>

typedef struct span {
	int64_t a, b;
} span;

static int cmp_span(const void *x, const void *y)
{
	const span *p = x, *q = y;
	return (p->a > q->a) - (p->a < q->a);
}

void tandem__check_media(tandem__check_ctx *c)
{
	const tandem_doc *doc = c->doc;
	const tandem_check_rules *r = c->r;
	int64_t media = c->o->media_ms;
	char t1[32], t2[32], t3[32];
	int64_t claimed = doc->claimed_duration;
	c->sum->claimed_ms = claimed;
	if (media != TANDEM_NO_TIME) {
		int64_t tol = (int64_t)r->media_tolerance;
		span *v = tandem__xmalloc((doc->nsegs + 1) * sizeof *v);
		size_t n = 0;
		for (size_t i = 0; i < doc->nsegs; i++) {
			const tandem__seg *g = &doc->segs[i];
			if (g->start == TANDEM_NO_TIME || g->end == TANDEM_NO_TIME)
				continue;
			if (g->start > media + tol)
				tandem__check_find(c, TANDEM__RULE_PAST_MEDIA_END, (long)i,
				                   "cue starts at %s, %s after the media ends (%s)",
				                   tandem__check_fmt_time(t1, sizeof t1, g->start),
				                   tandem__check_fmt_time(t2, sizeof t2, g->start - media),
				                   tandem__check_fmt_time(t3, sizeof t3, media));
			else if (g->end > media + tol)
				tandem__check_find(c, TANDEM__RULE_PAST_MEDIA_END, (long)i,
				                   "cue ends at %s, %s after the media ends (%s)",
				                   tandem__check_fmt_time(t1, sizeof t1, g->end),
				                   tandem__check_fmt_time(t2, sizeof t2, g->end - media),
				                   tandem__check_fmt_time(t3, sizeof t3, media));
			int64_t a = g->start < 0 ? 0 : g->start, b = g->end > media ? media : g->end;
			if (b > a)
				v[n++] = (span){a, b};
		}
		if (n && media > 0) {
			qsort(v, n, sizeof *v, cmp_span);
			int64_t covered = 0, ca = v[0].a, cb = v[0].b;
			for (size_t k = 1; k < n; k++) {
				if (v[k].a > cb) {
					covered += cb - ca;
					ca = v[k].a;
					cb = v[k].b;
				} else if (v[k].b > cb) {
					cb = v[k].b;
				}
			}
			covered += cb - ca;
			c->sum->media_pct = 100.0 * (double)covered / (double)media;
			if (c->sum->media_pct < r->min_media_coverage)
				tandem__check_find(
					c, TANDEM__RULE_MEDIA_COVERAGE, -1,
					"the cues cover %.1f%% of the media (%s of %s; minimum %g%%)",
					c->sum->media_pct, tandem__check_fmt_time(t1, sizeof t1, covered),
					tandem__check_fmt_time(t2, sizeof t2, media), r->min_media_coverage);
		} else if (c->sum->timed) {
			c->sum->media_pct = 0;
		}
		free(v);
		if (claimed != TANDEM_NO_TIME && (double)llabs(claimed - media) > r->claim_tolerance)
			tandem__check_find(
				c, TANDEM__RULE_DURATION_CLAIM, -1,
				"the document claims a duration of %s but the media lasts %s (%s %s)",
				tandem__check_fmt_time(t1, sizeof t1, claimed),
				tandem__check_fmt_time(t2, sizeof t2, media),
				tandem__check_fmt_time(t3, sizeof t3, llabs(claimed - media)),
				claimed > media ? "longer" : "shorter");
	} else if (claimed != TANDEM_NO_TIME && c->sum->last_ms != TANDEM_NO_TIME &&
	           (double)llabs(claimed - c->sum->last_ms) > r->claim_tolerance) {
		tandem__check_find(c, TANDEM__RULE_DURATION_CLAIM, -1,
		                   "the document claims a duration of %s but its last cue ends at %s",
		                   tandem__check_fmt_time(t1, sizeof t1, claimed),
		                   tandem__check_fmt_time(t2, sizeof t2, c->sum->last_ms));
	}
}
