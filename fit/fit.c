/*
 * fit.c - tandem_fit_run: make a document's cues fit a profile's layout.
 *
 * Each segment whose text does not fit (more lines than max_lines at the
 * language's line_chars / line_width, or longer on screen than
 * max_duration) is cut into pieces by the joint programme of cut.c, both
 * sides together; every piece's text is broken into balanced lines.  The
 * pieces share the segment's time span:
 *
 *  - with a speech mask, each cut goes to the pause nearest the place the
 *    text puts it (measured in speech time inside the span), chosen for
 *    all cuts of the segment at once by a small programme that may also
 *    leave a cut inside speech; a cut with a pause ends the piece before
 *    where speech stops and starts the next where it resumes;
 *  - without one, the span is shared in proportion to spoken length
 *    (retime's weights).
 *
 * Then the timing rules: min_gap between cues (the earlier cue gives way),
 * pieces shorter than min_duration grow into free time or borrow from a
 * neighbour that can spare it, pieces longer than max_duration shrink onto
 * their speech, or are cut short.  No piece leaves its segment's span, and
 * no text is added, dropped or changed (whitespace aside).  Reading speed
 * that cutting cannot bring down is reported, never fixed by dropping text.
 */
#include "fit.h"
#include "tandem_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* ln 3: a segment whose translation-to-source ratio is 3x off the usual. */
#define LOG_RATIO_OFF 1.0986

void tandem_fit_opts_init(tandem_fit_opts *o)
{
	memset(o, 0, sizeof *o);
}

/* ---- languages and limits, as tandem_check_run finds them ---- */

static double rule_get(const tandem_check_rules *r, const char *lang, const char *key)
{
	char k[64];
	double v = 0;
	snprintf(k, sizeof k, "%s.%s", lang, key);
	if (tandem_check_rules_get(r, k, &v) == 0)
		return v;
	size_t n = strcspn(lang, "-_");
	snprintf(k, sizeof k, "%.*s.%s", (int)n, lang, key);
	if (tandem_check_rules_get(r, k, &v) == 0)
		return v;
	snprintf(k, sizeof k, "default.%s", key);
	if (tandem_check_rules_get(r, k, &v) == 0)
		return v;
	return 0;
}

static double threshold(const tandem_check_rules *r, const char *key)
{
	double v = 0;
	if (tandem_check_rules_get(r, key, &v))
		return 0;
	return v > 0 ? v : 0;
}

static const char *side_lang(const tandem_doc *doc, bool translation)
{
	const char *meta = tandem_doc_meta(doc, translation ? "translation_language" : "language");
	if (meta && *meta)
		return meta;
	size_t counts[4] = {0, 0, 0, 0};
	for (size_t i = 0; i < doc->nsegs; i++) {
		const char *s = translation ? doc->segs[i].translation : doc->segs[i].text;
		if (!s)
			continue;
		counts[tandem_text_script(s, strlen(s))]++;
	}
	int best = 0;
	for (int k = 1; k < 4; k++)
		if (counts[k] > counts[best] || best == 0)
			best = counts[k] ? k : best;
	return best == TANDEM_SCRIPT_CJK ? "zh" : best == TANDEM_SCRIPT_LATIN ? "en" : "default";
}

static tandem__layout layout_for(const tandem_check_rules *r, const char *lang)
{
	tandem__layout l;
	l.line_chars = (size_t)rule_get(r, lang, "line_chars");
	l.line_width = (size_t)rule_get(r, lang, "line_width");
	l.max_lines = (size_t)threshold(r, "max_lines");
	l.cps = rule_get(r, lang, "cps");
	return l;
}

/* ---- text ---- */

static bool wide_at_end(const char *s, size_t n)
{
	if (!n)
		return false;
	size_t b = n - 1;
	while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
		b--;
	int32_t cp;
	tandem__utf8_decode(s + b, n - b, &cp);
	return utf8proc_charwidth(cp) == 2;
}

static bool wide_at(const char *s, size_t n)
{
	if (!n)
		return false;
	int32_t cp;
	tandem__utf8_decode(s, n, &cp);
	return utf8proc_charwidth(cp) == 2;
}

