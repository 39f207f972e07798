/*
 * profiles.c - the checker's rule table and its profiles: the id, default
 * severity and description of every rule, and the thresholds of the
 * default, netflix and bbc profiles (with the style guides they follow);
 * tandem_check_rules_set/_get change and read them one key at a time.
 */
#include "check.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct tandem__check_rule_def tandem__check_rule_defs[TANDEM__NRULES] = {
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
	{"line_chars", offsetof(tandem__check_lang, line_chars)},
	{"line_width", offsetof(tandem__check_lang, line_width)},
	{"cps", offsetof(tandem__check_lang, cps)},
	{"wpm", offsetof(tandem__check_lang, wpm)},
};

static const char *const profiles[] = {"default", "netflix", "bbc"};

static tandem__check_lang *lang_slot(tandem_check_rules *r, const char *code, size_t n)
{
	for (size_t k = 0; k < r->nlangs; k++)
		if (strlen(r->langs[k].code) == n && strncasecmp(r->langs[k].code, code, n) == 0)
			return &r->langs[k];
	if (r->nlangs == TANDEM__CHECK_MAX_LANGS || n == 0 || n >= sizeof r->langs[0].code)
		return NULL;
	tandem__check_lang *l = &r->langs[r->nlangs++];
	memset(l, 0, sizeof *l);
	memcpy(l->code, code, n);
	l->code[n] = '\0';
	return l;
}

static void set_lang(tandem_check_rules *r, const char *code, double chars, double width,
                     double cps, double wpm)
{
	tandem__check_lang *l = lang_slot(r, code, strlen(code));
	l->line_chars = chars;
	l->line_width = width;
	l->cps = cps;
	l->wpm = wpm;
}

static void apply_profile(tandem_check_rules *r, int which)
{
	memset(r, 0, sizeof *r);
	for (int k = 0; k < TANDEM__NRULES; k++)
		r->sev[k] = (int)tandem__check_rule_defs[k].sev;
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
	if (k >= TANDEM__NRULES)
		return NULL;
	if (sev)
		*sev = tandem__check_rule_defs[k].sev;
	if (what)
		*what = tandem__check_rule_defs[k].what;
	return tandem__check_rule_defs[k].id;
}

int tandem__check_rule_index(const char *id)
{
	for (int k = 0; k < TANDEM__NRULES; k++)
		if (strcmp(tandem__check_rule_defs[k].id, id) == 0)
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
	int ri = tandem__check_rule_index(key);
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
				tandem__check_lang *l = lang_slot(r, key, (size_t)(dot - key));
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
			if (r->gap_frames > 0 &&
			    (strcmp(key, "fps") == 0 || strcmp(key, "min_gap_frames") == 0))
				r->min_gap = floor(r->gap_frames * 1000.0 / r->fps + 0.5);
			return 0;
		}
	return TANDEM_EINVAL;
}

int tandem_check_rules_get(const tandem_check_rules *r, const char *key, double *value)
{
	if (!r || !key || !value)
		return TANDEM_EINVAL;
	int ri = tandem__check_rule_index(key);
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

bool tandem__check_lang_field_known(const char *f)
{
	for (size_t i = 0; i < sizeof lang_fields / sizeof *lang_fields; i++)
		if (strcmp(f, lang_fields[i].key) == 0)
			return true;
	return false;
}

bool tandem__check_threshold_known(const char *key)
{
	const char *dot = strchr(key, '.');
	if (dot)
		return dot > key && tandem__check_lang_field_known(dot + 1);
	for (size_t k = 0; k < sizeof thresholds / sizeof *thresholds; k++)
		if (strcmp(key, thresholds[k].key) == 0)
			return true;
	return false;
}
