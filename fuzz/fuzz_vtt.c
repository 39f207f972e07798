/*
 * fuzz_vtt.c - the WebVTT reader and writer under arbitrary bytes.
 *
 * The bytes go to the reader twice: straight (as the WPT driver does, so
 * NUL bytes and every branch of the block algorithm are reached) and
 * through tandem_doc_read (decoding, lenient and strict).  Besides not
 * crashing, it checks one property: whatever the reader accepts, the
 * writer's WebVTT reads back to the same segments (times, text,
 * translation, speaker) and the same number of blocks.
 */
#include "vtt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void round_trip(const tandem_doc *doc)
{
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	char *out = NULL;
	size_t len = 0;
	if (tandem_doc_write(doc, "vtt", &wo, &out, &len))
		return;
	tandem__reader r = {0};
	r.data = out;
	r.len = len;
	tandem_doc *again = tandem_doc_new();
	if (tandem__format_find("vtt")->read(&r, again) || r.nerrors)
		abort();
	if (again->nsegs != doc->nsegs || again->nblocks != doc->nblocks)
		abort();
	for (size_t i = 0; i < doc->nsegs; i++) {
		const tandem__seg *a = &doc->segs[i], *b = &again->segs[i];
		if (a->start != b->start || a->end != b->end || strcmp(a->text, b->text) != 0)
			abort();
		if ((a->translation == NULL) != (b->translation == NULL) ||
		    (a->translation && strcmp(a->translation, b->translation) != 0))
			abort();
		if ((a->speaker == NULL) != (b->speaker == NULL) ||
		    (a->speaker && strcmp(a->speaker, b->speaker) != 0))
			abort();
	}
	tandem_doc_free(again);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Straight to the reader: the text it gets is NUL-terminated. */
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	tandem__reader r = {0};
	r.data = text;
	r.len = size;
	tandem_doc *doc = tandem_doc_new();
	if (tandem__format_find("vtt")->read(&r, doc) == 0 && !r.nerrors)
		round_trip(doc);
	tandem_doc_free(doc);
	free(text);

	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "vtt";
	for (int strict = 0; strict < 2; strict++) {
		ro.strict = strict;
		doc = NULL;
		if (tandem_doc_read(&doc, (const char *)data, size, &ro))
			continue;
		tandem_write_opts wo;
		tandem_write_opts_init(&wo);
		wo.vtt_style = 1;
		wo.order = TANDEM_ORDER_TRANSLATION_FIRST;
		char *out = NULL;
		size_t len = 0;
		if (tandem_doc_write(doc, "vtt", &wo, &out, &len) == 0)
			free(out);
		tandem_doc_free(doc);
	}
	return 0;
}
