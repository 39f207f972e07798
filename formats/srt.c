/*
 * srt.c - SubRip subtitles (.srt): the reader, the sniffer, where a second
 * reader may start (the streamed conversion's split point), and the format
 * entry.  The writer is srt_write.c; which "Name: " openers are speakers is
 * srt_speaker.c's.
 *
 * SubRip has no formal specification; this follows the layout every player
 * agrees on (as the Matroska S_TEXT/UTF8 codec notes describe it):
 *
 *   file    = *blank cue *( blank *blank cue ) *blank
 *   cue     = number EOL timing EOL *( text EOL )
 *   number  = 1*DIGIT                       (1, 2, 3, ... in order)
 *   timing  = time SP "-->" SP time
 *   time    = 2*DIGIT ":" 2DIGIT ":" 2DIGIT "," 3DIGIT
 *   text    = a line that is not blank; it may hold the tags <i> <b> <u>
 *             <font ...> and their closers, and an ASS override {\anN}
 *             (N = 1..9, numpad position) anywhere in the cue
 *   blank   = a line of nothing but spaces and tabs
 *
 * Real files bend every rule, so reading is lenient.  Each of these is read
 * as meant and reported as a warning (an error with --strict) at its
 * line:col: a missing, out-of-order or repeated number (srt-number);
 * blank lines before the first cue or more than one between cues, a cue
 * with no blank line before it, and text separated from its cue by a blank
 * line (srt-blank-line); '.' instead of ',', one or two digits of
 * milliseconds (a decimal fraction: ",5" is 500 ms), more than three (cut to
 * three), a time without milliseconds or hours, one-digit fields
 * (srt-timestamp); spacing around "-->", text after the end time, an end
 * before the start (srt-timing); a cue without text (srt-empty-cue); an
 * unknown tag, kept as literal text (srt-tag); text before the first cue,
 * skipped (srt-stray-text); no line break at the end (srt-final-newline).
 * A time that cannot be read at all, or a number with no timing line after
 * it, is an error (srt-timestamp, srt-timing).
 *
 * In the model, `text` is the plain text and `markup` the same in WebVTT
 * cue-text syntax (tags lowercased, literal & < > as entities), set only
 * when the cue has tags; their lines correspond one to one.  The cue number
 * is kept as the segment id.  "Name: " at the start of a cue is taken as the
 * speaker only when the same name opens at least two cues and is not a
 * common word ("Note:", "Question:"), so ordinary text is left alone.
 * Lines inside <font class="translation">...</font> (the writer's mark for
 * a translation the script does not tell from the text) are the cue's
 * translation; bilingual.c takes them apart from the text.
 *
 * In a streamed conversion (stream.h) the reader hands settled cues over a
 * window at a time, and may be one of two readers, each reading a half.
 */
#include "srt_speaker.h"
#include "srt_write.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------------ */
/* Line scanning                                                       */
/* ------------------------------------------------------------------ */

/* The shared line scanner (memchr-based, LF/CR/CRLF). */
typedef struct srt_scan {
	tandem__lines it;
	size_t lineno;
} srt_scan;

typedef struct srt_line {
	const char *s;
	size_t len, no;
} srt_line;

static void scan_init(srt_scan *sc, const char *data, size_t len, tandem__ring *ring)
{
	if (ring)
		tandem__lines_init_ring(&sc->it, ring);
	else
		tandem__lines_init(&sc->it, data, len);
	sc->lineno = 0;
}

static bool scan_peek(srt_scan *sc, srt_line *ln)
{
	tandem__line l;
	if (!tandem__lines_peek(&sc->it, &l))
		return false;
	ln->s = l.s;
	ln->len = l.len;
	ln->no = l.no;
	return true;
}

