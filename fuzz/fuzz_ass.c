/*
 * fuzz_ass.c - the ass reader under arbitrary bytes, lenient and strict.
 *
 * Besides not crashing, it checks one property: whatever the reader
 * accepts, the ass writer renders, and that rendering reads back (as ass)
 * to the same number of segments.
 */
#include "tandem.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "ass";
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
		if (tandem_doc_write(doc, "ass", &wo, &out, &len) == 0) {
			tandem_read_opts ro2;
			tandem_read_opts_init(&ro2);
			ro2.format = "ass";
			tandem_doc *again = NULL;
			if (tandem_doc_read(&again, out, len, &ro2) == 0) {
				if (tandem_doc_count(again) != tandem_doc_count(doc))
					abort();
				tandem_doc_free(again);
			}
			free(out);
		}
		tandem_doc_free(doc);
	}
	return 0;
}
