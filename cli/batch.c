/*
 * batch.c - corpus-scale batches, the map step of an outside engine (GNU
 * parallel, a Spark pipe(), a job array): --files-from LIST (-0 for
 * NUL-separated lists, INPUT<TAB>MEDIA pairs where a command needs two),
 * --shard K/N (the inputs whose path hashes to K of N), --jsonl FILE (one
 * JSON object per input as it finishes) and --resume (skip the inputs whose
 * output is up to date, by a manifest in the output directory).  The
 * commands keep their own loops; they call in here at a few points: the
 * list, the shard test, an item's start and end.  See docs/batch.md.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Inputs up to this size are read whole for --jsonl's format and counts. */
#define ITEM_READ_MAX (1u << 20)
#define MANIFEST_NAME ".tandem-manifest"

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a, 64 bits: stable across machines, so shards agree everywhere. */
static uint64_t fnv(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}
#define FNV_START 0xcbf29ce484222325ull

const char cli_batch_help[] =
	"Batch options (see docs/batch.md):\n"
	"      --files-from LIST  read the inputs from LIST ('-': stdin), one a line;\n"
	"                         INPUT<TAB>MEDIA where the command needs a recording\n"
	"  -0, --null             LIST is NUL-separated (find -print0)\n"
	"      --shard K/N        only the inputs whose path hashes to K of N (1..N)\n"
	"      --jsonl FILE       one JSON object per input as it finishes ('-': stdout)\n"
	"      --jsonl-no-time    leave the time out, so runs compare byte for byte\n"
	"      --resume           skip inputs whose output is up to date (needs -d)\n";

static int parse_shard(const char *cmd, const char *arg, cli_batch *b)
{
	char *end;
	unsigned long k = strtoul(arg, &end, 10), n = 0;
	if (*end == '/')
		n = strtoul(end + 1, &end, 10);
	if (*end || n < 1 || k < 1 || k > n || n > 1000000)
		return cli_usage(cmd, "--shard takes K/N, 1 <= K <= N (e.g. 2/8)"), -1;
	b->shard_k = k;
	b->shard_n = n;
	return 1;
}

int cli_batch_option(const char *cmd, int code, const char *arg, cli_batch *b)
{
	switch (code) {
	case OPT_FILES_FROM: b->files_from = arg; return 1;
	case '0': b->nul = true; return 1;
	case OPT_JSONL: b->jsonl = arg; return 1;
	case OPT_JSONL_NO_TIME: b->no_time = true; return 1;
	case OPT_RESUME: b->resume = true; return 1;
	case OPT_SHARD: return parse_shard(cmd, arg, b);
	default: return 0;
	}
}

bool cli_batch_mine(const cli_batch *b, const char *path)
{
	return !b->shard_n || fnv(FNV_START, path) % b->shard_n == b->shard_k - 1;
}

bool cli_batch_on(const cli_batch *b)
{
	return b->files_from || b->jsonl || b->resume || b->shard_n;
}

/* Options that change no output: left out of the fingerprint --resume keeps. */
static bool neutral(const char *tok, bool *takes_arg)
{
	static const char *const flags[] = {"--null", "--jsonl-no-time", "--resume",
	                                    "--quiet", "-q", "-0", "--summary", NULL};
	static const char *const valued[] = {"--files-from", "--jsonl", "--shard", "--jobs",
	                                     "--outdir", NULL};
	*takes_arg = false;
	for (size_t k = 0; flags[k]; k++)
		if (strcmp(tok, flags[k]) == 0)
			return true;
	for (size_t k = 0; valued[k]; k++) {
		size_t n = strlen(valued[k]);
		if (strncmp(tok, valued[k], n) == 0 && (tok[n] == '\0' || tok[n] == '=')) {
			*takes_arg = tok[n] == '\0';
			return true;
		}
	}
	if (tok[0] == '-' && (tok[1] == 'j' || tok[1] == 'd')) {
		*takes_arg = tok[2] == '\0';
		return true;
	}
	return false;
}

