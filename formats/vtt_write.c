/*
 * vtt_write.c - the WebVTT writer: "WEBVTT" and the header kept from the
 * input, NOTE, STYLE and REGION blocks back in place, and one cue per
 * segment (id, timing line, settings, cue text).
 *
 * A document with translations is written in the bilingual layout
 *
 *   <lang SRC>text</lang> LF <lang.translation TR>translation</lang>
 *
 * (--order puts the translation first; vtt.c reads it back as text and
 * translation, whatever the scripts: "Mythos" under an English line needs
 * no mark of its own, and browsers and players render a <lang> span as its
 * text), with language tags from the metadata or guessed from the
 * script, and with --vtt-style a STYLE block that colours the two apart.
 * What WebVTT cannot hold (SRT's <font>, a blank line or "-->" in cue text,
 * an id with "-->" or a line break) is dropped or escaped and counted in one
 * note each.  Called a window at a time (a streamed conversion), the first
 * window's decisions hold for the rest and the counts carry over in
 * tandem__wwin.count.
 */
#include "vtt.h"

#include <string.h>
#include <strings.h>

typedef struct vtt_writer {
	const tandem__writer *w;
	tandem__buf *out;
	size_t fonts, blanks, arrows, ids;   /* what had to change, for the notes */
	bool bilingual;                      /* cues in the <lang> layout */
	const char *src_lang, *tr_lang;      /* their language tags */
	size_t nl_len, src_len, tr_len;      /* measured once, not per cue */
} vtt_writer;

/*
 * Text as cue-text lines: a blank line would end the cue and a line with
 * "-->" would start a new one, so blank lines are dropped and '>' after
 * "--" is written as &gt;.  Markup keeps its tags, except SRT's <font>,
 * which WebVTT does not have.
 */
static void put_text(vtt_writer *vw, const char *s, bool markup, bool open_before,
                     bool close_after)
{
	tandem__buf *out = vw->out;
	/* A tag before or after the text keeps its first or last line from being blank. */
	bool line_has = open_before, pending_nl = false, any = open_before;
	/* Inside a tag (markup only): a "<font" there is part of that tag, not
	 * one of SRT's to drop ("<<font a >b" is the unknown tag "<font a ",
	 * fixtures/regress/vtt-font-in-tag.vtt). */
	bool in_tag = false;
	const char *p = s;
	while (*p) {
		/* Copy the run up to the next byte that needs a decision in one go. */
		const char *q = p + strcspn(p, "\n\r<>&");
		if (q > p) {
			if (pending_nl) {
				tandem__buf_puts(out, vw->w->nl);
				pending_nl = false;
			}
			tandem__buf_put(out, p, (size_t)(q - p));
			line_has = any = true;
			p = q;
			continue;
		}
		char c = *p;
		if (c == '\r') {
			p++;
			continue;
		}
		if (c == '\n') {
			if (line_has)
				pending_nl = true;
			else if (any)
				vw->blanks++;
			line_has = false;
			p++;
			continue;
		}
		if (markup && c == '<' && !in_tag &&
		    (strncasecmp(p, "<font", 5) == 0 || strncasecmp(p, "</font", 6) == 0)) {
			const char *gt = strchr(p, '>');
			char after = p[1] == '/' ? p[6] : p[5];
			if (gt && (after == '>' || after == ' ' || after == '\t')) {
				vw->fonts++;
				p = gt + 1;
				continue;
			}
		}
		if (pending_nl) {
			tandem__buf_puts(out, vw->w->nl);
			pending_nl = false;
		}
		line_has = any = true;
		if (markup && c == '<')
			in_tag = true;
		else if (markup && c == '>')
			in_tag = false;
		if (!markup && (c == '&' || c == '<' || c == '>')) {
			tandem__buf_puts(out, c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;");
		} else if (markup && c == '>' && p - s >= 2 && p[-1] == '-' && p[-2] == '-') {
			vw->arrows++;
			tandem__buf_puts(out, "&gt;");
		} else {
			tandem__buf_putc(out, c);
		}
		p++;
	}
	if (close_after && (pending_nl || (!line_has && any))) {
		tandem__buf_puts(out, vw->w->nl);
	}
}

static void put_source(vtt_writer *vw, const tandem__seg *s, bool open_before, bool close_after)
{
	if (s->markup)
		put_text(vw, s->markup, true, open_before, close_after);
	else
		put_text(vw, s->text, false, open_before, close_after);
}

static void put_escaped(tandem__buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			tandem__buf_puts(out, "&amp;");
		else if (*s == '<')
			tandem__buf_puts(out, "&lt;");
		else if (*s == '>')
			tandem__buf_puts(out, "&gt;");
		else if (*s == '\n' || *s == '\r')
			tandem__buf_putc(out, ' ');
		else
			tandem__buf_putc(out, *s);
	}
}

