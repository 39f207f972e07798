/*
 * tandem.h - the public interface of libtandem, a toolkit for bilingual
 * subtitles and transcripts.
 *
 * This header is the manual.  Conventions that hold everywhere:
 *
 *  - Times are int64_t milliseconds.  TANDEM_NO_TIME marks an untimed value.
 *  - Lengths are size_t.  Positions (line, column) are 1-based; columns count
 *    bytes of the decoded UTF-8 text.
 *  - Fallible calls return an int: 0 on success or a negative TANDEM_E*
 *    code; tandem_strerror() gives its text.  Details (with positions) go to
 *    the diagnostics callback given in the options.
 *  - Strings handed in are copied.  Strings handed out are borrowed from the
 *    object they came from and stay valid until that object is changed or
 *    freed, unless the comment says the caller frees them (with free()).
 *  - Every _new has a _free; freeing NULL does nothing.
 *  - Out of memory aborts the process (in exactly one place), as cmark does.
 */
#ifndef TANDEM_H
#define TANDEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TANDEM_API __attribute__((visibility("default")))
#else
#define TANDEM_API
#endif

#define TANDEM_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Status codes                                                        */
/* ------------------------------------------------------------------ */

enum {
	TANDEM_OK = 0,
	TANDEM_EINVAL = -1,   /* bad argument */
	TANDEM_EIO = -2,      /* file could not be read or written */
	TANDEM_EPARSE = -3,   /* input is malformed (details in diagnostics) */
	TANDEM_EENCODING = -4,/* input text could not be decoded */
	TANDEM_EFORMAT = -5,  /* unknown format, or format cannot do this */
	TANDEM_EEMPTY = -6,   /* input holds no segments at all */
	TANDEM_ESAME = -7,    /* output would overwrite an input */
	TANDEM_EMEDIA = -8,   /* media file unreadable or has no audio */
	TANDEM_EREFUSED = -9  /* result too unreliable to use (sync, retime) */
};

/* A static English sentence for a status code. */
TANDEM_API const char *tandem_strerror(int status);

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

typedef enum {
	TANDEM_INFO = 0,
	TANDEM_WARNING = 1,
	TANDEM_ERROR = 2
} tandem_severity;

/*
 * One finding about an input or an output.  `rule` is a stable id
 * (`srt-timestamp`, `vtt-signature`, ...).  `line`/`col` are 0 when the
 * finding has no position; `line2`/`col2` give a second, related position
 * ("cue opened at ...") or are 0.  All strings are borrowed for the duration
 * of the callback.
 */
typedef struct tandem_diag {
	tandem_severity severity;
	const char *rule;
	const char *file;   /* as given in the options, or "<input>" */
	size_t line, col;
	size_t line2, col2;
	long segment;       /* 0-based segment index, or -1 */
	const char *message;
} tandem_diag;

typedef void (*tandem_diag_fn)(const tandem_diag *d, void *user);

/*
 * Format `d` the way compilers do:
 *   file:line:col: severity: message [rule]
 * into buf (always NUL-terminated).  Returns the length it wanted.
 */
TANDEM_API size_t tandem_diag_format(const tandem_diag *d, char *buf, size_t size);
TANDEM_API const char *tandem_severity_name(tandem_severity s);

/* ------------------------------------------------------------------ */
/* The document model                                                  */
/* ------------------------------------------------------------------ */

#define TANDEM_NO_TIME INT64_MIN

typedef struct tandem_doc tandem_doc;

TANDEM_API tandem_doc *tandem_doc_new(void);
TANDEM_API void tandem_doc_free(tandem_doc *doc);
/* A deep copy. */
TANDEM_API tandem_doc *tandem_doc_clone(const tandem_doc *doc);

TANDEM_API size_t tandem_doc_count(const tandem_doc *doc);

/*
 * Append a segment and return its index.  `text` may be NULL (stored as "");
 * `translation` NULL means the segment has none.  Times may be TANDEM_NO_TIME.
 */
TANDEM_API size_t tandem_doc_add(tandem_doc *doc, int64_t start_ms, int64_t end_ms,
                                 const char *text, const char *translation);
/* Remove segments [i, i+n). */
TANDEM_API void tandem_doc_remove(tandem_doc *doc, size_t i, size_t n);

/*
 * Segment fields.  Getters take an index < tandem_doc_count().  String
 * getters return NULL for an absent field, except tandem_seg_text() which
 * never returns NULL.  `text` and `translation` are plain text: no markup,
 * entities decoded.  `markup` is the text with inline styling in WebVTT
 * cue-text syntax (<i>, <b>, <u>, <c.x>, <v>, <lang>, <ruby>/<rt>, inner
 * timestamps, &amp; &lt; &gt;), plus SRT's <font ...>; NULL when the text
 * has no styling.  Setting the text clears the markup.
 */
