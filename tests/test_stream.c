/*
 * test_stream.c - a streamed conversion (tandem_convert_file on a big SRT
 * file) must give what reading the whole document then writing it gives:
 * the same bytes and the same diagnostics, in the same order.  Every SRT
 * file under fixtures/ is converted to SRT and WebVTT whole and with tiny
 * windows (so the hand-over, the held-back cue and the decisions taken on
 * the first window are all exercised), and hand-made files make the first
 * window's decisions wrong on purpose so the stream has to start over.
 */
#include "harness.h"
#include "internal.h"
#include "harness_doc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct result {
	int rc;
	char *out;      /* output bytes, NULL when none was written */
	size_t len;
	char *diags;
} result;

static char out_path[256];

/* Convert `in` with `window` (0: whole document), output and diagnostics kept. */
/* Write options tried besides the defaults: 1 CRLF, 2 translation only, 3 translation
 * first with a STYLE block. */
static int variant;

static result convert(const char *in, const char *format, size_t window, bool strict)
{
	result res = {0};
	tandem_buf diags = TANDEM_BUF_INIT;
	tandem_read_opts ro;
	tandem_write_opts wo;
	tandem_read_opts_init(&ro);
	tandem_write_opts_init(&wo);
	ro.diag = wo.diag = harness_collect;
	ro.diag_user = wo.diag_user = &diags;
	ro.strict = strict;
	wo.filename = "out";
	wo.crlf = variant == 1;
	wo.side = variant == 2 ? TANDEM_SIDE_TRANSLATION : TANDEM_SIDE_BOTH;
	wo.order = variant == 3 ? TANDEM_ORDER_TRANSLATION_FIRST : TANDEM_ORDER_SOURCE_FIRST;
	wo.vtt_style = variant == 3;
	unlink(out_path);
	res.rc = tandem__convert_file(in, out_path, format, &ro, &wo, window, 1);
	res.out = harness_slurp(out_path, &res.len);
	res.diags = tandem_buf_detach(&diags, NULL);
	return res;
}

static void result_free(result *r)
{
	free(r->out);
	free(r->diags);
}

static void same(const char *in, const char *format, size_t window, bool strict)
{
	result whole = convert(in, format, 0, strict);
	result part = convert(in, format, window, strict);
	char what[600];
	snprintf(what, sizeof what, "%s -> %s, window %zu%s, options %d", in, format, window,
	         strict ? ", strict" : "", variant);
	INT_EQ(part.rc, whole.rc, what);
	OK((part.out == NULL) == (whole.out == NULL), "%s: output written by one only", what);
	if (part.out && whole.out)
		OK(part.len == whole.len && memcmp(part.out, whole.out, part.len) == 0,
		   "%s: outputs differ (%zu vs %zu bytes)", what, part.len, whole.len);
	STR_EQ(part.diags, whole.diags, what);
	result_free(&whole);
	result_free(&part);
}

static void walk(const char *dir, size_t *nfiles)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, nfiles);
			continue;
		}
		size_t n = strlen(path);
		if (n < 4 || strcmp(path + n - 4, ".srt") != 0)
			continue;
		(*nfiles)++;
		static const size_t windows[] = {1, 2, 3, 7};
		for (size_t k = 0; k < sizeof windows / sizeof *windows; k++) {
			same(path, "vtt", windows[k], false);
			same(path, "srt", windows[k], false);
		}
		same(path, "vtt", 2, true);
		for (variant = 1; variant <= 3; variant++) {
			same(path, "vtt", 2, false);
			same(path, "srt", 3, false);
		}
		variant = 0;
	}
	closedir(d);
}

static char *write_temp(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
	FILE *fp = fopen(path, "wb");
	OK(fp != NULL, "cannot write %s", path);
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
	return path;
}

/* n cues "k\nTIME\n<text k>\n\n" where text(k) picks the line. */
static char *cues(size_t n, const char *(*text)(size_t k, char *buf))
{
	tandem_buf b = TANDEM_BUF_INIT;
	char buf[256];
	for (size_t k = 0; k < n; k++)
		tandem_buf_printf(&b, "%zu\n00:00:%02zu,000 --> 00:00:%02zu,500\n%s\n\n", k + 1,
		                  k % 60, k % 60, text(k, buf));
	return tandem_buf_detach(&b, NULL);
}

