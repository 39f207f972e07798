/*
 * cut.c - where a segment's text may be cut (the candidates of each
 * side, classed), how its lines break, and what a cut costs by its class.
 *
 * Candidates.  English is cut between words only (at whitespace, or after
 * a dash), and each place is classed by what is around it: after a
 * sentence end (. ! ? and closing quotes after them, but not after "Mr."),
 * after clause punctuation (, ; : — –), before a conjunction or relative
 * word, before a preposition, or between any two words; a cut right after
 * an article or a preposition is weak.  Chinese is cut at the boundaries of
 * ICU's dictionary-based word break iterator (UBRK_WORD, locale "zh"):
 * after 。！？ (and ASCII . ! ? between CJK text), after ；，、：, or at
 * any word boundary -- never before closing punctuation, never before a
 * particle standing as a word of its own (的 了 着 过 们 吗 呢 吧 ...),
 * never after opening punctuation.
 *
 * The joint cut of both sides, which uses these, is in pair.c; the view of
 * one side they share (its candidates and line break opportunities) is
 * side.h.
 */
#include "fit.h"
#include "side.h"
#include "tandem_private.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utypes.h>
#include <utf8proc.h>

#define HAN_WEIGHT 3.5
#define DIGIT_WEIGHT 2.5

struct tandem__cutter {
	UBreakIterator *word_zh, *line_zh, *line_en;
	UChar *u;          /* the text as UTF-16 */
	size_t *map;       /* UTF-16 index -> byte offset (n16 + 1 entries) */
	size_t cap;
};

tandem__cutter *tandem__cutter_new(void)
{
	tandem__cutter *c = tandem__xcalloc(1, sizeof *c);
	UErrorCode st = U_ZERO_ERROR;
	static const UChar empty[1] = {0};
	c->word_zh = ubrk_open(UBRK_WORD, "zh", empty, 0, &st);
	if (U_SUCCESS(st))
		c->line_zh = ubrk_open(UBRK_LINE, "zh", empty, 0, &st);
	if (U_SUCCESS(st))
		c->line_en = ubrk_open(UBRK_LINE, "en", empty, 0, &st);
	if (U_FAILURE(st)) {
		tandem__cutter_free(c);
		return NULL;
	}
	return c;
}

void tandem__cutter_free(tandem__cutter *c)
{
	if (!c)
		return;
	if (c->word_zh)
		ubrk_close(c->word_zh);
	if (c->line_zh)
		ubrk_close(c->line_zh);
	if (c->line_en)
		ubrk_close(c->line_en);
	free(c->u);
	free(c->map);
	free(c);
}

/* Decode one code point (invalid bytes: U+FFFD, one byte). */
static size_t dec(const char *s, size_t n, int32_t *cp)
{
	utf8proc_int32_t v;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &v);
	if (k <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return (size_t)k;
}

/* The code point ending at byte `at` (0 at the start). */
static int32_t prev_cp(const char *s, size_t at, size_t *start)
{
	if (at == 0) {
		if (start)
			*start = 0;
		return 0;
	}
	size_t b = at - 1;
	while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80 && at - b < 4)
		b--;
	int32_t cp;
	dec(s + b, at - b, &cp);
	if (start)
		*start = b;
	return cp;
}

static int32_t next_cp(const char *s, size_t len, size_t at)
{
	if (at >= len)
		return 0;
	int32_t cp;
	dec(s + at, len - at, &cp);
	return cp;
}

/* Load text into the cutter as UTF-16; returns the UTF-16 length. */
static int32_t load16(tandem__cutter *c, const char *s, size_t len)
{
	if (c->cap < len + 2) {
		c->cap = len + 2;
		c->u = tandem__xrealloc(c->u, c->cap * sizeof *c->u);
		c->map = tandem__xrealloc(c->map, c->cap * sizeof *c->map);
	}
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		size_t k = dec(s + i, len - i, &cp);
		if (cp >= 0x10000) {
			/* A surrogate pair takes the room of the 4 bytes it came from. */
			c->u[n] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
			c->map[n++] = i;
			c->u[n] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3FF));
			c->map[n++] = i;
		} else {
			c->u[n] = (UChar)cp;
			c->map[n++] = i;
		}
		i += k;
	}
	c->map[n] = len;
	return (int32_t)n;
}

