/*
 * fuzz_main.c - a main() for fuzz targets built without libFuzzer (the
 * trick utf8proc uses): every file under the given paths is fed to
 * LLVMFuzzerTestOneInput whole, cut at several points, and with a few
 * deterministic byte changes, so plain ctest replays the fixtures through
 * each reader under the sanitizers.  TANDEM_FUZZ_VERBOSE=1 names each file
 * on stderr before it is fed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t files, runs;

static void feed(const uint8_t *data, size_t n)
{
	/* Exact-size heap copies, so ASan sees any read past the end. */
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy)
		abort();
	memcpy(copy, data, n);
	LLVMFuzzerTestOneInput(copy, n);
	runs++;
	static const size_t cuts[] = {1, 2, 3, 5, 8};
	for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
		size_t m = n * cuts[k] / 9;
		if (m && m < n) {
			LLVMFuzzerTestOneInput(copy, m);
			runs++;
		}
	}
	/* Byte changes at pseudo-random, reproducible places. */
	uint32_t x = 2463534242u ^ (uint32_t)n;
	static const uint8_t bytes[] = {0, '\n', '\r', '-', '>', ':', '<', 0xE4, 0xFF, ' '};
	for (int k = 0; k < 12 && n; k++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		size_t at = x % n;
		uint8_t old = copy[at];
		copy[at] = bytes[x % sizeof bytes];
		LLVMFuzzerTestOneInput(copy, n);
		copy[at] = old;
		runs++;
	}
	free(copy);
}

static void walk(const char *path)
{
	struct stat st;
	if (stat(path, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *sub = malloc(n);
			if (!sub)
				abort();
			snprintf(sub, n, "%s/%s", path, e->d_name);
			walk(sub);
			free(sub);
		}
		closedir(d);
		return;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (4 << 20))
		return; /* big benchmark-sized files add time, not coverage */
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return;
	if (getenv("TANDEM_FUZZ_VERBOSE")) /* which file a crash came from */
		fprintf(stderr, "%s\n", path);
	uint8_t *buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		abort();
	size_t n = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	feed(buf, n);
	free(buf);
	files++;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		walk(argv[i]);
	printf("replayed %zu files in %zu runs\n", files, runs);
	return files ? 0 : 1;
}
