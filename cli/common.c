/*
 * common.c - the pieces every command shares: the diagnostics sink, usage
 * errors, the option prologue (cli_parse and the input and output helpers
 * after it), the output options, reading and writing a document, and the
 * JSON and time printers.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;

void cli_lock(void) { pthread_mutex_lock(&err_lock); }
void cli_unlock(void) { pthread_mutex_unlock(&err_lock); }

/* The status line shown at the bottom of stderr (under err_lock), or "". */
static char status_line[160];

void cli_status_locked(const char *line)
{
	if (!line) {
		if (status_line[0])
			fputc('\n', stderr);
		status_line[0] = '\0';
	} else {
		snprintf(status_line, sizeof status_line, "%s", line);
		fprintf(stderr, "\r\033[K%s", status_line);
	}
	fflush(stderr);
}

/* Before a message (err_lock held): clear the status line, if one is shown. */
static void status_hide(void)
{
	if (status_line[0])
		fputs("\r\033[K", stderr);
}

/* After the message: draw it again. */
static void status_show(void)
{
	if (status_line[0]) {
		fputs(status_line, stderr);
		fflush(stderr);
	}
}

static __thread cli_tally *tally;

void cli_tally_begin(cli_tally *t)
{
	memset(t, 0, sizeof *t);
	tally = t;
}

void cli_tally_end(void) { tally = NULL; }

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void cli_tally_print(const char *name, bool ok, const cli_tally *t)
{
	cli_lock();
	status_hide();
	fprintf(stderr, "%s: %s, %zu %s, %zu %s, %zu %s\n", name, ok ? "ok" : "failed", t->errors,
	        plural(t->errors, "error", "errors"), t->warnings,
	        plural(t->warnings, "warning", "warnings"), t->infos,
	        plural(t->infos, "info", "infos"));
	status_show();
	cli_unlock();
}

void cli_diag_init(cli_diag *d)
{
	memset(d, 0, sizeof *d);
	d->limit = 100;
}

void cli_diag_fn(const tandem_diag *diag, void *user)
{
	cli_diag *d = user;
	cli_lock();
	if (diag->severity == TANDEM_ERROR)
		d->errors++;
	else if (diag->severity == TANDEM_WARNING)
		d->warnings++;
	else
		d->infos++;
	if (tally)
		*(diag->severity == TANDEM_ERROR     ? &tally->errors
		  : diag->severity == TANDEM_WARNING ? &tally->warnings
		                                     : &tally->infos) += 1;
	bool show = !d->summary && (diag->severity == TANDEM_ERROR ||
	                            (!d->quiet && d->shown < d->limit));
	if (show) {
		status_hide();
		char buf[2048];
		tandem_diag_format(diag, buf, sizeof buf);
		fprintf(stderr, "%s\n", buf);
		if (diag->severity != TANDEM_ERROR && ++d->shown == d->limit)
			fprintf(stderr, "%s: note: further warnings not shown (-q hides all)\n",
			        diag->file ? diag->file : "tandem");
		status_show();
	}
	cli_unlock();
}

void cli_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_lock();
	status_hide();
	fputs("tandem: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	status_show();
	cli_unlock();
	va_end(ap);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tandem %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'tandem %s --help'.\n", cmd);
	va_end(ap);
	return EXIT_USAGE;
}

const char cli_write_help[] =
	"Output options:\n"
	"  --crlf                 CRLF line ends (default LF)\n"
	"  --order ORDER          bilingual cues: source-first (default) or translation-first\n"
	"  --side SIDE            both (default), source or translation only\n"
	"  --vtt-style            WebVTT: add a STYLE block styling each language\n"
	"  --timings              post: keep timings as data-start/data-end attributes\n"
	"  --meta FILE.yaml       post: front matter from this file\n"
	"  --summary-label TEXT   post: label of the <details> summary\n"
	"  --para-chars N         post: paragraph length target (1 = one per segment;\n"
	"                         1 to 100000)\n"
	"  --ass-layout WHERE     ass: translation on top or bottom (default)\n"
	"  --shift OFFSET         move every time by OFFSET: 2.5s, -1200ms, +00:00:01,200;\n"
	"                         a start pushed below 0 becomes 0, a cue ending before 0\n"
	"                         is dropped (with a warning naming it); at most 100h\n"
	"                         either way\n"
	"  --fps FROM:TO          scale every time by FROM/TO (before --shift), e.g.\n"
	"                         25:23.976 for a file timed at 25 fps played at 23.976;\n"
	"                         each more than 0 and at most 1000\n"
	"  --out-encoding NAME    write in NAME (iconv name: GB18030, GBK, BIG5, UTF-16LE,\n"
	"                         ...; default UTF-8); a character NAME cannot hold is an\n"
	"                         error naming its cue, and nothing is written\n"
	"  --bom                  start the output with a byte order mark\n"
	"  --speakers WHEN        change: SRT's \"Name: \" only when the speaker changes\n"
	"                         (the default from a post or transcript); every: on every\n"
	"                         cue (the default otherwise); none: no speakers at all\n"
	"  --drop-glosses         srt, vtt, ass, lines: drop glosses like （End-to-End: ...）\n";

