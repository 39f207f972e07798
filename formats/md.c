/*
 * md.c - a Markdown transcript or article (read only): hard-wrapped
 * paragraphs, headings, and bold speaker labels.
 *
 * Grammar: the CommonMark block structure, reduced to what transcripts use
 * (https://spec.commonmark.org/0.31.2/, sections 4.1-4.8):
 *
 *   doc       := (blank | heading | break | meta | paragraph)*
 *   heading   := "#"{1,6} " " text       ATX; the section of what follows,
 *                                         the first level-1 one is the title
 *   break     := "***" | "* * *" | "---" | "___" ...   thematic break: skipped
 *   meta      := ("key: value" NL)+      a block of short keyed lines before
 *                                         the first paragraph (发布时间, 原文链接,
 *                                         date, source, ...)
 *   paragraph := line+                   lines joined as CSS Text 3 joins a
 *                                         segment break: nothing between two
 *                                         CJK characters, one space otherwise
 *   label     := "**" name ("：" | ":") "**" | "**" name "**" ("：" | ":")
 *                                         at a paragraph's start: the speaker
 *                                         of it and of the paragraphs after it,
 *                                         until the next label or heading
 *
 * Each paragraph becomes one untimed segment (text only); images, emphasis
 * markers and link targets are dropped, link texts kept.  An input that is an
 * annotated post (front matter and <details> blocks) is read as a post.
 */
#include "format.h"
#include "bilingual.h"
#include "markdown.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

extern const tandem__format tandem__format_post;

static bool is_break(const char *s, size_t n)
{
	char c = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (s[i] != '*' && s[i] != '-' && s[i] != '_')
			return false;
		if (c && s[i] != c)
			return false;
		c = s[i];
		k++;
	}
	return k >= 3;
}

static int md_sniff(const char *data, size_t len)
{
	if (tandem__format_post.sniff(data, len) >= 75)
		return 0;
	tandem__lines it;
	tandem__line ln;
	size_t headings = 0, labels = 0, lines = 0;
	tandem__lines_init(&it, data, len);
	while (tandem__lines_next(&it, &ln) && lines < 2000) {
		lines++;
		if (tandem__md_heading(ln.s, ln.len))
			headings++;
		else if (ln.len > 4 && memcmp(ln.s, "**", 2) == 0 &&
		         (memchr(ln.s, ':', ln.len) || strstr(ln.s, "\xEF\xBC\x9A")))
			labels++;
	}
	if (headings && labels)
		return 60;
	if (headings || labels >= 2)
		return 30;
	return 0;
}

/* A speaker label at the start of a joined paragraph: returns the offset after it. */
static size_t label(const char *s, size_t n, char **name)
{
	if (n < 5 || memcmp(s, "**", 2) != 0)
		return 0;
	for (size_t i = 2; i + 2 <= n && i < 96; i++) {
		if (s[i] == '*' && s[i + 1] == '*') {
			/* "**Name**：" - the colon after the bold. */
			size_t e = i, after = i + 2;
			if (after < n && s[after] == ':')
				after++;
			else if (after + 3 <= n && memcmp(s + after, "\xEF\xBC\x9A", 3) == 0)
				after += 3;
			else if (e > 2 && s[e - 1] == ':')
				e--;
			else if (e > 5 && memcmp(s + e - 3, "\xEF\xBC\x9A", 3) == 0)
				e -= 3;
			else
				return 0;
			while (e > 2 && s[e - 1] == ' ')
				e--;
			if (e <= 2)
				return 0;
			*name = tandem__xstrndup(s + 2, e - 2);
			while (after < n && s[after] == ' ')
				after++;
			return after;
		}
		if (s[i] == '\n' || s[i] == '*')
			return 0;
	}
	return 0;
}

