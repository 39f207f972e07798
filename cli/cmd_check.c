/*
 * cmd_check.c - `tandem check FILE...`: coverage of the translation, timing
 * quality, and the cues against the media's real duration; one line per
 * finding, a summary per file, a table at the end of a batch, or --json.
 */
#include "cli.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static const char help[] =
	"usage: tandem check [OPTIONS] FILE...\n"
	"       tandem check --audio MEDIA [--media-method HOW]\n"
	"\n"
	"Check subtitles and transcripts (a FILE may be a directory: the files\n"
	"in it that tandem reads, recursively): translation coverage (missing, empty,\n"
	"untranslated, wrong script, numbers/URLs/names lost on one side, odd\n"
	"length ratios), timing (order, overlaps, durations, gaps, reading speed,\n"
	"line length, line count) and, with --audio, the cues against the media's\n"
	"real duration.  Findings are printed to stdout as\n"
	"  FILE:LINE:COL: severity: message [rule-id]\n"
	"then a summary per file, and a table when there are several files.\n"
	"With --audio and no FILE, print the media's duration only.\n"
	"\n"
	"Options:\n"
	"  -a, --audio MEDIA      the media the cues belong to; 'auto' looks for a file\n"
	"                         named like each FILE beside it (talk.srt -> talk.mp4)\n"
	"      --media-method HOW auto (default: the header when exact, else read every\n"
	"                         packet), header, or scan\n"
	"  -T, --translation FILE a separate translation to check against FILE\n"
	"  -p, --profile NAME     default, netflix or bbc (thresholds; see --rules)\n"
	"  -c, --config RULES     YAML file overriding any threshold or rule severity\n"
	"  -s, --set KEY=VALUE    override one threshold (min_gap=120, zh.cps=10,\n"
	"                         overlap=error, identical-translation=off)\n"
	"      --tolerance MS     how far past the media's end a cue may run (0 to 3600000,\n"
	"                         default 250)\n"
	"      --rules            list the rules and the profile's thresholds, then exit\n"
	"      --json             one JSON document on stdout instead of text\n"
	"  -f, --from FORMAT      input format (default: from extension or content)\n"
	"      --encoding NAME    decode inputs from NAME instead of detecting\n"
	CLI_MAX_INPUT_HELP
	"  -q, --quiet            print errors and the summaries only\n"
	"  -h, --help             show this help\n"
	"\n"
	"%s"
	"\n"
	"Exit status: 0 no error-level finding, 1 at least one, 2 bad usage or an\n"
	"unreadable input (subtitle, media or rules file).\n";

typedef struct finding {
	tandem_severity sev;
	char *rule, *file, *message;
	size_t line, col, line2;
	long segment;
	size_t order;
} finding;

typedef struct result {
	const char *path;       /* as given; "-" is stdin */
	const char *name;       /* as shown: "<stdin>" for "-", as the readers say */
	finding *f;
	size_t n, cap;
	int read_rc;            /* reading the file */
	char *media_path;
	int media_rc;
	tandem_media_info media;
	tandem_check_summary sum;
	bool checked;
	bool media_missing;     /* --audio auto found nothing beside it */
	size_t ne, nw, ni;      /* findings by severity, kept after they are freed */
	cli_item *item;         /* its --jsonl record */
} result;

static void collect_fn(const tandem_diag *d, void *user)
{
	result *r = user;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = realloc(r->f, r->cap * sizeof *r->f);
		if (!r->f)
			abort();
	}
	finding *f = &r->f[r->n];
	f->sev = d->severity;
	f->rule = strdup(d->rule ? d->rule : "");
	f->file = strdup(d->file ? d->file : "<input>");
	f->message = strdup(d->message ? d->message : "");
	if (!f->rule || !f->file || !f->message)
		abort();
	f->line = d->line;
	f->col = d->col;
	f->line2 = d->line2;
	f->segment = d->segment;
	f->order = r->n;
	r->n++;
}

