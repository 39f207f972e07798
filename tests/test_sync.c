/*
 * test_sync.c - the FFT, and sync against reference documents and speech
 * masks with known offsets, frame-rate ratios and cuts; the refusals.
 */
#include "harness.h"
#include "fft.h"

#include <math.h>

static uint64_t seed = 42;

static double uniform(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(seed >> 11) / 9007199254740992.0;
}

/* n cues of 0.8-4 s with gaps of 0.1-2 s, starting at `from` ms. */
static tandem_doc *make_cues(size_t n, int64_t from)
{
	tandem_doc *d = tandem_doc_new();
	int64_t t = from;
	for (size_t i = 0; i < n; i++) {
		int64_t len = 800 + (int64_t)(uniform() * 3200);
		char text[32];
		snprintf(text, sizeof text, "cue %zu", i + 1);
		tandem_doc_add(d, t, t + len, text, NULL);
		t += len + 100 + (int64_t)(uniform() * 1900);
	}
	return d;
}

/* A copy whose times are (t - off) / ratio: what sync must undo. */
static tandem_doc *drift(const tandem_doc *ref, double ratio, double off)
{
	tandem_doc *d = tandem_doc_clone(ref);
	for (size_t i = 0; i < tandem_doc_count(d); i++)
		tandem_seg_set_times(d, i, llround(((double)tandem_seg_start(ref, i) - off) / ratio),
		                     llround(((double)tandem_seg_end(ref, i) - off) / ratio));
	return d;
}

/* Largest difference between the two documents' times. */
static int64_t max_diff(const tandem_doc *a, const tandem_doc *b, size_t from, size_t to)
{
	int64_t m = 0;
	for (size_t i = from; i < to; i++) {
		int64_t d1 = llabs(tandem_seg_start(a, i) - tandem_seg_start(b, i));
		int64_t d2 = llabs(tandem_seg_end(a, i) - tandem_seg_end(b, i));
		if (d1 > m)
			m = d1;
		if (d2 > m)
			m = d2;
	}
	return m;
}

static void test_fft(void)
{
	enum { N = 16 };
	double re[N], im[N], xr[N], xi[N];
	for (int i = 0; i < N; i++) {
		re[i] = xr[i] = sin(i * 0.7) + (i % 3);
		im[i] = xi[i] = cos(i * 1.3);
	}
	tandem__fft *p = tandem__fft_new(N);
	tandem__fft_run(p, re, im, false);
	double err = 0;
	for (int k = 0; k < N; k++) {
		double sr = 0, si = 0;
		for (int i = 0; i < N; i++) {
			double a = -2 * M_PI * k * i / N;
			sr += xr[i] * cos(a) - xi[i] * sin(a);
			si += xr[i] * sin(a) + xi[i] * cos(a);
		}
		err = fmax(err, fmax(fabs(sr - re[k]), fabs(si - im[k])));
	}
	OK(err < 1e-9, "FFT differs from the DFT by %g", err);
	tandem__fft_run(p, re, im, true);
	err = 0;
	for (int i = 0; i < N; i++)
		err = fmax(err, fmax(fabs(re[i] / N - xr[i]), fabs(im[i] / N - xi[i])));
	OK(err < 1e-12, "inverse FFT round trip off by %g", err);
	tandem__fft_free(p);
	OK(tandem__fft_new(12) == NULL, "12 points refused");
	tandem__fft_free(NULL);
}

static void test_offsets(void)
{
	tandem_doc *ref = make_cues(80, 5000);
	static const double offs[] = {7370, -23450, 59990, -59990, 5, 0};
	for (size_t k = 0; k < sizeof offs / sizeof *offs; k++) {
		tandem_doc *d = drift(ref, 1, offs[k]);
		tandem_sync_result res;
		int rc = tandem_sync_reference(d, ref, NULL, &res);
		INT_EQ(rc, 0, "sync status");
		OK(llabs(res.offset_ms - (int64_t)offs[k]) <= 10, "offset %lld, want %.0f",
		   (long long)res.offset_ms, offs[k]);
		OK(res.ratio == 1.0, "ratio %g, want 1", res.ratio);
		OK(res.score > 0.95, "score %.3f", res.score);
		int64_t m = max_diff(d, ref, 0, tandem_doc_count(ref));
		OK(m <= 10, "offset %.0f: times off by %lld ms", offs[k], (long long)m);
		tandem_doc_free(d);
	}
	tandem_doc_free(ref);
}

