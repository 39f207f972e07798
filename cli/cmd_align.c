/*
 * cmd_align.c - `tandem align SOURCE TRANSLATION`: pair a segment list with
 * its translation, repair merged, split, missing and extra lines, write the
 * bilingual result and report the coverage.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static const char help[] =
	"usage: tandem align [OPTIONS] SOURCE TRANSLATION [-o OUT] [--report REPORT.json]\n"
	"\n"
	"Pair each segment of SOURCE (any readable format, timed or not) with its\n"
	"translation in TRANSLATION (any readable format, segmented differently, timed\n"
	"or not).  Merged, split, missing and extra translation lines are repaired:\n"
	"the output has SOURCE's segments and timings, each with its translation.\n"
	"A summary of the coverage goes to stderr; without -o only the check is done.\n"
	"\n"
	"Options:\n"
	"  -o, --output OUT       write the bilingual result ('-' for stdout)\n"
	"  -t, --to FORMAT        output format (default: from OUT's extension)\n"
	"  -f, --from FORMAT      format of SOURCE (default: from extension or content)\n"
	"  -F, --translation-from FORMAT  format of TRANSLATION\n"
	"      --report FILE      write the links and coverage as JSON\n"
	"      --merge            merge source segments that share one translation line\n"
	"                         (default: cut the line at the best punctuation)\n"
	"      --lexicon FILE     word pairs ('中文 @ english' lines or CC-CEDICT)\n"
	"      --no-times         ignore timings when aligning\n"
	"      --band N           initial search band half-width (1 to 100000, default 8)\n"
	"      --encoding NAME    decode inputs from NAME (iconv name) instead of detecting\n"
	CLI_MAX_INPUT_HELP
	"      --strict           treat oddities in the inputs as errors\n"
	"  -q, --quiet            print errors only (no summary)\n"
	"  -h, --help             show this help\n"
	"\n"
	"%s%s\n"
	"%s"
	"\n"
	"Exit status: 0 every source segment has a translation, 1 coverage is\n"
	"incomplete (or the translation does not match the source), 2 bad usage or\n"
	"unreadable input.\n";

enum { OPT_REPORT = OPT_CLI_FIRST_FREE, OPT_MERGE, OPT_LEXICON, OPT_NO_TIMES, OPT_BAND };

#define LIST_MAX 20

static void where(const tandem_doc *d, const char *name, size_t i, char *buf, size_t n)
{
	size_t line = tandem_seg_line(d, i);
	if (line)
		snprintf(buf, n, "%s:%zu", name, line);
	else
		snprintf(buf, n, "%s: segment %zu", name, i + 1);
}

/* A short excerpt of a segment for the summary. */
static void excerpt(const char *s, char *buf, size_t n)
{
	size_t k = 0, chars = 0;
	for (const char *p = s; *p && k + 5 < n; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c & 0xC0) != 0x80 && ++chars > 60) {
			memcpy(buf + k, "...", 3);
			k += 3;
			break;
		}
		buf[k++] = c == '\n' ? ' ' : (char)c;
	}
	buf[k] = '\0';
}

static const char *tr_text(const tandem_doc *t, size_t j)
{
	/* the text the aligner used: a bilingual translation's translation side */
	size_t n = tandem_doc_count(t), k = 0;
	for (size_t i = 0; i < n; i++)
		k += tandem_seg_translation(t, i) != NULL;
	const char *tr = k * 2 > n ? tandem_seg_translation(t, j) : NULL;
	return tr ? tr : tandem_seg_text(t, j);
}