/* By file position; findings without one (whole-document) last. */
static int cmp_finding(const void *a, const void *b)
{
	const finding *x = a, *y = b;
	int fx = strcmp(x->file, y->file);
	if (fx)
		return fx;
	size_t lx = x->line ? x->line : (size_t)-1, ly = y->line ? y->line : (size_t)-1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void count(const result *r, size_t *e, size_t *w, size_t *i)
{
	if (!r->f && (r->ne || r->nw || r->ni)) {
		*e = r->ne;
		*w = r->nw;
		*i = r->ni;
		return;
	}
	*e = *w = *i = 0;
	for (size_t k = 0; k < r->n; k++) {
		if (r->f[k].sev == TANDEM_ERROR)
			(*e)++;
		else if (r->f[k].sev == TANDEM_WARNING)
			(*w)++;
		else
			(*i)++;
	}
}

static void free_findings(result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->f[i].rule);
		free(r->f[i].file);
		free(r->f[i].message);
	}
	free(r->f);
	r->f = NULL;
	r->n = r->cap = 0;
}

static void print_text(const result *r, bool quiet)
{
	for (size_t k = 0; k < r->n; k++) {
		const finding *f = &r->f[k];
		if (quiet && f->sev != TANDEM_ERROR)
			continue;
		tandem_diag d = {f->sev, f->rule, f->file, f->line, f->col, f->line2, 0,
		                 f->segment, f->message};
		char buf[2048];
		tandem_diag_format(&d, buf, sizeof buf);
		puts(buf);
	}
	size_t e, w, i;
	count(r, &e, &w, &i);
	if (r->read_rc) {
		printf("%s: not checked: %s\n", r->name, tandem_strerror(r->read_rc));
		return;
	}
	const tandem_check_summary *s = &r->sum;
	printf("%s: %zu segments", r->name, s->segments);
	if (s->timed)
		printf(" (%zu timed)", s->timed);
	printf(", %zu error%s, %zu warning%s", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s");
	if (i)
		printf(", %zu note%s", i, i == 1 ? "" : "s");
	if (s->bilingual)
		printf("; translated %zu of %zu segments (%.1f%%), %.1f%% of characters",
		       s->translated, s->segments, s->segments_pct, s->chars_pct);
	if (r->media_path) {
		if (r->media_rc) {
			printf("; media %s unreadable", r->media_path);
		} else {
			char t[32];
			cli_fmt_time(t, sizeof t, r->media.duration_ms);
			printf("; media %s lasts %s (%s)", r->media_path, t, r->media.method);
			if (s->media_pct >= 0)
				printf(", cues cover %.1f%%", s->media_pct);
		}
	}
	if (r->media_missing)
		printf("; no media named like it beside it");
	if (s->timed && s->max_cps > 0)
		printf("; reading speed peaks at %.1f cps (segment %zu)", s->max_cps,
		       s->max_cps_segment + 1);
	putchar('\n');
}

static void json_pct(FILE *fp, double v)
{
	if (v < 0)
		fputs("null", fp);
	else
		fprintf(fp, "%.2f", v);
}

static void print_json_file(const result *r, bool first)
{
	FILE *fp = stdout;
	fputs(first ? "\n" : ",\n", fp);
	fputs("{\"path\":", fp);
	json_str(fp, r->name);
	fputs(",\"media\":", fp);
	if (!r->media_path || r->media_rc) {
		fputs("null", fp);
	} else {
		fputs("{\"path\":", fp);
		json_str(fp, r->media_path);
		fputs(",\"duration_ms\":", fp);
		json_ms(fp, r->media.duration_ms);
		fputs(",\"method\":", fp);
		json_str(fp, r->media.method);
		fputc('}', fp);
	}
	if (r->read_rc) {
		fputs(",\"error\":", fp);
		json_str(fp, tandem_strerror(r->read_rc));
	} else if (r->media_path && r->media_rc) {
		fputs(",\"error\":", fp);
		json_str(fp, tandem_strerror(r->media_rc));
	}
	fputs(",\"findings\":[", fp);
	for (size_t k = 0; k < r->n; k++) {
		const finding *f = &r->f[k];
		fputs(k ? ",\n  {\"rule\":" : "\n  {\"rule\":", fp);
		json_str(fp, f->rule);
		fputs(",\"severity\":", fp);
		json_str(fp, tandem_severity_name(f->sev));
		fputs(",\"line\":", fp);
		if (f->line)
			fprintf(fp, "%zu", f->line);
		else
			fputs("null", fp);
		fputs(",\"segment\":", fp);
		if (f->segment >= 0)
			fprintf(fp, "%ld", f->segment);
		else
			fputs("null", fp);
		fputs(",\"message\":", fp);
		json_str(fp, f->message);
		fputc('}', fp);
	}
	fputs("],\"summary\":", fp);
	if (r->read_rc) {
		fputs("null}", fp);
		return;
	}
	const tandem_check_summary *s = &r->sum;
	size_t e, w, i;
	count(r, &e, &w, &i);
	fprintf(fp, "{\"segments\":%zu,\"timed\":%zu,\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu",
	        s->segments, s->timed, e, w, i);
	fprintf(fp, ",\"bilingual\":%s,\"translated\":%zu,\"coverage_segments_pct\":",
	        s->bilingual ? "true" : "false", s->translated);
	json_pct(fp, s->segments_pct);
	fprintf(fp, ",\"chars\":%zu,\"chars_translated\":%zu,\"coverage_chars_pct\":", s->chars,
	        s->chars_translated);
	json_pct(fp, s->chars_pct);
	fputs(",\"first_ms\":", fp);
	json_ms(fp, s->first_ms);
	fputs(",\"last_ms\":", fp);
	json_ms(fp, s->last_ms);
	fputs(",\"claimed_ms\":", fp);
	json_ms(fp, s->claimed_ms);
	fputs(",\"media_coverage_pct\":", fp);
	json_pct(fp, s->media_pct);
	fputs(",\"max_cps\":", fp);
	json_pct(fp, s->timed ? s->max_cps : -1);
	fputs("}}", fp);
}

static void print_table(const result *rs, size_t n)
{
	size_t wpath = 4;
	for (size_t k = 0; k < n; k++) {
		size_t l = strlen(rs[k].name);
		if (l > wpath)
			wpath = l;
	}
	if (wpath > 60)
		wpath = 60;
	printf("\n%-*s %8s %6s %8s %10s  %s\n", (int)wpath, "FILE", "SEGMENTS", "ERRORS", "WARNINGS",
	       "TRANSLATED", "MEDIA");
	size_t with_errors = 0, unreadable = 0, clean = 0;
	for (size_t k = 0; k < n; k++) {
		const result *r = &rs[k];
		size_t e, w, i;
		count(r, &e, &w, &i);
		const char *p = r->name;
		size_t l = strlen(p);
		if (l > wpath)
			p += l - wpath;
		if (r->read_rc) {
			printf("%-*s %8s %6zu %8zu %10s  %s\n", (int)wpath, p, "-", e, w, "-",
			       "unreadable");
			unreadable++;
			continue;
		}
		char tr[16], media[64];
		if (r->sum.bilingual)
			snprintf(tr, sizeof tr, "%.1f%%", r->sum.segments_pct);
		else
			snprintf(tr, sizeof tr, "-");
		if (!r->media_path) {
			snprintf(media, sizeof media, "-");
		} else if (r->media_rc) {
			snprintf(media, sizeof media, "unreadable");
			unreadable++;
		} else {
			char t[32];
			cli_fmt_time(t, sizeof t, r->media.duration_ms);
			snprintf(media, sizeof media, "%s (%s)", t, r->media.method);
		}
		printf("%-*s %8zu %6zu %8zu %10s  %s\n", (int)wpath, p, r->sum.segments, e, w, tr,
		       media);
		if (e)
			with_errors++;
		else if (!w)
			clean++;
	}
	printf("%zu files: %zu clean, %zu with errors, %zu unreadable\n", n, clean, with_errors,
	       unreadable);
}

typedef struct paths {
	char **v;
	size_t n, cap;
} paths;

static void paths_add(paths *p, const char *s)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = realloc(p->v, p->cap * sizeof *p->v);
		if (!p->v)
			abort();
	}
	p->v[p->n] = strdup(s);
	if (!p->v[p->n])
		abort();
	p->n++;
}