/* A language tag for the side that has none in the metadata, from its script. */
static const char *guess_lang(const tandem_doc *doc, bool translation, size_t *nseen)
{
	size_t latin = 0, han = 0, kana = 0, hangul = 0, other = 0, seen = 0;
	for (size_t i = 0; i < doc->nsegs && seen < 50; i++) {
		const char *t = translation ? doc->segs[i].translation : doc->segs[i].text;
		if (!t || !*t)
			continue;
		seen++;
		size_t n = strlen(t), p = 0;
		while (p < n) {
			int32_t cp;
			p += tandem__utf8_decode(t + p, n - p, &cp);
			if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
				latin++;
			else if (cp >= 0x3040 && cp <= 0x30FF)
				kana++;
			else if (cp >= 0xAC00 && cp <= 0xD7AF)
				hangul++;
			else if (tandem__is_cjk(cp))
				han++;
			else if (cp >= 0x80)
				other++;
		}
	}
	*nseen = seen;
	if (kana && kana + han >= latin)
		return "ja";
	if (hangul && hangul + han >= latin)
		return "ko";
	if (han * 3 >= latin && han)
		return "zh";
	if (latin >= other && latin)
		return "en";
	return "und";
}

/* A header is written back only if it is one WebVTT can hold. */
static bool header_ok(const char *h)
{
	if (!h || !*h || (h[0] != ' ' && h[0] != '\t' && h[0] != '\n'))
		return false;
	size_t n = strlen(h);
	return !strstr(h, "-->") && !strstr(h, "\n\n") && !strchr(h, '\r') && h[n - 1] != '\n';
}

/* {\anN} to the cue settings that put the cue in the same place. */
static const char *an_settings(int an)
{
	static const char *const map[10] = {
		NULL,
		"align:left",          "",                  "align:right",
		"line:50%,center align:left", "line:50%,center", "line:50%,center align:right",
		"line:0 align:left",   "line:0",            "line:0 align:right",
	};
	return an >= 1 && an <= 9 ? map[an] : NULL;
}

static void put_lines(tandem__buf *out, const char *s, const char *nl)
{
	for (; *s; s++) {
		if (*s == '\n')
			tandem__buf_puts(out, nl);
		else
			tandem__buf_putc(out, *s);
	}
}

static void put_block(vtt_writer *vw, const tandem__block *b, bool *sep)
{
	if (strstr(b->text, "-->") || strstr(b->text, "\n\n") || !*b->text) {
		tandem__write_note(vw->w->opts, TANDEM_WARNING, "vtt-block",
		                   "a %s block that WebVTT cannot hold (blank line or '-->') "
		                   "was dropped",
		                   b->kind == TANDEM_BLOCK_NOTE    ? "NOTE"
		                   : b->kind == TANDEM_BLOCK_STYLE ? "STYLE"
		                                                   : "REGION");
		return;
	}
	if (*sep)
		tandem__buf_puts(vw->out, vw->w->nl);
	put_lines(vw->out, b->text, vw->w->nl);
	tandem__buf_puts(vw->out, vw->w->nl);
	*sep = true;
}

/* "WEBVTT", the header kept from the input, and the STYLE block for two languages. */
static void put_head(vtt_writer *vw, const tandem_doc *doc, const char *src_lang,
                     bool bilingual, bool *sep)
{
	tandem__buf *out = vw->out;
	tandem__buf_puts(out, "WEBVTT");
	const char *h = tandem_doc_meta(doc, "header");
	if (header_ok(h))
		put_lines(out, h, vw->w->nl);
	tandem__buf_puts(out, vw->w->nl);
	if (!vw->w->opts->vtt_style || !bilingual)
		return;
	tandem__buf style = TANDEM_BUF_INIT;
	tandem__buf_printf(&style,
	                  "STYLE\n::cue(:lang(%s)) {\n  color: #ffffff;\n}\n"
	                  "::cue(.translation) {\n  color: #ffe680;\n  font-size: 90%%;\n}",
	                  src_lang);
	bool have = false;
	for (size_t k = 0; k < doc->nblocks; k++)
		have = have || strcmp(doc->blocks[k].text, style.ptr) == 0;
	if (!have) {
		tandem__block b = {TANDEM_BLOCK_STYLE, style.ptr, 0};
		put_block(vw, &b, sep);
	}
	tandem__buf_free(&style);
}

/* Slots of tandem__wwin.count when the writer is called a window at a time. */
enum { VTT_FONTS, VTT_BLANKS, VTT_ARROWS, VTT_IDS, VTT_SEEN_TEXT, VTT_SEEN_TRANSLATION };

/* Does any of doc's segments have a non-empty text (or translation)? */
static bool any_text(const tandem_doc *doc, bool translation)
{
	for (size_t i = 0; i < doc->nsegs; i++) {
		const char *t = translation ? doc->segs[i].translation : doc->segs[i].text;
		if (t && *t)
			return true;
	}
	return false;
}

