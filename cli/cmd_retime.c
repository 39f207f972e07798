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
	"      --spoken SIDE      which side the recording speaks: source (default)\n"
	"                         or translation\n"
	"      --min-pause MS     shortest pause that can separate segments (default 100)\n"
	"      --report FILE      write per-segment times and confidence as JSON\n"
	"      --encoding NAME    decode IN from NAME (iconv name) instead of detecting\n"
	"      --strict           treat oddities in the input as errors\n"
	"  -q, --quiet            print errors only\n"
	"  -h, --help             show this help\n"
	"%s"
	"\n"
	"%s\n"
	"%s"
	"\n"
	"Exit status: 0 retimed, 2 bad usage, unreadable input or media, or no\n"
	"speech found.\n";

enum { OPT_SPOKEN = OPT_CLI_FIRST_FREE, OPT_MIN_PAUSE, OPT_REPORT, OPT_ENCODING, OPT_STRICT };

static int write_report(const char *path, const tandem_doc *doc, const double *conf)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!fp) {
		cli_err("%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	fputs("{\"segments\": [", fp);
	for (size_t i = 0; i < tandem_doc_count(doc); i++) {
		fprintf(fp, "%s\n  {\"index\": %zu, \"start\": ", i ? "," : "", i + 1);
		json_ms(fp, tandem_seg_start(doc, i));
		fputs(", \"end\": ", fp);
		json_ms(fp, tandem_seg_end(doc, i));
		fprintf(fp, ", \"confidence\": %.3f}", conf[i]);
	}
	fputs("\n]}\n", fp);
	if (fp != stdout && fclose(fp)) {
		cli_err("%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_retime(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"audio", required_argument, NULL, 'a'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"output", required_argument, NULL, 'o'},
		{"spoken", required_argument, NULL, OPT_SPOKEN},
		{"min-pause", required_argument, NULL, OPT_MIN_PAUSE},
		{"report", required_argument, NULL, OPT_REPORT},
		{"encoding", required_argument, NULL, OPT_ENCODING},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		CLI_WRITE_LONGOPTS,
		CLI_FIT_LONGOPTS,
		CLI_ESTIMATE_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	tandem_retime_opts o;
	tandem_retime_opts_init(&o);
	cli_diag diag;
	cli_diag_init(&diag);
	const char *audio = NULL, *to = NULL, *out = NULL, *report = NULL;
	const char *from = NULL, *encoding = NULL;
	int strict = 0, c;
	cli_fit fit = {0};
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:f:t:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': audio = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'o': out = optarg; break;
		case 'q': diag.quiet = true; break;
		case 'h': printf(help, cli_estimate_help, cli_fit_help, cli_write_help); return EXIT_OK;
		case OPT_SPOKEN:
			if (strcmp(optarg, "source") == 0)
				o.spoken_translation = 0;
			else if (strcmp(optarg, "translation") == 0)
				o.spoken_translation = 1;
			else
				return cli_usage("retime", "--spoken takes source or translation");
			break;
		case OPT_MIN_PAUSE: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 10 || v > 10000)
				return cli_usage("retime", "--min-pause takes milliseconds, 10 to 10000");
			o.vad.min_pause_ms = (int)v;
			break;
		}
		case OPT_REPORT: report = optarg; break;
		case OPT_ENCODING: encoding = optarg; break;
		case OPT_STRICT: strict = 1; break;
		default: {
			int k = cli_fit_option("retime", c, optarg, &fit);
			if (k == 0)
				k = cli_write_option("retime", c, optarg, &wo);
			if (k == 1)
				break;
			if (k == 0)
				cli_usage("retime", "unknown option");
			return EXIT_USAGE;
		}
		}
	}
	if (argc - optind != 1)
		return cli_usage("retime", argc == optind ? "no input given" : "give one input");
	if (!audio == !fit.estimate)
		return cli_usage("retime", fit.estimate ? "--estimate and --audio do not go together"
		                                        : "no recording given (--audio MEDIA, or --estimate)");
	if (!out)
		return cli_usage("retime", "no output given (-o OUT, or -o - for stdout)");
	if (from && !tandem_format_can_read(from))
		return cli_usage("retime", "cannot read format '%s'", from);
	const char *format = cli_output_format("retime", to, out);
	if (!format)
		return EXIT_USAGE;
	const char *in = argv[optind];
	tandem_read_opts ro;
	cli_read_opts(&ro, from, encoding, strict, &diag);
	tandem_doc *doc = cli_read_doc(in, &ro, &diag);
	if (!doc)
		return EXIT_USAGE;
	size_t n = tandem_doc_count(doc);
	double *conf = calloc(n ? n : 1, sizeof *conf);
	if (!conf)
		abort();
	o.diag = cli_diag_fn;
	o.diag_user = &diag;
	o.filename = audio;
	int rc;
	if (fit.estimate) {
		if ((rc = cli_fit_estimate(&fit, doc, in, &diag)))
			goto fail;
		goto write;
	}
	rc = tandem_retime_run(doc, audio, &o, conf);
	if (rc) {
		if (!diag.errors)
			cli_err("%s: %s", audio, tandem_strerror(rc));
		goto fail;
	}
	size_t low = 0;
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += conf[i];
		if (conf[i] < 0.5) {
			low++;
			if (!diag.quiet && low <= 20) {
				char a[32], b[32];
				cli_fmt_time(a, sizeof a, tandem_seg_start(doc, i));
				cli_fmt_time(b, sizeof b, tandem_seg_end(doc, i));
				size_t line = tandem_seg_line(doc, i);
				fprintf(stderr,
				        "%s:%zu: warning: segment %zu (%s --> %s) is uncertain, "
				        "confidence %.2f [retime-confidence]\n",
				        in, line, i + 1, a, b, conf[i]);
			}
		}
	}
	if (!diag.quiet)
		fprintf(stderr, "retimed %zu segments; mean confidence %.2f, %zu below 0.5\n", n,
		        n ? sum / (double)n : 0.0, low);
	if (report && write_report(report, doc, conf)) {
		rc = TANDEM_EIO;
		goto fail;
	}
write:
	if (cli_fit_apply(&fit, doc, audio, in, &diag)) {
		rc = TANDEM_EINVAL;
		goto fail;
	}
	wo.diag = cli_diag_fn;
	wo.diag_user = &diag;
	wo.filename = out;
	const char *inputs[2] = {in, audio};
	rc = cli_write_doc(doc, format, &wo, out, inputs, audio ? 2 : 1);
fail:
	free(conf);
	tandem_doc_free(doc);
	return rc ? EXIT_USAGE : EXIT_OK;
}
