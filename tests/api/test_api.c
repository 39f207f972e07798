/*
 * test_api.c - a program that uses libtandem the way an outside program
 * does: only tandem.h, linked against the shared library (whose internal
 * symbols are hidden).  Builds a bilingual document, writes it as SRT and
 * WebVTT, reads both back, and checks errors come with positions.
 */
#include "tandem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;
#define CHECK(c, what)                                                       \
	do {                                                                     \
		if (c)                                                               \
			passed++;                                                        \
		else {                                                               \
			failed++;                                                        \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, what);  \
		}                                                                    \
	} while (0)

static char last[512];
static void sink(const tandem_diag *d, void *user)
{
	(void)user;
	tandem_diag_format(d, last, sizeof last);
}

int main(void)
{
	tandem_doc *doc = tandem_doc_new();
	tandem_doc_add(doc, 1000, 2500, "Every time we have a new model,", "每次我们推出新模型时，");
	tandem_doc_add(doc, 2600, 4000, "there's a set of capabilities.", "都会带来一系列不同的能力。");
	tandem_doc_set_meta(doc, "title", "API test");

	const char *formats[] = {"srt", "vtt", "json"};
	for (size_t k = 0; k < sizeof formats / sizeof *formats; k++) {
		tandem_write_opts wo;
		tandem_write_opts_init(&wo);
		char *out;
		size_t len;
		int rc = tandem_doc_write(doc, formats[k], &wo, &out, &len);
		CHECK(rc == 0 && len > 0, formats[k]);
		tandem_read_opts ro;
		tandem_read_opts_init(&ro);
		ro.format = formats[k];
		tandem_doc *back = NULL;
		rc = tandem_doc_read(&back, out, len, &ro);
		CHECK(rc == 0, "read back");
		CHECK(back && tandem_doc_count(back) == 2, "two segments back");
		if (back) {
			CHECK(tandem_seg_start(back, 1) == 2600 && tandem_seg_end(back, 1) == 4000,
			      "times survive");
			CHECK(strcmp(tandem_seg_text(back, 0), "Every time we have a new model,") == 0,
			      "text survives");
			const char *tr = tandem_seg_translation(back, 1);
			CHECK(tr && strcmp(tr, "都会带来一系列不同的能力。") == 0, "translation survives");
		}
		tandem_doc_free(back);
		free(out);
	}

	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.filename = "bad.srt";
	ro.format = "srt";
	ro.strict = 1;
	ro.diag = sink;
	const char bad[] = "1\n00:00:01,000 --> 00:00:02.5\nHello\n";
	tandem_doc *none = (tandem_doc *)1;
	int rc = tandem_doc_read(&none, bad, sizeof bad - 1, &ro);
	CHECK(rc == TANDEM_EPARSE, "strict read fails");
	CHECK(none == NULL, "no document on failure");
	CHECK(strncmp(last, "bad.srt:2:", 10) == 0, "message has file:line");
	CHECK(strcmp(tandem_strerror(rc), "malformed input") == 0, "strerror");
	CHECK(tandem_format_from_path("x/y.VTT") != NULL, "extension lookup is case-blind");
	CHECK(tandem_text_width("中文", strlen("中文")) == 4, "width");
	tandem_doc_free(doc);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