int cli_write_option(const char *cmd, int code, const char *arg, tandem_write_opts *o)
{
	switch (code) {
	case OPT_CRLF: o->crlf = 1; return 1;
	case OPT_VTT_STYLE: o->vtt_style = 1; return 1;
	case OPT_TIMINGS: o->timings = 1; return 1;
	case OPT_META: o->meta_file = arg; return 1;
	case OPT_SUMMARY_LABEL: o->summary_label = arg; return 1;
	case OPT_ORDER:
		if (strcmp(arg, "source-first") == 0)
			o->order = TANDEM_ORDER_SOURCE_FIRST;
		else if (strcmp(arg, "translation-first") == 0)
			o->order = TANDEM_ORDER_TRANSLATION_FIRST;
		else
			return cli_usage(cmd, "--order takes source-first or translation-first"), -1;
		return 1;
	case OPT_SIDE:
		if (strcmp(arg, "both") == 0)
			o->side = TANDEM_SIDE_BOTH;
		else if (strcmp(arg, "source") == 0)
			o->side = TANDEM_SIDE_SOURCE;
		else if (strcmp(arg, "translation") == 0)
			o->side = TANDEM_SIDE_TRANSLATION;
		else
			return cli_usage(cmd, "--side takes both, source or translation"), -1;
		return 1;
	case OPT_PARA_CHARS: {
		char *end;
		long v = strtol(arg, &end, 10);
		if (end == arg || *end || v < 1 || v > 100000)
			return cli_usage(cmd, "--para-chars takes a number from 1 to 100000"), -1;
		o->para_chars = (size_t)v;
		return 1;
	}
	case OPT_DROP_GLOSSES: o->drop_glosses = 1; return 1;
	case OPT_SPEAKERS:
		if (strcmp(arg, "change") == 0)
			o->speakers = TANDEM_SPEAKERS_CHANGE;
		else if (strcmp(arg, "every") == 0)
			o->speakers = TANDEM_SPEAKERS_EVERY;
		else if (strcmp(arg, "none") == 0)
			o->speakers = TANDEM_SPEAKERS_NONE;
		else
			return cli_usage(cmd, "--speakers takes change, every or none"), -1;
		return 1;
	case OPT_ASS_LAYOUT:
		if (strcmp(arg, "top") && strcmp(arg, "bottom"))
			return cli_usage(cmd, "--ass-layout takes top or bottom"), -1;
		o->ass_layout = arg;
		return 1;
	default:
		return 0;
	}
}

void cli_read_opts(tandem_read_opts *ro, const char *format, const char *encoding, int strict,
                   cli_diag *diag)
{
	tandem_read_opts_init(ro);
	ro->format = format;
	ro->encoding = encoding;
	ro->strict = strict;
	ro->diag = cli_diag_fn;
	ro->diag_user = diag;
}

tandem_doc *cli_read_doc(const char *path, const tandem_read_opts *ro, const cli_diag *diag)
{
	tandem_doc *doc;
	int rc = tandem_doc_read_file(&doc, path, ro);
	if (rc) {
		if (rc == TANDEM_EIO)
			cli_err("%s: %s", path, strerror(errno));
		else if (!diag->errors) /* the reader has said why already */
			cli_err("%s: %s", path, tandem_strerror(rc));
		return NULL;
	}
	return doc;
}

const char *cli_output_format(const char *cmd, const char *to, const char *path)
{
	const char *f = to;
	if (!f && path && strcmp(path, "-") != 0)
		f = tandem_format_from_path(path);
	if (!f) {
		cli_usage(cmd, "cannot tell the output format; give -t FORMAT");
		return NULL;
	}
	if (!tandem_format_can_write(f)) {
		cli_usage(cmd, "cannot write format '%s'", f);
		return NULL;
	}
	return f;
}

/* The files read besides the inputs (cli_reads); the CLI runs one command. */
static const char **reads;
static size_t nreads;