/* A file in a directory is checked when tandem can read its extension (or .txt/.md). */
static bool checkable(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || name[0] == '.')
		return false;
	if (strcmp(dot, ".txt") == 0 || strcmp(dot, ".md") == 0)
		return true;
	const char *f = tandem_format_from_path(name);
	return f && tandem_format_can_read(f);
}

/* Files given, and the checkable files under directories given, in name order. */
static void expand(paths *p, const char *path, bool top)
{
	struct stat st;
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		if (top || checkable(path))
			paths_add(p, path);
		return;
	}
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		paths_add(p, path);   /* reported as unreadable in its turn */
		return;
	}
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
			char *sub = malloc(len);
			if (!sub)
				abort();
			snprintf(sub, len, "%s/%s", path, names[i]->d_name);
			expand(p, sub, false);
			free(sub);
		}
		free(names[i]);
	}
	free(names);
}

static int media_only(const char *path, tandem_media_how how, bool json)
{
	cli_diag d;
	cli_diag_init(&d);
	tandem_media_info m;
	int rc = tandem_media_probe(path, how, &m, cli_diag_fn, &d);
	if (rc)
		return EXIT_USAGE;
	if (json) {
		fputs("{\"media\":{\"path\":", stdout);
		json_str(stdout, path);
		printf(",\"duration_ms\":%lld,\"method\":\"%s\",\"container\":", (long long)m.duration_ms,
		       m.method);
		json_str(stdout, m.container);
		fputs(",\"codec\":", stdout);
		json_str(stdout, m.codec);
		printf(",\"sample_rate\":%d,\"channels\":%d,\"video\":%s}}\n", m.sample_rate, m.channels,
		       m.has_video ? "true" : "false");
	} else {
		char t[32];
		cli_fmt_time(t, sizeof t, m.duration_ms);
		printf("%s: %s (%lld ms, %s); %s, %s, %d Hz, %d channel%s%s\n", path, t,
		       (long long)m.duration_ms, m.method, m.container, m.codec, m.sample_rate,
		       m.channels, m.channels == 1 ? "" : "s", m.has_video ? ", with video" : "");
	}
	return EXIT_OK;
}

