/*
 * subview.c - what a subtitle shows of a document, applied before the
 * subtitle writers (srt, vtt, ass, lines) see it, so that each of them
 * writes the same thing:
 *
 *   - a post's translations are its paragraphs' Markdown, kept verbatim
 *     for the post writer; a subtitle gets their plain text (md_inline.c);
 *   - with drop_glosses, term glosses ("（End-to-End: ...）") go;
 *   - speakers (tandem_speakers): NONE takes every speaker off; CHANGE
 *     takes an SRT cue's "Name: " off when the cue written before it had
 *     the same speaker (WebVTT voices and ASS names are not shown as text
 *     and stay).
 *
 * A whole document is changed in a copy (the caller's stays as it is); a
 * streamed conversion's window is changed in place, its last speaker
 * carried to the next window.
 */
#include "subview.h"
#include "markdown.h"

#include <stdlib.h>
#include <string.h>

#define FW_OPEN "\xEF\xBC\x88"

static bool is_subtitle(const char *format)
{
	static const char *const names[] = {"srt", "vtt", "ass", "lines"};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++)
		if (strcmp(format, names[k]) == 0)
			return true;
	return false;
}

static bool from_post(const tandem_doc *doc)
{
	const char *f = tandem_doc_meta(doc, "format");
	return f && strcmp(f, "post") == 0;
}

/* Labels on a change of speaker only?  (TANDEM_SPEAKERS_AUTO decided.) */
static bool on_change(const tandem_doc *doc, const char *format, const tandem_write_opts *o)
{
	if (strcmp(format, "srt") != 0)
		return false;
	if (o->speakers == TANDEM_SPEAKERS_AUTO) {
		const char *f = tandem_doc_meta(doc, "format");
		return f && (strcmp(f, "post") == 0 || strcmp(f, "transcript") == 0);
	}
	return o->speakers == TANDEM_SPEAKERS_CHANGE;
}

static const char *speaker_of(const tandem__seg *s)
{
	return s->speaker && *s->speaker ? s->speaker : NULL;
}

static bool same_speaker(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Does the cue get written at all (a translation-only subtitle skips the untranslated)? */
static bool written(const tandem__seg *s, const tandem_write_opts *o)
{
	return o->side != TANDEM_SIDE_TRANSLATION || s->translation;
}

/* Would format show doc other than it is?  (A copy is made only then.) */
static bool changes(const tandem_doc *doc, const char *format, const tandem_write_opts *o)
{
	if (!is_subtitle(format))
		return false;
	if (from_post(doc))
		return true;
	bool change = on_change(doc, format, o);
	const char *prev = NULL;
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		if (o->drop_glosses && (strstr(s->text, FW_OPEN) ||
		                        (s->translation && strstr(s->translation, FW_OPEN))))
			return true;
		if (o->speakers == TANDEM_SPEAKERS_NONE && s->speaker)
			return true;
		if (change && written(s, o)) {
			if (same_speaker(prev, speaker_of(s)))
				return true;
			prev = speaker_of(s);
		}
	}
	return false;
}

/* Replace *field (NULL stays NULL) with what put leaves in buf. */
static void replace(char **field, tandem__buf *buf)
{
	free(*field);
	*field = tandem__buf_detach(buf, NULL);
}

static void plain_text(tandem__seg *s, bool markdown, bool glosses)
{
	tandem__buf a = TANDEM_BUF_INIT, b = TANDEM_BUF_INIT;
	if (s->translation && markdown) {
		tandem__md_plain(&a, s->translation);
		replace(&s->translation, &a);
	}
	if (s->translation && glosses) {
		tandem__drop_glosses(&a, s->translation);
		replace(&s->translation, &a);
	}
	if (glosses && strstr(s->text, FW_OPEN)) {
		tandem__drop_glosses(&b, s->text);
		replace(&s->text, &b);
		free(s->markup); /* the styling was the text's before the change */
		s->markup = NULL;
	}
}

void tandem__subview_apply(tandem_doc *doc, size_t n, const char *format,
                           const tandem_write_opts *o, tandem_spk_run *run)
{
	if (!is_subtitle(format))
		return;
	bool markdown = from_post(doc);
	bool change = on_change(doc, format, o);
	/* The speaker of the cue before: the run's, then each cue's own (a
	 * label taken off is kept until the next cue has been compared). */
	char *held = NULL;
	const char *prev = run ? run->last : NULL;
	bool started = run && run->started;
	for (size_t i = 0; i < n; i++) {
		tandem__seg *s = &doc->segs[i];
		if (markdown || o->drop_glosses)
			plain_text(s, markdown, o->drop_glosses);
		if (o->speakers == TANDEM_SPEAKERS_NONE) {
			free(s->speaker);
			s->speaker = NULL;
		}
		if (!change || !written(s, o))
			continue;
		const char *who = speaker_of(s);
		bool repeat = started && same_speaker(prev, who);
		started = true;
		if (repeat) {
			free(held);
			held = s->speaker; /* prev still points at the same name */
			s->speaker = NULL;
			prev = held;
		} else {
			prev = who;
		}
	}
	if (run && change) {
		char *last = prev ? tandem__xstrdup(prev) : NULL;
		free(run->last);
		run->last = last;
		run->started = started;
	}
	free(held);
}

void tandem__spk_run_free(tandem_spk_run *run)
{
	free(run->last);
	run->last = NULL;
	run->started = false;
}

int tandem__subview_write(const tandem__format *f, const tandem_doc *doc, const tandem__writer *w,
                          tandem__buf *out)
{
	if (!changes(doc, f->name, w->opts))
		return f->write(doc, w, out);
	tandem_doc *view = tandem_doc_clone(doc);
	tandem__subview_apply(view, view->nsegs, f->name, w->opts, NULL);
	int rc = f->write(view, w, out);
	tandem_doc_free(view);
	return rc;
}
