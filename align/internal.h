/*
 * internal.h - what the library's own files share and the public header
 * does not show: the model's structs, the string buffer, the reader context
 * with its line scanner and diagnostics, and the format table.
 *
 * Names here are tandem__ (two underscores) and are hidden from the shared
 * library's symbol table.
 */
#ifndef TANDEM_INTERNAL_H
#define TANDEM_INTERNAL_H

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
typedef struct tandem_buf {
	char *ptr;
	size_t len, cap;
} tandem_buf;

#define TANDEM_BUF_INIT {tandem__empty, 0, 0}
extern char tandem__empty[1];

void tandem_buf_grow(tandem_buf *b, size_t extra);
void tandem_buf_put_slow(tandem_buf *b, const char *s, size_t n);
void tandem_buf_putc_slow(tandem_buf *b, char c);
/* Inline: writers and readers append in their inner loops, mostly a few
 * bytes (a literal's length is then known at compile time). */
static inline void tandem_buf_put(tandem_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 <= b->cap) {
		memmove(b->ptr + b->len, s, n);
		b->len += n;
		b->ptr[b->len] = '\0';
	} else {
		tandem_buf_put_slow(b, s, n);
	}
}
static inline void tandem_buf_puts(tandem_buf *b, const char *s)
{
	tandem_buf_put(b, s, strlen(s));
}
static inline void tandem_buf_putc(tandem_buf *b, char c)
{
	if (b->len + 2 <= b->cap) {
		b->ptr[b->len++] = c;
		b->ptr[b->len] = '\0';
	} else {
		tandem_buf_putc_slow(b, c);
	}
}
void tandem_buf_printf(tandem_buf *b, const char *fmt, ...) TANDEM_PRINTF(2, 3);
void tandem_buf_clear(tandem_buf *b);
/* Hand the memory to the caller (malloc'd, NUL-terminated); b is reset. */
char *tandem_buf_detach(tandem_buf *b, size_t *len);
void tandem_buf_free(tandem_buf *b);
/* Trim trailing ASCII whitespace. */
void tandem_buf_rtrim(tandem_buf *b);

/* Append "HH:MM:SS<sep>mmm" (hours at least 2 digits). */
void tandem_buf_time(tandem_buf *b, int64_t ms, char sep);

/* ---- the model ---- */
typedef struct tandem_seg {
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
} tandem_seg;

typedef struct tandem_meta_kv {
	char *key, *value;
} tandem_meta_kv;

typedef struct tandem_block {
	tandem_block_kind kind;
	char *text;
	size_t before;
} tandem_block;

struct tandem_doc {
	tandem_seg *segs;
	size_t nsegs, capsegs;
	tandem_meta_kv *meta;
	size_t nmeta, capmeta;
	tandem_block *blocks;
	size_t nblocks, capblocks;
	int64_t claimed_duration;
};

/* Free a segment's strings (not the segment itself). */
void tandem__seg_free(tandem_seg *s);

/* Replace a heap string field: frees the old value, copies the new (NULL ok). */
void tandem__set_str(char **field, const char *value);

/* ---- reading ---- */

/*
 * The reader context.  A reader gets the decoded UTF-8 text (no BOM), walks
 * it with tandem_lines_next(), and reports with tandem__diag().  In strict
 * mode tandem__warn() becomes an error.
 */
typedef struct tandem_reader {
	const char *data;      /* decoded UTF-8, NUL-terminated */
	size_t len;
	const char *filename;
	int strict;
	tandem_diag_fn diag;
	void *diag_user;
	size_t nerrors, nwarnings;
	/* A streamed conversion (formats/io.c) sets these; a reader that can
	 * stream hands settled segments over with tandem__window_offer() once
	 * more than window_size wait in the document.  NULL: read it whole. */
	struct tandem_window *window;
	size_t window_size;
	/* A streamed conversion read in two halves at once; NULL: one reader. */
	struct tandem_split *split;
	/* A streamed conversion's reader reads its text from the file through
	 * this (see tandem_ring); NULL: from data.  data is then the mapped
	 * input, for what is looked up in place (its last bytes, for one). */
	struct tandem_ring *ring;
} tandem_reader;

