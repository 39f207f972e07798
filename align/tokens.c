/*
 * tokens.c - what the aligner reads from one segment's text: its length
 * in graphemes, its tokens (words, numbers by value, URLs), how it ends, its
 * ? and ! marks; and how a translation is cut to fit several source
 * segments, or joined from several lines.
 *
 * Numbers are compared by value so that "$100 billion", "1000亿" and
 * "100 Billion" meet, and "三个" meets "three".  Chinese numerals are only
 * taken where they are plainly quantities (followed by a classifier or
 * holding a multiplier), because 一 and 十 also live inside ordinary words
 * (一些, 统一, 十分).
 */
#include "align_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void tandem__tokens_push(tandem__tokens *t, uint64_t hash, bool anchor, int kind)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = tandem__xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n].hash = hash;
	t->v[t->n].anchor = anchor;
	t->v[t->n].kind = (unsigned)kind;
	t->n++;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_BASIS 0xcbf29ce484222325ULL

uint64_t tandem__align_number_hash(double value)
{
	char tmp[40];
	/* Six significant digits: 1.5e9 and 1500000000 are one value. */
	int n = snprintf(tmp, sizeof tmp, "#%.6g", value);
	return fnv(FNV_BASIS, tmp, (size_t)n);
}

uint64_t tandem__align_word_hash(const char *w, size_t len)
{
	char tmp[64];
	size_t n = 0;
	for (size_t i = 0; i < len && n < sizeof tmp; i++) {
		if (w[i] == '\'' || w[i] == '\xe2')
			break; /* possessive or contraction: keep the stem */
		tmp[n++] = (char)tolower((unsigned char)w[i]);
	}
	/* A crude plural: GPUs meets GPU, chips chip, but class stays class. */
	bool acronym = n >= 3 && w[n - 1] == 's' && isupper((unsigned char)w[n - 2]);
	if (acronym || (n > 3 && tmp[n - 1] == 's' && tmp[n - 2] != 's' && tmp[n - 2] != 'u' &&
	                tmp[n - 2] != 'i'))
		n--;
	return fnv(FNV_BASIS ^ 0x5a, tmp, n);
}

static uint64_t url_hash(const char *s, size_t n)
{
	char tmp[256];
	const char *p = s, *end = s + n;
	/* any scheme, wherever its :// is */
	for (const char *q = s; q + 3 <= end; q++)
		if (memcmp(q, "://", 3) == 0) {
			p = q + 3;
			break;
		}
	size_t k = tandem__url_key(p, (size_t)(end - p), tmp, sizeof tmp);
	return fnv(FNV_BASIS ^ 0xa5, tmp, k);
}

/* ---- code point helpers ---- */

static bool is_space_cp(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == 0xA0;
}

static bool is_latin_letter(int32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c >= 0xC0 && c < 0x250 && c != 0xD7 && c != 0xF7)
		return true;
	return false;
}

/* A Chinese digit 0-9 (两 and 〇 included), else -1. */
static int cn_digit(int32_t c)
{
	long v = tandem__cjk_numeral(c);
	return v >= 0 && v < 10 ? (int)v : -1;
}

/* A Chinese multiplier (十 百 千 万 亿), else 0. */
static double cn_unit(int32_t c)
{
	long v = tandem__cjk_numeral(c);
	return v >= 10 ? (double)v : 0;
}

/* Characters after which a Chinese numeral is surely a quantity. */
static bool cn_classifier(int32_t c)
{
	static const int32_t cls[] = {
		0x4E2A, 0x5E74, 0x6708, 0x65E5, 0x5929, 0x6B21, 0x500D, 0x4F4D, 0x5BB6, 0x79CD,
		0x540D, 0x4EBA, 0x5C81, 0x79D2, 0x5C0F, 0x5468, 0x6761, 0x9879, 0x70B9, 0x6B3E,
		0x53F0, 0x5757, 0x7F8E, 0x5143, 0x7EA7, 0x5C42, 0x4EF6, 0x767E, 0x5343, 0x4E07,
		0x4EBF, 0x5E74, 0x4EE3, 0x5F20, 0x7BC7, 0x672C, 0x53E5, 0x6B65, 0x90E8,
		0x961F, 0x5F8B, 0x8F6E, 0x500B, 0x5104, 0x842C, 0x5927,
	};
	/* 个 年 月 日 天 次 倍 位 家 种 名 人 岁 秒 小 周 条 项 点 款 台 块 美 元 级 层 件
	 * 百 千 万 亿 年 代 张 篇 本 句 步 部 队 律 轮 個 億 萬 大 */
	for (size_t i = 0; i < sizeof cls / sizeof *cls; i++)
		if (cls[i] == c)
			return true;
	return false;
}

