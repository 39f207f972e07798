/*
 * cut.c - where a segment's text may be cut, and the joint cut of its two
 * sides.
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
 * The joint cut (tandem__cut_pair) is a dynamic programme over pairs of
 * candidate cuts (i on the source, j on the translation): a piece from
 * (i, j) to (i', j') costs
 *
 *   RATIO_COST * ln((ft + e) / (fs + e))^2    fs, ft: its share of each
 *                                             side's spoken weight
 *   + class cost of the cut on each side      (a sentence end 0, a word 4)
 *   + PIECE_COST                              (fewer, fuller pieces)
 *   + duration costs                          (the share of the segment's
 *                                             time it would get, against
 *                                             min/max duration)
 *
 * and a piece may only run as far as its side's layout allows (max_lines
 * lines of line_chars / line_width, measured by a greedy fill over the
 * line break opportunities, which gives the fewest lines).  States far off
 * the diagonal (|fs - ft| > BAND) are not visited; when no path is found
 * there, the whole square is.  A long text is first split into chunks of
 * about CHUNK candidates at its best cuts (tandem__cut_split), so the
 * square stays small.
 */
#include "fit.h"
#include "tandem_private.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utypes.h>
#include <utf8proc.h>

#define RATIO_COST 10.0
#define RATIO_EPS 0.03
#define PIECE_COST 1.0
#define DRIFT_COST 250.0
#define MISMATCH_COST 1.5
#define POOR_RATIO 1.0986        /* ln 3: a piece with one side 3x the other's share */
#define OVERFULL_COST 40.0
#define BAND 0.25
#define CHUNK 240
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

typedef struct opp {
	size_t off;        /* byte offset */
	size_t g, wd;      /* graphemes and columns before it */
	size_t trail_g, trail_w; /* whitespace right before it */
	bool line;         /* a line may break here */
	long cand;         /* candidate index, or -1 */
} opp;

typedef struct side {
	const char *s;
	size_t len;
	bool cjk;
	tandem__cut *cand;
	size_t ncand;
	opp *o;
	size_t no;
	size_t *cand_opp;  /* candidate -> opportunity index */
} side;

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static void side_free(side *d)
{
	free(d->cand);
	free(d->o);
	free(d->cand_opp);
	memset(d, 0, sizeof *d);
}

static void side_init(tandem__cutter *c, side *d, const char *s, size_t len, bool cjk)
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
static size_t side_lines(const side *d, size_t a, size_t b, const tandem__layout *lay)
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
	size_t L = side_lines(d, a, b, lay);
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
static void put_trimmed(tandem_buf *out, const char *s, size_t a, size_t b)
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
	size_t need = side_lines(d, a, b, lay);
	if (need > maxl)
		maxl = need;
	if (maxl > 32)
		maxl = 32;
	size_t L = side_break(d, a, b, lay, brk, maxl - 1);
	tandem_buf out = TANDEM_BUF_INIT;
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
	side_init(c, &d, text, len, cjk);
	char *r = side_text(&d, 0, d.no - 1, lay, nlines);
	side_free(&d);
	return r;
}

