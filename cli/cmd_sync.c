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
	"       tandem sync [OPTIONS] IN --ratio R -o OUT\n"
	"       tandem sync [OPTIONS] -t FORMAT -d OUTDIR --files-from PAIRS\n"
	"\n"
	"Find the offset (and frame-rate ratio) that puts the cues of IN on the\n"
	"speech in MEDIA, or on the cues of OTHER, and write the moved cues to OUT.\n"
	"Ratios tried: 1, 1001/1000, 25/24, 25/23.976 and their inverses.  Prints\n"
	"the offset, ratio and score (the correlation of the moved cues with the\n"
	"speech, -1..1).  When the result is unreliable (poor score, an offset over\n"
	"--max-offset, or a ratio at the edge of the search) nothing is written.\n"
	"With --ratio and neither --audio nor --reference, the times are scaled by\n"
	"R (then moved by --shift, if given) and written: a known ratio needs no\n"
	"recording.\n"
	"\n"
	"Options:\n"
	"  -a, --audio MEDIA      the recording to sync to\n"
	"  -r, --reference OTHER  a correctly timed subtitle file to sync to\n"
	"  -f, --from FORMAT      input format (default: from extension or content)\n"
	"  -t, --to FORMAT        output format (default: from OUT's extension)\n"
	"  -o, --output OUT       output file ('-' for stdout)\n"
	"  -d, --outdir DIR       batch mode: each IN's output under DIR (needs -t);\n"
	"                         --files-from lines are IN<TAB>MEDIA\n"
	"      --max-offset SEC   refuse offsets larger than this (more than 0, at most\n"
	"                         86400; default 60)\n"
	"      --min-score X      refuse scores below this (-1 to 1, default 0.25)\n"
	"      --ratio R          use this ratio (a number or A/B, 0.5 to 2) instead of\n"
	"                         searching; alone: scale the times by R\n"
	"      --splits[=N]       allow up to N offset changes at cuts (0 to 16, default 3)\n"
	"      --split-penalty S  seconds of matching speech a split must win (more than 0,\n"
	"                         at most 3600; default 5)\n"
	"      --encoding NAME    decode IN from NAME (iconv name) instead of detecting\n"
	CLI_MAX_INPUT_HELP
	"  -q, --quiet            print errors only\n"
	"  -h, --help             show this help\n"
	"\n"
	"%s\n"
	"%s"
	"\n"
	"%s"
	"\n"
	"Exit status: 0 synced, 1 refused as unreliable (OUT not written),\n"
	"2 bad usage or unreadable input, media or reference.\n";

