/*
 * vad.h - the one entry by which retime and sync run on a recording
 * (vad.c): detect its speech, then hand the frames to the job's
 * tandem_*_frames call.
 */
#ifndef TANDEM_VAD_H
#define TANDEM_VAD_H

#include "tandem_private.h"

/* A job on a speech mask (one byte a 10 ms frame); returns a tandem status. */
typedef int (*tandem__frames_job)(void *job, const unsigned char *speech, size_t nframes);

/*
 * Run the detector over `media` with `vad` (tandem_vad_file, reporting to
 * diag), then, if it succeeded, name the media in *filename when that is
 * NULL and return run(job, speech, nframes).  The mask is freed after.
 */
int tandem__vad_run(const char *media, const tandem_vad_opts *vad, tandem_diag_fn diag,
                    void *diag_user, const char **filename, tandem__frames_job run, void *job);

#endif /* TANDEM_VAD_H */
