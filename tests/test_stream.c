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
#include "stream.h"
#include "harness_doc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
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

/* Where the second half is looked for (SIZE_MAX: not read in two halves), and how
 * many conversions were stitched from two halves. */
static size_t split_from = SIZE_MAX;
static size_t nstitched, nsplit_tries;
/* The second reader waits for the main one at each hand-over, so the main
 * reader, arriving first, moves the second half's output while it is read. */
static bool half_waits;
static size_t nmoved, nmoved_stitched;
/* The streamed reader's ring reads this many bytes at a time and slides
 * this far in (0: its own sizes); whether the last conversion found its
 * input was not UTF-8 after all and read it again. */
static size_t ring_piece, ring_slide;
static bool last_again;

/* --speakers for the conversions (speaker_runs_streamed sets CHANGE). */
static tandem_speakers speakers_mode = TANDEM_SPEAKERS_AUTO;

static result convert(const char *in, const char *format, size_t window, bool strict)
{
	result res = {0};
	tandem__buf diags = TANDEM_BUF_INIT;
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
	wo.speakers = speakers_mode;
	unlink(out_path);
	tandem__stream_knobs k = {.window = window, .map_min = 1,
	                         .split_min = split_from == SIZE_MAX ? SIZE_MAX : 1,
	                         .split_from = split_from, .half_waits = half_waits,
	                         .ring_piece = ring_piece, .ring_slide = ring_slide};
	res.rc = tandem__convert_file(in, out_path, format, &ro, &wo, &k);
	last_again = k.again;
	if (window && split_from != SIZE_MAX) {
		nsplit_tries++;
		nstitched += k.stitched;
		nmoved += k.moved;
		nmoved_stitched += k.moved && k.stitched;
	}
	res.out = harness_slurp(out_path, &res.len);
	res.diags = tandem__buf_detach(&diags, NULL);
	return res;
}

static void result_free(result *r)
{
	free(r->out);
	free(r->diags);
}

static void same(const char *in, const char *format, size_t window, bool strict)
{
	size_t from = split_from;
	split_from = SIZE_MAX;
	result whole = convert(in, format, 0, strict);
	split_from = from;
	result part = convert(in, format, window, strict);
	char what[700];
	snprintf(what, sizeof what, "%s -> %s, window %zu%s, options %d, halves from %zu", in,
	         format, window, strict ? ", strict" : "", variant, split_from);
	INT_EQ(part.rc, whole.rc, what);
	OK((part.out == NULL) == (whole.out == NULL), "%s: output written by one only", what);
	if (part.out && whole.out)
		OK(part.len == whole.len && memcmp(part.out, whole.out, part.len) == 0,
		   "%s: outputs differ (%zu vs %zu bytes)", what, part.len, whole.len);
	STR_EQ(part.diags, whole.diags, what);
	result_free(&whole);
	result_free(&part);
}

/* Read in two halves, the second looked for from every 1/24th of the file on:
 * stitched or read on, the result is the one reader's. */
static void halves_window(const char *path, size_t size, size_t window)
{
	size_t step = size / 24 ? size / 24 : 1;
	for (split_from = 0; split_from < size; split_from += step) {
		same(path, "vtt", window, false);
		same(path, "vtt", window + 1, split_from % 2 == 0);
		half_waits = true;
		same(path, "vtt", window, split_from % 2 == 1);
		half_waits = false;
	}
	split_from = SIZE_MAX;
}

