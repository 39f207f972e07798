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
	"      --band N           initial search band half-width (default 8)\n"
	"      --encoding NAME    decode inputs from NAME (iconv name) instead of detecting\n"
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

static int read_doc(const char *path, const char *format, const char *encoding, int strict,
                    cli_diag *diag, tandem_doc **out)
{
	tandem_read_opts ro;
	cli_read_opts(&ro, format, encoding, strict, diag);
	int rc = tandem_doc_read_file(out, path, &ro);
	if (rc == TANDEM_EEMPTY)
		cli_err("%s: no segments to align", path);
	else if (rc && !diag->errors)
		cli_err("%s: %s", path, tandem_strerror(rc));
	return rc;
}

int cmd_align(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"to", required_argument, NULL, 't'},
		{"from", required_argument, NULL, 'f'},
		{"translation-from", required_argument, NULL, 'F'},
		{"report", required_argument, NULL, OPT_REPORT},
		{"merge", no_argument, NULL, OPT_MERGE},
		{"lexicon", required_argument, NULL, OPT_LEXICON},
		{"no-times", no_argument, NULL, OPT_NO_TIMES},
		{"band", required_argument, NULL, OPT_BAND},
		{"encoding", required_argument, NULL, 'E'},
		{"strict", no_argument, NULL, 'S'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		CLI_WRITE_LONGOPTS,
		CLI_FIT_LONGOPTS,
		CLI_FIT_AUDIO_LONGOPT,
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL, *to = NULL, *from = NULL, *trfrom = NULL, *report = NULL;
	const char *lexpath = NULL, *encoding = NULL;
	int merge = 0, strict = 0;
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	tandem_align_opts ao;
	tandem_align_opts_init(&ao);
	cli_diag diag;
	cli_diag_init(&diag);
	cli_fit fit = {0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:t:f:F:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 't': to = optarg; break;
		case 'f': from = optarg; break;
		case 'F': trfrom = optarg; break;
		case OPT_REPORT: report = optarg; break;
		case OPT_MERGE: merge = 1; break;
		case OPT_LEXICON: lexpath = optarg; break;
		case OPT_NO_TIMES: ao.no_times = 1; break;
		case OPT_BAND: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 100000)
				return cli_usage("align", "--band takes a number from 1 to 100000");
			ao.band = (size_t)v;
			break;
		}
		case 'E': encoding = optarg; break;
		case 'S': strict = 1; break;
		case 'q': diag.quiet = true; break;
		case 'h': printf(help, cli_fit_help, cli_fit_audio_help, cli_write_help); return EXIT_OK;
		default: {
			int k = cli_fit_option("align", c, optarg, &fit);
			if (k == 0)
				k = cli_write_option("align", c, optarg, &wo);
			if (k == 1)
				break;
			if (k == 0)
				cli_usage("align", "unknown option");
			return EXIT_USAGE;
		}
		}
	}
	if (argc - optind != 2)
		return cli_usage("align", "give SOURCE and TRANSLATION");
	const char *spath = argv[optind], *tpath = argv[optind + 1];
	if (from && !tandem_format_can_read(from))
		return cli_usage("align", "cannot read format '%s'", from);
	if (trfrom && !tandem_format_can_read(trfrom))
		return cli_usage("align", "cannot read format '%s'", trfrom);
	if (strcmp(spath, "-") == 0 && strcmp(tpath, "-") == 0)
		return cli_usage("align", "only one input can be stdin");
	const char *format = NULL;
	if (out) {
		format = cli_output_format("align", to, out);
		if (!format)
			return EXIT_USAGE;
	}
	const char *inputs[3] = {spath, tpath, lexpath};
	if (report) {
		for (size_t k = 0; k < 3; k++)
			if (inputs[k] && tandem_same_file(report, inputs[k])) {
				cli_err("%s: refusing to overwrite the input %s", report, inputs[k]);
				return EXIT_USAGE;
			}
		if (out && strcmp(out, "-") && strcmp(report, out) == 0)
			return cli_usage("align", "--report and -o name the same file");
	}

	tandem_doc *src = NULL, *tr = NULL, *res = NULL;
	tandem_lexicon *lex = NULL;
	tandem_alignment *al = NULL;
	int ret = EXIT_USAGE, rc;
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
	if (read_doc(spath, from, encoding, strict, &diag, &src))
		goto done;
	if (read_doc(tpath, trfrom, encoding, strict, &diag, &tr))
		goto done;
	if (lexpath) {
		if (tandem_lexicon_load(&lex, lexpath, cli_diag_fn, &diag))
			goto done;
		ao.lexicon = lex;
	}
	ao.diag = cli_diag_fn;
	ao.diag_user = &diag;
	ao.source_name = spath;
	ao.translation_name = tpath;
	rc = tandem_align_run(src, tr, &ao, &al);
	if (rc) {
		if (!diag.errors)
			cli_err("align: %s", tandem_strerror(rc));
		goto done;
	}
	if (out) {
		if ((rc = tandem_alignment_apply(al, src, tr, merge, &res))) {
			cli_err("align: %s", tandem_strerror(rc));
			goto done;
		}
		wo.diag = cli_diag_fn;
		wo.diag_user = &diag;
		wo.filename = out;
		if (cli_fit_apply(&fit, res, NULL, spath, &diag))
			goto done;
		if (cli_write_doc(res, format, &wo, out, inputs, lexpath ? 3 : 2))
			goto done;
	}
	if (report) {
		size_t len;
		char *json = tandem_alignment_report_json(al, &len);
		rc = tandem_write_atomic(report, json, len);
		free(json);
		if (rc) {
			cli_err("%s: cannot write the report", report);
			goto done;
		}
	}
	if (!diag.quiet)
		summary(al, src, spath, tr, tpath);
	ret = tandem_alignment_translated(al) == tandem_doc_count(src) &&
	      tandem_alignment_related(al) ? EXIT_OK : EXIT_FINDINGS;
done:
	tandem_alignment_free(al);
	tandem_lexicon_free(lex);
	tandem_doc_free(res);
	tandem_doc_free(src);
	tandem_doc_free(tr);
	return ret;
}