static void list_rules(const tandem_check_rules *rules, const char *profile)
{
	printf("Rules (id, default severity, what it finds):\n");
	tandem_severity sev;
	const char *what;
	for (size_t k = 0; tandem_check_rule_id(k, &sev, &what); k++) {
		const char *id = tandem_check_rule_id(k, NULL, NULL);
		double v;
		tandem_check_rules_get(rules, id, &v);
		printf("  %-22s %-8s %s\n", id, v < 0 ? "off" : tandem_severity_name((tandem_severity)v),
		       what);
	}
	printf("\nThresholds of profile '%s' (ms, percent, counts; 0 = off):\n", profile);
	static const char *const keys[] = {
		"min_duration", "max_duration", "min_gap", "fps", "max_lines", "media_tolerance",
		"claim_tolerance", "min_media_coverage", "ratio_outlier", "ratio_min_chars",
	};
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		double v;
		if (tandem_check_rules_get(rules, keys[k], &v) == 0)
			printf("  %-20s %g\n", keys[k], v);
	}
	static const char *const langs[] = {"en", "zh", "ja", "ko", "default"};
	printf("  %-8s %10s %10s %6s %6s\n", "language", "line_chars", "line_width", "cps", "wpm");
	for (size_t k = 0; k < sizeof langs / sizeof *langs; k++) {
		char key[32];
		double c = 0, w = 0, cps = 0, wpm = 0;
		snprintf(key, sizeof key, "%s.line_chars", langs[k]);
		if (tandem_check_rules_get(rules, key, &c))
			continue;
		snprintf(key, sizeof key, "%s.line_width", langs[k]);
		tandem_check_rules_get(rules, key, &w);
		snprintf(key, sizeof key, "%s.cps", langs[k]);
		tandem_check_rules_get(rules, key, &cps);
		snprintf(key, sizeof key, "%s.wpm", langs[k]);
		tandem_check_rules_get(rules, key, &wpm);
		printf("  %-8s %10g %10g %6g %6g\n", langs[k], c, w, cps, wpm);
	}
}

