/*
 * rules_coverage.c - the checker's coverage rules: missing-translation,
 * empty-text, identical-translation, wrong-script, number-mismatch,
 * url-mismatch, name-mismatch and length-ratio.
 *
 * Numbers, URLs and Latin names are read from each side and compared; the
 * scanning of digits, number words and URL keys is the aligner's too
 * (core/tokens.c), with the checker's own separators and URL forms.  The
 * length-ratio rule uses robust statistics (median and median absolute
 * deviation of log(translation/source length)) so that one odd pair stands
 * out of a document whose languages differ in length.
 */
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* ------------------------------------------------------------------ */
/* Tokens: numbers, URLs, Latin names                                  */
/* ------------------------------------------------------------------ */

#define MAX_TOKENS 64
#define TOKEN_LEN 48

typedef struct tokens {
	char v[MAX_TOKENS][TOKEN_LEN];
	bool report[MAX_TOKENS];     /* worth reporting when missing on the other side */
	char shown[MAX_TOKENS][TOKEN_LEN];
	size_t n;
} tokens;

static void tok_add(tokens *t, const char *v, size_t n, bool report, const char *shown,
                    size_t shown_n)
{
	if (t->n == MAX_TOKENS || n == 0)
		return;
	if (n >= TOKEN_LEN)
		n = TOKEN_LEN - 1;
	for (size_t k = 0; k < t->n; k++)
		if (strlen(t->v[k]) == n && memcmp(t->v[k], v, n) == 0) {
			t->report[k] |= report;
			return;
		}
	memcpy(t->v[t->n], v, n);
	t->v[t->n][n] = '\0';
	if (shown_n >= TOKEN_LEN)
		shown_n = TOKEN_LEN - 1;
	memcpy(t->shown[t->n], shown, shown_n);
	t->shown[t->n][shown_n] = '\0';
	t->report[t->n] = report;
	t->n++;
}

static bool tok_has(const tokens *t, const char *v)
{
	for (size_t k = 0; k < t->n; k++)
		if (strcmp(t->v[k], v) == 0)
			return true;
	return false;
}

/*
 * Numbers are compared by their significant digits (leading and trailing
 * zeros and separators dropped), so a translation that moves the scale to
 * its own units still matches: "$100 billion" = "1000亿美元",
 * "1.5 million" = "150万", "3.50" = "3.5".
 */
static void sig_add(tokens *t, const char *digits, size_t n, bool report, const char *shown,
                    size_t shown_n)
{
	size_t a = 0, z = n;
	while (a < z && digits[a] == '0')
		a++;
	while (z > a && digits[z - 1] == '0')
		z--;
	if (a == z)
		tok_add(t, "0", 1, report, shown, shown_n);
	else
		tok_add(t, digits + a, z - a, report, shown, shown_n);
}

static void sig_add_value(tokens *t, unsigned long long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%llu", v);
	sig_add(t, buf, (size_t)n, false, buf, (size_t)n);
}

/* A number word's value (zero to ninety), minus a scale word's (hundred to
 * billion, spelt out), or -1. */
static long english_number(const char *w, size_t n)
{
	double v;
	int k = tandem__number_word(w, n, &v);
	if (k == 1)
		return (long)v;
	if (k == 2 && v <= 1e9 && n > 2)
		return -(long)v;
	return -1;
}

/*
 * Numbers in s: digit runs (ASCII or full-width, with , or . between digits)
 * are reported when they have two digits or more; Chinese numerals and
 * English number words only count as present (a translator may spell out
 * what the other side writes in digits).
 */
