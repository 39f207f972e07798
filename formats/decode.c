/*
 * decode.c - bytes in, UTF-8 out.
 *
 * Order of decisions (first that applies wins):
 *   1. --encoding NAME given: iconv from NAME, no guessing.
 *   2. UTF-8 BOM (EF BB BF): strip it.  UTF-16 BOM (FF FE / FE FF): transcode.
 *   3. NUL bytes in the first 8 KiB: binary data, not text (an error).
 *   4. Valid UTF-8: take it as is.
 *   5. Otherwise GB18030 (a superset of GB2312 and GBK, the encoding of
 *      most legacy Chinese subtitle files), then Big5: the first that
 *      decodes the whole input without error wins, and a warning says so.
 *   6. Nothing fits: an error at the first invalid byte.
 */
#include "internal.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static size_t utf8_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		/* Eight ASCII bytes at a time: most subtitle bytes are ASCII. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		/* Three-byte sequences that cannot be overlong or a surrogate: all of
		 * CJK text, checked without decoding. */
		if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 3 <= len &&
		    (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		size_t n;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n > len)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n;
	}
	return len;
}

typedef struct half {
	const char *s;
	size_t len, bad;
} half;

static void *check_half(void *arg)
{
	half *h = arg;
	h->bad = utf8_check(h->s, h->len);
	return NULL;
}

/* Big inputs are checked in two halves at once: a 100 MB file takes 60 ms on one core. */
size_t tandem__utf8_check(const char *s, size_t len)
{
	if (len < (16u << 20))
		return utf8_check(s, len);
	/* Split at the start of a character, so no valid sequence straddles the halves. */
	size_t mid = len / 2;
	for (int k = 0; k < 3 && ((unsigned char)s[mid] & 0xC0) == 0x80; k++)
		mid++;
	half second = {s + mid, len - mid, 0};
	pthread_t t;
	if (pthread_create(&t, NULL, check_half, &second))
		return utf8_check(s, len);
	size_t bad = utf8_check(s, mid);
	pthread_join(t, NULL);
	if (bad < mid)
		return bad;
	return second.bad == second.len ? len : mid + second.bad;
}

/* iconv the whole input; 0 on success. */
static int convert(const char *from, const char *data, size_t len, char **out, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return TANDEM_EFORMAT;
	size_t cap = len * 2 + 16;
	char *buf = tandem__xmalloc(cap);
	char *in = (char *)data;
	size_t inleft = len;
	char *o = buf;
	size_t oleft = cap - 1;
	int rc = 0;
	while (inleft) {
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - buf);
			cap *= 2;
			buf = tandem__xrealloc(buf, cap);
			o = buf + used;
			oleft = cap - used - 1;
			continue;
		}
		rc = TANDEM_EENCODING;
		break;
	}
	if (!rc && iconv(cd, NULL, NULL, &o, &oleft) == (size_t)-1)
		rc = TANDEM_EENCODING;
	iconv_close(cd);
	if (rc) {
		free(buf);
		return rc;
	}
	*o = '\0';
	*outlen = (size_t)(o - buf);
	*out = buf;
	return 0;
}

/* Line and column (bytes) of an offset, for messages about raw input. */
static void position_of(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
			l++;
			c = 1;
		} else if (s[i] != '\r') {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/*
 * Text with a few NUL bytes (WebVTT's own tests have one) is still text:
 * each NUL becomes U+FFFD, as the WebVTT parser does.  Many NULs or other
 * control bytes mean binary data, which is refused rather than turned into
 * an empty or garbled output.  Control bytes alone do not, in valid UTF-8
 * without a NUL: that is what tandem's own writers emit (a NUL in text is
 * written as U+FFFD), and a cue holding a few stray controls, written out
 * without the blank lines and stray text around it, would otherwise come
 * back refused (found by fuzz_srt, fixtures/regress/srt-controls-binary.srt).
 */
static bool looks_binary(const char *data, size_t len)
{
	size_t probe = len < 8192 ? len : 8192, nul = 0, ctl = 0;
	for (size_t i = 0; i < probe; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == 0)
			nul++;
		else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B)
			ctl++;
	}
	if (nul * 20 > probe)
		return true;
	if ((nul + ctl) * 10 <= probe)
		return false;
	if (nul)
		return true;
	/* A sequence cut by the end of the probe is not an invalid one. */
	return tandem__utf8_check(data, probe) + (probe < len ? 4 : 0) < probe;
}

