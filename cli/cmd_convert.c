/*
 * cmd_convert.c - `tandem convert`: any readable format to any writable one,
 * one file (IN -o OUT, '-' for stdin/stdout) or a batch (-d OUTDIR IN...,
 * where an IN may be a directory), optionally on several threads.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
	"usage: tandem convert [OPTIONS] [IN] [-o OUT]\n"
	"       tandem convert [OPTIONS] -t FORMAT -d OUTDIR IN...\n"
	"       tandem convert [OPTIONS] -t FORMAT -d OUTDIR --files-from LIST\n"
	"\n"
	"Convert subtitles and transcripts between formats.  IN and OUT may be '-'\n"
	"(stdin, stdout); with no IN and stdin not a terminal, stdin is read, and\n"
	"with -t and no -o, stdout is written.  Formats come from the file\n"
	"extensions unless given.\n"
	"In a batch, each IN is a file or a directory (searched recursively for files\n"
	"tandem can read); outputs keep their relative paths under OUTDIR.  A file\n"
	"that cannot be read is reported and skipped; the rest are converted.\n"
	"\n"
	"Options:\n"
	"  -f, --from FORMAT      input format (default: from extension or content)\n"
	"  -t, --to FORMAT        output format (default: from OUT's extension)\n"
	"  -o, --output OUT       output file ('-' for stdout)\n"
	"  -d, --outdir DIR       batch mode: write outputs into DIR\n"
	"  -j, --jobs N           batch mode: convert N files at once (1 to 256, default 1)\n"
	"      --summary          one line per file (ok or failed, findings counted by\n"
	"                         severity) instead of every finding\n"
	"      --encoding NAME    decode inputs from NAME (iconv name) instead of detecting\n"
	CLI_MAX_INPUT_HELP
	"      --strict           treat oddities in the input as errors\n"
	"  -q, --quiet            print errors only\n"
	"  -h, --help             show this help\n"
	"\n"
	"%s%s\n"
	"%s"
	"\n"
	"%s"
	"\n"
	"Exit status: 0 all converted, 1 some files failed (batch), 2 bad usage or\n"
	"unreadable input.\n";

typedef struct job {
	char *in;
	char *out;
	long clash;             /* out is (a link to) the input of this job; -1: none */
} job;

typedef struct batch {
	job *jobs;
	size_t n, cap;
	cli_opts c;             /* the options; c.to is the format of every output */
	atomic_size_t next, done, failed;
	bool progress;
	size_t shown;           /* the progress counter on the terminal (under cli_lock) */
} batch;

static void add_job(batch *b, const char *in, const char *out)
{
	if (!cli_batch_mine(&b->c.batch, in))
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->jobs = realloc(b->jobs, b->cap * sizeof *b->jobs);
		if (!b->jobs)
			abort();
	}
	b->jobs[b->n].in = strdup(in);
	b->jobs[b->n].out = out ? strdup(out) : NULL;
	b->jobs[b->n].clash = -1;
	b->n++;
}

/* Would this file be picked up from a directory? */
static bool readable_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || name[0] == '.')
		return false;
	if (strcmp(dot + 1, "txt") == 0 || strcmp(dot + 1, "md") == 0)
		return true;
	const char *f = tandem_format_from_path(name);
	return f && tandem_format_can_read(f);
}

/* OUTDIR/rel with the extension replaced by the target's first extension. */
static char *output_path(const char *outdir, const char *rel, const char *format)
{
	char ext[32];
	const char *exts = NULL;
	for (size_t k = 0; k < tandem_format_count(); k++)
		if (strcmp(tandem_format_name(k), format) == 0)
			exts = tandem_format_extensions(k);
	size_t m = exts ? strcspn(exts, " ") : strlen(format);
	if (m >= sizeof ext)
		m = sizeof ext - 1;
	memcpy(ext, exts ? exts : format, m);
	ext[m] = '\0';
	const char *slash = strrchr(rel, '/');
	const char *dot = strrchr(slash ? slash : rel, '.');
	size_t stem = dot && dot != (slash ? slash + 1 : rel) ? (size_t)(dot - rel) : strlen(rel);
	size_t n = strlen(outdir) + stem + m + 4;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%.*s.%s", outdir, (int)stem, rel, ext);
	return p;
}

