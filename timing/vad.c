/*
 * vad.c - voice activity detection on 10 ms frames.
 *
 * Per frame two measures are kept: the energy in dB (mean square of the
 * frame's samples) and the spectral flatness (geometric over arithmetic
 * mean of the power spectrum, 250-4000 Hz) of a Hann-windowed stretch of
 * about 16 ms ending with the frame.  Voiced speech concentrates its power
 * in harmonics (flatness 0.02-0.2); steady noise spreads it (white noise
 * gives about 0.56, the value of e^-gamma for a periodogram).
 *
 * The decision waits for the end, so that the noise floor can be taken
 * from both sides of a frame:
 *
 *   floor[t]  = the minimum of the 50 ms-smoothed energy within 3 s either
 *               side (so it follows a change of noise within 3 s), but at
 *               most 15 dB over the recording's quietest 2% (so speech with
 *               no pause for 3 s does not raise it into itself);
 *   level[t]  = the maximum of the same within 3 s either side;
 *   margin    = (level - floor) / 4, within 3..12 dB (or as given);
 *   speech    = energy > floor + margin and flatness < 0.4 (flatness
 *               averaged over 50 ms),
 *               or energy > floor + max(2 * margin, 8 dB) whatever the
 *               spectrum (loud fricatives are flat too).
 *
 * Each run of speech then grows over up to 100 ms of neighbouring frames
 * whose own energy is over floor + margin / 2 (weak onsets and fading ends),
 * pauses shorter than min_pause_ms between speech are filled and
 * runs of speech shorter than min_speech_ms are dropped.
 *
 * On a media file: tandem_vad_file decodes it and returns the mask, and
 * tandem__vad_run (vad.h) hands that mask to retime's or sync's frames
 * call, the one way both run on a recording.
 */
#include "tandem_private.h"
#include "fft.h"
#include "vad.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ENERGY_FLOOR_DB (-100.0)
#define FLAT_VOICE 0.4
#define FLOOR_WINDOW 300    /* frames either side */
#define GROW_FRAMES 10

struct tandem_vad {
	tandem_vad_opts o;
	int rate;
	size_t hop;            /* samples per 10 ms frame */
	size_t win;            /* analysis window, a power of two */
	size_t lo_bin, hi_bin; /* flatness band */
	float *ring;           /* the last `win` samples */
	size_t filled;         /* samples in the current frame */
	double sumsq;
	double *hann, *re, *im;
	tandem__fft *fft;
	float *energy, *flat;  /* per frame */
	size_t nframes, cap;
	unsigned char *speech;
};

void tandem_vad_opts_init(tandem_vad_opts *o)
{
	memset(o, 0, sizeof *o);
	o->min_speech_ms = 50;
	o->min_pause_ms = 100;
}

tandem_vad *tandem_vad_new(int rate, const tandem_vad_opts *o)
{
	if (rate < 8000 || rate > 192000)
		return NULL;
	tandem_vad *v = tandem__xcalloc(1, sizeof *v);
	if (o)
		v->o = *o;
	else
		tandem_vad_opts_init(&v->o);
	if (v->o.min_speech_ms < 0)
		v->o.min_speech_ms = 0;
	if (v->o.min_pause_ms < 0)
		v->o.min_pause_ms = 0;
	v->rate = rate;
	v->hop = (size_t)rate / 100;
	v->win = 2;
	while (v->win < v->hop * 3 / 2)
		v->win *= 2;
	v->lo_bin = (size_t)(250.0 * (double)v->win / rate) + 1;
	v->hi_bin = (size_t)(4000.0 * (double)v->win / rate);
	v->ring = tandem__xcalloc(v->win, sizeof *v->ring);
	v->hann = tandem__xmalloc(v->win * sizeof *v->hann);
	v->re = tandem__xmalloc(v->win * sizeof *v->re);
	v->im = tandem__xmalloc(v->win * sizeof *v->im);
	for (size_t i = 0; i < v->win; i++)
		v->hann[i] = 0.5 - 0.5 * cos(2 * M_PI * (double)i / (double)v->win);
	v->fft = tandem__fft_new(v->win);
	return v;
}

void tandem_vad_free(tandem_vad *v)
{
	if (!v)
		return;
	free(v->ring);
	free(v->hann);
	free(v->re);
	free(v->im);
	tandem__fft_free(v->fft);
	free(v->energy);
	free(v->flat);
	free(v->speech);
	free(v);
}