static void summary(const tandem_alignment *a, const tandem_doc *src, const char *sname,
                    const tandem_doc *tr, const char *tname)
{
	size_t n = tandem_alignment_source_count(a), m = tandem_alignment_translation_count(a);
	size_t done = tandem_alignment_translated(a), nl = tandem_alignment_count(a);
	size_t untr = 0, unused = 0, doubt = 0;
	for (size_t k = 0; k < nl; k++) {
		size_t s, ns, t, nt;
		tandem_alignment_link(a, k, &s, &ns, &t, &nt);
		untr += !nt ? ns : 0;
		unused += !ns ? nt : 0;
		doubt += ns && nt && tandem_alignment_low_confidence(a, k);
	}
	cli_lock();
	fprintf(stderr, "align: %zu of %zu source segments translated (%.1f%%) from %zu translation lines",
	        done, n, n ? 100.0 * (double)done / (double)n : 0.0, m);
	fprintf(stderr, "; %zu untranslated, %zu translation lines unused, %zu doubtful links\n", untr,
	        unused, doubt);
	char w[1024], ex[512], ex2[512];
	size_t shown = 0;
	for (size_t k = 0; k < nl && untr; k++) {
		size_t s, ns, t, nt;
		tandem_alignment_link(a, k, &s, &ns, &t, &nt);
		if (nt)
			continue;
		if (shown++ == LIST_MAX) {
			fprintf(stderr, "  ... and %zu more untranslated\n", untr - LIST_MAX);
			break;
		}
		where(src, sname, s, w, sizeof w);
		excerpt(tandem_seg_text(src, s), ex, sizeof ex);
		fprintf(stderr, "%s: untranslated: %s\n", w, ex);
	}
	shown = 0;
	for (size_t k = 0; k < nl && unused; k++) {
		size_t s, ns, t, nt;
		tandem_alignment_link(a, k, &s, &ns, &t, &nt);
		if (ns)
			continue;
		if (shown++ == LIST_MAX) {
			fprintf(stderr, "  ... and %zu more unused\n", unused - LIST_MAX);
			break;
		}
		where(tr, tname, t, w, sizeof w);
		excerpt(tr_text(tr, t), ex, sizeof ex);
		fprintf(stderr, "%s: unused translation: %s\n", w, ex);
	}
	shown = 0;
	for (size_t k = 0; k < nl && doubt; k++) {
		size_t s, ns, t, nt;
		tandem_alignment_link(a, k, &s, &ns, &t, &nt);
		if (!ns || !nt || !tandem_alignment_low_confidence(a, k))
			continue;
		if (shown++ == LIST_MAX) {
			fprintf(stderr, "  ... and %zu more doubtful\n", doubt - LIST_MAX);
			break;
		}
		where(src, sname, s, w, sizeof w);
		excerpt(tandem_seg_text(src, s), ex, sizeof ex);
		excerpt(tr_text(tr, t), ex2, sizeof ex2);
		fprintf(stderr, "%s: doubtful link (score %.2f, %zu-%zu): %s <-> %s\n", w,
		        tandem_alignment_score(a, k), ns, nt, ex, ex2);
	}
	cli_unlock();
}

typedef struct align_args {
	tandem_align_opts ao;
	const char *trfrom, *report, *lexicon;
	int merge;
} align_args;

static int align_option(void *user, int code, const char *arg)
{
	align_args *a = user;
	switch (code) {
	case 'F': a->trfrom = arg; return 1;
	case OPT_REPORT: a->report = arg; return 1;
	case OPT_MERGE: a->merge = 1; return 1;
	case OPT_LEXICON: a->lexicon = arg; cli_reads(arg); return 1;
	case OPT_NO_TIMES: a->ao.no_times = 1; return 1;
	case OPT_BAND: {
		char *end;
		long v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 100000)
			return cli_usage("align", "--band takes a number from 1 to 100000"), -1;
		a->ao.band = (size_t)v;
		return 1;
	}
	default: return 0;
	}
}

static const struct option longopts[] = {
	CLI_OPT_OUTPUT,
	CLI_OPT_TO,
	CLI_OPT_FROM,
	{"translation-from", required_argument, NULL, 'F'},
	{"report", required_argument, NULL, OPT_REPORT},
	{"merge", no_argument, NULL, OPT_MERGE},
	{"lexicon", required_argument, NULL, OPT_LEXICON},
	{"no-times", no_argument, NULL, OPT_NO_TIMES},
	{"band", required_argument, NULL, OPT_BAND},
	CLI_OPTS_READ_WRITE,
	CLI_FIT_AUDIO_LONGOPT,
	CLI_OPT_END,
};

static const cli_spec spec = {
	"align", "o:t:f:F:qh", longopts, help,
	{cli_fit_help, cli_fit_audio_help, cli_write_help}, align_option,
};

/* The inputs and outputs make sense together: 0, else EXIT_USAGE (printed). */
static int check_paths(cli_opts *c, const align_args *a, const char *const inputs[3])
{
	if (cli_readable(c, c->from) || cli_readable(c, a->trfrom))
		return EXIT_USAGE;
	if (strcmp(inputs[0], "-") == 0 && strcmp(inputs[1], "-") == 0)
		return cli_usage("align", "only one input can be stdin");
	if (cli_formats(c, false))
		return EXIT_USAGE;
	if (!a->report)
		return 0;
	if (cli_refuse_inputs(a->report, inputs, 3))
		return EXIT_USAGE;
	if (c->out && strcmp(c->out, "-") && strcmp(a->report, c->out) == 0)
		return cli_usage("align", "--report and -o name the same file");
	return 0;
}

