/*
 * retime.c - give a document's segments times from the speech in a
 * recording.
 *
 * The speech mask (10 ms frames) becomes runs of speech separated by
 * pauses.  Measured in speech time (pauses left out), segment i should
 * begin at E_i = S * W_i / W, where S is the total speech, W_i the spoken
 * weight of the text before it and W the weight of all of it.
 *
 * The text offers breaks: every segment end, and inside segments every
 * sentence end and comma followed by more words.  A dynamic programme
 * decides, for every break, whether it falls on a pause (and which) or
 * inside a run of speech.  A path is a chain of snapped breaks; between two
 * of them, the group of text costs
 *
 *   LEN_COST * ln((A + c) / (E + c))^2     speech A found vs E expected,
 *   + the cost of each break left inside speech (UNSNAPPED* : a segment
 *     end dearest, a comma cheapest, since commas are often not paused),
 *   + SKIP_COST * seconds of each pause inside the group (long pauses
 *     rarely fall mid-phrase),
 *
 * and the cheapest chain from the first speech to the last wins.  Segment
 * boundaries that are snapped take the pause's edges (the segment before
 * ends where speech stops, the next starts where it resumes); the others
 * are placed inside speech in proportion to the text weights between the
 * snapped breaks around them, which are rarely more than a sentence apart.
 * Only pauses within a band around each break's expected position are
 * tried, and at most MAX_GROUP breaks share a group, which keeps the
 * programme linear in practice.  When no chain fits (a band too narrow for
 * the text), the text is spread by weight alone.
 *
 * The costs were tuned on synthesised speech (scripts/make-speech.py,
 * seeds 1-4, checked on 11-12); the tests and the benchmark use other seeds.
 *
 * tandem_retime_frames runs these steps in order on a retime_ctx;
 * tandem_retime_run reaches it from a media file through tandem__vad_run
 * (vad.h).
 */
#include "tandem_private.h"
#include "vad.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LEN_COST 80.0
#define LEN_SOFT 30.0                 /* frames added to both lengths */
#define UNSNAPPED 1.5                 /* a segment boundary mid-sentence */
#define UNSNAPPED_SENTENCE 1.5        /* a segment boundary after a sentence */
#define UNSNAPPED_INNER_SENTENCE 1.5  /* a sentence end inside a segment */
#define UNSNAPPED_COMMA 0.5           /* a comma inside a segment */
#define SKIP_COST 6.0                 /* per second of pause inside a group */
#define MAX_GROUP 8
#define MAX_CANDIDATES 400       /* pauses tried per boundary */
#define HAN_WEIGHT 3.5
#define DIGIT_WEIGHT 2.5

void tandem_retime_opts_init(tandem_retime_opts *o)
{
	memset(o, 0, sizeof *o);
	tandem_vad_opts_init(&o->vad);
}

/* Spoken length of text in units of one Latin letter (0 for no letters). */
static double raw_weight(const char *s, size_t len)
{
	tandem_script_counts c = tandem_text_scripts(s, len);
	return (double)c.latin + HAN_WEIGHT * (double)c.han + (double)c.other +
	       DIGIT_WEIGHT * (double)c.digits;
}

/* Does the text end a sentence (., !, ?, an ellipsis, or CJK 。！？)? */
static bool ends_sentence(const char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')'))
		n--;
	if (!n)
		return true;
	char c = s[n - 1];
	if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';')
		return true;
	/* 。！？… and closing quotes after them */
	static const char *const cjk[] = {"\xe3\x80\x82", "\xef\xbc\x81", "\xef\xbc\x9f",
	                                  "\xe2\x80\xa6", "\xe2\x80\x9d", "\xe3\x80\x8d"};
	for (size_t k = 0; k < sizeof cjk / sizeof *cjk; k++) {
		size_t m = strlen(cjk[k]);
		if (n >= m && memcmp(s + n - m, cjk[k], m) == 0)
			return true;
	}
	return false;
}

/*
 * Breaks: the places in the text where a pause may fall.  Segment ends,
 * and inside segments, punctuation followed by more words.  `w` is the
 * text weight before the break, `unsnapped` what leaving it inside speech
 * costs, `seg` the segment boundary it is (or SIZE_MAX for one inside).
 */
