/*
 * post.c - the annotated post: an Eleventy-style Markdown page in which each
 * translated paragraph is followed by its original in a collapsible block.
 *
 * Grammar (lines end in LF, CRLF or CR):
 *
 *   post      := front? block*
 *   front     := "---" NL yaml "---" NL     YAML 1.1 (libyaml), a mapping; kept
 *                                           verbatim in meta "header"; title,
 *                                           date, source, speaker and people
 *                                           (a list, one name a line) exposed
 *   block     := blank | heading | paragraph | details
 *   heading   := "#"{1,6} " " text          the section of what follows
 *   paragraph := line+ (no blank line, heading or "<details" among them)
 *                [speaker (":" " " | "：")] text
 *   details   := "<details" attrs ">" NL
 *                "<summary>" label "</summary>" NL
 *                "<p class=\"english-text\">" english "</p>" NL
 *                "</details>"
 *   attrs     := [" data-start=\"" time "\""] [" data-end=\"" time "\""]
 *
 * A paragraph and the details block after it are one segment: translation =
 * the paragraph (Markdown kept verbatim, inline notes included), text = the
 * English with HTML entities decoded, speaker, section, and times from the
 * data- attributes (HTML attributes survive the blog's templates; an HTML
 * comment would not hold "-->" in the text).  A paragraph without a block
 * after it, or a block without a paragraph before it, is reported and kept
 * as a one-sided segment.
 *
 * Writing: one paragraph a segment for a post's own segments and for an
 * untimed segment list (a transcript), so that transcript -> post ->
 * transcript gives back every segment (the header's kind, show, duration
 * and status travel as front matter keys); timed cues are grouped into
 * paragraphs of about --para-chars characters.  English without translation
 * joins a neighbouring pair's block, so no <details> is written without its
 * paragraph; a Chinese document without translation is paragraphs only.
 *
 * A speaker is a short name (at most five words, no sentence punctuation)
 * before the first colon of a paragraph.  The writer puts back an ASCII
 * colon and a space after a Latin name and a full-width colon after a CJK
 * one, which is what the inputs do.
 */
#include "format.h"
#include "bilingual.h"
#include "markdown.h"
#include "yaml_depth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define DEFAULT_LABEL "View/Hide Original English"
#define DEFAULT_PARA_CHARS 400

/* ---- small text helpers ---- */

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

static const char *find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

static bool is_fence(const tandem__line *ln)
{
	size_t n = ln->len;
	while (n && (ln->s[n - 1] == ' ' || ln->s[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(ln->s, "---", 3) == 0;
}

static void decode_entities(tandem__buf *out, const char *s, size_t n)
{
	static const struct {
		const char *name, *utf8;
	} named[] = {
		{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
		{"nbsp", "\xC2\xA0"}, {"ndash", "\xE2\x80\x93"}, {"mdash", "\xE2\x80\x94"},
		{"hellip", "\xE2\x80\xA6"}, {"rsquo", "\xE2\x80\x99"}, {"lsquo", "\xE2\x80\x98"},
		{"rdquo", "\xE2\x80\x9D"}, {"ldquo", "\xE2\x80\x9C"},
	};
	for (size_t i = 0; i < n;) {
		if (s[i] != '&') {
			tandem__buf_putc(out, s[i++]);
			continue;
		}
		size_t j = i + 1;
		while (j < n && j - i < 12 && s[j] != ';' && s[j] != '&' && s[j] != ' ')
			j++;
		if (j >= n || s[j] != ';') {
			tandem__buf_putc(out, s[i++]);
			continue;
		}
		const char *name = s + i + 1;
		size_t len = j - i - 1;
		bool done = false;
		if (len >= 2 && name[0] == '#') {
			long cp = 0;
			bool hex = name[1] == 'x' || name[1] == 'X', ok = true;
			for (size_t k = hex ? 2 : 1; k < len && ok; k++) {
				char c = name[k];
				int d = c >= '0' && c <= '9' ? c - '0'
				        : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
				        : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
				ok = d >= 0 && cp < 0x110000;
				cp = cp * (hex ? 16 : 10) + d;
			}
			if (ok && len > (size_t)(hex ? 2 : 1) && cp > 0 && cp < 0x110000 &&
			    !(cp >= 0xD800 && cp <= 0xDFFF)) {
				tandem__buf_put_utf8(out, (uint32_t)cp);
				done = true;
			}
		} else {
			for (size_t k = 0; k < sizeof named / sizeof *named; k++)
				if (strlen(named[k].name) == len && memcmp(named[k].name, name, len) == 0) {
					tandem__buf_puts(out, named[k].utf8);
					done = true;
					break;
				}
		}
		if (done) {
			i = j + 1;
		} else {
			tandem__buf_putc(out, s[i++]);
		}
	}
}

static void escape_html(tandem__buf *out, const char *s, const char *nl)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': tandem__buf_puts(out, "&amp;"); break;
		case '<': tandem__buf_puts(out, "&lt;"); break;
		case '>': tandem__buf_puts(out, "&gt;"); break;
		case '\n': tandem__buf_puts(out, nl); break;
		default: tandem__buf_putc(out, *s);
		}
	}
}

/* "HH:MM:SS.mmm" or "MM:SS.mmm" (',' allowed) -> ms, or TANDEM_NO_TIME. */
static int64_t parse_time(const char *s, size_t n)
{
	int64_t f[3] = {0, 0, 0};
	int k = 0;
	size_t i = 0;
	while (k < 3) {
		size_t d = i;
		int64_t v = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - d < 9)
			v = v * 10 + (s[i++] - '0');
		if (i == d)
			return TANDEM_NO_TIME;
		f[k++] = v;
		if (i < n && s[i] == ':')
			i++;
		else
			break;
	}
	if (k < 2 || f[k - 1] > 59 || (k == 3 && f[1] > 59))
		return TANDEM_NO_TIME;
	int64_t ms = 0;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		i++;
		int digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (digits < 3)
				ms = ms * 10 + (s[i] - '0');
			digits++;
			i++;
		}
		if (!digits)
			return TANDEM_NO_TIME;
		for (; digits < 3; digits++)
			ms *= 10;
	}
	if (i != n)
		return TANDEM_NO_TIME;
	int64_t h = k == 3 ? f[0] : 0, m = f[k - 2], sec = f[k - 1];
	return ((h * 60 + m) * 60 + sec) * 1000 + ms;
}

