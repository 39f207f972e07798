/*
 * harness.h - a tiny unit-test harness: OK / INT_EQ / STR_EQ, a failure
 * count, and a closing "N passed, N failed" line.
 */
#ifndef TANDEM_HARNESS_H
#define TANDEM_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_passed, harness_failed;

#define OK(cond, ...)                                                              \
	do {                                                                           \
		if (cond) {                                                                \
			harness_passed++;                                                      \
		} else {                                                                   \
			harness_failed++;                                                      \
			fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond);       \
			fprintf(stderr, __VA_ARGS__);                                          \
			fputc('\n', stderr);                                                   \
		}                                                                          \
	} while (0)

#define INT_EQ(got, want, what)                                                    \
	do {                                                                           \
		long long g_ = (long long)(got), w_ = (long long)(want);                   \
		if (g_ == w_) {                                                            \
			harness_passed++;                                                      \
		} else {                                                                   \
			harness_failed++;                                                      \
			fprintf(stderr, "%s:%d: FAIL: %s: got %lld, want %lld\n", __FILE__,    \
			        __LINE__, what, g_, w_);                                       \
		}                                                                          \
	} while (0)

#define STR_EQ(got, want, what)                                                    \
	do {                                                                           \
		const char *g_ = (got), *w_ = (want);                                      \
		if ((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0)) {     \
			harness_passed++;                                                      \
		} else {                                                                   \
			harness_failed++;                                                      \
			fprintf(stderr, "%s:%d: FAIL: %s:\n  got  \"%s\"\n  want \"%s\"\n",    \
			        __FILE__, __LINE__, what, g_ ? g_ : "(null)",                  \
			        w_ ? w_ : "(null)");                                           \
		}                                                                          \
	} while (0)

static inline int harness_done(void)
{
	printf("%d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

/* Read a whole file into a malloc'd NUL-terminated buffer, or NULL. */
static inline char *harness_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fclose(fp);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return buf;
}

#endif