enum { OPT_JSON = OPT_CLI_FIRST_FREE, OPT_TOLERANCE, OPT_RULES, OPT_METHOD };

/* The options of check, and what the run sets up from them. */
typedef struct check_args {
	const char *translation, *profile, *config, *tolerance;
	const char **sets;      /* --set, in order */
	size_t nsets;
	bool json, rules_only, quiet;
	tandem_media_how how;
	tandem_check_rules *rules;
	tandem_doc *trdoc;      /* -T */
	bool auto_media;        /* --audio auto */
	char *shared_media;     /* --audio MEDIA, probed once for every file */
	int shared_rc;
	tandem_media_info shared_info;
	tandem_read_opts ro;
	cli_batch *batch;       /* --files-from, --shard, --jsonl */
} check_args;

static int check_option(void *user, int code, const char *arg)
{
	check_args *a = user;
	switch (code) {
	case 'T': a->translation = arg; cli_reads(arg); return 1;
	case 'p': a->profile = arg; return 1;
	case 'c': a->config = arg; cli_reads(arg); return 1;
	case 's':
		a->sets = realloc(a->sets, (a->nsets + 1) * sizeof *a->sets);
		if (!a->sets)
			abort();
		a->sets[a->nsets++] = arg;
		return 1;
	case OPT_TOLERANCE: {
		char *end;
		double v = strtod(arg, &end);
		if (end == arg || *end || !(v >= 0) || v > 3600000)
			return cli_usage("check", "--tolerance takes milliseconds, 0 to 3600000"), -1;
		a->tolerance = arg;
		return 1;
	}
	case OPT_RULES: a->rules_only = true; return 1;
	case OPT_JSON: a->json = true; return 1;
	case OPT_METHOD:
		if (strcmp(arg, "auto") == 0)
			a->how = TANDEM_MEDIA_AUTO;
		else if (strcmp(arg, "header") == 0)
			a->how = TANDEM_MEDIA_HEADER;
		else if (strcmp(arg, "scan") == 0)
			a->how = TANDEM_MEDIA_SCAN;
		else
			return cli_usage("check", "--media-method takes auto, header or scan"), -1;
		return 1;
	default: return 0;
	}
}

static const struct option longopts[] = {
	CLI_OPT_AUDIO,
	{"media-method", required_argument, NULL, OPT_METHOD},
	{"translation", required_argument, NULL, 'T'},
	{"profile", required_argument, NULL, 'p'},
	{"config", required_argument, NULL, 'c'},
	{"set", required_argument, NULL, 's'},
	{"tolerance", required_argument, NULL, OPT_TOLERANCE},
	{"rules", no_argument, NULL, OPT_RULES},
	{"json", no_argument, NULL, OPT_JSON},
	CLI_OPT_FROM,
	CLI_OPT_ENCODING,
	CLI_OPT_MAX_INPUT,
	CLI_OPT_QUIET,
	CLI_OPT_HELP,
	CLI_BATCH_LONGOPTS,
	CLI_OPT_END,
};

static const cli_spec spec = {
	"check", "a:T:p:c:s:f:0qh", longopts, help, {cli_batch_help, NULL, NULL}, check_option,
};

/* --config, --set and --tolerance on the profile's rules: 0, else EXIT_USAGE. */
static int tune_rules(check_args *a, cli_diag *d)
{
	if (a->config && tandem_check_rules_load(a->rules, a->config, cli_diag_fn, d))
		return EXIT_USAGE;
	for (size_t k = 0; k < a->nsets; k++) {
		const char *set = a->sets[k], *eq = strchr(set, '=');
		char key[128];
		if (!eq || (size_t)(eq - set) >= sizeof key)
			return cli_usage("check", "--set takes KEY=VALUE, not '%s'", set);
		memcpy(key, set, (size_t)(eq - set));
		key[eq - set] = '\0';
		if (tandem_check_rules_set(a->rules, key, eq + 1))
			return cli_usage("check", "cannot set '%s' to '%s' (see --rules)", key, eq + 1);
	}
	if (a->tolerance && tandem_check_rules_set(a->rules, "media_tolerance", a->tolerance))
		return cli_usage("check", "--tolerance takes milliseconds (0 or more)");
	return 0;
}