static void halves(const char *path, size_t size)
{
	halves_window(path, size, 1);
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
		halves(path, (size_t)st.st_size);
		/* Read a few bytes at a time, sliding after every cue: every line end,
		 * CRLF and character is cut by a piece's end somewhere. */
		size_t len;
		char *bytes = harness_slurp(path, &len);
		bool utf8 = bytes && tandem__utf8_check(bytes, len) == len && !memchr(bytes, 0, len);
		free(bytes);
		static const size_t pieces[] = {1, 2, 3, 7, 64};
		for (size_t k = 0; k < sizeof pieces / sizeof *pieces; k++) {
			ring_piece = pieces[k];
			ring_slide = k % 2 ? 1 : 40;
			same(path, "vtt", 2, false);
			OK(!utf8 || !last_again, "%s, pieces of %zu: UTF-8 read again", path, pieces[k]);
			same(path, "srt", 1, k == 2);
			if (k == 3) /* a few bytes at a time: the halves are many conversions */
				halves(path, (size_t)st.st_size);
		}
		ring_piece = ring_slide = 0;
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

static bool pair_times, own_numbers;

/* n cues "k\nTIME\n<text k>\n\n" where text(k) picks the line. */
static char *cues(size_t n, const char *(*text)(size_t k, char *buf))
{
	tandem__buf b = TANDEM_BUF_INIT;
	char buf[256];
	for (size_t k = 0; k < n; k++) {
		size_t c = pair_times ? k / 2 : k;   /* doubled: two cues per time (and number) */
		tandem__buf_printf(&b, "%zu\n00:%02zu:%02zu,000 --> 00:%02zu:%02zu,500\n%s\n\n",
		                  own_numbers ? k + 1 : c + 1, c / 60 % 60, c % 60, c / 60 % 60, c % 60,
		                  text(k, buf));
	}
	return tandem__buf_detach(&b, NULL);
}

/* A speaker whose second cue comes long after the first window went out. */
static const char *late_speaker(size_t k, char *buf)
{
	if (k == 1 || k == 30)
		return "Anna: a line from Anna";
	snprintf(buf, 256, "plain line number %zu", k);
	return buf;
}

/* Runs of four cues by one speaker, so that runs cross window boundaries. */
static const char *speaker_runs(size_t k, char *buf)
{
	snprintf(buf, 256, "%s: line %zu", k / 4 % 2 ? "Ben" : "Anna", k);
	return buf;
}

/* Under --speakers change, a streamed SRT names the speaker on the first
 * cue of each run only, whatever the window (by default an SRT keeps every
 * label it had). */
static void speaker_runs_streamed(void)
{
	char *srt = cues(40, speaker_runs);
	char *path = write_temp("tandem-stream-runs.srt", srt);
	result all = convert(path, "srt", 3, false);
	size_t every = 0;
	for (const char *p = all.out; p && (p = strstr(p, ": line")); p++)
		every++;
	INT_EQ(every, 40, "by default, every label kept");
	result_free(&all);
	speakers_mode = TANDEM_SPEAKERS_CHANGE;
	for (size_t w = 1; w <= 5; w++) {
		same(path, "srt", w, false);
		same(path, "vtt", w, false);
		result r = convert(path, "srt", w, false);
		size_t labels = 0;
		for (const char *p = r.out; p && (p = strstr(p, ": line")); p++)
			labels++;
		INT_EQ(labels, 10, "runs of a speaker, streamed: one label a run");
		OK(r.out && strstr(r.out, "\n\nAnna: line 0\n") == NULL && strstr(r.out, "\nline 1\n"),
		   "window %zu: the run's second cue has no label", w);
		result_free(&r);
	}
	speakers_mode = TANDEM_SPEAKERS_AUTO;
	unlink(path);
	free(srt);
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

/* What the second half's reader must get right: a speaker on both sides of
 * the middle, numbering slips, a stacked cue and a held-back pair candidate. */
static const char *across_halves(size_t k, char *buf)
{
	if (k == 5 || k == 50)
		return "Bob: on both sides of the middle";
	if (k == 40 || k == 45)
		return "Eve: only in the second half";
	if (k % 100 == 47)   /* WebVTT has no <font>: the writer counts what it drops */
		return "<font color=\"red\">red</font> words";
	if (k % 7 == 3)
		return "English line\n中文的一行字";
	snprintf(buf, 256, "plain line number %zu", k);
	return buf;
}

/* Doubled bilingual cues: every other cue is the same-timed translation,
 * but for a pair now and then that is English twice (two unpaired cues). */
static const char *doubled(size_t k, char *buf)
{
	if (k % 2 && k % 200 != 41)
		snprintf(buf, 256, "中文的第 %zu 行字", k / 2);
	else
		snprintf(buf, 256, "English line %zu", k / 2);
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
	halves(path, strlen(srt));
	unlink(path);
	free(srt);
	/* Ten times longer, with windows past the WebVTT head's 50-segment look at
	 * the languages (smaller ones start over whole): every case must stitch
	 * somewhere, or the second half's bookkeeping goes untested. */
	srt = cues(10 * n, text);
	path = write_temp(name, srt);
	size_t before = nstitched;
	halves_window(path, strlen(srt), 128);
	OK(nstitched > before, "%s: never stitched", name);
	printf("# %s: %zu of 72 stitched\n", name, nstitched - before);
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

/* How many of the pages in [p, p + len) are mapped (/proc/self/pagemap's
 * "present" bit), or -1 where that cannot be read. */
static long pages_present(const char *p, size_t len)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return -1;
	long n = 0;
	for (size_t off = 0; off < len; off += 4096) {
		uint64_t e;
		if (pread(fd, &e, sizeof e, (off_t)((uintptr_t)(p + off) / 4096 * sizeof e)) !=
		    (ssize_t)sizeof e) {
			n = -1;
			break;
		}
		n += (long)(e >> 63);
	}
	close(fd);
	return n;
}

/*
 * Looking for the second half's start is no reading: the main reader, not
 * yet started, must keep the pages of its half.  (It once gave them back,
 * and faulted a 100 MB input's first half in again.)
 */
static void split_point_keeps_pages(void)
{
	enum { CUES = 320000 };   /* 16 MB: pages go back 8 MiB at a time, 4 MiB behind */
	char *srt = malloc((size_t)CUES * 64);
	size_t n = 0;
	for (int k = 1; k <= CUES; k++)
		n += (size_t)sprintf(srt + n, "%d\n00:00:01,000 --> 00:00:02,000\nline number %d\n\n", k, k);
	char *path = write_temp("tandem-stream-pages.srt", srt);
	free(srt);
	int fd = open(path, O_RDONLY);
	char *map = fd >= 0 ? mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
	OK(map != MAP_FAILED, "map %s", path);
	if (map != MAP_FAILED) {
		tandem__input_mapped(map, n);
		uint64_t num = 0;
		size_t at = tandem__srt_split_point(map, n, n / 10 * 9, &num);
		OK(at > n / 10 * 9 && num > 280000, "split point %zu, cue %llu", at,
		   (unsigned long long)num);
		/* The reader's first 2 MiB, 12 MiB behind the point, are still mapped. */
		long present = pages_present(map, 2u << 20);
		OK(present == 512 || present < 0, "%ld of 512 pages still mapped", present);
		tandem__input_mapped(NULL, 0);
		munmap(map, n);
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
}

/*
 * Read through a ring, plain UTF-8 is checked as it is read; what turns out
 * not to be (a legacy encoding, a NUL, a bad byte) late in the file is read
 * again, decoded, and nothing of the first reading shows: the output and
 * the diagnostics are the whole-document conversion's.
 */
static const char *gbk_late_text;
static const char *gbk_late(size_t k, char *buf)
{
	if (k == 300)
		return gbk_late_text;
	snprintf(buf, 256, "plain line number %zu", k);
	return buf;
}

static void not_utf8_late(const char *name, const char *line, bool numbered_badly,
                          size_t n, bool again)
{
	gbk_late_text = line;
	own_numbers = false;
	char *srt = cues(n, gbk_late);
	if (numbered_badly) /* an oddity in every cue: more findings than are held */
		for (char *q = srt; (q = strstr(q, "\n\n")); q += 2)
			if (q[2] >= '1' && q[2] <= '9')
				q[2] = '1';
	size_t len = strlen(srt);
	char *nul = strstr(srt, "\x01\x01");
	if (nul)
		*nul = '\0';
	char *path = write_temp(name, "");
	FILE *fp = fopen(path, "wb");
	OK(fp && fwrite(srt, 1, len, fp) == len && fclose(fp) == 0, "cannot write %s", path);
	ring_piece = 64;
	for (int k = 0; k < 3; k++) {
		split_from = k == 2 ? len / 10 : SIZE_MAX;
		same(path, k == 1 ? "srt" : "vtt", 3, false);
		OK(last_again == again, "%s: read again: %d", name, last_again);
	}
	split_from = SIZE_MAX;
	ring_piece = 0;
	unlink(path);
	free(srt);
}

int main(void)
{
	big_utf8();
	split_point_keeps_pages();

	snprintf(out_path, sizeof out_path, "%s/tandem-stream-%ld.out",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());

	size_t nfiles = 0;
	walk(TANDEM_SOURCE_DIR "/fixtures", &nfiles);
	OK(nfiles >= 20, "only %zu SRT fixtures found", nfiles);

	diverging("tandem-stream-speaker.srt", late_speaker, 40);
	diverging("tandem-stream-halves.srt", across_halves, 60);
	pair_times = true;
	diverging("tandem-stream-doubled.srt", doubled, 60);
	/* Numbered cue by cue: the main reader's last cue may pair with the second half's first. */
	own_numbers = true;
	diverging("tandem-stream-doubled-numbered.srt", doubled, 60);
	pair_times = own_numbers = false;
	diverging("tandem-stream-late.srt", late_bilingual, 40);
	speaker_runs_streamed();
	diverging("tandem-stream-early.srt", early_bilingual, 40);
	/* The stitching itself ran, not only the fallback. */
	OK(nstitched * 8 >= nsplit_tries && nstitched > 100, "only %zu of %zu conversions stitched",
	   nstitched, nsplit_tries);
	printf("# %zu of %zu two-half conversions stitched\n", nstitched, nsplit_tries);
	/* Moved and stitched, and moved but read again by the main reader (its
	 * output written over the moved one and cut to length). */
	OK(nmoved_stitched > 100 && nmoved > nmoved_stitched, "moved %zu, of which stitched %zu",
	   nmoved, nmoved_stitched);
	printf("# %zu outputs moved while read, %zu of them stitched\n", nmoved, nmoved_stitched);

	not_utf8_late("tandem-stream-utf8.srt", "中文的一行字", false, 400, false);
	not_utf8_late("tandem-stream-gbk.srt", "\xD6\xD0\xCE\xC4 GBK", false, 400, true);
	not_utf8_late("tandem-stream-nul.srt", "a NUL \x01\x01", false, 400, true);
	not_utf8_late("tandem-stream-ff.srt", "\xFF bad", false, 400, true);
	not_utf8_late("tandem-stream-gbk-warned.srt", "\xD6\xD0\xCE\xC4 GBK", true, 6000, true);
	not_utf8_late("tandem-stream-utf8-warned.srt", "中文", true, 6000, false);

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
