/*
 * text.c - measuring text the way a reader sees it (utf8proc grapheme
 * clusters and East Asian width), script detection, and the conversion
 * between plain text and the model's markup.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t tandem__utf8_decode(const char *s, size_t len, int32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	/* Fast paths for the common, well-formed cases; utf8proc checks the rest. */
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (len >= 3 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		int32_t c = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*cp = c;
			return 3;
		}
	}
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate(u, (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

int tandem__digit_value(int32_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 0xFF10 && c <= 0xFF19)
		return c - 0xFF10;
	return -1;
}

long tandem__cjk_numeral(int32_t c)
{
	switch (c) {
	case 0x96F6: case 0x3007: return 0;          /* 零 〇 */
	case 0x4E00: return 1;                       /* 一 */
	case 0x4E8C: case 0x4E24: return 2;          /* 二 两 */
	case 0x4E09: return 3;                       /* 三 */
	case 0x56DB: return 4;                       /* 四 */
	case 0x4E94: return 5;                       /* 五 */
	case 0x516D: return 6;                       /* 六 */
	case 0x4E03: return 7;                       /* 七 */
	case 0x516B: return 8;                       /* 八 */
	case 0x4E5D: return 9;                       /* 九 */
	case 0x5341: return 10;                      /* 十 */
	case 0x767E: return 100;                     /* 百 */
	case 0x5343: return 1000;                    /* 千 */
	case 0x4E07: return 10000;                   /* 万 */
	case 0x4EBF: return 100000000;               /* 亿 */
	default: return -1;
	}
}

bool tandem__is_cjk(int32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) ||   /* radicals, kana, CJK symbols, ideographs */
	       (c >= 0xAC00 && c <= 0xD7AF) ||   /* hangul */
	       (c >= 0xF900 && c <= 0xFAFF) ||   /* compatibility ideographs */
	       (c >= 0xFF00 && c <= 0xFFEF) ||   /* full-width forms */
	       (c >= 0x20000 && c <= 0x3FFFF);   /* extension planes */
}

size_t tandem_text_graphemes(const char *s, size_t len)
{
	size_t n = 0, i = 0;
	utf8proc_int32_t prev = -1, state = 0;
	while (i < len) {
		int32_t c;
		i += tandem__utf8_decode(s + i, len - i, &c);
		if (prev < 0 || utf8proc_grapheme_break_stateful(prev, c, &state))
			n++;
		prev = c;
	}
	return n;
}

size_t tandem_text_width(const char *s, size_t len)
{
	size_t w = 0, i = 0;
	while (i < len) {
		int32_t c;
		i += tandem__utf8_decode(s + i, len - i, &c);
		int cw = utf8proc_charwidth(c);
		if (cw > 0)
			w += (size_t)cw;
	}
	return w;
}

/* Per byte of w (all bytes < 0x80): the top bit set where the byte is >= c. */
#define ONES 0x0101010101010101ull
#define BYTES_GE(w, c) (((w) + (0x80 - (uint64_t)(c)) * ONES) & 0x8080808080808080ull)

/* Punctuation common in CJK text (all Unicode category P): no table look-up. */
static bool cjk_punct(int32_t c)
{
	return c == 0x3001 || c == 0x3002 || (c >= 0x3008 && c <= 0x3011) || c == 0xFF01 ||
	       c == 0xFF08 || c == 0xFF09 || c == 0xFF0C || c == 0xFF1A || c == 0xFF1B ||
	       c == 0xFF1F || (c >= 0x2018 && c <= 0x201D) || c == 0x2014 || c == 0x2026;
}

tandem_script_counts tandem_text_scripts(const char *s, size_t len)
{
	tandem_script_counts k = {0, 0, 0, 0};
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		/* Eight ASCII bytes at a time: letters are [a-z] once 0x20 is set. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, u + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			uint64_t x = w | 0x20 * ONES;
			uint64_t letters = BYTES_GE(x, 'a') & ~BYTES_GE(x, 'z' + 1);
			uint64_t digits = BYTES_GE(w, '0') & ~BYTES_GE(w, '9' + 1);
			/* One flag bit per byte: summing them is a multiply. */
			k.latin += (size_t)(((letters >> 7) * ONES) >> 56);
			k.digits += (size_t)(((digits >> 7) * ONES) >> 56);
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char b = u[i];
		if (b < 0x80) {
			if ((unsigned)((b | 0x20) - 'a') < 26)
				k.latin++;
			else if ((unsigned)(b - '0') < 10)
				k.digits++;
			i++;
			continue;
		}
		/* U+4E00..U+9FFF, the ideograph block, is E4 B8 80 .. E9 BF BF. */
		if (b >= 0xE4 && b <= 0xE9 && i + 3 <= len && (u[i + 1] & 0xC0) == 0x80 &&
		    (u[i + 2] & 0xC0) == 0x80 && (b > 0xE4 || u[i + 1] >= 0xB8)) {
			k.han++;
			i += 3;
			continue;
		}
		int32_t c;
		i += tandem__utf8_decode(s + i, len - i, &c);
		if (c >= 0x4E00 && c <= 0x9FFF) {
			k.han++;
			continue;
		}
		if (cjk_punct(c))
			continue;
		utf8proc_category_t cat = utf8proc_category(c);
		if (cat == UTF8PROC_CATEGORY_ND) {
			k.digits++;
		} else if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
			if (tandem__is_cjk(c))
				k.han++;
			else if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF))
				k.latin++;
			else
				k.other++;
		}
	}
	return k;
}