static bool is_space_cp(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0xA0;
}

static bool is_wide(int32_t cp)
{
	return utf8proc_charwidth(cp) == 2;
}

/* Closing punctuation, CJK and ASCII: a line never starts with one. */
static bool closing_punct(int32_t cp)
{
	switch (cp) {
	case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: case 0xFF1F:
	case 0xFF01: case 0xFF09: case 0x300D: case 0x300F: case 0x300B: case 0x3009:
	case 0x3011: case 0x3015: case 0x201D: case 0x2019: case 0x2026: case 0x30FB:
	case 0xFF0E: case 0xFF3D: case 0xFF5D: case 0x3017: case 0x3019: case 0xFF05:
	case ',': case '.': case ';': case ':': case '?': case '!': case ')': case ']':
	case '}': case '%':
		return true;
	default:
		return false;
	}
}

static bool opening_punct(int32_t cp)
{
	switch (cp) {
	case 0xFF08: case 0x300C: case 0x300E: case 0x300A: case 0x3008: case 0x3010:
	case 0x3014: case 0x201C: case 0x2018: case 0xFF3B: case 0xFF5B: case 0x3016:
	case 0x3018: case '(': case '[': case '{':
		return true;
	default:
		return false;
	}
}

/*
 * Particles that attach to what comes before them and cannot start a
 * line: structural 的 地 得, aspect 了 着 过, plural 们, sentence-final
 * 吗 呢 吧 啊 呀 嘛 哦 啦 呗 么.  Only when they stand as a word of their
 * own (了解, 过去, 地方 start lines freely).
 */
static bool particle(int32_t cp)
{
	switch (cp) {
	case 0x7684: case 0x5730: case 0x5F97: case 0x4E86: case 0x7740: case 0x8FC7:
	case 0x4EEC: case 0x5417: case 0x5462: case 0x5427: case 0x554A: case 0x5440:
	case 0x561B: case 0x54E6: case 0x5566: case 0x5457: case 0x4E48:
		return true;
	default:
		return false;
	}
}

bool tandem__no_line_start(int32_t cp)
{
	return closing_punct(cp) || particle(cp);
}

double tandem__spoken_weight(const char *s, size_t len)
{
	tandem_script_counts k = tandem_text_scripts(s, len);
	return (double)k.latin + HAN_WEIGHT * (double)k.han + (double)k.other +
	       DIGIT_WEIGHT * (double)k.digits;
}

typedef struct cut_list {
	tandem__cut *v;
	size_t n, cap;
} cut_list;

static void cut_push(cut_list *l, size_t off, size_t end, int cls)
{
	if (l->n && l->v[l->n - 1].off == off) {
		if (cls > l->v[l->n - 1].cls)
			l->v[l->n - 1].cls = cls;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = tandem__xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = (tandem__cut){off, end, cls, false, 0};
}

/* Skip back over closing quotes and brackets before `at`. */
static int32_t last_meaningful(const char *s, size_t at, size_t *where)
{
	size_t b;
	int32_t cp = prev_cp(s, at, &b);
	while (b > 0 && (cp == '"' || cp == '\'' || cp == ')' || cp == 0x201D || cp == 0x2019 ||
	                 cp == 0x300D || cp == 0x300F || cp == 0xFF09 || cp == 0x300B)) {
		at = b;
		cp = prev_cp(s, at, &b);
	}
	if (where)
		*where = b;
	return cp;
}

static bool sentence_end(int32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0xFF01 ||
	       cp == 0xFF1F || cp == 0x2026;
}

static bool clause_end(int32_t cp)
{
	return cp == ',' || cp == ';' || cp == ':' || cp == 0x2014 || cp == 0x2013 ||
	       cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF1A;
}

static bool word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncasecmp(*list, w, n) == 0)
			return true;
	return false;
}

