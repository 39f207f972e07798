/*
 * cmd_retime.c - `tandem retime`: give an untimed document (transcript,
 * lines, post, JSON) times from the speech in a recording.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: tandem retime [OPTIONS] IN --audio MEDIA -o OUT\n"
	"       tandem retime [OPTIONS] IN --estimate [--rate N] -o OUT\n"
	"       tandem retime [OPTIONS] -t FORMAT -d OUTDIR --files-from PAIRS\n"
	"\n"
	"Give the segments of IN times from the speech in MEDIA (any audio or video\n"
	"file FFmpeg reads).  The text is spread over the detected speech by its\n"
	"spoken length; segment boundaries fall on pauses where the text and the\n"
	"pauses agree, and inside speech where they do not.  A bilingual input\n"
	"gives bilingual subtitles.  Each segment gets a confidence (0..1); those\n"
	"below 0.5 are listed as warnings.\n"
	"\n"
	"Options:\n"
	"  -a, --audio MEDIA      the recording (required)\n"
	"  -f, --from FORMAT      input format (default: from extension or content)\n"
	"  -t, --to FORMAT        output format (default: from OUT's extension)\n"
	"  -o, --output OUT       output file ('-' for stdout)\n"
	"  -d, --outdir DIR       batch mode: each IN's output under DIR (needs -t);\n"
	"                         --files-from lines are IN<TAB>MEDIA\n"
	"      --spoken SIDE      which side the recording speaks: source (default)\n"
	"                         or translation\n"
	"      --min-pause MS     shortest pause that can separate segments (10 to 10000,\n"
	"                         default 100)\n"
	"      --report FILE      write per-segment times and confidence as JSON\n"
	"      --encoding NAME    decode IN from NAME (iconv name) instead of detecting\n"
	CLI_MAX_INPUT_HELP
	"      --strict           treat oddities in the input as errors\n"
	"  -q, --quiet            print errors only\n"
	"  -h, --help             show this help\n"
	"%s"
	"\n"
	"%s\n"
	"%s"
	"\n"
	"%s"
	"\n"
	"Exit status: 0 retimed, 2 bad usage, unreadable input or media, or no\n"
	"speech found.\n";

enum { OPT_SPOKEN = OPT_CLI_FIRST_FREE, OPT_MIN_PAUSE, OPT_REPORT };

typedef struct retime_args {
	tandem_retime_opts o;
	const char *report;
	const char *outdir;     /* -d: a batch */
} retime_args;

static int retime_option(void *user, int code, const char *arg)
{
	retime_args *a = user;
	switch (code) {
	case OPT_SPOKEN:
		if (strcmp(arg, "source") == 0)
			a->o.spoken_translation = 0;
		else if (strcmp(arg, "translation") == 0)
			a->o.spoken_translation = 1;
		else
			return cli_usage("retime", "--spoken takes source or translation"), -1;
		return 1;
	case OPT_MIN_PAUSE: {
		char *end;
		long v = strtol(arg, &end, 10);
		if (*end || v < 10 || v > 10000)
			return cli_usage("retime", "--min-pause takes milliseconds, 10 to 10000"), -1;
		a->o.vad.min_pause_ms = (int)v;
		return 1;
	}
	case OPT_REPORT: a->report = arg; return 1;
	case 'd': a->outdir = arg; return 1;
	default: return 0;
	}
}

static const struct option longopts[] = {
	CLI_OPT_AUDIO,
	CLI_OPT_FROM,
	CLI_OPT_TO,
	CLI_OPT_OUTPUT,
	{"outdir", required_argument, NULL, 'd'},
	{"spoken", required_argument, NULL, OPT_SPOKEN},
	{"min-pause", required_argument, NULL, OPT_MIN_PAUSE},
	{"report", required_argument, NULL, OPT_REPORT},
	CLI_OPTS_READ_WRITE,
	CLI_ESTIMATE_LONGOPTS,
	CLI_BATCH_LONGOPTS,
	CLI_OPT_END,
};

static const cli_spec spec = {
	"retime", "a:f:t:o:d:0qh", longopts, help,
	{cli_estimate_help, cli_fit_help, cli_write_help, cli_batch_help}, retime_option,
};

