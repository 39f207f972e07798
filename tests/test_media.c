/*
 * test_media.c - media durations against files made at test time by
 * scripts/make-media-fixtures.sh (TANDEM_MEDIA_DIR), whose manifest
 * expected.tsv gives each file's duration range, method, or diagnostic;
 * plus tandem_media_find on names beside a subtitle.
 */
#include "harness.h"
#include "tandem.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct seen {
	char msg[512];
	int errors, warnings;
} seen;

static void remember(const tandem_diag *d, void *user)
{
	seen *s = user;
	if (d->severity == TANDEM_ERROR)
		s->errors++;
	else if (d->severity == TANDEM_WARNING)
		s->warnings++;
	snprintf(s->msg, sizeof s->msg, "%s", d->message);
	OK(d->rule && strcmp(d->rule, "media") == 0, "rule %s", d->rule ? d->rule : "(null)");
}

static void touch(const char *dir, const char *name)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *fp = fopen(p, "w");
	if (fp)
		fclose(fp);
}

static void test_find(const char *tmp)
{
	char dir[1024], p[1100];
	snprintf(dir, sizeof dir, "%s/find", tmp);
	mkdir(dir, 0777);
	snprintf(p, sizeof p, "%s/talk.en.mkv", dir);
	unlink(p);   /* left by an earlier run */
	touch(dir, "talk.en.srt");
	touch(dir, "talk.mp4");
	touch(dir, "talk.wav");
	touch(dir, "other.srt");
	snprintf(p, sizeof p, "%s/talk.en.srt", dir);
	char *m = tandem_media_find(p);
	char want[1100];
	/* talk.en.* has nothing: falls back to talk.*, audio before video. */
	snprintf(want, sizeof want, "%s/talk.wav", dir);
	STR_EQ(m, want, "talk.en.srt finds talk.wav");
	free(m);
	touch(dir, "talk.en.mkv");
	m = tandem_media_find(p);
	snprintf(want, sizeof want, "%s/talk.en.mkv", dir);
	STR_EQ(m, want, "talk.en.mkv wins over talk.wav");
	free(m);
	snprintf(p, sizeof p, "%s/other.srt", dir);
	m = tandem_media_find(p);
	OK(m == NULL, "nothing named like other.srt: %s", m ? m : "");
	free(m);
	OK(tandem_media_find("-") == NULL, "stdin has no neighbours");
	OK(tandem_media_find(NULL) == NULL, "NULL");
}

int main(void)
{
	const char *dir = getenv("TANDEM_MEDIA_DIR");
	if (!dir) {
		fprintf(stderr, "TANDEM_MEDIA_DIR not set: run through ctest\n");
		return 77;
	}
	char path[1024];
	snprintf(path, sizeof path, "%s/expected.tsv", dir);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "%s missing (make-media-fixtures.sh skipped?)\n", path);
		return 77;
	}
	char line[1024];
	int cases = 0;
	while (fgets(line, sizeof line, fp)) {
		char name[256], how[16], status[16], method[16], msg[512];
		long long lo, hi;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%255[^\t]\t%15[^\t]\t%15[^\t]\t%lld\t%lld\t%15[^\t]\t%511[^\n]", name,
		           how, status, &lo, &hi, method, msg) != 7) {
			OK(0, "bad manifest line: %s", line);
			continue;
		}
		cases++;
		tandem_media_how h = strcmp(how, "scan") == 0     ? TANDEM_MEDIA_SCAN
		                     : strcmp(how, "header") == 0 ? TANDEM_MEDIA_HEADER
		                                                  : TANDEM_MEDIA_AUTO;
		snprintf(path, sizeof path, "%s/%s", dir, name);
		tandem_media_info info;
		seen s = {{0}, 0, 0};
		int rc = tandem_media_probe(path, h, &info, remember, &s);
		char what[400];
		snprintf(what, sizeof what, "%s (%s)", name, how);
		if (strcmp(status, "error") == 0) {
			OK(rc == TANDEM_EMEDIA || rc == TANDEM_EIO, "%s: rc %d, want an error", what, rc);
			INT_EQ(s.errors, 1, what);
			OK(strstr(s.msg, msg) != NULL, "%s: message '%s' lacks '%s'", what, s.msg, msg);
			INT_EQ(info.duration_ms, TANDEM_NO_TIME, what);
			continue;
		}
		INT_EQ(rc, 0, what);
		OK(info.duration_ms >= lo && info.duration_ms <= hi, "%s: %lld ms, want %lld..%lld",
		   what, (long long)info.duration_ms, lo, hi);
		STR_EQ(info.method, method, what);
		INT_EQ(s.errors, 0, what);
		INT_EQ(s.warnings, strcmp(status, "warn") == 0 ? 1 : 0, what);
		if (strcmp(status, "warn") == 0)
			OK(strstr(s.msg, msg) != NULL, "%s: message '%s' lacks '%s'", what, s.msg, msg);
		OK(info.sample_rate > 0 && info.channels > 0, "%s: %d Hz, %d channels", what,
		   info.sample_rate, info.channels);
		OK(info.has_video == (strstr(name, ".mp4") || strstr(name, ".mkv") || strstr(name, ".webm")), "%s: has_video %d", what,
		   info.has_video);
		/* The short form agrees with the long one. */
		if (h == TANDEM_MEDIA_AUTO) {
			int64_t ms;
			const char *m;
			INT_EQ(tandem_media_duration(path, &ms, &m), 0, what);
			INT_EQ(ms, info.duration_ms, what);
			STR_EQ(m, info.method, what);
		}
	}
	fclose(fp);
	OK(cases >= 25, "only %d manifest cases", cases);

	/* The estimate the scan replaces really is wrong for VBR without Xing. */
	snprintf(path, sizeof path, "%s/vbr-noxing.mp3", dir);
	tandem_media_info est, exact;
	INT_EQ(tandem_media_probe(path, TANDEM_MEDIA_HEADER, &est, NULL, NULL), 0, "estimate");
	INT_EQ(tandem_media_probe(path, TANDEM_MEDIA_AUTO, &exact, NULL, NULL), 0, "exact");
	OK(exact.duration_ms - est.duration_ms > 5000, "estimate %lld vs exact %lld",
	   (long long)est.duration_ms, (long long)exact.duration_ms);

	INT_EQ(tandem_media_probe(NULL, TANDEM_MEDIA_AUTO, &est, NULL, NULL), TANDEM_EINVAL, "NULL");
	int64_t ms = 0;
	const char *m = "x";
	INT_EQ(tandem_media_duration(dir, &ms, &m), TANDEM_EIO, "a directory");
	INT_EQ(ms, TANDEM_NO_TIME, "no duration on failure");
	OK(m == NULL, "no method on failure");

	test_find(dir);
	return harness_done();
}
