/*
 * bench_align.c - accuracy and speed of `tandem align` on perturbed real
 * translations, with a Gale-Church baseline for comparison.
 *
 * Gold data: a 1-1 English/Chinese alignment, either the seed 003 pairs
 * (a transcript: 4 header lines, then English line / Chinese line) or a
 * real bilingual SRT pair (en.srt + zh-CN-dual-double.srt, whose every
 * second cue is the Chinese).  The English gets timings (its own, or
 * synthetic ones from its length); the Chinese side becomes plain untimed
 * lines and is perturbed with a fixed random seed: adjacent lines merged
 * (10% x level), lines split at punctuation (6%), dropped (4%), stray lines
 * such as [音乐] or translator notes inserted (2%).  The true links are kept.
 *
 * Scores: strict link F1 over links with both sides non-empty (a predicted
 * link counts only when its source and translation sets equal a gold
 * link's), and recall/precision of the untranslated source segments (the
 * dropped lines).
 *
 *   bench_align [--pairs FILE | --srt DIR] [--level X] [--seed N]
 *               [--timed-translation] [--scale N] [--min-f1 F] [--min-untr F]
 *               [--baseline] [--unrelated FILE] [--lexicon FILE] [--quiet] [--show-misses]
 *               [--write-inputs DIR]
 *
 * --scale N cycles the pairs into N source segments (for speed and memory;
 * run under /usr/bin/time -v).  --min-f1 / --min-untr make the exit status
 * 1 when the aligner scores below the floor (the ctest uses this).
 * --show-misses lists on stderr each dropped line not reported untranslated
 * and each wrong report, with the predicted and gold links around it.
 * --unrelated FILE aligns the source with the Chinese of another gold file
 * and prints the coverage (should be near 0).
 */
#include "tandem.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct strv {
	char **v;
	size_t n, cap;
} strv;

static void push(strv *s, const char *p, size_t n)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v)
			abort();
	}
	char *c = malloc(n + 1);
	if (!c)
		abort();
	memcpy(c, p, n);
	c[n] = '\0';
	s->v[s->n++] = c;
}

static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!b || fread(b, 1, (size_t)n, fp) != (size_t)n) {
		fclose(fp);
		free(b);
		return NULL;
	}
	b[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return b;
}

/* Lines without their terminators (CR, LF, CRLF). */
static void split_lines(const char *b, strv *out)
{
	const char *p = b;
	while (*p) {
		size_t n = strcspn(p, "\r\n");
		push(out, p, n);
		p += n;
		if (*p == '\r')
			p++;
		if (*p == '\n')
			p++;
	}
}

typedef struct gold {
	strv en, zh;
	int64_t *t0, *t1;     /* English timings */
	int64_t *z0, *z1;     /* Chinese timings (SRT gold only) */
} gold;

static int load_pairs(const char *path, gold *g)
{
	size_t len;
	char *b = slurp(path, &len);
	if (!b)
		return -1;
	strv L = {0};
	split_lines(b, &L);
	free(b);
	for (size_t i = 4; i + 1 < L.n; i += 2) {
		push(&g->en, L.v[i], strlen(L.v[i]));
		push(&g->zh, L.v[i + 1], strlen(L.v[i + 1]));
	}
	for (size_t i = 0; i < L.n; i++)
		free(L.v[i]);
	free(L.v);
	/* Synthetic timings: 15 characters a second, a pause between segments. */
	g->t0 = malloc(g->en.n * sizeof *g->t0);
	g->t1 = malloc(g->en.n * sizeof *g->t1);
	int64_t t = 0;
	for (size_t i = 0; i < g->en.n; i++) {
		int64_t d = (int64_t)strlen(g->en.v[i]) * 1000 / 15;
		g->t0[i] = t;
		g->t1[i] = t + (d < 800 ? 800 : d);
		t = g->t1[i] + 300;
	}
	return 0;
}

static int64_t srt_time(const char *s)
{
	int h, m, sec, ms;
	if (sscanf(s, "%d:%d:%d,%d", &h, &m, &sec, &ms) != 4)
		return -1;
	return ((int64_t)h * 3600 + m * 60 + sec) * 1000 + ms;
}

