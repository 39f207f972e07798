/*
 * cmd_sync.c - `tandem sync`: move subtitles that drift onto a recording's
 * speech (or onto a correctly timed subtitle file).
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: tandem sync [OPTIONS] IN --audio MEDIA -o OUT\n"
	"       tandem sync [OPTIONS] IN --reference OTHER -o OUT\n"
	"\n"
	"Find the offset (and frame-rate ratio) that puts the cues of IN on the\n"
	"speech in MEDIA, or on the cues of OTHER, and write the moved cues to OUT.\n"
	"Ratios tried: 1, 1001/1000, 25/24, 25/23.976 and their inverses.  Prints\n"
	"the offset, ratio and score (the correlation of the moved cues with the\n"
	"speech, -1..1).  When the result is unreliable (poor score, an offset over\n"
	"--max-offset, or a ratio at the edge of the search) nothing is written.\n"
	"\n"
	"Options:\n"
	"  -a, --audio MEDIA      the recording to sync to\n"
	"  -r, --reference OTHER  a correctly timed subtitle file to sync to\n"
	"  -f, --from FORMAT      input format (default: from extension or content)\n"
	"  -t, --to FORMAT        output format (default: from OUT's extension)\n"
	"  -o, --output OUT       output file ('-' for stdout)\n"
	"      --max-offset SEC   refuse offsets larger than this (default 60)\n"
	"      --min-score X      refuse scores below this (default 0.25)\n"
	"      --ratio R          use this ratio (a number or A/B) instead of searching\n"
	"      --splits[=N]       allow up to N offset changes at cuts (default 3)\n"
	"      --split-penalty S  seconds of matching speech a split must win (default 5)\n"
	"      --encoding NAME    decode IN from NAME (iconv name) instead of detecting\n"
	"  -q, --quiet            print errors only\n"
	"  -h, --help             show this help\n"
	"\n"
	"%s\n"
	"%s"
	"\n"
	"Exit status: 0 synced, 1 refused as unreliable (OUT not written),\n"
	"2 bad usage or unreadable input, media or reference.\n";

enum {
	OPT_MAX_OFFSET = OPT_CLI_FIRST_FREE, OPT_MIN_SCORE, OPT_RATIO, OPT_SPLITS,
	OPT_SPLIT_PENALTY, OPT_ENCODING
};

static bool parse_double(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	if (*end == '/') {
		double d = strtod(end + 1, &end);
		if (d == 0)
			return false;
		*v /= d;
	}
	return end != s && *end == '\0' && isfinite(*v);
}

/* "25/24 (PAL from film)" style names for the ratios searched. */
static const char *ratio_name(double r)
{
	static const struct {
		double r;
		const char *name;
	} names[] = {
		{1.0, "1"},
		{1001.0 / 1000, "1001/1000 (NTSC 29.97 -> 30)"},
		{1000.0 / 1001, "1000/1001 (NTSC 30 -> 29.97)"},
		{25.0 / 24, "25/24 (24 -> 25 fps)"},
		{24.0 / 25, "24/25 (25 -> 24 fps)"},
		{25 / 23.976, "25/23.976 (23.976 -> 25 fps)"},
		{23.976 / 25, "23.976/25 (25 -> 23.976 fps)"},
	};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++)
		if (fabs(r - names[k].r) < 1e-9)
			return names[k].name;
	return NULL;
}

static void print_result(FILE *fp, const tandem_sync_result *res)
{
	const char *name = ratio_name(res->ratio);
	fprintf(fp, "offset %+.3f s, ratio ", (double)res->offset_ms / 1000);
	if (name)
		fprintf(fp, "%s", name);
	else
		fprintf(fp, "%.6f", res->ratio);
	fprintf(fp, ", score %.3f", res->score);
	if (res->nsplits)
		fprintf(fp, ", %zu split%s", res->nsplits, res->nsplits == 1 ? "" : "s");
	fputc('\n', fp);
	for (size_t k = 0; k < res->nsplits; k++)
		fprintf(fp, "  from segment %zu: offset %+.3f s\n", res->splits[k].segment + 1,
		        (double)res->splits[k].offset_ms / 1000);
}