/*
 * The text as one run: edge whitespace out, each inner run of whitespace
 * one space, except a line break between two wide characters, which goes
 * (a Chinese line broken over two lines reads as one).
 */
static char *one_run(const char *s)
{
	tandem__buf b = TANDEM_BUF_INIT;
	size_t n = strlen(s), i = 0;
	while (i < n) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			bool nl = false;
			while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
				nl |= s[i++] == '\n';
			if (!b.len || i == n)
				continue;
			if (nl && wide_at_end(b.ptr, b.len) && wide_at(s + i, n - i))
				continue;
			tandem__buf_putc(&b, ' ');
			continue;
		}
		tandem__buf_putc(&b, s[i++]);
	}
	return tandem__buf_detach(&b, NULL);
}

/*
 * The next line of s from *p, its edge spaces left out: [*a, *z).  Returns
 * false when there is none left.
 */
static bool next_line(const char **p, const char **a, const char **z)
{
	if (!*p)
		return false;
	const char *nl = strchr(*p, '\n');
	const char *x = *p, *y = nl ? nl : *p + strlen(*p);
	while (x < y && (*x == ' ' || *x == '\t' || *x == '\r'))
		x++;
	while (y > x && (y[-1] == ' ' || y[-1] == '\t' || y[-1] == '\r'))
		y--;
	*a = x;
	*z = y;
	*p = nl ? nl + 1 : NULL;
	return true;
}

/* Does the text, as its lines stand, fit? */
static bool lines_fit(const char *s, const tandem__layout *l)
{
	size_t lines = 0;
	const char *a, *z;
	for (const char *p = s; next_line(&p, &a, &z);) {
		if (z == a)
			continue;
		lines++;
		if (l->line_chars && tandem_text_graphemes(a, (size_t)(z - a)) > l->line_chars)
			return false;
		if (l->line_width && tandem_text_width(a, (size_t)(z - a)) > l->line_width)
			return false;
	}
	return !l->max_lines || lines <= l->max_lines;
}

/* Characters as check counts them: graphemes of the lines, breaks and edge spaces out. */
static size_t shown_chars(const char *s)
{
	size_t g = 0;
	const char *a, *z;
	for (const char *p = s; next_line(&p, &a, &z);)
		g += tandem_text_graphemes(a, (size_t)(z - a));
	return g;
}

static bool is_cjk(const char *s)
{
	return s && tandem_text_script(s, strlen(s)) == TANDEM_SCRIPT_CJK;
}

static bool lang_cjk(const char *lang)
{
	return strncasecmp(lang, "zh", 2) == 0 || strncasecmp(lang, "ja", 2) == 0 ||
	       strncasecmp(lang, "yue", 3) == 0;
}

static bool has_han(const char *s)
{
	return s && tandem_text_scripts(s, strlen(s)).han > 0;
}

/* ---- timing ---- */

typedef struct piece {
	int64_t start, end;
	char *text, *translation;
	size_t seg;            /* the input segment */
	size_t k, n;           /* piece k of n */
	int cut_cls;           /* class of the cut before it (speech snapping) */
} piece;

typedef struct plist {
	piece *v;
	size_t n, cap;
} plist;

static piece *plist_add(plist *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = tandem__xrealloc(l->v, l->cap * sizeof *l->v);
	}
	piece *p = &l->v[l->n++];
	memset(p, 0, sizeof *p);
	return p;
}

typedef struct span_speech {
	const unsigned char *m;
	size_t nf;
} span_speech;

static bool speech_at(const span_speech *sp, int64_t f)
{
	return f >= 0 && (size_t)f < sp->nf && sp->m[f];
}

/* The inner pauses of a span's speech: pause i covers frames [a[i], b[i])
 * and comes after p[i] speech frames; `speech` counts the span's speech frames. */
typedef struct pauses {
	double *p;
	int64_t *a, *b;
	size_t n, cap;
	double speech;
} pauses;