/* A speaker whose second cue comes long after the first window went out. */
static const char *late_speaker(size_t k, char *buf)
{
	if (k == 1 || k == 30)
		return "Anna: a line from Anna";
	snprintf(buf, 256, "plain line number %zu", k);
	return buf;
}

/* Stacked bilingual cues only after the first window: the split decision changes. */
static const char *late_bilingual(size_t k, char *buf)
{
	if (k < 4) {
		snprintf(buf, 256, "English only %zu", k);
		return buf;
	}
	snprintf(buf, 256, "English line %zu\n中文的一行字 %zu", k, k);
	return buf;
}

/* Bilingual at first, then mostly English: the whole file is not "stacked". */
static const char *early_bilingual(size_t k, char *buf)
{
	if (k < 6) {
		snprintf(buf, 256, "English line %zu\n中文的一行字 %zu", k, k);
		return buf;
	}
	snprintf(buf, 256, "English only %zu", k);
	return buf;
}

static void diverging(const char *name, const char *(*text)(size_t, char *), size_t n)
{
	char *srt = cues(n, text);
	char *path = write_temp(name, srt);
	for (size_t w = 1; w <= 5; w += 2) {
		same(path, "vtt", w, false);
		same(path, "srt", w, false);
	}
	unlink(path);
	free(srt);
}

/* Big inputs are checked for UTF-8 in two halves at once: the answer is the whole one's. */
static void big_utf8(void)
{
	size_t n = (17u << 20) / 3 * 3;
	char *s = malloc(n + 1);
	for (size_t i = 0; i < n; i += 3)
		memcpy(s + i, "\xE4\xB8\xAD", 3);
	s[n] = '\0';
	INT_EQ(tandem__utf8_check(s, n), n, "valid big input");
	size_t spots[] = {3, n / 2 - 1, n / 2, n / 2 + 1, n / 2 + 2, n - 1};
	for (size_t k = 0; k < sizeof spots / sizeof *spots; k++) {
		/* A lead byte replaced leaves its continuation bytes orphaned; a
		 * continuation byte replaced breaks the character it was in. */
		size_t at = spots[k] % 3 == 0 ? spots[k] + 1 : spots[k] / 3 * 3;
		char save = s[spots[k]];
		s[spots[k]] = 'x';
		INT_EQ(tandem__utf8_check(s, n), at, "first invalid character");
		s[spots[k]] = save;
	}
	free(s);
}

int main(void)
{
	big_utf8();

	snprintf(out_path, sizeof out_path, "%s/tandem-stream-%ld.out",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());

	size_t nfiles = 0;
	walk(TANDEM_SOURCE_DIR "/fixtures", &nfiles);
	OK(nfiles >= 20, "only %zu SRT fixtures found", nfiles);

	diverging("tandem-stream-speaker.srt", late_speaker, 40);
	diverging("tandem-stream-late.srt", late_bilingual, 40);
	diverging("tandem-stream-early.srt", early_bilingual, 40);

	/* The late speaker really is found, streamed or not. */
	char *srt = cues(40, late_speaker);
	char *path = write_temp("tandem-stream-speaker.srt", srt);
	result r = convert(path, "vtt", 3, false);
	OK(r.out && strstr(r.out, "<v Anna>a line from Anna"), "speaker kept: %s",
	   r.out ? r.out : "(none)");
	result_free(&r);
	unlink(path);
	free(srt);

	/* A bad cue stops the stream and leaves no output behind. */
	path = write_temp("tandem-stream-bad.srt",
	                  "1\n00:00:01,000 --> 00:00:02,000\none\n\n"
	                  "2\n00:00:03,000 --> 00:00:04,000\ntwo\n\n"
	                  "3\n00:00:05,000 --> 00:00:06,000\nthree\n\n"
	                  "4\nnot a timing\nfour\n");
	r = convert(path, "vtt", 1, false);
	OK(r.rc != 0, "bad input converted");
	OK(r.out == NULL, "half-written output left behind");
	OK(strstr(r.diags, "tandem-stream-bad.srt:14:1: error:") != NULL, "error position: %s", r.diags);
	result_free(&r);
	unlink(path);

	unlink(out_path);
	return harness_done();
}