/* -T and --audio, read once for every file: 0, else EXIT_USAGE (printed). */
static int load_shared(check_args *a, const cli_opts *c, const char *audio, cli_diag *d)
{
	if (a->translation) {
		tandem_read_opts to;
		cli_read_opts(&to, NULL, c->encoding, 0, d);
		int rc = tandem_doc_read_file(&a->trdoc, a->translation, &to);
		if (rc) {
			if (rc != TANDEM_EPARSE)
				cli_err("%s: %s", a->translation, tandem_strerror(rc));
			return EXIT_USAGE;
		}
	}
	a->auto_media = audio && strcmp(audio, "auto") == 0;
	if (audio && !a->auto_media) {
		a->shared_media = strdup(audio);
		if (!a->shared_media)
			abort();
		a->shared_rc = tandem_media_probe(audio, a->how, &a->shared_info, cli_diag_fn, d);
	}
	return 0;
}

/* The media of one file: its own (--audio auto) or the shared one. */
static void find_media(const check_args *a, result *r)
{
	if (a->auto_media) {
		r->media_path = tandem_media_find(r->path);
		r->media_missing = !r->media_path;
		if (r->media_path)
			r->media_rc = tandem_media_probe(r->media_path, a->how, &r->media, collect_fn, r);
	} else if (a->shared_media) {
		r->media_path = strdup(a->shared_media);
		if (!r->media_path)
			abort();
		r->media_rc = a->shared_rc;
		r->media = a->shared_info;
	}
}

/* Read and check one file, its findings sorted; false when it (or its media) is unreadable. */
static bool check_one(check_args *a, result *r)
{
	a->ro.diag = collect_fn;
	a->ro.diag_user = r;
	tandem_doc *doc = NULL;
	r->read_rc = tandem_doc_read_file(&doc, r->path, &a->ro);
	bool readable = !r->read_rc;
	if (r->read_rc && r->n == 0) {
		/* Say why even when the reader had nothing positioned to say. */
		tandem_diag dg = {TANDEM_ERROR, "read", r->name, 0, 0, 0, 0, -1,
		                  tandem_strerror(r->read_rc)};
		collect_fn(&dg, r);
	} else if (!r->read_rc) {
		find_media(a, r);
		if (a->auto_media && r->media_path && r->media_rc)
			readable = false;
		tandem_check_opts co;
		tandem_check_opts_init(&co);
		co.filename = r->name;
		co.rules = a->rules;
		co.translation = a->trdoc;
		co.translation_filename = a->translation;
		co.diag = collect_fn;
		co.diag_user = r;
		if (r->media_path && !r->media_rc)
			co.media_ms = r->media.duration_ms;
		tandem_check_run(doc, &co, &r->sum);
		r->checked = true;
		cli_item_doc(r->item, doc);
		tandem_doc_free(doc);
	}
	if (r->n)
		qsort(r->f, r->n, sizeof *r->f, cmp_finding);
	return readable;
}

