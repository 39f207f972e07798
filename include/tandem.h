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
 *   "encoding" (the encoding the input was decoded from),
 *   "duration" (the claimed duration as the input wrote it, "82 min"),
 *   "summary_label" (a post's <details> summary, when not the default),
 *   "final_newline" ("no" when the input's last line had no line break;
 *              the transcript and post writers then leave it off too).
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
 * preceded in the input (tandem_doc_count() for a trailing block).  `text`
 * is the block verbatim with its keyword line ("NOTE ...", "STYLE",
 * "REGION") and LF line ends.
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

/*
 * Which cues of a subtitle carry their speaker's label (tandem_write_opts
 * speakers).  SRT shows it as text ("Name: " before the cue), so CHANGE
 * writes it on the first cue of each speaker's run only, as podcast
 * transcripts do.  A WebVTT voice (<v Name>) and an ASS event's Name are
 * not shown as text: they stay on every cue under CHANGE and EVERY.  NONE
 * writes no speaker in SRT, WebVTT or ASS.
 */
typedef enum {
	TANDEM_SPEAKERS_CHANGE = 0, /* when the speaker changes (the default) */
	TANDEM_SPEAKERS_EVERY = 1,  /* on every cue that has one */
	TANDEM_SPEAKERS_NONE = 2    /* never */
} tandem_speakers;

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
	const char *ass_layout;     /* ass: "top" | "bottom" (translation's place);
	                               NULL: as order says (translation-first: top) */
	tandem_speakers speakers;   /* srt, vtt, ass: which cues name their speaker */
	int drop_glosses;           /* srt, vtt, ass, lines: drop term glosses
	                               ("（End-to-End: ...）") from the text */
	tandem_diag_fn diag;        /* told what the target could not hold */
	void *diag_user;
	const char *filename;       /* output name for diagnostics */
	/*
	 * The output's encoding: any iconv name (GB18030, GBK, BIG5, UTF-16LE,
	 * ...); NULL is UTF-8.  A character the target cannot hold is an
	 * error (rule "out-encoding", naming the first cue that has one, its
	 * number and first words) and the write fails with TANDEM_EENCODING,
	 * nothing written; never a silent '?'.  An unknown name is
	 * TANDEM_EINVAL (rule "out-encoding").  Line ends are as `crlf` says,
	 * in the target's code units.
	 */
	const char *out_encoding;
	int bom;                    /* start with a byte order mark (U+FEFF in
	                               the output encoding; UTF-8: EF BB BF) */
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

/*
 * Render into a malloc'd buffer (*out, NUL-terminated, caller frees).
 * A document read from a post (meta "format" is "post") holds each
 * paragraph's Markdown verbatim as the translation, so that a post written
 * back is the post read; the subtitle formats (srt, vtt, ass, lines) write
 * it as the plain text the rendered page shows (**端到端** is 端到端, a link
 * its text).  opts->speakers and opts->drop_glosses apply to those formats.
 */
TANDEM_API int tandem_doc_write(const tandem_doc *doc, const char *format,
                                const tandem_write_opts *opts, char **out, size_t *len);
/*
 * Render to a path ("-" is stdout) through a temporary file in the same
 * directory and a rename, so no half-written file is ever left behind.
 */
TANDEM_API int tandem_doc_write_file(const tandem_doc *doc, const char *format,
                                     const tandem_write_opts *opts, const char *path);

/*
 * Read `in` and write it to `out` as `format` ("-" for stdin/stdout): what
 * tandem_doc_read_file then tandem_doc_write_file do, with the same output
 * and diagnostics, but a big SRT file going to SRT or WebVTT is streamed
 * (memory stays flat whatever its size).  TANDEM_ESAME when out is in.
 */
TANDEM_API int tandem_convert_file(const char *in, const char *out, const char *format,
                                   const tandem_read_opts *ropts,
                                   const tandem_write_opts *wopts);

/*
 * Timing edits that need no recording (core/timeedit.c).  Untimed values
 * stay untimed; inline timestamps in the markup (WebVTT <00:01.500>) move
 * with their cue.
 *
 * tandem_doc_shift adds `ms` (may be negative) to every time.  A start
 * pushed below 0 is clamped to 0, said once (info "shift-clamped"); a cue
 * whose end falls at or below 0 is dropped, each with a warning naming it
 * (its 1-based number, first words and input line; rule "shift-dropped",
 * `filename` being the name the findings carry, NULL: "<input>").  diag
 * may be NULL.  0, or TANDEM_EINVAL for a NULL doc.
 */
TANDEM_API int tandem_doc_shift(tandem_doc *doc, int64_t ms, const char *filename,
                                tandem_diag_fn diag, void *diag_user);
/*
 * tandem_doc_scale multiplies every time by num/den (rounded to the
 * millisecond): a file timed for FROM frames a second played at TO is
 * scaled by FROM/TO, as pysubs2's --transform-framerate FROM TO does
 * (tandem_doc_scale(doc, 25, 23.976)).  0, or TANDEM_EINVAL for a NULL
 * doc or a num or den that is not a positive finite number.
 */
TANDEM_API int tandem_doc_scale(tandem_doc *doc, double num, double den);

/* Atomically replace `path` with `len` bytes ("-" writes to stdout). */
TANDEM_API int tandem_write_atomic(const char *path, const char *data, size_t len);
/*
 * Remove the temporary files of writes in progress.  Async-signal-safe: a
 * program calls it from its SIGINT/SIGTERM handler before exiting.
 */
TANDEM_API void tandem_cleanup_temps(void);
/*
 * The most bytes read from an input that is not a regular file (stdin, a
 * pipe, a device such as /dev/zero, which never ends): past it the read
 * fails (TANDEM_EIO, errno EFBIG).  Regular files are read whole, whatever
 * their size.  0 restores the default, 4 GiB.  Process-wide; set it before
 * reading.
 */
#define TANDEM_MAX_INPUT_DEFAULT ((uint64_t)4 << 30)
TANDEM_API void tandem_set_max_input(uint64_t bytes);
TANDEM_API uint64_t tandem_max_input(void);
/* 1 when both paths name one existing file (same device and inode). */
TANDEM_API int tandem_same_file(const char *a, const char *b);
/*
 * 1 when writing `out` would overwrite the input `in`: both name one existing
 * file (same device and inode, symlinks followed).  "-" is stdin for `in`
 * and stdout for `out`, and counts when it is a regular file: so
 * `tandem convert - -o a.srt < a.srt` is caught.
 */
TANDEM_API int tandem_output_is_input(const char *out, const char *in);

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
/* Aligner (align/)                                                   */
/* ------------------------------------------------------------------ */

/*
 * The aligner pairs the segments of a source document with those of its
 * translation, which may be segmented differently.  A link joins a run of
 * source segments with a run of translation segments; its shape is one of
 * 1-1, 1-2, 2-1, 1-3, 3-1, 2-2, 1-0 (source segment left untranslated) and
 * 0-1 (translation segment left unused).  Links are in document order and
 * cover both documents exactly once.
 *
 * The cost model (a sum of log-likelihood ratios, see align/align_internal.h
 * and docs/aligner.md) weighs lengths in graphemes with a ratio and variance
 * estimated from the two documents, anchors (numbers, Latin names kept in a CJK
 * text, URLs, ?/!), segment ends (mid-sentence cuts), time overlap when
 * both are timed, speaker changes, and an optional lexicon.
 */

/*
 * A word lexicon: `中文 @ english` lines, or CC-CEDICT lines
 * (`傳統 简体 [pin1 yin1] /gloss/gloss/`).  '#' starts a comment line.
 */
typedef struct tandem_lexicon tandem_lexicon;

/* Parse lexicon text; lines that are neither form are warned about
 * (rule lexicon-line) and skipped.  *out is freed with tandem_lexicon_free. */
TANDEM_API int tandem_lexicon_parse(tandem_lexicon **out, const char *data, size_t len,
                                    const char *filename, tandem_diag_fn diag, void *user);
TANDEM_API int tandem_lexicon_load(tandem_lexicon **out, const char *path,
                                   tandem_diag_fn diag, void *user);
/* Number of Chinese headwords. */
TANDEM_API size_t tandem_lexicon_count(const tandem_lexicon *lex);
TANDEM_API void tandem_lexicon_free(tandem_lexicon *lex);

typedef struct tandem_align_opts {
	const tandem_lexicon *lexicon;  /* borrowed; NULL for none */
	size_t band;                    /* initial band half-width; 0 = default (8); it widens by itself */
	int no_times;                   /* ignore timings even when both sides have them */
	tandem_diag_fn diag;            /* findings about the alignment; may be NULL */
	void *diag_user;
	const char *source_name;        /* for diagnostics */
	const char *translation_name;
} tandem_align_opts;

TANDEM_API void tandem_align_opts_init(tandem_align_opts *o);

typedef struct tandem_alignment tandem_alignment;

/*
 * Align `translation` to `source`.  The translation's text is its segments'
 * text, or their translations when it is itself bilingual (most segments
 * carry one).  On success *out holds the links (free with
 * tandem_alignment_free).  TANDEM_EEMPTY when either document has no
 * segment.  A translation that does not look like a translation of the
 * source at all gives an alignment with no links but nulls (every source
 * segment untranslated) and an error diagnostic [align-unrelated], rather
 * than invented links.
 */
TANDEM_API int tandem_align_run(const tandem_doc *source, const tandem_doc *translation,
                                const tandem_align_opts *opts, tandem_alignment **out);
TANDEM_API void tandem_alignment_free(tandem_alignment *a);

/* Links, null links included. */
TANDEM_API size_t tandem_alignment_count(const tandem_alignment *a);
/* Link k: source segments [*src, *src + *nsrc), translation [*tr, *tr + *ntr);
 * a count of 0 is an empty side (its start is where it would be). */
TANDEM_API void tandem_alignment_link(const tandem_alignment *a, size_t k, size_t *src,
                                      size_t *nsrc, size_t *tr, size_t *ntr);
/* Confidence of link k, 0..1.  For a null link: how sure that the segment
 * has no counterpart.  A link whose translation line must be cut over its
 * source segments with no good place to cut (no punctuation near where the
 * lengths say) scores below 0.3. */
TANDEM_API double tandem_alignment_score(const tandem_alignment *a, size_t k);
/* 1 when link k is doubtful (score below 0.5). */
TANDEM_API int tandem_alignment_low_confidence(const tandem_alignment *a, size_t k);
/* Source segments that received a translation. */
TANDEM_API size_t tandem_alignment_translated(const tandem_alignment *a);
TANDEM_API size_t tandem_alignment_source_count(const tandem_alignment *a);
TANDEM_API size_t tandem_alignment_translation_count(const tandem_alignment *a);
/* 0 when the translation was judged unrelated to the source. */
TANDEM_API int tandem_alignment_related(const tandem_alignment *a);

/*
 * The bilingual result (*out, caller frees): the source's segments and
 * timings, each with its translation.  A translation line spanning several
 * source segments is cut where the source segments' spoken lengths say,
 * at the best sentence, clause or word boundary near there (never inside a
 * Chinese word, before a particle, or leaving a piece of one character);
 * with `merge` those source segments are merged into one instead (text
 * joined, times spanning them).  Several
 * translation lines for one segment are joined.  Untranslated segments
 * have no translation; unused translation lines are left out.
 */
TANDEM_API int tandem_alignment_apply(const tandem_alignment *a, const tandem_doc *source,
                                      const tandem_doc *translation, int merge,
                                      tandem_doc **out);

/*
 * The report as JSON (malloc'd, NUL-terminated, caller frees), 0-based
 * indices into each input as read:
 *   {"links":[{"source":[i...],"translation":[j...],"score":s}...],
 *    "coverage":{"source_segments":N,"translated":M,"untranslated":[i...],
 *                "unused_translation":[j...],"low_confidence":[k...]}}
 * "links" includes null links (one side empty); "low_confidence" holds
 * indices into "links".
 */
TANDEM_API char *tandem_alignment_report_json(const tandem_alignment *a, size_t *len);

/* ------------------------------------------------------------------ */
/* Checker (check/: check.c, profiles.c, config.c, rules_*.c)          */
/* ------------------------------------------------------------------ */

/*
 * A rule set: the thresholds of `tandem check` and the severity of each
 * rule.  It starts from a profile:
 *   "default"  permissive: catches what is broken, not what is merely tight
 *   "netflix"  Netflix Timed Text Style Guide: 833 ms to 7 s on screen, a
 *              2-frame gap (24 fps), 2 lines; English 42 characters a line
 *              and 20 cps (adult); Simplified Chinese 16 and 9 cps
 *   "bbc"      BBC Subtitle Guidelines: 37 characters a line, 2 lines,
 *              180 words a minute
 * then any value can be changed by key.  Keys (times in ms; 0 turns a
 * limit off):
 *   min_duration max_duration min_gap max_lines fps min_gap_frames
 *   media_tolerance (default 250)  claim_tolerance (60000)
 *   min_media_coverage (percent)   ratio_outlier (robust z, default 5)
 *   ratio_min_chars                LANG.line_chars LANG.line_width LANG.cps
 *   LANG.wpm  (LANG: a language code such as en, zh, ja, or "default")
 *   RULE-ID   with the value off, info, warning or error
 * A side's language is the document's "language"/"translation_language"
 * metadata when set, else guessed from its script (CJK -> zh, Latin -> en).
 * Characters are grapheme clusters with line breaks left out; line_width
 * counts display columns (a CJK character is 2).
 */
typedef struct tandem_check_rules tandem_check_rules;

/* NULL profile means "default"; returns NULL for an unknown profile. */
TANDEM_API tandem_check_rules *tandem_check_rules_new(const char *profile);
TANDEM_API void tandem_check_rules_free(tandem_check_rules *r);
/* Profile names, k = 0, 1, ...; NULL past the end. */
TANDEM_API const char *tandem_check_profile_name(size_t k);
/* Rule ids with their default severity and a line on what they find; NULL past the end. */
TANDEM_API const char *tandem_check_rule_id(size_t k, tandem_severity *sev, const char **what);
/* TANDEM_EINVAL for an unknown key or a bad value. */
TANDEM_API int tandem_check_rules_set(tandem_check_rules *r, const char *key, const char *value);
/* The value of a threshold key (a severity is its tandem_severity, -1 off). */
TANDEM_API int tandem_check_rules_get(const tandem_check_rules *r, const char *key, double *value);
/*
 * Override from a YAML file: a mapping of keys as above, plus `profile:`
 * (applied first), `languages: {LANG: {cps: 9, ...}}` and
 * `rules: {RULE-ID: off}`.  Errors are reported with their position
 * (rule "check-config") and return TANDEM_EPARSE or TANDEM_EIO.
 */
TANDEM_API int tandem_check_rules_load(tandem_check_rules *r, const char *path,
                                       tandem_diag_fn diag, void *diag_user);

typedef struct tandem_check_opts {
	const char *filename;             /* for findings; NULL = "<input>" */
	const tandem_check_rules *rules;  /* NULL = the default profile */
	int64_t media_ms;                 /* the media's duration, or TANDEM_NO_TIME */
	/*
	 * A separate translation to check against doc (an alignment), or NULL.
	 * Its cues are paired with doc's by time when both are timed, else by
	 * index; translation_filename names it in findings.
	 */
	const tandem_doc *translation;
	const char *translation_filename;
	tandem_diag_fn diag;              /* gets every finding; may be NULL */
	void *diag_user;
} tandem_check_opts;

typedef struct tandem_check_summary {
	size_t segments, timed;
	size_t errors, warnings, infos;
	int bilingual;            /* a translation side was checked */
	size_t translated;        /* segments whose translation is not empty */
	size_t chars, chars_translated;   /* source characters, those of translated segments */
	double segments_pct, chars_pct;   /* coverage in percent; -1 when not bilingual */
	int64_t first_ms, last_ms;        /* span of the timed cues, or TANDEM_NO_TIME */
	int64_t media_ms;                 /* as given */
	double media_pct;                 /* share of the media under cues; -1 unknown */
	int64_t claimed_ms;               /* the document's claimed duration */
	size_t max_cps_segment;           /* where reading speed peaks (with max_cps) */
	double max_cps;
} tandem_check_summary;

TANDEM_API void tandem_check_opts_init(tandem_check_opts *o);
/*
 * Run every rule over doc.  Findings go to opts->diag in document order per
 * rule family (coverage, timing, media), with the segment index and its
 * input line.  Untimed segments skip the timing and media rules.  Returns
 * 0 (findings are not failures) or TANDEM_EINVAL.
 */
TANDEM_API int tandem_check_run(const tandem_doc *doc, const tandem_check_opts *opts,
                                tandem_check_summary *summary);

/* ------------------------------------------------------------------ */
/* Media: duration and decoding (media/media.c, media/audio.c)     */
/* ------------------------------------------------------------------ */

/*
 * Duration (media/media.c).  WAV, FLAC and Ogg are read with libsndfile
 * (frames / rate: exact); everything else (MP3, M4A/AAC, Opus, MP4, MKV,
 * WebM, ...) with libavformat, taking the audio stream's own duration, not
 * the container's.  When libavformat only estimated the duration from the
 * bitrate (an MP3 without a Xing/Info header, raw AAC) or gives none, every
 * packet of the audio stream is read for the exact value ("scan").
 */
typedef enum {
	TANDEM_MEDIA_AUTO = 0,   /* the header's value when exact, else scan */
	TANDEM_MEDIA_HEADER = 1, /* the header's value even when estimated */
	TANDEM_MEDIA_SCAN = 2    /* always read every packet */
} tandem_media_how;

typedef struct tandem_media_info {
	int64_t duration_ms;     /* of the audio stream */
	const char *method;      /* "header" or "scan" (static) */
	const char *container;   /* "wav", "flac", "ogg", or libavformat's name (static) */
	const char *codec;       /* audio codec name (static) */
	int sample_rate, channels;
	int has_video;           /* the file also holds a video stream */
} tandem_media_info;

/*
 * Probe `path`.  Fails with TANDEM_EIO (cannot open), or TANDEM_EMEDIA (not
 * a media file, truncated beyond use, or no audio stream); `diag` (may be
 * NULL) is told why, rule "media".  Never crashes on bad input.
 */
TANDEM_API int tandem_media_probe(const char *path, tandem_media_how how,
                                  tandem_media_info *info, tandem_diag_fn diag,
                                  void *diag_user);
/* The short form: duration and method ("header" or "scan", static; may be NULL). */
TANDEM_API int tandem_media_duration(const char *path, int64_t *ms, const char **method);
/*
 * A media file named like the subtitle `path` beside it (talk.en.srt ->
 * talk.en.mp4, talk.mp4, talk.wav, ...), or NULL.  Caller frees.
 */
TANDEM_API char *tandem_media_find(const char *path);

/*
 * Decoding (media/audio.c).  The first audio stream of any file FFmpeg's
 * libavformat can open (WAV, FLAC, MP3, Ogg, M4A, MP4, MKV, ...) is decoded
 * and resampled to mono float samples at `rate` Hz (TANDEM_AUDIO_RATE is
 * what the detector below uses).  Decoding streams: memory stays the same
 * whatever the length of the file.
 */
#define TANDEM_AUDIO_RATE 16000

typedef struct tandem_audio tandem_audio;

/*
 * Open `path` for decoding.  On failure *out is NULL and the status is
 * TANDEM_EIO (cannot open) or TANDEM_EMEDIA (not media, or no audio stream);
 * the diagnostics callback (may be NULL) is told why, rule "media-open".
 */
TANDEM_API int tandem_audio_open(tandem_audio **out, const char *path, int rate,
                                 tandem_diag_fn diag, void *diag_user);
/*
 * Read up to `n` samples into buf.  Returns how many were read (fewer only
 * at the end), 0 at the end, or TANDEM_EMEDIA when the stream cannot be
 * decoded further (undecodable packets in the middle are skipped).
 */
TANDEM_API long tandem_audio_read(tandem_audio *a, float *buf, size_t n);
/* The duration the container declares, or TANDEM_NO_TIME. */
TANDEM_API int64_t tandem_audio_duration(const tandem_audio *a);
TANDEM_API void tandem_audio_close(tandem_audio *a);

/* ------------------------------------------------------------------ */
/* Retime and sync (timing/vad.c, timing/retime.c, timing/sync.c)         */
/* ------------------------------------------------------------------ */

/*
 * Voice activity detection on a grid of 10 ms frames (TANDEM_FRAME_MS).
 * Each frame is judged on its energy against a noise floor that follows
 * the recording (the quietest stretch within 3 s either side) and on
 * the spectral flatness of 250-4000 Hz (voice is peaky, noise is flat), so
 * a noise burst as loud as quiet speech is not taken for speech.  Then runs
 * of speech shorter than min_speech_ms are dropped and pauses shorter than
 * min_pause_ms are filled.
 *
 * Feed samples in any chunk sizes; only the per-frame measures are kept
 * (8 bytes a frame, about 3 MB an hour), never the samples.
 */
#define TANDEM_FRAME_MS 10

typedef struct tandem_vad_opts {
	int min_speech_ms;  /* default 50 */
	int min_pause_ms;   /* default 100 */
	double margin_db;   /* energy margin over the noise floor; 0 = adaptive */
} tandem_vad_opts;

typedef struct tandem_vad tandem_vad;

TANDEM_API void tandem_vad_opts_init(tandem_vad_opts *o);
/* A detector for samples at `rate` Hz (8000..192000); NULL opts = defaults. */
TANDEM_API tandem_vad *tandem_vad_new(int rate, const tandem_vad_opts *o);
TANDEM_API void tandem_vad_feed(tandem_vad *v, const float *x, size_t n);
/*
 * Decide.  Returns the number of frames and points *speech at one byte a
 * frame, 1 for speech, 0 for not (borrowed from v; valid until it is freed).
 * Frame k covers [k*10, k*10+10) ms.  Call once, after the last feed.
 */
TANDEM_API size_t tandem_vad_finish(tandem_vad *v, const unsigned char **speech);
TANDEM_API void tandem_vad_free(tandem_vad *v);

/*
 * Decode `path` and run the detector over it.  On success *speech is
 * malloc'd (caller frees) with *nframes frames.  Fails as tandem_audio_open
 * does, or TANDEM_EMEDIA when the audio cannot be decoded.
 */
TANDEM_API int tandem_vad_file(const char *path, const tandem_vad_opts *o,
                               unsigned char **speech, size_t *nframes,
                               tandem_diag_fn diag, void *diag_user);

/*
 * Retime: give the segments of an (untimed) document times from the speech
 * in a recording.  The text is spread over the detected speech by its
 * spoken length (a CJK character weighs as much as about three Latin
 * letters, a digit two); segment boundaries are snapped to pauses where the
 * pause lengths and the text agree (a sentence end makes a pause more
 * likely), and otherwise placed inside a run of speech in proportion to the
 * text.  Existing times are replaced.  The document's claimed duration,
 * when it has one, is checked against the recording (warning
 * "retime-duration" when they differ by more than 10% and 30 s).
 */
typedef struct tandem_retime_opts {
	tandem_vad_opts vad;
	int spoken_translation; /* the recording speaks the translation side */
	tandem_diag_fn diag;
	void *diag_user;
	const char *filename;   /* media name for diagnostics */
} tandem_retime_opts;

TANDEM_API void tandem_retime_opts_init(tandem_retime_opts *o);
/*
 * From a speech mask (one byte a 10 ms frame).  `confidence`, when not NULL,
 * gets tandem_doc_count(doc) values in [0, 1]: how well the segment's
 * boundaries fell on pauses and its length matched its text.  Returns
 * TANDEM_EEMPTY when the document has no segment or no speech was found.
 */
TANDEM_API int tandem_retime_frames(tandem_doc *doc, const unsigned char *speech,
                                    size_t nframes, const tandem_retime_opts *o,
                                    double *confidence);
/* The same from a media file (tandem_vad_file). */
TANDEM_API int tandem_retime_run(tandem_doc *doc, const char *media,
                                 const tandem_retime_opts *o, double *confidence);

/*
 * Sync: move the cues of a timed document onto a recording (or onto another
 * document's cues) by new = ratio * old + offset.  The offset is found by
 * correlating cue coverage with the reference on the 10 ms grid (FFT); the
 * ratios tried are 1, 1001/1000, 25/24, 25/23.976 and their inverses, then
 * refined by up to 0.3% around the best.  With max_splits > 0, the offset
 * may also change between cues (cuts in the video), each change costing
 * split_penalty.
 *
 * The result is refused (TANDEM_EREFUSED, document untouched, `reason`
 * set) when the score (the correlation of the moved coverage with the
 * reference, -1..1) is below min_score, when |offset| exceeds max_offset_ms,
 * or when the refined ratio lies at the edge of its search range (the true
 * ratio is none of those tried).
 */
#define TANDEM_SYNC_MAX_SPLITS 16

typedef struct tandem_sync_opts {
	tandem_vad_opts vad;
	int64_t max_offset_ms;  /* default 60000 */
	double min_score;       /* default 0.25 */
	double ratio;           /* use this ratio, do not search; 0 = search */
	int max_splits;         /* 0 = one offset for the whole file */
	double split_penalty;   /* seconds of matching speech a split must win; 0 = 5 */
	tandem_diag_fn diag;
	void *diag_user;
	const char *filename;   /* media name for diagnostics */
} tandem_sync_opts;

typedef struct tandem_sync_split {
	size_t segment;         /* first segment the offset applies to */
	int64_t offset_ms;
} tandem_sync_split;

typedef struct tandem_sync_result {
	int64_t offset_ms;      /* offset of the first segment */
	double ratio;
	double score;           /* -1..1 */
	size_t nsplits;         /* offset changes; splits[k] for k < nsplits */
	tandem_sync_split splits[TANDEM_SYNC_MAX_SPLITS];
	const char *reason;     /* why it was refused (static), or NULL */
} tandem_sync_result;

TANDEM_API void tandem_sync_opts_init(tandem_sync_opts *o);
/* Against a speech mask (one byte a 10 ms frame). */
TANDEM_API int tandem_sync_frames(tandem_doc *doc, const unsigned char *speech, size_t nframes,
                                  const tandem_sync_opts *o, tandem_sync_result *res);
/* Against the speech in a media file. */
TANDEM_API int tandem_sync_run(tandem_doc *doc, const char *media, const tandem_sync_opts *o,
                               tandem_sync_result *res);
/* Against the cues of a correctly timed document. */
TANDEM_API int tandem_sync_reference(tandem_doc *doc, const tandem_doc *ref,
                                     const tandem_sync_opts *o, tandem_sync_result *res);

/* ------------------------------------------------------------------ */
/* Fit: cues a viewer can read (fit/fit.c, fit/cut.c, fit/estimate.c)  */
/* ------------------------------------------------------------------ */

/*
 * Fit a document to a checker profile's layout: every segment whose text
 * takes more than max_lines lines at its language's line_chars /
 * line_width, or that stays on screen longer than max_duration, is cut
 * into pieces, and every piece's text is broken into balanced lines
 * (joined by '\n': SRT and WebVTT write them as lines, ASS as \N).
 *
 * Cutting takes both sides of a bilingual segment together.  English is
 * cut at sentence ends first, then after , ; : and dashes, then before
 * conjunctions and relative words, then before prepositions, then between
 * any two words -- never inside a word.  Chinese is cut after 。！？, then
 * after ；，、：, then at the word boundaries of ICU's dictionary-based word
 * break iterator -- never inside a word, never before closing punctuation
 * or a particle that cannot start a line (的 了 着 过 们 吗 呢 吧 ...).
 * The cuts of the two sides are chosen jointly by a dynamic programme
 * scored by each piece's share of either side's spoken length and by the
 * cut classes, so each English piece keeps the Chinese that translates it.
 * Lines are broken by ICU's line break iterator (UAX #14); widths come
 * from utf8proc (a CJK character is 2 columns).
 *
 * Timing: the pieces share their segment's span.  With a speech mask (one
 * byte a 10 ms frame, from tandem_vad_file), each cut goes to the pause
 * nearest where the text puts it; without one, the span is shared by
 * spoken length (retime's weights).  Then min_gap is kept between all
 * cues, pieces shorter than min_duration take free time or time a
 * neighbour can spare, and pieces longer than max_duration shrink onto
 * their speech or are cut short.  Untimed segments are cut but stay
 * untimed.
 *
 * What it never does: move a piece outside its segment's span, add, drop
 * or change text (the pieces joined give the input's text, whitespace
 * aside, in order), or pair a piece with an empty other side.  What
 * cutting cannot fix is reported (to diag, with the segment's input line):
 *   fit-reading-speed  a cue still above the language's cps (its position)
 *   fit-pairing        cuts whose two sides' lengths differ by over 3:1
 *   fit-overfull       a piece that still does not fit (a word longer
 *                      than a line)
 *   fit-markup (info)  cut segments lost their inline styling
 *   fit-untimed (info) cues without times
 * A segment that already fits keeps its text, markup and id as they are.
 */
typedef struct tandem_fit_opts {
	/* Thresholds and languages: a tandem_check_rules_new profile, with
	 * tandem_check_rules_set/_load overrides, exactly as `check` uses
	 * them.  NULL means the "default" profile.  Borrowed. */
	const tandem_check_rules *rules;
	/* Optional speech mask for timing (borrowed), one byte a 10 ms frame. */
	const unsigned char *speech;
	size_t nframes;
	int spoken_translation;   /* the recording speaks the translation side */
	tandem_diag_fn diag;      /* findings; may be NULL */
	void *diag_user;
	const char *filename;     /* for findings; NULL = "<input>" */
} tandem_fit_opts;

typedef struct tandem_fit_summary {
	size_t segments;          /* segments in */
	size_t cues;              /* cues out */
	size_t cut;               /* segments cut into two pieces or more */
	size_t poor;              /* fit-pairing pieces */
	size_t overfull;          /* fit-overfull pieces */
	size_t slow;              /* fit-reading-speed findings */
	size_t markup_lost;       /* cut segments that had styling */
} tandem_fit_summary;

TANDEM_API void tandem_fit_opts_init(tandem_fit_opts *o);
/*
 * Fit doc in place (its segments are replaced; borrowed strings from it
 * are invalid afterwards).  summary may be NULL.  Returns 0, TANDEM_EINVAL
 * for a NULL doc, or TANDEM_EINVAL (finding "fit-icu") when ICU's break
 * iterators cannot be opened.
 */
TANDEM_API int tandem_fit_run(tandem_doc *doc, const tandem_fit_opts *opts,
                              tandem_fit_summary *summary);

/*
 * Estimated timings, with no recording: the text is spread by spoken
 * length (retime's weights) over the document's claimed duration
 * (tandem_doc_claimed_duration: a transcript's "82 min", a post's
 * duration:), or, without a claim or when `rate` is given, at a speaking
 * rate.  Each segment starts where the one before ends, less a short
 * pause.  Existing times are replaced.  A warning "retime-estimate" says
 * that the times are estimates and what they were estimated from.
 */
typedef struct tandem_estimate_opts {
	/* Speaking rate: letters a second for Latin script, characters a
	 * second for Chinese (a digit counts as 2.5 letters, as in retime).
	 * 0 = spread over the claim when there is one, else the defaults:
	 * 12.5 letters (about 160 words a minute), 4.5 Chinese characters. */
	double rate;
	int spoken_translation;   /* the speech would be the translation side */
	tandem_diag_fn diag;
	void *diag_user;
	const char *filename;
} tandem_estimate_opts;

TANDEM_API void tandem_estimate_opts_init(tandem_estimate_opts *o);
/* Returns 0, TANDEM_EEMPTY (no segment) or TANDEM_EINVAL (a negative rate). */
TANDEM_API int tandem_retime_estimate(tandem_doc *doc, const tandem_estimate_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* TANDEM_H */
