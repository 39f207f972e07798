/*
 * markdown.h - the Markdown block syntax the md and post readers share
 * (markdown.c), and a post's inline Markdown as plain text (md_inline.c).
 */
#ifndef TANDEM_MARKDOWN_H
#define TANDEM_MARKDOWN_H

#include "tandem_private.h"

#include <stddef.h>

/*
 * An ATX heading (CommonMark 4.2, as transcripts write it): 1 to 6 '#', a
 * space, then text.  Returns the offset of the text in s[0..n), or 0 when
 * the line is not one (or has no text).
 */
size_t tandem__md_heading(const char *s, size_t n);

/*
 * Append the plain text of Markdown `md` (CommonMark, parsed by cmark):
 * emphasis markers, images and inline HTML gone, link texts kept, escapes
 * and entities resolved; line breaks as LF, none at the end.
 */
void tandem__md_plain(tandem__buf *out, const char *md);

/*
 * Append s without its term glosses: a full-width parenthesis right after
 * a term whose text opens with an English term and a colon
 * ("（End-to-End: ...）").  Returns how many were dropped.
 */
size_t tandem__drop_glosses(tandem__buf *out, const char *s);

#endif /* TANDEM_MARKDOWN_H */