static bool scan_next(srt_scan *sc, srt_line *ln)
{
	tandem__line l;
	if (!tandem__lines_next(&sc->it, &l))
		return false;
	ln->s = l.s;
	ln->len = l.len;
	ln->no = l.no;
	sc->lineno = sc->it.lineno;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* A cue number: digits, perhaps with spaces around.  *num saturates. */
static bool is_number(const srt_line *ln, uint64_t *num, const char **digits, size_t *ndigits)
{
	size_t i = 0, n = ln->len;
	while (i < n && is_ws(ln->s[i]))
		i++;
	size_t st = i;
	uint64_t v = 0;
	while (i < n && is_digit(ln->s[i])) {
		v = v < UINT64_MAX / 10 - 1 ? v * 10 + (uint64_t)(ln->s[i] - '0') : UINT64_MAX;
		i++;
	}
	if (i == st)
		return false;
	size_t e = i;
	while (i < n && is_ws(ln->s[i]))
		i++;
	if (i != n)
		return false;
	if (num)
		*num = v;
	if (digits) {
		*digits = ln->s + st;
		*ndigits = e - st;
	}
	return true;
}

/* "-->" in s[0..n), or NULL (memmem is a GNU extension). */
static const char *find_arrow(const char *s, size_t n)
{
#if defined(__SSE2__)
	/* The '-'s of the first 16 bytes at once: "00:00:01,000 --> ..." has its
	 * arrow there. */
	if (n >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
		for (; m; m &= m - 1) {
			size_t i = (size_t)__builtin_ctz(m);
			if (i + 2 < n && s[i + 1] == '-' && s[i + 2] == '>')
				return s + i;
		}
		/* None starts in them (one starting at 14 or 15 was checked whole). */
		s += 16;
		n -= 16;
	}
#endif
	/* A timing line is short: a byte loop beats a memchr call per '-'. */
	if (n < 64) {
		for (size_t i = 0; i + 2 < n; i++)
			if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
				return s + i;
		return NULL;
	}
	const char *e = s + n;
	while (n >= 3) {
		const char *q = memchr(s, '-', n - 2);
		if (!q)
			return NULL;
		if (q[1] == '-' && q[2] == '>')
			return q;
		s = q + 1;
		n = (size_t)(e - s);
	}
	return NULL;
}

/* Cheap test before the full parse: a timing line starts with a digit and holds "-->". */
static bool looks_timing(const srt_line *ln)
{
	size_t i = 0;
	while (i < ln->len && is_ws(ln->s[i]))
		i++;
	if (i >= ln->len || !is_digit(ln->s[i]))
		return false;
	return ln->len - i >= 3 && find_arrow(ln->s + i, ln->len - i) != NULL;
}

/*
 * Every line after a blank one goes to the main loop of srt_read(), and a
 * number line with a timing line after it always opens a cue there; with
 * exactly one blank line before it, nothing the reader says depends on what
 * came before but the previous cue's number (and its speaker names, which
 * the stitching checks).  Searched for at most 4 MiB from `from`.
 */
size_t tandem__srt_split_point(const char *data, size_t len, size_t from, uint64_t *num)
{
	const char *lf = from < len ? memchr(data + from, '\n', len - from) : NULL;
	if (!lf)
		return 0;
	const char *start = lf + 1, *end = data + len;
	if ((size_t)(end - start) > (4u << 20))
		end = start + (4u << 20);
	tandem__lines it;
	tandem__lines_init(&it, start, (size_t)(end - start));
	tandem__line l;
	int seen = 0;               /* lines looked at, at most 2 counted */
	bool blank1 = false, blank2 = false;   /* the line before, and the one before that */
	/* Taken without telling the main reader's progress, which has not started:
	 * it would give back the pages it is about to read (tandem__lines_take;
	 * a 100 MB input's first half was faulted in again: 560 faults). */
	while (tandem__lines_peek(&it, &l)) {
		tandem__lines_take(&it, &l);
		srt_line ln = {l.s, l.len, 0};
		tandem__line nx;
		uint64_t v;
		if (seen == 2 && blank1 && !blank2 && is_number(&ln, &v, NULL, NULL) && v >= 1 &&
		    v < UINT64_MAX && tandem__lines_peek(&it, &nx)) {
			srt_line t = {nx.s, nx.len, 0};
			if (looks_timing(&t)) {
				*num = v;
				return (size_t)(l.s - data);
			}
		}
		blank2 = blank1;
		blank1 = tandem__blank(l.s, l.len);
		seen += seen < 2;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Times                                                               */
/* ------------------------------------------------------------------ */

enum {
	ODD_DOT = 1,       /* '.' before the milliseconds */
	ODD_MS_SHORT = 2,  /* one or two digits */
	ODD_MS_LONG = 4,   /* more than three */
	ODD_NO_MS = 8,
	ODD_FIELD = 16,    /* a one-digit hour, minute or second */
	ODD_NO_HOURS = 32
};

/* A time at s[0..n): returns bytes used (0 if none), its value and its oddities. */
static size_t parse_time(const char *s, size_t n, int64_t *ms, unsigned *odd, size_t *fracdigits)
{
	/* The form nearly every cue has, HH:MM:SS,mmm, read straight off: nine
	 * digit tests and no loop (two per cue, so they show). */
	if (n >= 12 && s[2] == ':' && s[5] == ':' && s[8] == ',' && (n == 12 || !is_digit(s[12]))) {
		const unsigned char *u = (const unsigned char *)s;
		unsigned h1 = u[0] - 48u, h2 = u[1] - 48u, m1 = u[3] - 48u, m2 = u[4] - 48u,
		         s1 = u[6] - 48u, s2 = u[7] - 48u, f1 = u[9] - 48u, f2 = u[10] - 48u,
		         f3 = u[11] - 48u;
		/* '0' is 48; a byte below it wraps to a big value.  Minutes and
		 * seconds start with 0-5. */
		if ((h1 < 10) & (h2 < 10) & (m1 < 6) & (m2 < 10) & (s1 < 6) & (s2 < 10) & (f1 < 10) &
		    (f2 < 10) & (f3 < 10)) {
			*fracdigits = 3;
			*ms = (int64_t)((((h1 * 10 + h2) * 60 + m1 * 10 + m2) * 60 + s1 * 10 + s2) * 1000 +
			                f1 * 100 + f2 * 10 + f3);
			return 12;
		}
	}
	uint64_t f[3];
	size_t nd[3];
	int nf = 0;
	size_t i = 0;
	for (;;) {
		size_t st = i;
		uint64_t v = 0;
		while (i < n && is_digit(s[i]) && i - st < 10)
			v = v * 10 + (uint64_t)(s[i++] - '0');
		if (i == st || (i < n && is_digit(s[i])))
			return 0;
		f[nf] = v;
		nd[nf] = i - st;
		nf++;
		if (nf < 3 && i + 1 < n && s[i] == ':' && is_digit(s[i + 1])) {
			i++;
			continue;
		}
		break;
	}
	if (nf < 2)
		return 0;
	uint64_t h = 0, m, sec;
	size_t mi = 0;
	if (nf == 3) {
		h = f[0];
		if (nd[0] < 2)
			*odd |= ODD_FIELD;
		mi = 1;
	} else {
		*odd |= ODD_NO_HOURS;
	}
	m = f[mi];
	sec = f[mi + 1];
	if (nd[mi] > 2 || nd[mi + 1] > 2 || m > 59 || sec > 59)
		return 0;
	if (nd[mi] < 2 || nd[mi + 1] < 2)
		*odd |= ODD_FIELD;
	int64_t frac = 0;
	*fracdigits = 0;
	if (i < n && (s[i] == ',' || s[i] == '.') && i + 1 < n && is_digit(s[i + 1])) {
		if (s[i] == '.')
			*odd |= ODD_DOT;
		size_t st = ++i;
		while (i < n && is_digit(s[i])) {
			if (i - st < 3)
				frac = frac * 10 + (s[i] - '0');
			i++;
		}
		size_t k = i - st;
		*fracdigits = k;
		if (k == 1)
			frac *= 100;
		else if (k == 2)
			frac *= 10;
		if (k < 3)
			*odd |= ODD_MS_SHORT;
		else if (k > 3)
			*odd |= ODD_MS_LONG;
	} else {
		*odd |= ODD_NO_MS;
	}
	*ms = (int64_t)(((h * 60 + m) * 60 + sec) * 1000) + frac;
	return i;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

typedef struct srt_reader {
	tandem__reader *r;
	tandem_doc *doc;
	srt_scan sc;
	tandem__buf text, markup;
	bool tags;            /* the cue has markup */
	bool tag_warned;
	int an;
	size_t nlines;
	bool have_num;
	uint64_t prev_num;
	int64_t prev_start, prev_end;
	/* speaker names seen so far, and how many segments at the front of doc
	 * have had their label looked at */
	tandem__srt_speakers spk;
	size_t spk_done;
} srt_reader;

static int warn_time(srt_reader *st, unsigned odd, const srt_line *ln, const char *ts,
                     size_t n, size_t fracdigits)
{
	if (!odd)
		return 0; /* nearly every timestamp: nothing to say */
	tandem__reader *r = st->r;
	size_t line = ln->no, col = (size_t)(ts - ln->s) + 1;
	int len = (int)(n > 40 ? 40 : n), rc;
	if ((odd & ODD_DOT) &&
	    (rc = tandem__warn(r, "srt-timestamp", line, col,
	                       "'.' instead of ',' before the milliseconds in '%.*s'", len, ts)))
		return rc;
	if ((odd & ODD_MS_SHORT) &&
	    (rc = tandem__warn(r, "srt-timestamp", line, col,
	                       "%zu-digit milliseconds in '%.*s' (read as a fraction: %s)",
	                       fracdigits, len, ts, fracdigits == 1 ? "x100" : "x10")))
		return rc;
	if ((odd & ODD_MS_LONG) &&
	    (rc = tandem__warn(r, "srt-timestamp", line, col,
	                       "more than 3 digits of milliseconds in '%.*s' (cut to 3)", len,
	                       ts)))
		return rc;
	if ((odd & ODD_NO_MS) &&
	    (rc = tandem__warn(r, "srt-timestamp", line, col, "no milliseconds in '%.*s'", len,
	                       ts)))
		return rc;
	if ((odd & ODD_NO_HOURS) &&
	    (rc = tandem__warn(r, "srt-timestamp", line, col, "no hours in '%.*s'", len, ts)))
		return rc;
	if ((odd & ODD_FIELD) &&
	    (rc = tandem__warn(r, "srt-timestamp", line, col,
	                       "one-digit field in '%.*s' (two expected)", len, ts)))
		return rc;
	return 0;
}

/*
 * Parse a timing line.  quiet: only say whether it parses (for deciding
 * whether a line starts a new cue).  Returns 1 when parsed, 0 when not (and
 * quiet), or a stop status after reporting.
 */
static int parse_timing(srt_reader *st, const srt_line *ln, bool quiet, int64_t *start,
                        int64_t *end)
{
	tandem__reader *r = st->r;
	const char *s = ln->s;
	size_t n = ln->len, i = 0, fd1 = 0, fd2 = 0;
	unsigned o1 = 0, o2 = 0;
	while (i < n && is_ws(s[i]))
		i++;
	size_t t1 = i, k1 = parse_time(s + i, n - i, start, &o1, &fd1);
	/* A time runs to a space or the arrow: "00:00:0x" is not 00:00:00 and text. */
	if (k1 && i + k1 < n && !is_ws(s[i + k1]) && s[i + k1] != '-')
		k1 = 0;
	if (!k1) {
		if (quiet)
			return 0;
		const char *arrow = find_arrow(s + i, n - i);
		size_t m = arrow ? (size_t)(arrow - s) - i : n - i;
		while (m && is_ws(s[i + m - 1]))
			m--;
		tandem__error(r, "srt-timestamp", ln->no, i + 1, "malformed start time '%.*s'",
		              (int)(m > 40 ? 40 : m), s + i);
		return TANDEM_EPARSE;
	}
	i += k1;
	size_t w1 = i;
	while (i < n && is_ws(s[i]))
		i++;
	size_t arrow_col = i + 1;
	bool spacing = i - w1 == 1 && s[w1] == ' ';
	if (n - i < 3 || memcmp(s + i, "-->", 3) != 0) {
		if (quiet)
			return 0;
		tandem__error(r, "srt-timing", ln->no, i + 1, "'-->' expected after the start time");
		return TANDEM_EPARSE;
	}
	i += 3;
	size_t w2 = i;
	while (i < n && is_ws(s[i]))
		i++;
	spacing = spacing && i - w2 == 1 && s[w2] == ' ';
	size_t t2 = i, k2 = parse_time(s + i, n - i, end, &o2, &fd2);
	if (k2 && i + k2 < n && !is_ws(s[i + k2]))
		k2 = 0;
	if (!k2) {
		if (quiet)
			return 0;
		size_t m = 0;
		while (i + m < n && !is_ws(s[i + m]))
			m++;
		tandem__error(r, "srt-timestamp", ln->no, i + 1, "malformed end time '%.*s'",
		              (int)(m > 40 ? 40 : m), s + i);
		return TANDEM_EPARSE;
	}
	if (quiet)
		return 1;
	i += k2;
	int rc;
	if ((rc = warn_time(st, o1, ln, s + t1, k1, fd1)) || (rc = warn_time(st, o2, ln, s + t2, k2, fd2)))
		return rc;
	if (!spacing &&
	    (rc = tandem__warn(r, "srt-timing", ln->no, arrow_col,
	                       "'-->' should have one space on each side")))
		return rc;
	size_t rest = i;
	while (rest < n && is_ws(s[rest]))
		rest++;
	if (rest < n &&
	    (rc = tandem__warn(r, "srt-timing", ln->no, rest + 1,
	                       "text after the end time ignored: '%.*s'",
	                       (int)(n - rest > 40 ? 40 : n - rest), s + rest)))
		return rc;
	if (*end < *start &&
	    (rc = tandem__warn(r, "srt-timing", ln->no, t2 + 1,
	                       "cue ends before it starts (%.*s --> %.*s)", (int)k1, s + t1,
	                       (int)k2, s + t2)))
		return rc;
	return 1;
}

/* Bytes that need a look in cue text: tags, entities-to-be, {\an}. */
static const bool special[256] = {['<'] = true, ['>'] = true, ['&'] = true, ['{'] = true};

/* The first special byte in [q, e), or e: sixteen bytes a step where SSE2 is
 * there (most cue text has none, and this runs over all of it). */
static const char *plain_run(const char *q, const char *e)
{
#if defined(__SSE2__)
	const __m128i lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'), amp = _mm_set1_epi8('&'),
	              brace = _mm_set1_epi8('{');
	while (e - q >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, gt)),
		                           _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, brace)));
		int mask = _mm_movemask_epi8(hit);
		if (mask)
			return q + __builtin_ctz((unsigned)mask);
		q += 16;
	}