static int read_doc(cli_opts *c, const char *path, const char *format, tandem_doc **out)
{
	tandem_read_opts ro;
	cli_opts_read(c, &ro, format);
	int rc = tandem_doc_read_file(out, path, &ro);
	if (rc == TANDEM_EEMPTY)
		cli_err("%s: no segments to align", path);
	else if (rc && !c->diag.errors)
		cli_err("%s: %s", path, tandem_strerror(rc));
	return rc;
}

/* Keep the aligner's big scratch arrays on the heap, reused across passes. */
static void tune_malloc(void)
{
#ifdef __GLIBC__
	/*
	 * The aligner's passes free and allocate arrays of a few hundred KB
	 * (bands, link caches, training scratch).  glibc maps each from the
	 * kernel and unmaps it on free, so every pass faults in fresh zeroed
	 * pages; from the heap, kept, they are reused: ~150 fewer page faults
	 * on the 566-segment demo.  The process ends after one alignment.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

/* Apply the alignment and write it (-o), then the report; 0, else -1 (printed). */
static int write_outputs(cli_opts *c, const align_args *a, const tandem_alignment *al,
                         const tandem_doc *src, const tandem_doc *tr,
                         const char *const inputs[3])
{
	int rc;
	if (c->out) {
		tandem_doc *res = NULL;
		if ((rc = tandem_alignment_apply(al, src, tr, a->merge, &res))) {
			cli_err("align: %s", tandem_strerror(rc));
			return -1;
		}
		rc = cli_save(c, res, NULL, inputs[0], inputs, a->lexicon ? 3 : 2);
		tandem_doc_free(res);
		if (rc)
			return -1;
	}
	if (a->report) {
		size_t len;
		char *json = tandem_alignment_report_json(al, &len);
		rc = tandem_write_atomic(a->report, json, len);
		free(json);
		if (rc) {
			cli_err("%s: cannot write the report", a->report);
			return -1;
		}
	}
	return 0;
}

int cmd_align(int argc, char **argv)
{
	align_args a = {.trfrom = NULL};
	tandem_align_opts_init(&a.ao);
	cli_opts c;
	int st = cli_parse(&spec, &c, &a, argc, argv);
	if (st != CLI_GO)
		return st;
	if (argc - optind != 2)
		return cli_usage("align", "give SOURCE and TRANSLATION");
	const char *spath = argv[optind], *tpath = argv[optind + 1];
	const char *inputs[3] = {spath, tpath, a.lexicon};
	if (check_paths(&c, &a, inputs))
		return EXIT_USAGE;

	tandem_doc *src = NULL, *tr = NULL;
	tandem_lexicon *lex = NULL;
	tandem_alignment *al = NULL;
	int ret = EXIT_USAGE, rc;
	tune_malloc();
	if (read_doc(&c, spath, c.from, &src) || read_doc(&c, tpath, a.trfrom, &tr))
		goto done;
	if (a.lexicon) {
		if (tandem_lexicon_load(&lex, a.lexicon, cli_diag_fn, &c.diag))
			goto done;
		a.ao.lexicon = lex;
	}
	a.ao.diag = cli_diag_fn;
	a.ao.diag_user = &c.diag;
	a.ao.source_name = spath;
	a.ao.translation_name = tpath;
	rc = tandem_align_run(src, tr, &a.ao, &al);
	if (rc) {
		if (!c.diag.errors)
			cli_err("align: %s", tandem_strerror(rc));
		goto done;
	}
	if (write_outputs(&c, &a, al, src, tr, inputs))
		goto done;
	if (!c.diag.quiet)
		summary(al, src, spath, tr, tpath);
	ret = tandem_alignment_translated(al) == tandem_doc_count(src) &&
	      tandem_alignment_related(al) ? EXIT_OK : EXIT_FINDINGS;
done:
	tandem_alignment_free(al);
	tandem_lexicon_free(lex);
	tandem_doc_free(src);
	tandem_doc_free(tr);
	return ret;
}
