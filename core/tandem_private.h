/*
 * tandem_private.h - the machinery every part of the library shares and the
 * public header does not show: the allocator that aborts in one place, the
 * string buffer, the model's structs, the reader context and its
 * diagnostics, decoding to UTF-8 (with the inline decoder), text measures,
 * the scanning of numbers and URLs, and the JSON DOM.  What only one part
 * uses lives in that part's own header
 * (formats/format.h, formats/scan.h, formats/stream.h, align/align.h, ...),
 * as libyaml keeps yaml_private.h for the shared machinery alone.
 *
 * Every name here is tandem__ (two underscores), functions and inline
 * helpers alike, and hidden from the shared
 * library's symbol table.
 */
#ifndef TANDEM_PRIVATE_H
#define TANDEM_PRIVATE_H

#include "tandem.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* x86-64 vector paths (SSE2 is always there; AVX2, SSSE3, POPCNT are asked for
 * at run time).  tests/test_textfast.c defines TANDEM_CPU_HAS itself, to run
 * every path on one machine. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TANDEM_X86_SIMD 1
#include <immintrin.h>
#ifndef TANDEM_CPU_HAS
#define TANDEM_CPU_HAS(feature) __builtin_cpu_supports(feature)
#endif
#endif

#if defined(__GNUC__)
#define TANDEM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define TANDEM_NORETURN __attribute__((noreturn))
#else
#define TANDEM_PRINTF(a, b)
#define TANDEM_NORETURN
#endif

/* ---- memory: the one place that aborts on exhaustion ---- */
void *tandem__xmalloc(size_t n);
void *tandem__xcalloc(size_t n, size_t size);
void *tandem__xrealloc(void *p, size_t n);
char *tandem__xstrdup(const char *s);
char *tandem__xstrndup(const char *s, size_t n);
TANDEM_NORETURN void tandem__oom(void);

/* ---- growable byte buffer; ptr is never NULL and always NUL-terminated ---- */
typedef struct tandem__buf {
	char *ptr;
	size_t len, cap;
} tandem__buf;

#define TANDEM_BUF_INIT {tandem__empty, 0, 0}
extern char tandem__empty[1];

void tandem__buf_grow(tandem__buf *b, size_t extra);
void tandem__buf_put_slow(tandem__buf *b, const char *s, size_t n);
void tandem__buf_putc_slow(tandem__buf *b, char c);
/* Inline: writers and readers append in their inner loops, mostly a few
 * bytes (a literal's length is then known at compile time). */
static inline void tandem__buf_put(tandem__buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 <= b->cap) {
		memmove(b->ptr + b->len, s, n);
		b->len += n;
		b->ptr[b->len] = '\0';
	} else {
		tandem__buf_put_slow(b, s, n);
	}
}
static inline void tandem__buf_puts(tandem__buf *b, const char *s)
{
	tandem__buf_put(b, s, strlen(s));
}
static inline void tandem__buf_putc(tandem__buf *b, char c)
{
	if (b->len + 2 <= b->cap) {
		b->ptr[b->len++] = c;
		b->ptr[b->len] = '\0';
	} else {
		tandem__buf_putc_slow(b, c);
	}
}
void tandem__buf_printf(tandem__buf *b, const char *fmt, ...) TANDEM_PRINTF(2, 3);
void tandem__buf_clear(tandem__buf *b);
/* Hand the memory to the caller (malloc'd, NUL-terminated); b is reset. */
char *tandem__buf_detach(tandem__buf *b, size_t *len);
void tandem__buf_free(tandem__buf *b);
/* Trim trailing ASCII whitespace. */
void tandem__buf_rtrim(tandem__buf *b);

/* Append "HH:MM:SS<sep>mmm" (hours at least 2 digits). */
void tandem__buf_time(tandem__buf *b, int64_t ms, char sep);
/* Append code point cp (at most U+10FFFF, not a surrogate: callers check) as UTF-8. */
void tandem__buf_put_utf8(tandem__buf *b, uint32_t cp);

/* ---- the model ---- */
typedef struct tandem__seg {
	char *id;
	int64_t start, end;      /* TANDEM_NO_TIME when untimed */
	char *text;              /* never NULL */
	char *markup;            /* NULL when text has no styling */
	char *translation;       /* NULL when none */
	char *speaker;
	char *section;
	char *settings;          /* WebVTT cue settings */
	int an;                  /* {\anN}, 0 none */
	size_t line;             /* input line, 0 if made */
} tandem__seg;

typedef struct tandem__meta_kv {
	char *key, *value;
} tandem__meta_kv;

typedef struct tandem__block {
	tandem_block_kind kind;
	char *text;
	size_t before;
} tandem__block;

struct tandem_doc {
	tandem__seg *segs;
	size_t nsegs, capsegs;
	tandem__meta_kv *meta;
	size_t nmeta, capmeta;
	tandem__block *blocks;
	size_t nblocks, capblocks;
	int64_t claimed_duration;
};

