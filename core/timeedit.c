/*
 * timeedit.c - timing edits that need no recording: moving every time by a
 * fixed offset (tandem_doc_shift) and scaling every time by a frame-rate
 * ratio (tandem_doc_scale).  Inline timestamps in the markup (WebVTT's
 * <00:00:01.500> karaoke tags) move with their cue.
 */
#include "tandem_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct time_map {
	int64_t shift;       /* added after scaling */
	double num, den;     /* times multiplied by num/den */
} time_map;

static int64_t map_time(const time_map *m, int64_t t)
{
	if (t == TANDEM_NO_TIME)
		return t;
	if (m->num != m->den)
		t = (int64_t)llround((double)t * m->num / m->den);
	return t + m->shift;
}

/* A WebVTT timestamp "[HH:]MM:SS.mmm" of exactly len bytes, or -1. */
static int64_t parse_stamp(const char *s, size_t len, bool *hours)
{
	int64_t parts[3] = {0, 0, 0};
	size_t n = 0, i = 0;
	for (;;) {
		size_t k = i;
		int64_t v = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9' && i - k < 10)
			v = v * 10 + (s[i++] - '0');
		if (i == k || n == 3)
			return -1;
		parts[n++] = v;
		if (i < len && s[i] == ':') {
			i++;
			continue;
		}
		break;
	}
	if (n < 2 || i + 4 != len || s[i] != '.')
		return -1;
	int64_t ms = 0;
	for (size_t k = i + 1; k < len; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		ms = ms * 10 + (s[k] - '0');
	}
	*hours = n == 3;
	int64_t h = n == 3 ? parts[0] : 0, mi = parts[n - 2], sec = parts[n - 1];
	if (mi > 59 || sec > 59)
		return -1;
	return ((h * 60 + mi) * 60 + sec) * 1000 + ms;
}

/* The markup with its inline timestamps mapped (clamped to 0), or NULL when it has none. */
static char *map_markup(const char *markup, const time_map *m)
{
	if (!markup || !strchr(markup, '<'))
		return NULL;
	tandem__buf b = TANDEM_BUF_INIT;
	bool changed = false;
	const char *p = markup;
	for (const char *lt; (lt = strchr(p, '<')) != NULL;) {
		const char *gt = strchr(lt, '>');
		if (!gt)
			break;
		bool hours = false;
		int64_t t = parse_stamp(lt + 1, (size_t)(gt - lt - 1), &hours);
		if (t < 0) {
			tandem__buf_put(&b, p, (size_t)(gt + 1 - p));
		} else {
			tandem__buf_put(&b, p, (size_t)(lt - p));
			t = map_time(m, t);
			tandem__buf_putc(&b, '<');
			if (hours || t >= 3600000) {
				tandem__buf_time(&b, t, '.');
			} else {
				tandem__buf s = TANDEM_BUF_INIT;
				tandem__buf_time(&s, t, '.');
				tandem__buf_puts(&b, s.ptr + 3); /* drop "00:" */
				tandem__buf_free(&s);
			}
			tandem__buf_putc(&b, '>');
			changed = true;
		}
		p = gt + 1;
	}
	tandem__buf_puts(&b, p);
	if (!changed) {
		tandem__buf_free(&b);
		return NULL;
	}
	return tandem__buf_detach(&b, NULL);
}

/* The first words of a cue for a message: up to about 30 bytes, whole characters, one line. */
static void first_words(const char *text, char *out, size_t size)
{
	size_t n = 0, len = strlen(text);
	while (n < len && n < 30) {
		int32_t cp;
		size_t k = tandem__utf8_decode(text + n, len - n, &cp);
		if (!k || n + k + 4 >= size)
			break;
		n += k;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		out[o++] = text[i] == '\n' || text[i] == '\r' ? ' ' : text[i];
	while (o > 0 && out[o - 1] == ' ')
		o--;
	if (n < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static void map_seg(tandem_doc *doc, size_t i, const time_map *m)
{
	tandem__seg *s = &doc->segs[i];
	s->start = map_time(m, s->start);
	s->end = map_time(m, s->end);
	char *mk = map_markup(s->markup, m);
	if (mk) {
		free(s->markup);
		s->markup = mk;
	}
}

int tandem_doc_scale(tandem_doc *doc, double num, double den)
{
	if (!doc || !isfinite(num) || !isfinite(den) || !(num > 0) || !(den > 0))
		return TANDEM_EINVAL;
	time_map m = {0, num, den};
	for (size_t i = 0; i < doc->nsegs; i++)
		map_seg(doc, i, &m);
	return 0;
}

/* Remove the segments flagged in drop, a run at a time from the back. */
static void remove_flagged(tandem_doc *doc, const unsigned char *drop)
{
	for (size_t i = doc->nsegs; i > 0;) {
		if (!drop[i - 1]) {
			i--;
			continue;
		}
		size_t end = i;
		while (i > 0 && drop[i - 1])
			i--;
		tandem_doc_remove(doc, i, end - i);
	}
}

int tandem_doc_shift(tandem_doc *doc, int64_t ms, const char *filename, tandem_diag_fn diag,
                     void *diag_user)
{
	if (!doc || ms == TANDEM_NO_TIME)
		return TANDEM_EINVAL;
	time_map m = {ms, 1, 1};
	unsigned char *drop = doc->nsegs ? calloc(doc->nsegs, 1) : NULL;
	if (doc->nsegs && !drop)
		tandem__oom();
	size_t clamped = 0, dropped = 0;
	for (size_t i = 0; i < doc->nsegs; i++) {
		tandem__seg *s = &doc->segs[i];
		map_seg(doc, i, &m);
		if (ms < 0 && s->end != TANDEM_NO_TIME && s->end <= 0) {
			char words[64];
			first_words(s->text, words, sizeof words);
			tandem__report(diag, diag_user, filename, TANDEM_WARNING, "shift-dropped", s->line, 0,
			               (long)i, "cue %zu ('%s') ends before 0 after the shift; dropped",
			               i + 1, words);
			drop[i] = 1;
			dropped++;
			continue;
		}
		if (s->start != TANDEM_NO_TIME && s->start < 0) {
			s->start = 0;
			clamped++;
		}
	}
	if (clamped)
		tandem__report(diag, diag_user, filename, TANDEM_INFO, "shift-clamped", 0, 0, -1,
		               "%zu cue%s would start before 0 after the shift; %s at 0", clamped,
		               clamped == 1 ? "" : "s", clamped == 1 ? "it starts" : "they start");
	if (dropped)
		remove_flagged(doc, drop);
	free(drop);
	return 0;
}