static void pauses_add(pauses *q, double p, int64_t a, int64_t b)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->p = tandem__xrealloc(q->p, q->cap * sizeof *q->p);
		q->a = tandem__xrealloc(q->a, q->cap * sizeof *q->a);
		q->b = tandem__xrealloc(q->b, q->cap * sizeof *q->b);
	}
	q->p[q->n] = p;
	q->a[q->n] = a;
	q->b[q->n] = b;
	q->n++;
}

static void pauses_free(pauses *q)
{
	free(q->p);
	free(q->a);
	free(q->b);
}

/* The speech and the pauses between it over frames [f0, f1). */
static void find_pauses(const span_speech *sp, int64_t f0, int64_t f1, pauses *q)
{
	bool seen = false;
	for (int64_t f = f0; f < f1;) {
		if (speech_at(sp, f)) {
			q->speech++;
			seen = true;
			f++;
			continue;
		}
		int64_t a = f;
		while (f < f1 && !speech_at(sp, f))
			f++;
		if (seen && f < f1)   /* silence at the edges is not between pieces */
			pauses_add(q, q->speech, a, f);
	}
}

/*
 * Which pause each cut 1..K goes in (snap[k], -1: none), pauses used in
 * order, each at most once: a dynamic programme where dp[k][q] is the cost
 * of cuts 1..k placed with the last pause used q-1 (q = 0: none).  Missing
 * the text's position costs its distance in speech frames; a long pause
 * is worth going to; leaving a cut in speech costs more after a clause.
 */
static void snap_cuts(const pauses *q, const double *cum, const int *cls, size_t K, long *snap)
{
	size_t W = q->n + 1;
	double *dp = tandem__xmalloc((K + 1) * W * sizeof *dp);
	unsigned char *took = tandem__xcalloc((K + 1) * W, 1);
	size_t *arg = tandem__xmalloc((K + 1) * W * sizeof *arg);
	for (size_t x = 0; x < (K + 1) * W; x++)
		dp[x] = INFINITY;
	dp[0] = 0;
	for (size_t k = 1; k <= K; k++) {
		double x = q->speech * cum[k];
		double stay_cost = cls[k] >= TANDEM__CUT_CLAUSE ? 250 : 120;
		double best = INFINITY;   /* best over q' < q of dp[k-1][q'] */
		size_t barg = 0;
		for (size_t j = 0; j < W; j++) {
			double c = dp[(k - 1) * W + j] + stay_cost;
			if (j > 0 && best < INFINITY) {
				double len = (double)(q->b[j - 1] - q->a[j - 1]);
				double d = fabs(q->p[j - 1] - x) - 0.5 * (len < 80 ? len : 80);
				if (best + d < c) {
					c = best + d;
					took[k * W + j] = 1;
					arg[k * W + j] = barg;
				}
			}
			dp[k * W + j] = c;
			if (dp[(k - 1) * W + j] < best) {
				best = dp[(k - 1) * W + j];
				barg = j;
			}
		}
	}
	size_t j = 0;
	for (size_t x = 1; x < W; x++)
		if (dp[K * W + x] < dp[K * W + j])
			j = x;
	for (size_t k = K; k >= 1; k--) {
		if (took[k * W + j]) {
			snap[k] = (long)j - 1;
			j = arg[k * W + j];
		} else {
			snap[k] = -1;
		}
	}
	free(dp);
	free(took);
	free(arg);
}

/*
 * Speech positions of cuts 1..K (in speech frames from the span's start):
 * snapped cuts at their pauses, the others spread between their snapped
 * neighbours by text share.
 */
static void speech_positions(const pauses *q, const double *cum, size_t K, const long *snap,
                             double *pos)
{
	pos[0] = 0;
	pos[K + 1] = q->speech;
	for (size_t k = 1; k <= K; k++)
		if (snap[k] >= 0)
			pos[k] = q->p[snap[k]];
	size_t a = 0;
	for (size_t k = 1; k <= K + 1; k++) {
		if (k <= K && snap[k] == -1)
			continue;
		double ca = a ? cum[a] : 0, cb = k <= K ? cum[k] : 1;
		for (size_t j = a + 1; j < k; j++)
			pos[j] = pos[a] + (pos[k] - pos[a]) * (cb > ca ? (cum[j] - ca) / (cb - ca) : 0.5);
		a = k;
	}
}