/* Free a segment's strings (not the segment itself). */
void tandem__seg_free(tandem__seg *s);

/* Replace a heap string field: frees the old value, copies the new (NULL ok). */
void tandem__set_str(char **field, const char *value);
/* A claimed duration as people write it ("82 min", "1 h 22 min", "1h22m",
 * "90 s", "1:22:00", "82:00") in ms, or TANDEM_NO_TIME (core/doc.c). */
int64_t tandem__parse_duration(const char *s, size_t len);

/* ---- reading ---- */

/*
 * The reader context.  A reader gets the decoded UTF-8 text (no BOM), walks
 * it with tandem__lines_next(), and reports with tandem__diag().  In strict
 * mode tandem__warn() becomes an error.
 */
typedef struct tandem__reader {
	const char *data;      /* decoded UTF-8, NUL-terminated */
	size_t len;
	const char *filename;
	int strict;
	tandem_diag_fn diag;
	void *diag_user;
	size_t nerrors, nwarnings;
	/* A streamed conversion (formats/stream.c) sets these; a reader that
	 * can stream hands settled segments over through the window's calls
	 * (formats/stream.h) once more than window_size wait in the document.
	 * NULL: read it whole. */
	struct tandem_window *window;
	size_t window_size;
	/* A streamed conversion read in two halves at once; NULL: one reader. */
	struct tandem__split *split;
	/* A streamed conversion's reader reads its text from the file through
	 * this (see tandem__ring); NULL: from data.  data is then the mapped
	 * input, for what is looked up in place (its last bytes, for one). */
	struct tandem__ring *ring;
} tandem__reader;

/*
 * Report a finding.  Returns the status a reader should return if it stops
 * here: TANDEM_EPARSE for errors (and for warnings in strict mode), else 0.
 * So `if ((rc = tandem__warn(...))) goto fail;` gives lenient recovery and
 * strict failure in one line.
 */
int tandem__diag(tandem__reader *r, tandem_severity sev, const char *rule, size_t line,
                 size_t col, const char *fmt, ...) TANDEM_PRINTF(6, 7);
int tandem__warn(tandem__reader *r, const char *rule, size_t line, size_t col,
                 const char *fmt, ...) TANDEM_PRINTF(5, 6);
/* A warning that points at a second line too ("(see N)"). */
int tandem__warn_see(tandem__reader *r, const char *rule, size_t line, size_t col, size_t line2,
                     const char *fmt, ...) TANDEM_PRINTF(6, 7);
int tandem__error(tandem__reader *r, const char *rule, size_t line, size_t col,
                  const char *fmt, ...) TANDEM_PRINTF(5, 6);
/* The full form: second position and segment index. */
int tandem__diag_full(tandem_diag_fn fn, void *user, const char *file, tandem_severity sev,
                      const char *rule, size_t line, size_t col, size_t line2, size_t col2,
                      long segment, const char *fmt, va_list ap);
/* Variadic form of tandem__diag_full for code with no reader context. */
int tandem__report(tandem_diag_fn fn, void *user, const char *file, tandem_severity sev,
                   const char *rule, size_t line, size_t col, long segment, const char *fmt,
                   ...) TANDEM_PRINTF(9, 10);

/* ---- decoding (core/decode.c) ---- */

/*
 * Turn raw bytes into UTF-8: strip a UTF-8 BOM, transcode UTF-16 with a BOM,
 * and when the bytes are not valid UTF-8 try GB18030 then Big5 (the first
 * that decodes without error wins) and warn that it did.  `forced` names an
 * iconv encoding to use instead.  On success *out is NUL-terminated and
 * *encoding names what was found ("UTF-8", "UTF-8 (BOM)", "UTF-16LE",
 * "GB18030", ...).  When the input was already UTF-8, *out points into
 * `data` itself (which must then be NUL-terminated at data[len]) and
 * *owned is false; otherwise *out is malloc'd and *owned is true.
 */
int tandem__decode(const char *data, size_t len, const char *forced, char **out,
                   size_t *outlen, const char **encoding, bool *owned, tandem__reader *r);

/*
 * The same, except that plain UTF-8 is not checked: the text is the input
 * itself (*owned false), with *unchecked true, and is checked as it is read
 * (see tandem__ring).  Anything else (a forced encoding too) is decoded as
 * above.
 */
int tandem__decode_lazy(const char *data, size_t len, const char *forced, char **out,
                        size_t *outlen, const char **encoding, bool *owned, bool *unchecked,
                        tandem__reader *r);

/* Byte offset of the first invalid UTF-8 sequence, or len if valid. */
size_t tandem__utf8_check(const char *s, size_t len);
/* Valid UTF-8 without a NUL byte (one pass; in two halves at once when big). */
bool tandem__utf8_clean(const char *s, size_t len);