/*
 * A big streamed conversion is read in two halves at once (formats/io.c).
 * The second half starts at a cue boundary `at` and is read, normalised and
 * written to memory on another thread, assuming what the main reader will
 * know when it gets there.  When the main reader reaches `at` it calls
 * tandem__split_join(); if the second reader's assumptions hold, the halves
 * are stitched (the result is byte for byte the one-reader result), else the
 * main reader reads on through the second half itself.
 */
typedef struct tandem_split {
	bool second;          /* this reader reads the second half */
	size_t at;            /* main reader: offset in its text where the second half starts */
	size_t line_base;     /* main reader, at `at`: the lines before it (the second
	                         reader numbers its lines from its own start) */
	uint64_t prev_num;    /* SRT: the number of the cue before `at`, as assumed */
	/* Second reader: its own end state (SRT: the speaker names it saw), for
	 * the main one to check against its own; freed with tail_free. */
	void *tail;
	void (*tail_free)(void *);
	struct tandem_half *half;   /* main reader: the second half (io.c's) */
} tandem_split;

/*
 * The main reader is at `at` with doc holding what it has not handed over.
 * Hands it all over, then waits for the second reader.  Returns its tail
 * when its result can be used so far as io.c can tell, else NULL.
 */
void *tandem__split_join(tandem_reader *r, tandem_doc *doc);
/*
 * After tandem__split_join: `use` says whether the reader's own checks
 * passed too.  Stitches (returns 1: the reader stops, the second reader has
 * read the rest and doc holds its unsettled tail) or lets the main reader
 * read on (returns 0); a negative TANDEM_E* on a failed write.
 */
int tandem__split_end(tandem_reader *r, tandem_doc *doc, bool use);
/* Where an SRT text may be cut for a second reader: the offset of the first
 * cue number line at or after `from` with one blank line before it and a
 * timing line after it (its number in *num), or 0 when none is near. */
size_t tandem__srt_split_point(const char *data, size_t len, size_t from, uint64_t *num);
/* Two same-timed cues in two scripts that fold into one bilingual cue. */
bool tandem__bilingual_foldable(const tandem_seg *a, const tandem_seg *b);

/*
 * Normalise, write and free doc->segs[0..n), which the reader will not
 * touch again; a cue that may pair with the next one stays at the front.
 */
int tandem__window_offer(tandem_reader *r, tandem_doc *doc, size_t n);
/* A decision taken on the first window would not be the whole document's. */
void tandem__window_diverge(tandem_reader *r);
/* tandem_convert_file with its knobs. */
typedef struct tandem_stream_knobs {
	size_t window;        /* segments between hand-overs; 0: never stream */
	size_t map_min;       /* stream only inputs of at least this many bytes */
	size_t split_min;     /* read in two halves inputs of at least this many bytes */
	size_t split_from;    /* look for the second half's start from here (SIZE_MAX: the middle) */
	bool half_waits;      /* (tests) the second reader waits for the main one at each
	                         hand-over, so its output is always moved (formats/io.c) */
	bool stitched;        /* out: the halves were stitched */
	bool moved;           /* out: the second half's output was moved while it was read */
	bool again;           /* out: read through a ring, it was not UTF-8: read again decoded */
	size_t ring_piece;    /* (tests) a ring reads this many bytes at a time; 0: its own */
	size_t ring_slide;    /* (tests) and slides this far into its buffer; 0: its own */
} tandem_stream_knobs;
int tandem__convert_file(const char *in, const char *out, const char *format,
                         const tandem_read_opts *ropts, const tandem_write_opts *wopts,
                         tandem_stream_knobs *knobs);

/*
 * Report a finding.  Returns the status a reader should return if it stops
 * here: TANDEM_EPARSE for errors (and for warnings in strict mode), else 0.
 * So `if ((rc = tandem__warn(...))) goto fail;` gives lenient recovery and
 * strict failure in one line.
 */
