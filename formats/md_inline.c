/*
 * md_inline.c - a post paragraph's Markdown as the plain text a reader of
 * the rendered page sees (for subtitles made from a post), and term glosses
 * taken out of a Chinese text.
 *
 * The Markdown is parsed by cmark (the CommonMark reference parser, spec
 * 0.30): emphasis and strong emphasis lose their markers, a link keeps its
 * text, code spans their content, backslash escapes and entities resolve,
 * an image and inline HTML go (<br> is a line break).  A soft or hard line
 * break is a line break.  The paragraph is parsed as a document of its own,
 * so a line that CommonMark reads as a block opener ("1. ", "- ", "> ")
 * gives a list item or quote; a list item keeps its marker ("1. ", "- "),
 * and blocks are separated by a line break.
 *
 * A gloss (what the annotated posts add after a term):
 *
 *   gloss := "（" latin (":" | "：") text "）"    full-width parentheses,
 *                                                 nesting counted
 *   latin := an ASCII letter, then ASCII letters, digits, spaces and
 *            - ' . & + / (the English term)
 *
 * "端到端（End-to-End: 从开始到结束的整个过程）" loses its gloss;
 * "Anthropic（一家人工智能公司）" keeps its parenthesis (no English term).
 */
#include "markdown.h"
#include "tandem_private.h"

#include <cmark.h>
#include <string.h>

#define FW_OPEN "\xEF\xBC\x88"  /* （ U+FF08 */
#define FW_CLOSE "\xEF\xBC\x89" /* ） U+FF09 */
#define FW_COLON "\xEF\xBC\x9A" /* ： U+FF1A */

static void put_break(tandem__buf *out)
{
	if (out->len && out->ptr[out->len - 1] != '\n')
		tandem__buf_putc(out, '\n');
}

static void put_literal(tandem__buf *out, cmark_node *nd)
{
	const char *s = cmark_node_get_literal(nd);
	if (s)
		tandem__buf_puts(out, s);
}

/* A list item's marker: its number in an ordered list, else "- ". */
static void put_marker(tandem__buf *out, cmark_node *item)
{
	cmark_node *list = cmark_node_parent(item);
	if (!list || cmark_node_get_list_type(list) != CMARK_ORDERED_LIST) {
		tandem__buf_puts(out, "- ");
		return;
	}
	int n = cmark_node_get_list_start(list);
	for (cmark_node *p = cmark_node_previous(item); p; p = cmark_node_previous(p))
		n++;
	tandem__buf_printf(out, "%d%c ", n,
	                   cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.');
}

static bool is_br(const char *html)
{
	if (!html || (html[0] != '<') || (html[1] != 'b' && html[1] != 'B') ||
	    (html[2] != 'r' && html[2] != 'R'))
		return false;
	size_t k = 3 + strspn(html + 3, " \t");
	return html[k] == '>' || (html[k] == '/' && html[k + 1] == '>');
}

/* Text after a dropped image (or at a line's start) does not open with its space. */
static void put_text(tandem__buf *out, cmark_node *nd, bool *after_image)
{
	const char *s = cmark_node_get_literal(nd);
	if (!s)
		return;
	if (*after_image && (!out->len || out->ptr[out->len - 1] == ' ' ||
	                     out->ptr[out->len - 1] == '\n'))
		s += strspn(s, " ");
	*after_image = false;
	tandem__buf_puts(out, s);
}

/* One node of the walk; an image's children (its alt text) are skipped. */
static void put_node(tandem__buf *out, cmark_iter *it, cmark_node *nd, cmark_event_type ev,
                     bool *after_image)
{
	cmark_node_type t = cmark_node_get_type(nd);
	if (ev == CMARK_EVENT_EXIT) {
		if (t == CMARK_NODE_ITEM || t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
			put_break(out);
		return;
	}
	switch (t) {
	case CMARK_NODE_TEXT:
		put_text(out, nd, after_image);
		break;
	case CMARK_NODE_CODE:
		put_literal(out, nd);
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		tandem__buf_putc(out, '\n');
		break;
	case CMARK_NODE_HTML_INLINE:
		if (is_br(cmark_node_get_literal(nd)))
			tandem__buf_putc(out, '\n');
		break;
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
		put_break(out);
		put_literal(out, nd);
		put_break(out);
		break;
	case CMARK_NODE_ITEM:
		put_break(out);
		put_marker(out, nd);
		break;
	case CMARK_NODE_IMAGE:
		cmark_iter_reset(it, nd, CMARK_EVENT_EXIT);
		*after_image = true;
		break;
	default:
		break;
	}
}

void tandem__md_plain(tandem__buf *out, const char *md)
{
	size_t from = out->len;
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	bool after_image = true; /* nothing written yet: no space to open with */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		put_node(out, it, cmark_iter_get_node(it), ev, &after_image);
	cmark_iter_free(it);
	cmark_node_free(doc);
	while (out->len > from && (out->ptr[out->len - 1] == '\n' || out->ptr[out->len - 1] == ' '))
		out->ptr[--out->len] = '\0';
}

/* The length of the gloss at s (which starts with "（"), or 0 when it is not one. */
static size_t gloss_at(const char *s)
{
	size_t i = strlen(FW_OPEN);
	char c = s[i];
	if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
		return 0;
	while (s[i] && strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -'.&+/",
	                      s[i]))
		i++;
	if (s[i] == ':')
		i++;
	else if (strncmp(s + i, FW_COLON, strlen(FW_COLON)) == 0)
		i += strlen(FW_COLON);
	else
		return 0;
	for (int depth = 1; s[i]; i++) {
		if (strncmp(s + i, FW_OPEN, strlen(FW_OPEN)) == 0)
			depth++;
		else if (strncmp(s + i, FW_CLOSE, strlen(FW_CLOSE)) == 0 && --depth == 0)
			return i + strlen(FW_CLOSE);
		else if (s[i] == '\n')
			return 0; /* a gloss is on one line */
	}
	return 0;
}

size_t tandem__drop_glosses(tandem__buf *out, const char *s)
{
	size_t dropped = 0;
	while (*s) {
		const char *p = strstr(s, FW_OPEN);
		size_t g = p && p > s ? gloss_at(p) : 0;
		if (!p) {
			tandem__buf_puts(out, s);
			break;
		}
		tandem__buf_put(out, s, (size_t)(p - s));
		if (g) {
			dropped++;
			s = p + g;
		} else {
			tandem__buf_put(out, p, strlen(FW_OPEN));
			s = p + strlen(FW_OPEN);
		}
	}
	return dropped;
}