/* Read a whole file ("-" = stdin) into a malloc'd NUL-terminated buffer; errno tells why not. */
int tandem__read_all(const char *path, char **data, size_t *len);

/* ---- text helpers (core/text.c) ---- */

/* What tandem__utf8_decode leaves to utf8proc: the rarer and the ill-formed sequences. */
size_t tandem__utf8_decode_rest(const char *s, size_t len, int32_t *cp);
/*
 * Decode one UTF-8 code point at s (len > 0 bytes available); returns the
 * bytes used (>= 1; an ill-formed sequence is one byte, U+FFFD).  The
 * common, well-formed cases are inline: ASCII and three-byte sequences (CJK).
 */
static inline size_t tandem__utf8_decode(const char *s, size_t len, int32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
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
	return tandem__utf8_decode_rest(s, len, cp);
}
/* Only spaces and tabs. */
bool tandem__blank(const char *s, size_t len);
/* The dominant script of counted text (what tandem_text_script decides). */
tandem_script tandem__script_of_counts(tandem_script_counts k);
/* True for CJK ideographs, kana, hangul and CJK punctuation. */
bool tandem__is_cjk(int32_t cp);
/* The value of an ASCII or full-width digit, else -1. */
int tandem__digit_value(int32_t cp);
/* A Chinese numeral character: its digit (零 〇 一 二 两 ... 九: 0-9) or its
 * unit (十 10, 百 100, 千 1000, 万 10000, 亿 100000000); -1 for anything else.
 * The aligner's anchors and the checker's number rule both read numbers with it. */
long tandem__cjk_numeral(int32_t cp);

/* ---- numbers and URLs in text (core/tokens.c): the aligner's anchors and
 * the checker's number and URL rules scan them alike ---- */

/* Which separators a number holds between two of its digits. */
enum {
	TANDEM__NUM_ANY_SEP,   /* any ',' or '.' (the checker: digits compared, not values) */
	TANDEM__NUM_GROUPED    /* ',' or '，' before exactly three digits, then one '.' or '．'
	                        * as the decimal point (the aligner: "1,234.5" is one value) */
};
typedef struct tandem__number {
	double value;          /* the digits' value, '.' the decimal point (GROUPED) */
	char digits[48];       /* the digits in ASCII, the first 47, NUL-terminated */
	size_t ndigits;
} tandem__number;
/*
 * The number at s (len bytes): ASCII or full-width digits with the
 * separators `seps` allows between them.  Returns its length in bytes, 0
 * when s does not start with a digit.
 */
size_t tandem__number_scan(const char *s, size_t len, int seps, tandem__number *n);
/*
 * An English number word w[0..n), any case: 1 for zero to ninety (in one
 * word), 2 for a scale word (hundred, thousand, million, billion, trillion,
 * bn), with *v its value; 0 for any other word.
 */
int tandem__number_word(const char *w, size_t n, double *v);
/* The length of a URL-looking run s[0..n) without its trailing . , : ; ? ! ) */
size_t tandem__url_trim(const char *s, size_t n);
/*
 * The key a URL is compared by: s[0..n) (its scheme already left out)
 * without a leading "www." and trailing '/', ASCII in lower case, its first
 * cap bytes written to key.  Returns the key's length.
 */
size_t tandem__url_key(const char *s, size_t n, char *key, size_t cap);

/* ---- JSON values (core/jsonval.c): a small DOM for tandem's JSON format,
 * conformance data and configuration ---- */
typedef enum {
	TANDEM_JSON_NULL, TANDEM_JSON_BOOL, TANDEM_JSON_NUMBER, TANDEM_JSON_STRING,
	TANDEM_JSON_ARRAY, TANDEM_JSON_OBJECT
} tandem__json_type;

typedef struct tandem__json tandem__json;
struct tandem__json {
	tandem__json_type type;
	bool boolean;
	double number;
	char *str;              /* STRING: UTF-8, NUL-terminated (may hold \u0000 as len says) */
	size_t len;             /* STRING: bytes */
	tandem__json **items;    /* ARRAY and OBJECT values */
	char **keys;            /* OBJECT keys, parallel to items */
	size_t n;               /* ARRAY/OBJECT: number of items */
	size_t line, col;       /* where the value started (1-based) */
};

/*
 * Parse RFC 8259 JSON.  On success *out is the root (free with
 * tandem__json_free).  On failure returns TANDEM_EPARSE and fills *line,
 * *col and *msg (a static string) when they are not NULL.
 */
int tandem__json_parse(const char *s, size_t len, tandem__json **out, size_t *line, size_t *col,
                      const char **msg);
void tandem__json_free(tandem__json *v);
/* Member of an object by key, or NULL (also when v is not an object). */
const tandem__json *tandem__json_get(const tandem__json *v, const char *key);
/* Append s as a JSON string literal, quotes included. */
void tandem__json_quote(tandem__buf *b, const char *s);

#endif /* TANDEM_PRIVATE_H */
