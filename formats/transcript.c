/*
 * transcript.c - the bilingual transcript: a four-line header, then each
 * segment as a source line followed by its translation line.
 *
 * Grammar (lines end in LF, CRLF or CR; the last may have no terminator):
 *
 *   transcript := kind NL title NL facts NL claim NL pair*
 *   kind       := text                      ("Podcast")
 *   title      := text
 *   facts      := show " / " duration " / " status
 *                                           ("Invest Like The Best / 82 min / done")
 *   duration   := (number unit)+ | [H:]MM:SS       ("82 min", "1 h 22 min", "1:22:00")
 *   unit       := h | hr | hour(s) | m | min | minute(s) | s | sec | second(s)
 *   claim      := digits " transcript segment" ["s"]
 *   pair       := source NL translation NL
 *
 * A field written as "-" is absent.  Oddities are positioned warnings (errors
 * in strict mode) and the reader recovers: an empty line is skipped (or ends
 * a pair that has no translation), a pair whose lines share a script is
 * re-synchronised when the second line looks like the next source line, a
 * last line without partner becomes a segment without translation, and a
 * count claim that does not match is reported against the header.
 *
 * The writer reproduces the layout; the count is the real one, and a missing
 * final line break in the input (meta "final_newline" = "no") is kept.
 */
#include "format.h"
#include "bilingual.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_spaces(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* "566 transcript segments" -> 566, or -1. */
static long parse_claim(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	p = skip_spaces(p, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	long v = 0;
	const char *d = p;
	while (p < e && isdigit((unsigned char)*p) && v < 100000000)
		v = v * 10 + (*p++ - '0');
	if (p == d || p >= e || *p != ' ')
		return -1;
	p++;
	static const char word[] = "transcript segment";
	size_t wn = sizeof word - 1;
	if ((size_t)(e - p) < wn || strncasecmp(p, word, wn) != 0)
		return -1;
	p += wn;
	if (p < e && *p == 's')
		p++;
	return p == e ? v : -1;
}

static int transcript_sniff(const char *data, size_t len)
{
	tandem__lines it;
	tandem__line ln;
	tandem__lines_init(&it, data, len);
	for (int k = 0; k < 4; k++) {
		if (!tandem__lines_next(&it, &ln))
			return 0;
		if (k < 2 && tandem__blank(ln.s, ln.len))
			return 0;
	}
	if (parse_claim(ln.s, ln.len) < 0)
		return 0;
	return tandem__lines_peek(&it, &ln) ? 90 : 40;
}

static void set_field(tandem_doc *doc, const char *key, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || (n == 1 && *s == '-'))
		return;
	char *v = tandem__xstrndup(s, n);
	tandem_doc_set_meta(doc, key, v);
	free(v);
}

/* Line 3: "show / duration / status". */
static int read_facts(tandem__reader *r, tandem_doc *doc, const tandem__line *ln)
{
	const char *parts[3];
	size_t lens[3];
	size_t cols[3];
	int n = 0;
	const char *p = ln->s, *e = ln->s + ln->len;
	while (n < 3) {
		const char *sep = NULL;
		for (const char *q = p; q + 3 <= e; q++)
			if (q[0] == ' ' && q[1] == '/' && q[2] == ' ') {
				sep = q;
				break;
			}
		parts[n] = p;
		cols[n] = (size_t)(p - ln->s) + 1;
		if (!sep || n == 2) {
			lens[n++] = (size_t)(e - p);
			break;
		}
		lens[n++] = (size_t)(sep - p);
		p = sep + 3;
	}
	int rc = 0;
	if (n != 3)
		rc = tandem__warn(r, "transcript-header", ln->no, 1,
		                  "expected 'show / duration / status' on the third header line");
	set_field(doc, "show", parts[0], lens[0]);
	if (n >= 2) {
		set_field(doc, "duration", parts[1], lens[1]);
		const char *dur = tandem_doc_meta(doc, "duration");
		if (dur) {
			int64_t ms = tandem__parse_duration(dur, strlen(dur));
			if (ms == TANDEM_NO_TIME) {
				int k = tandem__warn(r, "transcript-duration", ln->no, cols[1],
				                     "cannot read the duration '%s' (expected e.g. '82 min' "
				                     "or '1:22:00')",
				                     dur);
				rc = rc ? rc : k;
			}
			tandem_doc_set_claimed_duration(doc, ms);
		}
	}
	if (n == 3)
		set_field(doc, "status", parts[2], lens[2]);
	return rc;
}