TANDEM_API const char *tandem_seg_id(const tandem_doc *doc, size_t i);
TANDEM_API int64_t tandem_seg_start(const tandem_doc *doc, size_t i);
TANDEM_API int64_t tandem_seg_end(const tandem_doc *doc, size_t i);
TANDEM_API const char *tandem_seg_text(const tandem_doc *doc, size_t i);
TANDEM_API const char *tandem_seg_markup(const tandem_doc *doc, size_t i);
TANDEM_API const char *tandem_seg_translation(const tandem_doc *doc, size_t i);
TANDEM_API const char *tandem_seg_speaker(const tandem_doc *doc, size_t i);
TANDEM_API const char *tandem_seg_section(const tandem_doc *doc, size_t i);
/* WebVTT cue settings as written ("line:0 align:start"), or NULL. */
TANDEM_API const char *tandem_seg_settings(const tandem_doc *doc, size_t i);
/* ASS/SRT numpad position override {\anN}: 1..9, or 0 for none. */
TANDEM_API int tandem_seg_position(const tandem_doc *doc, size_t i);
/* Where the segment began in its input (1-based line), or 0 if made. */
TANDEM_API size_t tandem_seg_line(const tandem_doc *doc, size_t i);

TANDEM_API void tandem_seg_set_id(tandem_doc *doc, size_t i, const char *id);
TANDEM_API void tandem_seg_set_times(tandem_doc *doc, size_t i, int64_t start_ms, int64_t end_ms);
TANDEM_API void tandem_seg_set_text(tandem_doc *doc, size_t i, const char *text);
TANDEM_API void tandem_seg_set_markup(tandem_doc *doc, size_t i, const char *markup);
TANDEM_API void tandem_seg_set_translation(tandem_doc *doc, size_t i, const char *text);
TANDEM_API void tandem_seg_set_speaker(tandem_doc *doc, size_t i, const char *speaker);
TANDEM_API void tandem_seg_set_section(tandem_doc *doc, size_t i, const char *section);
TANDEM_API void tandem_seg_set_settings(tandem_doc *doc, size_t i, const char *settings);
TANDEM_API void tandem_seg_set_position(tandem_doc *doc, size_t i, int an);

/*
 * Document metadata: a small string map.  Well-known keys:
 *   "title", "source", "show", "status", "kind", "date", "speaker",
 *   "people" (one name per line), "language", "translation_language",
 *   "header"  (the raw header / front matter text of the input, verbatim),
 *   "format"  (the format the document was read from),
 *   "encoding" (the encoding the input was decoded from).
 * tandem_doc_meta returns NULL for an absent key; setting NULL removes it.
 */
TANDEM_API const char *tandem_doc_meta(const tandem_doc *doc, const char *key);
TANDEM_API void tandem_doc_set_meta(tandem_doc *doc, const char *key, const char *value);
/* Iterate keys: returns NULL past the end. */
TANDEM_API const char *tandem_doc_meta_key(const tandem_doc *doc, size_t k);

/* The duration the input claims for its media ("82 min"), or TANDEM_NO_TIME. */
TANDEM_API int64_t tandem_doc_claimed_duration(const tandem_doc *doc);
TANDEM_API void tandem_doc_set_claimed_duration(tandem_doc *doc, int64_t ms);

/*
 * Blocks that are not segments but belong to the document (WebVTT NOTE,
 * STYLE and REGION blocks).  `before` is the index of the segment the block
 * preceded in the input (tandem_doc_count() for a trailing block).
 */
typedef enum {
	TANDEM_BLOCK_NOTE = 0,
	TANDEM_BLOCK_STYLE = 1,
	TANDEM_BLOCK_REGION = 2
} tandem_block_kind;

TANDEM_API size_t tandem_doc_block_count(const tandem_doc *doc);
TANDEM_API tandem_block_kind tandem_doc_block(const tandem_doc *doc, size_t k,
                                             const char **text, size_t *before);
TANDEM_API void tandem_doc_add_block(tandem_doc *doc, tandem_block_kind kind,
                                     const char *text, size_t before);

/* ------------------------------------------------------------------ */
/* Reading and writing                                                 */
/* ------------------------------------------------------------------ */

typedef struct tandem_read_opts {
	const char *filename;   /* for diagnostics; NULL means "<input>" */
	const char *format;     /* format name, or NULL to guess */
	const char *encoding;   /* iconv name to force, or NULL to detect */
	int strict;             /* oddities are errors, not warnings */
	tandem_diag_fn diag;    /* may be NULL */
	void *diag_user;
} tandem_read_opts;

typedef enum {
	TANDEM_ORDER_SOURCE_FIRST = 0,
	TANDEM_ORDER_TRANSLATION_FIRST = 1
} tandem_order;

typedef enum {
	TANDEM_SIDE_BOTH = 0,
	TANDEM_SIDE_SOURCE = 1,
	TANDEM_SIDE_TRANSLATION = 2
} tandem_side;