static void numbers(const char *s, tokens *t)
{
	size_t len = strlen(s), i = 0;
	char digits[TOKEN_LEN];
	unsigned long long en_total = 0, en_cur = 0;
	bool en_any = false;
	while (i < len) {
		int32_t c;
		size_t k = tandem__utf8_decode(s + i, len - i, &c);
		if (tandem__digit_value(c) >= 0) {
			/* A separator counts only between digits. */
			tandem__number num;
			size_t n = tandem__number_scan(s + i, len - i, TANDEM__NUM_ANY_SEP, &num);
			sig_add(t, num.digits, num.ndigits, num.ndigits >= 2, s + i, n);
			i += n;
			continue;
		}
		int cv = (int)tandem__cjk_numeral(c);
		if (cv >= 0) {
			/* 二〇二四 reads digit by digit; 一千二百 by units. */
			unsigned long long total = 0, section = 0, num = 0;
			bool units = false;
			size_t nd = 0, run = 0;
			while (i < len) {
				size_t k2 = tandem__utf8_decode(s + i, len - i, &c);
				int v = (int)tandem__cjk_numeral(c);
				if (v < 0)
					break;
				if (v >= 10 && run >= 2 && nd >= run) {
					/* 二三十 is "twenty or thirty": each digit with the unit. */
					for (size_t q = nd - run; q + 1 < nd; q++)
						sig_add_value(t, (unsigned long long)(digits[q] - '0') *
						                     (unsigned long long)v);
				}
				if (v < 10) {
					num = (unsigned long long)v;
					run++;
					if (nd < sizeof digits - 1)
						digits[nd++] = (char)('0' + v);
				} else if (v <= 1000) {
					run = 0;
					units = true;
					section += (num ? num : 1) * (unsigned long long)v;
					num = 0;
				} else {
					run = 0;
					units = true;
					total = (total + section + num) * (unsigned long long)v;
					section = num = 0;
				}
				i += k2;
			}
			if (units)
				sig_add_value(t, total + section + num);
			else
				sig_add(t, digits, nd, false, digits, nd);
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			size_t start = i;
			while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
				i++;
			long v = english_number(s + start, i - start);
			if (v >= 0) {
				en_cur += (unsigned long long)v;
				en_any = true;
			} else if (v < -1) {
				/* "a billion": a scale word alone is one of it. */
				if (!en_any)
					en_cur = 1;
				en_any = true;
				unsigned long long scale = (unsigned long long)(-v);
				if (scale == 100)
					en_cur *= 100;
				else {
					en_total += en_cur * scale;
					en_cur = 0;
				}
			} else if (en_any && !(i - start == 3 && strncasecmp(s + start, "and", 3) == 0)) {
				sig_add_value(t, en_total + en_cur);
				en_total = en_cur = 0;
				en_any = false;
			}
			continue;
		}
		if (en_any && c != ' ' && c != '-') {
			sig_add_value(t, en_total + en_cur);
			en_total = en_cur = 0;
			en_any = false;
		}
		i += k;
	}
	if (en_any)
		sig_add_value(t, en_total + en_cur);
}

static bool url_char(unsigned char c)
{
	return c > 0x20 && c < 0x7F && !strchr("<>\"'()[]{}|\\^`", c);
}

/* URLs (scheme://, www.) and e-mail addresses, compared without scheme, www. and case. */
static void urls(const char *s, tokens *t)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len; i++) {
		if (i && url_char((unsigned char)s[i - 1]))
			continue;
		if (!url_char((unsigned char)s[i]))
			continue;
		size_t e = i;
		while (e < len && url_char((unsigned char)s[e]))
			e++;
		e = i + tandem__url_trim(s + i, e - i);
		const char *tok = s + i;
		size_t n = e - i;
		const char *at = memchr(tok, '@', n);
		const char *body = NULL;
		if (n > 8 && strncasecmp(tok, "https://", 8) == 0)
			body = tok + 8;
		else if (n > 7 && strncasecmp(tok, "http://", 7) == 0)
			body = tok + 7;
		else if (n > 4 && strncasecmp(tok, "www.", 4) == 0)
			body = tok;
		else if (at && at > tok && memchr(at, '.', (size_t)(tok + n - at)) && tok + n - at > 3)
			body = tok;
		if (body) {
			char key[TOKEN_LEN];
			size_t m = tandem__url_key(body, (size_t)(tok + n - body), key, sizeof key - 1);
			/* A long one is cut short, maybe after a '/'. */
			while (m && key[m - 1] == '/')
				m--;
			tok_add(t, key, m, true, tok, n);
		}
		i = e;
	}
}