typedef struct cursor {
	const char *s;
	size_t len, i;
} cursor;

static int32_t peek_cp(const cursor *c, size_t at, size_t *width)
{
	int32_t cp = 0;
	if (at >= c->len) {
		if (width)
			*width = 0;
		return -1;
	}
	size_t w = tandem__utf8_decode(c->s + at, c->len - at, &cp);
	if (width)
		*width = w;
	return cp;
}

/* An English number word from two up (1), a scale word (2), or "one" and
 * "a" (3: only a number before a scale word); 0 otherwise, and for words
 * over eight letters (seventeen among them). */
static int en_number_word(const char *w, size_t n, double *v)
{
	double x;
	int k = n > 8 ? 0 : tandem__number_word(w, n, &x);
	if ((k == 1 && x == 1) || (n == 1 && (w[0] == 'a' || w[0] == 'A'))) {
		*v = 1;
		return 3;
	}
	if (k == 0 || x == 0)
		return 0;
	*v = x;
	return k;
}

/* Span of the Latin word starting at i (letters, digits, inner ' and -). */
static size_t word_end(const cursor *c, size_t i)
{
	size_t j = i;
	while (j < c->len) {
		size_t w;
		int32_t cp = peek_cp(c, j, &w);
		if (is_latin_letter(cp) || (cp >= '0' && cp <= '9')) {
			j += w;
			continue;
		}
		if (cp == '\'' || cp == 0x2019) {
			size_t w2;
			int32_t nx = peek_cp(c, j + w, &w2);
			if (is_latin_letter(nx)) {
				j += w;
				continue;
			}
		}
		break;
	}
	return j;
}

/* Skip spaces from i; returns the new position. */
static size_t skip_spaces(const cursor *c, size_t i)
{
	while (i < c->len) {
		size_t w;
		int32_t cp = peek_cp(c, i, &w);
		if (cp != ' ' && cp != '-')
			break;
		i += w;
	}
	return i;
}

/* Multiply by the scale word or Chinese multipliers after position i. */
static size_t apply_scale(const cursor *c, size_t i, double *v)
{
	size_t j = i, w;
	bool any = false;
	/* "10 亿": a space may sit between digits and a Chinese multiplier */
	while (peek_cp(c, j, &w) == ' ' && cn_unit(peek_cp(c, j + w, NULL)) > 0)
		j += w;
	for (;;) {
		int32_t cp = peek_cp(c, j, &w);
		double u = cn_unit(cp);
		if (u == 0)
			break;
		*v *= u;
		j += w;
		any = true;
	}
	if (any)
		return j;
	size_t k = skip_spaces(c, i);
	int32_t cp = peek_cp(c, k, &w);
	if (is_latin_letter(cp)) {
		size_t e = word_end(c, k);
		double sv;
		if (en_number_word(c->s + k, e - k, &sv) == 2 && sv >= 100) {
			*v *= sv;
			return e;
		}
		/* 5k, 10K */
		if (k == i && e - k == 1 && (c->s[k] == 'k' || c->s[k] == 'K')) {
			*v *= 1000;
			return e;
		}
	}
	return i;
}

static void push_number(tandem__tokens *out, double v)
{
	if (v > 0 && isfinite(v))
		tandem__tokens_push(out, tandem__align_number_hash(v), true, TANDEM__TOK_NUMBER);
}