typedef struct brk {
	double w;
	double unsnapped;
	size_t seg;
} brk;

typedef struct brk_list {
	brk *v;
	size_t n, cap;
} brk_list;

static void brk_push(brk_list *l, double w, double cost, size_t seg)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = tandem__xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = (brk){w, cost, seg};
}

/* Punctuation at s (n bytes left): 2 sentence end, 1 comma-like, 0 none; *len its bytes. */
static int punct_at(const char *s, size_t n, size_t *len)
{
	*len = 1;
	char c = s[0];
	bool spaced = n == 1 || s[1] == ' ' || s[1] == '\t';
	if (c == '.' || c == '!' || c == '?')
		return spaced ? 2 : 0;
	if (c == ',' || c == ';' || c == ':')
		return spaced ? 1 : 0;
	static const struct {
		const char *u;
		int kind;
	} cjk[] = {{"\xe3\x80\x82", 2}, {"\xef\xbc\x81", 2}, {"\xef\xbc\x9f", 2},
	           {"\xef\xbc\x8c", 1}, {"\xe3\x80\x81", 1}, {"\xef\xbc\x9b", 1},
	           {"\xef\xbc\x9a", 1}};
	for (size_t k = 0; k < sizeof cjk / sizeof *cjk; k++) {
		size_t m = strlen(cjk[k].u);
		if (n >= m && memcmp(s, cjk[k].u, m) == 0) {
			*len = m;
			return cjk[k].kind;
		}
	}
	return 0;
}

/* Append the breaks of one segment's text; *acc is the weight so far. */
static void segment_breaks(brk_list *l, const char *t, size_t seg, double *acc)
{
	size_t n = strlen(t), last = 0;
	double seg_w = 0;
	for (size_t i = 0; i < n;) {
		size_t plen;
		int kind = punct_at(t + i, n - i, &plen);
		if (kind && raw_weight(t + i + plen, n - i - plen) > 0) {
			double w = raw_weight(t + last, i + plen - last);
			if (w > 0) {
				seg_w += w;
				brk_push(l, *acc + seg_w, kind == 2 ? UNSNAPPED_INNER_SENTENCE : UNSNAPPED_COMMA,
				         SIZE_MAX);
			}
			last = i + plen;
		}
		i += plen;
	}
	seg_w += raw_weight(t + last, n - last);
	if (seg_w < 1) {
		/* Symbols only: still something is said or shown. */
		size_t g = tandem_text_graphemes(t, n);
		seg_w += g ? (double)g * 0.5 : 0.5;
	}
	*acc += seg_w;
	brk_push(l, *acc, ends_sentence(t) ? UNSNAPPED_SENTENCE : UNSNAPPED, seg + 1);
}

typedef struct pause {
	double p;        /* speech frames before it */
	size_t start;    /* first frame of the pause */
	size_t end;      /* first frame of speech after it */
	double cost;     /* SKIP_COST for leaving it inside a group */
} pause;

typedef struct state {
	double cost;
	int from_b;      /* previous snapped boundary, -1 none */
	size_t from_j;
} state;