enum {
	OPT_MAX_OFFSET = OPT_CLI_FIRST_FREE, OPT_MIN_SCORE, OPT_RATIO, OPT_SPLITS,
	OPT_SPLIT_PENALTY
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

typedef struct sync_args {
	tandem_sync_opts o;
	const char *reference;
	const char *outdir;     /* -d: a batch */
} sync_args;

static int sync_option(void *user, int code, const char *arg)
{
	sync_args *a = user;
	tandem_sync_opts *o = &a->o;
	double v;
	switch (code) {
	case 'r': a->reference = arg; cli_reads(arg); return 1;
	case 'd': a->outdir = arg; return 1;
	case OPT_MAX_OFFSET:
		if (!parse_double(arg, &v) || v <= 0 || v > 86400)
			return cli_usage("sync", "--max-offset takes seconds, more than 0 and at most 86400"),
			       -1;
		o->max_offset_ms = (int64_t)llround(v * 1000);
		return 1;
	case OPT_MIN_SCORE:
		if (!parse_double(arg, &v) || v < -1 || v > 1)
			return cli_usage("sync", "--min-score takes a number from -1 to 1"), -1;
		o->min_score = v == 0 ? 1e-9 : v;
		return 1;
	case OPT_RATIO:
		if (!parse_double(arg, &v) || v < 0.5 || v > 2)
			return cli_usage("sync", "--ratio takes a number (or A/B) from 0.5 to 2"), -1;
		o->ratio = v;
		return 1;
	case OPT_SPLITS: {
		if (!arg) {
			o->max_splits = 3;
			return 1;
		}
		char *end;
		long k = strtol(arg, &end, 10);
		if (*end || k < 0 || k > TANDEM_SYNC_MAX_SPLITS)
			return cli_usage("sync", "--splits takes a number from 0 to %d",
			                 TANDEM_SYNC_MAX_SPLITS), -1;
		o->max_splits = (int)k;
		return 1;
	}
	case OPT_SPLIT_PENALTY:
		if (!parse_double(arg, &v) || v <= 0 || v > 3600)
			return cli_usage("sync", "--split-penalty takes seconds, more than 0 and at most 3600"),
			       -1;
		o->split_penalty = v;
		return 1;
	default: return 0;
	}
}

static const struct option longopts[] = {
	CLI_OPT_AUDIO,
	{"reference", required_argument, NULL, 'r'},
	CLI_OPT_FROM,
	CLI_OPT_TO,
	CLI_OPT_OUTPUT,
	{"outdir", required_argument, NULL, 'd'},
	{"max-offset", required_argument, NULL, OPT_MAX_OFFSET},
	{"min-score", required_argument, NULL, OPT_MIN_SCORE},
	{"ratio", required_argument, NULL, OPT_RATIO},
	{"splits", optional_argument, NULL, OPT_SPLITS},
	{"split-penalty", required_argument, NULL, OPT_SPLIT_PENALTY},
	CLI_OPT_ENCODING,
	CLI_OPT_MAX_INPUT,
	CLI_OPT_QUIET,
	CLI_OPT_HELP,
	CLI_WRITE_LONGOPTS,
	CLI_FIT_LONGOPTS,
	CLI_BATCH_LONGOPTS,
	CLI_OPT_END,
};

static const cli_spec spec = {
	"sync", "a:r:f:t:o:d:0qh", longopts, help,
	{cli_fit_help, cli_write_help, cli_batch_help}, sync_option,
};

/* Sync doc to the reference or the recording; the exit status. */
static int sync_doc(cli_opts *c, sync_args *a, tandem_doc *doc, const char *in)
{
	tandem_sync_result res;
	const char *audio = c->audio;
	tandem_doc *ref = NULL;
	int rc, status = EXIT_USAGE;
	if (!audio && !a->reference) {
		/* --ratio alone: a known ratio, no search. */
		if (tandem_doc_scale(doc, a->o.ratio, 1))
			return EXIT_USAGE;
		if (!c->diag.quiet)
			fprintf(stderr, "ratio %.6f applied, no search\n", a->o.ratio);
		const char *inputs[1] = {in};
		return cli_save(c, doc, NULL, in, inputs, 1) ? EXIT_USAGE : EXIT_OK;
	}
	a->o.diag = cli_diag_fn;
	a->o.diag_user = &c->diag;
	if (a->reference) {
		ref = cli_open(c, a->reference, NULL);
		if (!ref)
			return EXIT_USAGE;
		a->o.filename = a->reference;
		rc = tandem_sync_reference(doc, ref, &a->o, &res);
	} else {
		a->o.filename = audio;
		rc = tandem_sync_run(doc, audio, &a->o, &res);
	}
	if (rc == TANDEM_EREFUSED) {
		if (!c->diag.quiet) {
			fprintf(stderr, "best found: ");
			print_result(stderr, &res);
		}
		cli_err("sync refused; %s not written, %s left as it was", c->out, in);
		status = EXIT_FINDINGS;
	} else if (rc) {
		if (!c->diag.errors)
			cli_err("%s: %s", audio ? audio : a->reference, tandem_strerror(rc));
	} else {
		if (!c->diag.quiet)
			print_result(stderr, &res);
		const char *inputs[2] = {in, audio ? audio : a->reference};
		status = cli_save(c, doc, audio, in, inputs, 2) ? EXIT_USAGE : EXIT_OK;
	}
	tandem_doc_free(ref);
	return status;
}

/* Read IN, sync it and write -o OUT; the exit status. */
static int sync_file(void *user, cli_opts *c, const char *in)
{
	const sync_args *a = user;
	if (!c->audio && !a->reference && a->o.ratio == 0) {
		cli_err("%s: no recording (a second column, or --audio MEDIA)", in);
		return EXIT_USAGE;
	}
	tandem_doc *doc = cli_open(c, in, c->from);
	if (!doc)
		return EXIT_USAGE;
	cli_item_doc(c->batch.item, doc);
	int st = sync_doc(c, user, doc, in);
	tandem_doc_free(doc);
	return st;
}

int cmd_sync(int argc, char **argv)
{
	sync_args a = {.reference = NULL};
	tandem_sync_opts_init(&a.o);
	cli_opts c;
	int st = cli_parse(&spec, &c, &a, argc, argv);
	if (st != CLI_GO)
		return st;
	if (a.outdir && a.reference)
		return cli_usage("sync", "a batch syncs to recordings: --reference and -d do not go together");
	if (a.outdir)
		return cli_batch_pairs(&c, a.outdir, argc, argv, sync_file, &a);
	if (cli_batch_on(&c.batch))
		return cli_usage("sync", "--files-from, --jsonl, --resume and --shard need -d OUTDIR");
	const char *in = cli_one_input(&c, argc, argv);
	if (!in)
		return EXIT_USAGE;
	if (c.audio && a.reference)
		return cli_usage("sync", "give either --audio MEDIA or --reference OTHER");
	if (!c.audio && !a.reference && a.o.ratio == 0)
		return cli_usage("sync", "give either --audio MEDIA or --reference OTHER (or --ratio R alone)");
	if (cli_formats(&c, true))
		return EXIT_USAGE;
	return sync_file(&a, &c, in);
}
