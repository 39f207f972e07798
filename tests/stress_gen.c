/*
 * stress_gen.c - writes the pathological inputs of tests/stress.sh into a
 * directory, at test time, so no big file is committed.
 *
 *   stress_gen DIR
 *
 * Every input is deterministic (the random bytes come from a fixed
 * xorshift seed), so a timing or a failure reproduces exactly.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CUES 100000
#define DEPTH 100000
#define LINE_BYTES (1u << 20)

static const char *dir;

static FILE *create(const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		fprintf(stderr, "stress_gen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fp;
}

static void done(FILE *fp)
{
	if (ferror(fp) || fclose(fp)) {
		fprintf(stderr, "stress_gen: write failed\n");
		exit(1);
	}
}

static void put_time(FILE *fp, long ms, char sep)
{
	fprintf(fp, "%02ld:%02ld:%02ld%c%03ld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
	        sep, ms % 1000);
}

/* 100k short cues, one second apart, half of them on two lines. */
static void many(const char *name, int vtt)
{
	FILE *fp = create(name);
	if (vtt)
		fputs("WEBVTT\n\n", fp);
	for (long i = 0; i < CUES; i++) {
		fprintf(fp, "%ld\n", i + 1);
		put_time(fp, i * 1000, vtt ? '.' : ',');
		fputs(" --> ", fp);
		put_time(fp, i * 1000 + 900, vtt ? '.' : ',');
		fprintf(fp, "\nCue number %ld says <i>hello</i> &amp; more.\n", i + 1);
		if (i % 2)
			fputs("A second line of text for it.\n", fp);
		fputc('\n', fp);
	}
	done(fp);
}

/* One line of about 1 MB: Latin words with a CJK run now and then, no line break. */
static void long_line(FILE *fp)
{
	static const char word[] = "lorem ipsum dolor 字幕 sit amet, ";
	size_t n = 0;
	while (n < LINE_BYTES) {
		fputs(word, fp);
		n += sizeof word - 1;
	}
}

static void long_lines(void)
{
	FILE *fp = create("long.srt");
	fputs("1\n00:00:01,000 --> 00:00:02,000\n", fp);
	long_line(fp);
	fputs("\n\n", fp);
	done(fp);

	fp = create("long.vtt");
	fputs("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n", fp);
	long_line(fp);
	fputs("\n", fp);
	done(fp);

	fp = create("long.lines");
	long_line(fp);
	fputs("\n", fp);
	done(fp);

	fp = create("long.transcript.txt");
	fputs("Podcast\nA Long Line\nThe Show / 1 min / done\n1 transcript segment\n", fp);
	long_line(fp);
	fputs("\n一行很长的翻译。\n", fp);
	done(fp);

	fp = create("long.post.txt");
	fputs("---\ntitle: A Long Line\n---\n### 开场\n\n主持人：", fp);
	long_line(fp);
	fputs("\n\n<details data-start=\"00:00:01.000\" data-end=\"00:00:02.000\">\n"
	      "<summary>View/Hide Original English</summary>\n<p class=\"english-text\">",
	      fp);
	long_line(fp);
	fputs("</p>\n</details>\n", fp);
	done(fp);

	fp = create("long.md");
	fputs("# A Long Line\n\n**主持人：** ", fp);
	long_line(fp);
	fputs("\n", fp);
	done(fp);
}

/* 100k NOTE blocks and one cue after them. */
static void notes(void)
{
	FILE *fp = create("notes.vtt");
	fputs("WEBVTT\n\n", fp);
	for (long i = 0; i < CUES; i++)
		fprintf(fp, "NOTE comment %ld\n\n", i);
	fputs("00:00:01.000 --> 00:00:02.000\nthe only cue\n", fp);
	done(fp);
}

static void repeat(FILE *fp, const char *s, long n)
{
	for (long i = 0; i < n; i++)
		fputs(s, fp);
}

/* 100k REGION blocks, each named by one cue, last block first. */
static void regions(void)
{
	FILE *fp = create("regions.vtt");
	fputs("WEBVTT\n\n", fp);
	for (long i = 0; i < CUES; i++)
		fprintf(fp, "REGION\nid:r%ld\nwidth:40%%\n\n", i);
	for (long i = CUES; i-- > 0;)
		fprintf(fp, "00:00:01.000 --> 00:00:02.000 region:r%ld line:0\ncue %ld\n\n", i, i);
	done(fp);
}

/* Cue text that makes a careless tokenizer or tag stack quadratic. */
static void markup(void)
{
	FILE *fp = create("nested.vtt");
	fputs("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n", fp);
	repeat(fp, "<b>", DEPTH);
	fputs("deep", fp);
	repeat(fp, "</b>", DEPTH);
	fputs("\n\n00:00:02.000 --> 00:00:03.000\n", fp);
	repeat(fp, "<i><c.x>", DEPTH);
	fputs("never closed\n", fp);
	done(fp);

	static const char *const names[] = {"unclosed.vtt", "unclosed.srt"};
	for (int k = 0; k < 2; k++) {
		fp = create(names[k]);
		fputs(k ? "1\n00:00:01,000 --> 00:00:02,000\n" : "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n",
		      fp);
		repeat(fp, "a & b ", DEPTH);
		fputs(k ? "\n\n2\n00:00:02,000 --> 00:00:03,000\n" : "\n\n00:00:02.000 --> 00:00:03.000\n",
		      fp);
		repeat(fp, "1 < 2 ", DEPTH);
		fputs("\n", fp);
		done(fp);
	}
}

/* Nesting deep enough to overflow a recursive parser's stack. */
static void deep_json(void)
{
	FILE *fp = create("deep-array.json");
	repeat(fp, "[", DEPTH);
	repeat(fp, "]", DEPTH);
	fputs("\n", fp);
	done(fp);

	fp = create("deep-object.json");
	fputs("{\"segments\":[{\"text\":", fp);
	repeat(fp, "{\"a\":", DEPTH);
	fputs("1", fp);
	repeat(fp, "}", DEPTH);
	fputs("}]}\n", fp);
	done(fp);
}

static void random_bytes(void)
{
	FILE *fp = create("random.bin");
	uint64_t x = 0x9E3779B97F4A7C15u;
	static uint64_t block[8192];
	for (int b = 0; b < 50 * 16; b++) { /* 50 MB in 64 KiB blocks */
		for (size_t i = 0; i < sizeof block / sizeof *block; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			block[i] = x;
		}
		fwrite(block, 1, sizeof block, fp);
	}
	done(fp);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: stress_gen DIR\n");
		return 2;
	}
	dir = argv[1];
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "stress_gen: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	many("many.srt", 0);
	many("many.vtt", 1);
	long_lines();
	notes();
	regions();
	markup();
	deep_json();
	random_bytes();
	return 0;
}