int tandem__diag(tandem_reader *r, tandem_severity sev, const char *rule, size_t line,
                 size_t col, const char *fmt, ...) TANDEM_PRINTF(6, 7);
int tandem__warn(tandem_reader *r, const char *rule, size_t line, size_t col,
                 const char *fmt, ...) TANDEM_PRINTF(5, 6);
/* A warning that points at a second line too ("(see N)"). */
int tandem__warn_see(tandem_reader *r, const char *rule, size_t line, size_t col, size_t line2,
                     const char *fmt, ...) TANDEM_PRINTF(6, 7);
int tandem__error(tandem_reader *r, const char *rule, size_t line, size_t col,
                  const char *fmt, ...) TANDEM_PRINTF(5, 6);
/* The full form: second position and segment index. */
int tandem__diag_full(tandem_diag_fn fn, void *user, const char *file, tandem_severity sev,
                      const char *rule, size_t line, size_t col, size_t line2, size_t col2,
                      long segment, const char *fmt, va_list ap);
/* Variadic form of tandem__diag_full for code with no reader context. */
int tandem__report(tandem_diag_fn fn, void *user, const char *file, tandem_severity sev,
                   const char *rule, size_t line, size_t col, long segment, const char *fmt,
                   ...) TANDEM_PRINTF(9, 10);

/*
 * Line scanner over LF, CRLF and CR line ends.  Each call yields one line
 * (without its terminator) and its 1-based number; returns false at the end.
 * A final line without a terminator is still yielded; an empty input yields
 * nothing.
 */
typedef struct tandem_lines {
	const char *p, *end;
	size_t lineno;
	const char *lf;        /* next LF at or after p (end if none), cached */
	const char *cr, *crend; /* next CR before crend, else crend: a CR is looked for
	                          only a stretch ahead, and cached */
	const char *seen;      /* the line last peeked starts here (readers peek a line,
	                          then take it)... */
	const char *seen_next; /* ...and is followed by this */
	size_t seen_len;
	struct tandem_ring *ring; /* the text is read into this as the scan goes;
	                             NULL: it is all in memory */
} tandem_lines;

typedef struct tandem_line {
	const char *s;
	size_t len;
	size_t no;
	const char *next;      /* first byte after its terminator */
} tandem_line;

void tandem_lines_init(tandem_lines *it, const char *data, size_t len);
bool tandem_lines_next(tandem_lines *it, tandem_line *out);
/* Look at the next line without consuming it. */
bool tandem__lines_find(const tandem_lines *it, tandem_line *out);
static inline bool tandem_lines_peek(const tandem_lines *it, tandem_line *out)
{
	/* Readers peek at a line, then take it: the second look is free. */
	if (it->seen == it->p && it->p < it->end) {
		out->s = it->p;
		out->no = it->lineno + 1;
		out->len = it->seen_len;
		out->next = it->seen_next;
		return true;
	}
	return tandem__lines_find(it, out);
}
/*
 * Take the line just peeked.  Unlike tandem_lines_next, this does not tell
 * the reading in progress on this thread how far it got: for scanners that
 * look ahead of the reader (the page-giving-back in tandem__input_progress
 * would otherwise release pages the reader has yet to read).
 */
static inline void tandem_lines_take(tandem_lines *it, const tandem_line *ln)
{
	it->p = ln->next;
	it->lineno++;
}

bool tandem__blank(const char *s, size_t len);   /* only spaces/tabs */

/*
 * Input held in a file mapping (see formats/io.c) need not stay resident
 * once a reader is past it: the pages can be dropped and would come back
 * from the file if touched again.  The line scanner calls this as it goes.
 */
void tandem__input_mapped(const char *base, size_t len);   /* NULL: none */
void tandem__input_progress(const char *p);

