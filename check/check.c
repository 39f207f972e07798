/*
 * check.c - `tandem check`: translation coverage, timing quality, and the
 * cues against the real length of the media.
 *
 * Three families of rules run over a document, each finding going to the
 * diagnostics sink with a stable rule id, the segment index and its input
 * line:
 *
 *  coverage  missing-translation, empty-text, identical-translation,
 *            wrong-script, number-mismatch, url-mismatch, name-mismatch,
 *            length-ratio, extra-translation
 *  timing    out-of-order, overlap, zero-duration, negative-duration,
 *            too-short, too-long, min-gap, reading-speed, line-length,
 *            too-many-lines (display rules: timed cues only)
 *  media     past-media-end, media-coverage, duration-claim
 *
 * Text is measured as a reader sees it: grapheme clusters (a Chinese
 * character is one character) and display columns (it is two), from
 * utf8proc.  The length-ratio rule uses robust statistics (median and
 * median absolute deviation of log(translation/source length)) so that one
 * odd pair stands out of a document whose languages differ in length.
 */
#include "tandem_private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include <yaml.h>

/* ------------------------------------------------------------------ */
/* Rules and profiles                                                  */
/* ------------------------------------------------------------------ */

enum {
	R_MISSING_TRANSLATION, R_EMPTY_TEXT, R_IDENTICAL, R_WRONG_SCRIPT, R_NUMBER, R_URL,
	R_NAME, R_LENGTH_RATIO, R_EXTRA_TRANSLATION,
	R_OUT_OF_ORDER, R_OVERLAP, R_ZERO_DURATION, R_NEGATIVE_DURATION, R_TOO_SHORT,
	R_TOO_LONG, R_MIN_GAP, R_READING_SPEED, R_LINE_LENGTH, R_TOO_MANY_LINES,
	R_PAST_MEDIA_END, R_MEDIA_COVERAGE, R_DURATION_CLAIM,
	NRULES
};

static const struct rule_def {
	const char *id;
	tandem_severity sev;
	const char *what;
} rule_defs[NRULES] = {
	{"missing-translation", TANDEM_ERROR, "a segment of a bilingual document has no translation"},
	{"empty-text", TANDEM_WARNING, "a segment whose source text is empty"},
	{"identical-translation", TANDEM_WARNING, "the translation repeats the source (not translated)"},
	{"wrong-script", TANDEM_WARNING, "a side written in the other side's script"},
	{"number-mismatch", TANDEM_WARNING, "a number on one side is missing on the other"},
	{"url-mismatch", TANDEM_WARNING, "a URL or e-mail address on one side is missing on the other"},
	{"name-mismatch", TANDEM_WARNING, "a Latin name in a non-Latin side is missing from the Latin side"},
	{"length-ratio", TANDEM_WARNING, "a translation far longer or shorter than the document's usual ratio"},
	{"extra-translation", TANDEM_WARNING, "a translation cue that pairs with no source cue"},
	{"out-of-order", TANDEM_WARNING, "a cue starts before the one before it"},
	{"overlap", TANDEM_WARNING, "a cue starts before the previous one has ended"},
	{"zero-duration", TANDEM_WARNING, "a cue that ends when it starts"},
	{"negative-duration", TANDEM_ERROR, "a cue that ends before it starts"},
	{"too-short", TANDEM_WARNING, "a cue shorter than min_duration"},
	{"too-long", TANDEM_WARNING, "a cue longer than max_duration"},
	{"min-gap", TANDEM_WARNING, "a gap between cues below min_gap"},
	{"reading-speed", TANDEM_WARNING, "more characters a second (or words a minute) than the language allows"},
	{"line-length", TANDEM_WARNING, "a line longer than the language allows"},
	{"too-many-lines", TANDEM_WARNING, "more lines than max_lines on one side"},
	{"past-media-end", TANDEM_ERROR, "a cue starts or ends after the media does (beyond media_tolerance)"},
	{"media-coverage", TANDEM_WARNING, "the cues cover less of the media than min_media_coverage"},
	{"duration-claim", TANDEM_WARNING, "the claimed duration differs from the media (or the last cue) by more than claim_tolerance"},
};

#define MAX_LANGS 16

typedef struct check_lang {
	char code[16];
	double line_chars, line_width, cps, wpm;
} check_lang;

struct tandem_check_rules {
	double min_duration, max_duration, min_gap, fps, gap_frames;
	double max_lines, media_tolerance, claim_tolerance, min_media_coverage;
	double ratio_outlier, ratio_min_chars;
	check_lang langs[MAX_LANGS];
	size_t nlangs;
	int sev[NRULES];      /* tandem_severity, or -1 for off */
};

static const struct threshold {
	const char *key;
	size_t off;
} thresholds[] = {
	{"min_duration", offsetof(tandem_check_rules, min_duration)},
	{"max_duration", offsetof(tandem_check_rules, max_duration)},
	{"min_gap", offsetof(tandem_check_rules, min_gap)},
	{"fps", offsetof(tandem_check_rules, fps)},
	{"min_gap_frames", offsetof(tandem_check_rules, gap_frames)},
	{"max_lines", offsetof(tandem_check_rules, max_lines)},
	{"media_tolerance", offsetof(tandem_check_rules, media_tolerance)},
	{"claim_tolerance", offsetof(tandem_check_rules, claim_tolerance)},
	{"min_media_coverage", offsetof(tandem_check_rules, min_media_coverage)},
	{"ratio_outlier", offsetof(tandem_check_rules, ratio_outlier)},
	{"ratio_min_chars", offsetof(tandem_check_rules, ratio_min_chars)},
};

static const struct lang_field {
	const char *key;
	size_t off;
} lang_fields[] = {
	{"line_chars", offsetof(check_lang, line_chars)},
	{"line_width", offsetof(check_lang, line_width)},
	{"cps", offsetof(check_lang, cps)},
	{"wpm", offsetof(check_lang, wpm)},
};

static const char *const profiles[] = {"default", "netflix", "bbc"};

static check_lang *lang_slot(tandem_check_rules *r, const char *code, size_t n)
{
	for (size_t k = 0; k < r->nlangs; k++)
		if (strlen(r->langs[k].code) == n && strncasecmp(r->langs[k].code, code, n) == 0)
			return &r->langs[k];
	if (r->nlangs == MAX_LANGS || n == 0 || n >= sizeof r->langs[0].code)
		return NULL;
	check_lang *l = &r->langs[r->nlangs++];
	memset(l, 0, sizeof *l);
	memcpy(l->code, code, n);
	l->code[n] = '\0';
	return l;
}

static void set_lang(tandem_check_rules *r, const char *code, double chars, double width,
                     double cps, double wpm)
{
	check_lang *l = lang_slot(r, code, strlen(code));
	l->line_chars = chars;
	l->line_width = width;
	l->cps = cps;
	l->wpm = wpm;
}