#endif
	while (q < e && !special[(unsigned char)*q])
		q++;
	return q;
}

static bool ieq(const char *a, const char *b, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char c = a[k];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != b[k])
			return false;
	}
	return true;
}

/*
 * A tag SRT knows at q (q[0] == '<', gt the first '>' after it, or NULL):
 * append its markup form (unless markup is NULL) and return its length, or
 * 0 when it is not one.
 */
static size_t srt_tag(const char *q, const char *gt, tandem__buf *markup)
{
	if (!gt)
		return 0;
	size_t k = (size_t)(gt - q) + 1;   /* whole tag */
	const char *name = q + 1;
	bool close = *name == '/';
	if (close)
		name++;
	size_t nlen = (size_t)(gt - name);
	if (nlen == 1 && (ieq(name, "i", 1) || ieq(name, "b", 1) || ieq(name, "u", 1))) {
		char t[4] = {'<', '/', (char)(name[0] | 0x20), '>'};
		if (markup && close)
			tandem__buf_put(markup, t, 4);
		else if (markup) {
			t[1] = t[2];
			t[2] = '>';
			tandem__buf_put(markup, t, 3);
		}
		return k;
	}
	if (close && nlen == 4 && ieq(name, "font", 4)) {
		if (markup)
			tandem__buf_puts(markup, "</font>");
		return k;
	}
	if (!close && nlen >= 4 && ieq(name, "font", 4) && (nlen == 4 || is_ws(name[4]))) {
		if (markup) {
			tandem__buf_puts(markup, "<font");
			tandem__buf_put(markup, name + 4, nlen - 4 + 1);
		}
		return k;
	}
	return 0;
}