size_t tandem__lines_needed(tandem__cutter *c, const char *text, size_t len, bool cjk,
                            const tandem__layout *lay)
{
	side d;
	side_init(c, &d, text, len, cjk);
	size_t n = side_lines(&d, 0, d.no - 1, lay);
	side_free(&d);
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

static double class_cost(const side *d, size_t k)
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

/* ------------------------------------------------------------------ */
/* Split one text into k shares (the aligner's split repair)           */
/* ------------------------------------------------------------------ */

static double split_side(const side *d, size_t lo, size_t hi, const double *shares, size_t k,
                         size_t *pick)
{
	/* Cuts chosen among candidates lo+1 .. hi-1, k-1 of them, in order. */
	if (k <= 1)
		return 0;
	size_t m = hi - lo + 1;
	if (m < k + 1)
		return -1;
	double W = d->cand[hi].w - d->cand[lo].w, tot = 0;
	for (size_t q = 0; q < k; q++)
		tot += shares[q] > 0 ? shares[q] : 0;
	if (tot <= 0)
		tot = 1;
	double *cost = tandem__xmalloc(m * k * sizeof *cost);
	size_t *from = tandem__xmalloc(m * k * sizeof *from);
	for (size_t x = 0; x < m * k; x++)
		cost[x] = INFINITY;
	cost[0] = 0;   /* position 0 (lo), 0 cuts */
	double cum = 0;
	for (size_t q = 1; q < k; q++) {
		cum += (shares[q - 1] > 0 ? shares[q - 1] : 0) / tot;
		for (size_t x = q; x + (k - q) < m; x++) {
			double f = W > 0 ? (d->cand[lo + x].w - d->cand[lo].w) / W : (double)x / (double)(m - 1);
			double dev = (f - cum) / 0.1;
			double here = dev * dev + class_cost(d, lo + x);
			for (size_t p = q - 1; p < x; p++) {
				double c = cost[p * k + q - 1];
				if (c == INFINITY)
					continue;
				if (c + here < cost[x * k + q]) {
					cost[x * k + q] = c + here;
					from[x * k + q] = p;
				}
			}
		}
	}
	size_t best = SIZE_MAX;
	double bc = INFINITY;
	for (size_t x = k - 1; x + 1 < m; x++)
		if (cost[x * k + k - 1] < bc) {
			bc = cost[x * k + k - 1];
			best = x;
		}
	if (best == SIZE_MAX) {
		free(cost);
		free(from);
		return -1;
	}
	for (size_t q = k - 1, x = best; q >= 1; q--) {
		pick[q - 1] = lo + x;
		x = from[x * k + q];
	}
	free(cost);
	free(from);
	return bc;
}

double tandem__cut_split(tandem__cutter *c, const char *text, size_t len, bool cjk,
                         const double *shares, size_t k, size_t *offs)
{
	if (k <= 1)
		return 1;
	side d;
	side_init(c, &d, text, len, cjk);
	size_t *pick = tandem__xmalloc(k * sizeof *pick);
	double cost = split_side(&d, 0, d.ncand - 1, shares, k, pick);
	double q = 0;
	if (cost >= 0) {
		for (size_t x = 0; x + 1 < k; x++)
			offs[x] = d.cand[pick[x]].off;
		q = exp(-cost / (double)(k - 1) / 4.0);
	}
	free(pick);
	side_free(&d);
	return q;
}

/* ------------------------------------------------------------------ */
/* The joint programme                                                 */
/* ------------------------------------------------------------------ */

typedef struct plan_acc {
	size_t n, cap;
	size_t *s, *t;       /* candidate indices */
	bool poor_last;
} plan_acc;

static void acc_push(plan_acc *a, size_t s, size_t t)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->s = tandem__xrealloc(a->s, a->cap * sizeof *a->s);
		a->t = tandem__xrealloc(a->t, a->cap * sizeof *a->t);
	}
	a->s[a->n] = s;
	a->t[a->n] = t;
	a->n++;
}

static size_t reach_of(const side *d, size_t i, size_t hi, const tandem__layout *lay)
{
	size_t r = i + 1;
	size_t maxl = lay->max_lines ? lay->max_lines : SIZE_MAX;
	for (size_t k = i + 1; k <= hi; k++) {
		if (side_lines(d, d->cand_opp[i], d->cand_opp[k], lay) <= maxl)
			r = k;
		else
			break;
	}
	return r;
}

static double dur_cost(const tandem__cut_limits *lim, double share)
{
	if (lim->span_ms == TANDEM_NO_TIME || lim->span_ms <= 0)
		return 0;
	double est = (double)lim->span_ms * share, c = 0;
	if (lim->max_ms > 0 && est > (double)lim->max_ms)
		c += 3 + 6 * (est / (double)lim->max_ms - 1);
	if (lim->min_ms > 0 && est < (double)lim->min_ms)
		c += 10 * (1 - est / (double)lim->min_ms);
	return c;
}