static void collect(batch *b, const char *path, const char *rel, const char *outdir)
{
	struct stat st;
	if (stat(path, &st)) {
		/* Keep it: the worker reports the error in order with the rest. */
		add_job(b, path, NULL);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d) {
			add_job(b, path, NULL);
			return;
		}
		struct dirent **names;
		closedir(d);
		int n = scandir(path, &names, NULL, alphasort);
		for (int i = 0; i < n; i++) {
			const char *nm = names[i]->d_name;
			if (nm[0] != '.') {
				size_t len = strlen(path) + strlen(nm) + 2;
				size_t rlen = strlen(rel) + strlen(nm) + 2;
				char *sub = malloc(len), *subrel = malloc(rlen);
				if (!sub || !subrel)
					abort();
				snprintf(sub, len, "%s/%s", path, nm);
				snprintf(subrel, rlen, "%s%s%s", rel, *rel ? "/" : "", nm);
				struct stat s2;
				if (stat(sub, &s2) == 0 &&
				    (S_ISDIR(s2.st_mode) || (S_ISREG(s2.st_mode) && readable_name(nm))))
					collect(b, sub, subrel, outdir);
				free(sub);
				free(subrel);
			}
			free(names[i]);
		}
		free(names);
		return;
	}
	char *out = output_path(outdir, rel, b->c.to);
	add_job(b, path, out);
	free(out);
}

/* An input of the batch, by device and inode. */
typedef struct file_id {
	dev_t dev;
	ino_t ino;
	size_t job;
} file_id;

static int cmp_id(const void *x, const void *y)
{
	const file_id *a = x, *b = y;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

/*
 * An output that names an input of the batch (itself, a symlink or a hard
 * link to it) would overwrite it: mark the job, whose worker refuses it.
 * The inputs sorted by inode, each output looked up: n log n stats.
 */
static void find_clashes(batch *b)
{
	file_id *ids = malloc((b->n + 1) * sizeof *ids);
	if (!ids)
		abort();
	size_t n = 0;
	struct stat st;
	for (size_t i = 0; i < b->n; i++)
		if (b->jobs[i].out && stat(b->jobs[i].in, &st) == 0)
			ids[n++] = (file_id){st.st_dev, st.st_ino, i};
	qsort(ids, n, sizeof *ids, cmp_id);
	for (size_t i = 0; i < b->n; i++) {
		if (!b->jobs[i].out || stat(b->jobs[i].out, &st))
			continue;
		file_id key = {st.st_dev, st.st_ino, 0};
		const file_id *hit = bsearch(&key, ids, n, sizeof *ids, cmp_id);
		if (hit)
			b->jobs[i].clash = (long)hit->job;
	}
	free(ids);
}

static void free_jobs(batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->jobs[i].in);
		free(b->jobs[i].out);
	}
	free(b->jobs);
	b->jobs = NULL;
	b->n = b->cap = 0;
}

static int convert_one(batch *b, cli_item *it, const char *to, tandem_write_opts *wo)
{
	const char *in = it->in, *out = it->out;
	tandem_read_opts ro;
	cli_opts_read(&b->c, &ro, b->c.from);
	wo->diag = cli_diag_fn;
	wo->diag_user = &b->c.diag;
	wo->filename = out;
	if (cli_refuse_inputs(out, &in, 1))
		return TANDEM_ESAME;
	if (cli_mkdirs(out)) {
		cli_err("%s: cannot create its directory: %s", out, strerror(errno));
		return TANDEM_EIO;
	}
	/* Read, then write, in one call: big SRT files are streamed. */
	cli_tally t;
	cli_tally_begin(&t);
	int rc = cli_edit_active(&b->c.edit)
	                 ? cli_edit_convert(&b->c.edit, &b->c.fit, in, out, to, &ro, wo, &b->c.diag)
	         : b->c.fit.profile || b->c.fit.config
	                 ? cli_fit_convert(&b->c.fit, in, out, to, &ro, wo, &b->c.diag)
	                 : cli_item_convert(it, to, &ro, wo);
	cli_tally_end();
	if (rc == TANDEM_ESAME) /* it became the input since */
		cli_err("%s: refusing to overwrite the input %s", out, in);
	if (b->c.diag.summary)
		cli_tally_print(in, rc == 0, &t);
	return rc;
}