tandem_script tandem__script_of_counts(tandem_script_counts k)
{
	/* A CJK character carries about as much as a Latin word: weigh it so. */
	size_t cjk = k.han * 3;
	if (!k.latin && !k.han && !k.other)
		return TANDEM_SCRIPT_NONE;
	if (cjk >= k.latin && cjk >= k.other)
		return TANDEM_SCRIPT_CJK;
	if (k.latin >= k.other)
		return TANDEM_SCRIPT_LATIN;
	return TANDEM_SCRIPT_OTHER;
}

tandem_script tandem_text_script(const char *s, size_t len)
{
	return tandem__script_of_counts(tandem_text_scripts(s, len));
}

const char *tandem_script_name(tandem_script s)
{
	switch (s) {
	case TANDEM_SCRIPT_LATIN: return "latin";
	case TANDEM_SCRIPT_CJK: return "cjk";
	case TANDEM_SCRIPT_OTHER: return "other";
	default: return "none";
	}
}

static const struct {
	const char *name;
	const char *utf8;
} entities[] = {
	{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
	{"nbsp", "\xC2\xA0"}, {"lrm", "\xE2\x80\x8E"}, {"rlm", "\xE2\x80\x8F"},
};

/* Decode the entity at s (s[0] == '&'); returns bytes consumed, 0 if none. */
static size_t decode_entity(const char *s, tandem_buf *out)
{
	/* Entities are short: look for the ';' in the next 12 bytes only, so a
	 * line full of '&' stays linear. */
	const char *semi = NULL;
	for (size_t k = 1; k <= 12 && s[k]; k++)
		if (s[k] == ';') {
			semi = s + k;
			break;
		}
	if (!semi)
		return 0;
	size_t n = (size_t)(semi - s - 1);
	if (n >= 2 && s[1] == '#') {
		long cp;
		char *end;
		if (s[2] == 'x' || s[2] == 'X')
			cp = strtol(s + 3, &end, 16);
		else
			cp = strtol(s + 2, &end, 10);
		if (end != semi || cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		utf8proc_uint8_t tmp[4];
		utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)cp, tmp);
		tandem_buf_put(out, (const char *)tmp, (size_t)k);
		return n + 2;
	}
	for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
		if (strlen(entities[i].name) == n && memcmp(entities[i].name, s + 1, n) == 0) {
			tandem_buf_puts(out, entities[i].utf8);
			return n + 2;
		}
	return 0;
}

char *tandem_markup_to_plain(const char *m)
{
	tandem_buf b = TANDEM_BUF_INIT;
	const char *p = m;
	/* Once a '<' has no closing '>', none after it has one either: remember
	 * that instead of scanning to the end again (linear on "<<<<...").
	 * Entities are decoded with a 12-byte look-ahead for the same reason. */
	bool no_more_gt = false;
	while (*p) {
		if (*p == '<' && !no_more_gt) {
			const char *gt = strchr(p, '>');
			if (gt) {
				p = gt + 1;
				continue;
			}
			no_more_gt = true;
		} else if (*p == '&') {
			size_t k = decode_entity(p, &b);
			if (k) {
				p += k;
				continue;
			}
		}
		tandem_buf_putc(&b, *p++);
	}
	return tandem_buf_detach(&b, NULL);
}

char *tandem_plain_to_markup(const char *s)
{
	tandem_buf b = TANDEM_BUF_INIT;
	for (; *s; s++) {
		switch (*s) {
		case '&': tandem_buf_puts(&b, "&amp;"); break;
		case '<': tandem_buf_puts(&b, "&lt;"); break;
		case '>': tandem_buf_puts(&b, "&gt;"); break;
		default: tandem_buf_putc(&b, *s);
		}
	}
	return tandem_buf_detach(&b, NULL);
}
