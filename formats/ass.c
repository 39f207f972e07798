/*
 * ass.c - Advanced SubStation Alpha (ASS, SSA v4+): bilingual output with
 * one named style per language, and a reader for the dialogue events.
 *
 * Grammar (the "ASS Tags" and "Sub Station Alpha v4.00+ Script Format"
 * documents, as implemented by libass and Aegisub):
 *
 *   script    := section*
 *   section   := "[" name "]" NL line*
 *   line      := key ":" " "? value | ";" comment
 *   [Script Info]  "Title: ..." and player settings (PlayResX/Y, ...)
 *   [V4+ Styles]   "Format: Name, Fontname, ..." then "Style: ..." lines
 *   [Events]       "Format: Layer, Start, End, Style, Name, MarginL, MarginR,
 *                  MarginV, Effect, Text" then "Dialogue: ..." lines whose
 *                  fields follow the Format; the last field (Text) takes the
 *                  rest of the line, commas included
 *   time      := H ":" MM ":" SS "." CC     (centiseconds)
 *   Text      := plain text with override blocks "{\tag...}", "\N" (hard
 *                break), "\n" (soft break), "\h" (hard space)
 *
 * Reading keeps the time, the speaker (Name), the text with override blocks
 * removed and {\anN} as the segment position; "Comment:" events and other
 * sections are skipped.
 *
 * Pairing.  Only the writer's own pairs become one bilingual segment: a
 * "Translation" event and a "Source" event (style names compared without
 * case) with the same times that stand next to each other, in the order the
 * writer's layout puts them: Translation first for --ass-layout bottom,
 * Source first for top.  A file has one layout, so the reader takes the
 * order that pairs more events, bottom on a tie; without that, a lone
 * Source event (a segment with no translation) beside a pair at the same
 * times could take the pair's Translation and leave its Source alone, and a
 * round trip would change the number of segments.  Events in any other
 * style stay separate whatever their times: same-timed events are how ASS
 * shows two speakers or a sign over dialogue.  A Translation event with no
 * partner is a segment with only a translation (--side translation).
 * Same-timed events in two scripts, the way other tools lay out bilingual
 * ASS, are still folded afterwards by the bilingual pass (formats/bilingual.c).
 *
 * Writing gives each segment a "Source" event and a "Translation" event at
 * the same times.  Both sit at the bottom centre and libass stacks events
 * that collide, keeping the one read first in its place and moving the
 * later one up; so the order of the two events puts the translation below
 * (--ass-layout bottom, the default) or above (top) the source.  Without
 * --ass-layout, --order translation-first means top, as in SRT or WebVTT.  The
 * translation is smaller and pale gold.
 */
#include "format.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TRANSLATION_STYLE "Translation"
#define SOURCE_STYLE "Source"

/* ---- reading ---- */

static bool contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return true;
	return false;
}

static int ass_sniff(const char *data, size_t len)
{
	if (len >= 13 && strncasecmp(data, "[Script Info]", 13) == 0)
		return 95;
	if (contains(data, len, "[Events]") && contains(data, len, "Dialogue:"))
		return 70;
	return 0;
}