static void progress(batch *b, size_t done)
{
	if (!b->progress)
		return;
	cli_lock();
	/* Files finish out of order on several threads: the counter never goes back. */
	if (done > b->shown) {
		b->shown = done;
		char line[96];
		snprintf(line, sizeof line, "[%zu/%zu] %zu failed", done, b->n,
		         (size_t)atomic_load(&b->failed));
		cli_status_locked(line);
		if (done == b->n)
			cli_status_locked(NULL);
	}
	cli_unlock();
}

static void *worker(void *arg)
{
	batch *b = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);
		if (i >= b->n)
			break;
		job *j = &b->jobs[i];
		tandem_write_opts wo = b->c.wo;
		cli_item it;
		cli_item_begin(&b->c.batch, &it, j->in, NULL, j->out, &b->c.diag);
		int rc = 0;
		if (cli_batch_skip(&b->c.batch, &it)) {
		} else if (!j->out) {
			struct stat st;
			if (stat(j->in, &st))
				cli_err("%s: %s", j->in, strerror(errno));
			else
				cli_err("%s: cannot read this directory", j->in);
			rc = TANDEM_EIO;
		} else if (j->clash >= 0) {
			cli_err("%s: refusing to overwrite the input %s", j->out, b->jobs[j->clash].in);
			rc = TANDEM_ESAME;
		} else {
			rc = convert_one(b, &it, b->c.to, &wo);
		}
		cli_batch_done(&b->c.batch, &it, rc ? EXIT_USAGE : EXIT_OK);
		if (rc)
			atomic_fetch_add(&b->failed, 1);
		progress(b, atomic_fetch_add(&b->done, 1) + 1);
	}
	return NULL;
}

enum { OPT_SUMMARY = OPT_CLI_FIRST_FREE };

typedef struct convert_args {
	const char *outdir;
	long jobs;
	bool summary;
} convert_args;

static int convert_option(void *user, int code, const char *arg)
{
	convert_args *a = user;
	switch (code) {
	case 'd': a->outdir = arg; return 1;
	case OPT_SUMMARY: a->summary = true; return 1;
	case 'j': {
		char *end;
		a->jobs = strtol(arg, &end, 10);
		if (*end || a->jobs < 1 || a->jobs > 256)
			return cli_usage("convert", "-j takes a number from 1 to 256"), -1;
		return 1;
	}
	default: return 0;
	}
}

static const struct option longopts[] = {
	CLI_OPT_FROM,
	CLI_OPT_TO,
	CLI_OPT_OUTPUT,
	{"outdir", required_argument, NULL, 'd'},
	{"jobs", required_argument, NULL, 'j'},
	{"summary", no_argument, NULL, OPT_SUMMARY},
	CLI_OPTS_READ_WRITE,
	CLI_FIT_AUDIO_LONGOPT,
	CLI_BATCH_LONGOPTS,
	CLI_OPT_END,
};

static const cli_spec spec = {
	"convert", "f:t:o:d:j:0qh", longopts, help,
	{cli_fit_help, cli_fit_audio_help, cli_write_help, cli_batch_help}, convert_option,
};

/* IN -o OUT. */
static int convert_single(batch *b, int argc, char **argv)
{
	int nin = argc - optind;
	/* No input named and something piped in: stdin. */
	const char *in = nin == 1 ? argv[optind] : nin == 0 && cli_stdin_piped() ? "-" : NULL;
	if (!in)
		return cli_usage("convert", nin ? "give one input, or -d OUTDIR for a batch"
		                                 : "no input given");
	if (cli_formats(&b->c, true))
		return EXIT_USAGE;
	b->c.to = b->c.format;
	cli_item it;
	cli_item_begin(&b->c.batch, &it, in, NULL, b->c.out, &b->c.diag);
	int rc = convert_one(b, &it, b->c.to, &b->c.wo);
	return rc ? EXIT_USAGE : EXIT_OK;
}

