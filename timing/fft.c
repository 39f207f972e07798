/*
 * fft.c - a radix-2 complex FFT, in place: bit-reversal permutation, then
 * the butterflies with twiddles computed once per plan.  The voice detector
 * (vad.c) takes its frame spectra with it, sync (sync.c) its correlations.
 */
#include "tandem_private.h"
#include "fft.h"

#include <math.h>
#include <stdlib.h>

struct tandem__fft {
	size_t n;
	size_t *rev;
	double *cs, *sn;  /* twiddles e^{-2 pi i k / n}, k < n/2 */
};

tandem__fft *tandem__fft_new(size_t n)
{
	if (n < 2 || (n & (n - 1)))
		return NULL;
	tandem__fft *p = tandem__xcalloc(1, sizeof *p);
	p->n = n;
	p->rev = tandem__xmalloc(n * sizeof *p->rev);
	p->cs = tandem__xmalloc(n / 2 * sizeof *p->cs);
	p->sn = tandem__xmalloc(n / 2 * sizeof *p->sn);
	size_t bits = 0;
	while (((size_t)1 << bits) < n)
		bits++;
	for (size_t i = 0; i < n; i++) {
		size_t r = 0;
		for (size_t b = 0; b < bits; b++)
			if (i & ((size_t)1 << b))
				r |= (size_t)1 << (bits - 1 - b);
		p->rev[i] = r;
	}
	for (size_t k = 0; k < n / 2; k++) {
		p->cs[k] = cos(2 * M_PI * (double)k / (double)n);
		p->sn[k] = -sin(2 * M_PI * (double)k / (double)n);
	}
	return p;
}

void tandem__fft_free(tandem__fft *p)
{
	if (!p)
		return;
	free(p->rev);
	free(p->cs);
	free(p->sn);
	free(p);
}

void tandem__fft_run(const tandem__fft *p, double *re, double *im, bool inverse)
{
	size_t n = p->n;
	for (size_t i = 0; i < n; i++) {
		size_t r = p->rev[i];
		if (r > i) {
			double t = re[i];
			re[i] = re[r];
			re[r] = t;
			t = im[i];
			im[i] = im[r];
			im[r] = t;
		}
	}
	double sgn = inverse ? -1.0 : 1.0;
	for (size_t len = 2; len <= n; len *= 2) {
		size_t half = len / 2, step = n / len;
		for (size_t i = 0; i < n; i += len) {
			for (size_t k = 0; k < half; k++) {
				double wr = p->cs[k * step], wi = sgn * p->sn[k * step];
				size_t a = i + k, b = a + half;
				double xr = re[b] * wr - im[b] * wi;
				double xi = re[b] * wi + im[b] * wr;
				re[b] = re[a] - xr;
				im[b] = im[a] - xi;
				re[a] += xr;
				im[a] += xi;
			}
		}
	}
}