static bool ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Latin words of two letters or more ("GPT-4o", "Node.js", "OpenAI"). */
static void latin_words(const char *s, tokens *t)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ||
		    (i && ascii_alnum((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		size_t e = i;
		while (e < len && (ascii_alnum((unsigned char)s[e]) ||
		                   ((s[e] == '-' || s[e] == '.' || s[e] == '\'') && e + 1 < len &&
		                    ascii_alnum((unsigned char)s[e + 1]))))
			e++;
		size_t letters = 0;
		for (size_t q = i; q < e; q++)
			letters += ((s[q] | 0x20) >= 'a' && (s[q] | 0x20) <= 'z');
		if (letters >= 2)
			tok_add(t, s + i, e - i, true, s + i, e - i);
		i = e;
	}
}

/* Whole-word, case-insensitive search of w in s; a plural -s/-es on s's side still matches. */
static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w), len = strlen(s);
	for (size_t i = 0; i + n <= len; i++) {
		if (strncasecmp(s + i, w, n) != 0)
			continue;
		if (i && ascii_alnum((unsigned char)s[i - 1]))
			continue;
		size_t e = i + n;
		if (e == len || !ascii_alnum((unsigned char)s[e]))
			return true;
		if (s[e] == 's' || s[e] == 'S')
			e++;
		else if (e + 1 < len && s[e] == 'e' && s[e + 1] == 's')
			e += 2;
		else
			continue;
		if (e == len || !ascii_alnum((unsigned char)s[e]))
			return true;
	}
	return false;
}

/* Case- and space-insensitive equality, for "not translated". */
static bool same_text(const char *a, const char *b)
{
	utf8proc_uint8_t *fa = NULL, *fb = NULL;
	int opts = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
	if (utf8proc_map((const utf8proc_uint8_t *)a, 0, &fa, (utf8proc_option_t)opts) < 0 ||
	    utf8proc_map((const utf8proc_uint8_t *)b, 0, &fb, (utf8proc_option_t)opts) < 0) {
		free(fa);
		free(fb);
		return strcmp(a, b) == 0;
	}
	const char *p = (const char *)fa, *q = (const char *)fb;
	bool eq;
	for (;;) {
		while (*p && tandem__check_space((unsigned char)*p))
			p++;
		while (*q && tandem__check_space((unsigned char)*q))
			q++;
		if (!*p || !*q) {
			eq = !*p && !*q;
			break;
		}
		if (*p != *q) {
			eq = false;
			break;
		}
		p++;
		q++;
	}
	free(fa);
	free(fb);
	return eq;
}

/*
 * Worth translating: two words or more with six letters, and not a run of
 * capitalised words (a name or title is often kept as it is).
 */
static bool translatable(const tandem__check_side *m)
{
	const char *s = m->s;
	tandem_script_counts k = m->k;
	if (k.han >= 2)
		return true;
	if (k.latin + k.other < 6)
		return false;
	size_t words = 0, capital = 0;
	bool in = false;
	for (const char *p = s; *p; p++) {
		bool sp = tandem__check_space((unsigned char)*p);
		if (!sp && !in) {
			words++;
			if ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
				capital++;
		}
		in = !sp;
	}
	return words >= 2 && capital < words;
}

/* ------------------------------------------------------------------ */
/* Coverage                                                            */
/* ------------------------------------------------------------------ */

static size_t list_missing(tandem__buf *b, const tokens *have, const tokens *other)
{
	size_t n = 0;
	for (size_t k = 0; k < have->n; k++)
		if (have->report[k] && !tok_has(other, have->v[k])) {
			tandem__buf_puts(b, n++ ? ", " : "");
			tandem__buf_puts(b, have->shown[k]);
		}
	return n;
}