/* The frame where `left` speech frames of [f0, f1) have passed. */
static int64_t speech_frame(const span_speech *sp, int64_t f0, int64_t f1, double left)
{
	int64_t f = f0;
	for (; f < f1; f++)
		if (speech_at(sp, f) && (left -= 1) <= 0)
			break;
	return f;
}

/* Cut times from the speech: in the snapped pause, else inside speech. */
static void speech_times(const span_speech *sp, int64_t f0, int64_t f1, const double *cum,
                         const int *cls, size_t K, int64_t gap, int64_t *starts, int64_t *ends)
{
	pauses q = {0};
	find_pauses(sp, f0, f1, &q);
	long *snap = tandem__xmalloc((K + 2) * sizeof *snap);
	double *pos = tandem__xmalloc((K + 2) * sizeof *pos);
	snap_cuts(&q, cum, cls, K, snap);
	speech_positions(&q, cum, K, snap, pos);
	for (size_t k = 1; k <= K; k++) {
		int64_t e, s;
		if (snap[k] >= 0) {
			e = q.a[snap[k]] * TANDEM_FRAME_MS;
			s = q.b[snap[k]] * TANDEM_FRAME_MS;
		} else {
			e = s = speech_frame(sp, f0, f1, pos[k]) * TANDEM_FRAME_MS;
		}
		if (s - e < gap) {
			int64_t mid = (s + e) / 2;
			e = mid - gap / 2;
			s = e + gap;
		}
		ends[k - 1] = e;
		starts[k] = s;
	}
	free(pos);
	free(snap);
	pauses_free(&q);
}

/*
 * Times of the cuts of one segment [s0, e0] with cumulative shares
 * cum[1..P-1] and cut classes cls[1..P-1]: from its speech when the span
 * has any, else proportionally to the shares.  starts[0..P), ends[0..P)
 * are set, each piece inside the span and in order.
 */
static void time_cuts(int64_t s0, int64_t e0, const double *cum, const int *cls, size_t P,
                      const span_speech *sp, int64_t gap, int64_t *starts, int64_t *ends)
{
	size_t K = P - 1;
	starts[0] = s0;
	ends[P - 1] = e0;
	int64_t f0 = s0 / TANDEM_FRAME_MS, f1 = e0 / TANDEM_FRAME_MS;
	bool speech = false;
	if (sp && sp->m)
		for (int64_t f = f0; f < f1 && !speech; f++)
			speech = speech_at(sp, f);
	if (speech) {
		speech_times(sp, f0, f1, cum, cls, K, gap, starts, ends);
	} else {
		for (size_t k = 1; k <= K; k++) {
			int64_t t = s0 + (int64_t)llround((double)(e0 - s0) * cum[k]);
			ends[k - 1] = t - gap / 2;
			starts[k] = ends[k - 1] + gap;
		}
	}
	for (size_t k = 0; k < P; k++) {
		if (starts[k] < s0)
			starts[k] = s0;
		if (k && starts[k] < ends[k - 1])
			starts[k] = ends[k - 1];
		if (ends[k] > e0)
			ends[k] = e0;
		if (ends[k] < starts[k])
			ends[k] = starts[k];
	}
}

/* Shrink a piece onto its speech (for max_duration). */
static void onto_speech(piece *p, const span_speech *sp)
{
	if (!sp || !sp->m)
		return;
	int64_t a = p->start / TANDEM_FRAME_MS, b = p->end / TANDEM_FRAME_MS;
	while (a < b && !speech_at(sp, a))
		a++;
	while (b > a && !speech_at(sp, b - 1))
		b--;
	if (b > a) {
		if (a * TANDEM_FRAME_MS > p->start)
			p->start = a * TANDEM_FRAME_MS;
		if (b * TANDEM_FRAME_MS < p->end)
			p->end = b * TANDEM_FRAME_MS;
	}
}