/* The first tag of a cue: its markup so far is its text so far, escaped. */
static void start_markup(srt_reader *st)
{
	tandem__buf *m = &st->markup;
	tandem__buf_clear(m);
	for (size_t i = 0; i < st->text.len; i++) {
		char c = st->text.ptr[i];
		if (c == '&')
			tandem__buf_puts(m, "&amp;");
		else if (c == '<')
			tandem__buf_puts(m, "&lt;");
		else if (c == '>')
			tandem__buf_puts(m, "&gt;");
		else
			tandem__buf_putc(m, c);
	}
	st->tags = true;
}

/*
 * Append one line of cue text.  The markup is only built once the cue has
 * a tag (most cues have none), so the common case is a single copy.
 */
static int add_text_line(srt_reader *st, const srt_line *line)
{
	tandem__buf *t = &st->text, *m = &st->markup;
	/* A text line the writer kept from reading as a timing line. */
	srt_line unescaped = *line;
	const srt_line *ln = line;
	if (line->len >= 3 && memcmp(line->s, TANDEM__SRT_JOINER, 3) == 0 &&
	    tandem__srt_escaped(line->s, line->len)) {
		unescaped.s += 3;
		unescaped.len -= 3;
		ln = &unescaped;
	}
	if (st->nlines++) {
		tandem__buf_putc(t, '\n');
		if (st->tags)
			tandem__buf_putc(m, '\n');
	}
	const char *p = ln->s, *e = ln->s + ln->len;
	/* The first '>' at or after the current '<' (e: none).  Kept between
	 * '<'s, so a line of 10^5 '<' and no '>' is scanned once, not 10^5
	 * times (fixtures/regress/srt-many-lt.srt). */
	const char *gt_next = NULL;
	while (p < e) {
		const char *q = p;
		q = plain_run(q, e);
		tandem__buf_put(t, p, (size_t)(q - p));
		if (st->tags)
			tandem__buf_put(m, p, (size_t)(q - p));
		if (q == e)
			break;
		p = q + 1;
		switch (*q) {
		case '<': {
			if (!gt_next || gt_next < q) {
				gt_next = memchr(q, '>', (size_t)(e - q));
				if (!gt_next)
					gt_next = e;
			}
			const char *gt = gt_next < e ? gt_next : NULL;
			size_t k = srt_tag(q, gt, NULL);
			if (k) {
				if (!st->tags)
					start_markup(st);
				srt_tag(q, gt, m);
				p = q + k;
				continue;
			}
			if (!st->tag_warned && gt && q + 1 < e &&
			    ((q[1] | 0x20) >= 'a' && (q[1] | 0x20) <= 'z')) {
				st->tag_warned = true;
				int rc = tandem__warn(st->r, "srt-tag", ln->no, (size_t)(q - ln->s) + 1,
				                      "unknown tag '%.*s' kept as text",
				                      (int)(gt - q + 1 > 40 ? 40 : gt - q + 1), q);
				if (rc)
					return rc;
			}
			tandem__buf_putc(t, '<');
			if (st->tags)
				tandem__buf_puts(m, "&lt;");
			break;
		}
		case '>':
			tandem__buf_putc(t, '>');
			if (st->tags)
				tandem__buf_puts(m, "&gt;");
			break;
		case '&':
			tandem__buf_putc(t, '&');
			if (st->tags)
				tandem__buf_puts(m, "&amp;");
			break;
		default: /* '{' */
			if (e - q >= 6 && memcmp(q, "{\\an", 4) == 0 && q[4] >= '1' && q[4] <= '9' &&
			    q[5] == '}') {
				if (!st->an)
					st->an = q[4] - '0';
				p = q + 6;
			} else {
				tandem__buf_putc(t, '{');
				if (st->tags)
					tandem__buf_putc(m, '{');
			}
		}
	}
	return 0;
}