static void end_frame(tandem_vad *v)
{
	if (v->nframes == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1024;
		v->energy = tandem__xrealloc(v->energy, v->cap * sizeof *v->energy);
		v->flat = tandem__xrealloc(v->flat, v->cap * sizeof *v->flat);
	}
	double ms = v->sumsq / (double)v->hop;
	double db = 10.0 * log10(ms + 1e-10);
	if (db < ENERGY_FLOOR_DB)
		db = ENERGY_FLOOR_DB;
	/* The ring holds the window in order ending at the frame's last sample. */
	for (size_t i = 0; i < v->win; i++) {
		v->re[i] = v->ring[i] * v->hann[i];
		v->im[i] = 0;
	}
	tandem__fft_run(v->fft, v->re, v->im, false);
	double logsum = 0, sum = 0;
	size_t nb = 0;
	for (size_t k = v->lo_bin; k <= v->hi_bin; k++, nb++) {
		double p = v->re[k] * v->re[k] + v->im[k] * v->im[k] + 1e-12;
		logsum += log(p);
		sum += p;
	}
	double flat = nb ? exp(logsum / (double)nb) / (sum / (double)nb) : 1.0;
	v->energy[v->nframes] = (float)db;
	v->flat[v->nframes] = (float)flat;
	v->nframes++;
	v->sumsq = 0;
	v->filled = 0;
}

void tandem_vad_feed(tandem_vad *v, const float *x, size_t n)
{
	while (n) {
		size_t k = v->hop - v->filled;
		if (k > n)
			k = n;
		/* Slide the ring by k and append (k <= hop < win). */
		memmove(v->ring, v->ring + k, (v->win - k) * sizeof *v->ring);
		memcpy(v->ring + v->win - k, x, k * sizeof *x);
		for (size_t i = 0; i < k; i++)
			v->sumsq += (double)x[i] * x[i];
		v->filled += k;
		x += k;
		n -= k;
		if (v->filled == v->hop)
			end_frame(v);
	}
}

/*
 * Sliding minimum (sign 1) or maximum (sign -1) of a over [t-w, t+w], with a
 * monotone deque: O(n).
 */