typedef struct tandem_write_opts {
	int crlf;                   /* CRLF line ends */
	tandem_order order;         /* bilingual cue layout */
	tandem_side side;           /* which language(s) to write */
	int vtt_style;              /* WebVTT: emit a STYLE block for the languages */
	int timings;                /* post: data-start/data-end on <details> */
	const char *meta_file;      /* post: front matter from this YAML file */
	const char *summary_label;  /* post: NULL = "View/Hide Original English" */
	size_t para_chars;          /* post: paragraph length target; 0 = default,
	                               1 = one paragraph per segment */
	const char *ass_layout;     /* ass: "top" | "bottom" (translation's place) */
	tandem_diag_fn diag;        /* told what the target could not hold */
	void *diag_user;
	const char *filename;       /* output name for diagnostics */
} tandem_write_opts;

/* Zero-initialised options are the defaults. */
TANDEM_API void tandem_read_opts_init(tandem_read_opts *o);
TANDEM_API void tandem_write_opts_init(tandem_write_opts *o);

/*
 * Parse `len` bytes into a new document (*out, caller frees with
 * tandem_doc_free).  The bytes are decoded first (BOM, UTF-16, or GB18030 /
 * Big5 when they are not UTF-8).  On failure *out is NULL and the status
 * says why; diagnostics carry the positions.  A non-empty input with no
 * segment is TANDEM_EEMPTY.
 */
TANDEM_API int tandem_doc_read(tandem_doc **out, const char *data, size_t len,
                               const tandem_read_opts *opts);
/* Same, from a path ("-" is stdin).  opts->filename defaults to path. */
TANDEM_API int tandem_doc_read_file(tandem_doc **out, const char *path,
                                    const tandem_read_opts *opts);

/* Render into a malloc'd buffer (*out, NUL-terminated, caller frees). */
TANDEM_API int tandem_doc_write(const tandem_doc *doc, const char *format,
                                const tandem_write_opts *opts, char **out, size_t *len);
/*
 * Render to a path ("-" is stdout) through a temporary file in the same
 * directory and a rename, so no half-written file is ever left behind.
 */
TANDEM_API int tandem_doc_write_file(const tandem_doc *doc, const char *format,
                                     const tandem_write_opts *opts, const char *path);

/* Atomically replace `path` with `len` bytes ("-" writes to stdout). */
TANDEM_API int tandem_write_atomic(const char *path, const char *data, size_t len);
/*
 * Remove the temporary files of writes in progress.  Async-signal-safe: a
 * program calls it from its SIGINT/SIGTERM handler before exiting.
 */
TANDEM_API void tandem_cleanup_temps(void);
/* 1 when both paths name one existing file (same device and inode). */
TANDEM_API int tandem_same_file(const char *a, const char *b);

/* Formats. */
TANDEM_API size_t tandem_format_count(void);
TANDEM_API const char *tandem_format_name(size_t k);
/* Space-separated file extensions, without dots. */
TANDEM_API const char *tandem_format_extensions(size_t k);
TANDEM_API int tandem_format_can_read(const char *name);
TANDEM_API int tandem_format_can_write(const char *name);
/* The format a path's extension names, or NULL. */
TANDEM_API const char *tandem_format_from_path(const char *path);
/* Best guess from content (decoded UTF-8), or NULL. */
TANDEM_API const char *tandem_format_sniff(const char *data, size_t len);

/* ------------------------------------------------------------------ */
/* Text measures (utf8proc)                                            */
/* ------------------------------------------------------------------ */

/* Extended grapheme clusters in UTF-8 text. */
TANDEM_API size_t tandem_text_graphemes(const char *s, size_t len);
/* Display columns: East Asian wide characters count 2. */
TANDEM_API size_t tandem_text_width(const char *s, size_t len);

typedef struct tandem_script_counts {
	size_t latin;  /* Latin letters */
	size_t han;    /* CJK ideographs, kana, hangul */
	size_t other;  /* other letters */
	size_t digits;
} tandem_script_counts;

TANDEM_API tandem_script_counts tandem_text_scripts(const char *s, size_t len);

typedef enum {
	TANDEM_SCRIPT_NONE = 0,   /* no letters */
	TANDEM_SCRIPT_LATIN = 1,
	TANDEM_SCRIPT_CJK = 2,
	TANDEM_SCRIPT_OTHER = 3
} tandem_script;

/* The dominant script of a string. */
TANDEM_API tandem_script tandem_text_script(const char *s, size_t len);
TANDEM_API const char *tandem_script_name(tandem_script s);

/* Markup (see tandem_seg_markup) to plain text: tags removed, entities decoded.  Caller frees. */
TANDEM_API char *tandem_markup_to_plain(const char *markup);
/* Plain text to markup: & < > escaped.  Caller frees. */
TANDEM_API char *tandem_plain_to_markup(const char *plain);

/* ------------------------------------------------------------------ */
/* Aligner (align/align.c)                                             */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Checker (align/check.c)                                             */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Media: duration and decoding (formats/media.c, formats/audio.c)     */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Retime and sync (align/vad.c, align/retime.c, align/sync.c)         */
/* ------------------------------------------------------------------ */

#ifdef __cplusplus
}
#endif

#endif /* TANDEM_H */