/* A Chinese numeral starting at i; returns the end, or i when it is not one. */
static size_t cn_numeral(const cursor *c, size_t i, int32_t prev, tandem__tokens *out)
{
	double total = 0, sec = 0, num = 0;
	size_t j = i, w, nchars = 0;
	bool has_digit = false, has_unit = false, percent = false;
	int32_t first = peek_cp(c, i, &w);
	if (prev == 0x7B2C) /* 第: an ordinal */
		return i;
	/* 百分之N */
	if (first == 0x767E) {
		size_t w2, w3;
		int32_t a = peek_cp(c, i + w, &w2);
		int32_t b = peek_cp(c, i + w + w2, &w3);
		if (a == 0x5206 && b == 0x4E4B) {
			percent = true;
			j = i + w + w2 + w3;
			first = peek_cp(c, j, &w);
		}
	}
	if (cn_digit(first) < 0 && first != 0x5341)
		return i;
	for (;;) {
		int32_t cp = peek_cp(c, j, &w);
		int d = cn_digit(cp);
		double u = cn_unit(cp);
		if (d >= 0) {
			num = d;
			has_digit = true;
		} else if (u == 10 || u == 100 || u == 1000) {
			sec += (num ? num : 1) * u;
			num = 0;
			has_unit = true;
		} else if (u == 1e4) {
			sec = (sec + num) * u;
			total += sec;
			sec = num = 0;
			has_unit = true;
		} else if (u == 1e8) {
			total = (total + sec + num) * u;
			sec = num = 0;
			has_unit = true;
		} else {
			break;
		}
		j += w;
		nchars++;
	}
	double v = total + sec + num;
	int32_t next = peek_cp(c, j, NULL);
	if (next == 0x51E0 || next == 0x591A) /* 几 多: "ten-odd", not a value */
		return j;
	if (next == 0x5206 && peek_cp(c, j + 3, NULL) == 0x949F) /* 分钟 */
		next = 0x4E2A;
	bool quantity = percent || cn_classifier(next) || (has_unit && nchars >= 2) ||
	                (has_unit && has_digit);
	if (!quantity || v < 2 || (nchars == 1 && !percent && !cn_classifier(next)))
		return j;
	push_number(out, v);
	return j;
}

/* A run that looks like a URL or a domain (ramp.com/invest). */
static size_t url_end(const cursor *c, size_t i)
{
	static const char *tlds[] = {"com", "org", "net", "io", "ai", "co", "edu", "gov",
	                             "dev", "app", "me", "tv", "uk", "cn", "fm", "ly", "xyz"};
	size_t j = i;
	while (j < c->len) {
		unsigned char ch = (unsigned char)c->s[j];
		if (isalnum(ch) || strchr("./:_-~?=&%#+@", ch))
			j++;
		else
			break;
	}
	j = i + tandem__url_trim(c->s + i, j - i);
	if (j - i < 4)
		return i;
	const char *s = c->s + i;
	size_t n = j - i;
	for (size_t k = 0; k + 3 <= n; k++)
		if (memcmp(s + k, "://", 3) == 0)
			return j;
	/* label.tld followed by the end, '/' or ':' */
	for (size_t k = 1; k < n; k++) {
		if (s[k] != '.')
			continue;
		size_t e = k + 1;
		while (e < n && isalpha((unsigned char)s[e]))
			e++;
		if (e < n && s[e] != '/' && s[e] != ':' && s[e] != '.')
			continue;
		for (size_t t = 0; t < sizeof tlds / sizeof *tlds; t++)
			if (strlen(tlds[t]) == e - k - 1 && strncasecmp(s + k + 1, tlds[t], e - k - 1) == 0)
				return j;
	}
	return i;
}

