/*
 * registry.c - the table of formats, and choosing one for an input.
 *
 * Each format file exports one tandem__format; this table is the only list.
 * A reader or writer is NULL where the format cannot do that direction.
 */
#include "format.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const tandem__format tandem__format_lines;
extern const tandem__format tandem__format_transcript;
extern const tandem__format tandem__format_post;
extern const tandem__format tandem__format_md;
extern const tandem__format tandem__format_ass;
extern const tandem__format tandem__format_vtt;
extern const tandem__format tandem__format_srt;
extern const tandem__format tandem__format_json;

static const tandem__format *const formats[] = {
	&tandem__format_lines,
	&tandem__format_transcript,
	&tandem__format_post,
	&tandem__format_md,
	&tandem__format_ass,
	&tandem__format_vtt,
	&tandem__format_srt,
	&tandem__format_json,
};

#define NFORMATS (sizeof formats / sizeof *formats)

size_t tandem_format_count(void)
{
	return NFORMATS;
}

const char *tandem_format_name(size_t k)
{
	return k < NFORMATS ? formats[k]->name : NULL;
}

const char *tandem_format_extensions(size_t k)
{
	return k < NFORMATS ? formats[k]->extensions : NULL;
}

const tandem__format *tandem__format_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t k = 0; k < NFORMATS; k++)
		if (strcasecmp(formats[k]->name, name) == 0)
			return formats[k];
	/* Accept an extension as a name too (-t webvtt / -t vtt). */
	for (size_t k = 0; k < NFORMATS; k++) {
		const char *e = formats[k]->extensions;
		size_t n = strlen(name);
		while (*e) {
			size_t m = strcspn(e, " ");
			if (m == n && strncasecmp(e, name, n) == 0)
				return formats[k];
			e += m;
			while (*e == ' ')
				e++;
		}
	}
	return NULL;
}

int tandem_format_can_read(const char *name)
{
	const tandem__format *f = tandem__format_find(name);
	return f && f->read;
}

int tandem_format_can_write(const char *name)
{
	const tandem__format *f = tandem__format_find(name);
	return f && f->write;
}

const char *tandem_format_from_path(const char *path)
{
	if (!path)
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	if (!dot || !dot[1])
		return NULL;
	const tandem__format *f = tandem__format_find(dot + 1);
	return f ? f->name : NULL;
}

/* data must be NUL-terminated at data[len]: the sniffers use string functions. */
static const char *sniff_cstr(const char *data, size_t len)
{
	int best = 0;
	const tandem__format *pick = NULL;
	for (size_t k = 0; k < NFORMATS; k++) {
		if (!formats[k]->sniff || !formats[k]->read)
			continue;
		int s = formats[k]->sniff(data, len);
		if (s > best) {
			best = s;
			pick = formats[k];
		}
	}
	return pick ? pick->name : NULL;
}

const char *tandem__format_sniff(const char *text, size_t len)
{
	return sniff_cstr(text, len);
}

const char *tandem_format_sniff(const char *data, size_t len)
{
	/* The caller's bytes need not be NUL-terminated. */
	char *copy = tandem__xstrndup(data, len);
	const char *name = sniff_cstr(copy, len);
	free(copy);
	return name;
}
