/*
 * fuzz_srt.c - the SRT reader and writer under arbitrary bytes.
 *
 * Besides not crashing, it checks one property: whatever the reader
 * accepts, the writer's canonical SRT reads back to the same number of
 * segments with the same times.
 */
#include "tandem.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "srt";
	for (int strict = 0; strict < 2; strict++) {
		ro.strict = strict;
		tandem_doc *doc = NULL;
		if (tandem_doc_read(&doc, (const char *)data, size, &ro))
			continue;
		tandem_write_opts wo;
		tandem_write_opts_init(&wo);
		wo.crlf = strict;
		char *out = NULL;
		size_t len = 0;
		if (tandem_doc_write(doc, "srt", &wo, &out, &len) == 0) {
			tandem_read_opts ro2;
			tandem_read_opts_init(&ro2);
			ro2.format = "srt";
			tandem_doc *again = NULL;
			if (tandem_doc_read(&again, out, len, &ro2))
				abort();
			if (tandem_doc_count(again) != tandem_doc_count(doc))
				abort();
			for (size_t i = 0; i < tandem_doc_count(doc); i++)
				if (tandem_seg_start(again, i) != (tandem_seg_start(doc, i) < 0 ? 0 : tandem_seg_start(doc, i)))
					abort();
			tandem_doc_free(again);
		}
		free(out);
		if (tandem_doc_write(doc, "json", &wo, &out, &len) == 0)
			free(out);
		tandem_doc_free(doc);
	}
	return 0;
}