void cli_reads(const char *path)
{
	if (!path)
		return;
	reads = realloc(reads, (nreads + 1) * sizeof *reads);
	if (!reads)
		abort();
	reads[nreads++] = path;
}

int cli_refuse_inputs(const char *out, const char *const *inputs, size_t n)
{
	for (size_t i = 0; i < n + nreads; i++) {
		const char *in = i < n ? inputs[i] : reads[i - n];
		if (in && tandem_output_is_input(out, in)) {
			cli_err("%s: refusing to overwrite the input %s", strcmp(out, "-") ? out : "<stdout>",
			        strcmp(in, "-") ? in : "<stdin>");
			return TANDEM_ESAME;
		}
	}
	return 0;
}

int cli_write_doc(const tandem_doc *doc, const char *format, tandem_write_opts *o,
                  const char *path, const char *const *inputs, size_t ninputs)
{
	if (cli_refuse_inputs(path, inputs, ninputs))
		return TANDEM_ESAME;
	int rc = tandem_doc_write_file(doc, format, o, path);
	if (rc == TANDEM_EIO)
		cli_err("%s: cannot write: %s", path, strerror(errno));
	else if (rc && rc != TANDEM_EENCODING) /* the encoder has named the cue */
		cli_err("%s: %s", path, tandem_strerror(rc));
	return rc;
}

/* The help text, each %s replaced by the next of the spec's parts. */
static void print_help(const cli_spec *spec)
{
	/* One write: `tandem X --help | grep -q` must not die of SIGPIPE halfway. */
	static char buf[1 << 15];
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	const char *p = spec->help, *q;
	size_t k = 0;
	for (; (q = strstr(p, "%s")) != NULL; p = q + 2, k++) {
		fwrite(p, 1, (size_t)(q - p), stdout);
		if (k < sizeof spec->help_parts / sizeof *spec->help_parts && spec->help_parts[k])
			fputs(spec->help_parts[k], stdout);
	}
	fputs(p, stdout);
}

/* "10M", "4G", "512K", "100000": bytes, from 1 KiB to 1 TiB; 0 when not. */
static uint64_t parse_size(const char *arg)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (end == arg || *arg == '-' || errno)
		return 0;
	const char *units = "KMGT", *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
	if (u) {
		for (const char *k = units; k <= u; k++)
			v = v > (1ULL << 40) ? 0 : v * 1024;
		end++;
		if (*end == 'i')
			end++;
		if (*end == 'B')
			end++;
	}
	if (*end || v < 1024 || v > (1ULL << 40))
		return 0;
	return v;
}

/* The common codes: 1 taken, 0 not one of them, -1 bad value (printed). */
static int common_option(cli_opts *o, int code, const char *arg)
{
	switch (code) {
	case 'f': o->from = arg; return 1;
	case 't': o->to = arg; return 1;
	case 'o': o->out = arg; return 1;
	case 'a': o->audio = arg; cli_reads(arg); return 1;
	case 'q': o->diag.quiet = true; return 1;
	case OPT_ENCODING: o->encoding = arg; return 1;
	case OPT_STRICT: o->strict = 1; return 1;
	case OPT_MAX_INPUT: {
		uint64_t v = parse_size(arg);
		if (!v)
			return cli_usage(o->cmd, "--max-input takes a size from 1K to 1T, not '%s'", arg), -1;
		tandem_set_max_input(v);
		return 1;
	}
	default: break;
	}
	if (code == OPT_META || code == OPT_FIT_CONFIG || code == OPT_FIT_AUDIO)
		cli_reads(arg);
	int k = cli_fit_option(o->cmd, code, arg, &o->fit);
	if (k == 0)
		k = cli_write_option(o->cmd, code, arg, &o->wo);
	if (k == 0)
		k = cli_edit_option(o->cmd, code, arg, &o->edit, &o->wo);
	if (k == 0)
		k = cli_batch_option(o->cmd, code, arg, &o->batch);
	return k;
}

/*
 * getopt_long's complaint (opterr is off, so it says nothing itself): one
 * line naming the option, with the --help hint.  c is '?' (unknown or
 * ambiguous) or ':' (a value missing).
 */