static const char *const conjunctions[] = {
	"and", "but", "or", "nor", "so", "yet", "because", "which", "who", "whom", "whose",
	"that", "when", "where", "while", "whereas", "if", "unless", "although", "though",
	"since", "until", "whether", "as", "than", "then", "before", "after", "once", NULL};
static const char *const prepositions[] = {
	"of", "in", "on", "at", "to", "for", "with", "from", "by", "about", "into", "through",
	"over", "under", "between", "without", "within", "like", "across", "against", "during",
	"toward", "towards", "around", NULL};
/* Words a line should not end on: articles, determiners, prepositions. */
static const char *const clingy[] = {
	"a", "an", "the", "my", "your", "our", "their", "his", "her", "its", "this", "these",
	"those", "of", "to", "in", "on", "at", "for", "with", "from", "by", "and", "or", "very",
	"mr.", "mrs.", "ms.", "dr.", "st.", NULL};
static const char *const abbreviations[] = {"mr.", "mrs.", "ms.", "dr.", "st.", "vs.", "e.g.",
                                            "i.e.", "etc.", "jr.", "sr.", "no.", NULL};

/* The word (letters, apostrophes, dots) at s[a, b), quotes stripped. */
static void token_core(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && strchr("\"'([", s[*a]))
		(*a)++;
	while (*b > *a && strchr("\"')],;:!?", s[*b - 1]))
		(*b)--;
}

static void english_candidates(const char *s, size_t len, cut_list *l)
{
	/* Tokens between whitespace; a cut goes before each token after the first. */
	size_t i = 0, prev_a = SIZE_MAX, prev_b = 0;
	while (i < len) {
		int32_t cp;
		size_t k = dec(s + i, len - i, &cp);
		if (is_space_cp(cp)) {
			i += k;
			continue;
		}
		size_t a = i;
		while (i < len) {
			k = dec(s + i, len - i, &cp);
			if (is_space_cp(cp))
				break;
			i += k;
			/* A dash glued between words ("this—that") is a place too. */
			if ((cp == 0x2014 || cp == 0x2013) && i < len && !is_space_cp(next_cp(s, len, i)))
				break;
		}
		size_t b = i;
		if (prev_a != SIZE_MAX) {
			int32_t last = last_meaningful(s, prev_b, NULL);
			int cls = TANDEM__CUT_WORD;
			if (sentence_end(last)) {
				bool abbr = word_in(s + prev_a, prev_b - prev_a, abbreviations) ||
				            (prev_b - prev_a == 2 && s[prev_a] >= 'A' && s[prev_a] <= 'Z' &&
				             s[prev_a + 1] == '.');
				bool digit_next = a < len && s[a] >= '0' && s[a] <= '9' && last == '.';
				cls = abbr || digit_next ? TANDEM__CUT_WORD : TANDEM__CUT_SENTENCE;
			} else if (clause_end(last) || (prev_b - prev_a <= 2 && (s[prev_a] == '-'))) {
				cls = TANDEM__CUT_CLAUSE;
			} else {
				size_t na = a, nb = b;
				token_core(s, &na, &nb);
				if (word_in(s + na, nb - na, conjunctions))
					cls = TANDEM__CUT_CONJ;
				else if (word_in(s + na, nb - na, prepositions))
					cls = TANDEM__CUT_PHRASE;
			}
			cut_push(l, a, prev_b, cls);
		}
		prev_a = a;
		prev_b = b;
	}
}