/*
 * A streamed conversion's reader does not walk the mapped input: it reads
 * its part of the file into a small buffer that it reuses, a piece at a
 * time, with pread(2), and checks each piece as UTF-8 while it is in the
 * cache (formats/ring.c).  On this machine the first touch of each page of
 * a mapping costs about 3.5 us (100 MB: 25,600 pages, 90 ms of CPU); the
 * kernel's copy into pages already touched costs a fifth of that.
 *
 * The scanner sees only checked bytes.  A piece that is not valid UTF-8,
 * or holds a NUL, ends the scan and sets `failed`: the caller reads the
 * input again, decoded (tandem__decode).  Text is dropped from the buffer
 * only at tandem_lines_slide(), which the reader calls where it holds no
 * line: everything else in it stays where it is while the scan reads on.
 */
typedef struct tandem_ring {
	int fd;
	off_t from;             /* the file offset of the text's first byte */
	size_t len;             /* the text's length */
	char *buf;              /* the text from offset `base` on, NUL-terminated */
	size_t base, fill;      /* buf[0, fill) read... */
	size_t checked;         /* ...buf[0, checked) checked (the rest ends inside a character) */
	size_t reserved;        /* address space held for buf (the longest line can take all) */
	size_t piece, slide;    /* bytes read at a time; how far the scan goes before a slide */
	bool failed;            /* not UTF-8 (or a NUL), or unreadable */
} tandem_ring;

/* False if no buffer could be had. */
bool tandem_ring_open(tandem_ring *g, int fd, off_t from, size_t len);
void tandem_ring_close(tandem_ring *g);
/* Read the next piece; false at the end of the text or on failure. */
bool tandem__ring_more(tandem_ring *g);

void tandem_lines_init_ring(tandem_lines *it, tandem_ring *g);
/* A point where the reader holds no line: the buffer may drop what the scan has passed. */
void tandem_lines_slide(tandem_lines *it);
/* The offset in the text of q, a byte the scan has handed out. */
static inline size_t tandem_lines_offset(const tandem_lines *it, const char *text,
                                         const char *q)
{
	return it->ring ? it->ring->base + (size_t)(q - it->ring->buf) : (size_t)(q - text);
}

/* ---- decoding (formats/decode.c) ---- */

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
                   size_t *outlen, const char **encoding, bool *owned, tandem_reader *r);

/*
 * The same, except that plain UTF-8 is not checked: the text is the input
 * itself (*owned false), with *unchecked true, and is checked as it is read
 * (see tandem_ring).  Anything else (a forced encoding too) is decoded as
 * above.
 */
int tandem__decode_lazy(const char *data, size_t len, const char *forced, char **out,
                        size_t *outlen, const char **encoding, bool *owned, bool *unchecked,
                        tandem_reader *r);

/* Byte offset of the first invalid UTF-8 sequence, or len if valid. */
size_t tandem__utf8_check(const char *s, size_t len);
/* Valid UTF-8 without a NUL byte (one pass; in two halves at once when big). */
bool tandem__utf8_clean(const char *s, size_t len);

/* Read a whole file ("-" = stdin) into a malloc'd NUL-terminated buffer; errno tells why not. */
int tandem__read_all(const char *path, char **data, size_t *len);

/* ---- writing ---- */

/*
 * A writer called a window at a time (a streamed conversion): doc holds the
 * next segments only.  The writer writes its head on the first window and
 * its closing notes on the last, and keeps what it counts in between here.
 */
typedef struct tandem_wwin {
	size_t base;             /* index of doc->segs[0] in the whole document */
	bool first, last;
	bool probe;              /* only take (or check) the decisions; write nothing */
	bool diverged;           /* set by the writer: a head decision would change */
	bool flag;               /* the writer's own running state: */
	const char *str[2];
	size_t count[8];
	unsigned bits;
} tandem_wwin;

typedef struct tandem_writer {
	const tandem_write_opts *opts;
	const char *nl;          /* "\n" or "\r\n" */
	int fd;                  /* streaming to a file: >= 0; to memory: -1 */
	int error;               /* a streamed write failed (errno value) */
	tandem_wwin *win;        /* NULL: doc is the whole document */
	struct tandem_outq *queue; /* non-NULL: a thread does the write()s */
} tandem_writer;

