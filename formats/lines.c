/*
 * lines.c - plain lines: one untimed segment per non-empty line.
 *
 * Grammar: any UTF-8 text.  Blank lines (spaces and tabs only) separate
 * nothing and are skipped; surrounding spaces of a line are trimmed.
 * Writing emits one line per segment: the text, and when the document is
 * bilingual, the translation on the next line (or only one side, with
 * --side).  A first line that starts with U+FEFF is written after a byte
 * order mark, so that reading it back strips the mark and keeps the line.
 */
#include "format.h"

#include <string.h>

static int lines_sniff(const char *data, size_t len)
{
	(void)data;
	return len ? 1 : 0; /* any text is lines, as a last resort */
}

static void trim(const char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int lines_read(tandem__reader *r, tandem_doc *doc)
{
	tandem__lines it;
	tandem__line ln;
	tandem__buf b = TANDEM_BUF_INIT;
	tandem__lines_init(&it, r->data, r->len);
	while (tandem__lines_next(&it, &ln)) {
		const char *s = ln.s;
		size_t n = ln.len;
		trim(&s, &n);
		if (!n)
			continue;
		tandem__buf_clear(&b);
		tandem__buf_put(&b, s, n);
		size_t k = tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, b.ptr, NULL);
		doc->segs[k].line = ln.no;
	}
	tandem__buf_free(&b);
	return 0;
}

/* Write one text as lines; embedded newlines stay (each becomes a line). */
static void put_text(tandem__buf *out, const char *s, const char *nl)
{
	for (;;) {
		const char *e = strchr(s, '\n');
		if (!e) {
			tandem__buf_puts(out, s);
			break;
		}
		tandem__buf_put(out, s, (size_t)(e - s));
		tandem__buf_puts(out, nl);
		s = e + 1;
	}
	tandem__buf_puts(out, nl);
}

static int lines_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out)
{
	tandem_side side = w->opts->side;
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		const char *first = s->text, *second = s->translation;
		if (w->opts->order == TANDEM_ORDER_TRANSLATION_FIRST && second) {
			first = s->translation;
			second = s->text;
		}
		if (side == TANDEM_SIDE_SOURCE)
			first = s->text, second = NULL;
		else if (side == TANDEM_SIDE_TRANSLATION)
			first = s->translation ? s->translation : "", second = NULL;
		/* A first line starting with U+FEFF would read back as a byte order
		 * mark and lose it: a real mark in front keeps it. */
		if (i == 0 && strncmp(first, "\xEF\xBB\xBF", 3) == 0)
			tandem__buf_puts(out, "\xEF\xBB\xBF");
		put_text(out, first, w->nl);
		if (second)
			put_text(out, second, w->nl);
		tandem__writer_flush(w, out);
	}
	return 0;
}

const tandem__format tandem__format_lines = {
	"lines", "lines", lines_sniff, lines_read, lines_write, NULL,
};