/* "H:MM:SS.CC" -> ms, or TANDEM_NO_TIME. */
static int64_t parse_time(const char *s, size_t n)
{
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	int64_t f[3];
	size_t i = 0;
	for (int k = 0; k < 3; k++) {
		size_t d = i;
		int64_t v = 0;
		while (i < n && isdigit((unsigned char)s[i]) && i - d < 6)
			v = v * 10 + (s[i++] - '0');
		if (i == d)
			return TANDEM_NO_TIME;
		f[k] = v;
		if (k < 2) {
			if (i >= n || s[i] != ':')
				return TANDEM_NO_TIME;
			i++;
		}
	}
	if (f[1] > 59 || f[2] > 59)
		return TANDEM_NO_TIME;
	int64_t frac = 0;
	if (i < n && s[i] == '.') {
		i++;
		int digits = 0;
		while (i < n && isdigit((unsigned char)s[i])) {
			if (digits < 3)
				frac = frac * 10 + (s[i] - '0');
			digits++;
			i++;
		}
		if (!digits)
			return TANDEM_NO_TIME;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (i != n)
		return TANDEM_NO_TIME;
	return ((f[0] * 60 + f[1]) * 60 + f[2]) * 1000 + frac;
}

/* The model's markup for italic, bold and underline, in nesting order. */
static const char style_tags[3] = {'i', 'b', 'u'};

/* Close every open style and reopen the ones now on, so the markup nests. */
static void restyle(tandem__buf *mk, const bool was[3], const bool now[3])
{
	for (int k = 2; k >= 0; k--)
		if (was[k])
			tandem__buf_printf(mk, "</%c>", style_tags[k]);
	for (int k = 0; k < 3; k++)
		if (now[k])
			tandem__buf_printf(mk, "<%c>", style_tags[k]);
}

/* Override tags \i \b \u in one block: 0 turns a style off, anything else on. */
static void read_styles(const char *p, const char *close, bool on[3])
{
	for (; p + 1 < close; p++) {
		if (*p != '\\')
			continue;
		for (int k = 0; k < 3; k++) {
			if (p[1] != style_tags[k] || p + 2 >= close || p[2] < '0' || p[2] > '9')
				continue;
			/* "\bord" and "\blur" are other tags; only a digit follows a style. */
			on[k] = !(p[2] == '0' && (p + 3 >= close || p[3] < '0' || p[3] > '9'));
		}
	}
}

static void put_markup_char(tandem__buf *mk, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': tandem__buf_puts(mk, "&amp;"); break;
		case '<': tandem__buf_puts(mk, "&lt;"); break;
		case '>': tandem__buf_puts(mk, "&gt;"); break;
		default: tandem__buf_putc(mk, s[i]);
		}
	}
}

/*
 * Dialogue text to plain text, and to the model's markup in *mk when it
 * uses \i, \b or \u (mk is left empty otherwise); *an gets {\anN}.
 */
static void ass_text(tandem__buf *out, tandem__buf *mk, const char *s, size_t n, int *an)
{
	bool on[3] = {false, false, false}, styled = false;
	for (size_t i = 0; i < n;) {
		if (s[i] == '{') {
			const char *close = memchr(s + i, '}', n - i);
			if (close) {
				for (const char *p = s + i; p + 3 < close; p++)
					if (p[0] == '\\' && p[1] == 'a' && p[2] == 'n' && p[3] >= '1' &&
					    p[3] <= '9')
						*an = p[3] - '0';
				bool now[3] = {on[0], on[1], on[2]};
				read_styles(s + i, close, now);
				if (memcmp(now, on, sizeof on) != 0) {
					restyle(mk, on, now);
					memcpy(on, now, sizeof on);
					styled = true;
				}
				i = (size_t)(close - s) + 1;
				continue;
			}
		}
		const char *put = s + i;
		size_t len = 1, used = 1;
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == 'N' || s[i + 1] == 'n'))
			put = "\n", used = 2;
		else if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'h')
			put = "\xC2\xA0", len = 2, used = 2;
		tandem__buf_put(out, put, len);
		put_markup_char(mk, put, len);
		i += used;
	}
	bool off[3] = {false, false, false};
	restyle(mk, on, off);
	tandem__buf_rtrim(out);
	if (!styled)
		tandem__buf_clear(mk);
}

enum { F_START, F_END, F_STYLE, F_NAME, F_TEXT, F_COUNT };

/* The style of each event, as far as pairing cares. */
enum { ST_OTHER, ST_SOURCE, ST_TRANSLATION };

static int style_kind(const char *s, size_t n)
{
	if (n == strlen(SOURCE_STYLE) && strncasecmp(s, SOURCE_STYLE, n) == 0)
		return ST_SOURCE;
	if (n == strlen(TRANSLATION_STYLE) && strncasecmp(s, TRANSLATION_STYLE, n) == 0)
		return ST_TRANSLATION;
	return ST_OTHER;
}