/* The timing rules over one segment's pieces v[0..n) (span [s0, e0]). */
static void settle(piece *v, size_t n, int64_t s0, int64_t e0, int64_t gap, int64_t min_ms,
                   int64_t max_ms, const span_speech *sp)
{
	if (v[0].start == TANDEM_NO_TIME)
		return;
	if (min_ms > 0)
		for (size_t k = 0; k < n; k++) {
			int64_t need = min_ms - (v[k].end - v[k].start);
			if (need <= 0)
				continue;
			/* Free time first: into the pause after it, then before it. */
			int64_t room = (k + 1 < n ? v[k + 1].start - gap : e0) - v[k].end;
			if (room > 0) {
				int64_t d = room < need ? room : need;
				v[k].end += d;
				need -= d;
			}
			room = v[k].start - (k ? v[k - 1].end + gap : s0);
			if (need > 0 && room > 0) {
				int64_t d = room < need ? room : need;
				v[k].start -= d;
				need -= d;
			}
			/* Then borrow from a neighbour that can spare it. */
			if (need > 0 && k + 1 < n) {
				int64_t spare = v[k + 1].end - v[k + 1].start - min_ms;
				if (spare > 0) {
					int64_t d = spare < need ? spare : need;
					v[k].end += d;
					v[k + 1].start += d;
					need -= d;
				}
			}
			if (need > 0 && k > 0) {
				int64_t spare = v[k - 1].end - v[k - 1].start - min_ms;
				if (spare > 0) {
					int64_t d = spare < need ? spare : need;
					v[k].start -= d;
					v[k - 1].end -= d;
				}
			}
		}
	if (max_ms > 0)
		for (size_t k = 0; k < n; k++) {
			if (v[k].end - v[k].start <= max_ms)
				continue;
			onto_speech(&v[k], sp);
			if (v[k].end - v[k].start > max_ms)
				v[k].end = v[k].start + max_ms;
		}
}

/* ---- the driver ---- */

typedef struct fctx {
	const tandem_fit_opts *o;
	const char *file;
	tandem__layout ls, lt;
	const char *lang_s, *lang_t;
	int64_t gap, min_ms, max_ms;
	tandem__cutter *cut;
	span_speech sp;
	bool have_ratio;
	double ratio;        /* median ln(translation weight / source weight) */
	tandem_fit_summary sum;
} fctx;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ln(translation's spoken weight / the source's), or NAN when a side is empty. */
static double side_ratio(const char *src, const char *tr)
{
	double ws = src ? tandem__spoken_weight(src, strlen(src)) : 0;
	double wt = tr ? tandem__spoken_weight(tr, strlen(tr)) : 0;
	return ws > 0 && wt > 0 ? log(wt / ws) : NAN;
}

/*
 * The document's usual length ratio between translation and source: the
 * median over its bilingual segments, so that a segment whose translation
 * is far shorter (or longer) than its neighbours' stands out.  Under five
 * such segments it is 0: spoken weights measure speaking time, and a
 * translation takes about as long to say as its source.
 */
static void usual_ratio(fctx *c, const tandem_doc *doc)
{
	double *r = tandem__xmalloc((doc->nsegs ? doc->nsegs : 1) * sizeof *r);
	size_t n = 0;
	for (size_t i = 0; i < doc->nsegs; i++) {
		double x = side_ratio(doc->segs[i].text, doc->segs[i].translation);
		if (!isnan(x))
			r[n++] = x;
	}
	c->have_ratio = n > 0;
	if (n >= 5) {
		qsort(r, n, sizeof *r, cmp_double);
		c->ratio = n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
	}
	free(r);
}

