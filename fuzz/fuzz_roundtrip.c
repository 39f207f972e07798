/*
 * fuzz_roundtrip.c - the SRT and WebVTT writers fed by every reader.
 *
 * The bytes are read as SRT, as WebVTT and as whatever format they sniff
 * as; each document that reads is written as SRT and as WebVTT, and each
 * rendering must read back, as its own format, without error and to the
 * same number of segments.  fuzz_srt and fuzz_vtt check each format against
 * itself; this one checks the crossings (SRT to WebVTT, a transcript or an
 * ASS file to SRT, ...), where a writer meets text and timings its own
 * reader would never have produced.
 */
#include "tandem.h"

#include <stdint.h>
#include <stdlib.h>

static void write_and_reread(const tandem_doc *doc, const char *to, int crlf)
{
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	wo.crlf = crlf;
	char *out = NULL;
	size_t len = 0;
	if (tandem_doc_write(doc, to, &wo, &out, &len))
		return; /* untimed segments cannot be cues: a clean refusal */
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = to;
	tandem_doc *again = NULL;
	if (tandem_doc_read(&again, out, len, &ro))
		abort();
	if (tandem_doc_count(again) != tandem_doc_count(doc))
		abort();
	tandem_doc_free(again);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const from[] = {"srt", "vtt", NULL};
	for (size_t k = 0; k < sizeof from / sizeof *from; k++) {
		tandem_read_opts ro;
		tandem_read_opts_init(&ro);
		ro.format = from[k];
		tandem_doc *doc = NULL;
		if (tandem_doc_read(&doc, (const char *)data, size, &ro))
			continue;
		write_and_reread(doc, "srt", (int)k & 1);
		write_and_reread(doc, "vtt", (int)k & 1);
		tandem_doc_free(doc);
	}
	return 0;
}