/* The value of attribute `name` in a start tag, or NULL. */
static const char *attr(const char *tag, size_t n, const char *name, size_t *vlen)
{
	size_t k = strlen(name);
	for (size_t i = 0; i + k + 2 < n; i++) {
		if ((tag[i] == ' ' || tag[i] == '\t') && memcmp(tag + i + 1, name, k) == 0 &&
		    tag[i + 1 + k] == '=' && (tag[i + 2 + k] == '"' || tag[i + 2 + k] == '\'')) {
			char q = tag[i + 2 + k];
			const char *v = tag + i + 3 + k;
			const char *e = memchr(v, q, (size_t)(tag + n - v));
			if (!e)
				return NULL;
			*vlen = (size_t)(e - v);
			return v;
		}
	}
	return NULL;
}

/* ---- front matter ---- */

static const char *scalar(yaml_document_t *d, yaml_node_t *n)
{
	(void)d;
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/*
 * The front matter's well-known keys, kept as the document's metadata: a
 * post's own, and a transcript's header (kind, show, duration, status), so
 * that transcript -> post -> transcript gives back the same header.
 */
static const char *const front_keys[] = {"title", "date", "source", "speaker",
                                         "kind", "show", "duration", "status"};

/*
 * Parse YAML text; when it is a mapping (or empty), copy the well-known keys
 * into doc (when doc is not NULL) and return 0.  Otherwise fill the problem
 * and its 0-based position and return TANDEM_EPARSE; nesting deeper than
 * TANDEM_YAML_MAX_DEPTH, found before the YAML is loaded, returns
 * TANDEM_EINVAL (the reader refuses it even when lenient).
 */
static int front_matter(const char *text, size_t len, tandem_doc *doc, size_t *line,
                        size_t *col, char *problem, size_t psize)
{
	if (tandem__yaml_depth(text, len, TANDEM_YAML_MAX_DEPTH, line, col)) {
		snprintf(problem, psize, "nested more than %d levels deep", TANDEM_YAML_MAX_DEPTH);
		return TANDEM_EINVAL;
	}
	yaml_parser_t parser;
	yaml_document_t ydoc;
	if (!yaml_parser_initialize(&parser))
		tandem__oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &ydoc)) {
		*line = parser.problem_mark.line;
		*col = parser.problem_mark.column;
		snprintf(problem, psize, "%s%s%s", parser.problem ? parser.problem : "bad YAML",
		         parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return TANDEM_EPARSE;
	}
	int rc = 0;
	yaml_node_t *root = yaml_document_get_root_node(&ydoc);
	if (root && root->type != YAML_MAPPING_NODE) {
		*line = root->start_mark.line;
		*col = root->start_mark.column;
		snprintf(problem, psize, "front matter is not a mapping of keys to values");
		rc = TANDEM_EPARSE;
	} else if (root && doc) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++) {
			const char *k = scalar(&ydoc, yaml_document_get_node(&ydoc, p->key));
			yaml_node_t *vn = yaml_document_get_node(&ydoc, p->value);
			if (!k || !vn)
				continue;
			const char *v = scalar(&ydoc, vn);
			for (size_t i = 0; i < sizeof front_keys / sizeof *front_keys; i++)
				if (strcmp(k, front_keys[i]) == 0 && v && *v)
					tandem_doc_set_meta(doc, k, v);
			if (strcmp(k, "duration") == 0 && v)
				tandem_doc_set_claimed_duration(doc, tandem__parse_duration(v, strlen(v)));
			if (strcmp(k, "people") == 0 && vn->type == YAML_SEQUENCE_NODE) {
				tandem__buf b = TANDEM_BUF_INIT;
				for (yaml_node_item_t *it = vn->data.sequence.items.start;
				     it < vn->data.sequence.items.top; it++) {
					const char *name = scalar(&ydoc, yaml_document_get_node(&ydoc, *it));
					if (!name || !*name)
						continue;
					if (b.len)
						tandem__buf_putc(&b, '\n');
					tandem__buf_puts(&b, name);
				}
				if (b.len)
					tandem_doc_set_meta(doc, "people", b.ptr);
				tandem__buf_free(&b);
			}
		}
	}
	yaml_document_delete(&ydoc);
	yaml_parser_delete(&parser);
	return rc;
}

