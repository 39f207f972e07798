/*
 * markdown.h - the Markdown block syntax the md and post readers share
 * (markdown.c).
 */
#ifndef TANDEM_MARKDOWN_H
#define TANDEM_MARKDOWN_H

#include <stddef.h>

/*
 * An ATX heading (CommonMark 4.2, as transcripts write it): 1 to 6 '#', a
 * space, then text.  Returns the offset of the text in s[0..n), or 0 when
 * the line is not one (or has no text).
 */
size_t tandem__md_heading(const char *s, size_t n);

#endif /* TANDEM_MARKDOWN_H */
