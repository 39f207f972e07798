/*
 * doc.c - the segment model: a document of segments, its metadata and its
 * non-segment blocks.  Every string a document holds is its own heap copy.
 */
#include "tandem_private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

tandem_doc *tandem_doc_new(void)
{
	tandem_doc *doc = tandem__xcalloc(1, sizeof *doc);
	doc->claimed_duration = TANDEM_NO_TIME;
	return doc;
}

void tandem__seg_free(tandem__seg *s)
{
	free(s->id);
	free(s->text);
	free(s->markup);
	free(s->translation);
	free(s->speaker);
	free(s->section);
	free(s->settings);
}

void tandem_doc_free(tandem_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->nsegs; i++)
		tandem__seg_free(&doc->segs[i]);
	free(doc->segs);
	for (size_t i = 0; i < doc->nmeta; i++) {
		free(doc->meta[i].key);
		free(doc->meta[i].value);
	}
	free(doc->meta);
	for (size_t i = 0; i < doc->nblocks; i++)
		free(doc->blocks[i].text);
	free(doc->blocks);
	free(doc);
}

static char *dup_or_null(const char *s)
{
	return s ? tandem__xstrdup(s) : NULL;
}

tandem_doc *tandem_doc_clone(const tandem_doc *src)
{
	tandem_doc *doc = tandem_doc_new();
	doc->claimed_duration = src->claimed_duration;
	for (size_t i = 0; i < src->nsegs; i++) {
		const tandem__seg *s = &src->segs[i];
		size_t k = tandem_doc_add(doc, s->start, s->end, s->text, s->translation);
		tandem__seg *d = &doc->segs[k];
		d->id = dup_or_null(s->id);
		d->markup = dup_or_null(s->markup);
		d->speaker = dup_or_null(s->speaker);
		d->section = dup_or_null(s->section);
		d->settings = dup_or_null(s->settings);
		d->an = s->an;
		d->line = s->line;
	}
	for (size_t i = 0; i < src->nmeta; i++)
		tandem_doc_set_meta(doc, src->meta[i].key, src->meta[i].value);
	for (size_t i = 0; i < src->nblocks; i++)
		tandem_doc_add_block(doc, src->blocks[i].kind, src->blocks[i].text,
		                     src->blocks[i].before);
	return doc;
}

size_t tandem_doc_count(const tandem_doc *doc)
{
	return doc ? doc->nsegs : 0;
}

size_t tandem_doc_add(tandem_doc *doc, int64_t start_ms, int64_t end_ms, const char *text,
                      const char *translation)
{
	if (doc->nsegs == doc->capsegs) {
		doc->capsegs = doc->capsegs ? doc->capsegs * 2 : 64;
		doc->segs = tandem__xrealloc(doc->segs, doc->capsegs * sizeof *doc->segs);
	}
	tandem__seg *s = &doc->segs[doc->nsegs];
	memset(s, 0, sizeof *s);
	s->start = start_ms;
	s->end = end_ms;
	s->text = tandem__xstrdup(text ? text : "");
	s->translation = dup_or_null(translation);
	return doc->nsegs++;
}

void tandem_doc_remove(tandem_doc *doc, size_t i, size_t n)
{
	if (i >= doc->nsegs)
		return;
	if (n > doc->nsegs - i)
		n = doc->nsegs - i;
	for (size_t k = i; k < i + n; k++)
		tandem__seg_free(&doc->segs[k]);
	memmove(&doc->segs[i], &doc->segs[i + n], (doc->nsegs - i - n) * sizeof *doc->segs);
	doc->nsegs -= n;
	for (size_t k = 0; k < doc->nblocks; k++) {
		size_t *b = &doc->blocks[k].before;
		if (*b >= i + n)
			*b -= n;
		else if (*b > i)
			*b = i;
	}
}

void tandem__set_str(char **field, const char *value)
{
	char *old = *field;
	*field = dup_or_null(value);
	free(old);
}

#define SEG(doc, i) (&(doc)->segs[(i)])

