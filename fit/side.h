/*
 * side.h - one side of a segment as fit/ analyses it (cut.c): its text,
 * its candidate cuts and its line break opportunities, with the measures
 * the cut programmes (pair.c) run on.  Private to fit/.
 */
#ifndef TANDEM_FIT_SIDE_H
#define TANDEM_FIT_SIDE_H

#include "fit.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct opp {
	size_t off;        /* byte offset */
	size_t g, wd;      /* graphemes and columns before it */
	size_t trail_g, trail_w; /* whitespace right before it */
	bool line;         /* a line may break here */
	long cand;         /* candidate index, or -1 */
} opp;

typedef struct side {
	const char *s;
	size_t len;
	bool cjk;
	tandem__cut *cand;
	size_t ncand;
	opp *o;
	size_t no;
	size_t *cand_opp;  /* candidate -> opportunity index */
} side;

/* Analyse s[0, len): its candidates (tandem__cut_candidates) and where its
 * lines may break.  Free with tandem__side_free. */
void tandem__side_init(tandem__cutter *c, side *d, const char *s, size_t len, bool cjk);
void tandem__side_free(side *d);
/* Fewest lines the text from opportunity a to b needs under lay. */
size_t tandem__side_lines(const side *d, size_t a, size_t b, const tandem__layout *lay);
/* What a cut at candidate k costs by its class (0 at the two ends). */
double tandem__class_cost(const side *d, size_t k);

#endif
