/*
 * srt_write.c - writing SubRip subtitles (the reader is srt.c): numbers
 * from 1, HH:MM:SS,mmm, the speaker as "Name: ", {\anN}, the text lines then
 * the translation lines (or the other order, or one side).  Markup maps to
 * SRT's four tags; WebVTT-only markup (classes, voices, languages, ruby,
 * inner timestamps), cue settings and NOTE/STYLE blocks cannot be held and
 * are reported once per document.  Written whole or, in a streamed
 * conversion, a window at a time (its counts kept in tandem__wwin).
 *
 * Stacked bilingual cues must read back as written.  The reader splits a
 * cue whose lines are a run in one script then a run in another, so a
 * translation its script tells from the text (English over Chinese) is
 * written as it is.  One it would not tell ("Mythos" under an English line,
 * "OK", "42", an English translation of a Chinese text, a translation with
 * no text, or every translation when under a third of the cues have one,
 * too few for the reader to take the layout) is written inside
 *
 *   <font class="translation">...</font>
 *
 * which the reader (bilingual.c) takes as the translation whatever its
 * script.  <font> is the one SRT tag every player knows, and a class
 * attribute is none of the ones they act on (color, face, size): ffmpeg's
 * SRT decoder (mpv, and libass behind it) and VLC show the text plainly,
 * and a WebVTT-minded renderer ignores the unknown tag and keeps its text.
 * An ASS override ({\...}) was the other candidate; ffmpeg drops it, but
 * players that render SRT without an ASS engine show it as text.
 */
#include "srt_write.h"
#include "bilingual.h"

#include <stdlib.h>
#include <string.h>