/* Does the line after the next one hold a timing?  The scanner is left as it was. */
static bool timing_follows(srt_reader *st)
{
	srt_scan save = st->sc;
	srt_line a, b;
	int64_t s, e;
	bool yes = scan_next(&st->sc, &a) && scan_peek(&st->sc, &b) && looks_timing(&b) &&
	           parse_timing(st, &b, true, &s, &e) == 1;
	st->sc = save;
	return yes;
}

/* Does x (the next line) open a cue: a timing line, or a number with one after it? */
static bool starts_cue(srt_reader *st, const srt_line *x)
{
	int64_t s, e;
	if (!x->len || !(is_digit(x->s[0]) || is_ws(x->s[0])))
		return false;
	return (is_number(x, NULL, NULL, NULL) && timing_follows(st)) ||
	       (looks_timing(x) && parse_timing(st, x, true, &s, &e) == 1);
}

static void add_segment(srt_reader *st, int64_t start, int64_t end, size_t line,
                        const char *id, size_t idlen)
{
	size_t k = tandem_doc_add(st->doc, start, end, st->text.ptr, NULL);
	tandem__seg *seg = &st->doc->segs[k];
	seg->line = line;
	seg->an = st->an;
	if (id)
		seg->id = tandem__xstrndup(id, idlen);
	if (st->tags)
		seg->markup = tandem__xstrndup(st->markup.ptr, st->markup.len);
}

