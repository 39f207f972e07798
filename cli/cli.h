/*
 * cli.h - what the commands share: diagnostics printing, usage errors, the
 * output options every writing command takes, and a small JSON emitter.
 * The CLI uses only the public API (tandem.h).
 */
#ifndef TANDEM_CLI_H
#define TANDEM_CLI_H

#include "tandem.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

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
 * Output options shared by convert, align, retime and sync.  Put
 * CLI_WRITE_LONGOPTS in the getopt_long table, and pass unknown option codes
 * to cli_write_option(); it returns 1 when it took the option, 0 when the
 * code is not one of its own, -1 (after printing) on a bad value.
 */
enum {
	OPT_CRLF = 1000, OPT_ORDER, OPT_SIDE, OPT_VTT_STYLE, OPT_TIMINGS, OPT_META,
	OPT_SUMMARY_LABEL, OPT_PARA_CHARS, OPT_ASS_LAYOUT,
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
	{"ass-layout", required_argument, NULL, OPT_ASS_LAYOUT}
int cli_write_option(const char *cmd, int code, const char *arg, tandem_write_opts *o);
/* The help text for those options. */
extern const char cli_write_help[];

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
/* retime --estimate; a TANDEM_E* status (printed). */
int cli_fit_estimate(const cli_fit *f, tandem_doc *doc, const char *name, cli_diag *diag);

/* Minimal JSON output. */
void json_str(FILE *fp, const char *s);
/* Milliseconds, or null for TANDEM_NO_TIME. */
void json_ms(FILE *fp, int64_t ms);

/* "1:02:03.456" style for humans. */
void cli_fmt_time(char *buf, size_t n, int64_t ms);

#endif