/* ---- reading ---- */

static int post_sniff(const char *data, size_t len)
{
	tandem__lines it;
	tandem__line ln;
	tandem__lines_init(&it, data, len);
	bool front = tandem__lines_next(&it, &ln) && is_fence(&ln);
	bool details = find(data, len, "<details") != NULL;
	bool english = find(data, len, "english-text") != NULL;
	if (details && english)
		return front ? 95 : 75;
	if (details)
		return front ? 80 : 20;
	return 0;
}

/* Is there a speaker label at the start of s?  Returns the name's length and the text's offset. */
static size_t speaker_label(const char *s, size_t n, size_t *text_at)
{
	size_t words = 0;
	for (size_t i = 0; i < n && i < 64;) {
		unsigned char c = (unsigned char)s[i];
		if (c == ':' || starts(s + i, n - i, "\xEF\xBC\x9A")) {
			if (i == 0 || s[i - 1] == ' ')
				return 0;
			if (c == ':') {
				if (i + 1 >= n || s[i + 1] != ' ' || i + 2 >= n)
					return 0;
				*text_at = i + 2;
			} else {
				if (i + 3 >= n)
					return 0;
				*text_at = i + 3;
			}
			/* "Name:" with nothing after it is prose, not a label. */
			if (!s[*text_at + strspn(s + *text_at, " \t\r\n")])
				return 0;
			return i;
		}
		if (c < 0x20 || (i == 0 && (c == ' ' || c == '-' || (c >= '0' && c <= '9'))))
			return 0;
		if (c == ' ' && ++words > 4)
			return 0;
		if (strchr("<>*#[]()\"`,.!?;_=/\\|{}~", c) && !(c == '.' && i > 0))
			return 0;
		if (c >= 0x80) {
			int32_t cp;
			size_t k = tandem__utf8_decode(s + i, n - i, &cp);
			/* Full-width sentence punctuation and brackets mean prose, not a name. */
			if (cp == 0x3002 || cp == 0xFF0C || cp == 0x3001 || cp == 0xFF08 ||
			    cp == 0xFF09 || cp == 0xFF01 || cp == 0xFF1F || cp == 0x300A ||
			    cp == 0x201C || cp == 0xFF1B)
				return 0;
			i += k;
			continue;
		}
		i++;
	}
	return 0;
}

typedef struct post_state {
	tandem__reader *r;
	tandem_doc *doc;
	tandem__buf para;          /* pending paragraph, NUL-terminated */
	size_t para_line;
	char *section;
	char *label;              /* first summary label seen */
} post_state;