typedef struct cell {
	double cost;
	int32_t pi, pj;
} cell;

/* One side of the programme, measured once: what the inner loops read. */
typedef struct dp_side {
	size_t n;
	size_t *reach;   /* the farthest candidate a piece from here may end at */
	double *f;       /* the candidate's share of the chunk's spoken weight */
	double *cls;     /* class_cost of a cut at the candidate */
	bool *over;      /* the piece to the next candidate is overfull on its own */
	double *lg;      /* lg[i * span + (k - i - 1)]: log of the share from i to k,
	                    plus RATIO_EPS, for k up to reach[i] */
	size_t span;
} dp_side;

static void dp_side_init(dp_side *x, const side *d, size_t lo, size_t hi,
                         const tandem__layout *lay, bool strong_only)
{
	size_t n = hi - lo + 1;
	size_t maxl = lay->max_lines ? lay->max_lines : SIZE_MAX;
	double W = d->cand[hi].w - d->cand[lo].w;
	x->n = n;
	x->reach = tandem__xmalloc(n * sizeof *x->reach);
	x->f = tandem__xmalloc(n * sizeof *x->f);
	x->cls = tandem__xmalloc(n * sizeof *x->cls);
	x->over = tandem__xmalloc(n * sizeof *x->over);
	for (size_t i = 0; i < n; i++) {
		x->reach[i] = i + 1 >= n ? i : strong_only ? n - 1 : reach_of(d, lo + i, hi, lay) - lo;
		x->f[i] = W > 0 ? (d->cand[lo + i].w - d->cand[lo].w) / W
		                : n > 1 ? (double)i / (double)(n - 1) : 0;
		x->cls[i] = class_cost(d, lo + i);
		if (strong_only && i > 0 && i + 1 < n && d->cand[lo + i].cls < TANDEM__CUT_CLAUSE)
			x->cls[i] = INFINITY;
		x->over[i] = i + 1 < n &&
		             side_lines(d, d->cand_opp[lo + i], d->cand_opp[lo + i + 1], lay) > maxl;
	}
	/* The ratio cost's logarithms, once per piece rather than once per pair. */
	x->span = 1;
	for (size_t i = 0; i < n; i++)
		if (x->reach[i] - i > x->span)
			x->span = x->reach[i] - i;
	x->lg = tandem__xmalloc(n * x->span * sizeof *x->lg);
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k <= x->reach[i]; k++)
			x->lg[i * x->span + (k - i - 1)] = log(x->f[k] - x->f[i] + RATIO_EPS);
}

static void dp_side_free(dp_side *x)
{
	free(x->reach);
	free(x->f);
	free(x->cls);
	free(x->over);
	free(x->lg);
}

/*
 * The DP over candidates [s_lo, s_hi] x [t_lo, t_hi] (t NULL: one side).
 * Appends the chosen cuts (after the start) to acc.  Returns false when no
 * path was found within the band.
 *
 * A state is a pair of candidates (i, j) that both sides have been cut at;
 * a step takes one piece of each, to (i2, j2).  The translation's cut must lie
 * within `band` of the source's (as shares of the chunk), so for each i2 only
 * the window [lo[i2], hi[i2]] of j2 is visited (the shares grow with the
 * index, so the window moves forward with i2).
 */