int cmd_sync(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"audio", required_argument, NULL, 'a'},
		{"reference", required_argument, NULL, 'r'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"output", required_argument, NULL, 'o'},
		{"max-offset", required_argument, NULL, OPT_MAX_OFFSET},
		{"min-score", required_argument, NULL, OPT_MIN_SCORE},
		{"ratio", required_argument, NULL, OPT_RATIO},
		{"splits", optional_argument, NULL, OPT_SPLITS},
		{"split-penalty", required_argument, NULL, OPT_SPLIT_PENALTY},
		{"encoding", required_argument, NULL, OPT_ENCODING},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		CLI_WRITE_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	tandem_sync_opts o;
	tandem_sync_opts_init(&o);
	cli_diag diag;
	cli_diag_init(&diag);
	const char *audio = NULL, *reference = NULL, *to = NULL, *out = NULL;
	const char *from = NULL, *encoding = NULL;
	int c;
	double v;
	cli_fit fit = {0};
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:r:f:t:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': audio = optarg; break;
		case 'r': reference = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'o': out = optarg; break;
		case 'q': diag.quiet = true; break;
		case 'h': printf(help, cli_fit_help, cli_write_help); return EXIT_OK;
		case OPT_MAX_OFFSET:
			if (!parse_double(optarg, &v) || v <= 0 || v > 86400)
				return cli_usage("sync", "--max-offset takes seconds, more than 0");
			o.max_offset_ms = (int64_t)llround(v * 1000);
			break;
		case OPT_MIN_SCORE:
			if (!parse_double(optarg, &v) || v < -1 || v > 1)
				return cli_usage("sync", "--min-score takes a number from -1 to 1");
			o.min_score = v == 0 ? 1e-9 : v;
			break;
		case OPT_RATIO:
			if (!parse_double(optarg, &v) || v < 0.5 || v > 2)
				return cli_usage("sync", "--ratio takes a number (or A/B) from 0.5 to 2");
			o.ratio = v;
			break;
		case OPT_SPLITS:
			if (!optarg) {
				o.max_splits = 3;
			} else {
				char *end;
				long k = strtol(optarg, &end, 10);
				if (*end || k < 0 || k > TANDEM_SYNC_MAX_SPLITS)
					return cli_usage("sync", "--splits takes a number from 0 to %d",
					                 TANDEM_SYNC_MAX_SPLITS);
				o.max_splits = (int)k;
			}
			break;
		case OPT_SPLIT_PENALTY:
			if (!parse_double(optarg, &v) || v <= 0)
				return cli_usage("sync", "--split-penalty takes seconds, more than 0");
			o.split_penalty = v;
			break;
		case OPT_ENCODING: encoding = optarg; break;
		default: {
			int k = cli_fit_option("sync", c, optarg, &fit);
			if (k == 0)
				k = cli_write_option("sync", c, optarg, &wo);
			if (k == 1)
				break;
			if (k == 0)
				cli_usage("sync", "unknown option");
			return EXIT_USAGE;
		}
		}
	}
	if (argc - optind != 1)
		return cli_usage("sync", argc == optind ? "no input given" : "give one input");
	if (!audio == !reference)
		return cli_usage("sync", "give either --audio MEDIA or --reference OTHER");
	if (!out)
		return cli_usage("sync", "no output given (-o OUT, or -o - for stdout)");
	if (from && !tandem_format_can_read(from))
		return cli_usage("sync", "cannot read format '%s'", from);
	const char *format = cli_output_format("sync", to, out);
	if (!format)
		return EXIT_USAGE;
	const char *in = argv[optind];
	tandem_read_opts ro;
	cli_read_opts(&ro, from, encoding, 0, &diag);
	tandem_doc *doc = cli_read_doc(in, &ro, &diag), *ref = NULL;
	if (!doc)
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	tandem_sync_result res;
	o.diag = cli_diag_fn;
	o.diag_user = &diag;
	int rc;
	if (reference) {
		tandem_read_opts rro;
		cli_read_opts(&rro, NULL, encoding, 0, &diag);
		ref = cli_read_doc(reference, &rro, &diag);
		if (!ref)
			goto done;
		o.filename = reference;
		rc = tandem_sync_reference(doc, ref, &o, &res);
	} else {
		o.filename = audio;
		rc = tandem_sync_run(doc, audio, &o, &res);
	}
	if (rc == TANDEM_EREFUSED) {
		if (!diag.quiet) {
			fprintf(stderr, "best found: ");
			print_result(stderr, &res);
		}
		cli_err("sync refused; %s not written, %s left as it was", out, in);
		status = EXIT_FINDINGS;
		goto done;
	}
	if (rc) {
		if (!diag.errors)
			cli_err("%s: %s", audio ? audio : reference, tandem_strerror(rc));
		goto done;
	}
	if (!diag.quiet)
		print_result(stderr, &res);
	wo.diag = cli_diag_fn;
	wo.diag_user = &diag;
	wo.filename = out;
	if (cli_fit_apply(&fit, doc, audio, in, &diag))
		goto done;
	const char *inputs[2] = {in, audio ? audio : reference};
	status = cli_write_doc(doc, format, &wo, out, inputs, 2) ? EXIT_USAGE : EXIT_OK;
done:
	tandem_doc_free(doc);
	tandem_doc_free(ref);
	return status;
}
