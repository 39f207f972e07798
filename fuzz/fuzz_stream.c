/*
 * fuzz_stream.c - the streamed conversion (formats/stream.c) against the whole
 * one, under arbitrary bytes.  The input is written to a file and converted
 * to WebVTT and to SRT twice: read whole, and streamed (windows of two
 * cues, its text read through a ring a few bytes at a time, in two halves
 * for WebVTT).  The status, the output bytes and every diagnostic must be
 * the same.  Bytes that are not UTF-8 exercise the ring's "read it again,
 * decoded" path; CRs, LFs and multi-byte characters cut by the ring's
 * pieces exercise its line ends.
 */
#define _GNU_SOURCE /* memmem */
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void collect(const tandem_diag *d, void *user)
{
	tandem__buf_printf(user, "%s:%zu:%zu:%zu %d %s %s\n", d->file, d->line, d->col, d->line2,
	                  (int)d->severity, d->rule, d->message);
}

typedef struct run {
	int rc;
	char *out, *diags;
	size_t len;
} run;

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	tandem__buf b = TANDEM_BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		tandem__buf_put(&b, chunk, n);
	fclose(fp);
	return tandem__buf_detach(&b, len);
}

static run convert(const char *in, const char *out, const char *to, tandem__stream_knobs *k)
{
	tandem__buf diags = TANDEM_BUF_INIT;
	tandem_read_opts ro;
	tandem_write_opts wo;
	tandem_read_opts_init(&ro);
	tandem_write_opts_init(&wo);
	ro.diag = wo.diag = collect;
	ro.diag_user = wo.diag_user = &diags;
	ro.filename = "in.srt";
	wo.filename = "out";
	unlink(out);
	run r = {0, NULL, NULL, 0};
	r.rc = tandem__convert_file(in, out, to, &ro, &wo, k);
	r.out = slurp(out, &r.len);
	r.diags = tandem__buf_detach(&diags, NULL);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Without a timing arrow both refuse the input, and in the same words,
	 * before any reading: not worth the files. */
	if (!memmem(data, size, "-->", 3))
		return 0;
	char in[256], out[256];
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(in, sizeof in, "%s/tandem-fuzz-stream-%ld.srt", dir, (long)getpid());
	snprintf(out, sizeof out, "%s/tandem-fuzz-stream-%ld.out", dir, (long)getpid());
	FILE *fp = fopen(in, "wb");
	if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
		abort();
	static const char *const formats[] = {"vtt", "srt"};
	for (int f = 0; f < 2; f++) {
		tandem__stream_knobs whole = {.window = 0, .map_min = 1, .split_min = SIZE_MAX,
		                             .split_from = SIZE_MAX};
		tandem__stream_knobs part = {.window = 2, .map_min = 1,
		                            .split_min = f == 0 ? 1 : SIZE_MAX,
		                            .split_from = size / 3,
		                            .ring_piece = 1 + size % 5, .ring_slide = 1 + size % 3};
		run a = convert(in, out, formats[f], &whole), b = convert(in, out, formats[f], &part);
		if (a.rc != b.rc || (a.out == NULL) != (b.out == NULL) ||
		    (a.out && (a.len != b.len || memcmp(a.out, b.out, a.len) != 0)) ||
		    strcmp(a.diags, b.diags) != 0) {
			fprintf(stderr, "fuzz_stream: to %s, whole and streamed differ: rc %d / %d\n"
			        "-- whole:\n%s-- streamed:\n%s", formats[f], a.rc, b.rc, a.diags, b.diags);
			abort();
		}
		free(a.out);
		free(a.diags);
		free(b.out);
		free(b.diags);
	}
	unlink(in);
	unlink(out);
	return 0;
}
