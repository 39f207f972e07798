/*
 * measure.c - one side of a segment (its text or its translation) measured
 * once for all the checker's rules: characters and words, lines, the
 * longest and widest line, letters by script; and the language (hence the
 * limits) a side is held to.
 *
 * Text is measured as a reader sees it: grapheme clusters (a Chinese
 * character is one character) and display columns (it is two), from
 * utf8proc.
 */
#include "check.h"

#include <string.h>
#include <strings.h>

void tandem__check_measure(const char *s, tandem__check_side *m)
{
	memset(m, 0, sizeof *m);
	m->present = s != NULL;
	m->s = s ? s : "";
	m->len = strlen(m->s);
	m->blank = true;
	const char *p = m->s, *end = m->s + m->len;
	size_t lineno = 0;
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *a = p, *z = e;
		while (a < z && tandem__check_space((unsigned char)*a))
			a++;
		while (z > a && tandem__check_space((unsigned char)z[-1]))
			z--;
		lineno++;
		if (z > a) {
			m->blank = false;
			m->lines++;
			size_t g = tandem_text_graphemes(a, (size_t)(z - a));
			size_t w = tandem_text_width(a, (size_t)(z - a));
			m->chars += g;
			if (g > m->max_line_chars) {
				m->max_line_chars = g;
				m->max_line_no = m->lines;
			}
			if (w > m->widest_line_width) {
				m->widest_line_width = w;
				m->widest_line_no = m->lines;
			}
			bool in = false;
			for (const char *q = a; q < z; q++) {
				bool sp = tandem__check_space((unsigned char)*q);
				if (!sp && !in)
					m->words++;
				in = !sp;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	m->max_line_width = m->widest_line_width;
	m->k = tandem_text_scripts(m->s, m->len);
	/* The rule of tandem_text_script, on the counts already made. */
	size_t cjk = m->k.han * 3;
	if (m->blank || (!m->k.latin && !m->k.han && !m->k.other))
		m->script = TANDEM_SCRIPT_NONE;
	else if (cjk >= m->k.latin && cjk >= m->k.other)
		m->script = TANDEM_SCRIPT_CJK;
	else
		m->script = m->k.latin >= m->k.other ? TANDEM_SCRIPT_LATIN : TANDEM_SCRIPT_OTHER;
}

const tandem__check_lang *tandem__check_lang_find(const tandem_check_rules *r, const char *code)
{
	size_t n = strlen(code);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < r->nlangs; k++)
			if (strlen(r->langs[k].code) == n && strncasecmp(r->langs[k].code, code, n) == 0)
				return &r->langs[k];
		/* zh-Hans -> zh */
		n = strcspn(code, "-_");
	}
	for (size_t k = 0; k < r->nlangs; k++)
		if (strcmp(r->langs[k].code, "default") == 0)
			return &r->langs[k];
	return NULL;
}

tandem_script tandem__check_majority_script(const tandem__check_side *v, size_t n)
{
	size_t counts[4] = {0, 0, 0, 0};
	for (size_t i = 0; i < n; i++)
		if (v[i].present)
			counts[v[i].script]++;
	int best = 0;
	for (int k = 1; k < 4; k++)
		if (counts[k] > counts[best] || best == 0)
			best = counts[k] ? k : best;
	return (tandem_script)best;
}

/* The side's language: its metadata, else its most common script. */
const char *tandem__check_side_lang(const tandem_doc *doc, bool translation,
                                    const tandem__check_side *v)
{
	const char *meta = tandem_doc_meta(doc, translation ? "translation_language" : "language");
	if (meta && *meta)
		return meta;
	switch (tandem__check_majority_script(v, doc->nsegs)) {
	case TANDEM_SCRIPT_CJK: return "zh";
	case TANDEM_SCRIPT_LATIN: return "en";
	default: return "default";
	}
}