void tandem__align_tokens(const char *s, size_t len, bool cjk_doc, tandem__tokens *out)
{
	cursor c = {s, len, 0};
	int32_t prev = 0;
	while (c.i < len) {
		size_t w;
		int32_t cp = peek_cp(&c, c.i, &w);
		if (cp < 0x80 && isalnum(cp)) {
			size_t u = url_end(&c, c.i);
			if (u > c.i) {
				tandem__tokens_push(out, url_hash(s + c.i, u - c.i), true, TANDEM__TOK_URL);
				c.i = u;
				prev = 0;
				continue;
			}
		}
		if (tandem__digit_value(cp) >= 0) {
			tandem__number num;
			size_t j = c.i + tandem__number_scan(s + c.i, len - c.i, TANDEM__NUM_GROUPED, &num);
			double v = num.value;
			j = apply_scale(&c, j, &v);
			push_number(out, v);
			/* a word glued to digits (H100, 5x) is also a word */
			c.i = j;
			prev = '0';
			continue;
		}
		if (is_latin_letter(cp)) {
			size_t e = word_end(&c, c.i);
			double v;
			int nw = en_number_word(s + c.i, e - c.i, &v);
			if (nw == 1 || nw == 3) {
				size_t k = skip_spaces(&c, e), w2;
				if (nw == 1 && is_latin_letter(peek_cp(&c, k, &w2))) {
					/* twenty-five */
					size_t e2 = word_end(&c, k);
					double v2;
					if (v >= 20 && en_number_word(s + k, e2 - k, &v2) == 1 && v2 < 10) {
						v += v2;
						e = e2;
					}
				}
				double before = v;
				size_t e3 = apply_scale(&c, e, &v);
				if (nw == 1 || v != before) {
					push_number(out, v);
					c.i = e3;
					prev = 'a';
					continue;
				}
			}
			bool has_digit = false;
			for (size_t k = c.i; k < e; k++)
				if (isdigit((unsigned char)s[k]))
					has_digit = true;
			bool capital = cp < 0x80 ? isupper(cp) : utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
			bool anchor = cjk_doc || capital || has_digit;
			if (e - c.i >= 2 || capital)
				tandem__tokens_push(out, tandem__align_word_hash(s + c.i, e - c.i), anchor,
				                    TANDEM__TOK_WORD);
			c.i = e;
			prev = 'a';
			continue;
		}
		if (cn_digit(cp) >= 0 || cp == 0x5341 || cp == 0x767E) {
			size_t e = cn_numeral(&c, c.i, prev, out);
			if (e > c.i) {
				c.i = e;
				prev = '0';
				continue;
			}
		}
		prev = cp;
		c.i += w;
	}
}

size_t tandem__align_length(const char *s, size_t len)
{
	size_t spaces = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			spaces++;
	size_t g = tandem_text_graphemes(s, len);
	return g > spaces ? g - spaces : 0;
}

/* The last code point of s[0..len) and where it starts. */
static int32_t last_cp(const char *s, size_t len, size_t *start)
{
	if (!len)
		return -1;
	size_t i = len - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	int32_t cp;
	tandem__utf8_decode(s + i, len - i, &cp);
	*start = i;
	return cp;
}

static bool is_closer(int32_t c)
{
	return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
	       c == 0x300D || c == 0x300F || c == 0x300B || c == 0xFF09 || c == 0x3011 ||
	       c == '*' || c == '_';
}

tandem__end_class tandem__align_end(const char *s, size_t len)
{
	size_t at;
	for (;;) {
		int32_t c = last_cp(s, len, &at);
		if (c < 0)
			return TANDEM__END_MID;
		if (is_space_cp(c) || is_closer(c)) {
			len = at;
			continue;
		}
		if (c == 0x3002 || c == 0xFF1F || c == 0xFF01 || c == '?' || c == '!' || c == 0xFF0E)
			return TANDEM__END_FINAL;
		if (c == '.') {
			/* "..." trails off: the sentence goes on */
			return at > 0 && s[at - 1] == '.' ? TANDEM__END_MID : TANDEM__END_FINAL;
		}
		return TANDEM__END_MID;
	}
}

void tandem__align_marks(const char *s, size_t len, unsigned *q, unsigned *x)
{
	tandem__align_punct p;
	tandem__align_punctuation(s, len, &p);
	*q = p.questions;
	*x = p.exclaims;
}

/* ---- cutting and joining ---- */

static bool is_final_punct(int32_t c)
{
	return c == 0x3002 || c == 0xFF1F || c == 0xFF01 || c == '.' || c == '?' || c == '!' ||
	       c == 0x2026;
}