/*
 * Writers call this between cues: when writing to a file and the buffer has
 * grown past a threshold, its contents go to the file and it is emptied, so
 * a 100 MB conversion never holds the whole output.  Call it only where the
 * writer no longer needs to look back at what it wrote.
 */
void tandem__writer_flush(const tandem_writer *w, tandem_buf *out);

/* Report something the target format could not hold (severity info/warning). */
void tandem__write_note(const tandem_write_opts *o, tandem_severity sev, const char *rule,
                        const char *fmt, ...) TANDEM_PRINTF(4, 5);

/* ---- the format table (formats/registry.c) ---- */
typedef struct tandem_format {
	const char *name;
	const char *extensions;     /* space separated, no dots */
	/* 0..100: how sure it is that decoded text is in this format; NULL = never guess. */
	int (*sniff)(const char *data, size_t len);
	/* Fill doc from r->data.  NULL when the format cannot be read. */
	int (*read)(tandem_reader *r, tandem_doc *doc);
	/* Append the rendering to out.  NULL when the format cannot be written. */
	int (*write)(const tandem_doc *doc, const tandem_writer *w, tandem_buf *out);
} tandem_format;

const tandem_format *tandem__format_find(const char *name);
/* tandem_format_sniff for text already NUL-terminated at text[len] (no copy). */
const char *tandem__format_sniff(const char *text, size_t len);

/* ---- text helpers (align/text.c) ---- */

/* Decode one UTF-8 code point at s (len bytes available); returns bytes used (>=1). */
size_t tandem__utf8_decode(const char *s, size_t len, int32_t *cp);
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

/* ---- JSON values (align/json.c): a small DOM for tandem's JSON format,
 * conformance data and configuration ---- */
typedef enum {
	TANDEM_JSON_NULL, TANDEM_JSON_BOOL, TANDEM_JSON_NUMBER, TANDEM_JSON_STRING,
	TANDEM_JSON_ARRAY, TANDEM_JSON_OBJECT
} tandem_json_type;

typedef struct tandem_json tandem_json;
struct tandem_json {
	tandem_json_type type;
	bool boolean;
	double number;
	char *str;              /* STRING: UTF-8, NUL-terminated (may hold \u0000 as len says) */
	size_t len;             /* STRING: bytes */
	tandem_json **items;    /* ARRAY and OBJECT values */
	char **keys;            /* OBJECT keys, parallel to items */
	size_t n;               /* ARRAY/OBJECT: number of items */
	size_t line, col;       /* where the value started (1-based) */
};

/*
 * Parse RFC 8259 JSON.  On success *out is the root (free with
 * tandem_json_free).  On failure returns TANDEM_EPARSE and fills *line,
 * *col and *msg (a static string) when they are not NULL.
 */
int tandem_json_parse(const char *s, size_t len, tandem_json **out, size_t *line, size_t *col,
                      const char **msg);
void tandem_json_free(tandem_json *v);
/* Member of an object by key, or NULL (also when v is not an object). */
const tandem_json *tandem_json_get(const tandem_json *v, const char *key);
/* Append s as a JSON string literal, quotes included. */
void tandem_json_quote(tandem_buf *b, const char *s);

/* ---- radix-2 FFT (align/sync.c), shared with the voice detector ---- */
typedef struct tandem_fft tandem_fft;
/* A plan for n points; n must be a power of two (>= 2). */
tandem_fft *tandem__fft_new(size_t n);
/* In place; the inverse is unscaled (divide by n). */
void tandem__fft_run(const tandem_fft *p, double *re, double *im, bool inverse);
void tandem__fft_free(tandem_fft *p);

/* ---- bilingual layouts and paragraph text (align/bilingual.c) ---- */

/*
 * After a subtitle format's reader (srt, vtt, ass, ...; other formats are
 * left alone): fold doubled same-timed cues in two scripts into bilingual
 * cues and split cues whose lines are a run in one script then another.
 * Reports what it did (info) and stray cues (warning); returns the reader's
 * stop status (TANDEM_EPARSE in strict mode on a warning), else 0.
 */
