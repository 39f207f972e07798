/*
 * srt_speaker.h - speakers in SRT text (srt_speaker.c), for the SRT reader
 * (srt.c): the names seen so far, the labels of a window of cues settled,
 * and the names a second reader hands the main one.
 */
#ifndef TANDEM_SRT_SPEAKER_H
#define TANDEM_SRT_SPEAKER_H

#include "stream.h"

/* The speaker names a reader has seen; zeroed to start, freed with
 * tandem__srt_speakers_free. */
typedef struct tandem__srt_speakers {
	struct tandem_spk_name *names;   /* open addressing */
	size_t nnames, capnames;
	struct tandem_spk_label *labels; /* scratch: the labels of the window being settled */
	size_t caplabels;
} tandem__srt_speakers;

/*
 * Settle the speakers of doc->segs[from..to): a "Name: " opener becomes the
 * segment's speaker (taken off its text and markup) once its name has opened
 * two cues.  In a streamed conversion, a name whose one earlier cue was
 * written without it tells the window that the stream diverges.
 */
void tandem__srt_speakers_find(tandem__srt_speakers *sp, tandem__reader *r, tandem_doc *doc,
                               size_t from, size_t to);
void tandem__srt_speakers_free(tandem__srt_speakers *sp);

/* A second reader's names, as its tandem__split.tail (sp keeps none of them);
 * freed with tandem__srt_speakers_tail_free. */
void *tandem__srt_speakers_detach(tandem__srt_speakers *sp);
void tandem__srt_speakers_tail_free(void *tail);
/* No name of tail (a second reader's) is one sp has seen: neither side
 * counted a name the other counted too. */
bool tandem__srt_speakers_apart(const tandem__srt_speakers *sp, const tandem__srt_speakers *tail);

#endif /* TANDEM_SRT_SPEAKER_H */