static void apply_profile(tandem_check_rules *r, int which)
{
	memset(r, 0, sizeof *r);
	for (int k = 0; k < NRULES; k++)
		r->sev[k] = (int)rule_defs[k].sev;
	r->media_tolerance = 250;
	r->claim_tolerance = 60000;
	r->min_media_coverage = 10;
	r->ratio_outlier = 5;
	r->ratio_min_chars = 10;
	r->fps = 25;
	/* Permissive: flags what a viewer cannot read at all, not style. */
	r->min_duration = 300;
	r->max_duration = 15000;
	r->max_lines = 3;
	set_lang(r, "default", 60, 0, 30, 0);
	set_lang(r, "en", 60, 0, 30, 0);
	set_lang(r, "zh", 30, 0, 15, 0);
	set_lang(r, "ja", 30, 0, 15, 0);
	set_lang(r, "ko", 30, 0, 15, 0);
	if (which == 1) {
		/*
		 * Netflix Timed Text Style Guide, General Requirements: minimum
		 * duration 5/6 s (20 frames at 24 fps), maximum 7 s, at least 2 frames
		 * between events, at most 2 lines.  Per-language guides: English
		 * 42 characters a line, 20 cps for adult programmes; Simplified
		 * Chinese 16 characters a line, 9 cps; Japanese 13 and 4; Korean
		 * 16 and 12.
		 */
		r->min_duration = 833;
		r->max_duration = 7000;
		r->fps = 24;
		r->gap_frames = 2;
		r->min_gap = 83;
		r->max_lines = 2;
		set_lang(r, "default", 42, 0, 20, 0);
		set_lang(r, "en", 42, 0, 20, 0);
		set_lang(r, "zh", 16, 0, 9, 0);
		set_lang(r, "ja", 13, 0, 4, 0);
		set_lang(r, "ko", 16, 0, 12, 0);
	} else if (which == 2) {
		/*
		 * BBC Subtitle Guidelines (bbc.github.io/subtitle-guidelines, also
		 * www.bbc.co.uk/accessibility/forproducts/guides/subtitles): 3.1 a
		 * line is at most 68% of a 16:9 picture's width, about 37 characters
		 * (the Teletext figure); 3.3 avoid 3 lines or more; 4.1 do not go
		 * above 160-180 words per minute.  The guidelines give no fixed
		 * minimum or maximum duration and no gap in frames (they ask for
		 * timing by words and shot changes), so those limits are off; they
		 * cover English only, so other languages keep the default limits.
		 * Broadcast runs at 25 fps.
		 */
		r->min_duration = 0;
		r->max_duration = 0;
		r->fps = 25;
		r->max_lines = 2;
		set_lang(r, "default", 37, 0, 0, 180);
		set_lang(r, "en", 37, 0, 0, 180);
	}
}

tandem_check_rules *tandem_check_rules_new(const char *profile)
{
	int which = 0;
	if (profile) {
		which = -1;
		for (int k = 0; k < (int)(sizeof profiles / sizeof *profiles); k++)
			if (strcasecmp(profile, profiles[k]) == 0)
				which = k;
		if (which < 0)
			return NULL;
	}
	tandem_check_rules *r = tandem__xmalloc(sizeof *r);
	apply_profile(r, which);
	return r;
}

void tandem_check_rules_free(tandem_check_rules *r)
{
	free(r);
}

const char *tandem_check_profile_name(size_t k)
{
	return k < sizeof profiles / sizeof *profiles ? profiles[k] : NULL;
}

const char *tandem_check_rule_id(size_t k, tandem_severity *sev, const char **what)
{
	if (k >= NRULES)
		return NULL;
	if (sev)
		*sev = rule_defs[k].sev;
	if (what)
		*what = rule_defs[k].what;
	return rule_defs[k].id;
}

static int rule_index(const char *id)
{
	for (int k = 0; k < NRULES; k++)
		if (strcmp(rule_defs[k].id, id) == 0)
			return k;
	return -1;
}

static int parse_number(const char *s, double *v)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || *end || errno || !isfinite(d) || d < 0)
		return TANDEM_EINVAL;
	*v = d;
	return 0;
}

int tandem_check_rules_set(tandem_check_rules *r, const char *key, const char *value)
{
	if (!r || !key || !value)
		return TANDEM_EINVAL;
	int ri = rule_index(key);
	if (ri >= 0) {
		static const char *const sevs[] = {"info", "warning", "error"};
		if (strcasecmp(value, "off") == 0 || strcasecmp(value, "false") == 0) {
			r->sev[ri] = -1;
			return 0;
		}
		for (int k = 0; k < 3; k++)
			if (strcasecmp(value, sevs[k]) == 0) {
				r->sev[ri] = k;
				return 0;
			}
		return TANDEM_EINVAL;
	}
	double v;
	if (parse_number(value, &v))
		return TANDEM_EINVAL;
	const char *dot = strchr(key, '.');
	if (dot) {
		for (size_t k = 0; k < sizeof lang_fields / sizeof *lang_fields; k++)
			if (strcmp(dot + 1, lang_fields[k].key) == 0) {
				check_lang *l = lang_slot(r, key, (size_t)(dot - key));
				if (!l)
					return TANDEM_EINVAL;
				*(double *)((char *)l + lang_fields[k].off) = v;
				return 0;
			}
		return TANDEM_EINVAL;
	}
	for (size_t k = 0; k < sizeof thresholds / sizeof *thresholds; k++)
		if (strcmp(key, thresholds[k].key) == 0) {
			if (strcmp(key, "fps") == 0 && v <= 0)
				return TANDEM_EINVAL;
			*(double *)((char *)r + thresholds[k].off) = v;
			if (strcmp(key, "min_gap") == 0)
				r->gap_frames = 0;
			if (r->gap_frames > 0 && (strcmp(key, "fps") == 0 || strcmp(key, "min_gap_frames") == 0))
				r->min_gap = floor(r->gap_frames * 1000.0 / r->fps + 0.5);
			return 0;
		}
	return TANDEM_EINVAL;
}

int tandem_check_rules_get(const tandem_check_rules *r, const char *key, double *value)
{
	if (!r || !key || !value)
		return TANDEM_EINVAL;
	int ri = rule_index(key);
	if (ri >= 0) {
		*value = r->sev[ri];
		return 0;
	}
	const char *dot = strchr(key, '.');
	if (dot) {
		size_t n = (size_t)(dot - key);
		for (size_t i = 0; i < r->nlangs; i++)
			if (strlen(r->langs[i].code) == n && strncasecmp(r->langs[i].code, key, n) == 0)
				for (size_t k = 0; k < sizeof lang_fields / sizeof *lang_fields; k++)
					if (strcmp(dot + 1, lang_fields[k].key) == 0) {
						*value = *(const double *)((const char *)&r->langs[i] +
						                           lang_fields[k].off);
						return 0;
					}
		return TANDEM_EINVAL;
	}
	for (size_t k = 0; k < sizeof thresholds / sizeof *thresholds; k++)
		if (strcmp(key, thresholds[k].key) == 0) {
			*value = *(const double *)((const char *)r + thresholds[k].off);
			return 0;
		}
	return TANDEM_EINVAL;
}

/* ------------------------------------------------------------------ */
/* YAML overrides                                                      */
/* ------------------------------------------------------------------ */

typedef struct yload {
	tandem_check_rules *r;
	yaml_document_t *doc;
	const char *path;
	tandem_diag_fn diag;
	void *user;
	int rc;
} yload;

static void yerr(yload *y, const yaml_node_t *n, const char *fmt, ...) TANDEM_PRINTF(3, 4);

