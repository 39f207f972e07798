/*
 * apply.c - what an alignment gives: the bilingual document (each source
 * segment with its translation; a line shared by several source segments
 * merged or cut over them, with fit/'s cut finder) and the JSON report of
 * links and coverage.
 */
#include "align_internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The bilingual document                                              */
/* ------------------------------------------------------------------ */

/* Fewer letters and digits than this make no piece: one character is no segment's translation. */
#define MIN_PIECE_LETTERS 2

double tandem__align_cut_link(tandem__cutter **cut, const tandem_doc *source,
                              const tandem_doc *translation, bool use_tr, bool cjk,
                              const link *l, tandem__buf *b, size_t *offs)
{
	size_t di = l->ni;
	tandem__buf_clear(b);
	for (size_t k = 0; k < l->nj; k++)
		tandem__align_join(b, tandem__align_side_text(translation, l->j + k, use_tr));
	if (di <= 1 || !offs)
		return 1;
	if (!*cut)
		*cut = tandem__cutter_new();
	double w[3];
	size_t big = 0;
	if (!*cut) {
		/* no ICU: the proportional cut at punctuation or between words */
		for (size_t k = 0; k < di; k++) {
			const char *s = tandem_seg_text(source, l->i + k);
			w[k] = (double)tandem__align_length(s, strlen(s)) + 1;
		}
		tandem__align_split(b->ptr, b->len, w, di, offs);
		return 1;
	}
	for (size_t k = 0; k < di; k++) {
		const char *s = tandem_seg_text(source, l->i + k);
		w[k] = tandem__spoken_weight(s, strlen(s));
		if (w[k] > w[big])
			big = k;
	}
	double q = tandem__cut_split_min(*cut, b->ptr, b->len, cjk, w, di, MIN_PIECE_LETTERS, offs);
	if (q > 0)
		return q;
	for (size_t k = 0; k + 1 < di; k++)
		offs[k] = k < big ? 0 : b->len;
	return 0;
}

int tandem_alignment_apply(const tandem_alignment *a, const tandem_doc *source,
                           const tandem_doc *translation, int merge, tandem_doc **out)
{
	if (!a || !source || !translation || !out || tandem_doc_count(source) != a->n ||
	    tandem_doc_count(translation) != a->m)
		return TANDEM_EINVAL;
	tandem_doc *d = tandem_doc_clone(source);
	for (size_t i = 0; i < a->n; i++)
		tandem_seg_set_translation(d, i, NULL);
	tandem__buf b = TANDEM_BUF_INIT;
	tandem__cutter *cut = NULL; /* opened by the first cut */
	/* From the end, so merging (removing segments) keeps earlier indices. */
	for (size_t x = a->nlinks; x-- > 0;) {
		const link *l = &a->links[x];
		size_t di = (size_t)l->ni, dj = (size_t)l->nj;
		if (!di || !dj)
			continue;
		size_t cuts[2];
		tandem__align_cut_link(&cut, source, translation, a->use_translation_field, a->tr_cjk, l,
		                       &b, merge ? NULL : cuts);
		if (di == 1) {
			tandem_seg_set_translation(d, l->i, b.ptr);
			continue;
		}
		if (merge) {
			tandem__buf text = TANDEM_BUF_INIT;
			for (size_t k = 0; k < di; k++)
				tandem__align_join(&text, tandem_seg_text(source, l->i + k));
			int64_t s0 = tandem_seg_start(source, l->i), e0 = tandem_seg_end(source, l->i + di - 1);
			tandem_seg_set_text(d, l->i, text.ptr);
			tandem_seg_set_times(d, l->i, s0, e0);
			tandem_seg_set_translation(d, l->i, b.ptr);
			tandem_doc_remove(d, l->i + 1, di - 1);
			tandem__buf_free(&text);
			continue;
		}
		size_t from = 0;
		for (size_t k = 0; k < di; k++) {
			size_t to = k + 1 < di ? cuts[k] : b.len;
			if (to < from)
				to = from;
			size_t s = from, e = to;
			while (s < e && b.ptr[s] == ' ')
				s++;
			while (e > s && b.ptr[e - 1] == ' ')
				e--;
			char *piece = tandem__xstrndup(b.ptr + s, e - s);
			tandem_seg_set_translation(d, l->i + k, piece);
			free(piece);
			from = to;
		}
	}
	tandem__buf_free(&b);
	tandem__cutter_free(cut);
	*out = d;
	return 0;
}

static void put_range(tandem__buf *b, size_t from, size_t n)
{
	tandem__buf_putc(b, '[');
	for (size_t k = 0; k < n; k++)
		tandem__buf_printf(b, "%s%zu", k ? "," : "", from + k);
	tandem__buf_putc(b, ']');
}

char *tandem_alignment_report_json(const tandem_alignment *a, size_t *len)
{
	tandem__buf b = TANDEM_BUF_INIT;
	tandem__buf_puts(&b, "{\"links\":[");
	for (size_t x = 0; x < a->nlinks; x++) {
		const link *l = &a->links[x];
		tandem__buf_puts(&b, x ? ",\n{\"source\":" : "\n{\"source\":");
		put_range(&b, l->i, (size_t)l->ni);
		tandem__buf_puts(&b, ",\"translation\":");
		put_range(&b, l->j, (size_t)l->nj);
		tandem__buf_printf(&b, ",\"score\":%.3f}", l->score);
	}
	tandem__buf_printf(&b, "],\n\"coverage\":{\"source_segments\":%zu,\"translated\":%zu,"
	                      "\"untranslated\":[",
	                  a->n, a->translated);
	bool first = true;
	for (size_t x = 0; x < a->nlinks; x++)
		if (!a->links[x].nj) {
			tandem__buf_printf(&b, "%s%zu", first ? "" : ",", a->links[x].i);
			first = false;
		}
	tandem__buf_puts(&b, "],\"unused_translation\":[");
	first = true;
	for (size_t x = 0; x < a->nlinks; x++)
		if (!a->links[x].ni) {
			tandem__buf_printf(&b, "%s%zu", first ? "" : ",", a->links[x].j);
			first = false;
		}
	tandem__buf_puts(&b, "],\"low_confidence\":[");
	first = true;
	for (size_t x = 0; x < a->nlinks; x++)
		if (a->links[x].score < 0.5) {
			tandem__buf_printf(&b, "%s%zu", first ? "" : ",", x);
			first = false;
		}
	tandem__buf_puts(&b, "]}}\n");
	return tandem__buf_detach(&b, len);
}