static void sliding_extreme(const double *a, size_t n, size_t w, double sign, double *out)
{
	size_t *dq = tandem__xmalloc((n ? n : 1) * sizeof *dq);
	size_t head = 0, tail = 0, next = 0;
	for (size_t t = 0; t < n; t++) {
		size_t hi = t + w < n ? t + w : n - 1;
		for (; next <= hi; next++) {
			while (tail > head && sign * a[dq[tail - 1]] >= sign * a[next])
				tail--;
			dq[tail++] = next;
		}
		while (dq[head] + w < t)
			head++;
		out[t] = a[dq[head]];
	}
	free(dq);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

size_t tandem_vad_finish(tandem_vad *v, const unsigned char **speech)
{
	if (v->filled) {
		/* A partial last frame counts at its own mean power. */
		double s = v->sumsq * (double)v->hop / (double)v->filled;
		size_t rest = v->hop - v->filled;
		memmove(v->ring, v->ring + rest, (v->win - rest) * sizeof *v->ring);
		memset(v->ring + v->win - rest, 0, rest * sizeof *v->ring);
		v->sumsq = s;
		end_frame(v);
	}
	size_t n = v->nframes;
	free(v->speech);
	v->speech = tandem__xcalloc(n ? n : 1, 1);
	*speech = v->speech;
	if (!n)
		return 0;
	double *sm = tandem__xmalloc(n * sizeof *sm);
	double *lo = tandem__xmalloc(n * sizeof *lo);
	double *hi = tandem__xmalloc(n * sizeof *hi);
	unsigned char *weak = tandem__xmalloc(n);
	for (size_t t = 0; t < n; t++) {
		size_t a = t >= 2 ? t - 2 : 0, b = t + 2 < n ? t + 2 : n - 1;
		double s = 0;
		for (size_t k = a; k <= b; k++)
			s += v->energy[k];
		sm[t] = s / (double)(b - a + 1);
	}
	sliding_extreme(sm, n, FLOOR_WINDOW, 1, lo);
	sliding_extreme(sm, n, FLOOR_WINDOW, -1, hi);
	/* The recording's quiet end: its 2nd percentile. */
	double *sorted = tandem__xmalloc(n * sizeof *sorted);
	memcpy(sorted, sm, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_double);
	double quiet = sorted[n / 50];
	free(sorted);
	for (size_t t = 0; t < n; t++) {
		double floor_db = lo[t] < quiet + 15 ? lo[t] : quiet + 15;
		double margin = v->o.margin_db > 0 ? v->o.margin_db : (hi[t] - floor_db) / 4;
		if (!(v->o.margin_db > 0)) {
			if (margin < 3)
				margin = 3;
			if (margin > 12)
				margin = 12;
		}
		double loud = 2 * margin > 8 ? 2 * margin : 8;
		double e = v->energy[t];
		if (t > 0 && t + 1 < n)
			e = (v->energy[t - 1] + 2 * e + v->energy[t + 1]) / 4;
		double d = e - floor_db;
		/* One frame's flatness wanders; five together are steady enough. */
		size_t a = t >= 2 ? t - 2 : 0, b = t + 2 < n ? t + 2 : n - 1;
		double flat = 0;
		for (size_t k = a; k <= b; k++)
			flat += v->flat[k];
		flat /= (double)(b - a + 1);
		v->speech[t] = (d > margin && flat < FLAT_VOICE) || d > loud;
		/* Against the floor as measured: where the cap raised it, noise is not weak speech. */
		weak[t] = v->energy[t] - lo[t] > margin / 2 && v->energy[t] - floor_db > margin / 2;
	}
	/* Grow each run over the weak frames at its edges (onsets, fading ends). */
	for (size_t t = 0; t < n; t++) {
		if (!v->speech[t])
			continue;
		for (size_t k = 1; k <= GROW_FRAMES && k <= t && weak[t - k] && !v->speech[t - k]; k++)
			v->speech[t - k] = 2;
		size_t e = t;
		while (e < n && v->speech[e])
			e++;
		size_t k = e;
		for (; k < e + GROW_FRAMES && k < n && weak[k] && !v->speech[k]; k++)
			v->speech[k] = 2;
		t = k;
	}
	for (size_t t = 0; t < n; t++)
		v->speech[t] = v->speech[t] != 0;
	free(weak);
	free(sm);
	free(lo);
	free(hi);
	/* Fill short pauses between speech, then drop short speech. */
	size_t min_pause = (size_t)v->o.min_pause_ms / TANDEM_FRAME_MS;
	size_t min_speech = (size_t)v->o.min_speech_ms / TANDEM_FRAME_MS;
	size_t t = 0;
	while (t < n && !v->speech[t])
		t++;
	while (t < n) {
		while (t < n && v->speech[t])
			t++;
		size_t gap = t;
		while (t < n && !v->speech[t])
			t++;
		if (t < n && t - gap < min_pause)
			memset(v->speech + gap, 1, t - gap);
	}
	for (t = 0; t < n;) {
		if (!v->speech[t]) {
			t++;
			continue;
		}
		size_t s = t;
		while (t < n && v->speech[t])
			t++;
		if (t - s < min_speech)
			memset(v->speech + s, 0, t - s);
	}
	return n;
}

int tandem_vad_file(const char *path, const tandem_vad_opts *o, unsigned char **speech,
                    size_t *nframes, tandem_diag_fn diag, void *diag_user)
{
	*speech = NULL;
	*nframes = 0;
	tandem_audio *a;
	int rc = tandem_audio_open(&a, path, TANDEM_AUDIO_RATE, diag, diag_user);
	if (rc)
		return rc;
	tandem_vad *v = tandem_vad_new(TANDEM_AUDIO_RATE, o);
	float buf[4096];
	long got;
	while ((got = tandem_audio_read(a, buf, sizeof buf / sizeof *buf)) > 0)
		tandem_vad_feed(v, buf, (size_t)got);
	tandem_audio_close(a);
	if (got < 0) {
		tandem__report(diag, diag_user, path, TANDEM_ERROR, "media-decode", 0, 0, -1,
		               "cannot decode the audio");
		tandem_vad_free(v);
		return TANDEM_EMEDIA;
	}
	const unsigned char *s;
	size_t n = tandem_vad_finish(v, &s);
	*speech = tandem__xmalloc(n ? n : 1);
	memcpy(*speech, s, n);
	*nframes = n;
	tandem_vad_free(v);
	return 0;
}

int tandem__vad_run(const char *media, const tandem_vad_opts *vad, tandem_diag_fn diag,
                    void *diag_user, const char **filename, tandem__frames_job run, void *job)
{
	unsigned char *speech;
	size_t nf;
	int rc = tandem_vad_file(media, vad, &speech, &nf, diag, diag_user);
	if (rc)
		return rc;
	if (!*filename)
		*filename = media;
	rc = run(job, speech, nf);
	free(speech);
	return rc;
}