/* Append the text lines up to the next blank line to the last segment. */
static int continue_last(srt_reader *st, const srt_line *first, size_t blank_line)
{
	tandem_doc *doc = st->doc;
	tandem__seg *seg = &doc->segs[doc->nsegs - 1];
	/* The cue's line goes in the "see" position, not the text: a second
	 * reader (formats/stream.c) shifts its positions when it is stitched. */
	int rc = tandem__warn_see(st->r, "srt-blank-line", blank_line, 1, seg->line,
	                          "blank line inside the text of a cue; the text after it is kept "
	                          "in that cue");
	if (rc)
		return rc;
	tandem__buf_clear(&st->text);
	tandem__buf_clear(&st->markup);
	tandem__buf_puts(&st->text, seg->text);
	if (seg->markup)
		tandem__buf_puts(&st->markup, seg->markup);
	st->nlines = seg->text[0] ? 1 : 0;
	st->tags = seg->markup != NULL;
	st->an = seg->an;
	srt_line ln = *first;
	for (;;) {
		if ((rc = add_text_line(st, &ln)))
			return rc;
		srt_line nx;
		if (!scan_peek(&st->sc, &nx) || tandem__blank(nx.s, nx.len) || starts_cue(st, &nx))
			break;
		scan_next(&st->sc, &ln);
	}
	free(seg->text);
	seg->text = tandem__xstrndup(st->text.ptr, st->text.len);
	free(seg->markup);
	seg->markup = st->tags ? tandem__xstrndup(st->markup.ptr, st->markup.len) : NULL;
	seg->an = st->an;
	return 0;
}