/* Carry the counts over from the window before (load) or to the next (store). */
static void carry_counts(vtt_writer *vw, tandem__wwin *win, bool load)
{
	size_t *slot[4] = {&vw->fonts, &vw->blanks, &vw->arrows, &vw->ids};
	static const int at[4] = {VTT_FONTS, VTT_BLANKS, VTT_ARROWS, VTT_IDS};
	for (int k = 0; k < 4; k++) {
		if (load)
			*slot[k] = win->count[at[k]];
		else
			win->count[at[k]] = *slot[k];
	}
}

/*
 * The layout (one language or two) and the language tags.  Later windows
 * follow the head's decisions; the whole document would decide otherwise
 * only if the first window saw too little (win->diverged).
 */
static void decide_layout(vtt_writer *vw, const tandem_doc *doc)
{
	const tandem_write_opts *o = vw->w->opts;
	tandem__wwin *win = vw->w->win;
	bool bilingual = false;
	if (o->side == TANDEM_SIDE_BOTH)
		for (size_t i = 0; i < doc->nsegs && !bilingual; i++)
			bilingual = doc->segs[i].translation != NULL;
	const char *src_lang = tandem_doc_meta(doc, "language");
	const char *tr_lang = tandem_doc_meta(doc, "translation_language");
	if (win && !win->first) {
		if (bilingual && !win->flag)
			win->diverged = true;
		bilingual = win->flag;
		if (bilingual &&
		    ((!src_lang && win->count[VTT_SEEN_TEXT] < 50 && any_text(doc, false)) ||
		     (!tr_lang && win->count[VTT_SEEN_TRANSLATION] < 50 && any_text(doc, true))))
			win->diverged = true;
		src_lang = win->str[0];
		tr_lang = win->str[1];
	} else if (bilingual) {
		size_t seen_text = 50, seen_translation = 50;
		if (!src_lang)
			src_lang = guess_lang(doc, false, &seen_text);
		if (!tr_lang)
			tr_lang = guess_lang(doc, true, &seen_translation);
		if (win) {
			win->count[VTT_SEEN_TEXT] = seen_text;
			win->count[VTT_SEEN_TRANSLATION] = seen_translation;
		}
	}
	if (win && win->first) {
		win->flag = bilingual;
		win->str[0] = src_lang;
		win->str[1] = tr_lang;
	}
	vw->bilingual = bilingual;
	vw->src_lang = src_lang;
	vw->tr_lang = tr_lang;
	vw->src_len = src_lang ? strlen(src_lang) : 0;
	vw->tr_len = tr_lang ? strlen(tr_lang) : 0;
}

/* WebVTT cues need both times: an error for the first segment without one. */
static int check_timed(const tandem_doc *doc, const tandem__writer *w)
{
	for (size_t i = 0; i < doc->nsegs; i++) {
		if (doc->segs[i].start == TANDEM_NO_TIME || doc->segs[i].end == TANDEM_NO_TIME) {
			tandem__write_note(w->opts, TANDEM_ERROR, "vtt-untimed",
			                   "segment %zu has no %s time; WebVTT cues need both "
			                   "(give timings from a timed source first)",
			                   (w->win ? w->win->base : 0) + i + 1,
			                   doc->segs[i].start == TANDEM_NO_TIME ? "start" : "end");
			return TANDEM_EFORMAT;
		}
	}
	return 0;
}

/* In memory: one reservation instead of a realloc cascade on big documents. */
static void reserve(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out)
{
	if (w->fd >= 0)
		return;
	size_t guess = 64;
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		guess += 40 + strlen(s->markup ? s->markup : s->text) +
		         (s->translation ? strlen(s->translation) + 48 : 0);
	}
	tandem__buf_grow(out, guess);
}

/* The id line (unless WebVTT cannot hold it) and the timing line with its settings. */
static void put_cue_head(vtt_writer *vw, const tandem__seg *s)
{
	tandem__buf *out = vw->out;
	const char *nl = vw->w->nl;
	if (s->id && *s->id) {
		if (strstr(s->id, "-->") || strpbrk(s->id, "\r\n"))
			vw->ids++;
		else {
			tandem__buf_puts(out, s->id);
			tandem__buf_put(out, nl, vw->nl_len);
		}
	}
	tandem__buf_time(out, s->start, '.');
	tandem__buf_puts(out, " --> ");
	tandem__buf_time(out, s->end, '.');
	const char *set = s->settings ? s->settings : an_settings(s->an);
	if (set && *set && !strpbrk(set, "\r\n")) {
		tandem__buf_putc(out, ' ');
		tandem__buf_puts(out, set);
	}
	tandem__buf_put(out, nl, vw->nl_len);
}