static void chinese_candidates(tandem__cutter *c, const char *s, size_t len, cut_list *l)
{
	int32_t n16 = load16(c, s, len);
	UErrorCode st = U_ZERO_ERROR;
	ubrk_setText(c->word_zh, c->u, n16, &st);
	if (U_FAILURE(st))
		return;
	/* ICU's word boundaries, then each judged with the word after it in view. */
	size_t nb = 0, cap = 64;
	int32_t *bs = tandem__xmalloc(cap * sizeof *bs);
	for (int32_t b = ubrk_first(c->word_zh); b != UBRK_DONE; b = ubrk_next(c->word_zh)) {
		if (nb == cap) {
			cap *= 2;
			bs = tandem__xrealloc(bs, cap * sizeof *bs);
		}
		bs[nb++] = b;
	}
	for (size_t k = 1; k + 1 < nb; k++) {
		size_t off = c->map[bs[k]], end = off;
		/* Spaces belong to neither piece. */
		while (off < len && is_space_cp(next_cp(s, len, off)))
			off++;
		while (end > 0 && is_space_cp(prev_cp(s, end, NULL)))
			end--;
		if (off >= len || end == 0)
			continue;
		int32_t nx = next_cp(s, len, off);
		int32_t pv = prev_cp(s, end, NULL);
		if (closing_punct(nx) || opening_punct(pv))
			continue;
		if ((nx == 0x2014 && pv == 0x2014) || (nx == 0x2026 && pv == 0x2026))
			continue;
		/* A particle standing as a word of its own: the next boundary right after it. */
		if (particle(nx) && bs[k + 1] - bs[k] == 1)
			continue;
		int32_t last = last_meaningful(s, end, NULL);
		int cls = TANDEM__CUT_WORD;
		if (sentence_end(last)) {
			/* ASCII '.' before a digit is a decimal point, not a sentence end. */
			if (last == '.' && nx >= '0' && nx <= '9')
				continue;
			cls = TANDEM__CUT_SENTENCE;
		} else if (clause_end(last)) {
			cls = TANDEM__CUT_CLAUSE;
		}
		/* Inside a run of Latin text or digits with no space: not a place. */
		if (cls == TANDEM__CUT_WORD && off == end && !is_wide(nx) && !is_wide(pv))
			continue;
		cut_push(l, off, end, cls);
		if (cls == TANDEM__CUT_WORD && bs[k] - bs[k - 1] == 1 && bs[k + 1] - bs[k] == 1 &&
		    is_wide(nx) && is_wide(pv))
			l->v[l->n - 1].weak = true;
	}
	free(bs);
}

tandem__cut *tandem__cut_candidates(tandem__cutter *c, const char *text, size_t len, bool cjk,
                                    size_t *n)
{
	cut_list l = {NULL, 0, 0};
	cut_push(&l, 0, 0, TANDEM__CUT_SENTENCE);
	if (cjk && c)
		chinese_candidates(c, text, len, &l);
	else
		english_candidates(text, len, &l);
	cut_push(&l, len, len, TANDEM__CUT_SENTENCE);
	/* Weights: the text before each cut. */
	double acc = 0;
	size_t prev = 0;
	for (size_t k = 0; k < l.n; k++) {
		acc += tandem__spoken_weight(text + prev, l.v[k].off - prev);
		prev = l.v[k].off;
		l.v[k].w = acc;
	}
	if (l.n >= 2 && acc <= 0) {
		/* No letters: weigh by graphemes, so shares stay defined. */
		for (size_t k = 0; k < l.n; k++)
			l.v[k].w = (double)tandem_text_graphemes(text, l.v[k].off) + (double)k * 1e-3;
	}
	*n = l.n;
	return l.v;
}

/* ------------------------------------------------------------------ */
/* One side analysed: candidates and line break opportunities          */
/* ------------------------------------------------------------------ */

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

void tandem__side_free(side *d)
{
	free(d->cand);
	free(d->o);
	free(d->cand_opp);
	memset(d, 0, sizeof *d);
}

