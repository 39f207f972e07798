/*
 * fuzz_post.c - the post reader under arbitrary bytes, lenient and strict;
 * whatever it accepts, the post writer renders, and that rendering reads
 * back to the same number of segments where the layout can tell
 * (fuzz_format.h, fuzz_post_unambiguous).
 */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_format_round_trip(data, size, "post", "post", fuzz_post_unambiguous);
}