static void yerr(yload *y, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tandem__diag_full(y->diag, y->user, y->path, TANDEM_ERROR, "check-config",
	                  n ? n->start_mark.line + 1 : 0, n ? n->start_mark.column + 1 : 0, 0, 0,
	                  -1, fmt, ap);
	va_end(ap);
	y->rc = TANDEM_EPARSE;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool lang_field_known(const char *f)
{
	for (size_t i = 0; i < sizeof lang_fields / sizeof *lang_fields; i++)
		if (strcmp(f, lang_fields[i].key) == 0)
			return true;
	return false;
}

static bool threshold_known(const char *key)
{
	const char *dot = strchr(key, '.');
	if (dot)
		return dot > key && lang_field_known(dot + 1);
	for (size_t k = 0; k < sizeof thresholds / sizeof *thresholds; k++)
		if (strcmp(key, thresholds[k].key) == 0)
			return true;
	return false;
}

static void yset(yload *y, const yaml_node_t *keynode, const char *key, const yaml_node_t *val)
{
	const char *v = scalar(val);
	if (rule_index(key) < 0 && !threshold_known(key)) {
		yerr(y, keynode, "unknown setting '%s'", key);
		return;
	}
	if (!v) {
		yerr(y, val, "'%s' takes a single value", key);
		return;
	}
	if (tandem_check_rules_set(y->r, key, v) == 0)
		return;
	if (rule_index(key) >= 0)
		yerr(y, val, "'%s' takes off, info, warning or error, not '%s'", key, v);
	else
		yerr(y, val, "'%s' takes a number (0 or more), not '%s'", key, v);
}

/* `languages: {zh: {cps: 9}}` and `rules: {overlap: error}`. */
static void ymap(yload *y, const yaml_node_t *map, const char *prefix)
{
	if (map->type != YAML_MAPPING_NODE) {
		yerr(y, map, "'%s' takes a mapping", prefix ? prefix : "languages");
		return;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
		const yaml_node_t *v = yaml_document_get_node(y->doc, p->value);
		const char *ks = scalar(k);
		if (!ks) {
			yerr(y, k, "keys must be plain names");
			continue;
		}
		if (prefix) {
			/* rules: ... */
			if (rule_index(ks) < 0)
				yerr(y, k, "unknown rule '%s'", ks);
			else
				yset(y, k, ks, v);
			continue;
		}
		if (!v || v->type != YAML_MAPPING_NODE) {
			yerr(y, v, "language '%s' takes a mapping such as {cps: 17, line_chars: 42}", ks);
			continue;
		}
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
		     q++) {
			const yaml_node_t *k2 = yaml_document_get_node(y->doc, q->key);
			const char *f = scalar(k2);
			char key[64];
			if (!f || snprintf(key, sizeof key, "%s.%s", ks, f) >= (int)sizeof key) {
				yerr(y, k2, "bad key in language '%s'", ks);
				continue;
			}
			if (!lang_field_known(f))
				yerr(y, k2, "unknown language setting '%s' (line_chars, line_width, cps, wpm)", f);
			else
				yset(y, k2, key, yaml_document_get_node(y->doc, q->value));
		}
	}
}