void tandem__side_init(tandem__cutter *c, side *d, const char *s, size_t len, bool cjk)
{
	memset(d, 0, sizeof *d);
	d->s = s;
	d->len = len;
	d->cjk = cjk;
	d->cand = tandem__cut_candidates(c, s, len, cjk, &d->ncand);
	/* Offsets: every candidate, and ICU's line breaks. */
	size_t cap = d->ncand + 16, n = 0;
	size_t *offs = tandem__xmalloc(cap * sizeof *offs);
	for (size_t k = 0; k < d->ncand; k++)
		offs[n++] = d->cand[k].off;
	size_t nline_first = n;
	if (c) {
		int32_t n16 = load16(c, s, len);
		UBreakIterator *it = cjk ? c->line_zh : c->line_en;
		UErrorCode st = U_ZERO_ERROR;
		ubrk_setText(it, c->u, n16, &st);
		if (U_SUCCESS(st))
			for (int32_t b = ubrk_next(it); b != UBRK_DONE && b < n16; b = ubrk_next(it)) {
				if (n == cap) {
					cap *= 2;
					offs = tandem__xrealloc(offs, cap * sizeof *offs);
				}
				offs[n++] = c->map[b];
			}
	}
	size_t nline = n - nline_first;
	size_t *lineoffs = tandem__xmalloc((nline ? nline : 1) * sizeof *lineoffs);
	memcpy(lineoffs, offs + nline_first, nline * sizeof *lineoffs);
	qsort(offs, n, sizeof *offs, cmp_size);
	size_t u = 0;
	for (size_t k = 0; k < n; k++)
		if (!u || offs[k] != offs[u - 1])
			offs[u++] = offs[k];
	d->o = tandem__xcalloc(u, sizeof *d->o);
	d->no = u;
	d->cand_opp = tandem__xmalloc(d->ncand * sizeof *d->cand_opp);
	size_t ci = 0, li = 0, g = 0, wd = 0, prev = 0;
	for (size_t k = 0; k < u; k++) {
		opp *p = &d->o[k];
		p->off = offs[k];
		g += tandem_text_graphemes(s + prev, p->off - prev);
		wd += tandem_text_width(s + prev, p->off - prev);
		prev = p->off;
		p->g = g;
		p->wd = wd;
		size_t t = p->off;
		while (t > 0 && (s[t - 1] == ' ' || s[t - 1] == '\t' || s[t - 1] == '\n' ||
		                 s[t - 1] == '\r')) {
			t--;
			p->trail_g++;
			p->trail_w++;
		}
		p->cand = -1;
		while (ci < d->ncand && d->cand[ci].off < p->off)
			ci++;
		bool is_cand = ci < d->ncand && d->cand[ci].off == p->off;
		if (is_cand) {
			p->cand = (long)ci;
			d->cand_opp[ci] = k;
		}
		while (li < nline && lineoffs[li] < p->off)
			li++;
		bool is_line = li < nline && lineoffs[li] == p->off;
		/* Chinese lines break at word boundaries only; English after spaces only
		 * (not after a hyphen: "real-" / "world" reads badly). */
		bool after_space = p->off > 0 && (s[p->off - 1] == ' ' || s[p->off - 1] == '\t' ||
		                                  s[p->off - 1] == '\n');
		p->line = cjk ? is_line && is_cand : (is_line || !c) && (after_space || is_cand);
		if (!cjk && is_line && p->off < len && tandem__no_line_start(next_cp(s, len, p->off)))
			p->line = false;
	}
	free(offs);
	free(lineoffs);
}

/* Graphemes and columns of the line from opportunity a to b, edge spaces out. */
static void line_measure(const side *d, size_t a, size_t b, size_t *g, size_t *w)
{
	const opp *x = &d->o[a], *y = &d->o[b];
	size_t gg = y->g - x->g, ww = y->wd - x->wd;
	gg = gg > y->trail_g ? gg - y->trail_g : 0;
	ww = ww > y->trail_w ? ww - y->trail_w : 0;
	/* Leading spaces (a cut skips them; a line break follows them). */
	size_t t = x->off;
	while (t < y->off && (d->s[t] == ' ' || d->s[t] == '\t' || d->s[t] == '\n' ||
	                      d->s[t] == '\r')) {
		t++;
		if (gg)
			gg--;
		if (ww)
			ww--;
	}
	*g = gg;
	*w = ww;
}

