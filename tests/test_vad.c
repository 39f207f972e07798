/*
 * test_vad.c - the voice activity detector on synthetic signals: harmonic
 * "voice" (a 140 Hz pulse-like sum of harmonics) against digital silence
 * and white noise, with known on/off times.
 */
#include "harness.h"
#include "tandem.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#define RATE 16000

typedef struct sig {
	float *x;
	size_t n;
	uint64_t seed;
} sig;

static sig sig_new(double seconds)
{
	sig s;
	s.n = (size_t)(seconds * RATE);
	s.x = calloc(s.n, sizeof *s.x);
	s.seed = 12345;
	return s;
}

static double uniform(sig *s)
{
	s->seed = s->seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(s->seed >> 11) / 9007199254740992.0;
}

/* Gaussian white noise of RMS amplitude `rms` over [a, b) seconds. */
static void add_noise(sig *s, double a, double b, double rms)
{
	for (size_t i = (size_t)(a * RATE); i < (size_t)(b * RATE) && i < s->n; i++) {
		double u1 = uniform(s) + 1e-12, u2 = uniform(s);
		s->x[i] += (float)(rms * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));
	}
}

/* Harmonic voice of RMS amplitude about `rms` over [a, b) seconds. */
static void add_voice(sig *s, double a, double b, double rms)
{
	double norm = 0;
	for (int h = 1; h <= 12; h++)
		norm += 0.5 / (h * h);
	double k = rms / sqrt(norm);
	for (size_t i = (size_t)(a * RATE); i < (size_t)(b * RATE) && i < s->n; i++) {
		double t = (double)i / RATE, v = 0;
		for (int h = 1; h <= 12; h++)
			v += sin(2 * M_PI * 140 * h * t) / h;
		s->x[i] += (float)(k * v);
	}
}

/* Run the detector, feeding `chunk` samples at a time. */
static size_t run(const sig *s, size_t chunk, const tandem_vad_opts *o, unsigned char **out)
{
	tandem_vad *v = tandem_vad_new(RATE, o);
	for (size_t i = 0; i < s->n; i += chunk)
		tandem_vad_feed(v, s->x + i, s->n - i < chunk ? s->n - i : chunk);
	const unsigned char *sp;
	size_t n = tandem_vad_finish(v, &sp);
	*out = malloc(n ? n : 1);
	memcpy(*out, sp, n);
	tandem_vad_free(v);
	return n;
}

/* Count runs of speech; the first run's edges in frames. */
static size_t runs(const unsigned char *m, size_t n, size_t *first_on, size_t *first_off)
{
	size_t k = 0;
	*first_on = *first_off = 0;
	for (size_t t = 0; t < n; t++) {
		if (m[t] && (t == 0 || !m[t - 1])) {
			if (!k)
				*first_on = t;
			k++;
		}
		if (k == 1 && m[t] && (t + 1 == n || !m[t + 1]))
			*first_off = t + 1;
	}
	return k;
}

static size_t count_in(const unsigned char *m, size_t a, size_t b)
{
	size_t k = 0;
	for (size_t t = a; t < b; t++)
		k += m[t];
	return k;
}

static void test_clean_edges(void)
{
	sig s = sig_new(3.0);
	add_voice(&s, 1.0, 2.0, 0.1);
	unsigned char *m;
	size_t n = run(&s, 4096, NULL, &m);
	INT_EQ(n, 300, "frames in 3 s");
	size_t on, off;
	INT_EQ(runs(m, n, &on, &off), 1, "one run of speech");
	OK(on >= 99 && on <= 101, "onset at frame %zu, want 100", on);
	OK(off >= 199 && off <= 202, "offset at frame %zu, want 200", off);
	free(m);
	free(s.x);
}

static void test_chunking_does_not_matter(void)
{
	sig s = sig_new(2.0);
	add_noise(&s, 0, 2.0, 0.003);
	add_voice(&s, 0.5, 1.3, 0.05);
	unsigned char *a, *b;
	size_t na = run(&s, 4096, NULL, &a);
	size_t nb = run(&s, 7, NULL, &b);
	INT_EQ(na, nb, "frame count");
	OK(na == nb && memcmp(a, b, na) == 0, "same mask for chunks of 4096 and 7");
	free(a);
	free(b);
	free(s.x);
}

/*
 * In white noise, a voice 6 dB over the noise is speech and a noise burst
 * 5 dB over it is not: the spectral cue, not the energy, tells them apart.
 */