/* Do events i and i+1 form a writer's pair in this layout? */
static bool is_pair(const tandem_doc *doc, const unsigned char *kind, size_t i, bool top)
{
	const tandem__seg *a = &doc->segs[i], *b = &doc->segs[i + 1];
	int first = top ? ST_SOURCE : ST_TRANSLATION;
	int second = top ? ST_TRANSLATION : ST_SOURCE;
	return kind[i] == first && kind[i + 1] == second && a->start == b->start &&
	       a->end == b->end;
}

/* How many pairs a layout finds (its pairs cannot overlap: the two styles differ). */
static size_t count_pairs(const tandem_doc *doc, const unsigned char *kind, bool top)
{
	size_t n = 0;
	for (size_t i = 0; i + 1 < doc->nsegs; i++)
		if (is_pair(doc, kind, i, top))
			n++, i++;
	return n;
}

/* Fold the writer's Source/Translation pairs into bilingual segments (see the top). */
static void pair_events(tandem_doc *doc, const unsigned char *kind)
{
	bool top = count_pairs(doc, kind, true) > count_pairs(doc, kind, false);
	size_t out = 0;
	for (size_t i = 0; i < doc->nsegs; i++) {
		tandem__seg *a = &doc->segs[i];
		if (i + 1 < doc->nsegs && is_pair(doc, kind, i, top)) {
			tandem__seg *b = &doc->segs[i + 1];
			tandem__seg *src = top ? a : b;
			tandem__seg *tr = top ? b : a;
			tandem__seg merged = *src;
			merged.translation = tr->text;
			merged.line = a->line;
			if (!merged.an)
				merged.an = tr->an;
			free(tr->speaker);
			free(tr->id);
			free(tr->markup); /* the model has no styling for translations */
			free(tr->section);
			free(tr->settings);
			doc->segs[out++] = merged;
			i++;
			continue;
		}
		if (kind[i] == ST_TRANSLATION) {
			/* A lone translation event: the text is the translation. */
			a->translation = a->text;
			a->text = tandem__xstrdup("");
			free(a->markup);
			a->markup = NULL;
		}
		doc->segs[out++] = *a;
	}
	doc->nsegs = out;
}

/* Read a "Format:" line: where each field we need sits, and how many there are. */
static int read_format(const char *s, size_t n, int idx[F_COUNT], int *nfields)
{
	static const char *const names[F_COUNT] = {"Start", "End", "Style", "Name", "Text"};
	for (int k = 0; k < F_COUNT; k++)
		idx[k] = -1;
	int f = 0;
	for (size_t i = 0; i <= n; f++) {
		size_t j = i;
		while (j < n && s[j] != ',')
			j++;
		size_t a = i, b = j;
		while (a < b && s[a] == ' ')
			a++;
		while (b > a && s[b - 1] == ' ')
			b--;
		for (int k = 0; k < F_COUNT; k++)
			if (strlen(names[k]) == b - a && strncasecmp(s + a, names[k], b - a) == 0)
				idx[k] = f;
		i = j + 1;
	}
	*nfields = f;
	return idx[F_START] >= 0 && idx[F_END] >= 0 && idx[F_TEXT] == f - 1 ? 0 : -1;
}