typedef struct listed {
	batch *b;
	const char *outdir;
} listed;

/* An entry of --files-from: a file or directory, its relative path kept. */
static int add_listed(void *user, const char *in, const char *media)
{
	listed *l = user;
	char *rel = cli_batch_rel(in);
	collect(l->b, in, rel, l->outdir);
	free(rel);
	return 0;
}

static int by_output(const void *x, const void *y)
{
	const job *a = x, *b = y;
	if (!a->out || !b->out)
		return !a->out - !b->out;
	return strcmp(a->out, b->out);
}

/* Two inputs mapping to one output would silently overwrite each other. */
static int distinct_outputs(batch *b)
{
	job *v = malloc((b->n ? b->n : 1) * sizeof *v);
	if (!v)
		abort();
	memcpy(v, b->jobs, b->n * sizeof *v);
	qsort(v, b->n, sizeof *v, by_output);
	int st = 0;
	for (size_t i = 1; i < b->n && !st; i++)
		if (v[i].out && v[i - 1].out && strcmp(v[i].out, v[i - 1].out) == 0) {
			cli_err("%s and %s would both be written to %s", v[i - 1].in, v[i].in, v[i].out);
			st = EXIT_USAGE;
		}
	free(v);
	return st;
}

/* The jobs of -d OUTDIR IN..., or EXIT_USAGE (printed). */
static int collect_batch(batch *b, const char *outdir, int argc, char **argv)
{
	if (b->c.out)
		return cli_usage("convert", "-o and -d do not go together");
	if (optind == argc && !b->c.batch.files_from)
		return cli_usage("convert", "no input given");
	if (!b->c.to)
		return cli_usage("convert", "a batch needs -t FORMAT");
	if (!tandem_format_can_write(b->c.to))
		return cli_usage("convert", "cannot write format '%s'", b->c.to);
	for (int i = optind; i < argc; i++) {
		const char *rel = strrchr(argv[i], '/');
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			collect(b, argv[i], "", outdir);
		else
			collect(b, argv[i], rel ? rel + 1 : argv[i], outdir);
	}
	listed l = {b, outdir};
	if (cli_batch_list(&b->c.batch, add_listed, &l) || distinct_outputs(b))
		return EXIT_USAGE;
	find_clashes(b);
	return 0;
}

int cmd_convert(int argc, char **argv)
{
	batch b;
	memset(&b, 0, sizeof b);
	convert_args a = {NULL, 1, false};
	int st = cli_parse(&spec, &b.c, &a, argc, argv);
	if (st != CLI_GO)
		return st;
	b.c.diag.summary = a.summary;
	if (cli_readable(&b.c, b.c.from))
		return EXIT_USAGE;
	if (!a.outdir && cli_batch_on(&b.c.batch))
		return cli_usage("convert", "--files-from, --jsonl, --resume and --shard need -d OUTDIR");
	if (!a.outdir)
		return convert_single(&b, argc, argv);
	if (collect_batch(&b, a.outdir, argc, argv) ||
	    cli_batch_start(&b.c.batch, "convert", a.outdir, b.c.diag.quiet, argc, argv)) {
		free_jobs(&b);
		cli_batch_end(&b.c.batch);
		return EXIT_USAGE;
	}
	b.progress = isatty(2) && !b.c.diag.quiet;
	long jobs = a.jobs;
	if (jobs > (long)b.n)
		jobs = (long)(b.n ? b.n : 1);
	pthread_t tids[256];
	for (long t = 1; t < jobs; t++)
		pthread_create(&tids[t], NULL, worker, &b);
	worker(&b);
	for (long t = 1; t < jobs; t++)
		pthread_join(tids[t], NULL);
	size_t failed = atomic_load(&b.failed);
	fprintf(stderr, "converted %zu of %zu files to %s in %s", b.n - failed, b.n, b.c.to,
	        a.outdir);
	if (failed)
		fprintf(stderr, "; %zu failed", failed);
	fprintf(stderr, "\n");
	free_jobs(&b);
	cli_batch_end(&b.c.batch);
	return failed ? EXIT_FINDINGS : EXIT_OK;
}
