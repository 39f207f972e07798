/*
 * fuzz_format.h - the body the one-format fuzz targets share (ass,
 * transcript, post, md): the bytes go to the reader lenient and strict,
 * and whatever it accepts must not crash the writer and must keep its
 * segment count through a write and a second read.
 *
 * Each target is then a line: LLVMFuzzerTestOneInput calls
 * fuzz_format_round_trip() with its reader, the writer whose output is
 * read back, and optionally a test saying when the count can be compared.
 * The second write and read go through the strict run with CRLF line ends
 * (wo.crlf = strict), so both line-end styles are read back.
 */
#ifndef TANDEM_FUZZ_FORMAT_H
#define TANDEM_FUZZ_FORMAT_H

#include "tandem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Whether a document's segment count must survive the round trip. */
typedef bool (*fuzz_comparable_fn)(const tandem_doc *doc);

/* Read as `reader`, write as `writer`, read back as `writer`; abort() when
 * the count changes and comparable (NULL: always) says it must not. */
static inline int fuzz_format_round_trip(const uint8_t *data, size_t size, const char *reader,
                                         const char *writer, fuzz_comparable_fn comparable)
{
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = reader;
	for (int strict = 0; strict < 2; strict++) {
		ro.strict = strict;
		tandem_doc *doc = NULL;
		if (tandem_doc_read(&doc, (const char *)data, size, &ro))
			continue;
		tandem_write_opts wo;
		tandem_write_opts_init(&wo);
		wo.crlf = strict;
		wo.para_chars = 1; /* one paragraph a segment, so posts can be counted */
		char *out = NULL;
		size_t len = 0;
		if (tandem_doc_write(doc, writer, &wo, &out, &len) == 0) {
			tandem_read_opts ro2;
			tandem_read_opts_init(&ro2);
			ro2.format = writer;
			tandem_doc *again = NULL;
			if (tandem_doc_read(&again, out, len, &ro2) == 0) {
				if ((!comparable || comparable(doc)) &&
				    tandem_doc_count(again) != tandem_doc_count(doc))
					abort();
				tandem_doc_free(again);
			}
			free(out);
		}
		tandem_doc_free(doc);
	}
	return 0;
}

/*
 * For the post writer: a paragraph without its English followed by English
 * without its paragraph reads back as one pair; the layout cannot tell them
 * apart, so the count is only compared when no such neighbours occur.
 */
static inline bool fuzz_post_unambiguous(const tandem_doc *doc)
{
	/* Segments without translation beside translated ones join their
	 * neighbour's paragraph, and untranslated Chinese is a paragraph that
	 * untranslated English after it would pair with: the count then drops,
	 * by design. */
	size_t with = 0, without = 0, cjk = 0;
	for (size_t i = 0; i < tandem_doc_count(doc); i++) {
		const char *t = tandem_seg_translation(doc, i), *s = tandem_seg_text(doc, i);
		if (t && t[strspn(t, " \t\r\n")])
			with++;
		else
			without++;
		cjk += tandem_text_script(s, strlen(s)) == TANDEM_SCRIPT_CJK;
	}
	if (with && without)
		return false;
	if (!with && cjk && cjk < without)
		return false;
	for (size_t i = 0; i + 1 < tandem_doc_count(doc); i++) {
		const char *t = tandem_seg_translation(doc, i);
		bool paragraph_only = t && *t && !*tandem_seg_text(doc, i);
		bool english_only = !tandem_seg_translation(doc, i + 1);
		if (paragraph_only && english_only)
			return false;
	}
	return true;
}

#endif