static size_t add_segment(post_state *st, const char *english, size_t line)
{
	tandem_doc *doc = st->doc;
	const char *p = st->para.ptr;
	size_t n = st->para.len, at = 0;
	size_t name = n ? speaker_label(p, n, &at) : 0;
	char *speaker = name ? tandem__xstrndup(p, name) : NULL;
	size_t k = tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, english,
	                          n ? p + (name ? at : 0) : NULL);
	doc->segs[k].line = n ? st->para_line : line;
	doc->segs[k].speaker = speaker;
	tandem__set_str(&doc->segs[k].section, st->section);
	tandem__buf_clear(&st->para);
	return k;
}

static int orphan_paragraph(post_state *st)
{
	if (!st->para.len)
		return 0;
	int rc = tandem__warn(st->r, "post-orphan-paragraph", st->para_line, 1,
	                      "paragraph has no <details> block with its original after it");
	add_segment(st, "", st->para_line);
	return rc;
}

/* A <details> block from line `open`; consumes through </details>. */
static int read_details(post_state *st, tandem__lines *it, const tandem__line *open)
{
	tandem__reader *r = st->r;
	tandem__buf body = TANDEM_BUF_INIT, text = TANDEM_BUF_INIT;
	int rc = 0;
	/* The block's lines, from after the start tag to before </details>. */
	const char *gt = memchr(open->s, '>', open->len);
	if (!gt) {
		rc = tandem__error(r, "post-details", open->no, 1, "unterminated <details> start tag");
		goto done;
	}
	tandem__buf_put(&body, gt + 1, (size_t)(open->s + open->len - gt - 1));
	tandem__line ln = *open;
	const char *close = find(body.ptr, body.len, "</details>");
	while (!close) {
		if (!tandem__lines_next(it, &ln)) {
			rc = tandem__error(r, "post-details", open->no, 1,
			                   "<details> is never closed by </details>");
			goto done;
		}
		tandem__buf_putc(&body, '\n');
		size_t before = body.len;
		tandem__buf_put(&body, ln.s, ln.len);
		const char *c = find(body.ptr + before, body.len - before, "</details>");
		if (c)
			close = c;
	}
	size_t blen = (size_t)(close - body.ptr);
	const char *sum = find(body.ptr, blen, "<summary>");
	const char *sume = sum ? find(sum, blen - (size_t)(sum - body.ptr), "</summary>") : NULL;
	if (sum && sume && !st->label) {
		tandem__buf lb = TANDEM_BUF_INIT;
		decode_entities(&lb, sum + 9, (size_t)(sume - sum - 9));
		st->label = tandem__buf_detach(&lb, NULL);
	}
	const char *from = sume ? sume : body.ptr;
	const char *p = find(from, blen - (size_t)(from - body.ptr), "<p");
	const char *pgt = p ? memchr(p, '>', blen - (size_t)(p - body.ptr)) : NULL;
	const char *pe = pgt ? find(pgt, blen - (size_t)(pgt - body.ptr), "</p>") : NULL;
	if (!pe) {
		rc = tandem__warn(r, "post-details", open->no, 1,
		                  "<details> block holds no <p>...</p> with the original text");
		if (rc)
			goto done;
		orphan_paragraph(st);
		goto done;
	}
	decode_entities(&text, pgt + 1, (size_t)(pe - pgt - 1));
	size_t k;
	if (st->para.len) {
		k = add_segment(st, text.ptr, open->no);
	} else {
		rc = tandem__warn(r, "post-orphan-details", open->no, 1,
		                  "<details> block has no paragraph before it");
		k = add_segment(st, text.ptr, open->no);
		tandem__set_str(&st->doc->segs[k].translation, NULL);
	}
	size_t vl;
	const char *v;
	int64_t t[2] = {TANDEM_NO_TIME, TANDEM_NO_TIME};
	const char *names[2] = {"data-start", "data-end"};
	size_t taglen = (size_t)(gt - open->s);
	for (int j = 0; j < 2 && !rc; j++) {
		if (!(v = attr(open->s, taglen, names[j], &vl)))
			continue;
		t[j] = parse_time(v, vl);
		if (t[j] == TANDEM_NO_TIME)
			rc = tandem__warn(r, "post-timing", open->no, (size_t)(v - open->s) + 1,
			                  "cannot read the time '%.*s' (expected HH:MM:SS.mmm)", (int)vl,
			                  v);
	}
	if (t[0] != TANDEM_NO_TIME && t[1] != TANDEM_NO_TIME && t[1] < t[0] && !rc)
		rc = tandem__warn(r, "post-timing", open->no, 1, "data-end is before data-start");
	if (t[0] != TANDEM_NO_TIME && t[1] != TANDEM_NO_TIME)
		tandem_seg_set_times(st->doc, k, t[0], t[1]);
	/* Text after </details> on its line is not part of the format. */
	const char *rest = close + 10;
	if (*rest && !tandem__blank(rest, strlen(rest)) && !rc)
		rc = tandem__warn(r, "post-details", ln.no, 1, "text after </details> is ignored");
done:
	tandem__buf_free(&body);
	tandem__buf_free(&text);
	return rc;
}