/* Check every file, printing as it goes; the exit status. */
static int check_files(check_args *a, result *rs, const paths *files)
{
	bool out = !cli_batch_owns_stdout(a->batch);
	if (a->json && out)
		fputs("{\"files\":[", stdout);
	bool any_error = false, unreadable = a->shared_rc != 0;
	for (size_t k = 0; k < files->n; k++) {
		result *r = &rs[k];
		cli_item it;
		cli_item_begin(a->batch, &it, files->v[k], NULL, NULL, NULL);
		r->item = &it;
		r->path = files->v[k];
		r->name = strcmp(r->path, "-") == 0 ? "<stdin>" : r->path;
		bool readable = check_one(a, r);
		unreadable |= !readable;
		for (size_t i = 0; i < r->n; i++)
			any_error |= r->f[i].sev == TANDEM_ERROR;
		if (a->json && out)
			print_json_file(r, k == 0);
		else if (out)
			print_text(r, a->quiet);
		fflush(stdout);
		/* A batch of thousands keeps only the counts for its table. */
		count(r, &r->ne, &r->nw, &r->ni);
		free_findings(r);
		it.errors = r->ne;
		it.warnings = r->nw;
		it.infos = r->ni;
		cli_batch_done(a->batch, &it, !readable ? EXIT_USAGE : r->ne ? EXIT_FINDINGS : EXIT_OK);
		r->item = NULL;
	}
	if (out && a->json)
		fputs("\n]}\n", stdout);
	else if (out && files->n > 1)
		print_table(rs, files->n);
	return unreadable ? EXIT_USAGE : any_error ? EXIT_FINDINGS : EXIT_OK;
}

/* An entry of --files-from: a file, or a directory's checkable files. */
static int add_listed(void *user, const char *in, const char *media)
{
	expand(user, in, true);
	return 0;
}

/* --shard: keep this shard's files. */
static void shard(const cli_batch *b, paths *p)
{
	size_t w = 0;
	for (size_t k = 0; k < p->n; k++) {
		if (cli_batch_mine(b, p->v[k]))
			p->v[w++] = p->v[k];
		else
			free(p->v[k]);
	}
	p->n = w;
}

/* After the options: the rules, then --rules, the media alone, or the files. */
static int run(check_args *a, cli_opts *c, int argc, char **argv)
{
	int nin = argc - optind;
	cli_diag d;
	cli_diag_init(&d);
	int status = tune_rules(a, &d);
	if (status)
		return status;
	if (a->rules_only) {
		list_rules(a->rules, a->profile);
		return EXIT_OK;
	}
	bool piped = false;
	if (!nin && !c->batch.files_from) {
		if (c->audio && strcmp(c->audio, "auto") != 0)
			return media_only(c->audio, a->how, a->json);
		if (!cli_stdin_piped())
			return cli_usage("check", "no input given");
		piped = true;   /* no input named, and something piped in */
	}
	/* each file's diagnostics: collect_fn, in check_one */
	cli_read_opts(&a->ro, c->from, c->encoding, 0, &d);
	if (load_shared(a, c, c->audio, &d))
		return EXIT_USAGE;
	paths files = {NULL, 0, 0};
	for (int k = 0; k < nin; k++)
		expand(&files, argv[optind + k], true);
	if (piped)
		expand(&files, "-", true);
	a->batch = &c->batch;
	if (cli_batch_list(&c->batch, add_listed, &files) ||
	    cli_batch_start(&c->batch, "check", NULL, c->diag.quiet, argc, argv))
		status = EXIT_USAGE;
	shard(&c->batch, &files);
	result *rs = calloc(files.n + 1, sizeof *rs);
	if (!rs)
		abort();
	if (!status)
		status = check_files(a, rs, &files);
	cli_batch_end(&c->batch);
	for (size_t k = 0; k < files.n; k++) {
		free_findings(&rs[k]);
		free(rs[k].media_path);
		free(files.v[k]);
	}
	free(rs);
	free(files.v);
	return status;
}

int cmd_check(int argc, char **argv)
{
	check_args a = {.profile = "default", .how = TANDEM_MEDIA_AUTO};
	cli_opts c;
	int status = cli_parse(&spec, &c, &a, argc, argv);
	a.quiet = c.diag.quiet;
	if (status == CLI_GO && cli_readable(&c, c.from))
		status = EXIT_USAGE;
	if (status == CLI_GO && !(a.rules = tandem_check_rules_new(a.profile)))
		status = cli_usage("check", "unknown profile '%s' (default, netflix, bbc)", a.profile);
	if (status == CLI_GO)
		status = run(&a, &c, argc, argv);
	free(a.shared_media);
	free(a.sets);
	tandem_doc_free(a.trdoc);
	tandem_check_rules_free(a.rules);
	return status;
}
