/*
 * cmd_info.c - `tandem info FILE...`: what a file holds, at a glance.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: tandem info [OPTIONS] FILE...\n"
	"\n"
	"Print each file's format, encoding, segment count, time span, the languages\n"
	"seen (by script) and how many warnings reading it gave.  FILE may be '-'.\n"
	"\n"
	"Options:\n"
	"  -f, --from FORMAT      input format (default: from extension or content)\n"
	"      --encoding NAME    decode from NAME instead of detecting\n"
	CLI_MAX_INPUT_HELP
	"      --json             one JSON object for all files, for scripts\n"
	"  -q, --quiet            do not print the reader's warnings\n"
	"  -h, --help             show this help\n"
	"\n"
	"%s"
	"\n"
	"Exit status: 0 all files read, 2 some could not be read.\n";

typedef struct stats {
	size_t segs, timed, translated, speakers_seen;
	int64_t first, last;
	size_t script_text[4], script_tr[4];
} stats;

static void gather(const tandem_doc *doc, stats *s)
{
	memset(s, 0, sizeof *s);
	s->first = TANDEM_NO_TIME;
	s->last = TANDEM_NO_TIME;
	s->segs = tandem_doc_count(doc);
	for (size_t i = 0; i < s->segs; i++) {
		int64_t a = tandem_seg_start(doc, i), e = tandem_seg_end(doc, i);
		if (a != TANDEM_NO_TIME) {
			s->timed++;
			if (s->first == TANDEM_NO_TIME || a < s->first)
				s->first = a;
			if (e != TANDEM_NO_TIME && (s->last == TANDEM_NO_TIME || e > s->last))
				s->last = e;
		}
		const char *t = tandem_seg_text(doc, i);
		s->script_text[tandem_text_script(t, strlen(t))]++;
		const char *tr = tandem_seg_translation(doc, i);
		if (tr) {
			s->translated++;
			s->script_tr[tandem_text_script(tr, strlen(tr))]++;
		}
		if (tandem_seg_speaker(doc, i))
			s->speakers_seen++;
	}
}

/* "latin 120, cjk 3": scripts with their segment counts, most common first. */
static void scripts(FILE *fp, const size_t *counts, bool json)
{
	size_t left[4];
	memcpy(left, counts, sizeof left);
	bool first = true;
	for (;;) {
		int bi = -1;
		for (int k = 1; k < 4; k++)
			if (left[k] && (bi < 0 || left[k] > left[bi]))
				bi = k;
		if (bi < 0)
			break;
		fprintf(fp, json ? "%s\"%s\":%zu" : "%s%s %zu", first ? "" : (json ? "," : ", "),
		        tandem_script_name((tandem_script)bi), left[bi]);
		left[bi] = 0;
		first = false;
	}
	if (first && !json)
		fputs("none", fp);
}

enum { OPT_JSON = OPT_CLI_FIRST_FREE };

static int info_option(void *user, int code, const char *arg)
{
	(void)arg;
	if (code != OPT_JSON)
		return 0;
	*(bool *)user = true;
	return 1;
}

static const struct option longopts[] = {
	CLI_OPT_FROM,
	CLI_OPT_ENCODING,
	CLI_OPT_MAX_INPUT,
	{"json", no_argument, NULL, OPT_JSON},
	CLI_OPT_QUIET,
	CLI_OPT_HELP,
	CLI_BATCH_LONGOPTS,
	CLI_OPT_END,
};

static const cli_spec spec = {
	"info", "f:0qh", longopts, help, {cli_batch_help, NULL, NULL}, info_option,
};

/* The run: the options, and what has been printed. */
typedef struct info_run {
	cli_opts *c;
	bool json, quiet_out;   /* quiet_out: --jsonl - has stdout */
	size_t shown;
	int status;
} info_run;

static void print_json(const char *path, const tandem_doc *doc, const stats *s,
                       const cli_diag *d)
{
	fputs("{\"path\":", stdout);
	json_str(stdout, path);
	fputs(",\"format\":", stdout);
	json_str(stdout, tandem_doc_meta(doc, "format"));
	fputs(",\"encoding\":", stdout);
	json_str(stdout, tandem_doc_meta(doc, "encoding"));
	fputs(",\"title\":", stdout);
	json_str(stdout, tandem_doc_meta(doc, "title"));
	fprintf(stdout, ",\"segments\":%zu,\"timed\":%zu,\"translated\":%zu",
	        s->segs, s->timed, s->translated);
	fputs(",\"start_ms\":", stdout);
	json_ms(stdout, s->first);
	fputs(",\"end_ms\":", stdout);
	json_ms(stdout, s->last);
	fputs(",\"claimed_duration_ms\":", stdout);
	json_ms(stdout, tandem_doc_claimed_duration(doc));
	fputs(",\"scripts\":{\"text\":{", stdout);
	scripts(stdout, s->script_text, true);
	fputs("},\"translation\":{", stdout);
	scripts(stdout, s->script_tr, true);
	fprintf(stdout, "}},\"warnings\":%zu}", d->warnings);
}