static void check_tokens(tandem__check_ctx *c, size_t i, const tandem__check_side *src,
                         const tandem__check_side *tr, tandem_script S, tandem_script T)
{
	tokens *a = tandem__xcalloc(2, sizeof *a);
	tokens *b = a + 1;
	tandem__buf miss = TANDEM_BUF_INIT;
	if (tandem__check_on(c, TANDEM__RULE_NUMBER)) {
		numbers(src->s, a);
		numbers(tr->s, b);
		size_t n = list_missing(&miss, a, b);
		if (n)
			tandem__check_find(c, TANDEM__RULE_NUMBER, (long)i,
			                   "%s %s in the source %s not in the translation",
			                   n > 1 ? "numbers" : "number", miss.ptr, n > 1 ? "are" : "is");
		tandem__buf_clear(&miss);
		n = list_missing(&miss, b, a);
		if (n)
			tandem__check_find(c, TANDEM__RULE_NUMBER, (long)i,
			                   "%s %s in the translation %s not in the source",
			                   n > 1 ? "numbers" : "number", miss.ptr, n > 1 ? "are" : "is");
		tandem__buf_clear(&miss);
	}
	if (tandem__check_on(c, TANDEM__RULE_URL)) {
		memset(a, 0, 2 * sizeof *a);
		urls(src->s, a);
		urls(tr->s, b);
		list_missing(&miss, a, b);
		if (miss.len)
			tandem__check_find(c, TANDEM__RULE_URL, (long)i,
			                   "%s in the source is not in the translation", miss.ptr);
		tandem__buf_clear(&miss);
		list_missing(&miss, b, a);
		if (miss.len)
			tandem__check_find(c, TANDEM__RULE_URL, (long)i,
			                   "%s in the translation is not in the source", miss.ptr);
		tandem__buf_clear(&miss);
	}
	/* Only across scripts: a Latin word inside Chinese text is a name kept as it is. */
	if (tandem__check_on(c, TANDEM__RULE_NAME) && S != T &&
	    (S == TANDEM_SCRIPT_LATIN || T == TANDEM_SCRIPT_LATIN)) {
		bool tr_is_latin = T == TANDEM_SCRIPT_LATIN;
		const tandem__check_side *nonlatin = tr_is_latin ? src : tr;
		const tandem__check_side *latin = tr_is_latin ? tr : src;
		memset(a, 0, sizeof *a);
		latin_words(nonlatin->s, a);
		for (size_t k = 0; k < a->n; k++)
			if (!has_word(latin->s, a->v[k])) {
				tandem__buf_puts(&miss, miss.len ? ", " : "");
				tandem__buf_puts(&miss, a->shown[k]);
			}
		if (miss.len)
			tandem__check_find(c, TANDEM__RULE_NAME, (long)i, "%s in the %s is not in the %s",
			                   miss.ptr, tr_is_latin ? "source" : "translation",
			                   tr_is_latin ? "translation" : "source");
	}
	tandem__buf_free(&miss);
	free(a);
}