static int ass_read(tandem__reader *r, tandem_doc *doc)
{
	tandem__lines it;
	tandem__line ln;
	int rc = 0;
	enum { S_NONE, S_INFO, S_EVENTS, S_OTHER } sec = S_NONE;
	/* The v4+ default, for files whose events come without a Format line. */
	int idx[F_COUNT] = {1, 2, 3, 4, 9};
	int nfields = 10;
	bool warned_format = false;
	unsigned char *kind = NULL; /* per event, hence per segment: ST_* */
	size_t capkind = 0;
	tandem__buf text = TANDEM_BUF_INIT, markup = TANDEM_BUF_INIT;
	tandem__lines_init(&it, r->data, r->len);
	while (tandem__lines_next(&it, &ln)) {
		const char *s = ln.s;
		size_t n = ln.len;
		if (n && s[0] == '[') {
			if (n >= 13 && strncasecmp(s, "[Script Info]", 13) == 0)
				sec = S_INFO;
			else if (n >= 8 && strncasecmp(s, "[Events]", 8) == 0)
				sec = S_EVENTS;
			else
				sec = S_OTHER;
			continue;
		}
		if (sec == S_INFO && n > 6 && strncasecmp(s, "Title:", 6) == 0) {
			size_t a = 6;
			while (a < n && s[a] == ' ')
				a++;
			char *t = tandem__xstrndup(s + a, n - a);
			if (*t)
				tandem_doc_set_meta(doc, "title", t);
			free(t);
			continue;
		}
		if (sec != S_EVENTS)
			continue;
		if (n > 7 && strncasecmp(s, "Format:", 7) == 0) {
			if (read_format(s + 7, n - 7, idx, &nfields)) {
				rc = tandem__error(r, "ass-format", ln.no, 1,
				                   "the Format line needs Start, End and Text, with Text "
				                   "last");
				goto done;
			}
			warned_format = true;
			continue;
		}
		if (!(n > 9 && strncasecmp(s, "Dialogue:", 9) == 0))
			continue;
		if (!warned_format) {
			warned_format = true;
			if ((rc = tandem__warn(r, "ass-format", ln.no, 1,
			                       "Dialogue before any Format line; assuming the v4+ "
			                       "fields")))
				goto done;
		}
		/* Split into nfields fields; the last takes the rest. */
		const char *fs[32];
		size_t fl[32];
		int nf = 0;
		size_t i = 9;
		while (i < n && s[i] == ' ')
			i++;
		while (nf < nfields && nf < 32) {
			size_t j = i;
			if (nf < nfields - 1)
				while (j < n && s[j] != ',')
					j++;
			else
				j = n;
			fs[nf] = s + i;
			fl[nf] = j - i;
			nf++;
			if (j >= n)
				break;
			i = j + 1;
		}
		if (nf < nfields) {
			if ((rc = tandem__warn(r, "ass-dialogue", ln.no, n + 1,
			                       "Dialogue has %d of its %d fields; skipped", nf,
			                       nfields)))
				goto done;
			continue;
		}
		int64_t t0 = parse_time(fs[idx[F_START]], fl[idx[F_START]]);
		int64_t t1 = parse_time(fs[idx[F_END]], fl[idx[F_END]]);
		int bad = t0 == TANDEM_NO_TIME ? F_START : t1 == TANDEM_NO_TIME ? F_END : -1;
		if (bad >= 0) {
			if ((rc = tandem__warn(r, "ass-time", ln.no, (size_t)(fs[idx[bad]] - s) + 1,
			                       "malformed time '%.*s' (expected H:MM:SS.CC); event "
			                       "skipped",
			                       (int)fl[idx[bad]], fs[idx[bad]])))
				goto done;
			continue;
		}
		if (t1 < t0 && (rc = tandem__warn(r, "ass-time", ln.no,
		                                  (size_t)(fs[idx[F_END]] - s) + 1,
		                                  "event ends before it starts")))
			goto done;
		int an = 0;
		tandem__buf_clear(&text);
		tandem__buf_clear(&markup);
		ass_text(&text, &markup, fs[idx[F_TEXT]], fl[idx[F_TEXT]], &an);
		size_t k = tandem_doc_add(doc, t0, t1, text.ptr, NULL);
		doc->segs[k].line = ln.no;
		if (markup.len) {
			tandem__buf_rtrim(&markup);
			doc->segs[k].markup = tandem__xstrdup(markup.ptr);
		}
		doc->segs[k].an = an;
		if (idx[F_NAME] >= 0 && fl[idx[F_NAME]]) {
			char *name = tandem__xstrndup(fs[idx[F_NAME]], fl[idx[F_NAME]]);
			if (!tandem__blank(name, strlen(name)))
				doc->segs[k].speaker = name;
			else
				free(name);
		}
		if (k >= capkind) {
			capkind = capkind ? capkind * 2 : 64;
			kind = tandem__xrealloc(kind, capkind);
		}
		kind[k] = (unsigned char)(idx[F_STYLE] >= 0
		                              ? style_kind(fs[idx[F_STYLE]], fl[idx[F_STYLE]])
		                              : ST_OTHER);
	}
	pair_events(doc, kind);
done:
	free(kind);
	tandem__buf_free(&text);
	tandem__buf_free(&markup);
	return rc;
}