static bool line_fits(const side *d, size_t a, size_t b, const tandem__layout *lay)
{
	size_t g, w;
	line_measure(d, a, b, &g, &w);
	return (!lay->line_chars || g <= lay->line_chars) && (!lay->line_width || w <= lay->line_width);
}

/* Fewest lines for opportunities a..b (greedy fill is optimal for that). */
size_t tandem__side_lines(const side *d, size_t a, size_t b, const tandem__layout *lay)
{
	if (a >= b)
		return 0;
	size_t lines = 0, at = a;
	while (at < b) {
		lines++;
		if (line_fits(d, at, b, lay))
			break;
		size_t best = SIZE_MAX;
		for (size_t k = at + 1; k < b; k++) {
			if (!d->o[k].line)
				continue;
			if (line_fits(d, at, k, lay))
				best = k;
			else
				break;
		}
		if (best == SIZE_MAX) {
			/* Nothing fits: the first break, overlong. */
			for (size_t k = at + 1; k < b && best == SIZE_MAX; k++)
				if (d->o[k].line)
					best = k;
			if (best == SIZE_MAX)
				break;
		}
		at = best;
	}
	return lines;
}

static bool weak_cut(const side *d, size_t k);

/* Balanced lines for opportunities a..b: break offsets into brk (nlines - 1 of them). */
static size_t side_break(const side *d, size_t a, size_t b, const tandem__layout *lay,
                         size_t *brk, size_t maxbrk)
{
	size_t L = tandem__side_lines(d, a, b, lay);
	if (L <= 1)
		return L;
	if (L - 1 > maxbrk)
		L = maxbrk + 1;
	/* DP over line opportunities: cost[k][l] = best for a..k in l lines. */
	size_t m = 0;
	size_t *idx = tandem__xmalloc((b - a + 1) * sizeof *idx);
	idx[m++] = a;
	for (size_t k = a + 1; k < b; k++)
		if (d->o[k].line)
			idx[m++] = k;
	idx[m++] = b;
	double *cost = tandem__xmalloc(m * (L + 1) * sizeof *cost);
	size_t *from = tandem__xmalloc(m * (L + 1) * sizeof *from);
	for (size_t k = 0; k < m * (L + 1); k++)
		cost[k] = INFINITY;
	cost[0] = 0;
	size_t limit = lay->line_width ? lay->line_width : lay->line_chars ? lay->line_chars * (d->cjk ? 2 : 1) : 80;
	for (size_t l = 1; l <= L; l++)
		for (size_t k = 1; k < m; k++)
			for (size_t p = k; p-- > 0;) {
				if (cost[p * (L + 1) + l - 1] == INFINITY)
					continue;
				size_t g, w;
				line_measure(d, idx[p], idx[k], &g, &w);
				bool fits = (!lay->line_chars || g <= lay->line_chars) &&
				            (!lay->line_width || w <= lay->line_width);
				double over = fits ? 0 : 1e6 * (double)(w > limit ? w - limit : 1);
				double target = (double)(d->o[b].wd - d->o[a].wd) / (double)L;
				double dev = ((double)w - target) / (double)limit;
				double c = cost[p * (L + 1) + l - 1] + over + 100.0 * dev * dev;
				/* A Chinese line with no Chinese on it would be read back from a
				 * stacked bilingual SRT as a line of the other side. */
				if (d->cjk && g &&
				    tandem_text_script(d->s + d->o[idx[p]].off, d->o[idx[k]].off - d->o[idx[p]].off) !=
				            TANDEM_SCRIPT_CJK)
					c += 1000;
				/* A break at punctuation reads better. */
				if (k < m - 1 && d->o[idx[k]].cand >= 0) {
					int cls = d->cand[d->o[idx[k]].cand].cls;
					c += cls >= TANDEM__CUT_CLAUSE ? 0 : cls >= TANDEM__CUT_CONJ ? 1 : 3;
					if (weak_cut(d, (size_t)d->o[idx[k]].cand))
						c += 8;
				}
				if (c < cost[k * (L + 1) + l]) {
					cost[k * (L + 1) + l] = c;
					from[k * (L + 1) + l] = p;
				}
				if (!fits && w > limit * 3)
					break;
			}
	size_t nb = 0;
	if (cost[(m - 1) * (L + 1) + L] < INFINITY) {
		size_t k = m - 1;
		for (size_t l = L; l > 1; l--) {
			k = from[k * (L + 1) + l];
			brk[l - 2] = d->o[idx[k]].off;
		}
		nb = L - 1;
	}
	free(idx);
	free(cost);
	free(from);
	return nb + 1;
}

