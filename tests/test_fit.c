/*
 * test_fit.c - tandem_fit_run and the cut finder: table-driven cut cases,
 * then properties over the podcast transcript (timed by
 * tandem_retime_estimate) and every bilingual SRT fixture: text kept
 * (whitespace aside) and in order, every piece inside its segment's span,
 * and the netflix layout rules held (checked on the fitted document).
 */
#include "fit.h"
#include "harness.h"
#include "tandem.h"

#include <dirent.h>
#include <stdbool.h>
#include <string.h>

static char *squeeze(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1), *p = o;
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
			*p++ = *s;
	*p = '\0';
	return o;
}

typedef struct counts {
	size_t layout, overlap, gap, too_long, too_short, fit_overfull;
} counts;

static void count_diag(const tandem_diag *d, void *user)
{
	counts *c = user;
	if (!strcmp(d->rule, "line-length") || !strcmp(d->rule, "too-many-lines"))
		c->layout++;
	else if (!strcmp(d->rule, "overlap"))
		c->overlap++;
	else if (!strcmp(d->rule, "min-gap"))
		c->gap++;
	else if (!strcmp(d->rule, "too-long"))
		c->too_long++;
	else if (!strcmp(d->rule, "too-short"))
		c->too_short++;
	else if (!strcmp(d->rule, "fit-overfull"))
		c->fit_overfull++;
}

/* Fit a copy of doc and check the properties; returns the fitted doc. */
static void check_fit(const tandem_doc *in, const char *name, size_t max_layout)
{
	tandem_doc *d = tandem_doc_clone(in);
	tandem_check_rules *r = tandem_check_rules_new("netflix");
	tandem_fit_opts o;
	tandem_fit_opts_init(&o);
	o.rules = r;
	counts fc = {0};
	o.diag = count_diag;
	o.diag_user = &fc;
	tandem_fit_summary s;
	INT_EQ(tandem_fit_run(d, &o, &s), 0, name);
	OK(s.cues >= s.segments, "%s: %zu cues from %zu segments", name, s.cues, s.segments);
	/* Text kept in order, each side; pieces inside their spans, in order. */
	size_t n = tandem_doc_count(in), k = 0;
	bool spans = true, text = true;
	for (size_t i = 0; i < n && k < tandem_doc_count(d); i++) {
		char *want = squeeze(tandem_seg_text(in, i));
		const char *wt = tandem_seg_translation(in, i);
		char *want_t = squeeze(wt ? wt : "");
		size_t lw = strlen(want), lt = strlen(want_t);
		char *got = calloc(lw + 1, 1), *got_t = calloc(lt + 1, 1);
		size_t gl = 0, gtl = 0;
		/* The pieces of segment i: take cues while their text is a prefix. */
		do {
			char *a = squeeze(tandem_seg_text(d, k));
			const char *t = tandem_seg_translation(d, k);
			char *b = squeeze(t ? t : "");
			if (gl + strlen(a) > lw || gtl + strlen(b) > lt) {
				free(a);
				free(b);
				break;
			}
			memcpy(got + gl, a, strlen(a));
			gl += strlen(a);
			memcpy(got_t + gtl, b, strlen(b));
			gtl += strlen(b);
			int64_t s0 = tandem_seg_start(in, i), e0 = tandem_seg_end(in, i);
			if (s0 != TANDEM_NO_TIME && e0 >= s0 &&
			    (tandem_seg_start(d, k) < s0 || tandem_seg_end(d, k) > e0 ||
			     tandem_seg_end(d, k) < tandem_seg_start(d, k)))
				spans = false;
			free(a);
			free(b);
			k++;
		} while (k < tandem_doc_count(d) && (gl < lw || gtl < lt));
		if (strcmp(got, want) || strcmp(got_t, want_t)) {
			if (text)
				fprintf(stderr, "%s: segment %zu: text differs\n  got  %s\n  want %s\n", name,
				        i + 1, got, want);
			text = false;
		}
		free(got);
		free(got_t);
		free(want);
		free(want_t);
	}
	OK(text, "%s: the text of every segment is kept, in order", name);
	OK(spans, "%s: every piece inside its segment's span", name);
	INT_EQ(k, tandem_doc_count(d), "all cues accounted for");
	/* The input's own overlaps (cues that start together) stay. */
	counts ic = {0};
	tandem_check_opts io;
	tandem_check_opts_init(&io);
	io.rules = r;
	io.diag = count_diag;
	io.diag_user = &ic;
	tandem_check_summary is;
	tandem_check_run(in, &io, &is);
	/* The checker on the fitted document. */
	counts cc = {0};
	tandem_check_opts co;
	tandem_check_opts_init(&co);
	co.rules = r;
	co.diag = count_diag;
	co.diag_user = &cc;
	tandem_check_summary cs;
	tandem_check_run(d, &co, &cs);
	OK(cc.layout <= max_layout && cc.layout <= fc.fit_overfull * 2 + max_layout,
	   "%s: %zu line-length/too-many-lines findings (fit-overfull: %zu)", name, cc.layout,
	   fc.fit_overfull);
	OK(cc.overlap <= ic.overlap, "%s: %zu overlaps (input %zu)", name, cc.overlap, ic.overlap);
	OK(cc.gap <= ic.overlap, "%s: %zu min-gap findings", name, cc.gap);
	INT_EQ(cc.too_long, 0, "too-long");
	fprintf(stderr, "%s: %zu segments -> %zu cues; too-short %zu, layout %zu\n", name,
	        s.segments, s.cues, cc.too_short, cc.layout);
	tandem_check_rules_free(r);
	tandem_doc_free(d);
}

