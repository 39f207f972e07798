/*
 * subview.h - what a subtitle shows of a document (subview.c): a post's
 * Markdown as plain text, term glosses dropped on request, and speaker
 * labels on the cues the speakers option asks for; for write.c (a whole
 * document) and stream.c (a window at a time).
 */
#ifndef TANDEM_SUBVIEW_H
#define TANDEM_SUBVIEW_H

#include "format.h"

/* The speaker of the last cue written, carried from window to window. */
typedef struct tandem_spk_run {
	char *last;        /* NULL: none, or none yet */
	bool started;      /* a cue has been written */
} tandem_spk_run;

/*
 * Change doc->segs[0..n) in place into what `format` shows; run carries the
 * speakers from the windows before (zeroed to start, freed with
 * tandem__spk_run_free).  Nothing for a format that is not a subtitle.
 */
void tandem__subview_apply(tandem_doc *doc, size_t n, const char *format,
                           const tandem_write_opts *o, tandem_spk_run *run);
void tandem__spk_run_free(tandem_spk_run *run);

/* f->write(doc, w, out), through a changed copy of doc when format f shows it changed. */
int tandem__subview_write(const tandem__format *f, const tandem_doc *doc, const tandem__writer *w,
                          tandem__buf *out);

#endif /* TANDEM_SUBVIEW_H */
