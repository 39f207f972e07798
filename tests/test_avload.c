/*
 * test_avload.c - the media libraries are loaded on first use, once, from
 * any thread (media/avload.c).
 *
 * Before any media call the process must not hold libsndfile or FFmpeg;
 * then several threads race to the first probe and decode of a WAV this
 * test writes, through both libraries (libsndfile for the header, FFmpeg
 * for the forced scan and the decoder), and every thread must get the
 * exact figures.
 */
#include "harness.h"
#include "tandem.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WAV_PATH "test_avload.wav"
#define RATE 8000
#define FRAMES 8000 /* one second */
#define THREADS 6

/* Is a library whose file name contains `name` mapped into this process? */
static int mapped(const char *name)
{
	FILE *fp = fopen("/proc/self/maps", "r");
	if (!fp)
		return -1;
	char line[4096];
	int hit = 0;
	while (!hit && fgets(line, sizeof line, fp))
		hit = strstr(line, name) != NULL;
	fclose(fp);
	return hit;
}

static void put32(FILE *fp, uint32_t v)
{
	unsigned char b[4] = {v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24 & 0xff};
	fwrite(b, 1, 4, fp);
}

static void put16(FILE *fp, uint16_t v)
{
	unsigned char b[2] = {v & 0xff, v >> 8 & 0xff};
	fwrite(b, 1, 2, fp);
}

/* 16-bit mono PCM, a 440 Hz tone at half scale. */
static int write_wav(const char *path)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return -1;
	fwrite("RIFF", 1, 4, fp);
	put32(fp, 36 + FRAMES * 2);
	fwrite("WAVEfmt ", 1, 8, fp);
	put32(fp, 16);
	put16(fp, 1);       /* PCM */
	put16(fp, 1);       /* mono */
	put32(fp, RATE);
	put32(fp, RATE * 2);
	put16(fp, 2);
	put16(fp, 16);
	fwrite("data", 1, 4, fp);
	put32(fp, FRAMES * 2);
	for (int i = 0; i < FRAMES; i++)
		put16(fp, (uint16_t)(int16_t)lrint(16000 * sin(2 * M_PI * 440 * i / RATE)));
	return fclose(fp);
}

typedef struct {
	int header_rc, scan_rc, open_rc;
	int64_t header_ms, scan_ms;
	char header_container[16], scan_method[16];
	long samples;
	double peak;
} result;

static void *worker(void *arg)
{
	result *r = arg;
	tandem_media_info info;
	r->header_rc = tandem_media_probe(WAV_PATH, TANDEM_MEDIA_AUTO, &info, NULL, NULL);
	r->header_ms = info.duration_ms;
	snprintf(r->header_container, sizeof r->header_container, "%s",
	         info.container ? info.container : "");
	/* A forced scan skips libsndfile: FFmpeg reads every packet. */
	r->scan_rc = tandem_media_probe(WAV_PATH, TANDEM_MEDIA_SCAN, &info, NULL, NULL);
	r->scan_ms = info.duration_ms;
	snprintf(r->scan_method, sizeof r->scan_method, "%s", info.method ? info.method : "");
	tandem_audio *a;
	r->open_rc = tandem_audio_open(&a, WAV_PATH, 16000, NULL, NULL);
	if (r->open_rc)
		return NULL;
	float buf[1000];
	long n;
	while ((n = tandem_audio_read(a, buf, 1000)) > 0) {
		r->samples += n;
		for (long k = 0; k < n; k++)
			if (fabs(buf[k]) > r->peak)
				r->peak = fabs(buf[k]);
	}
	tandem_audio_close(a);
	return NULL;
}

int main(void)
{
	/* A subtitle-only program never maps the media libraries. */
	tandem_doc *doc = NULL;
	static const char srt[] = "1\n00:00:01,000 --> 00:00:02,000\nhello\n";
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "srt";
	INT_EQ(tandem_doc_read(&doc, srt, sizeof srt - 1, &ro), 0, "read an SRT");
	tandem_doc_free(doc);
	INT_EQ(mapped("libavformat.so"), 0, "libavformat mapped before any media call");
	INT_EQ(mapped("libsndfile.so"), 0, "libsndfile mapped before any media call");

	OK(write_wav(WAV_PATH) == 0, "cannot write %s", WAV_PATH);
	pthread_t th[THREADS];
	result res[THREADS];
	memset(res, 0, sizeof res);
	for (int t = 0; t < THREADS; t++)
		OK(pthread_create(&th[t], NULL, worker, &res[t]) == 0, "thread %d", t);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	for (int t = 0; t < THREADS; t++) {
		INT_EQ(res[t].header_rc, 0, "probe");
		INT_EQ(res[t].header_ms, 1000, "libsndfile's duration");
		STR_EQ(res[t].header_container, "wav", "container");
		INT_EQ(res[t].scan_rc, 0, "forced scan");
		INT_EQ(res[t].scan_ms, 1000, "FFmpeg's scanned duration");
		STR_EQ(res[t].scan_method, "scan", "method");
		INT_EQ(res[t].open_rc, 0, "open for decoding");
		INT_EQ(res[t].samples, 16000, "samples at 16 kHz");
		OK(res[t].peak > 0.45 && res[t].peak < 0.52, "peak %.3f, want about 0.49",
		   res[t].peak);
	}
	INT_EQ(mapped("libavformat.so"), 1, "libavformat mapped after media calls");
	INT_EQ(mapped("libsndfile.so"), 1, "libsndfile mapped after media calls");
	remove(WAV_PATH);
	return harness_done();
}