/* The command and its options as given (getopt has moved the inputs after them). */
static uint64_t fingerprint(const char *cmd, int argc, char **argv)
{
	uint64_t h = fnv(FNV_START, cmd);
	for (int i = 1; i < optind && i < argc; i++) {
		bool takes_arg;
		if (neutral(argv[i], &takes_arg)) {
			i += takes_arg;
			continue;
		}
		h = fnv(h ^ 0x1f, argv[i]);
	}
	return h;
}

/* --resume's records, by the hash of the output path (last record wins). */
typedef struct record {
	uint64_t key, opts;
	long long size, mtime;
} record;

static record *slot(cli_batch *b, uint64_t key)
{
	size_t mask = b->cap - 1, i = (size_t)key & mask;
	while (b->table[i].key && b->table[i].key != key)
		i = (i + 1) & mask;
	return &b->table[i];
}

static void remember(cli_batch *b, const record *r)
{
	if (2 * (b->used + 1) > b->cap) {
		record *old = b->table;
		size_t n = b->cap;
		b->cap = n ? 2 * n : 1024;
		b->table = calloc(b->cap, sizeof *b->table);
		if (!b->table)
			abort();
		b->used = 0;
		for (size_t i = 0; i < n; i++)
			if (old[i].key)
				remember(b, &old[i]);
		free(old);
	}
	record *s = slot(b, r->key);
	b->used += !s->key;
	*s = *r;
}

/* Lines "OUTPUT<TAB>SIZE<TAB>MTIME<TAB>OPTIONS"; a torn last line is ignored. */
static void load_manifest(cli_batch *b, const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, fp)) > 0) {
		char *t1 = strchr(line, '\t');
		if (!t1 || line[n - 1] != '\n')
			continue;
		*t1 = '\0';
		record r = {fnv(FNV_START, line), 0, 0, 0};
		unsigned long long opts;
		if (sscanf(t1 + 1, "%lld\t%lld\t%llx", &r.size, &r.mtime, &opts) != 3)
			continue;
		r.opts = opts;
		remember(b, &r);
	}
	free(line);
	fclose(fp);
}

int cli_batch_start(cli_batch *b, const char *cmd, const char *outdir, bool quiet, int argc,
                    char **argv)
{
	b->cmd = cmd;
	b->quiet = quiet;
	b->outdir = outdir;
	b->manifest_fd = -1;
	b->opts = fingerprint(cmd, argc, argv);
	if (b->resume && !outdir)
		return cli_usage(cmd, "--resume needs an output directory (-d OUTDIR)");
	if (b->jsonl && strcmp(b->jsonl, "-") == 0) {
		b->jsonl_fp = stdout;
	} else if (b->jsonl && !(b->jsonl_fp = fopen(b->jsonl, "w"))) {
		cli_err("%s: cannot write: %s", b->jsonl, strerror(errno));
		return EXIT_USAGE;
	}
	if (!outdir)
		return 0;
	size_t n = strlen(outdir) + sizeof MANIFEST_NAME + 1;
	b->manifest = malloc(n);
	if (!b->manifest)
		abort();
	snprintf(b->manifest, n, "%s/%s", outdir, MANIFEST_NAME);
	if (b->resume)
		load_manifest(b, b->manifest);
	return 0;
}

void cli_batch_end(cli_batch *b)
{
	if (!b->cmd)
		return;
	if (b->jsonl_fp && b->jsonl_fp != stdout)
		fclose(b->jsonl_fp);
	else if (b->jsonl_fp)
		fflush(stdout);
	if (b->manifest_fd >= 0)
		close(b->manifest_fd);
	if (b->resume && b->skipped && !b->quiet)
		cli_err("--resume: %zu up to date, skipped", b->skipped);
	free(b->manifest);
	free(b->table);
	b->jsonl_fp = NULL;
	b->manifest = NULL;
	b->table = NULL;
	b->manifest_fd = -1;
}

bool cli_batch_owns_stdout(const cli_batch *b)
{
	return b->jsonl && strcmp(b->jsonl, "-") == 0;
}