/* Real time (ms) of speech position x, inside the run that holds it. */
static int64_t speech_to_ms(const size_t *run_s, const size_t *run_e, const double *cum,
                            size_t nruns, double x)
{
	size_t lo = 0, hi = nruns;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (cum[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	double f = (double)run_s[lo] + (x - cum[lo]);
	if (f > (double)run_e[lo])
		f = (double)run_e[lo];
	return (int64_t)llround(f * TANDEM_FRAME_MS);
}

/*
 * One retime's working state, filled by the steps below in order: the
 * runs of speech, the pauses between them, the text's breaks, each break's
 * band of candidate pauses, the programme over them, and its answer.
 */
typedef struct retime_ctx {
	const tandem_retime_opts *o;
	size_t nruns;
	size_t *run_s, *run_e;   /* runs of speech: [run_s[r], run_e[r]) frames */
	double *cum;             /* speech frames before run r */
	double S;                /* all speech frames */
	size_t K;                /* pauses: [0] the start, [1..K-1] real, [K] the end */
	pause *q;
	double *skip;            /* prefix sums of q[].cost */
	brk_list l;              /* breaks: [0] the start, then each in order */
	size_t B;                /* the last break */
	size_t *segb;            /* segb[i]: the break at segment boundary i */
	double Wt;               /* the weight of all the text */
	size_t *lo, *hi;         /* candidate pauses per break: [lo[b], hi[b]) */
	size_t *base;            /* break b's first state */
	size_t total;            /* states */
	state *st;
	size_t *snap;            /* pause index of a break, or SIZE_MAX inside speech */
	double *pos;             /* speech position of a break */
	double *gdev;            /* |ln(A/E)| of its group */
	bool found;              /* a chain fits (else spread by weight) */
} retime_ctx;

/* Runs of speech in the mask; returns how many. */
static size_t find_runs(retime_ctx *rt, const unsigned char *speech, size_t F)
{
	size_t nruns = 0, cap = 64;
	size_t *run_s = tandem__xmalloc(cap * sizeof *run_s);
	size_t *run_e = tandem__xmalloc(cap * sizeof *run_e);
	for (size_t t = 0; t < F;) {
		if (!speech[t]) {
			t++;
			continue;
		}
		size_t s = t;
		while (t < F && speech[t])
			t++;
		if (nruns == cap) {
			cap *= 2;
			run_s = tandem__xrealloc(run_s, cap * sizeof *run_s);
			run_e = tandem__xrealloc(run_e, cap * sizeof *run_e);
		}
		run_s[nruns] = s;
		run_e[nruns++] = t;
	}
	rt->run_s = run_s;
	rt->run_e = run_e;
	rt->nruns = nruns;
	return nruns;
}

/* Warn when the document's claimed duration and the recording's differ much. */
static void check_duration(const tandem_doc *doc, size_t F, const tandem_retime_opts *o)
{
	int64_t audio_ms = (int64_t)F * TANDEM_FRAME_MS;
	int64_t claimed = tandem_doc_claimed_duration(doc);
	if (claimed != TANDEM_NO_TIME && claimed > 0) {
		int64_t diff = llabs(claimed - audio_ms);
		if (diff > 30000 && diff * 10 > claimed)
			tandem__report(o->diag, o->diag_user, o->filename, TANDEM_WARNING, "retime-duration",
			               0, 0, -1,
			               "the transcript claims %lld min but the recording lasts %lld min",
			               (long long)(claimed / 60000), (long long)(audio_ms / 60000));
	}
}

/* The pauses between the runs, with the start and the end, and their costs. */
static void make_pauses(retime_ctx *rt)
{
	size_t nruns = rt->nruns, K = nruns;
	const size_t *run_s = rt->run_s, *run_e = rt->run_e;
	pause *q = tandem__xmalloc((K + 1) * sizeof *q);
	double *cum = tandem__xmalloc(nruns * sizeof *cum);
	double S = 0;
	for (size_t r = 0; r < nruns; r++) {
		cum[r] = S;
		S += (double)(run_e[r] - run_s[r]);
	}
	q[0] = (pause){0, run_s[0], run_s[0], 0};
	for (size_t r = 1; r < nruns; r++) {
		double len_s = (double)(run_s[r] - run_e[r - 1]) * TANDEM_FRAME_MS / 1000.0;
		q[r] = (pause){cum[r], run_e[r - 1], run_s[r], SKIP_COST * len_s};
	}
	q[K] = (pause){S, run_e[nruns - 1], run_e[nruns - 1], 0};
	double *skip = tandem__xmalloc((K + 2) * sizeof *skip);
	skip[0] = 0;
	for (size_t j = 0; j <= K; j++)
		skip[j + 1] = skip[j] + q[j].cost;
	rt->K = K;
	rt->q = q;
	rt->cum = cum;
	rt->S = S;
	rt->skip = skip;
}

/* The breaks of the spoken side's text, and which of them end segments. */
static void make_breaks(retime_ctx *rt, const tandem_doc *doc, size_t N)
{
	brk_list *l = &rt->l;
	brk_push(l, 0, 0, 0);
	double acc_w = 0;
	for (size_t i = 0; i < N; i++) {
		const char *t = rt->o->spoken_translation && tandem_seg_translation(doc, i)
		                        ? tandem_seg_translation(doc, i)
		                        : tandem_seg_text(doc, i);
		segment_breaks(l, t, i, &acc_w);
	}
	size_t B = l->n - 1;
	size_t *segb = tandem__xmalloc((N + 1) * sizeof *segb);
	for (size_t k = 0; k <= B; k++)
		if (l->v[k].seg != SIZE_MAX)
			segb[l->v[k].seg] = k;
	rt->B = B;
	rt->segb = segb;
	rt->Wt = l->v[B].w;
}

/*
 * Break b's band: the real pauses within `band` of where its text weight
 * puts it (e), at most MAX_CANDIDATES of them, the nearest e.
 */
static void break_band(const retime_ctx *rt, double e, double band, size_t *lo, size_t *hi)
{
	const pause *q = rt->q;
	size_t K = rt->K;
	/* First real pause with p >= e - band, first with p > e + band. */
	size_t lq = 1, hq = K;
	while (lq < hq) {
		size_t m = (lq + hq) / 2;
		if (q[m].p < e - band)
			lq = m + 1;
		else
			hq = m;
	}
	size_t a = lq;
	hq = K;
	while (lq < hq) {
		size_t m = (lq + hq) / 2;
		if (q[m].p <= e + band)
			lq = m + 1;
		else
			hq = m;
	}
	size_t z = lq;
	if (z - a > MAX_CANDIDATES) {
		/* Keep the MAX_CANDIDATES nearest e. */
		size_t c = a;
		while (c < z && q[c].p < e)
			c++;
		size_t half = MAX_CANDIDATES / 2;
		size_t na = c > a + half ? c - half : a;
		if (na + MAX_CANDIDATES > z)
			na = z - MAX_CANDIDATES;
		a = na;
		z = na + MAX_CANDIDATES;
	}
	*lo = a;
	*hi = z;
}

/* Every break's band of candidate pauses, and a state for each candidate. */
static void make_bands(retime_ctx *rt)
{
	size_t B = rt->B, K = rt->K;
	double S = rt->S;
	size_t *lo = tandem__xmalloc((B + 1) * sizeof *lo);
	size_t *hi = tandem__xmalloc((B + 1) * sizeof *hi);
	double band = S * 0.03 > 3000 ? S * 0.03 : 3000;
	lo[0] = 0;
	hi[0] = 1;
	lo[B] = K;
	hi[B] = K + 1;
	size_t total = 2;
	for (size_t b = 1; b < B; b++) {
		double e = S * rt->l.v[b].w / rt->Wt;
		break_band(rt, e, band, &lo[b], &hi[b]);
		total += hi[b] - lo[b];
	}
	size_t *base = tandem__xmalloc((B + 1) * sizeof *base);
	size_t acc = 0;
	for (size_t b = 0; b <= B; b++) {
		base[b] = acc;
		acc += hi[b] - lo[b];
	}
	state *st = tandem__xmalloc((total ? total : 1) * sizeof *st);
	for (size_t k = 0; k < total; k++)
		st[k] = (state){INFINITY, -1, 0};
	st[base[0]].cost = 0;
	rt->lo = lo;
	rt->hi = hi;
	rt->base = base;
	rt->total = total;
	rt->st = st;
}

/*
 * Relax the states of break b from the group that begins at break bp
 * snapped to pause jp: E speech frames expected, the breaks between left
 * inside speech at a cost of `unsnapped`.
 */
static void relax_from(retime_ctx *rt, size_t b, size_t bp, size_t jp, double E,
                       double unsnapped)
{
	const pause *q = rt->q;
	const size_t *lo = rt->lo, *hi = rt->hi;
	double c0 = rt->st[rt->base[bp] + jp - lo[bp]].cost;
	if (c0 == INFINITY)
		return;
	/* Targets j > jp with A in a plausible range. */
	double amin = q[jp].p + 0.25 * E - LEN_SOFT, amax = q[jp].p + 4 * E + LEN_SOFT;
	size_t lq = lo[b] > jp + 1 ? lo[b] : jp + 1, hq = hi[b];
	while (lq < hq) {
		size_t m = (lq + hq) / 2;
		if (q[m].p < amin)
			lq = m + 1;
		else
			hq = m;
	}
	for (size_t j = lq; j < hi[b] && q[j].p <= amax; j++) {
		double A = q[j].p - q[jp].p;
		double lr = log((A + LEN_SOFT) / (E + LEN_SOFT));
		double c = c0 + LEN_COST * lr * lr + unsnapped + (rt->skip[j] - rt->skip[jp + 1]);
		state *st1 = &rt->st[rt->base[b] + j - lo[b]];
		if (c < st1->cost)
			*st1 = (state){c, (int)bp, jp};
	}
}

/* The programme: the cheapest chain of snapped breaks into each state. */
static void run_dp(retime_ctx *rt)
{
	for (size_t b = 1; b <= rt->B; b++) {
		size_t bmin = b > MAX_GROUP ? b - MAX_GROUP : 0;
		double unsnapped = 0;
		for (size_t bp = b; bp-- > bmin;) {
			if (bp + 1 < b)
				unsnapped += rt->l.v[bp + 1].unsnapped;
			double E = rt->S * (rt->l.v[b].w - rt->l.v[bp].w) / rt->Wt;
			for (size_t jp = rt->lo[bp]; jp < rt->hi[bp]; jp++)
				relax_from(rt, b, bp, jp, E, unsnapped);
		}
	}
}

/* Walk the cheapest chain back from the end: snap, pos and gdev of each break. */
static void walk_back(retime_ctx *rt)
{
	const pause *q = rt->q;
	const brk *v = rt->l.v;
	double S = rt->S, Wt = rt->Wt;
	size_t b = rt->B, j = rt->K;
	while (b > 0) {
		state *sb = &rt->st[rt->base[b] + j - rt->lo[b]];
		size_t bp = (size_t)sb->from_b, jp = sb->from_j;
		rt->snap[b] = j;
		rt->pos[b] = q[j].p;
		double E = S * (v[b].w - v[bp].w) / Wt, A = q[j].p - q[jp].p;
		for (size_t k = bp + 1; k < b; k++) {
			rt->snap[k] = SIZE_MAX;
			rt->pos[k] = q[jp].p + A * (v[k].w - v[bp].w) / (v[b].w - v[bp].w);
		}
		for (size_t k = bp + 1; k <= b; k++)
			rt->gdev[k] = fabs(log((A + LEN_SOFT) / (E + LEN_SOFT)));
		b = bp;
		j = jp;
	}
}

/* No chain fits: spread the text over the speech by weight alone. */
static void spread(retime_ctx *rt)
{
	const tandem_retime_opts *o = rt->o;
	size_t B = rt->B;
	tandem__report(o->diag, o->diag_user, o->filename, TANDEM_WARNING, "retime-spread", 0, 0,
	               -1, "no pause pattern fits the text; spreading it by weight alone");
	rt->snap[B] = rt->K;
	rt->pos[B] = rt->S;
	for (size_t b = 1; b < B; b++) {
		rt->snap[b] = SIZE_MAX;
		rt->pos[b] = rt->S * rt->l.v[b].w / rt->Wt;
	}
	for (size_t b = 0; b <= B; b++)
		rt->gdev[b] = 0;
}

/* The answer, per break: where it falls (snap, pos) and how well (gdev). */
static void place_breaks(retime_ctx *rt)
{
	size_t B = rt->B;
	rt->snap = tandem__xmalloc((B + 1) * sizeof *rt->snap);
	rt->pos = tandem__xmalloc((B + 1) * sizeof *rt->pos);
	rt->gdev = tandem__xmalloc((B + 1) * sizeof *rt->gdev);
	rt->found = rt->st[rt->base[B]].cost < INFINITY;
	if (rt->found)
		walk_back(rt);
	else
		spread(rt);
	rt->snap[0] = 0;
	rt->pos[0] = 0;
}

/* Real time (ms) of break b: a snapped one at the pause's edge (`end` or not). */
static int64_t break_ms(const retime_ctx *rt, size_t b, bool end)
{
	if (rt->snap[b] != SIZE_MAX)
		return (int64_t)(end ? rt->q[rt->snap[b]].end : rt->q[rt->snap[b]].start) *
		       TANDEM_FRAME_MS;
	return speech_to_ms(rt->run_s, rt->run_e, rt->cum, rt->nruns, rt->pos[b]);
}

/* How well segment i's boundaries fell on pauses and its length matched. */
static double segment_confidence(const retime_ctx *rt, size_t b0, size_t b1)
{
	double dev = 0;
	for (size_t k = b0 + 1; k <= b1; k++)
		if (rt->gdev[k] > dev)
			dev = rt->gdev[k];
	double c = exp(-dev * dev / (2 * 0.25 * 0.25));
	if (rt->snap[b0] == SIZE_MAX)
		c *= 0.75;
	if (rt->snap[b1] == SIZE_MAX)
		c *= 0.75;
	if (!rt->found)
		c *= 0.5;
	return c;
}

/* Give each segment the times of its boundary breaks. */
static void set_times(const retime_ctx *rt, tandem_doc *doc, size_t N, double *confidence)
{
	for (size_t i = 0; i < N; i++) {
		size_t b0 = rt->segb[i], b1 = rt->segb[i + 1];
		int64_t s = break_ms(rt, b0, true);
		int64_t e = break_ms(rt, b1, false);
		if (e < s)
			e = s;
		tandem_seg_set_times(doc, i, s, e);
		if (confidence)
			confidence[i] = segment_confidence(rt, b0, b1);
	}
}

static void retime_ctx_free(retime_ctx *rt)
{
	free(rt->l.v);
	free(rt->segb);
	free(rt->gdev);
	free(rt->run_s);
	free(rt->run_e);
	free(rt->q);
	free(rt->cum);
	free(rt->skip);
	free(rt->lo);
	free(rt->hi);
	free(rt->base);
	free(rt->st);
	free(rt->snap);
	free(rt->pos);
}

int tandem_retime_frames(tandem_doc *doc, const unsigned char *speech, size_t F,
                         const tandem_retime_opts *opts, double *confidence)
{
	tandem_retime_opts o;
	if (opts)
		o = *opts;
	else
		tandem_retime_opts_init(&o);
	size_t N = tandem_doc_count(doc);
	if (!N)
		return TANDEM_EEMPTY;
	retime_ctx rt;
	memset(&rt, 0, sizeof rt);
	rt.o = &o;
	if (!find_runs(&rt, speech, F)) {
		retime_ctx_free(&rt);
		tandem__report(o.diag, o.diag_user, o.filename, TANDEM_ERROR, "retime-no-speech", 0, 0,
		               -1, "no speech found in the recording");
		return TANDEM_EEMPTY;
	}
	check_duration(doc, F, &o);
	make_pauses(&rt);
	make_breaks(&rt, doc, N);
	make_bands(&rt);
	run_dp(&rt);
	place_breaks(&rt);
	set_times(&rt, doc, N, confidence);
	retime_ctx_free(&rt);
	return 0;
}

typedef struct retime_job {
	tandem_doc *doc;
	const tandem_retime_opts *o;
	double *confidence;
} retime_job;

static int retime_job_run(void *job, const unsigned char *speech, size_t nframes)
{
	retime_job *j = job;
	return tandem_retime_frames(j->doc, speech, nframes, j->o, j->confidence);
}

int tandem_retime_run(tandem_doc *doc, const char *media, const tandem_retime_opts *opts,
                      double *confidence)
{
	tandem_retime_opts o;
	if (opts)
		o = *opts;
	else
		tandem_retime_opts_init(&o);
	if (!tandem_doc_count(doc))
		return TANDEM_EEMPTY;
	retime_job j = {doc, &o, confidence};
	return tandem__vad_run(media, &o.vad, o.diag, o.diag_user, &o.filename, retime_job_run, &j);
}