static size_t add_seg(tandem_doc *doc, const tandem__line *src, const tandem__line *tr)
{
	char *t = tandem__xstrndup(src->s, src->len);
	char *u = tr ? tandem__xstrndup(tr->s, tr->len) : NULL;
	size_t k = tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, t, u);
	doc->segs[k].line = src->no;
	free(t);
	free(u);
	return k;
}

static int transcript_read(tandem__reader *r, tandem_doc *doc)
{
	tandem__lines it;
	tandem__line ln, hdr[4];
	int rc = 0;
	tandem__lines_init(&it, r->data, r->len);
	for (int k = 0; k < 4; k++) {
		if (!tandem__lines_next(&it, &hdr[k]))
			return tandem__error(r, "transcript-header", k ? hdr[k - 1].no : 1, 1,
			                     "a transcript needs four header lines (kind, title, "
			                     "'show / duration / status', 'N transcript segments'); "
			                     "the input ends after %d",
			                     k);
	}
	set_field(doc, "kind", hdr[0].s, hdr[0].len);
	set_field(doc, "title", hdr[1].s, hdr[1].len);
	if ((rc = read_facts(r, doc, &hdr[2])))
		return rc;
	long claim = parse_claim(hdr[3].s, hdr[3].len);
	if (claim < 0 && (rc = tandem__warn(r, "transcript-header", hdr[3].no, 1,
	                                    "expected 'N transcript segments' on the fourth "
	                                    "header line")))
		return rc;

	tandem__line pending = {0};
	bool have = false;
	tandem_script source_script = TANDEM_SCRIPT_NONE;
	while (tandem__lines_next(&it, &ln)) {
		if (tandem__blank(ln.s, ln.len)) {
			if ((rc = tandem__warn(r, "transcript-empty-line", ln.no, 1,
			                       have ? "empty line where the translation of line %zu "
			                              "belongs"
			                            : "empty line between segments",
			                       pending.no)))
				return rc;
			if (have)
				add_seg(doc, &pending, NULL);
			have = false;
			continue;
		}
		if (!have) {
			pending = ln;
			have = true;
			continue;
		}
		tandem_script a = tandem__line_script(pending.s, pending.len);
		tandem_script b = tandem__line_script(ln.s, ln.len);
		if (a == b && a != TANDEM_SCRIPT_NONE) {
			if ((rc = tandem__warn(r, "transcript-same-script", ln.no, 1,
			                       "line is in the same script (%s) as line %zu before it; "
			                       "expected its translation",
			                       tandem_script_name(b), pending.no)))
				return rc;
			if (b == source_script) {
				/* A translation is missing: line ln starts the next pair. */
				add_seg(doc, &pending, NULL);
				pending = ln;
				continue;
			}
		} else if (source_script == TANDEM_SCRIPT_NONE && a != TANDEM_SCRIPT_NONE &&
		           b != TANDEM_SCRIPT_NONE) {
			source_script = a;
		}
		add_seg(doc, &pending, &ln);
		have = false;
	}
	if (have) {
		if ((rc = tandem__warn(r, "transcript-odd-lines", pending.no, 1,
		                       "odd number of lines after the header: this last line has "
		                       "no translation line")))
			return rc;
		add_seg(doc, &pending, NULL);
	}
	if (claim >= 0 && (size_t)claim != doc->nsegs &&
	    (rc = tandem__warn(r, "transcript-count", hdr[3].no, 1,
	                       "the header claims %ld segments but the file holds %zu", claim,
	                       doc->nsegs)))
		return rc;
	if (r->len && r->data[r->len - 1] != '\n' && r->data[r->len - 1] != '\r')
		tandem_doc_set_meta(doc, "final_newline", "no");
	return 0;
}