/* ---- writing ---- */

/* The last time the reader (and libass) takes: six digits of hours. */
#define ASS_MAX_CS ((int64_t)999999 * 360000 + 59 * 6000 + 59 * 100 + 99)

static void put_time(tandem__buf *out, int64_t ms, bool *rounded)
{
	if (ms < 0)
		ms = 0;
	if (ms % 10)
		*rounded = true;
	int64_t cs = (ms + 5) / 10;
	tandem__buf_printf(out, "%lld:%02lld:%02lld.%02lld", (long long)(cs / 360000),
	                  (long long)(cs / 6000 % 60), (long long)(cs / 100 % 60),
	                  (long long)(cs % 100));
}

/* Text for a Dialogue line: breaks become \N; braces would open override blocks. */
static void put_ass_text(tandem__buf *out, const char *s, bool *braces)
{
	for (; *s; s++) {
		if (*s == '\n')
			tandem__buf_puts(out, "\\N");
		else if (*s == '\r')
			continue;
		else if (*s == '{') {
			tandem__buf_puts(out, "\xEF\xBD\x9B");
			*braces = true;
		} else if (*s == '}') {
			tandem__buf_puts(out, "\xEF\xBD\x9D");
			*braces = true;
		} else
			tandem__buf_putc(out, *s);
	}
}

/* The model's markup as ASS: <i> <b> <u> become override tags, other tags go. */
static void put_ass_markup(tandem__buf *out, const char *m, bool *braces)
{
	tandem__buf run = TANDEM_BUF_INIT;
	while (*m) {
		const char *lt = strchr(m, '<');
		const char *gt = lt ? strchr(lt, '>') : NULL;
		size_t n = gt ? (size_t)(lt - m) : strlen(m);
		tandem__buf_clear(&run);
		tandem__buf_put(&run, m, n);
		char *plain = tandem_markup_to_plain(run.ptr);
		put_ass_text(out, plain, braces);
		free(plain);
		if (!gt)
			break;
		bool closing = lt[1] == '/';
		char tag = lt[closing ? 2 : 1];
		size_t tl = (size_t)(gt - lt) - (closing ? 2 : 1);
		for (int k = 0; k < 3; k++)
			if (tag == style_tags[k] && tl == 1)
				tandem__buf_printf(out, "{\\%c%d}", tag, closing ? 0 : 1);
		m = gt + 1;
	}
	tandem__buf_free(&run);
}

static void put_event(tandem__buf *out, const tandem__seg *s, const char *style, const char *text,
                      const char *nl, bool *rounded, bool *braces)
{
	tandem__buf_puts(out, "Dialogue: 0,");
	put_time(out, s->start, rounded);
	tandem__buf_putc(out, ',');
	put_time(out, s->end, rounded);
	tandem__buf_printf(out, ",%s,", style);
	/* The Name field cannot hold a comma: it would shift every field after it. */
	for (const char *p = s->speaker; p && *p; p++)
		tandem__buf_putc(out, *p == ',' ? ' ' : *p == '\n' ? ' ' : *p);
	tandem__buf_puts(out, ",0,0,0,,");
	if (s->an)
		tandem__buf_printf(out, "{\\an%d}", s->an);
	if (text == s->text && s->markup)
		put_ass_markup(out, s->markup, braces);
	else
		put_ass_text(out, text, braces);
	tandem__buf_puts(out, nl);
}