static bool is_punct_cp(int32_t c)
{
	if (c < 0)
		return false;
	utf8proc_category_t cat = utf8proc_category(c);
	return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

void tandem__align_split(const char *s, size_t len, const double *weights, size_t k,
                         size_t *cuts)
{
	if (k < 2)
		return;
	/* Boundaries: byte offset, graphemes before it, and how bad a cut there is. */
	size_t cap = len + 1, nb = 0;
	size_t *off = tandem__xmalloc(cap * sizeof *off);
	size_t *pos = tandem__xmalloc(cap * sizeof *pos);
	double *pen = tandem__xmalloc(cap * sizeof *pen);
	size_t i = 0, g = 0;
	int32_t prev = -1, state = 0;
	while (i < len) {
		int32_t c;
		size_t w = tandem__utf8_decode(s + i, len - i, &c);
		bool brk = prev < 0 || utf8proc_grapheme_break_stateful(prev, c, &state);
		if (brk && prev >= 0) {
			double p;
			if (is_punct_cp(c) && !is_space_cp(prev))
				p = 10;    /* never start a piece with punctuation */
			else if (is_final_punct(prev) || prev == 0x2014)
				p = 0;
			else if (is_punct_cp(prev))
				p = 0.05;
			else if (is_space_cp(prev) || is_space_cp(c))
				p = 0.12;
			else if (tandem__is_cjk(prev) && tandem__is_cjk(c))
				p = 0.25;
			else
				p = 10;    /* inside a Latin word */
			off[nb] = i;
			pos[nb] = g;
			pen[nb] = p;
			nb++;
		}
		if (brk && !is_space_cp(c))
			g++;
		prev = c;
		i += w;
	}
	double total = 0;
	for (size_t p = 0; p < k; p++)
		total += weights[p] > 0 ? weights[p] : 0;
	if (total <= 0)
		total = 1;
	double acc = 0, gl = g ? (double)g : 1;
	size_t from = 0;
	for (size_t p = 0; p + 1 < k; p++) {
		acc += weights[p] > 0 ? weights[p] : 0;
		double target = acc / total * gl;
		size_t best = SIZE_MAX;
		double bestv = 0;
		/* leave room for the pieces still to come */
		size_t stop = nb > (k - 2 - p) ? nb - (k - 2 - p) : 0;
		for (size_t b = from; b < stop; b++) {
			double v = fabs((double)pos[b] - target) / gl + pen[b];
			if (best == SIZE_MAX || v < bestv) {
				best = b;
				bestv = v;
			}
		}
		if (best == SIZE_MAX) {
			cuts[p] = p ? cuts[p - 1] : 0;
			continue;
		}
		cuts[p] = off[best];
		from = best + 1;
	}
	free(off);
	free(pos);
	free(pen);
}

static bool cjkish(int32_t c)
{
	return tandem__is_cjk(c) || (c >= 0x3000 && c <= 0x303F);
}

void tandem__align_join(tandem__buf *a, const char *b)
{
	while (*b == ' ')
		b++;
	if (!*b)
		return;
	if (a->len) {
		size_t at;
		int32_t l = last_cp(a->ptr, a->len, &at);
		int32_t f;
		tandem__utf8_decode(b, strlen(b), &f);
		if (!(cjkish(l) && cjkish(f)) && l != ' ')
			tandem__buf_putc(a, ' ');
	}
	tandem__buf_puts(a, b);
}

static bool abbreviation(const char *s, size_t at)
{
	/* the word before the '.' at s[at] */
	size_t b = at;
	while (b > 0 && isalpha((unsigned char)s[b - 1]))
		b--;
	size_t n = at - b;
	if (n == 1)
		return true; /* U.S., e.g., J. Smith */
	static const char *const ab[] = {"mr", "mrs", "ms", "dr", "st", "vs", "etc", "inc", "jr", "sr"};
	for (size_t k = 0; k < sizeof ab / sizeof *ab; k++)
		if (strlen(ab[k]) == n && strncasecmp(ab[k], s + b, n) == 0)
			return true;
	return false;
}

unsigned tandem__align_sentences(const char *s, size_t len)
{
	tandem__align_punct p;
	tandem__align_punctuation(s, len, &p);
	return p.sentences;
}

/* The four counts in one pass over the text: each code point decoded once. */
void tandem__align_punctuation(const char *s, size_t len, tandem__align_punct *p)
{
	memset(p, 0, sizeof *p);
	size_t i = 0;
	bool prev_mark = false;
	while (i < len) {
		int32_t c;
		size_t w = tandem__utf8_decode(s + i, len - i, &c);
		if (c == '?' || c == 0xFF1F)
			p->questions++;
		else if (c == '!' || c == 0xFF01)
			p->exclaims++;
		/* sentence ends: a run of marks counts once */
		bool mark = false;
		if (c == 0x3002 || c == 0xFF1F || c == 0xFF01 || c == '?' || c == '!') {
			mark = true;
		} else if (c == '.') {
			bool dots = (i > 0 && s[i - 1] == '.') || (i + 1 < len && s[i + 1] == '.');
			bool after = i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '"' || s[i + 1] == '\'';
			mark = !dots && after && !abbreviation(s, i);
		}
		if (mark && !prev_mark)
			p->sentences++;
		prev_mark = mark;
		/* a comma between digits is a thousands separator */
		bool digits = c == ',' && i > 0 && i + 1 < len && isdigit((unsigned char)s[i - 1]) &&
		              isdigit((unsigned char)s[i + 1]);
		if (((c == ',' || c == ';' || c == ':') && !digits) || c == 0xFF0C || c == 0xFF1B ||
		    c == 0xFF1A || c == 0x3001 || c == 0x2014)
			p->clauses++;
		i += w;
	}
}

bool tandem__align_aside(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return false;
	static const char *const notes[] = {"译者注", "译注", "注：", "注:", "TN:", "T/N", "Translator's note"};
	for (size_t k = 0; k < sizeof notes / sizeof *notes; k++) {
		size_t n = strlen(notes[k]);
		/* after an opening bracket, or at the start */
		for (size_t off = 0; off <= 3 && off + n <= len; off++)
			if (strncmp(s + off, notes[k], n) == 0 && (off == 0 || !isalnum((unsigned char)s[0])))
				return true;
	}
	int32_t first, last;
	size_t at;
	tandem__utf8_decode(s, len, &first);
	last = last_cp(s, len, &at);
	static const int32_t open[] = {'[', '(', 0x3010, 0xFF08, 0xFF3B, '{'};
	static const int32_t close[] = {']', ')', 0x3011, 0xFF09, 0xFF3D, '}'};
	for (size_t k = 0; k < sizeof open / sizeof *open; k++)
		if (first == open[k]) {
			for (size_t c = 0; c < sizeof close / sizeof *close; c++)
				if (last == close[c])
					return true;
			/* (译者注：...)。 */
			if (at > 0) {
				size_t at2;
				int32_t l2 = last_cp(s, at, &at2);
				for (size_t c = 0; c < sizeof close / sizeof *close; c++)
					if (l2 == close[c] && is_punct_cp(last))
						return true;
			}
		}
	return false;
}

unsigned tandem__align_clauses(const char *s, size_t len)
{
	tandem__align_punct p;
	tandem__align_punctuation(s, len, &p);
	return p.clauses;
}

/*
 * The units the learned word-translation table (model1.c) works on.
 * A Latin text gives its words (lower-cased, as tandem__align_word_hash
 * normalises them; numbers are left to the anchors).  A CJK text gives its
 * CJK characters: Chinese is not cut into words, and a character is the
 * unit a word's translation is spelt with (模型 for "model": 模 and 型 both
 * learn it).  Character bigrams were tried too: on the benchmark they
 * doubled the cost and found fewer dropped lines, their counts being too
 * thin in one document.  Latin words inside a CJK text are anchors already
 * and are skipped here.
 */
void tandem__align_units(const char *s, size_t len, bool cjk_doc, tandem__tokens *out)
{
	cursor c = {s, len, 0};
	while (c.i < len) {
		size_t w;
		int32_t cp = peek_cp(&c, c.i, &w);
		if (cjk_doc) {
			/* not CJK punctuation nor full-width forms */
			if (tandem__is_cjk(cp) && !(cp >= 0x3000 && cp < 0x3040) &&
			    !(cp >= 0xFF00 && cp < 0xFFF0))
				tandem__tokens_push(out, fnv(FNV_BASIS ^ 0x3c, s + c.i, w), false,
				                    TANDEM__TOK_WORD);
			c.i += w;
			continue;
		}
		if (is_latin_letter(cp)) {
			size_t e = word_end(&c, c.i);
			bool digits = false;
			for (size_t k = c.i; k < e; k++)
				digits |= s[k] >= '0' && s[k] <= '9';
			if (!digits)
				tandem__tokens_push(out, tandem__align_word_hash(s + c.i, e - c.i), false,
				                    TANDEM__TOK_WORD);
			c.i = e;
			continue;
		}
		c.i += w;
	}
}