static void test_cuts(void)
{
	tandem__cutter *c = tandem__cutter_new();
	OK(c != NULL, "ICU opens");
	static const struct {
		const char *text;
		bool cjk;
		const char *never_before;  /* no piece may start with this */
	} cases[] = {
		{"Mythos的发布是一个非常有意思的时刻,我们都很期待。", true, "\xe7\x9a\x84"},
		{"当然可以在这里应用这个。我们走吧。", true, "\xe7\x84\xb6"},
		{"他们说了很多，我们听了吗？好的。", true, "\xef\xbc\x8c"},
		{"It's a key part of what you do. It's a key part of what these companies are doing.",
		 false, "'s"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		size_t n;
		tandem__cut *v = tandem__cut_candidates(c, cases[k].text, strlen(cases[k].text),
		                                        cases[k].cjk, &n);
		OK(n >= 3, "case %zu: %zu candidates", k, n);
		bool ok = true;
		for (size_t i = 1; i + 1 < n; i++)
			if (!strncmp(cases[k].text + v[i].off, cases[k].never_before,
			             strlen(cases[k].never_before)))
				ok = false;
		OK(ok, "case %zu: never a cut before '%s'", k, cases[k].never_before);
		free(v);
	}
	/* The split repair: 当然可以在这里应用这个。 over two segments never splits 当然. */
	const char *m = "当然可以在这里应用这个。我们走吧。";
	size_t off[1];
	double sh[2] = {0.7, 0.3};
	double q = tandem__cut_split(c, m, strlen(m), true, sh, 2, off);
	OK(q > 0.5, "split quality %.2f", q);
	STR_EQ(m + off[0], "我们走吧。", "split at the sentence end");
	/* Lines: balanced, no Chinese line starting with closing punctuation. */
	tandem__layout lay = {16, 0, 2, 9};
	const char *z = "这是你工作的关键部分,也是这些公司正在做的关键部分。";
	size_t nl;
	char *b = tandem__break_lines(c, z, strlen(z), true, &lay, &nl);
	INT_EQ(nl, 2, "two lines");
	const char *nlp = strchr(b, '\n');
	OK(nlp && strncmp(nlp + 1, ",", 1) && strncmp(nlp + 1, "\xe7\x9a\x84", 3), "break: %s", b);
	free(b);
	tandem__cutter_free(c);
}

static void count_pairing(const tandem_diag *d, void *user)
{
	if (!strcmp(d->rule, "fit-pairing"))
		++*(size_t *)user;
}

/*
 * A translation far shorter than the document's usual (it covers the first
 * sentence only): no pairing of word cuts is trusted.  The segment is cut
 * only where both sides end a sentence or clause -- here nowhere, so it
 * stays one cue with all its text -- and a fit-pairing warning says so;
 * the well-translated segments around it are cut as usual.
 */
static void test_untrusted_pairing(void)
{
	static const char *good[][2] = {
		{"We talked about the model for a long time, and then we looked at what it does "
		 "with the code that people write every day.",
		 "我们谈了很久这个模型，然后看了看它如何处理人们每天写的代码。"},
		{"The second part of the talk is about tools, and about how the teams that build "
		 "them decide what comes first.",
		 "演讲的第二部分是关于工具的，以及构建工具的团队如何决定先做什么。"},
	};
	const char *en = "We went there early in the morning because the shop opened at six. It "
	                 "was good, and the bread was still warm. Then we left for the station and "
	                 "waited for the train.";
	const char *zh = "我们一大早就去了。";
	tandem_doc *d = tandem_doc_new();
	for (int k = 0; k < 6; k++)
		tandem_doc_add(d, k * 20000, k * 20000 + 9000, good[k % 2][0], good[k % 2][1]);
	tandem_doc_add(d, 200000, 212000, en, zh);
	tandem_check_rules *r = tandem_check_rules_new("netflix");
	tandem_fit_opts o;
	tandem_fit_opts_init(&o);
	o.rules = r;
	size_t warned = 0;
	o.diag = count_pairing;
	o.diag_user = &warned;
	tandem_fit_summary s;
	INT_EQ(tandem_fit_run(d, &o, &s), 0, "fit runs");
	INT_EQ(warned, 1, "one fit-pairing warning");
	INT_EQ(s.poor, 1, "one poorly paired piece");
	size_t n = tandem_doc_count(d), last = 0, found = 0;
	for (size_t i = 0; i < n; i++) {
		const char *t = tandem_seg_translation(d, i);
		if (t && strstr(t, "\xe4\xb8\x80\xe5\xa4\xa7\xe6\x97\xa9")) {   /* 一大早 */
			found++;
			last = i;
		}
	}
	INT_EQ(found, 1, "the short translation is in one cue");
	char *a = squeeze(tandem_seg_text(d, last)), *b = squeeze(en);
	STR_EQ(a, b, "with all of its source");
	free(a);
	free(b);
	OK(n > 7, "the good segments are cut: %zu cues", n);
	tandem_check_rules_free(r);
	tandem_doc_free(d);
}

static tandem_doc *read(const char *path)
{
	tandem_doc *d = NULL;
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	tandem_doc_read_file(&d, path, &ro);
	return d;
}

int main(void)
{
	test_cuts();
	test_untrusted_pairing();
	tandem_doc *pod = read(TANDEM_SOURCE_DIR "/fixtures/seeds/003_a154d282383bb464.txt");
	OK(pod != NULL, "podcast read");
	if (pod) {
		check_fit(pod, "podcast untimed", 40);
		INT_EQ(tandem_retime_estimate(pod, NULL), 0, "estimate");
		int64_t end = tandem_seg_end(pod, tandem_doc_count(pod) - 1);
		OK(end > 81 * 60000 && end <= 82 * 60000 + 1000, "spans the claimed 82 min: %lld",
		   (long long)end);
		check_fit(pod, "podcast estimated", 40);
		tandem_doc_free(pod);
	}
	const char *dirs[] = {"/fixtures/bilingual", "/fixtures/srt", "/fixtures/vtt", "/fixtures/demo"};
	for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
		char dir[1024];
		snprintf(dir, sizeof dir, "%s%s", TANDEM_SOURCE_DIR, dirs[k]);
		DIR *dp = opendir(dir);
		if (!dp)
			continue;
		struct dirent *e;
		while ((e = readdir(dp))) {
			const char *dot = strrchr(e->d_name, '.');
			if (!dot || (strcmp(dot, ".srt") && strcmp(dot, ".vtt")))
				continue;
			char path[2048];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			tandem_doc *d = read(path);
			if (!d)
				continue;
			check_fit(d, path, 40);
			tandem_doc_free(d);
		}
		closedir(dp);
	}
	return harness_done();
}