/* Append s[a, b) with edge spaces out and inner whitespace runs as one space. */
static void put_trimmed(tandem__buf *out, const char *s, size_t a, size_t b)
{
	while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r'))
		b--;
	bool sp = false;
	for (size_t i = a; i < b; i++) {
		char ch = s[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			sp = true;
			continue;
		}
		if (sp)
			tandem__buf_putc(out, ' ');
		sp = false;
		tandem__buf_putc(out, ch);
	}
}

/* The text of opportunities a..b broken into balanced lines. */
static char *side_text(const side *d, size_t a, size_t b, const tandem__layout *lay,
                       size_t *nlines)
{
	size_t brk[32];
	size_t maxl = lay->max_lines ? lay->max_lines : 2;
	size_t need = tandem__side_lines(d, a, b, lay);
	if (need > maxl)
		maxl = need;
	if (maxl > 32)
		maxl = 32;
	size_t L = side_break(d, a, b, lay, brk, maxl - 1);
	tandem__buf out = TANDEM_BUF_INIT;
	size_t at = d->o[a].off;
	for (size_t k = 0; k + 1 < L; k++) {
		put_trimmed(&out, d->s, at, brk[k]);
		tandem__buf_putc(&out, '\n');
		at = brk[k];
	}
	put_trimmed(&out, d->s, at, d->o[b].off);
	if (nlines)
		*nlines = L ? L : 1;
	return tandem__buf_detach(&out, NULL);
}

char *tandem__break_lines(tandem__cutter *c, const char *text, size_t len, bool cjk,
                          const tandem__layout *lay, size_t *nlines)
{
	side d;
	tandem__side_init(c, &d, text, len, cjk);
	char *r = side_text(&d, 0, d.no - 1, lay, nlines);
	tandem__side_free(&d);
	return r;
}

size_t tandem__lines_needed(tandem__cutter *c, const char *text, size_t len, bool cjk,
                            const tandem__layout *lay)
{
	side d;
	tandem__side_init(c, &d, text, len, cjk);
	size_t n = tandem__side_lines(&d, 0, d.no - 1, lay);
	tandem__side_free(&d);
	return n;
}

/* ------------------------------------------------------------------ */
/* Costs                                                               */
/* ------------------------------------------------------------------ */

static bool weak_cut(const side *d, size_t k)
{
	/* The word before the cut is one a line should not end on. */
	const tandem__cut *c = &d->cand[k];
	if (c->weak)
		return true;
	if (d->cjk || c->cls != TANDEM__CUT_WORD || c->end == 0)
		return false;
	size_t b = c->end, a = b;
	while (a > 0 && d->s[a - 1] != ' ' && d->s[a - 1] != '\n' && d->s[a - 1] != '\t')
		a--;
	return word_in(d->s + a, b - a, clingy);
}

double tandem__class_cost(const side *d, size_t k)
{
	if (k == 0 || k + 1 == d->ncand)
		return 0;
	switch (d->cand[k].cls) {
	case TANDEM__CUT_SENTENCE: return 0;
	case TANDEM__CUT_CLAUSE: return 1.0;
	case TANDEM__CUT_CONJ: return 2.5;
	case TANDEM__CUT_PHRASE: return 3.5;
	default: return weak_cut(d, k) ? 8.0 : 6.0;
	}
}