/* Read one cue whose first line is ln.  blank_before: a blank line preceded it (its number). */
static int read_cue(srt_reader *st, const srt_line *ln, size_t blank_before)
{
	tandem__reader *r = st->r;
	uint64_t num = 0;
	const char *digits = NULL;
	size_t ndigits = 0;
	srt_line tl;
	int rc;
	bool numbered = is_number(ln, &num, &digits, &ndigits);
	if (numbered) {
		srt_line nx;
		if (!scan_peek(&st->sc, &nx) || !looks_timing(&nx))
			return tandem__error(r, "srt-timing", ln->no + 1, 1,
			                     "cue number %.*s is not followed by a timing line "
			                     "('00:00:01,000 --> 00:00:02,000')",
			                     (int)(ndigits > 20 ? 20 : ndigits), digits);
		scan_next(&st->sc, &tl);
	} else if (looks_timing(ln)) {
		tl = *ln;
	} else if (st->doc->nsegs && blank_before) {
		return continue_last(st, ln, blank_before);
	} else {
		rc = tandem__warn(r, "srt-stray-text", ln->no, 1,
		                  "text outside any cue skipped: '%.*s'",
		                  (int)(ln->len > 40 ? 40 : ln->len), ln->s);
		srt_line nx;
		while (scan_peek(&st->sc, &nx) && !tandem__blank(nx.s, nx.len))
			scan_next(&st->sc, &nx);
		return rc;
	}
	int64_t start, end;
	if ((rc = parse_timing(st, &tl, false, &start, &end)) != 1)
		return rc;
	if (!numbered) {
		if ((rc = tandem__warn(r, "srt-number", ln->no, 1, "cue has no number")))
			return rc;
	} else {
		uint64_t want = st->have_num ? st->prev_num + 1 : 1;
		bool doubled = st->have_num && num == st->prev_num && start == st->prev_start &&
		               end == st->prev_end;
		/* A repeated number with the same times is the doubled bilingual layout, not a slip. */
		if (num != want && !doubled) {
			if (st->have_num && num == st->prev_num)
				rc = tandem__warn(r, "srt-number", ln->no, 1, "cue number %llu repeated",
				                  (unsigned long long)num);
			else if (st->have_num)
				rc = tandem__warn(r, "srt-number", ln->no, 1,
				                  "cue number %llu does not follow %llu",
				                  (unsigned long long)num, (unsigned long long)st->prev_num);
			else
				rc = tandem__warn(r, "srt-number", ln->no, 1,
				                  "numbering starts at %llu, not 1", (unsigned long long)num);
			if (rc)
				return rc;
		}
	}
	st->prev_num = numbered ? num : st->have_num ? st->prev_num + 1 : 1;
	st->have_num = true;
	st->prev_start = start;
	st->prev_end = end;

	tandem__buf_clear(&st->text);
	tandem__buf_clear(&st->markup);
	st->tags = false;
	st->tag_warned = false;
	st->an = 0;
	st->nlines = 0;
	srt_line x;
	while (scan_peek(&st->sc, &x)) {
		if (tandem__blank(x.s, x.len))
			break;
		if (starts_cue(st, &x)) {
			if ((rc = tandem__warn(r, "srt-blank-line", x.no, 1,
			                       "no blank line before this cue")))
				return rc;
			break;
		}
		scan_next(&st->sc, &x);
		if ((rc = add_text_line(st, &x)))
			return rc;
	}
	if (!st->nlines && (rc = tandem__warn(r, "srt-empty-cue", ln->no, 1, "cue has no text")))
		return rc;
	add_segment(st, start, end, ln->no, digits, ndigits);
	return 0;
}

/* ---- two readers (a streamed conversion's, stream.h) ---- */

/*
 * The main reader at the second half's start.  The second reader assumed
 * the previous cue's number, and counted speaker names on its own: a name
 * on both sides would have been counted together.
 */
static int srt_split(srt_reader *st)
{
	tandem__reader *r = st->r;
	tandem__srt_speakers_find(&st->spk, r, st->doc, st->spk_done, st->doc->nsegs);
	r->split->line_base = st->sc.lineno - 1;
	const tandem__srt_speakers *t = r->split->join(r, st->doc);
	bool use = t && st->have_num && st->prev_num == r->split->prev_num &&
	           tandem__srt_speakers_apart(&st->spk, t);
	int rc = r->split->end(r, st->doc, use);
	/* What the document holds now has had its label looked at. */
	st->spk_done = st->doc->nsegs;
	return rc;
}

