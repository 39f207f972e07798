/*
 * fuzz_md.c - the md reader under arbitrary bytes, lenient and strict;
 * whatever it accepts, the post writer renders, and that rendering reads
 * back (as post) to the same number of segments where the layout can tell
 * (fuzz_format.h, fuzz_post_unambiguous).
 */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_format_round_trip(data, size, "md", "post", fuzz_post_unambiguous);
}