static void test_ratios(void)
{
	static const double ratios[] = {1001.0 / 1000, 1000.0 / 1001, 25.0 / 24, 24.0 / 25,
	                                25 / 23.976, 23.976 / 25};
	tandem_doc *ref = make_cues(300, 2000); /* about 13 minutes */
	for (size_t k = 0; k < sizeof ratios / sizeof *ratios; k++) {
		tandem_doc *d = drift(ref, ratios[k], 1234);
		tandem_sync_result res;
		int rc = tandem_sync_reference(d, ref, NULL, &res);
		INT_EQ(rc, 0, "sync status");
		OK(fabs(res.ratio - ratios[k]) < 1e-12, "ratio %.6f, want %.6f", res.ratio, ratios[k]);
		int64_t m = max_diff(d, ref, 0, tandem_doc_count(ref));
		OK(m <= 20, "ratio %.6f: times off by %lld ms", ratios[k], (long long)m);
		tandem_doc_free(d);
	}
	/* A fixed ratio is used as given. */
	tandem_doc *d = drift(ref, 25.0 / 24, 0);
	tandem_sync_opts o;
	tandem_sync_opts_init(&o);
	o.ratio = 25.0 / 24;
	tandem_sync_result res;
	INT_EQ(tandem_sync_reference(d, ref, &o, &res), 0, "fixed ratio status");
	OK(res.ratio == 25.0 / 24, "fixed ratio kept: %g", res.ratio);
	tandem_doc_free(d);
	tandem_doc_free(ref);
}

static void test_refusals(void)
{
	tandem_doc *ref = make_cues(80, 5000);
	tandem_sync_result res;

	/* 90 s is over the default 60 s. */
	tandem_doc *d = drift(ref, 1, -90000);
	tandem_doc *before = tandem_doc_clone(d);
	INT_EQ(tandem_sync_reference(d, ref, NULL, &res), TANDEM_EREFUSED, "90 s offset refused");
	OK(res.reason && strstr(res.reason, "maximum offset"), "reason: %s", res.reason);
	OK(llabs(res.offset_ms + 90000) <= 10, "offset still reported: %lld",
	   (long long)res.offset_ms);
	INT_EQ(max_diff(d, before, 0, tandem_doc_count(d)), 0, "refused document untouched");
	tandem_sync_opts o;
	tandem_sync_opts_init(&o);
	o.max_offset_ms = 100000;
	INT_EQ(tandem_sync_reference(d, ref, &o, &res), 0, "90 s allowed with max 100 s");
	tandem_doc_free(d);
	tandem_doc_free(before);

	/* Cues that have nothing to do with the reference. */
	seed = 7;
	d = make_cues(80, 5000);
	before = tandem_doc_clone(d);
	INT_EQ(tandem_sync_reference(d, ref, NULL, &res), TANDEM_EREFUSED, "unrelated refused");
	OK(res.reason && strstr(res.reason, "poor"), "reason: %s", res.reason);
	OK(res.score < 0.25, "score %.3f", res.score);
	INT_EQ(max_diff(d, before, 0, tandem_doc_count(d)), 0, "refused document untouched");
	tandem_doc_free(d);
	tandem_doc_free(before);

	/* A ratio 0.4% off 1: outside what is searched, so at its edge. */
	tandem_doc *big = make_cues(300, 2000);
	d = drift(big, 1.004, 0);
	INT_EQ(tandem_sync_reference(d, big, NULL, &res), TANDEM_EREFUSED, "odd ratio refused");
	OK(res.reason && strstr(res.reason, "edge"), "reason: %s", res.reason);
	tandem_doc_free(d);
	/* 0.15% off 1 is inside: used. */
	d = drift(big, 1.0015, 0);
	INT_EQ(tandem_sync_reference(d, big, NULL, &res), 0, "ratio 1.0015 status");
	OK(fabs(res.ratio - 1.0015) < 1e-5, "ratio %.6f, want 1.0015", res.ratio);
	tandem_doc_free(d);
	tandem_doc_free(big);

	/* Untimed input. */
	d = tandem_doc_new();
	tandem_doc_add(d, TANDEM_NO_TIME, TANDEM_NO_TIME, "x", NULL);
	INT_EQ(tandem_sync_reference(d, ref, NULL, &res), TANDEM_EINVAL, "untimed refused");
	tandem_doc_free(d);
	d = tandem_doc_new();
	INT_EQ(tandem_sync_reference(d, ref, NULL, &res), TANDEM_EEMPTY, "empty document");
	tandem_doc_free(d);
	tandem_doc_free(ref);
}

