/*
 * ring.c - a streamed reader's text, read from the file a piece at a time
 * into one buffer that is reused (see tandem__ring in core/tandem_private.h).
 */
#include "scan.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Read 128 KiB at a time: the scan reads each piece while it is in the
 * level-2 cache, and a read(2) costs little next to the copy.  Past half a
 * MiB, what the scan has passed is dropped (the rest, a piece at most,
 * moves to the front), so the buffer stays about a MiB. */
#define PIECE (128u << 10)
#define SLIDE (512u << 10)

bool tandem__ring_open(tandem__ring *g, int fd, off_t from, size_t len)
{
	memset(g, 0, sizeof *g);
	g->fd = fd;
	g->from = from;
	g->len = len;
	g->piece = PIECE;
	g->slide = SLIDE;
	/* Address space for the whole text and its NUL, in case one line is all
	 * of it; only what is touched takes memory, which a scan that slides
	 * (tandem__lines_slide) keeps to about a MiB. */
	g->reserved = len + 64;
	void *p = mmap(NULL, g->reserved, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	g->buf = p;
	return true;
}

void tandem__ring_close(tandem__ring *g)
{
	if (g->buf)
		munmap(g->buf, g->reserved);
	g->buf = NULL;
}

/*
 * Where the last whole character of s[0, n) ends: a character cut by the
 * end of what was read is left for the next piece.  (Continuation bytes
 * with no lead among the last three are whole or invalid either way.)
 */
static size_t whole_chars(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = u[n - k];
		if (c < 0x80)
			return n;
		if (c >= 0xC0) {
			size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			return want > k ? n - k : n;
		}
	}
	return n;
}

bool tandem__ring_more(tandem__ring *g)
{
	size_t at = g->base + g->fill; /* the text's next byte to read */
	if (g->failed || at >= g->len)
		return false;
	size_t want = g->len - at < g->piece ? g->len - at : g->piece, got = 0;
	char *dst = g->buf + g->fill;
	while (got < want) {
		ssize_t k = pread(g->fd, dst + got, want - got, g->from + (off_t)(at + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			g->failed = true; /* shrunk or unreadable: the caller reads it again */
			return false;
		}
		got += (size_t)k;
	}
	g->fill += got;
	g->buf[g->fill] = '\0';
	size_t upto = at + got == g->len ? g->fill : whole_chars(g->buf, g->fill);
	if (!tandem__utf8_clean(g->buf + g->checked, upto - g->checked)) {
		g->failed = true;
		return false;
	}
	g->checked = upto;
	return true;
}
