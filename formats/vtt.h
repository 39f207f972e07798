/*
 * vtt.h - WebVTT's protocols between its files: cue settings and regions as
 * the spec's parser gives them (vtt_settings.c; used by the reader vtt.c and
 * the WPT and vtt.js conformance drivers), the character classes the reader
 * and the settings parser share, and the writer (vtt_write.c) that the
 * format table in vtt.c names.
 */
#ifndef TANDEM_VTT_H
#define TANDEM_VTT_H

#include "format.h"

typedef struct tandem__vtt_region {
	char *id;                      /* heap; "" when none */
	double width, lines;           /* 100, 3 */
	double anchor_x, anchor_y;     /* region anchor: 0, 100 */
	double viewport_x, viewport_y; /* viewport anchor: 0, 100 */
	bool scroll_up;
} tandem__vtt_region;

typedef struct tandem__vtt_cue {
	long region;                   /* index into the regions given, -1 = null */
	const char *vertical;          /* "", "rl", "lr" (static strings, VTTCue names) */
	bool snap_to_lines, line_auto, position_auto;
	double line, position, size;
	const char *line_align;        /* "start" | "center" | "end" */
	const char *position_align;    /* "auto" | "line-left" | "center" | "line-right" */
	const char *align;             /* "start" | "center" | "end" | "left" | "right" */
} tandem__vtt_cue;

/* Parse a REGION block's settings (the lines after "REGION"); caller frees out->id. */
int tandem__vtt_region_parse(const char *s, size_t n, tandem__vtt_region *out, tandem__reader *r,
                       size_t line);
/* Parse cue settings into their DOM values.  r may be NULL; otherwise each
 * ignored setting is a warning at line:col (col = where s starts). */
int tandem__vtt_settings(const char *s, size_t n, const tandem__vtt_region *regions,
                         size_t nregions, tandem__vtt_cue *out, tandem__reader *r, size_t line,
                         size_t col);

/*
 * A region id and its index, sorted by id then index: the reader's index of
 * its REGION blocks, so that each cue's region:ID is a binary search rather
 * than a walk over every block (20k regions and cues took 16 s that way).
 */
typedef struct tandem__vtt_region_ref {
	const char *id;                /* borrowed from the region */
	size_t k;
} tandem__vtt_region_ref;

/* Fill sorted[0..nregions) with the index of regions[0..nregions). */
void tandem__vtt_region_index(const tandem__vtt_region *regions, size_t nregions,
                              tandem__vtt_region_ref *sorted);
/* tandem__vtt_settings with that index (sorted may be NULL: a walk instead). */
int tandem__vtt_settings_indexed(const char *s, size_t n, const tandem__vtt_region *regions,
                                 size_t nregions, const tandem__vtt_region_ref *sorted,
                                 tandem__vtt_cue *out, tandem__reader *r, size_t line,
                                 size_t col);

/* The WebVTT writer (the format table's write). */
int tandem__vtt_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out);

/* ASCII whitespace: the spec's "skip whitespace" and "split on spaces". */
static inline bool tandem__vtt_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static inline bool tandem__vtt_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* s[0..n) is the NUL-terminated lit. */
static inline bool tandem__vtt_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

#endif /* TANDEM_VTT_H */