/* The report, built in memory and written whole, as outputs are. */
static int write_report(const char *path, const tandem_doc *doc, const double *conf)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	if (!fp)
		abort();
	fputs("{\"segments\": [", fp);
	for (size_t i = 0; i < tandem_doc_count(doc); i++) {
		fprintf(fp, "%s\n  {\"index\": %zu, \"start\": ", i ? "," : "", i + 1);
		json_ms(fp, tandem_seg_start(doc, i));
		fputs(", \"end\": ", fp);
		json_ms(fp, tandem_seg_end(doc, i));
		fprintf(fp, ", \"confidence\": %.3f}", conf[i]);
	}
	fputs("\n]}\n", fp);
	int rc = fclose(fp) ? TANDEM_EIO : tandem_write_atomic(path, text, len);
	free(text);
	if (rc) {
		cli_err("%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The uncertain segments (the first 20) as warnings, then the summary. */
static void say_confidence(const tandem_doc *doc, const char *in, const double *conf)
{
	size_t n = tandem_doc_count(doc), low = 0;
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += conf[i];
		if (!(conf[i] < 0.5) || ++low > 20)
			continue;
		char a[32], b[32];
		cli_fmt_time(a, sizeof a, tandem_seg_start(doc, i));
		cli_fmt_time(b, sizeof b, tandem_seg_end(doc, i));
		fprintf(stderr,
		        "%s:%zu: warning: segment %zu (%s --> %s) is uncertain, "
		        "confidence %.2f [retime-confidence]\n",
		        in, tandem_seg_line(doc, i), i + 1, a, b, conf[i]);
	}
	fprintf(stderr, "retimed %zu segments; mean confidence %.2f, %zu below 0.5\n", n,
	        n ? sum / (double)n : 0.0, low);
}

/* Time doc from the recording (-a), then say how sure; a TANDEM_E* status. */
static int retime_doc(cli_opts *c, retime_args *a, tandem_doc *doc, const char *in,
                      double *conf)
{
	a->o.diag = cli_diag_fn;
	a->o.diag_user = &c->diag;
	a->o.filename = c->audio;
	int rc = tandem_retime_run(doc, c->audio, &a->o, conf);
	if (rc) {
		if (!c->diag.errors)
			cli_err("%s: %s", c->audio, tandem_strerror(rc));
		return rc;
	}
	if (!c->diag.quiet)
		say_confidence(doc, in, conf);
	if (a->report && write_report(a->report, doc, conf))
		return TANDEM_EIO;
	return 0;
}

/* Read IN, time it and write -o OUT; the exit status. */
static int retime_file(void *user, cli_opts *c, const char *in)
{
	retime_args *a = user;
	const char *audio = c->audio;
	if (!audio && !c->fit.estimate) {
		cli_err("%s: no recording (a second column, --audio MEDIA or --estimate)", in);
		return EXIT_USAGE;
	}
	tandem_doc *doc = cli_open(c, in, c->from);
	if (!doc)
		return EXIT_USAGE;
	cli_item_doc(c->batch.item, doc);
	size_t n = tandem_doc_count(doc);
	double *conf = calloc(n ? n : 1, sizeof *conf);
	if (!conf)
		abort();
	int rc = c->fit.estimate ? cli_fit_estimate(&c->fit, doc, in, &c->diag)
	                         : retime_doc(c, a, doc, in, conf);
	if (!rc) {
		const char *inputs[2] = {in, audio};
		rc = cli_save(c, doc, audio, in, inputs, audio ? 2 : 1);
	}
	free(conf);
	tandem_doc_free(doc);
	return rc ? EXIT_USAGE : EXIT_OK;
}

int cmd_retime(int argc, char **argv)
{
	retime_args a = {.report = NULL};
	tandem_retime_opts_init(&a.o);
	cli_opts c;
	int st = cli_parse(&spec, &c, &a, argc, argv);
	if (st != CLI_GO)
		return st;
	if (c.audio && c.fit.estimate)
		return cli_usage("retime", "--estimate and --audio do not go together");
	if (a.outdir && a.report)
		return cli_usage("retime", "--report and -d do not go together");
	if (a.outdir)
		return cli_batch_pairs(&c, a.outdir, argc, argv, retime_file, &a);
	if (cli_batch_on(&c.batch))
		return cli_usage("retime", "--files-from, --jsonl, --resume and --shard need -d OUTDIR");
	const char *in = cli_one_input(&c, argc, argv);
	if (!in)
		return EXIT_USAGE;
	if (!c.audio && !c.fit.estimate)
		return cli_usage("retime", "no recording given (--audio MEDIA, or --estimate)");
	if (cli_formats(&c, true) || (a.report && cli_refuse_inputs(a.report, &in, 1)))
		return EXIT_USAGE;
	return retime_file(&a, &c, in);
}