static char *replace_nuls(const char *data, size_t len, size_t *outlen)
{
	tandem_buf b = TANDEM_BUF_INIT;
	tandem_buf_grow(&b, len + 16);
	for (size_t i = 0; i < len; i++) {
		if (data[i])
			tandem_buf_putc(&b, data[i]);
		else
			tandem_buf_puts(&b, "\xEF\xBF\xBD");
	}
	return tandem_buf_detach(&b, outlen);
}

/*
 * Every Big5 byte pair is also a valid GBK pair, so "decodes without error"
 * cannot tell them apart.  Their trail bytes can: GB2312, where nearly all
 * Simplified Chinese text lives, has trail bytes 0xA1-0xFE only, while about
 * a third of Big5's common characters have a trail byte in 0x40-0x7E.
 */
static bool big5_likely(const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	size_t pairs = 0, low = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (u[i] < 0x81)
			continue;
		pairs++;
		if (u[i + 1] >= 0x40 && u[i + 1] <= 0x7E)
			low++;
		i++;
	}
	return pairs >= 4 && low * 5 > pairs;
}

static const char *const gb_first[] = {"GB18030", "BIG5"};
static const char *const big5_first[] = {"BIG5", "GB18030"};

int tandem__decode(const char *data, size_t len, const char *forced, char **out,
                   size_t *outlen, const char **encoding, bool *owned, tandem_reader *r)
{
	const unsigned char *u = (const unsigned char *)data;
	int rc;
	*owned = true;
	if (forced && *forced) {
		rc = convert(forced, data, len, out, outlen);
		if (rc == TANDEM_EFORMAT)
			return tandem__error(r, "encoding-unknown", 0, 0, "unknown encoding '%s'",
			                     forced), TANDEM_EENCODING;
		if (rc)
			return tandem__error(r, "encoding-invalid", 0, 0,
			                     "input is not valid %s", forced), TANDEM_EENCODING;
		/* A BOM survives iconv from UTF-8/UTF-16LE; drop it. */
		if (*outlen >= 3 && memcmp(*out, "\xEF\xBB\xBF", 3) == 0) {
			memmove(*out, *out + 3, *outlen - 2);
			*outlen -= 3;
		}
		*encoding = forced;
		return 0;
	}
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		const char *enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		rc = convert(enc, data + 2, len - 2, out, outlen);
		if (rc)
			return tandem__error(r, "encoding-invalid", 0, 0,
			                     "input starts with a %s byte order mark but is not valid %s",
			                     enc, enc), TANDEM_EENCODING;
		*encoding = enc;
		return 0;
	}
	const char *enc = "UTF-8";
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		data += 3;
		len -= 3;
		enc = "UTF-8 (BOM)";
	}
	if (looks_binary(data, len)) {
		const char *z = memchr(data, '\0', len < 8192 ? len : 8192);
		size_t off = z ? (size_t)(z - data) : 0, l, c;
		position_of(data, off, &l, &c);
		return tandem__error(r, "binary-input", l, c,
		                     "input holds NUL or control bytes: binary data, not subtitles "
		                     "or text (UTF-16 without a byte order mark needs --encoding)"),
		       TANDEM_EENCODING;
	}
	size_t bad = tandem__utf8_check(data, len);
	if (bad == len) {
		const char *z = memchr(data, '\0', len);
		if (z) {
			size_t l, c;
			position_of(data, (size_t)(z - data), &l, &c);
			if (tandem__warn(r, "nul-byte", l, c, "NUL byte in text, read as U+FFFD"))
				return TANDEM_EENCODING;
			*out = replace_nuls(data, len, outlen);
		} else {
			*out = (char *)data; /* borrowed: no copy of a 100 MB input */
			*owned = false;
			*outlen = len;
		}
		*encoding = enc;
		return 0;
	}
	const char *const *legacy = big5_likely(data, len) ? big5_first : gb_first;
	for (size_t k = 0; k < 2; k++) {
		if (convert(legacy[k], data, len, out, outlen) != 0)
			continue;
		if (memchr(*out, '\0', *outlen)) {
			free(*out);
			*out = NULL;
			continue;
		}
		size_t l, c;
		position_of(data, bad, &l, &c);
		*encoding = legacy[k];
		rc = tandem__warn(r, "encoding-legacy", l, c,
		                  "input is not UTF-8; decoded as %s (use --encoding to choose)",
		                  legacy[k]);
		if (rc) {
			free(*out);
			*out = NULL;
			return TANDEM_EENCODING;
		}
		return 0;
	}
	size_t l, c;
	position_of(data, bad, &l, &c);
	tandem__error(r, "encoding-invalid", l, c,
	              "invalid UTF-8 (byte 0x%02X), and not GB18030 or Big5 either; "
	              "use --encoding NAME",
	              (unsigned)(unsigned char)data[bad]);
	return TANDEM_EENCODING;
}
