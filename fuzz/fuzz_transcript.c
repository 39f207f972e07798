/*
 * fuzz_transcript.c - the transcript reader under arbitrary bytes, lenient
 * and strict; whatever it accepts, the transcript writer renders, and that
 * rendering reads back to the same number of segments (fuzz_format.h).
 */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_format_round_trip(data, size, "transcript", "transcript", NULL);
}