/* Cues of an SRT file: text joined with spaces, timings. */
static int load_srt(const char *path, strv *text, int64_t **t0, int64_t **t1)
{
	size_t len;
	char *b = slurp(path, &len);
	if (!b)
		return -1;
	strv L = {0};
	split_lines(b, &L);
	free(b);
	size_t cap = L.n + 1, n = 0;
	*t0 = malloc(cap * sizeof **t0);
	*t1 = malloc(cap * sizeof **t1);
	for (size_t i = 0; i < L.n; i++) {
		const char *arrow = strstr(L.v[i], "-->");
		if (!arrow)
			continue;
		(*t0)[n] = srt_time(L.v[i]);
		(*t1)[n] = srt_time(arrow + 4);
		char buf[8192];
		size_t k = 0;
		for (i++; i < L.n && L.v[i][0]; i++) {
			size_t m = strlen(L.v[i]);
			if (k && k + 1 < sizeof buf)
				buf[k++] = ' ';
			if (k + m >= sizeof buf)
				m = sizeof buf - k - 1;
			memcpy(buf + k, L.v[i], m);
			k += m;
		}
		push(text, buf, k);
		n++;
	}
	for (size_t i = 0; i < L.n; i++)
		free(L.v[i]);
	free(L.v);
	return 0;
}

static int load_srt_dir(const char *dir, gold *g)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/en.srt", dir);
	if (load_srt(p, &g->en, &g->t0, &g->t1))
		return -1;
	strv dual = {0};
	int64_t *d0, *d1;
	snprintf(p, sizeof p, "%s/zh-CN-dual-double.srt", dir);
	if (load_srt(p, &dual, &d0, &d1))
		return -1;
	g->z0 = malloc(g->en.n * sizeof *g->z0);
	g->z1 = malloc(g->en.n * sizeof *g->z1);
	for (size_t i = 1, k = 0; i < dual.n && k < g->en.n; i += 2, k++) {
		push(&g->zh, dual.v[i], strlen(dual.v[i]));
		g->z0[k] = d0[i];
		g->z1[k] = d1[i];
	}
	for (size_t i = 0; i < dual.n; i++)
		free(dual.v[i]);
	free(dual.v);
	free(d0);
	free(d1);
	if (g->zh.n != g->en.n) {
		fprintf(stderr, "%s: %zu English cues but %zu Chinese\n", dir, g->en.n, g->zh.n);
		return -1;
	}
	return 0;
}