static int post_read(tandem__reader *r, tandem_doc *doc)
{
	tandem__lines it;
	tandem__line ln;
	post_state st = {r, doc, TANDEM_BUF_INIT, 0, NULL, NULL};
	int rc = 0;
	tandem__lines_init(&it, r->data, r->len);
	tandem__line first;
	if (tandem__lines_peek(&it, &first) && is_fence(&first)) {
		tandem__lines_next(&it, &first);
		tandem__buf fm = TANDEM_BUF_INIT;
		bool closed = false;
		while (tandem__lines_next(&it, &ln)) {
			if (is_fence(&ln) || (ln.len == 3 && memcmp(ln.s, "...", 3) == 0)) {
				closed = true;
				break;
			}
			tandem__buf_put(&fm, ln.s, ln.len);
			tandem__buf_putc(&fm, '\n');
		}
		if (!closed) {
			tandem__buf_free(&fm);
			return tandem__error(r, "post-front-matter", first.no, 1,
			                     "front matter opened here is never closed by '---'");
		}
		tandem_doc_set_meta(doc, "header", fm.ptr);
		size_t yl = 0, yc = 0;
		char problem[256];
		/* Bad YAML is kept verbatim (a warning); YAML nested past the limit
		 * is refused outright (an error): it is an attack, not a typo. */
		int fr = front_matter(fm.ptr, fm.len, doc, &yl, &yc, problem, sizeof problem);
		if (fr == TANDEM_EINVAL)
			rc = tandem__error(r, "post-yaml", first.no + 1 + yl, yc + 1, "front matter: %s",
			                   problem);
		else if (fr)
			rc = tandem__warn(r, "post-yaml", first.no + 1 + yl, yc + 1, "front matter: %s",
			                  problem);
		tandem__buf_free(&fm);
		if (rc)
			return rc;
	}
	while (tandem__lines_next(&it, &ln)) {
		if (tandem__blank(ln.s, ln.len))
			continue;
		size_t h = tandem__md_heading(ln.s, ln.len);
		if (h) {
			if ((rc = orphan_paragraph(&st)))
				break;
			char *sec = tandem__xstrndup(ln.s + h, ln.len - h);
			free(st.section);
			st.section = sec;
			continue;
		}
		if (starts(ln.s, ln.len, "<details") &&
		    (ln.len == 8 || ln.s[8] == '>' || ln.s[8] == ' ')) {
			if ((rc = read_details(&st, &it, &ln)))
				break;
			continue;
		}
		/* A paragraph: its lines until a blank line, heading or details block. */
		if ((rc = orphan_paragraph(&st)))
			break;
		st.para_line = ln.no;
		tandem__buf_put(&st.para, ln.s, ln.len);
		tandem__line nx;
		while (tandem__lines_peek(&it, &nx) && !tandem__blank(nx.s, nx.len) &&
		       !tandem__md_heading(nx.s, nx.len) && !starts(nx.s, nx.len, "<details")) {
			tandem__lines_next(&it, &nx);
			tandem__buf_putc(&st.para, '\n');
			tandem__buf_put(&st.para, nx.s, nx.len);
		}
	}
	if (!rc)
		rc = orphan_paragraph(&st);
	if (st.label && strcmp(st.label, DEFAULT_LABEL) != 0)
		tandem_doc_set_meta(doc, "summary_label", st.label);
	if (r->len && r->data[r->len - 1] != '\n' && r->data[r->len - 1] != '\r')
		tandem_doc_set_meta(doc, "final_newline", "no");
	tandem__buf_free(&st.para);
	free(st.section);
	free(st.label);
	return rc;
}

/* ---- writing ---- */

static void put_text(tandem__buf *out, const char *s, const char *nl)
{
	for (; *s; s++) {
		if (*s == '\n')
			tandem__buf_puts(out, nl);
		else
			tandem__buf_putc(out, *s);
	}
}

/*
 * A paragraph's Markdown: blank lines would end it and a line opening a
 * heading or a <details> block would be read as one, so those are kept out.
 */