/* A cut: 25 s of the video removed after cue 40. */
static void test_splits(void)
{
	seed = 99;
	tandem_doc *ref = make_cues(80, 3000);
	tandem_doc *d = tandem_doc_clone(ref);
	for (size_t i = 0; i < 80; i++) {
		int64_t off = i < 40 ? 2000 : 2000 + 25000;
		tandem_seg_set_times(d, i, tandem_seg_start(ref, i) - off, tandem_seg_end(ref, i) - off);
	}
	tandem_doc *plain = tandem_doc_clone(d);
	tandem_sync_opts o;
	tandem_sync_opts_init(&o);
	o.max_splits = 3;
	tandem_sync_result res;
	INT_EQ(tandem_sync_reference(d, ref, &o, &res), 0, "split sync status");
	INT_EQ(res.nsplits, 1, "splits found");
	INT_EQ(res.splits[0].segment, 40, "first segment after the split");
	OK(llabs(res.offset_ms - 2000) <= 10, "first offset %lld", (long long)res.offset_ms);
	OK(llabs(res.splits[0].offset_ms - 27000) <= 10, "second offset %lld",
	   (long long)res.splits[0].offset_ms);
	OK(max_diff(d, ref, 0, 80) <= 10, "all cues back in place");
	/* Without splits half the cues stay wrong. */
	INT_EQ(tandem_sync_reference(plain, ref, NULL, &res), 0, "plain sync status");
	INT_EQ(res.nsplits, 0, "no splits without max_splits");
	OK(max_diff(plain, ref, 0, 80) >= 20000, "one offset cannot fix a cut");
	tandem_doc_free(plain);
	tandem_doc_free(d);
	tandem_doc_free(ref);
}

/* Against a speech mask: speech a little inside each cue, plus noise frames. */
static void test_frames(void)
{
	seed = 5;
	tandem_doc *ref = make_cues(60, 4000);
	size_t nf = (size_t)(tandem_seg_end(ref, 59) / 10) + 500;
	unsigned char *mask = calloc(nf, 1);
	for (size_t i = 0; i < 60; i++) {
		size_t a = (size_t)(tandem_seg_start(ref, i) / 10) + 15;
		size_t b = (size_t)(tandem_seg_end(ref, i) / 10) - 10;
		for (size_t t = a; t < b; t++)
			mask[t] = uniform() > 0.05;
	}
	for (size_t t = 0; t < nf; t++)
		if (uniform() < 0.02)
			mask[t] = 1;
	tandem_doc *d = drift(ref, 1, 3210);
	tandem_sync_result res;
	INT_EQ(tandem_sync_frames(d, mask, nf, NULL, &res), 0, "mask sync status");
	/* Any offset from 3110 to 3360 puts every cue around its speech. */
	OK(res.offset_ms >= 3120 && res.offset_ms <= 3350, "offset %lld, want 3110..3360",
	   (long long)res.offset_ms);
	OK(res.score > 0.6 && res.score <= 1, "score %.3f", res.score);
	tandem_doc_free(d);
	/* Without the random frames the plateau is flat, and its middle is taken. */
	memset(mask, 0, nf);
	for (size_t i = 0; i < 60; i++)
		memset(mask + tandem_seg_start(ref, i) / 10 + 15, 1,
		       (size_t)((tandem_seg_end(ref, i) - tandem_seg_start(ref, i)) / 10 - 25));
	d = drift(ref, 1, 3210);
	INT_EQ(tandem_sync_frames(d, mask, nf, NULL, &res), 0, "clean mask sync status");
	OK(llabs(res.offset_ms - 3235) <= 10, "offset %lld, want 3235 (ratio %.6f)", (long long)res.offset_ms, res.ratio);
	memset(mask, 0, nf);
	INT_EQ(tandem_sync_frames(d, mask, nf, NULL, &res), TANDEM_EREFUSED, "silence refused");
	OK(res.reason && strstr(res.reason, "no speech"), "reason: %s", res.reason);
	free(mask);
	tandem_doc_free(d);
	tandem_doc_free(ref);
}

int main(void)
{
	test_fft();
	test_offsets();
	test_ratios();
	test_refusals();
	test_splits();
	test_frames();
	return harness_done();
}
