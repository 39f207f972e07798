/*
 * tokens.c - the scanning of numbers and URLs that the aligner's anchors
 * (align/align_text.c) and the checker's number and URL rules
 * (check/rules_coverage.c) both do: a number's digits and value, English
 * number words, and the key a URL is compared by.
 *
 * What the two make of them differs, and stays with each: the aligner
 * compares numbers by value ("1,234.5" is one number; "1,2345" is two), the
 * checker by their digits (any ',' or '.' between two digits is skipped);
 * the aligner takes any domain with a known top-level domain for a URL, the
 * checker only http(s)://, www. and e-mail addresses.
 */
#include "tandem_private.h"

#include <strings.h>

/* The code point at s[at] (len bytes in all), or -1 at the end. */
static int32_t cp_at(const char *s, size_t len, size_t at, size_t *width)
{
	int32_t cp = -1;
	*width = at < len ? tandem__utf8_decode(s + at, len - at, &cp) : 0;
	return cp;
}

static bool digit_at(const char *s, size_t len, size_t at)
{
	size_t w;
	return tandem__digit_value(cp_at(s, len, at, &w)) >= 0;
}

/* A separator d (w bytes) at j that the number goes on after, under seps. */
static bool number_goes_on(const char *s, size_t len, size_t j, int32_t d, size_t w, int seps,
                           bool *dot)
{
	if (!digit_at(s, len, j + w))
		return false;
	if (seps == TANDEM__NUM_ANY_SEP)
		return d == ',' || d == '.';
	if ((d == ',' || d == 0xFF0C) && !*dot) {
		/* a thousands separator only before three digits */
		size_t k = j + w, cnt = 0, w2;
		while (tandem__digit_value(cp_at(s, len, k, &w2)) >= 0) {
			k += w2;
			cnt++;
		}
		return cnt == 3;
	}
	if ((d == '.' || d == 0xFF0E) && !*dot) {
		*dot = true;
		return true;
	}
	return false;
}

size_t tandem__number_scan(const char *s, size_t len, int seps, tandem__number *n)
{
	double v = 0, frac = 0, scale = 1;
	bool dot = false;
	size_t j = 0, w;
	n->ndigits = 0;
	n->digits[0] = '\0';
	n->value = 0;
	if (!digit_at(s, len, 0))
		return 0;
	while (j < len) {
		int32_t d = cp_at(s, len, j, &w);
		int dv = tandem__digit_value(d);
		if (dv >= 0) {
			if (n->ndigits < sizeof n->digits - 1)
				n->digits[n->ndigits++] = (char)('0' + dv);
			if (dot) {
				scale /= 10;
				frac += dv * scale;
			} else {
				v = v * 10 + dv;
			}
			j += w;
			continue;
		}
		if (!number_goes_on(s, len, j, d, w, seps, &dot))
			break;
		j += w;
	}
	n->digits[n->ndigits] = '\0';
	n->value = v + frac;
	return j;
}

static const struct {
	const char *w;
	double v;
	bool scale;
} number_words[] = {
	{"zero", 0, 0}, {"one", 1, 0}, {"two", 2, 0}, {"three", 3, 0}, {"four", 4, 0},
	{"five", 5, 0}, {"six", 6, 0}, {"seven", 7, 0}, {"eight", 8, 0}, {"nine", 9, 0},
	{"ten", 10, 0}, {"eleven", 11, 0}, {"twelve", 12, 0}, {"thirteen", 13, 0},
	{"fourteen", 14, 0}, {"fifteen", 15, 0}, {"sixteen", 16, 0}, {"seventeen", 17, 0},
	{"eighteen", 18, 0}, {"nineteen", 19, 0}, {"twenty", 20, 0}, {"thirty", 30, 0},
	{"forty", 40, 0}, {"fifty", 50, 0}, {"sixty", 60, 0}, {"seventy", 70, 0},
	{"eighty", 80, 0}, {"ninety", 90, 0},
	{"hundred", 100, 1}, {"thousand", 1e3, 1}, {"million", 1e6, 1}, {"billion", 1e9, 1},
	{"trillion", 1e12, 1}, {"bn", 1e9, 1},
};

int tandem__number_word(const char *w, size_t n, double *v)
{
	if (n == 0)
		return 0;
	char f = (char)(w[0] | 0x20);
	/* most words start with no number word's letter: skip the table */
	if (!strchr("zotfsenhmb", f))
		return 0;
	for (size_t k = 0; k < sizeof number_words / sizeof *number_words; k++)
		if (number_words[k].w[0] == f && strlen(number_words[k].w) == n &&
		    strncasecmp(number_words[k].w, w, n) == 0) {
			*v = number_words[k].v;
			return number_words[k].scale ? 2 : 1;
		}
	return 0;
}

size_t tandem__url_trim(const char *s, size_t n)
{
	while (n > 0 && strchr(".,:;?!)", s[n - 1]))
		n--;
	return n;
}

size_t tandem__url_key(const char *s, size_t n, char *key, size_t cap)
{
	const char *p = s, *end = s + n;
	if (end - p > 4 && strncasecmp(p, "www.", 4) == 0)
		p += 4;
	while (end > p && end[-1] == '/')
		end--;
	size_t k = 0;
	for (; p < end && k < cap; p++)
		key[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	return k;
}
