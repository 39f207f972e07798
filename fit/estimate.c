/*
 * estimate.c - tandem_retime_estimate: draft timings with no recording.
 *
 * Segment i gets a share of the time in proportion to its spoken length
 * (retime's weights: a Latin letter 1, a CJK character 3.5, a digit 2.5).
 * The time is the document's claimed duration when it has one (less the
 * pauses between segments), else the text's length at a speaking rate.
 * Between segments there is a pause of PAUSE_MS, or a tenth of the time
 * per segment when that is less, so a short claim is not eaten by pauses.
 */
#include "fit.h"
#include "tandem_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PAUSE_MS 300
#define LATIN_RATE 12.5   /* letters a second: about 160 words a minute */
#define CJK_RATE 4.5      /* Chinese characters a second */
#define HAN_WEIGHT 3.5

void tandem_estimate_opts_init(tandem_estimate_opts *o)
{
	memset(o, 0, sizeof *o);
}

static const char *spoken(const tandem_doc *doc, size_t i, const tandem_estimate_opts *o)
{
	const char *t = tandem_seg_translation(doc, i);
	if (o->spoken_translation && t)
		return t;
	return tandem_seg_text(doc, i);
}

int tandem_retime_estimate(tandem_doc *doc, const tandem_estimate_opts *opts)
{
	tandem_estimate_opts o;
	if (opts)
		o = *opts;
	else
		tandem_estimate_opts_init(&o);
	if (!doc)
		return TANDEM_EINVAL;
	if (o.rate < 0 || isnan(o.rate))
		return TANDEM_EINVAL;
	size_t N = tandem_doc_count(doc);
	if (!N)
		return TANDEM_EEMPTY;
	double *w = tandem__xmalloc(N * sizeof *w);
	double W = 0;
	size_t latin = 0, han = 0;
	for (size_t i = 0; i < N; i++) {
		const char *t = spoken(doc, i, &o);
		size_t n = strlen(t);
		tandem_script_counts k = tandem_text_scripts(t, n);
		latin += k.latin;
		han += k.han;
		w[i] = tandem__spoken_weight(t, n);
		if (w[i] < 1)
			w[i] = 1;   /* a sign or a symbol still takes a moment */
		W += w[i];
	}
	bool cjk = han * 3 >= latin;
	int64_t claim = tandem_doc_claimed_duration(doc);
	bool use_claim = o.rate == 0 && claim != TANDEM_NO_TIME && claim > 0;
	double rate = o.rate > 0 ? o.rate : cjk ? CJK_RATE : LATIN_RATE;
	/* Weight units a second: a Chinese character weighs HAN_WEIGHT. */
	double units = cjk ? rate * HAN_WEIGHT : rate;
	double pause = PAUSE_MS, speech;
	if (use_claim) {
		double per = (double)claim / (double)N;
		if (pause > per / 10)
			pause = per / 10;
		speech = (double)claim - pause * (double)(N - 1);
	} else {
		speech = W / units * 1000.0;
	}
	double t = 0, acc = 0;
	for (size_t i = 0; i < N; i++) {
		acc += w[i];
		int64_t s = (int64_t)llround(t);
		double e = speech * acc / W + pause * (double)i;
		tandem_seg_set_times(doc, i, s, (int64_t)llround(e));
		t = e + pause;
	}
	int64_t total = tandem_seg_end(doc, N - 1);
	if (use_claim)
		tandem__report(o.diag, o.diag_user, o.filename, TANDEM_WARNING, "retime-estimate", 0, 0,
		               -1,
		               "timings are estimates: %zu segments spread by spoken length over the "
		               "claimed duration (%lld min), not taken from a recording",
		               N, (long long)((claim + 30000) / 60000));
	else
		tandem__report(o.diag, o.diag_user, o.filename, TANDEM_WARNING, "retime-estimate", 0, 0,
		               -1,
		               "timings are estimates: %zu segments at %g %s a second (%lld min in all), "
		               "not taken from a recording",
		               N, rate, cjk ? "Chinese characters" : "letters",
		               (long long)((total + 30000) / 60000));
	free(w);
	return 0;
}