/* An entry of the list: "PATH" or "PATH<TAB>MEDIA"; CR of a CRLF list dropped. */
static int list_entry(cli_batch *b, char *s, size_t len, size_t at, cli_batch_fn fn,
                      void *user)
{
	if (!b->nul && len && s[len - 1] == '\r')
		s[--len] = '\0';
	if (!len)
		return 0;
	char *tab = strchr(s, '\t');
	if (tab)
		*tab = '\0';
	if (!*s) {
		cli_err("%s:%zu: error: no input before the tab [files-from]", b->files_from, at);
		return -1;
	}
	return fn(user, s, tab && tab[1] ? tab + 1 : NULL);
}

int cli_batch_list(cli_batch *b, cli_batch_fn fn, void *user)
{
	if (!b->files_from)
		return 0;
	bool in = strcmp(b->files_from, "-") == 0;
	FILE *fp = in ? stdin : fopen(b->files_from, "r");
	if (!fp) {
		cli_err("%s: %s", b->files_from, strerror(errno));
		return EXIT_USAGE;
	}
	char *line = NULL;
	size_t cap = 0, at = 0;
	ssize_t n;
	int st = 0;
	while (!st && (n = getdelim(&line, &cap, b->nul ? '\0' : '\n', fp)) > 0) {
		at++;
		if (line[n - 1] == (b->nul ? '\0' : '\n'))
			line[--n] = '\0';
		st = list_entry(b, line, (size_t)n, at, fn, user) ? EXIT_USAGE : 0;
	}
	if (!st && ferror(fp)) {
		cli_err("%s: %s", b->files_from, strerror(errno));
		st = EXIT_USAGE;
	}
	free(line);
	if (!in)
		fclose(fp);
	return st;
}

char *cli_batch_rel(const char *path)
{
	size_t n = strlen(path);
	char *r = malloc(n + 1), *w = r;
	if (!r)
		abort();
	/* Drop '.', '..' and empty components: the output stays under OUTDIR. */
	for (const char *p = path; *p;) {
		size_t m = strcspn(p, "/");
		bool skip = m == 0 || (m == 1 && p[0] == '.') || (m == 2 && p[0] == '.' && p[1] == '.');
		if (!skip) {
			if (w != r)
				*w++ = '/';
			memcpy(w, p, m);
			w += m;
		}
		p += m + (p[m] == '/');
	}
	*w = '\0';
	return r;
}

char *cli_batch_output(const char *outdir, const char *path, const char *format)
{
	const char *exts = format;
	for (size_t k = 0; k < tandem_format_count(); k++)
		if (strcmp(tandem_format_name(k), format) == 0)
			exts = tandem_format_extensions(k);
	size_t m = strcspn(exts, " ");
	char *rel = cli_batch_rel(path);
	const char *slash = strrchr(rel, '/');
	const char *base = slash ? slash + 1 : rel, *dot = strrchr(base, '.');
	size_t stem = dot && dot != base ? (size_t)(dot - rel) : strlen(rel);
	size_t n = strlen(outdir) + stem + m + 4;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%.*s.%.*s", outdir, (int)stem, rel, (int)m, exts);
	free(rel);
	return p;
}