const char *tandem_seg_id(const tandem_doc *doc, size_t i) { return SEG(doc, i)->id; }
int64_t tandem_seg_start(const tandem_doc *doc, size_t i) { return SEG(doc, i)->start; }
int64_t tandem_seg_end(const tandem_doc *doc, size_t i) { return SEG(doc, i)->end; }
const char *tandem_seg_text(const tandem_doc *doc, size_t i) { return SEG(doc, i)->text; }
const char *tandem_seg_markup(const tandem_doc *doc, size_t i) { return SEG(doc, i)->markup; }
const char *tandem_seg_translation(const tandem_doc *doc, size_t i)
{
	return SEG(doc, i)->translation;
}
const char *tandem_seg_speaker(const tandem_doc *doc, size_t i) { return SEG(doc, i)->speaker; }
const char *tandem_seg_section(const tandem_doc *doc, size_t i) { return SEG(doc, i)->section; }
const char *tandem_seg_settings(const tandem_doc *doc, size_t i)
{
	return SEG(doc, i)->settings;
}
int tandem_seg_position(const tandem_doc *doc, size_t i) { return SEG(doc, i)->an; }
size_t tandem_seg_line(const tandem_doc *doc, size_t i) { return SEG(doc, i)->line; }

void tandem_seg_set_id(tandem_doc *doc, size_t i, const char *id)
{
	tandem__set_str(&SEG(doc, i)->id, id);
}

void tandem_seg_set_times(tandem_doc *doc, size_t i, int64_t start_ms, int64_t end_ms)
{
	SEG(doc, i)->start = start_ms;
	SEG(doc, i)->end = end_ms;
}

void tandem_seg_set_text(tandem_doc *doc, size_t i, const char *text)
{
	tandem__set_str(&SEG(doc, i)->text, text ? text : "");
	tandem__set_str(&SEG(doc, i)->markup, NULL);
}

void tandem_seg_set_markup(tandem_doc *doc, size_t i, const char *markup)
{
	tandem__set_str(&SEG(doc, i)->markup, markup);
}

void tandem_seg_set_translation(tandem_doc *doc, size_t i, const char *text)
{
	tandem__set_str(&SEG(doc, i)->translation, text);
}

void tandem_seg_set_speaker(tandem_doc *doc, size_t i, const char *speaker)
{
	tandem__set_str(&SEG(doc, i)->speaker, speaker);
}

void tandem_seg_set_section(tandem_doc *doc, size_t i, const char *section)
{
	tandem__set_str(&SEG(doc, i)->section, section);
}

void tandem_seg_set_settings(tandem_doc *doc, size_t i, const char *settings)
{
	tandem__set_str(&SEG(doc, i)->settings, settings);
}

void tandem_seg_set_position(tandem_doc *doc, size_t i, int an)
{
	SEG(doc, i)->an = (an >= 1 && an <= 9) ? an : 0;
}

static tandem__meta_kv *meta_find(const tandem_doc *doc, const char *key)
{
	for (size_t i = 0; i < doc->nmeta; i++)
		if (strcmp(doc->meta[i].key, key) == 0)
			return &doc->meta[i];
	return NULL;
}

const char *tandem_doc_meta(const tandem_doc *doc, const char *key)
{
	tandem__meta_kv *kv = meta_find(doc, key);
	return kv ? kv->value : NULL;
}

void tandem_doc_set_meta(tandem_doc *doc, const char *key, const char *value)
{
	tandem__meta_kv *kv = meta_find(doc, key);
	if (kv) {
		if (value) {
			tandem__set_str(&kv->value, value);
		} else {
			free(kv->key);
			free(kv->value);
			size_t k = (size_t)(kv - doc->meta);
			memmove(kv, kv + 1, (doc->nmeta - k - 1) * sizeof *kv);
			doc->nmeta--;
		}
		return;
	}
	if (!value)
		return;
	if (doc->nmeta == doc->capmeta) {
		doc->capmeta = doc->capmeta ? doc->capmeta * 2 : 8;
		doc->meta = tandem__xrealloc(doc->meta, doc->capmeta * sizeof *doc->meta);
	}
	doc->meta[doc->nmeta].key = tandem__xstrdup(key);
	doc->meta[doc->nmeta].value = tandem__xstrdup(value);
	doc->nmeta++;
}