static void fit_segment(fctx *c, const tandem_doc *doc, size_t i, plist *out)
{
	const tandem__seg *g = &doc->segs[i];
	bool timed = g->start != TANDEM_NO_TIME && g->end != TANDEM_NO_TIME && g->end >= g->start;
	int64_t span = timed ? g->end - g->start : TANDEM_NO_TIME;
	bool fits_s = lines_fit(g->text, &c->ls);
	bool fits_t = !g->translation || lines_fit(g->translation, &c->lt);
	bool fits_time = !timed || !c->max_ms || span <= c->max_ms;
	char *src = one_run(g->text);
	char *tr = g->translation ? one_run(g->translation) : NULL;
	if (fits_s && fits_t && (fits_time || (!*src && (!tr || !*tr)))) {
		/* Already fits: as it is (its markup kept). */
		piece *p = plist_add(out);
		p->start = g->start;
		p->end = g->end;
		p->text = NULL;   /* NULL: keep the segment's own fields */
		p->seg = i;
		p->k = 0;
		p->n = 1;
		free(src);
		free(tr);
		return;
	}
	/* Chinese cutting for a side in Chinese, even where Latin names outweigh
	 * its characters ("OpenAI、Cursor、Anthropic 和 Vercel"). */
	bool scjk = is_cjk(src) || (lang_cjk(c->lang_s) && has_han(src));
	bool tcjk = is_cjk(tr) || (lang_cjk(c->lang_t) && has_han(tr));
	tandem__cut_limits lim = {c->ls, c->lt, span, c->min_ms, c->max_ms, false};
	/* A translation 3x shorter or longer than the document's usual is not
	 * cut at word boundaries against the source: that would pair text that
	 * does not translate each other. */
	double dev = c->have_ratio && tr && *tr && *src ? side_ratio(src, tr) - c->ratio : 0;
	lim.strong_only = fabs(dev) > LOG_RATIO_OFF;
	tandem__cut_plan plan;
	tandem__cut_pair(c->cut, src, scjk, tr, tcjk, &lim, &plan);
	size_t P = plan.npieces ? plan.npieces : 1;
	bool bi = plan.t != NULL;
	size_t first = out->n;
	/* Timing shares from the spoken side. */
	bool spoken_tr = bi && (c->o->spoken_translation || !*src);
	const char *spk = spoken_tr ? tr : src;
	size_t *so = spoken_tr ? plan.t : plan.s;
	double *cum = tandem__xmalloc((P + 1) * sizeof *cum);
	int *cls = tandem__xcalloc(P + 1, sizeof *cls);
	double W = 0;
	for (size_t k = 0; k < P; k++)
		W += tandem__spoken_weight(spk + so[k], so[k + 1] - so[k]);
	double acc = 0;
	cum[0] = 0;
	for (size_t k = 0; k < P; k++) {
		double w = tandem__spoken_weight(spk + so[k], so[k + 1] - so[k]);
		acc += w;
		cum[k + 1] = W > 0 ? acc / W : (double)(k + 1) / (double)P;
		/* Class of the cut: sentence if the piece before ends one. */
		size_t e = so[k + 1];
		while (e > 0 && spk[e - 1] == ' ')
			e--;
		unsigned char last = e ? (unsigned char)spk[e - 1] : 0;
		cls[k + 1] = last == '.' || last == '!' || last == '?' || last == ',' || last == ';' ||
		                     (e >= 3 && last >= 0x80 && (memcmp(spk + e - 3, "\xe3\x80\x82", 3) == 0 ||
		                                                 memcmp(spk + e - 3, "\xef\xbc\x8c", 3) == 0 ||
		                                                 memcmp(spk + e - 3, "\xef\xbc\x9f", 3) == 0 ||
		                                                 memcmp(spk + e - 3, "\xef\xbc\x81", 3) == 0))
		                 ? TANDEM__CUT_CLAUSE
		                 : TANDEM__CUT_WORD;
	}
	int64_t *st = tandem__xmalloc(P * sizeof *st), *en = tandem__xmalloc(P * sizeof *en);
	if (timed)
		time_cuts(g->start, g->end, cum, cls, P, &c->sp, c->gap, st, en);
	for (size_t k = 0; k < P; k++) {
		piece *p = plist_add(out);
		p->seg = i;
		p->k = k;
		p->n = P;
		p->start = timed ? st[k] : TANDEM_NO_TIME;
		p->end = timed ? en[k] : TANDEM_NO_TIME;
		size_t nl;
		p->text = tandem__break_lines(c->cut, src + plan.s[k], plan.s[k + 1] - plan.s[k], scjk,
		                              &c->ls, &nl);
		if (bi)
			p->translation = tandem__break_lines(c->cut, tr + plan.t[k], plan.t[k + 1] - plan.t[k],
			                                     tcjk, &c->lt, &nl);
		else if (tr)
			p->translation = tandem__xstrdup(k == 0 ? tr : "");
	}
	if (timed)
		settle(&out->v[first], P, g->start, g->end, c->gap, c->min_ms, c->max_ms, &c->sp);
	if (P > 1)
		c->sum.cut++;
	if (g->markup && P > 1)
		c->sum.markup_lost++;
	if (lim.strong_only) {
		c->sum.poor += plan.poor;
		tandem__report(c->o->diag, c->o->diag_user, c->file, TANDEM_WARNING, "fit-pairing",
		               g->line, 0, (long)i,
		               "segment %zu: its translation is %.1f times %s than the document's usual, "
		               "so it is cut only where both sides end a sentence or clause (%zu %s, "
		               "kept larger than the layout where needed); check the translation",
		               i + 1, exp(fabs(dev)), dev < 0 ? "shorter" : "longer", P,
		               P == 1 ? "piece" : "pieces");
	} else if (plan.poor) {
		c->sum.poor += plan.poor;
		tandem__report(c->o->diag, c->o->diag_user, c->file, TANDEM_WARNING, "fit-pairing",
		               g->line, 0, (long)i,
		               "segment %zu: no good pair of cuts for %zu of its %zu pieces (the two "
		               "sides' lengths differ by more than 3 to 1 there); check the pairing",
		               i + 1, plan.poor, P);
	}
	if (plan.overfull) {
		c->sum.overfull += plan.overfull;
		tandem__report(c->o->diag, c->o->diag_user, c->file, TANDEM_WARNING, "fit-overfull",
		               g->line, 0, (long)i,
		               "segment %zu: %zu pieces still do not fit the layout (a word longer "
		               "than a line, or no place to cut)",
		               i + 1, plan.overfull);
	}
	free(cum);
	free(cls);
	free(st);
	free(en);
	tandem__cut_plan_free(&plan);
	free(src);
	free(tr);
}

