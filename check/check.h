/*
 * check.h - the checker's own machinery, shared by the files of check/ and
 * by no one else: the rule ids, the rule set's struct, a measured side of a
 * document, and the context the rules report through.
 *
 *   profiles.c        the rule table, the profiles, tandem_check_rules_set/_get
 *   config.c          the YAML rules file (tandem_check_rules_load)
 *   measure.c         measuring a side; the languages a side is held to
 *   rules_coverage.c  missing, empty, untranslated, wrong script, numbers,
 *                     URLs, names, length ratios
 *   rules_timing.c    order, overlaps, durations, gaps, reading speed, lines
 *   rules_media.c     the cues against the media's length and the claimed one
 *   pair.c            pairing a separate translation with the document
 *   check.c           tandem_check_run and the reporting of findings
 */
#ifndef TANDEM_CHECK_H
#define TANDEM_CHECK_H

#include "tandem_private.h"

/* The rules, in the order of tandem__check_rule_defs (and of `check --rules`). */
enum {
	TANDEM__RULE_MISSING_TRANSLATION, TANDEM__RULE_EMPTY_TEXT, TANDEM__RULE_IDENTICAL,
	TANDEM__RULE_WRONG_SCRIPT, TANDEM__RULE_NUMBER, TANDEM__RULE_URL, TANDEM__RULE_NAME,
	TANDEM__RULE_LENGTH_RATIO, TANDEM__RULE_EXTRA_TRANSLATION,
	TANDEM__RULE_OUT_OF_ORDER, TANDEM__RULE_OVERLAP, TANDEM__RULE_ZERO_DURATION,
	TANDEM__RULE_NEGATIVE_DURATION, TANDEM__RULE_TOO_SHORT, TANDEM__RULE_TOO_LONG,
	TANDEM__RULE_MIN_GAP, TANDEM__RULE_READING_SPEED, TANDEM__RULE_LINE_LENGTH,
	TANDEM__RULE_TOO_MANY_LINES,
	TANDEM__RULE_PAST_MEDIA_END, TANDEM__RULE_MEDIA_COVERAGE, TANDEM__RULE_DURATION_CLAIM,
	TANDEM__NRULES
};

/* A rule's id, default severity and one-line description (profiles.c). */
extern const struct tandem__check_rule_def {
	const char *id;
	tandem_severity sev;
	const char *what;
} tandem__check_rule_defs[TANDEM__NRULES];

#define TANDEM__CHECK_MAX_LANGS 16

/* One language's display limits (0: no limit). */
typedef struct tandem__check_lang {
	char code[16];
	double line_chars, line_width, cps, wpm;
} tandem__check_lang;

struct tandem_check_rules {
	double min_duration, max_duration, min_gap, fps, gap_frames;
	double max_lines, media_tolerance, claim_tolerance, min_media_coverage;
	double ratio_outlier, ratio_min_chars;
	tandem__check_lang langs[TANDEM__CHECK_MAX_LANGS];
	size_t nlangs;
	int sev[TANDEM__NRULES];      /* tandem_severity, or -1 for off */
};

/* The rule's index by its id, or -1. */
int tandem__check_rule_index(const char *id);
/* A per-language setting's name (line_chars, line_width, cps, wpm). */
bool tandem__check_lang_field_known(const char *f);
/* A threshold's name ("min_gap") or a language's setting ("zh.cps"). */
bool tandem__check_threshold_known(const char *key);

/* ---- a side (the text or the translation) of one segment, measured once ---- */
typedef struct tandem__check_side {
	const char *s;
	size_t len;
	bool blank;
	size_t chars;        /* graphemes, line breaks and edge spaces left out */
	size_t words;
	size_t lines;
	size_t max_line_chars, max_line_width, max_line_no;
	size_t widest_line_width, widest_line_no;
	tandem_script_counts k;   /* letters by script, counted once */
	bool present;             /* the field exists (a translation may not) */
	tandem_script script;
} tandem__check_side;

static inline bool tandem__check_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Measure s (NULL: an absent side) into *m (measure.c). */
void tandem__check_measure(const char *s, tandem__check_side *m);
/* The limits for a language code ("zh-Hans" falls back to "zh", then "default"). */
const tandem__check_lang *tandem__check_lang_find(const tandem_check_rules *r, const char *code);
/* The script most of the n sides present are in. */
tandem_script tandem__check_majority_script(const tandem__check_side *v, size_t n);
/* The side's language: its metadata, else its most common script. */
const char *tandem__check_side_lang(const tandem_doc *doc, bool translation,
                                    const tandem__check_side *v);

/* ---- the run: what the rules read and report through (check.c) ---- */
typedef struct tandem__check_ctx {
	const tandem_doc *doc;
	const tandem_check_opts *o;
	const tandem_check_rules *r;
	tandem_check_summary *sum;
	const char *file;
} tandem__check_ctx;

/* Report a finding of rule on segment seg (-1: the whole document), unless the rule is off. */
void tandem__check_find(tandem__check_ctx *c, int rule, long seg, const char *fmt, ...)
	TANDEM_PRINTF(4, 5);
/* With the related segment's line as the second position. */
void tandem__check_find2(tandem__check_ctx *c, int rule, long seg, long seg2, const char *fmt,
                         ...) TANDEM_PRINTF(5, 6);
/* At a line of another file (the separate translation). */
void tandem__check_find_file(tandem__check_ctx *c, int rule, const char *file, size_t line,
                             long seg, const char *fmt, ...) TANDEM_PRINTF(6, 7);
/* The rule is not off. */
bool tandem__check_on(const tandem__check_ctx *c, int rule);
/* "1:02:03.456", or "2.500 s" under a minute, into buf. */
const char *tandem__check_fmt_time(char *buf, size_t n, int64_t ms);

/* ---- the rule families, each over the measured sides ---- */
void tandem__check_coverage(tandem__check_ctx *c, const tandem__check_side *src,
                            const tandem__check_side *tr, bool bilingual);
void tandem__check_timing(tandem__check_ctx *c, const tandem__check_side *src,
                          const tandem__check_side *tr, bool bilingual);
void tandem__check_media(tandem__check_ctx *c);

/*
 * A copy of doc whose translations are the cues of tr they overlap most
 * (by time), or tr's segments by index when either is untimed; the caller
 * frees it.  Translation cues left over are extra-translation findings.
 */
tandem_doc *tandem__check_pair(tandem__check_ctx *c, const tandem_doc *doc, const tandem_doc *tr);

#endif /* TANDEM_CHECK_H */