int tandem_check_rules_load(tandem_check_rules *r, const char *path, tandem_diag_fn diag,
                            void *user)
{
	if (!r || !path)
		return TANDEM_EINVAL;
	char *data;
	size_t len;
	if (tandem__read_all(path, &data, &len)) {
		tandem__report(diag, user, path, TANDEM_ERROR, "check-config", 0, 0, -1,
		               "cannot read: %s", strerror(errno));
		return TANDEM_EIO;
	}
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yload y = {r, &doc, path, diag, user, 0};
	if (!yaml_parser_load(&parser, &doc)) {
		tandem__report(diag, user, path, TANDEM_ERROR, "check-config",
		               parser.problem_mark.line + 1, parser.problem_mark.column + 1, -1,
		               "YAML: %s", parser.problem ? parser.problem : "malformed");
		yaml_parser_delete(&parser);
		free(data);
		return TANDEM_EPARSE;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root) {
		/* An empty file overrides nothing. */
	} else if (root->type != YAML_MAPPING_NODE) {
		yerr(&y, root, "the rules file must be a mapping of settings");
	} else {
		yaml_node_pair_t *b = root->data.mapping.pairs.start, *e = root->data.mapping.pairs.top;
		/* The profile is the base the other keys change, wherever it is written. */
		for (yaml_node_pair_t *p = b; p < e; p++) {
			const char *k = scalar(yaml_document_get_node(&doc, p->key));
			if (k && strcmp(k, "profile") == 0) {
				const yaml_node_t *v = yaml_document_get_node(&doc, p->value);
				tandem_check_rules *base = scalar(v) ? tandem_check_rules_new(scalar(v)) : NULL;
				if (!base) {
					yerr(&y, v, "unknown profile '%s' (default, netflix, bbc)",
					     scalar(v) ? scalar(v) : "");
				} else {
					*r = *base;
					tandem_check_rules_free(base);
				}
			}
		}
		/* fps before min_gap_frames, so the frames convert at the right rate. */
		for (int pass = 0; pass < 2; pass++)
			for (yaml_node_pair_t *p = b; p < e; p++) {
				const yaml_node_t *kn = yaml_document_get_node(&doc, p->key);
				const yaml_node_t *v = yaml_document_get_node(&doc, p->value);
				const char *k = scalar(kn);
				if (!k) {
					if (pass == 0)
						yerr(&y, kn, "keys must be plain names");
					continue;
				}
				if ((strcmp(k, "fps") == 0) != (pass == 0))
					continue;
				if (strcmp(k, "profile") == 0)
					continue;
				if (strcmp(k, "languages") == 0)
					ymap(&y, v, NULL);
				else if (strcmp(k, "rules") == 0)
					ymap(&y, v, "rules");
				else
					yset(&y, kn, k, v);
			}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(data);
	return y.rc;
}

/* ------------------------------------------------------------------ */
/* Measuring a side                                                    */
/* ------------------------------------------------------------------ */

typedef struct side {
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
} side;

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static void measure(const char *s, side *m)
{
	memset(m, 0, sizeof *m);
	m->present = s != NULL;
	m->s = s ? s : "";
	m->len = strlen(m->s);
	m->blank = true;
	const char *p = m->s, *end = m->s + m->len;
	size_t lineno = 0;
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *a = p, *z = e;
		while (a < z && is_space((unsigned char)*a))
			a++;
		while (z > a && is_space((unsigned char)z[-1]))
			z--;
		lineno++;
		if (z > a) {
			m->blank = false;
			m->lines++;
			size_t g = tandem_text_graphemes(a, (size_t)(z - a));
			size_t w = tandem_text_width(a, (size_t)(z - a));
			m->chars += g;
			if (g > m->max_line_chars) {
				m->max_line_chars = g;
				m->max_line_no = m->lines;
			}
			if (w > m->widest_line_width) {
				m->widest_line_width = w;
				m->widest_line_no = m->lines;
			}
			bool in = false;
			for (const char *q = a; q < z; q++) {
				bool sp = is_space((unsigned char)*q);
				if (!sp && !in)
					m->words++;
				in = !sp;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	m->max_line_width = m->widest_line_width;
	m->k = tandem_text_scripts(m->s, m->len);
	/* The rule of tandem_text_script, on the counts already made. */
	size_t cjk = m->k.han * 3;
	if (m->blank || (!m->k.latin && !m->k.han && !m->k.other))
		m->script = TANDEM_SCRIPT_NONE;
	else if (cjk >= m->k.latin && cjk >= m->k.other)
		m->script = TANDEM_SCRIPT_CJK;
	else
		m->script = m->k.latin >= m->k.other ? TANDEM_SCRIPT_LATIN : TANDEM_SCRIPT_OTHER;
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

typedef struct ctx {
	const tandem_doc *doc;
	const tandem_check_opts *o;
	const tandem_check_rules *r;
	tandem_check_summary *sum;
	const char *file;
} ctx;

static void report_at(ctx *c, int rule, const char *file, size_t line, size_t line2, long seg,
                      const char *fmt, va_list ap)
{
	int sev = c->r->sev[rule];
	if (sev < 0)
		return;
	if (sev == TANDEM_ERROR)
		c->sum->errors++;
	else if (sev == TANDEM_WARNING)
		c->sum->warnings++;
	else
		c->sum->infos++;
	tandem__diag_full(c->o->diag, c->o->diag_user, file, (tandem_severity)sev,
	                  rule_defs[rule].id, line, line ? 1 : 0, line2, 0, seg, fmt, ap);
}

static void find(ctx *c, int rule, long seg, const char *fmt, ...) TANDEM_PRINTF(4, 5);
static void find2(ctx *c, int rule, long seg, long seg2, const char *fmt, ...)
	TANDEM_PRINTF(5, 6);
static void find_file(ctx *c, int rule, const char *file, size_t line, long seg,
                      const char *fmt, ...) TANDEM_PRINTF(6, 7);

static void find(ctx *c, int rule, long seg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(c, rule, c->file, seg >= 0 ? c->doc->segs[seg].line : 0, 0, seg, fmt, ap);
	va_end(ap);
}

/* With the related segment's line as the second position. */
static void find2(ctx *c, int rule, long seg, long seg2, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(c, rule, c->file, c->doc->segs[seg].line, c->doc->segs[seg2].line, seg, fmt, ap);
	va_end(ap);
}

static void find_file(ctx *c, int rule, const char *file, size_t line, long seg,
                      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(c, rule, file, line, 0, seg, fmt, ap);
	va_end(ap);
}

static bool on(const ctx *c, int rule)
{
	return c->r->sev[rule] >= 0;
}

/* "1:02:03.456", or "2.500 s" under a minute. */
static const char *fmt_time(char *buf, size_t n, int64_t ms)
{
	const char *sign = ms < 0 ? "-" : "";
	int64_t a = ms < 0 ? -ms : ms;
	if (a < 60000)
		snprintf(buf, n, "%s%lld.%03lld s", sign, (long long)(a / 1000), (long long)(a % 1000));
	else
		snprintf(buf, n, "%s%lld:%02lld:%02lld.%03lld", sign, (long long)(a / 3600000),
		         (long long)(a / 60000 % 60), (long long)(a / 1000 % 60), (long long)(a % 1000));
	return buf;
}

/* ------------------------------------------------------------------ */
/* Languages                                                           */
/* ------------------------------------------------------------------ */

static const check_lang *lang_find(const tandem_check_rules *r, const char *code)
{
	size_t n = strlen(code);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < r->nlangs; k++)
			if (strlen(r->langs[k].code) == n && strncasecmp(r->langs[k].code, code, n) == 0)
				return &r->langs[k];
		/* zh-Hans -> zh */
		n = strcspn(code, "-_");
	}
	for (size_t k = 0; k < r->nlangs; k++)
		if (strcmp(r->langs[k].code, "default") == 0)
			return &r->langs[k];
	return NULL;
}

static tandem_script majority_script(const side *v, size_t n)
{
	size_t counts[4] = {0, 0, 0, 0};
	for (size_t i = 0; i < n; i++)
		if (v[i].present)
			counts[v[i].script]++;
	int best = 0;
	for (int k = 1; k < 4; k++)
		if (counts[k] > counts[best] || best == 0)
			best = counts[k] ? k : best;
	return (tandem_script)best;
}

/* The side's language: its metadata, else its most common script. */
static const char *side_lang(const tandem_doc *doc, bool translation, const side *v)
{
	const char *meta = tandem_doc_meta(doc, translation ? "translation_language" : "language");
	if (meta && *meta)
		return meta;
	switch (majority_script(v, doc->nsegs)) {
	case TANDEM_SCRIPT_CJK: return "zh";
	case TANDEM_SCRIPT_LATIN: return "en";
	default: return "default";
	}
}

/* ------------------------------------------------------------------ */
/* Tokens: numbers, URLs, Latin names                                  */
/* ------------------------------------------------------------------ */

#define MAX_TOKENS 64
#define TOKEN_LEN 48

typedef struct tokens {
	char v[MAX_TOKENS][TOKEN_LEN];
	bool report[MAX_TOKENS];     /* worth reporting when missing on the other side */
	char shown[MAX_TOKENS][TOKEN_LEN];
	size_t n;
} tokens;

static void tok_add(tokens *t, const char *v, size_t n, bool report, const char *shown,
                    size_t shown_n)
{
	if (t->n == MAX_TOKENS || n == 0)
		return;
	if (n >= TOKEN_LEN)
		n = TOKEN_LEN - 1;
	for (size_t k = 0; k < t->n; k++)
		if (strlen(t->v[k]) == n && memcmp(t->v[k], v, n) == 0) {
			t->report[k] |= report;
			return;
		}
	memcpy(t->v[t->n], v, n);
	t->v[t->n][n] = '\0';
	if (shown_n >= TOKEN_LEN)
		shown_n = TOKEN_LEN - 1;
	memcpy(t->shown[t->n], shown, shown_n);
	t->shown[t->n][shown_n] = '\0';
	t->report[t->n] = report;
	t->n++;
}

static bool tok_has(const tokens *t, const char *v)
{
	for (size_t k = 0; k < t->n; k++)
		if (strcmp(t->v[k], v) == 0)
			return true;
	return false;
}

/*
 * Numbers are compared by their significant digits (leading and trailing
 * zeros and separators dropped), so a translation that moves the scale to
 * its own units still matches: "$100 billion" = "1000亿美元",
 * "1.5 million" = "150万", "3.50" = "3.5".
 */
static void sig_add(tokens *t, const char *digits, size_t n, bool report, const char *shown,
                    size_t shown_n)
{
	size_t a = 0, z = n;
	while (a < z && digits[a] == '0')
		a++;
	while (z > a && digits[z - 1] == '0')
		z--;
	if (a == z)
		tok_add(t, "0", 1, report, shown, shown_n);
	else
		tok_add(t, digits + a, z - a, report, shown, shown_n);
}

static void sig_add_value(tokens *t, unsigned long long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%llu", v);
	sig_add(t, buf, (size_t)n, false, buf, (size_t)n);
}

static const char *const small_words[] = {
	"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
	"eighteen", "nineteen",
};
static const char *const tens_words[] = {"twenty", "thirty", "forty", "fifty", "sixty",
                                         "seventy", "eighty", "ninety"};

static long english_number(const char *w, size_t n)
{
	for (size_t k = 0; k < sizeof small_words / sizeof *small_words; k++)
		if (strlen(small_words[k]) == n && strncasecmp(w, small_words[k], n) == 0)
			return (long)k;
	for (size_t k = 0; k < sizeof tens_words / sizeof *tens_words; k++)
		if (strlen(tens_words[k]) == n && strncasecmp(w, tens_words[k], n) == 0)
			return (long)(k + 2) * 10;
	if (n == 7 && strncasecmp(w, "hundred", 7) == 0)
		return -100;
	if (n == 8 && strncasecmp(w, "thousand", 8) == 0)
		return -1000;
	if (n == 7 && strncasecmp(w, "million", 7) == 0)
		return -1000000;
	if (n == 7 && strncasecmp(w, "billion", 7) == 0)
		return -1000000000;
	return -1;
}

/*
 * Numbers in s: digit runs (ASCII or full-width, with , or . between digits)
 * are reported when they have two digits or more; Chinese numerals and
 * English number words only count as present (a translator may spell out
 * what the other side writes in digits).
 */
static void numbers(const char *s, tokens *t)
{
	size_t len = strlen(s), i = 0;
	char digits[TOKEN_LEN];
	unsigned long long en_total = 0, en_cur = 0;
	bool en_any = false;
	while (i < len) {
		int32_t c;
		size_t k = tandem__utf8_decode(s + i, len - i, &c);
		if (tandem__digit_value(c) >= 0) {
			size_t nd = 0, start = i;
			while (i < len) {
				size_t k2 = tandem__utf8_decode(s + i, len - i, &c);
				int d = tandem__digit_value(c);
				if (d >= 0) {
					if (nd < sizeof digits - 1)
						digits[nd++] = (char)('0' + d);
					i += k2;
					continue;
				}
				/* A separator counts only between digits. */
				if ((c == ',' || c == '.') && i + 1 < len) {
					int32_t c2;
					tandem__utf8_decode(s + i + 1, len - i - 1, &c2);
					if (tandem__digit_value(c2) >= 0) {
						i += 1;
						continue;
					}
				}
				break;
			}
			sig_add(t, digits, nd, nd >= 2, s + start, i - start);
			continue;
		}
		int cv = (int)tandem__cjk_numeral(c);
		if (cv >= 0) {
			/* 二〇二四 reads digit by digit; 一千二百 by units. */
			unsigned long long total = 0, section = 0, num = 0;
			bool units = false;
			size_t nd = 0, run = 0;
			while (i < len) {
				size_t k2 = tandem__utf8_decode(s + i, len - i, &c);
				int v = (int)tandem__cjk_numeral(c);
				if (v < 0)
					break;
				if (v >= 10 && run >= 2 && nd >= run) {
					/* 二三十 is "twenty or thirty": each digit with the unit. */
					for (size_t q = nd - run; q + 1 < nd; q++)
						sig_add_value(t, (unsigned long long)(digits[q] - '0') *
						                     (unsigned long long)v);
				}
				if (v < 10) {
					num = (unsigned long long)v;
					run++;
					if (nd < sizeof digits - 1)
						digits[nd++] = (char)('0' + v);
				} else if (v <= 1000) {
					run = 0;
					units = true;
					section += (num ? num : 1) * (unsigned long long)v;
					num = 0;
				} else {
					run = 0;
					units = true;
					total = (total + section + num) * (unsigned long long)v;
					section = num = 0;
				}
				i += k2;
			}
			if (units)
				sig_add_value(t, total + section + num);
			else
				sig_add(t, digits, nd, false, digits, nd);
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			size_t start = i;
			while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
				i++;
			long v = english_number(s + start, i - start);
			if (v >= 0) {
				en_cur += (unsigned long long)v;
				en_any = true;
			} else if (v < -1) {
				/* "a billion": a scale word alone is one of it. */
				if (!en_any)
					en_cur = 1;
				en_any = true;
				unsigned long long scale = (unsigned long long)(-v);
				if (scale == 100)
					en_cur *= 100;
				else {
					en_total += en_cur * scale;
					en_cur = 0;
				}
			} else if (en_any && !(i - start == 3 && strncasecmp(s + start, "and", 3) == 0)) {
				sig_add_value(t, en_total + en_cur);
				en_total = en_cur = 0;
				en_any = false;
			}
			continue;
		}
		if (en_any && c != ' ' && c != '-') {
			sig_add_value(t, en_total + en_cur);
			en_total = en_cur = 0;
			en_any = false;
		}
		i += k;
	}
	if (en_any)
		sig_add_value(t, en_total + en_cur);
}

static bool url_char(unsigned char c)
{
	return c > 0x20 && c < 0x7F && !strchr("<>\"'()[]{}|\\^`", c);
}

/* URLs (scheme://, www.) and e-mail addresses, compared without scheme, www. and case. */
static void urls(const char *s, tokens *t)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len; i++) {
		if (i && url_char((unsigned char)s[i - 1]))
			continue;
		if (!url_char((unsigned char)s[i]))
			continue;
		size_t e = i;
		while (e < len && url_char((unsigned char)s[e]))
			e++;
		while (e > i && strchr(".,;:!?", s[e - 1]))
			e--;
		const char *tok = s + i;
		size_t n = e - i;
		const char *at = memchr(tok, '@', n);
		const char *body = NULL;
		if (n > 8 && strncasecmp(tok, "https://", 8) == 0)
			body = tok + 8;
		else if (n > 7 && strncasecmp(tok, "http://", 7) == 0)
			body = tok + 7;
		else if (n > 4 && strncasecmp(tok, "www.", 4) == 0)
			body = tok;
		else if (at && at > tok && memchr(at, '.', (size_t)(tok + n - at)) && tok + n - at > 3)
			body = tok;
		if (body) {
			if ((size_t)(tok + n - body) > 4 && strncasecmp(body, "www.", 4) == 0)
				body += 4;
			char key[TOKEN_LEN];
			size_t m = 0;
			for (const char *q = body; q < tok + n && m < sizeof key - 1; q++)
				key[m++] = (char)((*q >= 'A' && *q <= 'Z') ? *q - 'A' + 'a' : *q);
			while (m && key[m - 1] == '/')
				m--;
			tok_add(t, key, m, true, tok, n);
		}
		i = e;
	}
}