static void put_para(tandem__buf *out, const char *s, const char *nl)
{
	bool first = true;
	while (*s) {
		size_t n = strcspn(s, "\n");
		if (!tandem__blank(s, n)) {
			if (!first)
				tandem__buf_puts(out, nl);
			first = false;
			if (tandem__md_heading(s, n) || (n && s[0] == '#' && strspn(s, "#") == n))
				tandem__buf_putc(out, '\\');
			if (starts(s, n, "<details"))
				tandem__buf_puts(out, "&lt;"), s++, n--;
			tandem__buf_put(out, s, n);
		}
		s += n;
		if (*s)
			s++;
	}
}

/* A YAML double-quoted scalar. */
static void yaml_quote(tandem__buf *out, const char *s)
{
	tandem__buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			tandem__buf_putc(out, '\\');
		if (*s == '\n')
			tandem__buf_puts(out, "\\n");
		else if ((unsigned char)*s < 0x20)
			tandem__buf_printf(out, "\\x%02x", (unsigned char)*s);
		else
			tandem__buf_putc(out, *s);
	}
	tandem__buf_putc(out, '"');
}

/* Strip "---" fences a --meta file may carry, so its text is the mapping alone. */
static void strip_fences(char **text, size_t *len)
{
	char *s = *text;
	size_t n = *len;
	if (n >= 4 && memcmp(s, "---", 3) == 0 && (s[3] == '\n' || s[3] == '\r')) {
		size_t k = s[3] == '\r' && n > 4 && s[4] == '\n' ? 5 : 4;
		s += k;
		n -= k;
		/* The closing fence: the last line that is exactly --- or ... */
		for (size_t i = n; i-- > 0;) {
			if ((i == 0 || s[i - 1] == '\n') && n - i >= 3 &&
			    (memcmp(s + i, "---", 3) == 0 || memcmp(s + i, "...", 3) == 0) &&
			    tandem__blank(s + i + 3, strcspn(s + i + 3, "\r\n"))) {
				n = i;
				break;
			}
		}
	}
	memmove(*text, s, n);
	(*text)[n] = '\0';
	*len = n;
}

/* The front matter to write (malloc'd), or NULL after reporting why not. */
static char *choose_front(const tandem_doc *doc, const tandem_write_opts *o, int *rc,
                          bool *from_post)
{
	size_t yl, yc;
	char problem[256];
	*from_post = false;
	if (o->meta_file) {
		char *data;
		size_t len;
		if (tandem__read_all(o->meta_file, &data, &len)) {
			tandem__report(o->diag, o->diag_user, o->meta_file, TANDEM_ERROR, "post-meta", 0,
			               0, -1, "cannot read the --meta file: %s", strerror(errno));
			*rc = TANDEM_EIO;
			return NULL;
		}
		strip_fences(&data, &len);
		if (front_matter(data, len, NULL, &yl, &yc, problem, sizeof problem)) {
			tandem__report(o->diag, o->diag_user, o->meta_file, TANDEM_ERROR, "post-meta",
			               yl + 1, yc + 1, -1, "%s", problem);
			free(data);
			*rc = TANDEM_EPARSE;
			return NULL;
		}
		return data;
	}
	const char *h = tandem_doc_meta(doc, "header");
	if (h && front_matter(h, strlen(h), NULL, &yl, &yc, problem, sizeof problem) == 0) {
		*from_post = true;
		return tandem__xstrdup(h);
	}
	/* Made from the document's metadata. */
	tandem__buf b = TANDEM_BUF_INIT;
	for (size_t k = 0; k < sizeof front_keys / sizeof *front_keys; k++) {
		const char *v = tandem_doc_meta(doc, front_keys[k]);
		if (!v)
			continue;
		tandem__buf_printf(&b, "%s: ", front_keys[k]);
		yaml_quote(&b, v);
		tandem__buf_putc(&b, '\n');
	}
	const char *people = tandem_doc_meta(doc, "people");
	if (people && *people) {
		tandem__buf_puts(&b, "people:\n");
		for (const char *p = people; *p;) {
			size_t n = strcspn(p, "\n");
			char *name = tandem__xstrndup(p, n);
			tandem__buf_puts(&b, "  - ");
			yaml_quote(&b, name);
			tandem__buf_putc(&b, '\n');
			free(name);
			p += n;
			if (*p)
				p++;
		}
	}
	return tandem__buf_detach(&b, NULL);
}