/* Streamed: settle the speakers of all but the newest cue (a blank line may
 * still add text to it) and hand those cues over. */
static int srt_window(srt_reader *st)
{
	tandem_doc *doc = st->doc;
	size_t n = doc->nsegs - 1;
	tandem__srt_speakers_find(&st->spk, st->r, doc, st->spk_done, n);
	int rc = st->r->window->offer(st->r, doc, n);
	/* What stayed (a cue held back for pairing) has had its label looked at. */
	st->spk_done = doc->nsegs - 1;
	return rc;
}

static int srt_read(tandem__reader *r, tandem_doc *doc)
{
	srt_reader st;
	memset(&st, 0, sizeof st);
	st.r = r;
	st.doc = doc;
	st.text = (tandem__buf)TANDEM_BUF_INIT;
	st.markup = (tandem__buf)TANDEM_BUF_INIT;
	scan_init(&st.sc, r->data, r->len, r->ring);
	tandem__split *split = r->split;
	if (split && split->second) {
		st.have_num = true;
		st.prev_num = split->prev_num;
	}
	bool at_split = split && !split->second;
	srt_line ln;
	size_t blanks = 0, first_blank = 0;
	bool stray = false;   /* blank lines after skipped text are not "before the first cue" */
	int rc = 0;
	while (scan_next(&st.sc, &ln)) {
		if (tandem__blank(ln.s, ln.len)) {
			if (!blanks++)
				first_blank = ln.no;
			continue;
		}
		if (at_split && tandem__lines_offset(&st.sc.it, r->data, ln.s) == split->at) {
			/* The second reader has read (and said) the rest: stitched, stop here. */
			if ((rc = srt_split(&st)))
				goto done;
			at_split = false;
		}
		if (blanks && !doc->nsegs && !stray)
			rc = tandem__warn(r, "srt-blank-line", first_blank, 1,
			                  "blank line before the first cue");
		else if (blanks > 1)
			rc = tandem__warn(r, "srt-blank-line", first_blank + 1, 1,
			                  "%zu blank lines between cues (one expected)", blanks);
		if (rc)
			goto done;
		stray |= !doc->nsegs;
		rc = read_cue(&st, &ln, blanks ? first_blank : 0);
		if (!rc && r->window && doc->nsegs > r->window_size)
			rc = srt_window(&st);
		if (rc)
			goto done;
		blanks = 0;
		tandem__lines_slide(&st.sc.it); /* no line is held here */
	}
	if (blanks > 1 && doc->nsegs &&
	    (rc = tandem__warn(r, "srt-blank-line", first_blank + 1, 1,
	                       "%zu blank lines at the end (one expected)", blanks)))
		goto done;
	if (r->len && r->data[r->len - 1] != '\n' && r->data[r->len - 1] != '\r' && doc->nsegs) {
		size_t last = r->len;
		while (last && r->data[last - 1] != '\n' && r->data[last - 1] != '\r')
			last--;
		if ((rc = tandem__warn(r, "srt-final-newline", st.sc.lineno, r->len - last + 1,
		                       "no line break at the end of the file")))
			goto done;
	}
	tandem__srt_speakers_find(&st.spk, r, doc, st.spk_done, doc->nsegs);
	if (split && split->second) {
		split->tail = tandem__srt_speakers_detach(&st.spk);
		split->tail_free = tandem__srt_speakers_tail_free;
	}
done:
	if (rc == 1)
		rc = 0;
	tandem__buf_free(&st.text);
	tandem__buf_free(&st.markup);
	tandem__srt_speakers_free(&st.spk);
	return rc;
}

static int srt_sniff(const char *data, size_t len)
{
	srt_scan sc;
	srt_line ln;
	scan_init(&sc, data, len < 4096 ? len : 4096, NULL);
	int lines = 0;
	while (scan_next(&sc, &ln) && lines++ < 8) {
		if (tandem__blank(ln.s, ln.len))
			continue;
		if (is_number(&ln, NULL, NULL, NULL)) {
			srt_line t;
			if (scan_next(&sc, &t) && looks_timing(&t))
				return memchr(t.s, ',', t.len) ? 95 : 70;
			return 0;
		}
		return looks_timing(&ln) && memchr(ln.s, ',', ln.len) ? 60 : 0;
	}
	return 0;
}

const tandem__format tandem__format_srt = {
	"srt", "srt", srt_sniff, srt_read, tandem__srt_write, tandem__srt_split_point,
};