static bool ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Latin words of two letters or more ("GPT-4o", "Node.js", "OpenAI"). */
static void latin_words(const char *s, tokens *t)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ||
		    (i && ascii_alnum((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		size_t e = i;
		while (e < len && (ascii_alnum((unsigned char)s[e]) ||
		                   ((s[e] == '-' || s[e] == '.' || s[e] == '\'') && e + 1 < len &&
		                    ascii_alnum((unsigned char)s[e + 1]))))
			e++;
		size_t letters = 0;
		for (size_t q = i; q < e; q++)
			letters += ((s[q] | 0x20) >= 'a' && (s[q] | 0x20) <= 'z');
		if (letters >= 2)
			tok_add(t, s + i, e - i, true, s + i, e - i);
		i = e;
	}
}

/* Whole-word, case-insensitive search of w in s; a plural -s/-es on s's side still matches. */
static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w), len = strlen(s);
	for (size_t i = 0; i + n <= len; i++) {
		if (strncasecmp(s + i, w, n) != 0)
			continue;
		if (i && ascii_alnum((unsigned char)s[i - 1]))
			continue;
		size_t e = i + n;
		if (e == len || !ascii_alnum((unsigned char)s[e]))
			return true;
		if (s[e] == 's' || s[e] == 'S')
			e++;
		else if (e + 1 < len && s[e] == 'e' && s[e + 1] == 's')
			e += 2;
		else
			continue;
		if (e == len || !ascii_alnum((unsigned char)s[e]))
			return true;
	}
	return false;
}

/* Case- and space-insensitive equality, for "not translated". */
static bool same_text(const char *a, const char *b)
{
	utf8proc_uint8_t *fa = NULL, *fb = NULL;
	int opts = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
	if (utf8proc_map((const utf8proc_uint8_t *)a, 0, &fa, (utf8proc_option_t)opts) < 0 ||
	    utf8proc_map((const utf8proc_uint8_t *)b, 0, &fb, (utf8proc_option_t)opts) < 0) {
		free(fa);
		free(fb);
		return strcmp(a, b) == 0;
	}
	const char *p = (const char *)fa, *q = (const char *)fb;
	bool eq;
	for (;;) {
		while (*p && is_space((unsigned char)*p))
			p++;
		while (*q && is_space((unsigned char)*q))
			q++;
		if (!*p || !*q) {
			eq = !*p && !*q;
			break;
		}
		if (*p != *q) {
			eq = false;
			break;
		}
		p++;
		q++;
	}
	free(fa);
	free(fb);
	return eq;
}

/*
 * Worth translating: two words or more with six letters, and not a run of
 * capitalised words (a name or title is often kept as it is).
 */
