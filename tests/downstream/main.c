/*
 * A downstream program: built against an installed tandem (find_package
 * or pkg-config, see CMakeLists.txt and tests/downstream/run.sh), it
 * reads a small bilingual SRT through the public API and prints what it
 * found and the document written back as WebVTT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tandem.h>

static const char srt[] =
	"1\n00:00:01,000 --> 00:00:02,500\nHello.\n你好。\n\n"
	"2\n00:00:03,000 --> 00:00:04,000\nGoodbye.\n再见。\n";

int main(void)
{
	tandem_read_opts ro;
	tandem_write_opts wo;
	tandem_doc *doc;
	char *vtt;
	size_t len;
	int status;

	tandem_read_opts_init(&ro);
	ro.format = "srt";
	status = tandem_doc_read(&doc, srt, strlen(srt), &ro);
	if (status != 0) {
		fprintf(stderr, "downstream: %s\n", tandem_strerror(status));
		return 1;
	}
	printf("tandem %s: %zu segments; the first %lld-%lld ms '%s' / '%s'\n", TANDEM_VERSION,
	       tandem_doc_count(doc), (long long)tandem_seg_start(doc, 0),
	       (long long)tandem_seg_end(doc, 0), tandem_seg_text(doc, 0),
	       tandem_seg_translation(doc, 0));
	tandem_write_opts_init(&wo);
	status = tandem_doc_write(doc, "vtt", &wo, &vtt, &len);
	tandem_doc_free(doc);
	if (status != 0) {
		fprintf(stderr, "downstream: %s\n", tandem_strerror(status));
		return 1;
	}
	fwrite(vtt, 1, len, stdout);
	free(vtt);
	return 0;
}