static int ass_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out)
{
	const tandem_write_opts *o = w->opts;
	const char *nl = w->nl;
	for (size_t i = 0; i < doc->nsegs; i++)
		if (doc->segs[i].start == TANDEM_NO_TIME || doc->segs[i].end == TANDEM_NO_TIME) {
			tandem__report(o->diag, o->diag_user, o->filename ? o->filename : "<output>",
			               TANDEM_ERROR, "ass-untimed", 0, 0, (long)i,
			               "segment %zu has no timing; ASS events need times (align or "
			               "retime first)",
			               i + 1);
			return TANDEM_EINVAL;
		}
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *g = &doc->segs[i];
		int64_t t = g->end > g->start ? g->end : g->start;
		if (t >= 0 && (t + 5) / 10 > ASS_MAX_CS) {
			tandem__report(o->diag, o->diag_user, o->filename ? o->filename : "<output>",
			               TANDEM_ERROR, "ass-time-range", 0, 0, (long)i,
			               "segment %zu ends at %lld ms, past the last time ASS can hold "
			               "(999999:59:59.99); it would not read back as written",
			               i + 1, (long long)t);
			return TANDEM_EINVAL;
		}
	}
	/* --ass-layout says where the translation goes; without it, --order
	 * does, as it does for the lines of an SRT or WebVTT cue. */
	bool top = o->ass_layout ? strcmp(o->ass_layout, "top") == 0
	                         : o->order == TANDEM_ORDER_TRANSLATION_FIRST;
	const char *title = tandem_doc_meta(doc, "title");
	tandem__buf_printf(out, "[Script Info]%s; Script generated by tandem %s%s", nl,
	                  TANDEM_VERSION, nl);
	if (title) {
		tandem__buf_puts(out, "Title: ");
		for (const char *p = title; *p; p++)
			tandem__buf_putc(out, *p == '\n' ? ' ' : *p);
		tandem__buf_puts(out, nl);
	}
	tandem__buf_printf(out,
	                  "ScriptType: v4.00+%sWrapStyle: 0%sScaledBorderAndShadow: yes%s"
	                  "Collisions: Normal%sPlayResX: 1920%sPlayResY: 1080%s"
	                  "YCbCr Matrix: None%s%s",
	                  nl, nl, nl, nl, nl, nl, nl, nl);
	tandem__buf_printf(out,
	                  "[V4+ Styles]%sFormat: Name, Fontname, Fontsize, PrimaryColour, "
	                  "SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, "
	                  "StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
	                  "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding%s",
	                  nl, nl);
	tandem__buf_printf(out,
	                  "Style: " SOURCE_STYLE ",Arial,64,&H00FFFFFF,&H000000FF,&H00000000,"
	                  "&H80000000,0,0,0,0,100,100,0,0,1,3,1,2,60,60,48,1%s",
	                  nl);
	tandem__buf_printf(out,
	                  "Style: " TRANSLATION_STYLE ",Noto Sans CJK SC,52,&H0080E1FF,&H000000FF,"
	                  "&H00000000,&H80000000,0,0,0,0,100,100,0,0,1,3,1,2,60,60,48,1%s%s",
	                  nl, nl);
	tandem__buf_printf(out,
	                  "[Events]%sFormat: Layer, Start, End, Style, Name, MarginL, MarginR, "
	                  "MarginV, Effect, Text%s",
	                  nl, nl);
	bool rounded = false, braces = false;
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		bool src = o->side != TANDEM_SIDE_TRANSLATION;
		bool tr = o->side != TANDEM_SIDE_SOURCE && s->translation;
		if (o->side == TANDEM_SIDE_TRANSLATION && !s->translation)
			continue;
		/* The event read first keeps its place; the other is pushed up. */
		if (tr && !top)
			put_event(out, s, TRANSLATION_STYLE, s->translation, nl, &rounded, &braces);
		if (src)
			put_event(out, s, SOURCE_STYLE, s->text, nl, &rounded, &braces);
		if (tr && top)
			put_event(out, s, TRANSLATION_STYLE, s->translation, nl, &rounded, &braces);
	}
	if (rounded)
		tandem__write_note(o, TANDEM_INFO, "ass-precision",
		                   "ASS times are centiseconds; milliseconds were rounded");
	if (braces)
		tandem__write_note(o, TANDEM_WARNING, "ass-braces",
		                   "'{' and '}' open override blocks in ASS; written as full-width "
		                   "braces");
	return 0;
}

const tandem__format tandem__format_ass = {
	"ass", "ass ssa", ass_sniff, ass_read, ass_write, NULL,
};