/* Inline Markdown to plain text: emphasis markers, images and link targets go. */
static void plain(tandem__buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && strchr("\\`*_{}[]()#+-.!<>|~\"'", s[i + 1])) {
			tandem__buf_putc(out, s[i + 1]);
			i += 2;
		} else if (c == '*' || (c == '_' && i + 1 < n && s[i + 1] == '_')) {
			while (i < n && s[i] == c)
				i++;
		} else if (c == '_' && !(i > 0 && i + 1 < n && isalnum((unsigned char)s[i - 1]) &&
		                         isalnum((unsigned char)s[i + 1]))) {
			i++; /* _emphasis_ markers; snake_case keeps its underscore */
		} else if ((c == '!' && i + 1 < n && s[i + 1] == '[') || c == '[') {
			bool image = c == '!';
			size_t t = i + (image ? 2 : 1);
			const char *cb = memchr(s + t, ']', n - t);
			if (cb && (size_t)(cb - s) + 1 < n && cb[1] == '(' &&
			    memchr(cb, ')', n - (size_t)(cb - s))) {
				const char *cp = memchr(cb, ')', n - (size_t)(cb - s));
				if (!image)
					plain(out, s + t, (size_t)(cb - s) - t);
				i = (size_t)(cp - s) + 1;
			} else {
				tandem__buf_putc(out, c);
				i++;
			}
		} else if (c == ' ' && out->len && out->ptr[out->len - 1] == ' ') {
			i++; /* what a dropped image leaves behind */
		} else {
			tandem__buf_putc(out, c);
			i++;
		}
	}
}

/* A line "key: value" with a short key; fills the key and value spans. */
static bool keyed(const char *s, size_t n, size_t *klen, const char **v, size_t *vlen)
{
	for (size_t i = 1; i < n && i <= 24; i++) {
		size_t skip = s[i] == ':'                                                 ? 1
		              : i + 3 <= n && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0 ? 3
		                                                                       : 0;
		if (!skip) {
			if (s[i] == ' ' || s[i] == '*' || s[i] == '[')
				return false;
			continue;
		}
		size_t j = i + skip;
		while (j < n && s[j] == ' ')
			j++;
		if (j >= n)
			return false;
		*klen = i;
		*v = s + j;
		*vlen = n - j;
		return true;
	}
	return false;
}

static void meta_line(tandem_doc *doc, const char *k, size_t kn, const char *v, size_t vn)
{
	static const struct {
		const char *key, *meta;
	} map[] = {
		{"原文链接", "source"}, {"source", "source"}, {"url", "source"}, {"link", "source"},
		{"发布时间", "date"}, {"date", "date"}, {"日期", "date"},
		{"title", "title"}, {"标题", "title"}, {"speaker", "speaker"},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strlen(map[i].key) == kn && strncmp(map[i].key, k, kn) == 0 &&
		    !tandem_doc_meta(doc, map[i].meta)) {
			char *val = tandem__xstrndup(v, vn);
			tandem_doc_set_meta(doc, map[i].meta, val);
			free(val);
		}
}

static int label_alone(tandem__reader *r, size_t *line)
{
	size_t at = *line;
	*line = 0;
	return tandem__warn(r, "md-label-alone", at, 1,
	                    "speaker label with no paragraph after it before the next heading");
}