/* A text on one line: embedded line breaks become spaces. */
static void put_line(tandem__buf *out, const char *s, const char *nl, bool *flattened)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			*flattened = true;
			tandem__buf_putc(out, ' ');
		} else {
			tandem__buf_putc(out, *s);
		}
	}
	tandem__buf_puts(out, nl);
}

static void put_field(tandem__buf *out, const tandem_doc *doc, const char *key)
{
	const char *v = tandem_doc_meta(doc, key);
	if (!v || !*v)
		tandem__buf_putc(out, '-');
	for (; v && *v; v++)
		tandem__buf_putc(out, *v == '\n' || *v == '\r' ? ' ' : *v);
}

static void put_duration(tandem__buf *out, const tandem_doc *doc)
{
	int64_t ms = doc->claimed_duration;
	const char *text = tandem_doc_meta(doc, "duration");
	/* The input's own wording, unless the claim was changed since. */
	if (text && tandem__parse_duration(text, strlen(text)) == ms) {
		put_field(out, doc, "duration");
		return;
	}
	if (ms == TANDEM_NO_TIME || ms < 0)
		tandem__buf_putc(out, '-');
	else if (ms % 60000 == 0)
		tandem__buf_printf(out, "%lld min", (long long)(ms / 60000));
	else
		tandem__buf_printf(out, "%lld:%02lld:%02lld", (long long)(ms / 3600000),
		                  (long long)(ms / 60000 % 60), (long long)(ms / 1000 % 60));
}

static int transcript_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out)
{
	const char *nl = w->nl;
	const char *kind = tandem_doc_meta(doc, "kind");
	const char *title = tandem_doc_meta(doc, "title");
	tandem__buf_puts(out, kind && *kind ? kind : "Transcript");
	tandem__buf_puts(out, nl);
	tandem__buf_puts(out, title && *title ? title : "-");
	tandem__buf_puts(out, nl);
	put_field(out, doc, "show");
	tandem__buf_puts(out, " / ");
	put_duration(out, doc);
	tandem__buf_puts(out, " / ");
	put_field(out, doc, "status");
	tandem__buf_puts(out, nl);
	tandem__buf_printf(out, "%zu transcript segments%s", doc->nsegs, nl);

	bool flattened = false, timed = false, speakers = false, missing = false;
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		const char *first = s->text, *second = s->translation ? s->translation : "";
		if (!s->translation)
			missing = true;
		if (w->opts->order == TANDEM_ORDER_TRANSLATION_FIRST && s->translation) {
			first = s->translation;
			second = s->text;
		}
		put_line(out, first, nl, &flattened);
		put_line(out, second, nl, &flattened);
		timed |= s->start != TANDEM_NO_TIME;
		speakers |= s->speaker != NULL;
	}
	const char *fn = tandem_doc_meta(doc, "final_newline");
	if (doc->nsegs && fn && strcmp(fn, "no") == 0)
		out->ptr[out->len -= strlen(nl)] = '\0';
	if (missing)
		tandem__write_note(w->opts, TANDEM_WARNING, "transcript-no-translation",
		                   "some segments have no translation; their translation lines are "
		                   "left empty");
	if (flattened)
		tandem__write_note(w->opts, TANDEM_INFO, "transcript-line-breaks",
		                   "line breaks inside segments became spaces");
	if (timed)
		tandem__write_note(w->opts, TANDEM_INFO, "transcript-drops-timings",
		                   "a transcript holds no timings; they were dropped");
	if (speakers)
		tandem__write_note(w->opts, TANDEM_INFO, "transcript-drops-speakers",
		                   "a transcript holds no speakers; they were dropped");
	return 0;
}

const tandem__format tandem__format_transcript = {
	"transcript", "transcript", transcript_sniff, transcript_read, transcript_write, NULL,
};