enum {
	DROP_CLASS = 1, DROP_VOICE = 2, DROP_LANG = 4, DROP_RUBY = 8, DROP_TIMESTAMP = 16,
	DROP_OTHER = 32
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Append markup text with entities decoded (no tags in s[0..n)). */
static void put_decoded(tandem__buf *out, const char *s, size_t n)
{
	if (!memchr(s, '&', n)) {
		tandem__buf_put(out, s, n);
		return;
	}
	char *tmp = tandem__xstrndup(s, n);
	char *plain = tandem_markup_to_plain(tmp);
	tandem__buf_puts(out, plain);
	free(plain);
	free(tmp);
}

/*
 * WebVTT-syntax markup to SRT text: <i> <b> <u> and <font> stay, the rest
 * of the tags go (ruby text in parentheses after its base); *voice gets the
 * first <v> annotation (malloc'd) when it is NULL.
 */
static unsigned markup_to_srt(const char *m, tandem__buf *out, char **voice)
{
	unsigned dropped = 0;
	const char *p = m;
	while (*p) {
		const char *lt = strchr(p, '<');
		if (!lt) {
			put_decoded(out, p, strlen(p));
			break;
		}
		put_decoded(out, p, (size_t)(lt - p));
		const char *gt = strchr(lt, '>');
		if (!gt) {
			put_decoded(out, lt, strlen(lt));
			break;
		}
		const char *name = lt + 1;
		bool close = *name == '/';
		if (close)
			name++;
		size_t nlen = strcspn(name, " \t.>");
		if (nlen > (size_t)(gt - name))
			nlen = (size_t)(gt - name);
		if (nlen == 1 && (*name == 'i' || *name == 'b' || *name == 'u')) {
			char t[4] = {'<', '/', *name, '>'};
			if (close)
				tandem__buf_put(out, t, 4);
			else {
				char o[3] = {'<', *name, '>'};
				tandem__buf_put(out, o, 3);
			}
			if (name[1] == '.')
				dropped |= DROP_CLASS;
		} else if (nlen == 4 && memcmp(name, "font", 4) == 0) {
			tandem__buf_put(out, lt, (size_t)(gt - lt) + 1);
		} else if (nlen == 1 && *name == 'c') {
			dropped |= DROP_CLASS;
		} else if (nlen == 1 && *name == 'v') {
			dropped |= DROP_VOICE;
			if (!close && !*voice && name[1] != '>') {
				const char *a = name + 1 + strcspn(name + 1, " \t>");
				while (*a == ' ' || *a == '\t')
					a++;
				size_t alen = (size_t)(gt - a);
				while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
					alen--;
				if (alen) {
					char *raw = tandem__xstrndup(a, alen);
					*voice = tandem_markup_to_plain(raw);
					free(raw);
				}
			}
		} else if (nlen == 4 && memcmp(name, "lang", 4) == 0) {
			dropped |= DROP_LANG;
		} else if ((nlen == 4 && memcmp(name, "ruby", 4) == 0)) {
			dropped |= DROP_RUBY;
		} else if (nlen == 2 && memcmp(name, "rt", 2) == 0) {
			dropped |= DROP_RUBY;
			tandem__buf_putc(out, close ? ')' : '(');
		} else if (is_digit(*name)) {
			dropped |= DROP_TIMESTAMP;
		} else {
			dropped |= DROP_OTHER;
		}
		p = gt + 1;
	}
	return dropped;
}

static void put_uint(tandem__buf *out, size_t v)
{
	char tmp[24];
	char *q = tmp + sizeof tmp;
	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tandem__buf_put(out, q, (size_t)(tmp + sizeof tmp - q));
}

/* Lines of s, each ended by nl; empty lines are left out (a blank line ends a cue). */
static void put_lines(tandem__buf *out, const char *s, size_t n, const char *nl,
                      const char **prefix, size_t *skipped, size_t *written)
{
	const char *e = s + n;
	while (s < e) {
		const char *q = memchr(s, '\n', (size_t)(e - s));
		if (!q)
			q = e;
		size_t len = (size_t)(q - s);
		if (len && s[len - 1] == '\r')
			len--;
		if (len == 0 || tandem__blank(s, len)) {
			if (q < e || len)
				(*skipped)++;
		} else {
			if (*prefix) {
				tandem__buf_puts(out, *prefix);
				*prefix = NULL;
			} else if (tandem__srt_escaped(s, len)) {
				tandem__buf_puts(out, TANDEM__SRT_JOINER);   /* not a timing line */
			}
			tandem__buf_put(out, s, len);
			tandem__buf_puts(out, nl);
			(*written)++;
		}
		s = q + 1;
	}
}

/* Slots of tandem__wwin.count: what a streamed write counts between windows. */
enum { SRT_WRITTEN, SRT_SETTINGS, SRT_SECTIONS, SRT_SKIPPED, SRT_BLANK, SRT_MARKED, SRT_BOTH };

/* A translation to write: one with a line that is not blank. */
static bool has_translation(const tandem__seg *s)
{
	const char *t = s->translation;
	return t && !tandem__blank(t, strlen(t));
}

/*
 * Whether the cues with a translation are too few (under a third of this
 * document or window) for the reader to take the stacked lines of the rest
 * as two languages: then every translation is marked, and one mark in the
 * file tells the reader it is this layout.
 */
static size_t count_translated(const tandem_doc *doc, const tandem_write_opts *o)
{
	size_t both = 0;
	for (size_t i = 0; o->side == TANDEM_SIDE_BOTH && i < doc->nsegs; i++)
		both += has_translation(&doc->segs[i]);
	return both;
}

static bool few(size_t both, size_t n)
{
	return both && both * 3 < n;
}

/*
 * The same for a streamed write: the first window decides for the rest, and
 * the last (asked first with win->probe) sets win->diverged when the whole
 * document would have decided otherwise, so the conversion starts over whole.
 */
static bool few_translated(const tandem_doc *doc, const tandem__writer *w)
{
	tandem__wwin *win = w->win;
	size_t both = count_translated(doc, w->opts);
	if (!win)
		return few(both, doc->nsegs);
	if (win->first)
		win->flag = few(both, doc->nsegs);
	if (win->probe && win->last &&
	    few(win->count[SRT_BOTH] + both, win->base + doc->nsegs) != win->flag)
		win->diverged = true;
	if (!win->probe)
		win->count[SRT_BOTH] += both;
	return win->flag;
}

/* Does this cue's translation need the mark to read back as written? */
static bool needs_mark(const tandem__seg *s, const tandem_write_opts *o, bool mark_all)
{
	if (o->side != TANDEM_SIDE_BOTH || !has_translation(s))
		return false;
	return mark_all || !tandem__bilingual_stack_reads(
		s->text, s->translation, o->order == TANDEM_ORDER_TRANSLATION_FIRST);
}

/* One side's lines; a marked side has the mark around its lines. */
static void put_side(tandem__buf *out, const char *s, const char *nl, const char **prefix,
                     size_t *skipped, size_t *written, bool mark)
{
	if (!mark) {
		put_lines(out, s, strlen(s), nl, prefix, skipped, written);
		return;
	}
	tandem__buf open = TANDEM_BUF_INIT;
	if (*prefix)
		tandem__buf_puts(&open, *prefix);
	tandem__buf_puts(&open, TANDEM__TR_OPEN);
	const char *pre = open.ptr;
	size_t before = *written;
	put_lines(out, s, strlen(s), nl, &pre, skipped, written);
	if (*written > before) {
		*prefix = NULL;
		out->len -= strlen(nl);
		tandem__buf_puts(out, TANDEM__TR_CLOSE);
		tandem__buf_puts(out, nl);
	}
	tandem__buf_free(&open);
}

/* One note naming every kind of markup SRT could not hold. */
static void note_dropped(const tandem_write_opts *o, unsigned dropped)
{
	if (!dropped)
		return;
	tandem__buf what = TANDEM_BUF_INIT;
	static const struct {
		unsigned bit;
		const char *name;
	} kinds[] = {
		{DROP_CLASS, "classes (<c>)"}, {DROP_VOICE, "voices (<v>; the name is kept as 'Name: ')"},
		{DROP_LANG, "language spans (<lang>)"}, {DROP_RUBY, "ruby (its text kept in parentheses)"},
		{DROP_TIMESTAMP, "inner timestamps"}, {DROP_OTHER, "other tags"},
	};
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
		if (dropped & kinds[k].bit) {
			if (what.len)
				tandem__buf_puts(&what, ", ");
			tandem__buf_puts(&what, kinds[k].name);
		}
	tandem__write_note(o, TANDEM_WARNING, "srt-dropped-tags",
	                   "SRT has no WebVTT %s; dropped (the text is kept)", what.ptr);
	tandem__buf_free(&what);
}

int tandem__srt_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out)
{
	const tandem_write_opts *o = w->opts;
	size_t base = w->win ? w->win->base : 0;
	if (w->win && w->win->probe) {
		few_translated(doc, w); /* the one decision SRT takes about the whole document */
		return 0;
	}
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		if (s->start == TANDEM_NO_TIME || s->end == TANDEM_NO_TIME) {
			tandem__write_note(o, TANDEM_ERROR, "srt-untimed",
			                   "segment %zu has no %s time, and SRT cues need both (give "
			                   "the document timings first, e.g. with tandem retime)",
			                   base + i + 1, s->start == TANDEM_NO_TIME ? "start" : "end");
			return TANDEM_EFORMAT;
		}
	}
	/* Roughly the size of the text plus 40 bytes of number and timing per cue;
	 * only when rendering to memory (to a file, the buffer is flushed per cue). */
	size_t guess = 0;
	for (size_t i = 0; i < doc->nsegs; i++)
		guess += strlen(doc->segs[i].text) + 48 +
		         (doc->segs[i].translation ? strlen(doc->segs[i].translation) + 2 : 0);
	if (w->fd < 0)
		tandem__buf_grow(out, guess);

	unsigned dropped = 0;
	size_t nsettings = 0, nsections = 0, nskipped = 0, nblank = 0, nwritten = 0;
	if (w->win) {
		const size_t *c = w->win->count;
		dropped = w->win->bits;
		nwritten = c[SRT_WRITTEN];
		nsettings = c[SRT_SETTINGS];
		nsections = c[SRT_SECTIONS];
		nskipped = c[SRT_SKIPPED];
		nblank = c[SRT_BLANK];
	}
	tandem__buf body = TANDEM_BUF_INIT, prefix = TANDEM_BUF_INIT;
	bool mark_all = few_translated(doc, w);
	size_t nmarked = w->win ? w->win->count[SRT_MARKED] : 0;
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		char *voice = NULL;
		const char *text = s->text;
		tandem__buf_clear(&body);
		if (s->markup && o->side != TANDEM_SIDE_TRANSLATION) {
			dropped |= markup_to_srt(s->markup, &body, &voice);
			text = body.ptr;
		}
		const char *first = text, *second = s->translation;
		if (o->side == TANDEM_SIDE_SOURCE) {
			second = NULL;
		} else if (o->side == TANDEM_SIDE_TRANSLATION) {
			if (!s->translation) {
				nskipped++;
				free(voice);
				continue;
			}
			first = s->translation;
			second = NULL;
		} else if (o->order == TANDEM_ORDER_TRANSLATION_FIRST && second) {
			first = s->translation;
			second = text;
		}
		nsettings += s->settings != NULL;
		nsections += s->section != NULL;
		tandem__buf_clear(&prefix);
		if (s->an >= 1 && s->an <= 9)
			tandem__buf_printf(&prefix, "{\\an%d}", s->an);
		const char *who = s->speaker ? s->speaker : voice;
		if (who && *who) {
			tandem__buf_puts(&prefix, who);
			/* A CJK name takes the full-width colon, as Chinese text writes it. */
			tandem__buf_puts(&prefix, (unsigned char)who[0] >= 0xE3 ? "\xEF\xBC\x9A" : ": ");
		}
		free(voice);
		put_uint(out, ++nwritten);
		tandem__buf_puts(out, w->nl);
		tandem__buf_time(out, s->start, ',');
		tandem__buf_puts(out, " --> ");
		tandem__buf_time(out, s->end, ',');
		tandem__buf_puts(out, w->nl);
		const char *pre = prefix.len ? prefix.ptr : NULL;
		size_t lines = 0;
		/* Which side, if any, carries the translation mark (0: none). */
		int mark = second && needs_mark(s, o, mark_all) ? (first == s->translation ? 1 : 2) : 0;
		put_side(out, first, w->nl, &pre, &nblank, &lines, mark == 1);
		if (second)
			put_side(out, second, w->nl, &pre, &nblank, &lines, mark == 2);
		nmarked += mark != 0;
		if (pre) {
			tandem__buf_puts(out, pre);
			tandem__buf_puts(out, w->nl);
		}
		tandem__buf_puts(out, w->nl);
		tandem__writer_flush(w, out);
	}
	tandem__buf_free(&body);
	tandem__buf_free(&prefix);
	if (w->win) {
		size_t *c = w->win->count;
		w->win->bits = dropped;
		c[SRT_WRITTEN] = nwritten;
		c[SRT_SETTINGS] = nsettings;
		c[SRT_SECTIONS] = nsections;
		c[SRT_SKIPPED] = nskipped;
		c[SRT_BLANK] = nblank;
		c[SRT_MARKED] = nmarked;
		if (!w->win->last)
			return 0;
	}
	note_dropped(o, dropped);
	if (nsettings)
		tandem__write_note(o, TANDEM_WARNING, "srt-dropped-settings",
		                   "cue settings of %zu cues dropped (SRT has only {\\anN})", nsettings);
	if (doc->nblocks)
		tandem__write_note(o, TANDEM_INFO, "srt-dropped-blocks",
		                   "%zu NOTE/STYLE/REGION blocks dropped (SRT has none)", doc->nblocks);
	if (nsections)
		tandem__write_note(o, TANDEM_INFO, "srt-dropped-sections",
		                   "section headings of %zu segments dropped (SRT has none)", nsections);
	if (nblank)
		tandem__write_note(o, TANDEM_INFO, "srt-blank-line",
		                   "%zu empty lines inside cue text left out (a blank line ends an "
		                   "SRT cue)", nblank);
	if (nmarked)
		tandem__write_note(o, TANDEM_INFO, "srt-translation-mark",
		                   "%zu translation(s) marked " TANDEM__TR_OPEN " (players show "
		                   "plain text) to read back as translations: the script alone "
		                   "would not tell them from the text",
		                   nmarked);
	if (nskipped)
		tandem__write_note(o, TANDEM_INFO, "srt-side-empty",
		                   "%zu segments without a translation left out", nskipped);
	return 0;
}

