/*
 * fft.h - a radix-2 FFT (fft.c), for the voice detector's spectra and
 * sync's correlations.
 */
#ifndef TANDEM_FFT_H
#define TANDEM_FFT_H

#include "tandem_private.h"

typedef struct tandem__fft tandem__fft;
/* A plan for n points; n must be a power of two (>= 2). */
tandem__fft *tandem__fft_new(size_t n);
/* In place; the inverse is unscaled (divide by n). */
void tandem__fft_run(const tandem__fft *p, double *re, double *im, bool inverse);
void tandem__fft_free(tandem__fft *p);

#endif /* TANDEM_FFT_H */