static void print_text(const char *path, const tandem_doc *doc, const stats *s,
                       const cli_diag *d)
{
	const char *title = tandem_doc_meta(doc, "title");
	int64_t claimed = tandem_doc_claimed_duration(doc);
	char a[32], e[32];
	cli_fmt_time(a, sizeof a, s->first);
	cli_fmt_time(e, sizeof e, s->last);
	printf("%s\n", path);
	printf("  format:      %s\n", tandem_doc_meta(doc, "format"));
	printf("  encoding:    %s\n", tandem_doc_meta(doc, "encoding"));
	if (title)
		printf("  title:       %s\n", title);
	printf("  segments:    %zu (%zu timed, %zu with translation)\n", s->segs,
	       s->timed, s->translated);
	if (s->timed)
		printf("  span:        %s - %s\n", a, e);
	if (claimed != TANDEM_NO_TIME) {
		cli_fmt_time(a, sizeof a, claimed);
		printf("  claimed:     %s\n", a);
	}
	printf("  text:        ");
	scripts(stdout, s->script_text, false);
	printf("\n");
	if (s->translated) {
		printf("  translation: ");
		scripts(stdout, s->script_tr, false);
		printf("\n");
	}
	printf("  warnings:    %zu\n", d->warnings);
}

/* One file (in this shard): its report, and its --jsonl line. */
static int info_one(void *user, const char *path, const char *media)
{
	info_run *r = user;
	cli_opts *c = r->c;
	if (!cli_batch_mine(&c->batch, path))
		return 0;
	cli_item it;
	cli_item_begin(&c->batch, &it, path, NULL, NULL, NULL);
	cli_diag d;
	cli_diag_init(&d);
	d.quiet = c->diag.quiet;
	tandem_read_opts ro;
	cli_read_opts(&ro, c->from, c->encoding, 0, &d);
	tandem_doc *doc;
	int rc = tandem_doc_read_file(&doc, path, &ro);
	bool out = !r->quiet_out;
	if (out && r->json && r->shown++)
		fputc(',', stdout);
	if (rc) {
		r->status = EXIT_USAGE;
		if (out && r->json) {
			fputs("{\"path\":", stdout);
			json_str(stdout, path);
			fputs(",\"error\":", stdout);
			json_str(stdout, tandem_strerror(rc));
			fputc('}', stdout);
		}
	} else {
		stats s;
		gather(doc, &s);
		if (out)
			(r->json ? print_json : print_text)(path, doc, &s, &d);
		cli_item_doc(&it, doc);
		tandem_doc_free(doc);
	}
	it.errors = d.errors;
	it.warnings = d.warnings;
	it.infos = d.infos;
	cli_batch_done(&c->batch, &it, rc ? EXIT_USAGE : EXIT_OK);
	return 0;
}

int cmd_info(int argc, char **argv)
{
	bool json = false;
	cli_opts c;
	int st = cli_parse(&spec, &c, &json, argc, argv);
	if (st != CLI_GO)
		return st;
	bool piped = optind >= argc && !c.batch.files_from && cli_stdin_piped();
	if (optind >= argc && !c.batch.files_from && !piped)
		return cli_usage("info", "no file given");
	if (cli_batch_start(&c.batch, "info", NULL, c.diag.quiet, argc, argv))
		return EXIT_USAGE;
	info_run r = {&c, json, cli_batch_owns_stdout(&c.batch), 0, EXIT_OK};
	if (json && !r.quiet_out)
		fputs("{\"files\":[", stdout);
	for (int i = optind; i < argc; i++)
		info_one(&r, argv[i], NULL);
	if (piped)
		info_one(&r, "-", NULL);   /* no file named, and something piped in */
	if (cli_batch_list(&c.batch, info_one, &r))
		r.status = EXIT_USAGE;
	if (json && !r.quiet_out)
		fputs("]}\n", stdout);
	cli_batch_end(&c.batch);
	return r.status;
}