static void strv_free(strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void gold_free(gold *g)
{
	strv_free(&g->en);
	strv_free(&g->zh);
	free(g->t0);
	free(g->t1);
	free(g->z0);
	free(g->z1);
}

/* ---- perturbation ---- */

typedef struct rng {
	uint64_t s;
} rng;

static double uni(rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (double)(r->s >> 11) / 9007199254740992.0;
}

/* A gold link: source [s, s+ns), translation [t, t+nt). */
typedef struct glink {
	size_t s, ns, t, nt;
} glink;

typedef struct pert {
	strv tr;
	int64_t *t0, *t1;
	glink *links;
	size_t nlinks, cap;
	size_t dropped, merged, split, inserted;
} pert;

static void add_link(pert *p, size_t s, size_t ns, size_t t, size_t nt)
{
	if (p->nlinks == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->links = realloc(p->links, p->cap * sizeof *p->links);
	}
	p->links[p->nlinks++] = (glink){s, ns, t, nt};
}

static const char *strays[] = {
	"[音乐]", "[掌声]", "[笑声]", "（译者注：此处原文听不清。）", "（注：原文为口语，此处意译。）",
	"[音乐渐弱]", "（此处省略广告内容）",
};

/* A split point: a punctuation byte offset near the middle, or 0. */
static size_t split_point(const char *s, rng *r)
{
	size_t n = strlen(s), cand[64], k = 0;
	static const char *punct[] = {"，", "。", "？", "！", "；", "：", ",", ". ", "? "};
	for (size_t i = 0; i < n && k < 64; i++)
		for (size_t p = 0; p < sizeof punct / sizeof *punct; p++) {
			size_t pl = strlen(punct[p]);
			if (strncmp(s + i, punct[p], pl) == 0 && i + pl < n && i * 5 > n && i * 5 < n * 4)
				cand[k++] = i + pl;
		}
	if (!k)
		return 0;
	return cand[(size_t)(uni(r) * (double)k) % k];
}

static void perturb(const gold *g, size_t n, double level, uint64_t seed, int64_t span, pert *p)
{
	rng r = {seed * 2654435761u + 88172645463325252ULL};
	double pd = 0.04 * level, pm = 0.10 * level, ps = 0.06 * level, pi = 0.02 * level;
	p->t0 = malloc((3 * n + 8) * sizeof *p->t0);
	p->t1 = malloc((3 * n + 8) * sizeof *p->t1);
	for (size_t i = 0; i < n;) {
		size_t gi = i % g->en.n;
		double u = uni(&r);
		/* copies of the gold (--scale) follow each other in time */
		int64_t shift = (int64_t)(i / g->en.n) * span;
		int64_t z0 = (g->z0 ? g->z0[gi] : g->t0[gi]) + shift;
		int64_t z1 = (g->z0 ? g->z1[gi] : g->t1[gi]) + shift;
		if (u < pd) {
			add_link(p, i, 1, p->tr.n, 0);
			p->dropped++;
			i++;
		} else if (u < pd + pm && i + 1 < n) {
			size_t g2 = (i + 1) % g->en.n;
			size_t a = strlen(g->zh.v[gi]), b = strlen(g->zh.v[g2]);
			char *m = malloc(a + b + 1);
			memcpy(m, g->zh.v[gi], a);
			memcpy(m + a, g->zh.v[g2], b + 1);
			p->t0[p->tr.n] = z0;
			p->t1[p->tr.n] = (g->z0 ? g->z1[g2] : g->t1[g2]) + shift;
			add_link(p, i, 2, p->tr.n, 1);
			push(&p->tr, m, a + b);
			free(m);
			p->merged++;
			i += 2;
		} else if (u < pd + pm + ps && split_point(g->zh.v[gi], &r)) {
			rng r2 = r;
			size_t at = split_point(g->zh.v[gi], &r2);
			r = r2;
			const char *s = g->zh.v[gi];
			int64_t mid = z0 + (z1 - z0) * (int64_t)at / (int64_t)strlen(s);
			add_link(p, i, 1, p->tr.n, 2);
			p->t0[p->tr.n] = z0;
			p->t1[p->tr.n] = mid;
			push(&p->tr, s, at);
			p->t0[p->tr.n] = mid;
			p->t1[p->tr.n] = z1;
			push(&p->tr, s + at, strlen(s + at));
			p->split++;
			i++;
		} else {
			add_link(p, i, 1, p->tr.n, 1);
			p->t0[p->tr.n] = z0;
			p->t1[p->tr.n] = z1;
			push(&p->tr, g->zh.v[gi], strlen(g->zh.v[gi]));
			i++;
		}
		if (uni(&r) < pi) {
			const char *st = strays[(size_t)(uni(&r) * 7) % 7];
			int64_t e = p->tr.n ? p->t1[p->tr.n - 1] : 0;
			add_link(p, i, 0, p->tr.n, 1);
			p->t0[p->tr.n] = e;
			p->t1[p->tr.n] = e + 1000;
			push(&p->tr, st, strlen(st));
			p->inserted++;
		}
	}
}

/* ---- scoring ---- */

typedef struct score {
	double p, r, f1;
	size_t gold_untr, pred_untr, hit_untr;
} score;

static int cmp_glink(const void *a, const void *b)
{
	const glink *x = a, *y = b;
	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->nt < y->nt ? -1 : x->nt > y->nt;
}

static score score_links(const glink *gl, size_t ng, const glink *pl, size_t np, bool show)
{
	score sc = {0};
	glink *G = malloc((ng + 1) * sizeof *G);
	size_t maxs = 0;
	for (size_t i = 0; i < ng; i++)
		if (gl[i].s + 1 > maxs)
			maxs = gl[i].s + 1;
	bool *dropped = calloc(maxs + 1, 1);
	for (size_t i = 0; i < ng; i++)
		if (gl[i].ns == 1 && !gl[i].nt)
			dropped[gl[i].s] = true;
	size_t kg = 0, kp = 0, hit = 0;
	for (size_t i = 0; i < ng; i++) {
		if (gl[i].ns && gl[i].nt)
			G[kg++] = gl[i];
		else if (gl[i].ns)
			sc.gold_untr++;
	}
	qsort(G, kg, sizeof *G, cmp_glink);
	for (size_t i = 0; i < np; i++) {
		if (pl[i].ns && pl[i].nt) {
			kp++;
			if (bsearch(&pl[i], G, kg, sizeof *G, cmp_glink))
				hit++;
		} else if (pl[i].ns) {
			sc.pred_untr++;
			sc.hit_untr += pl[i].s < maxs && dropped[pl[i].s];
		}
	}
	if (show) {
		/* which dropped lines were missed, which untranslated reports were wrong */
		bool *pred = calloc(maxs + 1, 1);
		for (size_t i = 0; i < np; i++)
			if (pl[i].ns && !pl[i].nt && pl[i].s < maxs)
				pred[pl[i].s] = true;
		for (size_t i = 0; i < maxs; i++)
			if (dropped[i] != pred[i]) {
				fprintf(stderr, "  %s %zu:", dropped[i] ? "missed drop" : "false untranslated", i);
				for (size_t k = 0; k < np; k++)
					if (pl[k].s + pl[k].ns + 1 >= i && pl[k].s <= i + 1 && pl[k].ns)
						fprintf(stderr, " [%zu+%zu -> %zu+%zu]", pl[k].s, pl[k].ns, pl[k].t, pl[k].nt);
				fprintf(stderr, "  gold:");
				for (size_t k = 0; k < ng; k++)
					if (gl[k].s + gl[k].ns + 1 >= i && gl[k].s <= i + 1 && gl[k].ns)
						fprintf(stderr, " [%zu+%zu -> %zu+%zu]", gl[k].s, gl[k].ns, gl[k].t, gl[k].nt);
				fprintf(stderr, "\n");
			}
		free(pred);
	}
	sc.p = kp ? (double)hit / (double)kp : 0;
	sc.r = kg ? (double)hit / (double)kg : 0;
	sc.f1 = sc.p + sc.r > 0 ? 2 * sc.p * sc.r / (sc.p + sc.r) : 0;
	free(G);
	free(dropped);
	return sc;
}

/* ---- Gale-Church (1993): lengths only, full DP ---- */

static double pnorm(double z)
{
	return 0.5 * erfc(-z / sqrt(2));
}

static glink *gale_church(const double *ls, size_t n, const double *lt, size_t m, size_t *nl)
{
	static const int di[] = {1, 1, 0, 2, 1, 2};
	static const int dj[] = {1, 0, 1, 1, 2, 2};
	static const double pr[] = {0.89, 0.0099, 0.0099, 0.089, 0.089, 0.011};
	double sS = 0, sT = 0;
	for (size_t i = 0; i < n; i++)
		sS += ls[i];
	for (size_t j = 0; j < m; j++)
		sT += lt[j];
	double c = sT / sS, s2 = 6.8 * c;
	size_t W = m + 1;
	double *D = malloc((n + 1) * W * sizeof *D);
	unsigned char *bp = malloc((n + 1) * W);
	for (size_t i = 0; i <= n; i++)
		for (size_t j = 0; j <= m; j++) {
			double best = i || j ? INFINITY : 0;
			int arg = -1;
			for (int k = 0; k < 6; k++) {
				if ((size_t)di[k] > i || (size_t)dj[k] > j)
					continue;
				double prev = D[(i - (size_t)di[k]) * W + j - (size_t)dj[k]];
				if (isinf(prev))
					continue;
				double a = 0, b = 0;
				for (int x = 1; x <= di[k]; x++)
					a += ls[i - (size_t)x];
				for (int x = 1; x <= dj[k]; x++)
					b += lt[j - (size_t)x];
				double cost;
				if (!di[k] || !dj[k]) {
					cost = -log(pr[k]);
				} else {
					double mean = (a + b / c) / 2;
					double z = fabs((c * a - b) / sqrt(s2 * mean));
					double pd = 2 * (1 - pnorm(z));
					cost = -log(pr[k]) - log(pd > 1e-300 ? pd : 1e-300);
				}
				if (prev + cost < best) {
					best = prev + cost;
					arg = k;
				}
			}
			D[i * W + j] = best;
			bp[i * W + j] = (unsigned char)arg;
		}
	glink *L = malloc((n + m + 1) * sizeof *L);
	size_t k = 0, i = n, j = m;
	while (i || j) {
		int s = bp[i * W + j];
		i -= (size_t)di[s];
		j -= (size_t)dj[s];
		L[k++] = (glink){i, (size_t)di[s], j, (size_t)dj[s]};
	}
	for (size_t a = 0, b = k ? k - 1 : 0; a < b; a++, b--) {
		glink t = L[a];
		L[a] = L[b];
		L[b] = t;
	}
	free(D);
	free(bp);
	*nl = k;
	return L;
}

/* CPU time: the machine is shared, so wall time says more about the neighbours. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *pairs = NULL, *srtdir = NULL, *unrelated = NULL, *lexpath = NULL, *dump = NULL;
	double level = 1, min_f1 = -1, min_untr = -1;
	uint64_t seed = 1;
	size_t scale = 0;
	bool timed_tr = false, baseline = false, quiet = false, show_misses = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--pairs") && v)
			pairs = v, i++;
		else if (!strcmp(a, "--srt") && v)
			srtdir = v, i++;
		else if (!strcmp(a, "--level") && v)
			level = atof(v), i++;
		else if (!strcmp(a, "--seed") && v)
			seed = strtoull(v, NULL, 10), i++;
		else if (!strcmp(a, "--scale") && v)
			scale = strtoull(v, NULL, 10), i++;
		else if (!strcmp(a, "--min-f1") && v)
			min_f1 = atof(v), i++;
		else if (!strcmp(a, "--min-untr") && v)
			min_untr = atof(v), i++;
		else if (!strcmp(a, "--write-inputs") && v)
			dump = v, i++;
		else if (!strcmp(a, "--lexicon") && v)
			lexpath = v, i++;
		else if (!strcmp(a, "--unrelated") && v)
			unrelated = v, i++;
		else if (!strcmp(a, "--timed-translation"))
			timed_tr = true;
		else if (!strcmp(a, "--baseline"))
			baseline = true;
		else if (!strcmp(a, "--quiet"))
			quiet = true;
		else if (!strcmp(a, "--show-misses"))
			show_misses = true;
		else {
			fprintf(stderr, "bench_align: bad argument %s\n", a);
			return 2;
		}
	}
	gold g;
	memset(&g, 0, sizeof g);
	if (pairs ? load_pairs(pairs, &g) : srtdir ? load_srt_dir(srtdir, &g) : -1) {
		fprintf(stderr, "bench_align: give --pairs FILE or --srt DIR (readable)\n");
		return 2;
	}
	size_t n = scale ? scale : g.en.n;
	tandem_doc *src = tandem_doc_new();
	int64_t shift = 0, span = g.t1[g.en.n - 1] + 1000;
	for (size_t i = 0; i < n; i++) {
		size_t gi = i % g.en.n;
		if (i && gi == 0)
			shift += span;
		tandem_doc_add(src, g.t0[gi] + shift, g.t1[gi] + shift, g.en.v[gi], NULL);
	}
	pert p;
	memset(&p, 0, sizeof p);
	perturb(&g, n, level, seed, span, &p);
	tandem_doc *tr = tandem_doc_new();
	if (unrelated) {
		gold u;
		memset(&u, 0, sizeof u);
		if (load_pairs(unrelated, &u) && load_srt_dir(unrelated, &u)) {
			fprintf(stderr, "bench_align: cannot read %s\n", unrelated);
			return 2;
		}
		for (size_t j = 0; j < u.zh.n; j++)
			tandem_doc_add(tr, TANDEM_NO_TIME, TANDEM_NO_TIME, u.zh.v[j], NULL);
		gold_free(&u);
	} else {
		for (size_t j = 0; j < p.tr.n; j++)
			tandem_doc_add(tr, timed_tr ? p.t0[j] : TANDEM_NO_TIME,
			               timed_tr ? p.t1[j] : TANDEM_NO_TIME, p.tr.v[j], NULL);
	}
	if (dump) {
		/* the inputs as files, for timing the CLI end to end */
		char path[4096];
		snprintf(path, sizeof path, "%s/source.srt", dump);
		int r1 = tandem_doc_write_file(src, "srt", NULL, path);
		snprintf(path, sizeof path, "%s/translation.txt", dump);
		int r2 = tandem_doc_write_file(tr, "lines", NULL, path);
		if (r1 || r2) {
			fprintf(stderr, "bench_align: cannot write inputs to %s\n", dump);
			return 2;
		}
	}
	tandem_align_opts o;
	tandem_align_opts_init(&o);
	tandem_lexicon *lex = NULL;
	if (lexpath && tandem_lexicon_load(&lex, lexpath, NULL, NULL)) {
		fprintf(stderr, "bench_align: cannot load %s\n", lexpath);
		return 2;
	}
	o.lexicon = lex;
	tandem_alignment *a;
	double t0 = now_ms();
	int rc = tandem_align_run(src, tr, &o, &a);
	double t1 = now_ms();
	if (rc) {
		fprintf(stderr, "bench_align: align failed: %s\n", tandem_strerror(rc));
		return 2;
	}
	size_t np = tandem_alignment_count(a);
	glink *pl = malloc((np + 1) * sizeof *pl);
	size_t lowc = 0, lowc_wrong = 0, wrong = 0;
	for (size_t k = 0; k < np; k++)
		tandem_alignment_link(a, k, &pl[k].s, &pl[k].ns, &pl[k].t, &pl[k].nt);
	if (unrelated) {
		printf("unrelated: %zu source, %zu translation lines; translated %zu (%.1f%%), related=%d, "
		       "%.1f ms\n",
		       n, tandem_doc_count(tr), tandem_alignment_translated(a),
		       100.0 * (double)tandem_alignment_translated(a) / (double)n,
		       tandem_alignment_related(a), t1 - t0);
		int related = tandem_alignment_related(a);
		tandem_alignment_free(a);
		tandem_doc_free(src);
		tandem_doc_free(tr);
		free(pl);
		gold_free(&g);
		strv_free(&p.tr);
		free(p.t0);
		free(p.t1);
		free(p.links);
		return related ? 1 : 0;
	}
	score sc = score_links(p.links, p.nlinks, pl, np, show_misses);
	/* Are the doubtful links the wrong ones? */
	{
		glink *G = malloc((p.nlinks + 1) * sizeof *G);
		memcpy(G, p.links, p.nlinks * sizeof *G);
		qsort(G, p.nlinks, sizeof *G, cmp_glink);
		for (size_t k = 0; k < np; k++) {
			bool ok = bsearch(&pl[k], G, p.nlinks, sizeof *G, cmp_glink) != NULL;
			wrong += !ok;
			if (tandem_alignment_low_confidence(a, k)) {
				lowc++;
				lowc_wrong += !ok;
			}
		}
		free(G);
	}
	double ur = sc.gold_untr ? (double)sc.hit_untr / (double)sc.gold_untr : 1;
	double up = sc.pred_untr ? (double)sc.hit_untr / (double)sc.pred_untr : 1;
	printf("%-28s level %.1f  src %6zu tr %6zu  (merge %zu split %zu drop %zu insert %zu)\n",
	       pairs ? "pairs" : srtdir, level, n, p.tr.n, p.merged, p.split, p.dropped,
	       p.inserted);
	printf("  tandem:       F1 %.4f (P %.4f R %.4f)  untranslated R %.3f P %.3f  %7.1f ms cpu"
	       "  low-confidence %zu (%zu wrong of %zu wrong links)\n",
	       sc.f1, sc.p, sc.r, ur, up, t1 - t0, lowc, lowc_wrong, wrong);
	if (baseline) {
		double *ls = malloc(n * sizeof *ls), *lt = malloc((p.tr.n + 1) * sizeof *lt);
		for (size_t i = 0; i < n; i++) {
			const char *s = tandem_seg_text(src, i);
			ls[i] = (double)tandem_text_graphemes(s, strlen(s));
		}
		for (size_t j = 0; j < p.tr.n; j++)
			lt[j] = (double)tandem_text_graphemes(p.tr.v[j], strlen(p.tr.v[j]));
		size_t nb;
		double b0 = now_ms();
		glink *bl = gale_church(ls, n, lt, p.tr.n, &nb);
		double b1 = now_ms();
		score bs = score_links(p.links, p.nlinks, bl, nb, false);
		double bur = bs.gold_untr ? (double)bs.hit_untr / (double)bs.gold_untr : 1;
		double bup = bs.pred_untr ? (double)bs.hit_untr / (double)bs.pred_untr : 1;
		printf("  Gale-Church:  F1 %.4f (P %.4f R %.4f)  untranslated R %.3f P %.3f  %7.1f ms cpu\n",
		       bs.f1, bs.p, bs.r, bur, bup, b1 - b0);
		free(bl);
		free(ls);
		free(lt);
	}
	if (!quiet && getenv("BENCH_SHOW_ERRORS")) {
		glink *G = malloc((p.nlinks + 1) * sizeof *G);
		memcpy(G, p.links, p.nlinks * sizeof *G);
		qsort(G, p.nlinks, sizeof *G, cmp_glink);
		for (size_t k = 0; k < np; k++)
			if (!bsearch(&pl[k], G, p.nlinks, sizeof *G, cmp_glink))
				printf("    wrong: src %zu+%zu tr %zu+%zu score %.2f\n", pl[k].s, pl[k].ns,
				       pl[k].t, pl[k].nt, tandem_alignment_score(a, k));
		free(G);
	}
	if (getenv("BENCH_DUMP")) {
		size_t lo = 0, hi = 0;
		sscanf(getenv("BENCH_DUMP"), "%zu,%zu", &lo, &hi);
		for (size_t k = 0; k < p.nlinks; k++) {
			const glink *l = &p.links[k];
			if (l->s < lo || l->s > hi)
				continue;
			printf("  gold src %zu+%zu tr %zu+%zu\n", l->s, l->ns, l->t, l->nt);
			for (size_t x = 0; x < l->ns; x++)
				printf("      S%zu [%zu] %.150s\n", l->s + x, tandem_text_graphemes(tandem_seg_text(src, l->s + x), strlen(tandem_seg_text(src, l->s + x))), tandem_seg_text(src, l->s + x));
			for (size_t x = 0; x < l->nt; x++)
				printf("      T%zu [%zu] %.150s\n", l->t + x, tandem_text_graphemes(p.tr.v[l->t + x], strlen(p.tr.v[l->t + x])), p.tr.v[l->t + x]);
		}
	}
	int fail = 0;
	if (min_f1 >= 0 && sc.f1 < min_f1) {
		fprintf(stderr, "bench_align: F1 %.4f below the floor %.4f\n", sc.f1, min_f1);
		fail = 1;
	}
	if (min_untr >= 0 && (ur < min_untr || up < min_untr)) {
		fprintf(stderr, "bench_align: untranslated R %.3f / P %.3f below the floor %.3f\n", ur,
		        up, min_untr);
		fail = 1;
	}
	tandem_alignment_free(a);
	tandem_lexicon_free(lex);
	tandem_doc_free(src);
	tandem_doc_free(tr);
	free(pl);
	gold_free(&g);
	strv_free(&p.tr);
	free(p.t0);
	free(p.t1);
	free(p.links);
	return fail;
}