static bool translatable(const side *m)
{
	const char *s = m->s;
	tandem_script_counts k = m->k;
	if (k.han >= 2)
		return true;
	if (k.latin + k.other < 6)
		return false;
	size_t words = 0, capital = 0;
	bool in = false;
	for (const char *p = s; *p; p++) {
		bool sp = is_space((unsigned char)*p);
		if (!sp && !in) {
			words++;
			if ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
				capital++;
		}
		in = !sp;
	}
	return words >= 2 && capital < words;
}

/* ------------------------------------------------------------------ */
/* Coverage                                                            */
/* ------------------------------------------------------------------ */

static size_t list_missing(tandem_buf *b, const tokens *have, const tokens *other)
{
	size_t n = 0;
	for (size_t k = 0; k < have->n; k++)
		if (have->report[k] && !tok_has(other, have->v[k])) {
			tandem__buf_puts(b, n++ ? ", " : "");
			tandem__buf_puts(b, have->shown[k]);
		}
	return n;
}

static void check_tokens(ctx *c, size_t i, const side *src, const side *tr, tandem_script S,
                         tandem_script T)
{
	tokens *a = tandem__xcalloc(2, sizeof *a);
	tokens *b = a + 1;
	tandem_buf miss = TANDEM_BUF_INIT;
	if (on(c, R_NUMBER)) {
		numbers(src->s, a);
		numbers(tr->s, b);
		size_t n = list_missing(&miss, a, b);
		if (n)
			find(c, R_NUMBER, (long)i, "%s %s in the source %s not in the translation",
			     n > 1 ? "numbers" : "number", miss.ptr, n > 1 ? "are" : "is");
		tandem__buf_clear(&miss);
		n = list_missing(&miss, b, a);
		if (n)
			find(c, R_NUMBER, (long)i, "%s %s in the translation %s not in the source",
			     n > 1 ? "numbers" : "number", miss.ptr, n > 1 ? "are" : "is");
		tandem__buf_clear(&miss);
	}
	if (on(c, R_URL)) {
		memset(a, 0, 2 * sizeof *a);
		urls(src->s, a);
		urls(tr->s, b);
		list_missing(&miss, a, b);
		if (miss.len)
			find(c, R_URL, (long)i, "%s in the source is not in the translation", miss.ptr);
		tandem__buf_clear(&miss);
		list_missing(&miss, b, a);
		if (miss.len)
			find(c, R_URL, (long)i, "%s in the translation is not in the source", miss.ptr);
		tandem__buf_clear(&miss);
	}
	/* Only across scripts: a Latin word inside Chinese text is a name kept as it is. */
	if (on(c, R_NAME) && S != T && (S == TANDEM_SCRIPT_LATIN || T == TANDEM_SCRIPT_LATIN)) {
		bool tr_is_latin = T == TANDEM_SCRIPT_LATIN;
		const side *nonlatin = tr_is_latin ? src : tr;
		const side *latin = tr_is_latin ? tr : src;
		memset(a, 0, sizeof *a);
		latin_words(nonlatin->s, a);
		for (size_t k = 0; k < a->n; k++)
			if (!has_word(latin->s, a->v[k])) {
				tandem__buf_puts(&miss, miss.len ? ", " : "");
				tandem__buf_puts(&miss, a->shown[k]);
			}
		if (miss.len)
			find(c, R_NAME, (long)i, "%s in the %s is not in the %s", miss.ptr,
			     tr_is_latin ? "source" : "translation", tr_is_latin ? "translation" : "source");
	}
	tandem__buf_free(&miss);
	free(a);
}

/* Length for ratios: letters and digits, a CJK character weighing three (about a word). */
static double content_len(const side *m)
{
	return (double)(m->k.latin + m->k.other + m->k.digits) + 3.0 * (double)m->k.han;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void check_ratios(ctx *c, const side *src, const side *tr)
{
	const tandem_doc *doc = c->doc;
	size_t n = 0;
	double *x = tandem__xmalloc((doc->nsegs + 1) * sizeof *x);
	double *tmp = tandem__xmalloc((doc->nsegs + 1) * sizeof *tmp);
	double *ls = tandem__xmalloc((doc->nsegs + 1) * sizeof *ls);
	double *lt = tandem__xmalloc((doc->nsegs + 1) * sizeof *lt);
	for (size_t i = 0; i < doc->nsegs; i++) {
		ls[i] = content_len(&src[i]);
		lt[i] = content_len(&tr[i]);
		if (ls[i] >= c->r->ratio_min_chars && lt[i] > 0)
			x[n++] = log(lt[i] / ls[i]);
	}
	/* Too few pairs make no statistics. */
	if (n >= 8) {
		memcpy(tmp, x, n * sizeof *x);
		double med = median(tmp, n);
		for (size_t k = 0; k < n; k++)
			tmp[k] = fabs(x[k] - med);
		double mad = median(tmp, n);
		/* A document of near-identical ratios would make every small step an outlier. */
		if (mad < 0.05)
			mad = 0.05;
		for (size_t i = 0; i < doc->nsegs; i++) {
			if (ls[i] < c->r->ratio_min_chars || lt[i] <= 0)
				continue;
			double xi = log(lt[i] / ls[i]);
			double z = 0.6745 * (xi - med) / mad;
			if (fabs(z) > c->r->ratio_outlier)
				find(c, R_LENGTH_RATIO, (long)i,
				     "translation is unusually %s for its source: length ratio %.2f where "
				     "this document's median is %.2f (robust z %.1f)",
				     z < 0 ? "short" : "long", exp(xi), exp(med), z);
		}
	}
	free(x);
	free(tmp);
	free(ls);
	free(lt);
}

static size_t script_letters(const side *m, tandem_script which)
{
	tandem_script_counts k = m->k;
	switch (which) {
	case TANDEM_SCRIPT_LATIN: return k.latin;
	case TANDEM_SCRIPT_CJK: return k.han;
	case TANDEM_SCRIPT_OTHER: return k.other;
	default: return 0;
	}
}

static void check_coverage(ctx *c, const side *src, const side *tr, bool bilingual)
{
	const tandem_doc *doc = c->doc;
	tandem_script S = majority_script(src, doc->nsegs), T = majority_script(tr, doc->nsegs);
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem_seg *g = &doc->segs[i];
		c->sum->chars += src[i].chars;
		if (src[i].blank) {
			if (!bilingual || tr[i].blank)
				find(c, R_EMPTY_TEXT, (long)i, "segment %zu is empty", i + 1);
			else
				find(c, R_EMPTY_TEXT, (long)i,
				     "segment %zu has a translation but no source text", i + 1);
			continue;
		}
		if (!bilingual)
			continue;
		if (tr[i].blank) {
			find(c, R_MISSING_TRANSLATION, (long)i,
			     g->translation ? "segment %zu: the translation is empty"
			                    : "segment %zu has no translation",
			     i + 1);
			continue;
		}
		c->sum->translated++;
		c->sum->chars_translated += src[i].chars;
		/* Case folding is dear: only texts in one script can be the same. */
		bool same = src[i].script == tr[i].script && same_text(src[i].s, tr[i].s);
		if (on(c, R_IDENTICAL) && same && translatable(&src[i])) {
			find(c, R_IDENTICAL, (long)i, "the translation is the source text (not translated)");
			continue;
		}
		/*
		 * Names kept in Latin make a Chinese line mostly Latin at times; a
		 * side is in the wrong script only when it has none of its own.  A
		 * name kept whole on both sides is not in the wrong script.
		 */
		if (S != T && S != TANDEM_SCRIPT_NONE && T != TANDEM_SCRIPT_NONE &&
		    !same) {
			if (!script_letters(&tr[i], T) && script_letters(&tr[i], S))
				find(c, R_WRONG_SCRIPT, (long)i,
				     "the translation is in %s script; this document translates into %s",
				     tandem_script_name(S), tandem_script_name(T));
			else if (!script_letters(&src[i], S) && script_letters(&src[i], T))
				find(c, R_WRONG_SCRIPT, (long)i,
				     "the source text is in %s script; this document's source is %s",
				     tandem_script_name(T), tandem_script_name(S));
		}
		check_tokens(c, i, &src[i], &tr[i], S, T);
	}
	if (bilingual && on(c, R_LENGTH_RATIO))
		check_ratios(c, src, tr);
}

