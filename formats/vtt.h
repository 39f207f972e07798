/*
 * vtt.h - WebVTT cue settings and regions as the spec's parser gives them
 * (vtt.c; used by its reader and the WPT and vtt.js conformance drivers).
 */
#ifndef TANDEM_VTT_H
#define TANDEM_VTT_H

#include "format.h"

typedef struct tandem_vtt_region {
	char *id;                      /* heap; "" when none */
	double width, lines;           /* 100, 3 */
	double anchor_x, anchor_y;     /* region anchor: 0, 100 */
	double viewport_x, viewport_y; /* viewport anchor: 0, 100 */
	bool scroll_up;
} tandem_vtt_region;

typedef struct tandem_vtt_cue {
	long region;                   /* index into the regions given, -1 = null */
	const char *vertical;          /* "", "rl", "lr" (static strings, VTTCue names) */
	bool snap_to_lines, line_auto, position_auto;
	double line, position, size;
	const char *line_align;        /* "start" | "center" | "end" */
	const char *position_align;    /* "auto" | "line-left" | "center" | "line-right" */
	const char *align;             /* "start" | "center" | "end" | "left" | "right" */
} tandem_vtt_cue;

/* Parse a REGION block's settings (the lines after "REGION"); caller frees out->id. */
int tandem__vtt_region(const char *s, size_t n, tandem_vtt_region *out, tandem_reader *r,
                       size_t line);
/* Parse cue settings into their DOM values.  r may be NULL; otherwise each
 * ignored setting is a warning at line:col (col = where s starts). */
int tandem__vtt_settings(const char *s, size_t n, const tandem_vtt_region *regions,
                         size_t nregions, tandem_vtt_cue *out, tandem_reader *r, size_t line,
                         size_t col);

#endif /* TANDEM_VTT_H */