/* Measure of a segment for paragraph length: English characters, or twice the Chinese. */
static size_t seg_chars(const tandem__seg *s)
{
	size_t n = strlen(s->text);
	if (n)
		return tandem_text_graphemes(s->text, n);
	return s->translation ? 2 * tandem_text_graphemes(s->translation, strlen(s->translation))
	                      : 0;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool is_cjk_name(const char *s)
{
	return tandem_text_scripts(s, strlen(s)).han > 0;
}

static bool translated(const tandem__seg *s)
{
	return s->translation && s->translation[strspn(s->translation, " \t\r\n")];
}

/*
 * What a segment gives a post: a translated pair (paragraph and block), a
 * Chinese text without translation (a paragraph of its own: a Chinese
 * article; in a Chinese document, zh_doc, every untranslated segment, links
 * and "--END--" lines too), or English without translation (a block).
 */
enum { SEG_ENGLISH, SEG_PAIR, SEG_CHINESE };

static int seg_kind(const tandem__seg *s, bool zh_doc)
{
	if (translated(s))
		return SEG_PAIR;
	if (*s->text &&
	    (zh_doc || tandem_text_script(s->text, strlen(s->text)) == TANDEM_SCRIPT_CJK))
		return SEG_CHINESE;
	return SEG_ENGLISH;
}

/*
 * Where the paragraph that starts at segment i ends: segments of one kind,
 * speaker and section, up to about `target` characters at a sentence end.
 * English without translation joins a neighbouring pair (its English in
 * their block; counted in *merged), so that no <details> is written without
 * a paragraph before it -- unless the document has no pair at all (an
 * English-only document: blocks alone, and a warning).
 */
static size_t group_end(const tandem_doc *doc, size_t i, size_t target, bool zh_doc, bool any_tr,
                        size_t *merged)
{
	const tandem__seg *s0 = &doc->segs[i];
	int kind = seg_kind(s0, zh_doc);
	size_t j = i, chars = 0;
	for (;;) {
		const tandem__seg *s = &doc->segs[j];
		chars += seg_chars(s);
		j++;
		if (j >= doc->nsegs)
			break;
		const tandem__seg *nx = &doc->segs[j];
		if (!same_str(nx->speaker, s0->speaker) || !same_str(nx->section, s0->section))
			break;
		int nk = seg_kind(nx, zh_doc);
		if (any_tr && ((kind == SEG_PAIR && nk == SEG_ENGLISH) ||
		               (kind == SEG_ENGLISH && nk == SEG_PAIR))) {
			if (kind == SEG_ENGLISH)
				*merged += j - i;   /* the English run before this pair */
			else
				++*merged;
			kind = SEG_PAIR;
			continue;
		}
		if (nk != kind || target == 1)
			break;
		const char *tail = *s->text ? s->text : s->translation ? s->translation : "";
		if ((chars >= target && tandem__ends_sentence(tail, strlen(tail))) ||
		    chars >= 3 * target)
			break;
	}
	return j;
}

/* A document with no translation whose text is mostly Chinese: an article. */
static bool chinese_document(const tandem_doc *doc)
{
	size_t han = 0, other = 0;
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *s = &doc->segs[i];
		if (translated(s))
			return false;
		if (tandem_text_scripts(s->text, strlen(s->text)).han > 0)
			han++;
		else if (*s->text)
			other++;
	}
	return han > 0 && han >= other;
}

static void put_block_sep(tandem__buf *out, const char *nl, bool *first)
{
	if (!*first)
		tandem__buf_puts(out, nl);
	*first = false;
}

