/*
 * fuzz_json.c - the JSON DOM and tandem's JSON segment format under
 * arbitrary bytes.  Whatever the JSON reader accepts must write back to
 * JSON that reads to the same segments.
 */
#include "tandem_private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tandem__json *v = NULL;
	size_t line, col;
	const char *msg;
	if (tandem__json_parse((const char *)data, size, &v, &line, &col, &msg) == 0) {
		tandem__buf b = TANDEM_BUF_INIT;
		if (v->type == TANDEM_JSON_STRING && !memchr(v->str, '\0', v->len))
			tandem__json_quote(&b, v->str);
		tandem__buf_free(&b);
		tandem__json_get(v, "segments");
		tandem__json_free(v);
	}
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "json";
	tandem_doc *doc = NULL;
	if (tandem_doc_read(&doc, (const char *)data, size, &ro))
		return 0;
	char *out = NULL;
	size_t len = 0;
	if (tandem_doc_write(doc, "json", NULL, &out, &len) == 0) {
		tandem_doc *again = NULL;
		if (tandem_doc_read(&again, out, len, &ro))
			abort();
		if (tandem_doc_count(again) != tandem_doc_count(doc))
			abort();
		for (size_t i = 0; i < tandem_doc_count(doc); i++)
			if (!same_str(tandem_seg_text(doc, i), tandem_seg_text(again, i)) ||
			    !same_str(tandem_seg_translation(doc, i), tandem_seg_translation(again, i)) ||
			    tandem_seg_start(doc, i) != tandem_seg_start(again, i) ||
			    tandem_seg_end(doc, i) != tandem_seg_end(again, i))
				abort();
		tandem_doc_free(again);
		free(out);
	}
	tandem_doc_free(doc);
	return 0;
}