static bool pair_dp(const side *S, size_t s_lo, size_t s_hi, const side *T, size_t t_lo,
                    size_t t_hi, const tandem__cut_limits *lim, double span_share, double band,
                    plan_acc *acc)
{
	dp_side A, B = {0};
	dp_side_init(&A, S, s_lo, s_hi, &lim->src, lim->strong_only);
	if (T)
		dp_side_init(&B, T, t_lo, t_hi, &lim->tr, lim->strong_only);
	size_t m = A.n, n = T ? B.n : 1;
	size_t *wlo = NULL, *whi = NULL;
	if (T) {
		/* The band's window of j2 for each i2 (whi exclusive). */
		wlo = tandem__xmalloc(m * sizeof *wlo);
		whi = tandem__xmalloc(m * sizeof *whi);
		size_t lo = 0, hi = 0;
		for (size_t i2 = 0; i2 < m; i2++) {
			while (lo < n && B.f[lo] < A.f[i2] - band && fabs(A.f[i2] - B.f[lo]) > band)
				lo++;
			if (hi < lo)
				hi = lo;
			while (hi < n && !(B.f[hi] > A.f[i2] + band && fabs(A.f[i2] - B.f[hi]) > band))
				hi++;
			wlo[i2] = lo;
			whi[i2] = hi;
		}
	}
	cell *g = tandem__xmalloc(m * n * sizeof *g);
	for (size_t k = 0; k < m * n; k++)
		g[k] = (cell){INFINITY, -1, -1};
	g[0].cost = 0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			cell *c0 = &g[i * n + j];
			if (c0->cost == INFINITY || (i == m - 1 && j == n - 1))
				continue;
			if (T && (i == m - 1 || j == n - 1))
				continue;   /* one side ended: no piece may be empty on the other */
			for (size_t i2 = i + 1; i2 <= A.reach[i]; i2++) {
				double ps = A.f[i2] - A.f[i];
				double lps = A.lg[i * A.span + (i2 - i - 1)];
				double cs = A.cls[i2] + (i2 == i + 1 && A.over[i] ? OVERFULL_COST : 0);
				double base = c0->cost + cs + PIECE_COST + dur_cost(lim, ps * span_share);
				if (!T) {
					cell *c1 = &g[i2 * n];
					if (base < c1->cost)
						*c1 = (cell){base, (int32_t)i, 0};
					continue;
				}
				bool last = i2 == m - 1;
				int ks = S->cand[s_lo + i2].cls;
				/* The last source candidate pairs with the last of the translation
				 * only, whatever the band; the others with any but the last. */
				size_t j2a = last ? n - 1 : wlo[i2] > j + 1 ? wlo[i2] : j + 1;
				size_t j2b = last ? n : whi[i2] < n - 1 ? whi[i2] : n - 1;
				if (j2b > B.reach[j] + 1)
					j2b = B.reach[j] + 1;
				for (size_t j2 = j2a; j2 < j2b; j2++) {
					if (!last && fabs(A.f[i2] - B.f[j2]) > band)
						continue;   /* the window's edges, to the last bit */
					double lr = B.lg[j * B.span + (j2 - j - 1)] - lps;
					/* The cut points themselves must correspond: no drift. */
					double dr = A.f[i2] - B.f[j2];
					int kt = T->cand[t_lo + j2].cls;
					double mis = (ks == TANDEM__CUT_SENTENCE) != (kt == TANDEM__CUT_SENTENCE) &&
					                     j2 + 1 < n
					                 ? MISMATCH_COST
					                 : 0;
					double c = base + RATIO_COST * lr * lr + DRIFT_COST * dr * dr + mis +
					           B.cls[j2] + (j2 == j + 1 && B.over[j] ? OVERFULL_COST : 0);
					cell *c1 = &g[i2 * n + j2];
					if (c < c1->cost)
						*c1 = (cell){c, (int32_t)i, (int32_t)j};
				}
			}
		}
	bool ok = g[m * n - 1].cost < INFINITY;
	if (ok) {
		size_t cnt = 0;
		for (int32_t i = (int32_t)m - 1, j = (int32_t)n - 1; i > 0;) {
			cell *c = &g[(size_t)i * n + (size_t)j];
			cnt++;
			i = c->pi;
			j = c->pj;
		}
		for (size_t k = 0; k < cnt; k++)
			acc_push(acc, 0, 0);
		size_t k = acc->n;
		for (int32_t i = (int32_t)m - 1, j = (int32_t)n - 1; i > 0;) {
			cell *c = &g[(size_t)i * n + (size_t)j];
			k--;
			acc->s[k] = s_lo + (size_t)i;
			acc->t[k] = t_lo + (size_t)j;
			i = c->pi;
			j = c->pj;
		}
	}
	dp_side_free(&A);
	if (T)
		dp_side_free(&B);
	free(wlo);
	free(whi);
	free(g);
	return ok;
}