const char *tandem_doc_meta_key(const tandem_doc *doc, size_t k)
{
	return k < doc->nmeta ? doc->meta[k].key : NULL;
}

int64_t tandem_doc_claimed_duration(const tandem_doc *doc)
{
	return doc->claimed_duration;
}

void tandem_doc_set_claimed_duration(tandem_doc *doc, int64_t ms)
{
	doc->claimed_duration = ms;
}

size_t tandem_doc_block_count(const tandem_doc *doc)
{
	return doc->nblocks;
}

tandem_block_kind tandem_doc_block(const tandem_doc *doc, size_t k, const char **text,
                                   size_t *before)
{
	const tandem__block *b = &doc->blocks[k];
	if (text)
		*text = b->text;
	if (before)
		*before = b->before;
	return b->kind;
}

void tandem_doc_add_block(tandem_doc *doc, tandem_block_kind kind, const char *text,
                          size_t before)
{
	if (doc->nblocks == doc->capblocks) {
		doc->capblocks = doc->capblocks ? doc->capblocks * 2 : 8;
		doc->blocks = tandem__xrealloc(doc->blocks, doc->capblocks * sizeof *doc->blocks);
	}
	tandem__block *b = &doc->blocks[doc->nblocks++];
	b->kind = kind;
	b->text = tandem__xstrdup(text ? text : "");
	b->before = before;
}

/* ---- claimed durations ---- */

static const char *skip_blanks(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static bool word_is(const char *w, size_t n, const char *const *names)
{
	for (; *names; names++)
		if (strlen(*names) == n && strncasecmp(w, *names, n) == 0)
			return true;
	return false;
}

int64_t tandem__parse_duration(const char *s, size_t len)
{
	static const char *const hours[] = {"h", "hr", "hrs", "hour", "hours", NULL};
	static const char *const mins[] = {"m", "min", "mins", "minute", "minutes", NULL};
	static const char *const secs[] = {"s", "sec", "secs", "second", "seconds", NULL};
	const char *p = s, *e = s + len;
	p = skip_blanks(p, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p == e)
		return TANDEM_NO_TIME;
	if (memchr(p, ':', (size_t)(e - p))) {
		int64_t parts[3];
		int n = 0;
		while (p < e && n < 3) {
			if (!isdigit((unsigned char)*p))
				return TANDEM_NO_TIME;
			int64_t v = 0;
			while (p < e && isdigit((unsigned char)*p) && v < 1000000)
				v = v * 10 + (*p++ - '0');
			parts[n++] = v;
			if (p < e && *p != ':')
				return TANDEM_NO_TIME;
			if (p < e)
				p++;
		}
		if (p != e || n < 2)
			return TANDEM_NO_TIME;
		int64_t h = n == 3 ? parts[0] : 0, m = parts[n - 2], sec = parts[n - 1];
		if (m > 59 && n == 3)
			return TANDEM_NO_TIME;
		if (sec > 59)
			return TANDEM_NO_TIME;
		return ((h * 60 + m) * 60 + sec) * 1000;
	}
	int64_t total = 0;
	bool any = false;
	while (p < e) {
		if (!isdigit((unsigned char)*p))
			return TANDEM_NO_TIME;
		int64_t v = 0;
		while (p < e && isdigit((unsigned char)*p) && v < 10000000)
			v = v * 10 + (*p++ - '0');
		p = skip_blanks(p, e);
		const char *w = p;
		while (p < e && isalpha((unsigned char)*p))
			p++;
		size_t wn = (size_t)(p - w);
		if (word_is(w, wn, hours))
			total += v * 3600000;
		else if (word_is(w, wn, mins))
			total += v * 60000;
		else if (word_is(w, wn, secs))
			total += v * 1000;
		else
			return TANDEM_NO_TIME;
		any = true;
		p = skip_blanks(p, e);
	}
	return any ? total : TANDEM_NO_TIME;
}