int cli_mkdirs(const char *path)
{
	char *p = strdup(path);
	if (!p)
		abort();
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

void cli_item_begin(cli_batch *b, cli_item *it, const char *in, const char *media,
                    const char *out, cli_diag *forward)
{
	memset(it, 0, sizeof *it);
	it->in = in;
	it->media = media;
	it->out = out;
	it->segments = -1;
	it->forward = forward;
	it->want_doc = b->jsonl != NULL;
	clock_gettime(CLOCK_MONOTONIC, &it->t0);
}

void cli_item_diag(const tandem_diag *d, void *user)
{
	cli_item *it = user;
	if (d->severity == TANDEM_ERROR)
		it->errors++;
	else if (d->severity == TANDEM_WARNING)
		it->warnings++;
	else
		it->infos++;
	if (it->forward)
		cli_diag_fn(d, it->forward);
}

void cli_item_doc(cli_item *it, const tandem_doc *doc)
{
	if (!it)
		return;
	const char *f = tandem_doc_meta(doc, "format"), *e = tandem_doc_meta(doc, "encoding");
	snprintf(it->format, sizeof it->format, "%s", f ? f : "");
	snprintf(it->encoding, sizeof it->encoding, "%s", e ? e : "");
	it->segments = (long)tandem_doc_count(doc);
}

/* The record of an input as it is now, under the run's options. */
static bool current(const cli_batch *b, const cli_item *it, record *r)
{
	struct stat st;
	if (stat(it->in, &st) || !S_ISREG(st.st_mode))
		return false;
	r->key = fnv(FNV_START, it->out);
	r->opts = fnv(b->opts, it->media ? it->media : "");
	r->size = (long long)st.st_size;
	r->mtime = (long long)st.st_mtim.tv_sec * 1000000000ll + st.st_mtim.tv_nsec;
	return true;
}

bool cli_batch_skip(cli_batch *b, cli_item *it)
{
	record now;
	struct stat os;
	if (!b->resume || !it->out || !b->table || !current(b, it, &now) || stat(it->out, &os))
		return false;
	long long omtime = (long long)os.st_mtim.tv_sec * 1000000000ll + os.st_mtim.tv_nsec;
	const record *r = slot(b, now.key);
	if (r->key != now.key || r->size != now.size || r->mtime != now.mtime ||
	    r->opts != now.opts || omtime < now.mtime)
		return false;
	it->skipped = true;
	return true;
}

/* Append one record with one write(): concurrent runs into one OUTDIR interleave whole lines. */
static void record_output(cli_batch *b, const cli_item *it)
{
	record r;
	if (!b->manifest || !current(b, it, &r))
		return;
	pthread_mutex_lock(&out_lock);
	if (b->manifest_fd < 0)
		b->manifest_fd = open(b->manifest, O_WRONLY | O_CREAT | O_APPEND, 0666);
	if (b->manifest_fd >= 0) {
		size_t n = strlen(it->out) + 80;
		char *line = malloc(n);
		if (!line)
			abort();
		int k = snprintf(line, n, "%s\t%lld\t%lld\t%016llx\n", it->out, r.size, r.mtime,
		                 (unsigned long long)r.opts);
		if (write(b->manifest_fd, line, (size_t)k) != k)
			cli_err("%s: cannot write: %s", b->manifest, strerror(errno));
		free(line);
	}
	pthread_mutex_unlock(&out_lock);
}

static void json_line(cli_batch *b, const cli_item *it, const char *status)
{
	FILE *fp = b->jsonl_fp;
	fputs("{\"input\":", fp);
	json_str(fp, it->in);
	fputs(",\"media\":", fp);
	json_str(fp, it->media);
	fputs(",\"output\":", fp);
	json_str(fp, it->out);
	fprintf(fp, ",\"status\":\"%s\",\"exit\":%d,\"format\":", status, it->exit);
	json_str(fp, it->format[0] ? it->format : NULL);
	fputs(",\"encoding\":", fp);
	json_str(fp, it->encoding[0] ? it->encoding : NULL);
	if (it->segments < 0)
		fputs(",\"segments\":null", fp);
	else
		fprintf(fp, ",\"segments\":%ld", it->segments);
	fprintf(fp, ",\"findings\":{\"error\":%zu,\"warning\":%zu,\"info\":%zu}", it->errors,
	        it->warnings, it->infos);
	if (!b->no_time) {
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long long ms = (t1.tv_sec - it->t0.tv_sec) * 1000ll +
		               (t1.tv_nsec - it->t0.tv_nsec) / 1000000;
		fprintf(fp, ",\"ms\":%lld", ms);
	}
	fputs("}\n", fp);
	fflush(fp);
}

void cli_batch_done(cli_batch *b, cli_item *it, int exit)
{
	it->exit = it->skipped ? EXIT_OK : exit;
	/* check's 1 is findings in a file it read; a writer's 1 wrote nothing (sync refused). */
	bool failed = exit == EXIT_USAGE || (exit && it->out);
	const char *status = it->skipped ? "skipped" : failed ? "failed" : "ok";
	if (failed && !it->skipped && !it->errors)
		it->errors = 1;   /* said by cli_err, not a diagnostic; a failure is an error */
	if (!it->skipped && !exit && it->out && b->outdir)
		record_output(b, it);
	pthread_mutex_lock(&out_lock);
	b->skipped += it->skipped;
	if (b->jsonl_fp) {
		cli_lock();
		json_line(b, it, status);
		cli_unlock();
	}
	pthread_mutex_unlock(&out_lock);
}

int cli_item_convert(cli_item *it, const char *to, tandem_read_opts *ro, tandem_write_opts *wo)
{
	ro->diag = cli_item_diag;
	ro->diag_user = it;
	wo->diag = cli_item_diag;
	wo->diag_user = it;
	struct stat st;
	if (!it->want_doc || stat(it->in, &st) || st.st_size > ITEM_READ_MAX)
		return tandem_convert_file(it->in, it->out, to, ro, wo);
	/* Small enough to hold: read, note what it is, write (the same bytes). */
	if (tandem_same_file(it->in, it->out))
		return TANDEM_ESAME;
	tandem_doc *doc;
	int rc = tandem_doc_read_file(&doc, it->in, ro);
	if (rc)
		return rc;
	cli_item_doc(it, doc);
	rc = tandem_doc_write_file(doc, to, wo, it->out);
	tandem_doc_free(doc);
	return rc;
}

/* retime and sync over pairs: the run. */
typedef struct pairs_run {
	cli_opts *c;
	const char *outdir, *audio;
	cli_one_fn one;
	void *user;
	size_t n, failed, refused;
} pairs_run;

/* One input of the pairs (in this shard): its output, its run, its record. */
static int pair_one(void *user, const char *in, const char *media)
{
	pairs_run *p = user;
	cli_opts *c = p->c;
	if (!cli_batch_mine(&c->batch, in))
		return 0;
	char *out = cli_batch_output(p->outdir, in, c->to);
	cli_item it;
	cli_item_begin(&c->batch, &it, in, media ? media : p->audio, out, NULL);
	int st = EXIT_OK;
	if (cli_batch_skip(&c->batch, &it)) {
	} else if (cli_mkdirs(out)) {
		cli_err("%s: cannot create its directory: %s", out, strerror(errno));
		st = EXIT_USAGE;
	} else {
		bool quiet = c->diag.quiet;
		cli_diag_init(&c->diag);   /* counts per input */
		c->diag.quiet = quiet;
		c->out = out;
		c->audio = it.media;
		c->format = c->to;
		c->batch.item = &it;
		st = p->one(p->user, c, in);
		c->batch.item = NULL;
		it.errors = c->diag.errors;
		it.warnings = c->diag.warnings;
		it.infos = c->diag.infos;
	}
	cli_batch_done(&c->batch, &it, st);
	p->n++;
	p->failed += st == EXIT_USAGE;
	p->refused += st == EXIT_FINDINGS;
	free(out);
	return 0;
}

int cli_batch_pairs(cli_opts *c, const char *outdir, int argc, char **argv, cli_one_fn one,
                    void *user)
{
	if (c->out)
		return cli_usage(c->cmd, "-o and -d do not go together");
	if (!c->to)
		return cli_usage(c->cmd, "a batch needs -t FORMAT");
	if (!tandem_format_can_write(c->to))
		return cli_usage(c->cmd, "cannot write format '%s'", c->to);
	if (optind == argc && !c->batch.files_from)
		return cli_usage(c->cmd, "no input given");
	if (cli_readable(c, c->from) ||
	    cli_batch_start(&c->batch, c->cmd, outdir, c->diag.quiet, argc, argv))
		return EXIT_USAGE;
	pairs_run p = {c, outdir, c->audio, one, user, 0, 0, 0};
	for (int i = optind; i < argc; i++)
		pair_one(&p, argv[i], NULL);
	int st = cli_batch_list(&c->batch, pair_one, &p);
	cli_batch_end(&c->batch);
	fprintf(stderr, "%s: %zu of %zu files written to %s", c->cmd,
	        p.n - p.failed - p.refused, p.n, outdir);
	if (p.failed || p.refused)
		fprintf(stderr, "; %zu failed", p.failed + p.refused);
	fputc('\n', stderr);
	return st ? st : p.failed || p.refused ? EXIT_FINDINGS : EXIT_OK;
}
