/*
 * fuzz_md.c - the md reader under arbitrary bytes, lenient and strict.
 *
 * Besides not crashing, it checks one property: whatever the reader
 * accepts, the post writer renders, and that rendering reads back (as post)
 * to the same number of segments (see unambiguous()).
 */
#include "tandem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * A paragraph without its English followed by English without its paragraph
 * reads back as one pair: the layout cannot tell them apart, so the count
 * is only compared when no such neighbours occur.
 */
static bool unambiguous(const tandem_doc *doc)
{
	for (size_t i = 0; i + 1 < tandem_doc_count(doc); i++) {
		const char *t = tandem_seg_translation(doc, i);
		bool paragraph_only = t && *t && !*tandem_seg_text(doc, i);
		bool english_only = !tandem_seg_translation(doc, i + 1);
		if (paragraph_only && english_only)
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "md";
	for (int strict = 0; strict < 2; strict++) {
		ro.strict = strict;
		tandem_doc *doc = NULL;
		if (tandem_doc_read(&doc, (const char *)data, size, &ro))
			continue;
		tandem_write_opts wo;
		tandem_write_opts_init(&wo);
		wo.crlf = strict;
		wo.para_chars = 1;
		char *out = NULL;
		size_t len = 0;
		if (tandem_doc_write(doc, "post", &wo, &out, &len) == 0) {
			tandem_read_opts ro2;
			tandem_read_opts_init(&ro2);
			ro2.format = "post";
			tandem_doc *again = NULL;
			if (tandem_doc_read(&again, out, len, &ro2) == 0) {
				if (unambiguous(doc) && tandem_doc_count(again) != tandem_doc_count(doc))
					abort();
				tandem_doc_free(again);
			}
			free(out);
		}
		tandem_doc_free(doc);
	}
	return 0;
}