int tandem__bilingual_normalize(tandem_reader *r, tandem_doc *doc, const char *format);
bool tandem__bilingual_applies(const char *format);

/* The same, a window at a time, for a streamed conversion. */
typedef struct tandem_bistream {
	bool decided;                 /* fold/doubled/split below are taken */
	bool fold, doubled, split;    /* the layouts, decided on the first window */
	bool diverged;                /* the whole file would have decided otherwise */
	size_t pairs, segs;           /* doubled pairs among cues, all windows */
	size_t cands, split_segs;     /* stacked cues among folded cues, all windows */
	size_t folded, fold_swapped, fold_line;
	size_t nsplit, split_swapped, split_line;
	size_t *unpaired, nunpaired, capunpaired;   /* lines warned about at the end */
} tandem_bistream;

/*
 * Normalise doc->segs[0..n).  Unless `last`, a final cue that may pair with
 * the next window's first is held back.  Returns how many segments at the
 * front of doc are settled; held-back and later cues follow them.
 */
size_t tandem__bilingual_window(tandem_bistream *bs, tandem_doc *doc, size_t n, bool last);
/* Report what was done; sets bs->diverged (and reports nothing) when the
 * first window's decisions are not the whole file's. */
int tandem__bilingual_finish(tandem_bistream *bs, tandem_reader *r);
void tandem__bistream_free(tandem_bistream *bs);
/* The decisions of `from` (a stream's first window) without its counts. */
void tandem__bistream_decided(tandem_bistream *to, const tandem_bistream *from);
/* Add base to the line numbers bs keeps (they were counted from a later start). */
void tandem__bistream_rebase(tandem_bistream *bs, size_t base);
/* Add what `more` (the stream after `into`'s part) counted to `into`; empties `more`. */
void tandem__bistream_merge(tandem_bistream *into, tandem_bistream *more);
/* Append n bytes of s to b across a line break, the CSS Text 3 way: no space
 * between two East Asian wide characters, one space otherwise. */
void tandem__text_join(tandem_buf *b, const char *s, size_t n);
/* True when s[0..n) ends a sentence (.?! 。？！…, closing quotes allowed). */
bool tandem__ends_sentence(const char *s, size_t n);
/* The script of one side of a bilingual pair: CJK as soon as CJK is a real
 * share of the letters (translations keep Latin names), else the dominant one. */
tandem_script tandem__line_script(const char *s, size_t n);

/* ---- WebVTT cue settings and regions as the spec's parser gives them
 * (formats/vtt.c; used by the reader and the WPT conformance driver) ---- */
typedef struct tandem_vtt_region {
	char *id;                      /* heap; "" when none */
	double width, lines;           /* 100, 3 */
	double anchor_x, anchor_y;     /* region anchor: 0, 100 */
	double viewport_x, viewport_y; /* viewport anchor: 0, 100 */
	bool scroll_up;
} tandem_vtt_region;

typedef struct tandem_vtt_cue {
	long region;                   /* index into the regions given, -1 = null */
	const char *vertical;          /* "", "rl", "lr" (static strings, VTTCue names) */
	bool snap_to_lines, line_auto, position_auto;
	double line, position, size;
	const char *line_align;        /* "start" | "center" | "end" */
	const char *position_align;    /* "auto" | "line-left" | "center" | "line-right" */
	const char *align;             /* "start" | "center" | "end" | "left" | "right" */
} tandem_vtt_cue;

/* Parse a REGION block's settings (the lines after "REGION"); caller frees out->id. */
int tandem__vtt_region(const char *s, size_t n, tandem_vtt_region *out, tandem_reader *r,
                       size_t line);
/* Parse cue settings into their DOM values.  r may be NULL; otherwise each
 * ignored setting is a warning at line:col (col = where s starts). */
int tandem__vtt_settings(const char *s, size_t n, const tandem_vtt_region *regions,
                         size_t nregions, tandem_vtt_cue *out, tandem_reader *r, size_t line,
                         size_t col);

#endif /* TANDEM_INTERNAL_H */