/* ------------------------------------------------------------------ */
/* Timing                                                              */
/* ------------------------------------------------------------------ */

static void check_display(ctx *c, size_t i, const side *m, const check_lang *lang,
                          const char *which, int64_t dur)
{
	if (m->blank || !lang)
		return;
	const tandem_check_rules *r = c->r;
	if (r->max_lines > 0 && (double)m->lines > r->max_lines)
		find(c, R_TOO_MANY_LINES, (long)i, "%s has %zu lines (limit %.0f)", which, m->lines,
		     r->max_lines);
	if (lang->line_chars > 0 && (double)m->max_line_chars > lang->line_chars)
		find(c, R_LINE_LENGTH, (long)i,
		     "line %zu of the %s has %zu characters (limit %.0f for %s)", m->max_line_no, which,
		     m->max_line_chars, lang->line_chars, lang->code);
	else if (lang->line_width > 0 && (double)m->max_line_width > lang->line_width)
		find(c, R_LINE_LENGTH, (long)i, "line %zu of the %s is %zu columns wide (limit %.0f for %s)",
		     m->widest_line_no, which, m->max_line_width, lang->line_width, lang->code);
	if (dur <= 0)
		return;
	double cps = (double)m->chars * 1000.0 / (double)dur;
	if (cps > c->sum->max_cps) {
		c->sum->max_cps = cps;
		c->sum->max_cps_segment = i;
	}
	/* A hundredth of slack: 42 characters in 2.1 s is 20.0 cps, not a finding. */
	if (lang->cps > 0 && cps > lang->cps + 0.005)
		find(c, R_READING_SPEED, (long)i,
		     "%s reads at %.1f characters a second (limit %g for %s): %zu characters in %s",
		     which, cps, lang->cps, lang->code, m->chars,
		     fmt_time((char[32]){0}, 32, dur));
	double wpm = (double)m->words * 60000.0 / (double)dur;
	if (lang->wpm > 0 && wpm > lang->wpm + 0.05)
		find(c, R_READING_SPEED, (long)i,
		     "%s reads at %.0f words a minute (limit %g for %s): %zu words in %s", which, wpm,
		     lang->wpm, lang->code, m->words, fmt_time((char[32]){0}, 32, dur));
}

static void check_timing(ctx *c, const side *src, const side *tr, bool bilingual)
{
	const tandem_doc *doc = c->doc;
	const tandem_check_rules *r = c->r;
	const check_lang *ls = lang_find(r, side_lang(doc, false, src));
	const check_lang *lt = bilingual ? lang_find(r, side_lang(doc, true, tr)) : NULL;
	long prev = -1, latest = -1;   /* previous timed cue; the one ending last so far */
	char t1[32], t2[32];
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem_seg *g = &doc->segs[i];
		if (g->start == TANDEM_NO_TIME || g->end == TANDEM_NO_TIME)
			continue;
		c->sum->timed++;
		if (c->sum->first_ms == TANDEM_NO_TIME || g->start < c->sum->first_ms)
			c->sum->first_ms = g->start;
		if (c->sum->last_ms == TANDEM_NO_TIME || g->end > c->sum->last_ms)
			c->sum->last_ms = g->end;
		int64_t dur = g->end - g->start;
		if (dur < 0)
			find(c, R_NEGATIVE_DURATION, (long)i, "cue ends %s before it starts (%s)",
			     fmt_time(t1, sizeof t1, -dur), fmt_time(t2, sizeof t2, g->start));
		else if (dur == 0)
			find(c, R_ZERO_DURATION, (long)i, "cue has zero duration (at %s)",
			     fmt_time(t1, sizeof t1, g->start));
		else if (r->min_duration > 0 && (double)dur < r->min_duration)
			find(c, R_TOO_SHORT, (long)i, "cue is on screen for %s (minimum %s)",
			     fmt_time(t1, sizeof t1, dur), fmt_time(t2, sizeof t2, (int64_t)r->min_duration));
		else if (r->max_duration > 0 && (double)dur > r->max_duration)
			find(c, R_TOO_LONG, (long)i, "cue is on screen for %s (maximum %s)",
			     fmt_time(t1, sizeof t1, dur), fmt_time(t2, sizeof t2, (int64_t)r->max_duration));
		if (prev >= 0) {
			const tandem_seg *p = &doc->segs[prev], *l = &doc->segs[latest];
			if (g->start < p->start) {
				find2(c, R_OUT_OF_ORDER, (long)i, prev,
				      "cue starts at %s, before the previous cue (%s)",
				      fmt_time(t1, sizeof t1, g->start), fmt_time(t2, sizeof t2, p->start));
			} else if (g->start < l->end) {
				find2(c, R_OVERLAP, (long)i, latest,
				      "cue starts at %s, %s before the cue of segment %ld ends",
				      fmt_time(t1, sizeof t1, g->start),
				      fmt_time(t2, sizeof t2, l->end - g->start), latest + 1);
			} else if (r->min_gap > 0 && (double)(g->start - l->end) < r->min_gap) {
				find2(c, R_MIN_GAP, (long)i, latest,
				      "gap of %lld ms after the previous cue (minimum %.0f ms)",
				      (long long)(g->start - l->end), r->min_gap);
			}
		}
		check_display(c, i, &src[i], ls, "text", dur);
		if (bilingual)
			check_display(c, i, &tr[i], lt, "translation", dur);
		prev = (long)i;
		if (latest < 0 || g->end > doc->segs[latest].end)
			latest = (long)i;
	}
}

/* ------------------------------------------------------------------ */
/* Media                                                               */
/* ------------------------------------------------------------------ */

typedef struct span {
	int64_t a, b;
} span;

static int cmp_span(const void *x, const void *y)
{
	const span *p = x, *q = y;
	return (p->a > q->a) - (p->a < q->a);
}