/* Text and translation in the bilingual layout, in the order asked for. */
static void put_bilingual(vtt_writer *vw, const tandem__seg *s)
{
	tandem__buf *out = vw->out;
	const char *order[2] = {"s", "t"};
	if (vw->w->opts->order == TANDEM_ORDER_TRANSLATION_FIRST) {
		order[0] = "t";
		order[1] = "s";
	}
	for (int k = 0; k < 2; k++) {
		if (k)
			tandem__buf_put(out, vw->w->nl, vw->nl_len);
		if (order[k][0] == 's') {
			tandem__buf_puts(out, "<lang ");
			tandem__buf_put(out, vw->src_lang, vw->src_len);
			tandem__buf_putc(out, '>');
			put_source(vw, s, true, true);
		} else {
			tandem__buf_puts(out, "<lang.translation ");
			tandem__buf_put(out, vw->tr_lang, vw->tr_len);
			tandem__buf_putc(out, '>');
			put_text(vw, s->translation, false, true, true);
		}
		tandem__buf_puts(out, "</lang>");
	}
}

/* The cue text: a whole-cue voice span for the speaker, then the side(s) asked for. */
static void put_cue_text(vtt_writer *vw, const tandem__seg *s)
{
	tandem__buf *out = vw->out;
	size_t before = out->len;
	bool voice = s->speaker && *s->speaker;
	if (voice) {
		tandem__buf_puts(out, "<v ");
		put_escaped(out, s->speaker);
		/* "<v -->" would hold "-->", which ends a cue's text: a name
		 * ending in '-' gets a space before '>' (an annotation's edge
		 * spaces are not part of it). */
		size_t n = strlen(s->speaker);
		tandem__buf_puts(out, s->speaker[n - 1] == '-' ? " >" : ">");
	}
	if (vw->w->opts->side == TANDEM_SIDE_TRANSLATION) {
		if (s->translation)
			put_text(vw, s->translation, false, voice, false);
	} else if (vw->bilingual && s->translation) {
		put_bilingual(vw, s);
	} else {
		put_source(vw, s, voice, false);
	}
	if (out->len > before)
		tandem__buf_put(out, vw->w->nl, vw->nl_len);
}

/* One note for each kind of thing that had to change, once the last cue is out. */
static void put_notes(const vtt_writer *vw)
{
	const tandem_write_opts *o = vw->w->opts;
	if (o->vtt_style && !vw->bilingual)
		tandem__write_note(o, TANDEM_INFO, "vtt-style",
		                   "no STYLE block added: the cues hold one language");
	if (vw->fonts)
		tandem__write_note(o, TANDEM_INFO, "vtt-font",
		                   "WebVTT has no <font>: %zu <font> tag(s) dropped (colour and face)",
		                   vw->fonts);
	if (vw->blanks)
		tandem__write_note(o, TANDEM_INFO, "vtt-blank-line",
		                   "%zu blank line(s) inside cue text dropped (a blank line ends a "
		                   "WebVTT cue)",
		                   vw->blanks);
	if (vw->arrows)
		tandem__write_note(o, TANDEM_INFO, "vtt-arrow",
		                   "%zu '-->' in cue text written as '--&gt;' (it would start a new cue)",
		                   vw->arrows);
	if (vw->ids)
		tandem__write_note(o, TANDEM_WARNING, "vtt-id",
		                   "%zu cue id(s) holding '-->' or a line break dropped", vw->ids);
}

int tandem__vtt_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out)
{
	tandem__wwin *win = w->win;
	vtt_writer vw = {w, out, 0, 0, 0, 0, false, NULL, NULL, strlen(w->nl), 0, 0};
	if (win)
		carry_counts(&vw, win, true);
	decide_layout(&vw, doc);
	if (win && (win->diverged || win->probe))
		return 0; /* asked for the decisions only, or starting over whole */
	int rc = check_timed(doc, w);
	if (rc)
		return rc;
	reserve(doc, w, out);
	bool sep = true;
	if (!win || win->first)
		put_head(&vw, doc, vw.src_lang, vw.bilingual, &sep);
	size_t kb = 0;
	for (size_t i = 0; i < doc->nsegs; i++) {
		for (; kb < doc->nblocks && doc->blocks[kb].before <= i; kb++)
			put_block(&vw, &doc->blocks[kb], &sep);
		if (sep)
			tandem__buf_put(out, w->nl, vw.nl_len);
		sep = true;
		put_cue_head(&vw, &doc->segs[i]);
		put_cue_text(&vw, &doc->segs[i]);
		tandem__writer_flush(w, out);
	}
	for (; kb < doc->nblocks; kb++)
		put_block(&vw, &doc->blocks[kb], &sep);
	if (win) {
		carry_counts(&vw, win, false);
		if (!win->last)
			return 0;
	}
	put_notes(&vw);
	return 0;
}
