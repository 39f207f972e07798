/*
 * align_internal.h - the aligner's own pieces, shared by align.c,
 * align_text.c and align_lexicon.c and visible to tests/test_align.c:
 * the text features each segment contributes to the cost, and the lexicon.
 */
#ifndef TANDEM_ALIGN_INTERNAL_H
#define TANDEM_ALIGN_INTERNAL_H

#include "internal.h"

/* How a segment ends: the segment-end evidence. */
typedef enum {
	TANDEM__END_MID = 0,    /* cut mid-sentence: no final punctuation, or a comma */
	TANDEM__END_FINAL = 1   /* . ? ! 。 ？ ！ … (closing quotes and brackets skipped) */
} tandem__end_class;

/* One token a segment offers for matching with the other side. */
typedef struct tandem__token {
	uint64_t hash;
	unsigned anchor : 1;    /* expected to survive translation (see align_text.c) */
	unsigned kind : 3;      /* TANDEM__TOK_* */
} tandem__token;

enum { TANDEM__TOK_WORD = 0, TANDEM__TOK_NUMBER = 1, TANDEM__TOK_URL = 2, TANDEM__TOK_LEX = 3 };

typedef struct tandem__tokens {
	tandem__token *v;
	size_t n, cap;
} tandem__tokens;

/*
 * Tokenise `s` (len bytes) and append its tokens to `out`: Latin words
 * (lower-cased, a possessive 's and a plural -s removed), URLs and domains
 * (scheme and www. removed), and numbers by value: ASCII and full-width
 * digits with an optional scale word (thousand, million, billion, 万, 亿, ...)
 * or %, English number words from two up, and simple Chinese numerals
 * (三个, 两年, 十亿, 百分之五十).  `cjk_doc` says the text's document is
 * mostly CJK: then every Latin word is an anchor (it was kept in the
 * translation on purpose); otherwise only capitalised words and words with
 * digits are.  Numbers and URLs are always anchors.
 */
void tandem__align_tokens(const char *s, size_t len, bool cjk_doc, tandem__tokens *out);

/* The hash tandem__align_tokens gives a number's value. */
uint64_t tandem__align_number_hash(double value);
/* The hash of a word (already normalised: lower case, no plural -s). */
uint64_t tandem__align_word_hash(const char *w, size_t len);

/* Grapheme clusters that are not white space: the length measure. */
size_t tandem__align_length(const char *s, size_t len);

tandem__end_class tandem__align_end(const char *s, size_t len);

/* Sentence ends inside the text: . ? ! 。 ？ ！ (a run counts once; "..."
 * and abbreviations such as "U.S." and "Mr." do not count). */
unsigned tandem__align_sentences(const char *s, size_t len);

/* A line that is not speech: all in brackets ([Music], [音乐], (laughs),
 * 【注】), or a translator's note (译者注, 译注, 注：, TN:). */
bool tandem__align_aside(const char *s, size_t len);

/* Clause marks inside the text: , ; : 、 — and their full-width forms. */
unsigned tandem__align_clauses(const char *s, size_t len);

/* Question and exclamation marks, ASCII or full-width. */
void tandem__align_marks(const char *s, size_t len, unsigned *questions, unsigned *exclaims);

/*
 * Cut `s` into k pieces whose lengths follow `weights` (k of them, any
 * positive scale): cuts[0..k-2] receive byte offsets.  Cuts fall after
 * punctuation when one is near the proportional place, else between
 * words, else between CJK characters; never inside a grapheme.
 */
void tandem__align_split(const char *s, size_t len, const double *weights, size_t k,
                         size_t *cuts);

/* Append b to a with a space between unless the join is between CJK characters. */
void tandem__align_join(tandem_buf *a, const char *b);

/* ---- lexicon (align_lexicon.c) ---- */

/*
 * For one translation text, the hashes of the English words its lexicon
 * entries translate to (appended to `out` as tokens of kind WORD).
 */
void tandem__lexicon_lookup(const tandem_lexicon *lex, const char *s, size_t len,
                            tandem__tokens *out);

void tandem__tokens_push(tandem__tokens *t, uint64_t hash, bool anchor, int kind);

#endif
