/*
 * cli.h - the CLI's private header: what the commands share.  Diagnostics
 * printing and usage errors, the option prologue (the common options, their
 * parsing, the input read and the output chosen and written), the output
 * and fitting options, and a small JSON emitter.  The CLI uses only the
 * public API (tandem.h).
 */
#ifndef TANDEM_CLI_H
#define TANDEM_CLI_H

#include "tandem.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

/* Exit codes, the same for every command. */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

/* Commands: int cmd_NAME(int argc, char **argv), argv[0] is the command name. */
int cmd_convert(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_retime(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_check(int argc, char **argv);

/* A diagnostics sink that prints to stderr and counts (thread-safe). */
typedef struct cli_diag {
	size_t errors, warnings, infos;
	size_t shown;       /* printed so far */
	size_t limit;       /* print at most this many warnings/infos (errors always) */
	bool quiet;         /* print errors only */
	bool summary;       /* count findings, print none (convert --summary) */
} cli_diag;

void cli_diag_init(cli_diag *d);
void cli_diag_fn(const tandem_diag *diag, void *user);
/* Print "tandem: message" to stderr (serialised with the diagnostics). */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error and the --help hint; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Lock around multi-line writes to stderr from worker threads. */
void cli_lock(void);
void cli_unlock(void);
/*
 * A status line (batch progress) at the bottom of a terminal's stderr,
 * called with cli_lock() held: `line` replaces the one shown ("\r\e[K"
 * first), NULL ends it with a newline.  Every message printed while one is
 * shown clears it first and draws it again after, so none shares its line.
 */
void cli_status_locked(const char *line);
/*
 * Findings counted per file (convert --summary): the calling thread's
 * findings also go to *t between cli_tally_begin and cli_tally_end.
 */
typedef struct cli_tally {
	size_t errors, warnings, infos;
} cli_tally;
void cli_tally_begin(cli_tally *t);
void cli_tally_end(void);
/* "NAME: ok|failed, N errors, N warnings, N infos" on stderr. */
void cli_tally_print(const char *name, bool ok, const cli_tally *t);

/*
 * Output options shared by convert, align, retime and sync.  Put
 * CLI_WRITE_LONGOPTS in the getopt_long table, and pass unknown option codes
 * to cli_write_option(); it returns 1 when it took the option, 0 when the
 * code is not one of its own, -1 (after printing) on a bad value.
 */
enum {
	OPT_CRLF = 1000, OPT_ORDER, OPT_SIDE, OPT_VTT_STYLE, OPT_TIMINGS, OPT_META,
	OPT_SUMMARY_LABEL, OPT_PARA_CHARS, OPT_ASS_LAYOUT,
	OPT_SPEAKERS, OPT_DROP_GLOSSES,
	OPT_CLI_FIRST_FREE = 1100
};
#define CLI_WRITE_LONGOPTS                                                     \
	{"crlf", no_argument, NULL, OPT_CRLF},                                     \
	{"order", required_argument, NULL, OPT_ORDER},                             \
	{"side", required_argument, NULL, OPT_SIDE},                               \
	{"vtt-style", no_argument, NULL, OPT_VTT_STYLE},                           \
	{"timings", no_argument, NULL, OPT_TIMINGS},                               \
	{"meta", required_argument, NULL, OPT_META},                               \
	{"summary-label", required_argument, NULL, OPT_SUMMARY_LABEL},             \
	{"para-chars", required_argument, NULL, OPT_PARA_CHARS},                   \
	{"ass-layout", required_argument, NULL, OPT_ASS_LAYOUT},                   \
	{"speakers", required_argument, NULL, OPT_SPEAKERS},                       \
	{"drop-glosses", no_argument, NULL, OPT_DROP_GLOSSES},                     \
	CLI_EDIT_LONGOPTS
int cli_write_option(const char *cmd, int code, const char *arg, tandem_write_opts *o);
/* The help text for those options. */
extern const char cli_write_help[];

/*
 * The output edits of every writing command, in cli/timeedit.c (their
 * options are part of CLI_WRITE_LONGOPTS and cli_write_help): --shift
 * OFFSET, --fps FROM:TO (times), --out-encoding NAME and --bom (set in the
 * write options).  Times are scaled first, then shifted.
 */
enum { OPT_SHIFT = 1300, OPT_FPS, OPT_OUT_ENCODING, OPT_BOM };
#define CLI_EDIT_LONGOPTS                                                      \
	{"shift", required_argument, NULL, OPT_SHIFT},                             \
	{"fps", required_argument, NULL, OPT_FPS},                                 \
	{"out-encoding", required_argument, NULL, OPT_OUT_ENCODING},               \
	{"bom", no_argument, NULL, OPT_BOM}
typedef struct cli_edit {
	bool shift;            /* --shift given */
	int64_t shift_ms;
	double fps_from, fps_to; /* --fps FROM:TO; 0 when not given */
} cli_edit;
/* 1 taken, 0 not its own, -1 bad value (printed). */
int cli_edit_option(const char *cmd, int code, const char *arg, cli_edit *e,
                    tandem_write_opts *wo);
/* Whether the times are edited (--shift or --fps). */
bool cli_edit_active(const cli_edit *e);
/* Scale and shift doc's times (name is for findings); 0, or -1. */
int cli_edit_apply(const cli_edit *e, tandem_doc *doc, const char *name, cli_diag *diag);

/*
 * Read options from a command's input options (--from, --encoding,
 * --strict; NULL and 0 for the defaults), diagnostics going to diag.
 */
void cli_read_opts(tandem_read_opts *ro, const char *format, const char *encoding, int strict,
                   cli_diag *diag);
/*
 * Read a document; on failure say why on stderr (unless the reader already
 * reported an error to diag) and return NULL.
 */
tandem_doc *cli_read_doc(const char *path, const tandem_read_opts *ro, const cli_diag *diag);

/*
 * The output format: -t wins, then the output path's extension.
 * Prints and returns NULL when neither gives a writable format.
 */
const char *cli_output_format(const char *cmd, const char *to, const char *path);

/*
 * Every file a command reads counts as an input that no output may
 * overwrite: cli_reads() names one read besides the inputs (--meta,
 * --lexicon, --fit-config, --audio, --reference, -T, --config; NULL is
 * ignored).  cli_refuse_inputs() is 0 when writing out overwrites none of
 * inputs nor those files, else TANDEM_ESAME after saying which.
 */
void cli_reads(const char *path);
int cli_refuse_inputs(const char *out, const char *const *inputs, size_t n);

/* Write a document to a path, refusing to overwrite any of the inputs. */
int cli_write_doc(const tandem_doc *doc, const char *format, tandem_write_opts *o,
                  const char *path, const char *const *inputs, size_t ninputs);

/*
 * --fit PROFILE, --fit-config RULES (convert, align, retime, sync),
 * --audio MEDIA (convert, align) and --estimate, --rate N (retime), in
 * cli/fit.c.  Put the LONGOPTS in the getopt_long table and pass unknown
 * codes to cli_fit_option (1 taken, 0 not its own, -1 bad value, printed).
 */
enum { OPT_FIT = 1050, OPT_FIT_CONFIG, OPT_FIT_AUDIO, OPT_ESTIMATE, OPT_RATE };
#define CLI_FIT_LONGOPTS                                                       \
	{"fit", required_argument, NULL, OPT_FIT},                                 \
	{"fit-config", required_argument, NULL, OPT_FIT_CONFIG}
#define CLI_FIT_AUDIO_LONGOPT {"audio", required_argument, NULL, OPT_FIT_AUDIO}
#define CLI_ESTIMATE_LONGOPTS                                                  \
	{"estimate", no_argument, NULL, OPT_ESTIMATE},                             \
	{"rate", required_argument, NULL, OPT_RATE}
typedef struct cli_fit {
	const char *profile;   /* NULL: no fitting (unless config) */
	const char *config;
	const char *audio;     /* convert, align: media for the cut timing */
	bool estimate;         /* retime */
	double rate;
} cli_fit;
int cli_fit_option(const char *cmd, int code, const char *arg, cli_fit *f);
/* Help lines: the fit options, --audio for them, retime's estimate options. */
extern const char cli_fit_help[], cli_fit_audio_help[], cli_estimate_help[];
/*
 * Fit doc when --fit (or --fit-config) was given, timing the cuts at the
 * pauses of `media` (NULL: f->audio, if any); name is for findings.
 * Returns 0, or -1 after printing why.
 */
int cli_fit_apply(const cli_fit *f, tandem_doc *doc, const char *media, const char *name,
                  cli_diag *diag);
/* convert with --fit: read, fit, write one file; a TANDEM_E* status. */
int cli_fit_convert(const cli_fit *f, const char *in, const char *out, const char *to,
                    const tandem_read_opts *ro, tandem_write_opts *wo, cli_diag *diag);
/* convert with --shift or --fps (and maybe --fit): read, edit, fit, write one file. */
int cli_edit_convert(const cli_edit *e, const cli_fit *f, const char *in, const char *out,
                     const char *to, const tandem_read_opts *ro, tandem_write_opts *wo,
                     cli_diag *diag);
/* retime --estimate; a TANDEM_E* status (printed). */
int cli_fit_estimate(const cli_fit *f, tandem_doc *doc, const char *name, cli_diag *diag);

/*
 * Corpus-scale batches (cli/batch.c, docs/batch.md): --files-from LIST
 * (-0: NUL-separated; INPUT<TAB>MEDIA pairs), --shard K/N, --jsonl FILE,
 * --jsonl-no-time and --resume, filed in cli_opts.batch by cli_parse.  Put
 * CLI_BATCH_LONGOPTS in the getopt_long table and "0" in the short options.
 */
enum { OPT_FILES_FROM = 1090, OPT_JSONL, OPT_JSONL_NO_TIME, OPT_RESUME, OPT_SHARD };
#define CLI_BATCH_LONGOPTS                                                     \
	{"files-from", required_argument, NULL, OPT_FILES_FROM},                   \
	{"null", no_argument, NULL, '0'},                                          \
	{"shard", required_argument, NULL, OPT_SHARD},                             \
	{"jsonl", required_argument, NULL, OPT_JSONL},                             \
	{"jsonl-no-time", no_argument, NULL, OPT_JSONL_NO_TIME},                   \
	{"resume", no_argument, NULL, OPT_RESUME}
extern const char cli_batch_help[];

typedef struct cli_batch {
	const char *files_from;          /* --files-from LIST, "-" stdin */
	bool nul;                        /* -0 */
	const char *jsonl;               /* --jsonl FILE, "-" stdout */
	bool no_time;                    /* --jsonl-no-time */
	bool resume;                     /* --resume */
	unsigned long shard_k, shard_n;  /* --shard K/N; n 0: every input */
	bool quiet;                      /* -q: say nothing at the end */
	/* The run, set by cli_batch_start. */
	const char *cmd, *outdir;
	FILE *jsonl_fp;
	char *manifest;                  /* OUTDIR/.tandem-manifest */
	int manifest_fd;
	unsigned long long opts;         /* fingerprint of the options */
	struct record *table;            /* --resume: the manifest's records */
	size_t cap, used, skipped;
	struct cli_item *item;           /* cli_batch_pairs: the input being run */
} cli_batch;

/* One input of a batch, from its start to its JSON line. */
typedef struct cli_item {
	const char *in, *media, *out;    /* media, out: NULL when none */
	int exit;                        /* EXIT_*: what this input alone would exit with */
	bool skipped;                    /* --resume found its output up to date */
	bool want_doc;                   /* --jsonl: read whole to name format and counts */
	char format[32], encoding[32];   /* "" unknown */
	long segments;                   /* -1 unknown */
	size_t errors, warnings, infos;  /* diagnostics of this input */
	cli_diag *forward;               /* cli_item_diag passes each on to this */
	struct timespec t0;
} cli_item;

/* An option code of the batch: 1 taken, 0 not its own, -1 bad value (printed). */
int cli_batch_option(const char *cmd, int code, const char *arg, cli_batch *b);
/* Any batch option given? */
bool cli_batch_on(const cli_batch *b);
/* Is path in this shard (always, without --shard)? */
bool cli_batch_mine(const cli_batch *b, const char *path);
/*
 * Open --jsonl, fingerprint the options (argv as getopt left it), and with
 * an OUTDIR load the manifest for --resume.  0, else EXIT_USAGE (printed).
 */
int cli_batch_start(cli_batch *b, const char *cmd, const char *outdir, bool quiet, int argc,
                    char **argv);
void cli_batch_end(cli_batch *b);
/* --jsonl -: the command's own report stays off stdout. */
bool cli_batch_owns_stdout(const cli_batch *b);
/*
 * Each entry of --files-from, in order: fn(user, input, media) (media NULL
 * when the line has no second column); a nonzero return stops.  fn tests
 * cli_batch_mine on the files it ends with (an entry may be a directory).
 * 0, else EXIT_USAGE (printed).
 */
typedef int (*cli_batch_fn)(void *user, const char *in, const char *media);
int cli_batch_list(cli_batch *b, cli_batch_fn fn, void *user);
/* path made relative ('.', '..' and leading '/' dropped); caller frees. */
char *cli_batch_rel(const char *path);
/* OUTDIR/rel(path) with the extension of format; caller frees. */
char *cli_batch_output(const char *outdir, const char *path, const char *format);
/* Create the directories above path: 0, else -1 (errno). */
int cli_mkdirs(const char *path);

/* Start an item (forward: the run's diagnostics, or NULL). */
void cli_item_begin(cli_batch *b, cli_item *it, const char *in, const char *media,
                    const char *out, cli_diag *forward);
/* A diagnostics sink counting for the item (user) and passing on. */
void cli_item_diag(const tandem_diag *d, void *user);
/* Note the document's format, encoding and segment count (it NULL: nothing). */
void cli_item_doc(cli_item *it, const tandem_doc *doc);
/* --resume: is its output up to date?  Then the item is marked skipped. */
bool cli_batch_skip(cli_batch *b, cli_item *it);
/* The item ended with exit: its manifest record (when written) and JSON line. */
void cli_batch_done(cli_batch *b, cli_item *it, int exit);
/* convert one item to format `to`; a TANDEM_E* status. */
int cli_item_convert(cli_item *it, const char *to, tandem_read_opts *ro, tandem_write_opts *wo);

/*
 * The option prologue.  A command describes itself in a cli_spec: its
 * getopt_long tables (the common entries written with the CLI_OPT_* macros,
 * in the order the command's --help lists them), its help text and a hook
 * for its own option codes.  cli_parse() runs getopt_long over argv, files
 * the common options (below) in a cli_opts, hands every other code to the
 * hook, prints the help for -h and reports an unknown option.
 */
enum { OPT_ENCODING = 1040, OPT_STRICT, OPT_MAX_INPUT };
#define CLI_OPT_FROM {"from", required_argument, NULL, 'f'}
#define CLI_OPT_TO {"to", required_argument, NULL, 't'}
#define CLI_OPT_OUTPUT {"output", required_argument, NULL, 'o'}
#define CLI_OPT_AUDIO {"audio", required_argument, NULL, 'a'}
#define CLI_OPT_ENCODING {"encoding", required_argument, NULL, OPT_ENCODING}
#define CLI_OPT_STRICT {"strict", no_argument, NULL, OPT_STRICT}
/* --max-input SIZE: how much to read from a pipe or device (tandem_set_max_input). */
#define CLI_OPT_MAX_INPUT {"max-input", required_argument, NULL, OPT_MAX_INPUT}
#define CLI_MAX_INPUT_HELP                                                     \
	"      --max-input SIZE   read at most SIZE from a pipe or device (default 4G;\n" \
	"                         1K to 1T, suffixes K, M, G, T)\n"
#define CLI_OPT_QUIET {"quiet", no_argument, NULL, 'q'}
#define CLI_OPT_HELP {"help", no_argument, NULL, 'h'}
#define CLI_OPT_END {NULL, 0, NULL, 0}
/* What every command that reads one document and writes cues takes
 * (convert, align, retime): decoding, limits, strictness, quiet, help, the
 * output options and --fit. */
#define CLI_OPTS_READ_WRITE                                                     \
	CLI_OPT_ENCODING, CLI_OPT_MAX_INPUT, CLI_OPT_STRICT, CLI_OPT_QUIET, CLI_OPT_HELP, \
	CLI_WRITE_LONGOPTS, CLI_FIT_LONGOPTS

typedef struct cli_spec {
	const char *name;                /* the command, for messages */
	const char *shortopts;
	const struct option *longopts;
	const char *help;                /* -h prints it, each %s the next part */
	const char *help_parts[4];
	/* A command's own codes: 1 taken, 0 not its own, -1 bad value (printed). */
	int (*option)(void *user, int code, const char *arg);
} cli_spec;

typedef struct cli_opts {
	const char *cmd;                 /* the spec's name */
	const char *from;                /* -f FORMAT: the input format */
	const char *to;                  /* -t FORMAT: the output format as given */
	const char *out;                 /* -o OUT */
	const char *audio;               /* -a MEDIA: retime, sync and check's recording */
	const char *encoding;            /* --encoding NAME */
	int strict;                      /* --strict */
	const char *format;              /* the output format, set by cli_formats() */
	tandem_write_opts wo;            /* CLI_WRITE_LONGOPTS */
	cli_fit fit;                     /* CLI_FIT_LONGOPTS and friends */
	cli_edit edit;                   /* --shift, --fps (CLI_EDIT_LONGOPTS) */
	cli_batch batch;                 /* CLI_BATCH_LONGOPTS */
	cli_diag diag;                   /* diagnostics of the run; -q sets diag.quiet */
} cli_opts;

/* Returned by cli_parse when the command goes on (else: its exit status). */
enum { CLI_GO = -1 };
int cli_parse(const cli_spec *spec, cli_opts *o, void *user, int argc, char **argv);
/* The one input left after the options ("no input given", "give one input"). */
/* Is something piped into stdin (a pipe, a file or a socket: not a
 * terminal, not /dev/null)?  Then a command given no input reads it. */
bool cli_stdin_piped(void);
const char *cli_one_input(const cli_opts *o, int argc, char **argv);
/* 0 when format (NULL: the default) is readable, else EXIT_USAGE (printed). */
int cli_readable(const cli_opts *o, const char *format);
/*
 * The formats: -o OUT given (when required), -f readable, and o->format set
 * from -t or OUT's extension (when OUT is given).  0, else EXIT_USAGE (printed).
 */
int cli_formats(cli_opts *o, bool out_required);
/* Read options: format (o->from, or another input's), --encoding, --strict, o->diag. */
void cli_opts_read(cli_opts *o, tandem_read_opts *ro, const char *format);
/* Read path as cli_read_doc does, with cli_opts_read(o, ..., format). */
tandem_doc *cli_open(cli_opts *o, const char *path, const char *format);
/*
 * Fit doc when --fit asks (timing the cuts at media's pauses, NULL: --audio;
 * name is for findings) and write it to -o OUT in o->format, refusing to
 * overwrite any of the inputs.  0, else nonzero after printing why.
 */
int cli_save(cli_opts *o, tandem_doc *doc, const char *media, const char *name,
             const char *const *inputs, size_t ninputs);

/*
 * retime and sync with -d OUTDIR (cli/batch.c): each input given and each
 * of --files-from (INPUT<TAB>MEDIA; without MEDIA, -a's) in this shard is
 * run by one(user, c, in) with c->out (under OUTDIR, -t's extension),
 * c->audio, c->format and fresh c->diag counts; one returns its exit
 * status, and calls cli_item_doc(c->batch.item, doc) on what it read.
 * The batch's exit status: 0, 1 when some inputs failed, 2 bad usage.
 */
typedef int (*cli_one_fn)(void *user, cli_opts *c, const char *in);
int cli_batch_pairs(cli_opts *c, const char *outdir, int argc, char **argv, cli_one_fn one,
                    void *user);

/* Minimal JSON output. */
void json_str(FILE *fp, const char *s);
/* Milliseconds, or null for TANDEM_NO_TIME. */
void json_ms(FILE *fp, int64_t ms);

/* "1:02:03.456" style for humans. */
void cli_fmt_time(char *buf, size_t n, int64_t ms);

#endif
