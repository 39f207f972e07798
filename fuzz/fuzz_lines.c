/*
 * fuzz_lines.c - the plain-lines reader and writer under arbitrary bytes,
 * and format guessing (every input goes through the sniffers first).
 *
 * Besides not crashing, it checks one property: whatever the lines reader
 * accepts, the lines writer renders to text that reads back to the same
 * segments with the same text.  The one allowed failure of the second read
 * is the binary-data refusal: dropping blank lines can raise the share of
 * control bytes in the first 8 KiB past the decoder's threshold.
 */
#include "tandem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tandem_format_sniff((const char *)data, size);
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	tandem_doc *doc = NULL;
	if (tandem_doc_read(&doc, (const char *)data, size, &ro) == 0) /* guessed format */
		tandem_doc_free(doc);

	ro.format = "lines";
	for (int strict = 0; strict < 2; strict++) {
		ro.strict = strict;
		if (tandem_doc_read(&doc, (const char *)data, size, &ro))
			continue;
		tandem_write_opts wo;
		tandem_write_opts_init(&wo);
		wo.crlf = strict;
		char *out = NULL;
		size_t len = 0;
		if (tandem_doc_write(doc, "lines", &wo, &out, &len))
			abort(); /* nothing a reader gives is unwritable as lines */
		tandem_read_opts ro2;
		tandem_read_opts_init(&ro2);
		ro2.format = "lines";
		tandem_doc *again = NULL;
		int rc = tandem_doc_read(&again, out, len, &ro2);
		if (rc == 0) {
			/* A first line starting with U+FEFF included: the writer
			 * puts a byte order mark before it (fixtures/regress/lines-two-boms.txt). */
			if (tandem_doc_count(again) != tandem_doc_count(doc))
				abort();
			for (size_t i = 0; i < tandem_doc_count(doc); i++)
				if (strcmp(tandem_seg_text(doc, i), tandem_seg_text(again, i)) != 0)
					abort();
			tandem_doc_free(again);
		} else if (rc != TANDEM_EENCODING) {
			abort();
		}
		free(out);
		tandem_doc_free(doc);
	}
	return 0;
}
