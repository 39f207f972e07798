/*
 * read.h - reading in steps (read.c), for the streamed conversion
 * (stream.c), which runs a reader its own way: an input decoded and its
 * reader chosen, the reader run over the whole text and the layout
 * normalised, the empty-result error, and the options named after a file.
 */
#ifndef TANDEM_READ_H
#define TANDEM_READ_H

#include "format.h"

#include <sys/types.h>

/* An input on its way to a document: decoded, its format chosen. */
typedef struct tandem__read_state {
	tandem__reader r;
	char *text;
	size_t tlen;
	const char *enc;
	bool owned;                /* text is ours to free (not the caller's bytes) */
	bool unchecked;            /* text is the input, not yet checked as UTF-8 */
	int fd;                    /* the input, open (or -1): a reader can read it... */
	off_t from;                /* ...from here on, where text starts */
	size_t ring_piece, ring_slide; /* tandem__stream_knobs' */
	const tandem__format *f;
} tandem__read_state;

/*
 * Decode `data`, which must have a NUL at data[len] (the decoder hands
 * valid UTF-8 to the reader in place), and choose its reader.  lazy: plain
 * UTF-8 is checked as it is read (tandem__decode_lazy), not here.  Call
 * tandem__read_release afterwards, whatever it returns.
 */
int tandem__read_prepare(tandem__read_state *st, const char *data, size_t len,
                         const tandem_read_opts *opts, bool lazy);
/* Free the decoded text, if it is not the input itself. */
void tandem__read_release(tandem__read_state *st);
/* Run the reader over the whole text and normalise its layout; *out is the
 * document (NULL on failure).  quiet: its findings were already reported (a
 * streamed conversion reading again); the layout's are not. */
int tandem__read_parse(tandem__read_state *st, tandem_doc **out, bool quiet);
/* Say that the input held no segments; returns TANDEM_EEMPTY. */
int tandem__read_no_segments(tandem__read_state *st);
/* The caller's options (or the defaults), named after the file read. */
tandem_read_opts tandem__read_opts_for(const char *path, const tandem_read_opts *opts);

#endif /* TANDEM_READ_H */