static int post_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out)
{
	const tandem_write_opts *o = w->opts;
	const char *nl = w->nl;
	int rc = 0;
	bool from_post;
	char *front = choose_front(doc, o, &rc, &from_post);
	if (!front)
		return rc;
	tandem__buf_printf(out, "---%s", nl);
	put_text(out, front, nl);
	if (*front && front[strlen(front) - 1] != '\n')
		tandem__buf_puts(out, nl);
	tandem__buf_printf(out, "---%s", nl);
	free(front);

	const char *label = o->summary_label ? o->summary_label
	                    : tandem_doc_meta(doc, "summary_label")
	                        ? tandem_doc_meta(doc, "summary_label")
	                        : DEFAULT_LABEL;
	/* A post's own segments are paragraphs already, and so are an untimed
	 * segment list's (a transcript's: transcript -> post -> transcript gives
	 * back every segment); cues are grouped into paragraphs. */
	bool timed = false;
	for (size_t i = 0; i < doc->nsegs && !timed; i++)
		timed = doc->segs[i].start != TANDEM_NO_TIME;
	size_t target = o->para_chars      ? o->para_chars
	                : from_post || !timed ? 1
	                                      : DEFAULT_PARA_CHARS;
	tandem__buf en = TANDEM_BUF_INIT, zh = TANDEM_BUF_INIT;
	const char *section = NULL;
	bool first = true, untranslated = false, dropped_times = false;
	bool zh_doc = chinese_document(doc), any_tr = false;
	for (size_t i = 0; i < doc->nsegs && !any_tr; i++)
		any_tr = translated(&doc->segs[i]);
	size_t merged = 0;
	for (size_t i = 0; i < doc->nsegs;) {
		const tandem__seg *s0 = &doc->segs[i];
		size_t j = group_end(doc, i, target, zh_doc, any_tr, &merged);
		tandem__buf_clear(&en);
		tandem__buf_clear(&zh);
		bool has_tr = false;
		int64_t start = s0->start, end = doc->segs[j - 1].end;
		for (size_t k = i; k < j; k++) {
			const tandem__seg *s = &doc->segs[k];
			/* A Chinese segment without translation (a Chinese article) is
			 * the paragraph itself, with no original block. */
			bool own = seg_kind(s, zh_doc) == SEG_CHINESE;
			const char *para = own ? s->text : s->translation;
			if (k == i) {
				if (!own)
					tandem__buf_puts(&en, s->text);
				if (para)
					tandem__buf_puts(&zh, para);
			} else {
				if (!own)
					tandem__text_join(&en, s->text, strlen(s->text));
				if (para)
					tandem__text_join(&zh, para, strlen(para));
			}
			has_tr |= seg_kind(s, zh_doc) != SEG_ENGLISH;
		}
		if (s0->section && !same_str(s0->section, section)) {
			put_block_sep(out, nl, &first);
			tandem__buf_puts(out, "### ");
			put_text(out, s0->section, " ");
			tandem__buf_puts(out, nl);
			section = s0->section;
		}
		if (has_tr) {
			put_block_sep(out, nl, &first);
			if (s0->speaker) {
				put_text(out, s0->speaker, " ");
				tandem__buf_puts(out, is_cjk_name(s0->speaker) ? "\xEF\xBC\x9A" : ": ");
			}
			put_para(out, zh.ptr, nl);
			tandem__buf_puts(out, nl);
		} else {
			untranslated = true;
		}
		if (en.len || !has_tr) {
			put_block_sep(out, nl, &first);
			tandem__buf_puts(out, "<details");
			if (start != TANDEM_NO_TIME && end != TANDEM_NO_TIME) {
				if (o->timings) {
					tandem__buf_puts(out, " data-start=\"");
					tandem__buf_time(out, start, '.');
					tandem__buf_puts(out, "\" data-end=\"");
					tandem__buf_time(out, end, '.');
					tandem__buf_putc(out, '"');
				} else {
					dropped_times = true;
				}
			}
			tandem__buf_printf(out, ">%s<summary>", nl);
			escape_html(out, label, nl);
			tandem__buf_printf(out, "</summary>%s<p class=\"english-text\">", nl);
			escape_html(out, en.ptr, nl);
			tandem__buf_printf(out, "</p>%s</details>%s", nl, nl);
		}
		i = j;
	}
	tandem__buf_free(&en);
	tandem__buf_free(&zh);
	const char *fn = tandem_doc_meta(doc, "final_newline");
	if (!first && fn && strcmp(fn, "no") == 0)
		out->ptr[out->len -= strlen(nl)] = '\0';
	if (merged)
		tandem__write_note(o, TANDEM_INFO, "post-untranslated-merged",
		                   "%zu segment%s without translation went into a neighbour's "
		                   "paragraph (their English in its block)",
		                   merged, merged == 1 ? "" : "s");
	if (untranslated)
		tandem__write_note(o, TANDEM_WARNING, "post-no-translation",
		                   "some paragraphs have no translation at all (a speaker's or "
		                   "section's segments); they are written as a <details> block "
		                   "without its paragraph");
	if (dropped_times)
		tandem__write_note(o, TANDEM_INFO, "post-drops-timings",
		                   "timings were dropped (--timings keeps them as data-start/data-end)");
	return 0;
}

const tandem__format tandem__format_post = {
	"post", "post", post_sniff, post_read, post_write, NULL,
};
