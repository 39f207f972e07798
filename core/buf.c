/*
 * buf.c - memory helpers and the growable string buffer (with the
 * library's one UTF-8 encoder).
 *
 * Out of memory is not recoverable in a command-line toolkit of this size,
 * so every allocation goes through tandem__x* and aborts in tandem__oom(),
 * the only place that does.
 */
#include "tandem_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char tandem__empty[1] = {0};

void tandem__oom(void)
{
	fputs("tandem: out of memory\n", stderr);
	abort();
}

void *tandem__xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		tandem__oom();
	return p;
}

void *tandem__xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		tandem__oom();
	return p;
}

void *tandem__xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		tandem__oom();
	return q;
}

char *tandem__xstrndup(const char *s, size_t n)
{
	char *p = tandem__xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *tandem__xstrdup(const char *s)
{
	return tandem__xstrndup(s, strlen(s));
}

void tandem__buf_grow(tandem__buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1) {
		if (cap > SIZE_MAX / 2)
			tandem__oom();
		cap *= 2;
	}
	char *p = b->cap ? b->ptr : NULL;
	p = tandem__xrealloc(p, cap);
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = cap;
}

void tandem__buf_put_slow(tandem__buf *b, const char *s, size_t n)
{
	if (!n)
		return;
	/* s may lie in b itself: where it is, before b moves. */
	size_t inside = s >= b->ptr && s < b->ptr + b->len ? (size_t)(s - b->ptr) + 1 : 0;
	tandem__buf_grow(b, n);
	if (inside)
		s = b->ptr + inside - 1;
	memmove(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void tandem__buf_putc_slow(tandem__buf *b, char c)
{
	tandem__buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

void tandem__buf_printf(tandem__buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n < sizeof small) {
		tandem__buf_put(b, small, (size_t)n);
	} else {
		tandem__buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
}

void tandem__buf_clear(tandem__buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

char *tandem__buf_detach(tandem__buf *b, size_t *len)
{
	char *p = b->cap ? b->ptr : tandem__xstrdup("");
	if (len)
		*len = b->len;
	b->ptr = tandem__empty;
	b->len = b->cap = 0;
	return p;
}

void tandem__buf_free(tandem__buf *b)
{
	if (b->cap)
		free(b->ptr);
	b->ptr = tandem__empty;
	b->len = b->cap = 0;
}

void tandem__buf_rtrim(tandem__buf *b)
{
	while (b->len && (b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\t' ||
	                  b->ptr[b->len - 1] == '\n' || b->ptr[b->len - 1] == '\r'))
		b->ptr[--b->len] = '\0';
}

void tandem__buf_time(tandem__buf *b, int64_t ms, char sep)
{
	/* Hand-rolled: writers call this twice per cue, and snprintf dominates.
	 * One 64-bit division; the rest is 32-bit arithmetic on constants. */
	if (ms < 0)
		ms = 0;
	int64_t h = ms / 3600000;
	uint32_t r = (uint32_t)(ms - h * 3600000); /* < 3,600,000 */
	uint32_t m = r / 60000, sf = r % 60000, s = sf / 1000, f = sf % 1000;
	char tmp[32];
	char *q = tmp + sizeof tmp - 10;
	q[0] = ':';
	q[1] = (char)('0' + m / 10);
	q[2] = (char)('0' + m % 10);
	q[3] = ':';
	q[4] = (char)('0' + s / 10);
	q[5] = (char)('0' + s % 10);
	q[6] = sep;
	q[7] = (char)('0' + f / 100);
	q[8] = (char)('0' + f / 10 % 10);
	q[9] = (char)('0' + f % 10);
	if (h < 100) {
		*--q = (char)('0' + h % 10);
		*--q = (char)('0' + h / 10);
	} else {
		do {
			*--q = (char)('0' + h % 10);
			h /= 10;
		} while (h);
	}
	tandem__buf_put(b, q, (size_t)(tmp + sizeof tmp - q));
}

void tandem__buf_put_utf8(tandem__buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	tandem__buf_put(b, u, n);
}