int tandem_fit_run(tandem_doc *doc, const tandem_fit_opts *opts, tandem_fit_summary *summary)
{
	tandem_fit_opts o;
	if (opts)
		o = *opts;
	else
		tandem_fit_opts_init(&o);
	if (!doc)
		return TANDEM_EINVAL;
	fctx c;
	memset(&c, 0, sizeof c);
	c.o = &o;
	c.file = o.filename ? o.filename : "<input>";
	tandem_check_rules *own = NULL;
	const tandem_check_rules *r = o.rules;
	if (!r)
		r = own = tandem_check_rules_new(NULL);
	c.lang_s = side_lang(doc, false);
	c.lang_t = side_lang(doc, true);
	c.ls = layout_for(r, c.lang_s);
	c.lt = layout_for(r, c.lang_t);
	c.gap = (int64_t)ceil(threshold(r, "min_gap"));
	c.min_ms = (int64_t)ceil(threshold(r, "min_duration"));
	c.max_ms = (int64_t)floor(threshold(r, "max_duration"));
	c.sp.m = o.speech;
	c.sp.nf = o.nframes;
	usual_ratio(&c, doc);
	c.cut = tandem__cutter_new();
	if (!c.cut) {
		tandem__report(o.diag, o.diag_user, c.file, TANDEM_ERROR, "fit-icu", 0, 0, -1,
		               "ICU's break iterators could not be opened (is its data installed?)");
		tandem_check_rules_free(own);
		return TANDEM_EINVAL;
	}
	size_t N = doc->nsegs;
	c.sum.segments = N;
	plist out = {NULL, 0, 0};
	for (size_t i = 0; i < N; i++)
		fit_segment(&c, doc, i, &out);
	/* Gaps between cues: the earlier one gives way, inside its own span. */
	for (size_t k = 0; k + 1 < out.n; k++) {
		piece *p = &out.v[k], *q = &out.v[k + 1];
		if (p->end == TANDEM_NO_TIME || q->start == TANDEM_NO_TIME)
			continue;
		/* Cues that start together (two speakers, a sign) are the input's own. */
		if (q->start > p->start && q->start - p->end < c.gap) {
			int64_t e = q->start - c.gap;
			p->end = e > p->start ? e : p->start + (q->start - p->start) / 2;
		}
	}
	/* The new segment list. */
	tandem__seg *segs = tandem__xcalloc(out.n ? out.n : 1, sizeof *segs);
	size_t untimed = 0;
	for (size_t k = 0; k < out.n; k++) {
		piece *p = &out.v[k];
		const tandem__seg *g = &doc->segs[p->seg];
		tandem__seg *s = &segs[k];
		s->start = p->start;
		s->end = p->end;
		s->line = g->line;
		s->an = g->an;
		s->speaker = g->speaker ? tandem__xstrdup(g->speaker) : NULL;
		s->section = g->section && p->k == 0 ? tandem__xstrdup(g->section) : NULL;
		s->settings = g->settings ? tandem__xstrdup(g->settings) : NULL;
		if (!p->text) {
			s->id = g->id ? tandem__xstrdup(g->id) : NULL;
			s->text = tandem__xstrdup(g->text);
			s->markup = g->markup ? tandem__xstrdup(g->markup) : NULL;
			s->translation = g->translation ? tandem__xstrdup(g->translation) : NULL;
		} else {
			s->text = p->text;
			s->translation = p->translation;
		}
		if (s->start == TANDEM_NO_TIME)
			untimed++;
		/* Reading speed: cutting cannot change it; say where it is too fast. */
		int64_t dur = s->end - s->start;
		if (s->start != TANDEM_NO_TIME && dur > 0) {
			for (int side = 0; side < 2; side++) {
				const char *t = side ? s->translation : s->text;
				const tandem__layout *l = side ? &c.lt : &c.ls;
				if (!t || !*t || l->cps <= 0)
					continue;
				double cps = (double)shown_chars(t) * 1000.0 / (double)dur;
				if (cps > l->cps + 0.005) {
					c.sum.slow++;
					tandem__report(o.diag, o.diag_user, c.file, TANDEM_WARNING,
					               "fit-reading-speed", g->line, 0, (long)k,
					               "cue %zu (piece %zu of %zu of segment %zu): the %s reads at "
					               "%.1f characters a second (limit %g for %s); its text is "
					               "kept whole",
					               k + 1, p->k + 1, p->n, p->seg + 1,
					               side ? "translation" : "text", cps, l->cps,
					               side ? c.lang_t : c.lang_s);
				}
			}
		}
	}
	for (size_t i = 0; i < N; i++)
		tandem__seg_free(&doc->segs[i]);
	free(doc->segs);
	doc->segs = segs;
	doc->nsegs = out.n;
	doc->capsegs = out.n ? out.n : 1;
	/* Blocks (NOTE, STYLE) stood before segment indices: move them along. */
	if (doc->nblocks) {
		size_t *first = tandem__xmalloc((N + 1) * sizeof *first);
		for (size_t i = 0; i <= N; i++)
			first[i] = out.n;
		for (size_t k = out.n; k-- > 0;)
			first[out.v[k].seg] = k;
		for (size_t i = N; i-- > 0;)
			if (first[i] == out.n && i + 1 <= N)
				first[i] = first[i + 1];
		for (size_t b = 0; b < doc->nblocks; b++)
			doc->blocks[b].before = doc->blocks[b].before < N ? first[doc->blocks[b].before] : out.n;
		free(first);
	}
	c.sum.cues = out.n;
	if (c.sum.markup_lost)
		tandem__report(o.diag, o.diag_user, c.file, TANDEM_INFO, "fit-markup", 0, 0, -1,
		               "%zu cut segments had inline styling (italics, colours); the pieces "
		               "are plain text",
		               c.sum.markup_lost);
	if (untimed && c.sum.cut)
		tandem__report(o.diag, o.diag_user, c.file, TANDEM_INFO, "fit-untimed", 0, 0, -1,
		               "%zu cues have no times: cut and broken into lines, but not timed "
		               "(retime --estimate or --audio gives them times)",
		               untimed);
	if (summary)
		*summary = c.sum;
	free(out.v);
	tandem__cutter_free(c.cut);
	tandem_check_rules_free(own);
	return 0;
}
