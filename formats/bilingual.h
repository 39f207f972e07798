/*
 * bilingual.h - bilingual layouts (bilingual.c): what subtitle readers'
 * documents are normalised by (doubled same-timed cues folded, stacked
 * two-script cues split), whole or a window at a time, and the paragraph
 * text helpers the transcript, post and Markdown formats share.
 */
#ifndef TANDEM_BILINGUAL_H
#define TANDEM_BILINGUAL_H

#include "tandem_private.h"

/*
 * An SRT text line that its reader would take for a timing line (it starts
 * with a digit or a space and holds "-->", leading U+2060 WORD JOINERs
 * aside) is written with one U+2060 before it, which players do not show,
 * and read back without it: tandem__srt_escaped says whether line[0, n)
 * needs (when writing) or carries (when reading, after one joiner) it.
 */
#define TANDEM__SRT_JOINER "\xE2\x81\xA0"
bool tandem__srt_escaped(const char *line, size_t n);

/*
 * The mark a stacked-line writer (srt_write.c) puts around a translation run
 * that the scripts alone would not tell apart from the text ("Mythos" under
 * an English line): the reader takes the marked lines as the translation,
 * whatever their script.  A <font> without colour, face or size: players
 * show its text plainly.
 */
#define TANDEM__TR_OPEN "<font class=\"translation\">"
#define TANDEM__TR_CLOSE "</font>"

/*
 * Would a cue written as text's lines then translation's (the other way
 * round when translation_first), blank lines left out, read back by script
 * alone as exactly this text and translation?  False when it needs the mark.
 */
bool tandem__bilingual_stack_reads(const char *text, const char *translation,
                                   bool translation_first);

/* Two same-timed cues in two scripts that fold into one bilingual cue. */
bool tandem__bilingual_foldable(const tandem__seg *a, const tandem__seg *b);

/*
 * After a subtitle format's reader (srt, vtt, ass, ...; other formats are
 * left alone): fold doubled same-timed cues in two scripts into bilingual
 * cues and split cues whose lines are a run in one script then another.
 * Reports what it did (info) and stray cues (warning); returns the reader's
 * stop status (TANDEM_EPARSE in strict mode on a warning), else 0.
 */
int tandem__bilingual_normalize(tandem__reader *r, tandem_doc *doc, const char *format);
bool tandem__bilingual_applies(const char *format);

/* The same, a window at a time, for a streamed conversion. */
typedef struct tandem__bistream {
	bool decided;                 /* fold/doubled/split below are taken */
	bool fold, doubled, split;    /* the layouts, decided on the first window */
	bool diverged;                /* the whole file would have decided otherwise */
	size_t pairs, segs;           /* doubled pairs among cues, all windows */
	size_t cands, split_segs;     /* stacked cues among folded cues, all windows */
	size_t marked;                /* cues with a marked translation run, all windows */
	size_t echoes, echo_line;     /* same-timed pairs holding the same text, folded */
	size_t folded, fold_swapped, fold_line;
	size_t nsplit, split_swapped, split_line;
	size_t *unpaired, nunpaired, capunpaired;   /* lines warned about at the end */
} tandem__bistream;

/*
 * Normalise doc->segs[0..n).  Unless `last`, a final cue that may pair with
 * the next window's first is held back.  Returns how many segments at the
 * front of doc are settled; held-back and later cues follow them.
 */
size_t tandem__bilingual_window(tandem__bistream *bs, tandem_doc *doc, size_t n, bool last);
/* Report what was done; sets bs->diverged (and reports nothing) when the
 * first window's decisions are not the whole file's. */
int tandem__bilingual_finish(tandem__bistream *bs, tandem__reader *r);
void tandem__bistream_free(tandem__bistream *bs);
/* The decisions of `from` (a stream's first window) without its counts. */
void tandem__bistream_decided(tandem__bistream *to, const tandem__bistream *from);
/* Add base to the line numbers bs keeps (they were counted from a later start). */
void tandem__bistream_rebase(tandem__bistream *bs, size_t base);
/* Add what `more` (the stream after `into`'s part) counted to `into`; empties `more`. */
void tandem__bistream_merge(tandem__bistream *into, tandem__bistream *more);
/* Append n bytes of s to b across a line break, the CSS Text 3 way: no space
 * between two East Asian wide characters, one space otherwise. */
void tandem__text_join(tandem__buf *b, const char *s, size_t n);
/* True when s[0..n) ends a sentence (.?! 。？！…, closing quotes allowed). */
bool tandem__ends_sentence(const char *s, size_t n);
/* The script of one side of a bilingual pair: CJK as soon as CJK is a real
 * share of the letters (translations keep Latin names), else the dominant one. */
tandem_script tandem__line_script(const char *s, size_t n);

#endif /* TANDEM_BILINGUAL_H */