static void test_noise_burst_is_not_speech(void)
{
	sig s = sig_new(6.0);
	add_noise(&s, 0, 6.0, 0.01);
	add_voice(&s, 1.0, 2.0, 0.02);
	add_noise(&s, 3.0, 4.0, 0.0148); /* total power +5 dB */
	unsigned char *m;
	size_t n = run(&s, 1000, NULL, &m);
	size_t in_voice = count_in(m, 100, 200);
	size_t in_burst = count_in(m, 300, 400);
	size_t elsewhere = count_in(m, 0, 95) + count_in(m, 206, 300) + count_in(m, 400, n);
	OK(in_voice >= 95, "voice frames detected: %zu of 100", in_voice);
	INT_EQ(in_burst, 0, "noise burst frames taken for speech");
	INT_EQ(elsewhere, 0, "noise frames taken for speech");
	size_t on, off;
	runs(m, n, &on, &off);
	OK(on >= 98 && on <= 103 && off >= 197 && off <= 203, "voice at %zu..%zu, want 100..200",
	   on, off);
	free(m);
	free(s.x);
}

/*
 * The floor follows the noise: 20 dB more noise later is not speech once
 * the 3 s window has passed the change.
 */
static void test_floor_adapts(void)
{
	sig s = sig_new(40.0);
	add_noise(&s, 0, 20.0, 0.003);
	add_noise(&s, 20.0, 40.0, 0.03);
	for (int k = 0; k < 4; k++) {
		add_voice(&s, 2.0 + 5 * k, 3.0 + 5 * k, 0.1);
		add_voice(&s, 22.0 + 5 * k, 23.0 + 5 * k, 0.1);
	}
	unsigned char *m;
	size_t n = run(&s, 4096, NULL, &m);
	size_t voice = 0, false_pos = 0;
	for (int k = 0; k < 4; k++) {
		voice += count_in(m, 200 + 500 * (size_t)k, 300 + 500 * (size_t)k);
		voice += count_in(m, 2200 + 500 * (size_t)k, 2300 + 500 * (size_t)k);
	}
	/* Frames away from any voice (by 50 ms), leaving out the 3 s after the change. */
	for (size_t t = 0; t < n; t++) {
		size_t in_block = t % 500;
		bool near_voice = in_block >= 195 && in_block < 305;
		if (!near_voice && !(t >= 2000 && t < 2300))
			false_pos += m[t];
	}
	OK(voice >= 780, "voice frames found: %zu of 800", voice);
	OK(false_pos <= 10, "noise frames taken for speech: %zu", false_pos);
	free(m);
	free(s.x);
}

static void test_min_lengths(void)
{
	sig s = sig_new(3.0);
	add_voice(&s, 0.50, 0.80, 0.1);
	add_voice(&s, 0.86, 1.20, 0.1);  /* 60 ms pause: filled */
	add_voice(&s, 1.50, 1.80, 0.1);  /* 300 ms pause: kept */
	add_voice(&s, 2.50, 2.53, 0.1);  /* 30 ms blip: dropped */
	unsigned char *m;
	size_t n = run(&s, 4096, NULL, &m);
	size_t on, off;
	INT_EQ(runs(m, n, &on, &off), 2, "runs with default minima (pause 100, speech 50)");
	OK(on >= 49 && on <= 51 && off >= 119 && off <= 122, "first run %zu..%zu", on, off);
	free(m);

	tandem_vad_opts o;
	tandem_vad_opts_init(&o);
	o.min_pause_ms = 40;
	o.min_speech_ms = 20;
	n = run(&s, 4096, &o, &m);
	INT_EQ(runs(m, n, &on, &off), 4, "runs with pause 40, speech 20");
	free(m);
	free(s.x);
}

static void test_silence_and_empty(void)
{
	sig s = sig_new(1.0);
	unsigned char *m;
	size_t n = run(&s, 4096, NULL, &m);
	INT_EQ(n, 100, "frames of silence");
	INT_EQ(count_in(m, 0, n), 0, "speech in digital silence");
	free(m);
	free(s.x);

	tandem_vad *v = tandem_vad_new(RATE, NULL);
	const unsigned char *sp;
	INT_EQ(tandem_vad_finish(v, &sp), 0, "frames of nothing");
	tandem_vad_free(v);
	OK(tandem_vad_new(100, NULL) == NULL, "absurd rate refused");
	tandem_vad_free(NULL);
}

/* A partial last frame still counts. */
static void test_partial_frame(void)
{
	sig s = sig_new(1.005);
	add_voice(&s, 0.9, 1.005, 0.1);
	unsigned char *m;
	size_t n = run(&s, 333, NULL, &m);
	INT_EQ(n, 101, "frames for 1.005 s");
	INT_EQ(m[100], 1, "last, partial frame is speech");
	free(m);
	free(s.x);
}

int main(void)
{
	test_clean_edges();
	test_chunking_does_not_matter();
	test_noise_burst_is_not_speech();
	test_floor_adapts();
	test_min_lengths();
	test_silence_and_empty();
	test_partial_frame();
	return harness_done();
}