static int bad_option(const cli_spec *spec, int c, char **argv)
{
	char name[64];
	const char *arg = argv[optind - 1];
	/* An unknown long option leaves optopt 0; a short one names itself. */
	bool shortopt = c == '?' ? optopt > 0 && optopt < 256 : strncmp(arg, "--", 2) != 0;
	if (shortopt)
		snprintf(name, sizeof name, "-%c", optopt);
	else
		snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
	if (c == ':')
		return cli_usage(spec->name, "option '%s' needs a value", name);
	size_t matches = 0;
	if (strncmp(name, "--", 2) == 0)
		for (const struct option *lo = spec->longopts; lo->name; lo++)
			matches += strncmp(lo->name, name + 2, strlen(name + 2)) == 0;
	return cli_usage(spec->name, "%s option '%s'", matches > 1 ? "ambiguous" : "unknown", name);
}

int cli_parse(const cli_spec *spec, cli_opts *o, void *user, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	o->cmd = spec->name;
	tandem_write_opts_init(&o->wo);
	cli_diag_init(&o->diag);
	char shortopts[128];
	snprintf(shortopts, sizeof shortopts, ":%s", spec->shortopts);
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, spec->longopts, NULL)) != -1) {
		if (c == 'h') {
			print_help(spec);
			return EXIT_OK;
		}
		if (c == '?' || c == ':')
			return bad_option(spec, c, argv);
		int k = spec->option ? spec->option(user, c, optarg) : 0;
		if (k == 0)
			k = common_option(o, c, optarg);
		if (k == 1)
			continue;
		if (k == 0)
			cli_usage(spec->name, "unknown option");
		return EXIT_USAGE;
	}
	return CLI_GO;
}

bool cli_stdin_piped(void)
{
	struct stat st;
	return fstat(STDIN_FILENO, &st) == 0 &&
	       (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode));
}

const char *cli_one_input(const cli_opts *o, int argc, char **argv)
{
	if (argc == optind && cli_stdin_piped())
		return "-"; /* no input named, and something piped in */
	if (argc - optind != 1) {
		cli_usage(o->cmd, argc == optind ? "no input given" : "give one input");
		return NULL;
	}
	return argv[optind];
}

int cli_readable(const cli_opts *o, const char *format)
{
	if (format && !tandem_format_can_read(format))
		return cli_usage(o->cmd, "cannot read format '%s'", format);
	return 0;
}

int cli_formats(cli_opts *o, bool out_required)
{
	if (out_required && !o->out && o->to)
		o->out = "-"; /* -t without -o: stdout */
	if (out_required && !o->out)
		return cli_usage(o->cmd, "no output given (-o OUT, or -o - for stdout)");
	if (cli_readable(o, o->from))
		return EXIT_USAGE;
	if (o->out && !(o->format = cli_output_format(o->cmd, o->to, o->out)))
		return EXIT_USAGE;
	/* Before any work: -o onto a file read besides the inputs (--meta, ...). */
	if (o->out && cli_refuse_inputs(o->out, NULL, 0))
		return EXIT_USAGE;
	return 0;
}

void cli_opts_read(cli_opts *o, tandem_read_opts *ro, const char *format)
{
	cli_read_opts(ro, format, o->encoding, o->strict, &o->diag);
}

tandem_doc *cli_open(cli_opts *o, const char *path, const char *format)
{
	tandem_read_opts ro;
	cli_opts_read(o, &ro, format);
	return cli_read_doc(path, &ro, &o->diag);
}

int cli_save(cli_opts *o, tandem_doc *doc, const char *media, const char *name,
             const char *const *inputs, size_t ninputs)
{
	o->wo.diag = cli_diag_fn;
	o->wo.diag_user = &o->diag;
	o->wo.filename = o->out;
	if (cli_edit_apply(&o->edit, doc, name, &o->diag))
		return -1;
	if (cli_fit_apply(&o->fit, doc, media, name, &o->diag))
		return -1;
	return cli_write_doc(doc, o->format, &o->wo, o->out, inputs, ninputs);
}

void json_str(FILE *fp, const char *s)
{
	if (!s) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

void json_ms(FILE *fp, int64_t ms)
{
	if (ms == TANDEM_NO_TIME)
		fputs("null", fp);
	else
		fprintf(fp, "%lld", (long long)ms);
}

void cli_fmt_time(char *buf, size_t n, int64_t ms)
{
	if (ms == TANDEM_NO_TIME) {
		snprintf(buf, n, "-");
		return;
	}
	const char *sign = ms < 0 ? "-" : "";
	if (ms < 0)
		ms = -ms;
	snprintf(buf, n, "%s%lld:%02lld:%02lld.%03lld", sign, (long long)(ms / 3600000),
	         (long long)(ms / 60000 % 60), (long long)(ms / 1000 % 60), (long long)(ms % 1000));
}