static int md_read(tandem__reader *r, tandem_doc *doc)
{
	if (tandem__format_post.sniff(r->data, r->len) >= 75)
		return tandem__format_post.read(r, doc);
	tandem__lines it;
	tandem__line ln;
	tandem__buf para = TANDEM_BUF_INIT, text = TANDEM_BUF_INIT;
	char *section = NULL, *speaker = NULL;
	bool seen_para = false;
	size_t label_line = 0;
	int rc = 0;
	tandem__lines_init(&it, r->data, r->len);
	while (tandem__lines_next(&it, &ln)) {
		if (tandem__blank(ln.s, ln.len))
			continue;
		size_t h = tandem__md_heading(ln.s, ln.len);
		if (h && label_line && (rc = label_alone(r, &label_line)))
			break;
		if (h) {
			size_t n = ln.len;
			while (n > h && (ln.s[n - 1] == ' ' || ln.s[n - 1] == '#'))
				n--;
			tandem__buf_clear(&text);
			plain(&text, ln.s + h, n - h);
			if (ln.s[1] == ' ' && !tandem_doc_meta(doc, "title") && text.len)
				tandem_doc_set_meta(doc, "title", text.ptr);
			tandem__set_str(&section, text.len ? text.ptr : NULL);
			tandem__set_str(&speaker, NULL);
			continue;
		}
		if (is_break(ln.s, ln.len))
			continue;
		/* Gather the paragraph's lines. */
		size_t first = ln.no;
		bool all_keyed = true;
		tandem__buf_clear(&para);
		tandem__line cur = ln;
		size_t markers = 0, mark_line = 0, mark_col = 0;
		for (;;) {
			size_t kn, vn;
			const char *v;
			all_keyed = all_keyed && keyed(cur.s, cur.len, &kn, &v, &vn);
			for (size_t i = 0; i + 1 < cur.len; i++) {
				if (cur.s[i] != '*' || cur.s[i + 1] != '*' || (i && cur.s[i - 1] == '\\'))
					continue;
				size_t run = i;
				while (i < cur.len && cur.s[i] == '*')
					i++;
				markers++;
				mark_line = cur.no;
				mark_col = run + 1;
			}
			tandem__text_join(&para, cur.s, cur.len);
			tandem__line nx;
			if (!tandem__lines_peek(&it, &nx) || tandem__blank(nx.s, nx.len) ||
			    tandem__md_heading(nx.s, nx.len) || is_break(nx.s, nx.len))
				break;
			tandem__lines_next(&it, &cur);
		}
		if (all_keyed && !seen_para && !speaker) {
			/* Re-walk the block's lines to take the keys. */
			tandem__lines back;
			tandem__line b;
			tandem__lines_init(&back, ln.s, (size_t)(cur.s + cur.len - ln.s));
			while (tandem__lines_next(&back, &b)) {
				size_t kn, vn;
				const char *v;
				if (keyed(b.s, b.len, &kn, &v, &vn))
					meta_line(doc, b.s, kn, v, vn);
			}
			continue;
		}
		if (markers % 2 &&
		    (rc = tandem__warn(r, "md-emphasis", mark_line, mark_col,
		                       "unbalanced '**': this emphasis is never closed")))
			break;
		char *name = NULL;
		size_t at = label(para.ptr, para.len, &name);
		if (at) {
			tandem__buf clean = TANDEM_BUF_INIT;
			plain(&clean, name, strlen(name));
			tandem__set_str(&speaker, clean.ptr);
			tandem__buf_free(&clean);
			free(name);
		}
		tandem__buf_clear(&text);
		plain(&text, para.ptr + at, para.len - at);
		tandem__buf_rtrim(&text);
		const char *t = text.ptr;
		while (*t == ' ')
			t++;
		if (tandem_text_script(t, strlen(t)) == TANDEM_SCRIPT_NONE &&
		    tandem_text_scripts(t, strlen(t)).digits == 0) {
			/* A label alone names the next paragraph's speaker; an image or stray markers. */
			if (at)
				label_line = first;
			continue;
		}
		label_line = 0;
		seen_para = true;
		size_t k = tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, t, NULL);
		doc->segs[k].line = first;
		tandem__set_str(&doc->segs[k].speaker, speaker);
		tandem__set_str(&doc->segs[k].section, section);
	}
	if (!rc && label_line)
		rc = label_alone(r, &label_line);
	tandem__buf_free(&para);
	tandem__buf_free(&text);
	free(section);
	free(speaker);
	return rc;
}

const tandem__format tandem__format_md = {
	"md", "md markdown", md_sniff, md_read, NULL, NULL,
};
