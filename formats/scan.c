/*
 * scan.c - the line scanner every reader uses (so LF, CRLF and CR are
 * handled in one place), over text in memory or read through a ring
 * (ring.c), and the giving back of a mapped input's pages behind it.
 */
#include "scan.h"

#include <string.h>
#include <sys/mman.h>

/*
 * The mapped input of the read in progress on this thread, and how much of
 * it has been given back.  Thread-local, so `convert -j` readers on other
 * threads keep their own.
 */
static _Thread_local struct {
	const char *base, *end, *released;
} mapped;

void tandem__input_mapped(const char *base, size_t len)
{
	mapped.base = base;
	mapped.end = base ? base + len : NULL;
	mapped.released = base;
}

void tandem__input_progress(const char *p)
{
	/* Give back whole pages more than 4 MiB behind the reader, 8 MiB at a time. */
	enum { LAG = 4 << 20, STEP = 8 << 20, PAGE = 4096 };
	if (!mapped.base || p < mapped.released + LAG + STEP || p > mapped.end)
		return;
	uintptr_t from = ((uintptr_t)mapped.released + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	uintptr_t to = (uintptr_t)(p - LAG) & ~(uintptr_t)(PAGE - 1);
	if (to > from)
		madvise((void *)from, to - from, MADV_DONTNEED);
	mapped.released = (const char *)to;
}

void tandem__lines_init(tandem__lines *it, const char *data, size_t len)
{
	it->p = data;
	it->end = data + len;
	it->lineno = 0;
	it->lf = it->cr = it->crend = NULL;
	it->seen = it->seen_next = NULL;
	it->seen_len = 0;
	it->ring = NULL;
}

void tandem__lines_init_ring(tandem__lines *it, tandem__ring *g)
{
	tandem__lines_init(it, g->buf, g->checked);
	it->ring = g;
}

/* The ring has more checked text than the scan knew of, or reads it: false at its end. */
static bool lines_more(tandem__lines *it)
{
	tandem__ring *g = it->ring;
	while (g->buf + g->checked <= it->end)
		if (!tandem__ring_more(g))
			return false;
	/* "No LF (or CR) before the end" holds no more. */
	if (it->lf == it->end)
		it->lf = NULL;
	if (it->cr == it->crend)
		it->cr = NULL;
	it->end = g->buf + g->checked;
	return true;
}

void tandem__lines_slide(tandem__lines *it)
{
	tandem__ring *g = it->ring;
	if (!g || (size_t)(it->p - g->buf) < g->slide)
		return;
	const char *old = it->p;
	size_t d = (size_t)(it->p - g->buf);
	memmove(g->buf, it->p, g->fill - d + 1); /* with its NUL */
	g->base += d;
	g->fill -= d;
	g->checked -= d;
	it->p -= d;
	it->end -= d;
	it->lf = it->lf && it->lf >= old ? it->lf - d : NULL;
	if (it->cr && it->cr >= old) {
		it->cr -= d;
		it->crend -= d;
	} else {
		it->cr = it->crend = NULL;
	}
	if (it->seen == old) {
		it->seen -= d;
		it->seen_next -= d;
	} else {
		it->seen = it->seen_next = NULL;
	}
}

static const char *find(const char *from, const char *end, char c)
{
	const char *q = memchr(from, c, (size_t)(end - from));
	return q ? q : end;
}

/* The next line's end, found (tandem__lines_peek has looked in its cache). */
bool tandem__lines_find(const tandem__lines *it, tandem__line *out)
{
	tandem__lines *m = (tandem__lines *)it; /* the caches are not the position */
	if (it->p >= it->end && !(m->ring && lines_more(m)))
		return false;
	out->s = it->p;
	out->no = it->lineno + 1;
	if (!m->lf || m->lf < m->p)
		m->lf = find(m->p, m->end, '\n');
	/* Read on until the line ends (a line is never handed out in part): at
	 * an LF, or at a CR with the byte after it read (it may be a CRLF's). */
	if (m->ring) {
		const char *crfrom = m->p;
		while (m->lf == m->end) {
			const char *c = memchr(crfrom, '\r', (size_t)(m->end - crfrom));
			if (c && c + 1 < m->end)
				break;
			crfrom = c ? c : m->end;
			const char *old = m->end;
			if (!lines_more(m))
				break;
			m->lf = find(old, m->end, '\n');
		}
	}
	if (!m->cr || m->cr < m->p || (m->cr == m->crend && m->cr < m->lf)) {
		/* As far as the LF, and at least 64 KiB: a file without a CR must not
		 * be searched to its end on the first line (100 MB: 25 ms). */
		size_t ahead = (size_t)(m->end - m->p) < 65536 ? (size_t)(m->end - m->p) : 65536;
		const char *lim = m->p + ahead > m->lf ? m->p + ahead : m->lf;
		m->cr = find(m->p, lim, '\r');
		m->crend = lim;
	}
	const char *q = m->lf < m->cr ? m->lf : m->cr;
	out->len = (size_t)(q - it->p);
	if (q < it->end && *q == '\r' && q + 1 < it->end && q[1] == '\n')
		out->next = q + 2;
	else if (q < it->end)
		out->next = q + 1;
	else
		out->next = q;
	m->seen = it->p;
	m->seen_len = out->len;
	m->seen_next = out->next;
	return true;
}

bool tandem__lines_next(tandem__lines *it, tandem__line *out)
{
	if (!tandem__lines_peek(it, out))
		return false;
	tandem__lines_take(it, out);
	if (!it->ring)
		tandem__input_progress(it->p);
	return true;
}