static void check_media(ctx *c)
{
	const tandem_doc *doc = c->doc;
	const tandem_check_rules *r = c->r;
	int64_t media = c->o->media_ms;
	char t1[32], t2[32], t3[32];
	int64_t claimed = doc->claimed_duration;
	c->sum->claimed_ms = claimed;
	if (media != TANDEM_NO_TIME) {
		int64_t tol = (int64_t)r->media_tolerance;
		span *v = tandem__xmalloc((doc->nsegs + 1) * sizeof *v);
		size_t n = 0;
		for (size_t i = 0; i < doc->nsegs; i++) {
			const tandem_seg *g = &doc->segs[i];
			if (g->start == TANDEM_NO_TIME || g->end == TANDEM_NO_TIME)
				continue;
			if (g->start > media + tol)
				find(c, R_PAST_MEDIA_END, (long)i,
				     "cue starts at %s, %s after the media ends (%s)",
				     fmt_time(t1, sizeof t1, g->start), fmt_time(t2, sizeof t2, g->start - media),
				     fmt_time(t3, sizeof t3, media));
			else if (g->end > media + tol)
				find(c, R_PAST_MEDIA_END, (long)i,
				     "cue ends at %s, %s after the media ends (%s)",
				     fmt_time(t1, sizeof t1, g->end), fmt_time(t2, sizeof t2, g->end - media),
				     fmt_time(t3, sizeof t3, media));
			int64_t a = g->start < 0 ? 0 : g->start, b = g->end > media ? media : g->end;
			if (b > a)
				v[n++] = (span){a, b};
		}
		if (n && media > 0) {
			qsort(v, n, sizeof *v, cmp_span);
			int64_t covered = 0, ca = v[0].a, cb = v[0].b;
			for (size_t k = 1; k < n; k++) {
				if (v[k].a > cb) {
					covered += cb - ca;
					ca = v[k].a;
					cb = v[k].b;
				} else if (v[k].b > cb) {
					cb = v[k].b;
				}
			}
			covered += cb - ca;
			c->sum->media_pct = 100.0 * (double)covered / (double)media;
			if (c->sum->media_pct < r->min_media_coverage)
				find(c, R_MEDIA_COVERAGE, -1,
				     "the cues cover %.1f%% of the media (%s of %s; minimum %g%%)",
				     c->sum->media_pct, fmt_time(t1, sizeof t1, covered),
				     fmt_time(t2, sizeof t2, media), r->min_media_coverage);
		} else if (c->sum->timed) {
			c->sum->media_pct = 0;
		}
		free(v);
		if (claimed != TANDEM_NO_TIME && (double)llabs(claimed - media) > r->claim_tolerance)
			find(c, R_DURATION_CLAIM, -1,
			     "the document claims a duration of %s but the media lasts %s (%s %s)",
			     fmt_time(t1, sizeof t1, claimed), fmt_time(t2, sizeof t2, media),
			     fmt_time(t3, sizeof t3, llabs(claimed - media)),
			     claimed > media ? "longer" : "shorter");
	} else if (claimed != TANDEM_NO_TIME && c->sum->last_ms != TANDEM_NO_TIME &&
	           (double)llabs(claimed - c->sum->last_ms) > r->claim_tolerance) {
		find(c, R_DURATION_CLAIM, -1,
		     "the document claims a duration of %s but its last cue ends at %s",
		     fmt_time(t1, sizeof t1, claimed), fmt_time(t2, sizeof t2, c->sum->last_ms));
	}
}

/* ------------------------------------------------------------------ */
/* A separate translation                                              */
/* ------------------------------------------------------------------ */

static bool all_timed(const tandem_doc *d)
{
	for (size_t i = 0; i < d->nsegs; i++)
		if (d->segs[i].start == TANDEM_NO_TIME || d->segs[i].end == TANDEM_NO_TIME)
			return false;
	return d->nsegs > 0;
}

/*
 * Give each source segment the text of the translation cues it overlaps
 * most (by time), or pair by index when either side is untimed.  Cues left
 * over are findings.
 */
static tandem_doc *pair_translation(ctx *c, const tandem_doc *doc, const tandem_doc *tr)
{
	tandem_doc *w = tandem_doc_clone(doc);
	const char *tfile = c->o->translation_filename ? c->o->translation_filename : "<translation>";
	for (size_t i = 0; i < w->nsegs; i++)
		tandem__set_str(&w->segs[i].translation, NULL);
	const char *tl = tandem_doc_meta(tr, "language");
	if (tl)
		tandem_doc_set_meta(w, "translation_language", tl);
	if (all_timed(doc) && all_timed(tr)) {
		tandem_buf b = TANDEM_BUF_INIT;
		size_t lo = 0;
		for (size_t k = 0; k < tr->nsegs; k++) {
			const tandem_seg *t = &tr->segs[k];
			long best = -1;
			int64_t best_ov = 0;
			/* Source cues are mostly in order: start looking near the last match. */
			size_t from = lo > 8 ? lo - 8 : 0;
			for (size_t i = from; i < w->nsegs; i++) {
				const tandem_seg *g = &w->segs[i];
				if (g->start >= t->end && i > lo + 8)
					break;
				int64_t a = g->start > t->start ? g->start : t->start;
				int64_t e = g->end < t->end ? g->end : t->end;
				if (e - a > best_ov) {
					best_ov = e - a;
					best = (long)i;
				}
			}
			if (best < 0) {
				find_file(c, R_EXTRA_TRANSLATION, tfile, t->line, -1,
				          "translation cue %zu overlaps no source cue", k + 1);
				continue;
			}
			lo = (size_t)best;
			tandem_seg *g = &w->segs[best];
			tandem__buf_clear(&b);
			if (g->translation) {
				tandem__buf_puts(&b, g->translation);
				tandem__buf_putc(&b, '\n');
			}
			tandem__buf_puts(&b, t->text);
			tandem__set_str(&g->translation, b.ptr);
		}
		tandem__buf_free(&b);
	} else {
		for (size_t i = 0; i < w->nsegs && i < tr->nsegs; i++)
			tandem__set_str(&w->segs[i].translation, tr->segs[i].text);
		for (size_t k = w->nsegs; k < tr->nsegs; k++)
			find_file(c, R_EXTRA_TRANSLATION, tfile, tr->segs[k].line, -1,
			          "translation segment %zu has no source segment (the source has %zu)",
			          k + 1, w->nsegs);
	}
	return w;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

void tandem_check_opts_init(tandem_check_opts *o)
{
	memset(o, 0, sizeof *o);
	o->media_ms = TANDEM_NO_TIME;
}

static bool has_translation_side(const tandem_doc *doc)
{
	for (size_t i = 0; i < doc->nsegs; i++)
		if (doc->segs[i].translation)
			return true;
	return tandem_doc_meta(doc, "translation_language") != NULL;
}

int tandem_check_run(const tandem_doc *doc, const tandem_check_opts *opts,
                     tandem_check_summary *summary)
{
	if (!doc || !opts)
		return TANDEM_EINVAL;
	tandem_check_summary local;
	tandem_check_summary *sum = summary ? summary : &local;
	memset(sum, 0, sizeof *sum);
	sum->first_ms = sum->last_ms = TANDEM_NO_TIME;
	sum->claimed_ms = TANDEM_NO_TIME;
	sum->media_ms = opts->media_ms;
	sum->media_pct = -1;
	sum->segments_pct = sum->chars_pct = -1;
	tandem_check_rules *own = NULL;
	const tandem_check_rules *r = opts->rules;
	if (!r)
		r = own = tandem_check_rules_new(NULL);
	ctx c = {doc, opts, r, sum, opts->filename ? opts->filename : "<input>"};
	tandem_doc *paired = NULL;
	if (opts->translation)
		c.doc = paired = pair_translation(&c, doc, opts->translation);
	const tandem_doc *d = c.doc;
	bool bilingual = opts->translation || has_translation_side(d);
	sum->segments = d->nsegs;
	sum->bilingual = bilingual;
	side *src = tandem__xcalloc(d->nsegs + 1, sizeof *src);
	side *tr = tandem__xcalloc(d->nsegs + 1, sizeof *tr);
	for (size_t i = 0; i < d->nsegs; i++) {
		measure(d->segs[i].text, &src[i]);
		measure(d->segs[i].translation, &tr[i]);
	}
	check_coverage(&c, src, tr, bilingual);
	check_timing(&c, src, tr, bilingual);
	check_media(&c);
	if (bilingual) {
		size_t with_text = 0;
		for (size_t i = 0; i < d->nsegs; i++)
			with_text += !src[i].blank;
		sum->segments_pct = with_text ? 100.0 * (double)sum->translated / (double)with_text : 100.0;
		sum->chars_pct = sum->chars ? 100.0 * (double)sum->chars_translated / (double)sum->chars
		                            : 100.0;
	}
	free(src);
	free(tr);
	tandem_doc_free(paired);
	tandem_check_rules_free(own);
	return 0;
}