void tandem__cut_plan_free(tandem__cut_plan *p)
{
	free(p->s);
	free(p->t);
	free(p->s_end);
	free(p->t_end);
	free(p->share);
	memset(p, 0, sizeof *p);
}

int tandem__cut_pair(tandem__cutter *c, const char *src, bool src_cjk, const char *tr,
                     bool tr_cjk, const tandem__cut_limits *lim, tandem__cut_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	side S, T;
	side_init(c, &S, src, strlen(src), src_cjk);
	bool bi = tr && *tr;
	if (bi)
		side_init(c, &T, tr, strlen(tr), tr_cjk);
	/* Chunks: split long texts at their best cuts, both sides by the same shares. */
	size_t big = S.ncand > (bi ? T.ncand : 0) ? S.ncand : T.ncand;
	size_t K = big > CHUNK ? (big + CHUNK - 1) / CHUNK : 1;
	if (bi && (S.ncand < K + 1 || T.ncand < K + 1))
		K = 1;
	size_t *cs = tandem__xmalloc((K + 1) * sizeof *cs), *ct = tandem__xmalloc((K + 1) * sizeof *ct);
	cs[0] = ct[0] = 0;
	cs[K] = S.ncand - 1;
	ct[K] = bi ? T.ncand - 1 : 0;
	if (K > 1) {
		double *sh = tandem__xmalloc(K * sizeof *sh);
		for (size_t k = 0; k < K; k++)
			sh[k] = 1;
		if (split_side(&S, 0, S.ncand - 1, sh, K, cs + 1) < 0)
			K = 1, cs[1] = S.ncand - 1;
		else if (bi) {
			/* The translation at the source's shares. */
			double Ws = S.cand[S.ncand - 1].w;
			double prev = 0;
			for (size_t k = 0; k < K; k++) {
				double f = k + 1 < K ? S.cand[cs[k + 1]].w / (Ws > 0 ? Ws : 1) : 1;
				sh[k] = f - prev;
				prev = f;
			}
			if (split_side(&T, 0, T.ncand - 1, sh, K, ct + 1) < 0) {
				K = 1;
				cs[1] = S.ncand - 1;
				ct[1] = T.ncand - 1;
			}
		}
		free(sh);
	}
	plan_acc acc = {0, 0, NULL, NULL, false};
	double Ws = S.cand[S.ncand - 1].w;
	for (size_t k = 0; k < K; k++) {
		double share = Ws > 0 ? (S.cand[cs[k + 1]].w - S.cand[cs[k]].w) / Ws : 1.0 / (double)K;
		if (!pair_dp(&S, cs[k], cs[k + 1], bi ? &T : NULL, ct[k], ct[k + 1], lim, share, BAND,
		             &acc) &&
		    !pair_dp(&S, cs[k], cs[k + 1], bi ? &T : NULL, ct[k], ct[k + 1], lim, share, 2.0,
		             &acc)) {
			/* No path at all (a side too short to pair): the chunk whole. */
			acc_push(&acc, cs[k + 1], bi ? ct[k + 1] : 0);
		}
	}
	size_t P = acc.n;
	plan->npieces = P;
	plan->s = tandem__xmalloc((P + 1) * sizeof *plan->s);
	plan->s_end = tandem__xmalloc((P + 1) * sizeof *plan->s_end);
	plan->share = tandem__xmalloc((P ? P : 1) * sizeof *plan->share);
	if (bi) {
		plan->t = tandem__xmalloc((P + 1) * sizeof *plan->t);
		plan->t_end = tandem__xmalloc((P + 1) * sizeof *plan->t_end);
	}
	plan->s[0] = 0;
	if (bi)
		plan->t[0] = 0;
	size_t ps = 0, pt = 0;
	double Wt = bi ? T.cand[T.ncand - 1].w : 0;
	for (size_t k = 0; k < P; k++) {
		size_t si = acc.s[k], ti = acc.t[k];
		plan->s[k + 1] = S.cand[si].off;
		plan->s_end[k] = S.cand[si].end ? S.cand[si].end : S.cand[si].off;
		double fs = Ws > 0 ? (S.cand[si].w - S.cand[ps].w) / Ws : 1.0 / (double)P;
		plan->share[k] = fs;
		if (side_lines(&S, S.cand_opp[ps], S.cand_opp[si], &lim->src) >
		    (lim->src.max_lines ? lim->src.max_lines : SIZE_MAX))
			plan->overfull++;
		if (bi) {
			plan->t[k + 1] = T.cand[ti].off;
			plan->t_end[k] = T.cand[ti].end ? T.cand[ti].end : T.cand[ti].off;
			double ft = Wt > 0 ? (T.cand[ti].w - T.cand[pt].w) / Wt : 1.0 / (double)P;
			if (P > 1 && fabs(log((ft + RATIO_EPS) / (fs + RATIO_EPS))) > POOR_RATIO)
				plan->poor++;
			else if (lim->strong_only)
				plan->poor++;
			if (side_lines(&T, T.cand_opp[pt], T.cand_opp[ti], &lim->tr) >
			    (lim->tr.max_lines ? lim->tr.max_lines : SIZE_MAX))
				plan->overfull++;
		}
		ps = si;
		pt = ti;
	}
	plan->s_end[P] = strlen(src);
	if (bi)
		plan->t_end[P] = strlen(tr);
	free(acc.s);
	free(acc.t);
	free(cs);
	free(ct);
	side_free(&S);
	if (bi)
		side_free(&T);
	return 0;
}

