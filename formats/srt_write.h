/*
 * srt_write.h - the SRT writer (srt_write.c), which the SRT format entry
 * (srt.c) names.
 */
#ifndef TANDEM_SRT_WRITE_H
#define TANDEM_SRT_WRITE_H

#include "format.h"

int tandem__srt_write(const tandem_doc *doc, const tandem__writer *w, tandem__buf *out);

#endif /* TANDEM_SRT_WRITE_H */
