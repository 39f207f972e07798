/*
 * markdown.c - the Markdown block syntax the md (md.c) and annotated post
 * (post.c) readers share: the ATX heading.
 */
#include "markdown.h"

size_t tandem__md_heading(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && k < 7 && s[k] == '#')
		k++;
	if (k == 0 || k > 6 || k >= n || s[k] != ' ')
		return 0;
	while (k < n && s[k] == ' ')
		k++;
	return k < n ? k : 0;
}