/* Length for ratios: letters and digits, a CJK character weighing three (about a word). */
static double content_len(const tandem__check_side *m)
{
	return (double)(m->k.latin + m->k.other + m->k.digits) + 3.0 * (double)m->k.han;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void check_ratios(tandem__check_ctx *c, const tandem__check_side *src,
                         const tandem__check_side *tr)
{
	const tandem_doc *doc = c->doc;
	size_t n = 0;
	double *x = tandem__xmalloc((doc->nsegs + 1) * sizeof *x);
	double *tmp = tandem__xmalloc((doc->nsegs + 1) * sizeof *tmp);
	double *ls = tandem__xmalloc((doc->nsegs + 1) * sizeof *ls);
	double *lt = tandem__xmalloc((doc->nsegs + 1) * sizeof *lt);
	for (size_t i = 0; i < doc->nsegs; i++) {
		ls[i] = content_len(&src[i]);
		lt[i] = content_len(&tr[i]);
		if (ls[i] >= c->r->ratio_min_chars && lt[i] > 0)
			x[n++] = log(lt[i] / ls[i]);
	}
	/* Too few pairs make no statistics. */
	if (n >= 8) {
		memcpy(tmp, x, n * sizeof *x);
		double med = median(tmp, n);
		for (size_t k = 0; k < n; k++)
			tmp[k] = fabs(x[k] - med);
		double mad = median(tmp, n);
		/* A document of near-identical ratios would make every small step an outlier. */
		if (mad < 0.05)
			mad = 0.05;
		for (size_t i = 0; i < doc->nsegs; i++) {
			if (ls[i] < c->r->ratio_min_chars || lt[i] <= 0)
				continue;
			double xi = log(lt[i] / ls[i]);
			double z = 0.6745 * (xi - med) / mad;
			if (fabs(z) > c->r->ratio_outlier)
				tandem__check_find(
					c, TANDEM__RULE_LENGTH_RATIO, (long)i,
					"translation is unusually %s for its source: length ratio %.2f where "
					"this document's median is %.2f (robust z %.1f)",
					z < 0 ? "short" : "long", exp(xi), exp(med), z);
		}
	}
	free(x);
	free(tmp);
	free(ls);
	free(lt);
}

static size_t script_letters(const tandem__check_side *m, tandem_script which)
{
	tandem_script_counts k = m->k;
	switch (which) {
	case TANDEM_SCRIPT_LATIN: return k.latin;
	case TANDEM_SCRIPT_CJK: return k.han;
	case TANDEM_SCRIPT_OTHER: return k.other;
	default: return 0;
	}
}

void tandem__check_coverage(tandem__check_ctx *c, const tandem__check_side *src,
                            const tandem__check_side *tr, bool bilingual)
{
	const tandem_doc *doc = c->doc;
	tandem_script S = tandem__check_majority_script(src, doc->nsegs),
				  T = tandem__check_majority_script(tr, doc->nsegs);
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *g = &doc->segs[i];
		c->sum->chars += src[i].chars;
		if (src[i].blank) {
			if (!bilingual || tr[i].blank)
				tandem__check_find(c, TANDEM__RULE_EMPTY_TEXT, (long)i, "segment %zu is empty",
				                   i + 1);
			else
				tandem__check_find(c, TANDEM__RULE_EMPTY_TEXT, (long)i,
				                   "segment %zu has a translation but no source text", i + 1);
			continue;
		}
		if (!bilingual)
			continue;
		if (tr[i].blank) {
			tandem__check_find(c, TANDEM__RULE_MISSING_TRANSLATION, (long)i,
			                   g->translation ? "segment %zu: the translation is empty"
			                                  : "segment %zu has no translation",
			                   i + 1);
			continue;
		}
		c->sum->translated++;
		c->sum->chars_translated += src[i].chars;
		/* Case folding is dear: only texts in one script can be the same. */
		bool same = src[i].script == tr[i].script && same_text(src[i].s, tr[i].s);
		if (tandem__check_on(c, TANDEM__RULE_IDENTICAL) && same && translatable(&src[i])) {
			tandem__check_find(c, TANDEM__RULE_IDENTICAL, (long)i,
			                   "the translation is the source text (not translated)");
			continue;
		}
		/*
		 * Names kept in Latin make a Chinese line mostly Latin at times; a
		 * side is in the wrong script only when it has none of its own.  A
		 * name kept whole on both sides is not in the wrong script.
		 */
		if (S != T && S != TANDEM_SCRIPT_NONE && T != TANDEM_SCRIPT_NONE &&
		    !same) {
			if (!script_letters(&tr[i], T) && script_letters(&tr[i], S))
				tandem__check_find(
					c, TANDEM__RULE_WRONG_SCRIPT, (long)i,
					"the translation is in %s script; this document translates into %s",
					tandem_script_name(S), tandem_script_name(T));
			else if (!script_letters(&src[i], S) && script_letters(&src[i], T))
				tandem__check_find(c, TANDEM__RULE_WRONG_SCRIPT, (long)i,
				                   "the source text is in %s script; this document's source is %s",
				                   tandem_script_name(T), tandem_script_name(S));
		}
		check_tokens(c, i, &src[i], &tr[i], S, T);
	}
	if (bilingual && tandem__check_on(c, TANDEM__RULE_LENGTH_RATIO))
		check_ratios(c, src, tr);
}