/* Letters and digits of text[0, len) before each candidate: lt[x] for cand[x].off. */
static size_t *letters_before(const side *d)
{
	size_t *lt = tandem__xmalloc((d->ncand + 1) * sizeof *lt);
	size_t at = 0, n = 0;
	for (size_t x = 0; x < d->ncand; x++) {
		while (at < d->cand[x].off && at < d->len) {
			int32_t cp;
			at += dec(d->s + at, d->len - at, &cp);
			utf8proc_category_t cat = utf8proc_category(cp);
			n += (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			     (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
		}
		lt[x] = n;
	}
	return lt;
}

double tandem__cut_split_min(tandem__cutter *c, const char *text, size_t len, bool cjk,
                             const double *shares, size_t k, size_t min_letters, size_t *offs)
{
	if (k <= 1)
		return 1;
	side d;
	side_init(c, &d, text, len, cjk);
	size_t *lt = letters_before(&d), last = lt[d.ncand - 1], n = 0;
	/* A cut too near either end leaves a short first or last piece. */
	for (size_t x = 0; x < d.ncand; x++)
		if (x == 0 || x + 1 == d.ncand || (lt[x] >= min_letters && last - lt[x] >= min_letters)) {
			d.cand[n] = d.cand[x];
			lt[n++] = lt[x];
		}
	d.ncand = n;
	size_t *pick = tandem__xmalloc(k * sizeof *pick);
	double q = 0;
	for (;;) {
		double cost = split_side(&d, 0, d.ncand - 1, shares, k, pick);
		if (cost < 0)
			break;
		/* a short piece between two cuts: drop its end cut and choose again */
		size_t bad = SIZE_MAX;
		for (size_t x = 1; x + 1 < k && bad == SIZE_MAX; x++)
			if (lt[pick[x]] - lt[pick[x - 1]] < min_letters)
				bad = pick[x];
		if (bad == SIZE_MAX) {
			for (size_t x = 0; x + 1 < k; x++)
				offs[x] = d.cand[pick[x]].off;
			q = exp(-cost / (double)(k - 1) / 4.0);
			break;
		}
		memmove(d.cand + bad, d.cand + bad + 1, (d.ncand - bad - 1) * sizeof *d.cand);
		memmove(lt + bad, lt + bad + 1, (d.ncand - bad - 1) * sizeof *lt);
		d.ncand--;
	}
	free(pick);
	free(lt);
	side_free(&d);
	return q;
}
