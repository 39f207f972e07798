/*
 * avload.h - libsndfile and FFmpeg's libraries, opened on first use.
 *
 * Only `check --audio`, `retime` and `sync` touch media, yet linking the
 * media libraries made every start of tandem load some 140 shared objects
 * (60-70 ms before main).  So nothing links them: the first media call
 * dlopen()s them by the soname of the headers tandem was compiled against
 * (libavformat.so.59 for FFmpeg 5.1's headers) and fills a table of the
 * functions media/media.c and media/audio.c call.  The libraries stay
 * loaded for the life of the process, so the static strings they hand out
 * (container and codec names in tandem_media_info) stay valid.
 *
 * This, media/avload.c, media/media.c and media/audio.c are the only
 * files that include the media headers.
 */
#ifndef TANDEM_AVLOAD_H
#define TANDEM_AVLOAD_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/mathematics.h>
#include <libswresample/swresample.h>
#include <sndfile.h>

/*
 * X(library, return type, name, (parameters)) for each function called.
 * avload.c checks each line against the header's prototype at compile
 * time, so a table that drifts from the headers does not build.
 */
#define TANDEM__AV_FUNCS(X)                                                                   \
	X(avutil, void, av_log_set_level, (int))                                              \
	X(avutil, int, av_strerror, (int, char *, size_t))                                    \
	X(avutil, int64_t, av_rescale_q, (int64_t, AVRational, AVRational))                   \
	X(avutil, int64_t, av_rescale_q_rnd, (int64_t, AVRational, AVRational,                \
	                                       enum AVRounding))                              \
	X(avutil, AVDictionaryEntry *, av_dict_get, (const AVDictionary *, const char *,      \
	                                              const AVDictionaryEntry *, int))        \
	X(avutil, AVFrame *, av_frame_alloc, (void))                                          \
	X(avutil, void, av_frame_free, (AVFrame **))                                          \
	X(avutil, void, av_frame_unref, (AVFrame *))                                          \
	X(avutil, int, av_channel_layout_copy, (AVChannelLayout *, const AVChannelLayout *))  \
	X(avutil, void, av_channel_layout_default, (AVChannelLayout *, int))                  \
	X(avutil, void, av_channel_layout_uninit, (AVChannelLayout *))                        \
	X(avcodec, AVPacket *, av_packet_alloc, (void))                                       \
	X(avcodec, void, av_packet_free, (AVPacket **))                                       \
	X(avcodec, void, av_packet_unref, (AVPacket *))                                       \
	X(avcodec, const char *, avcodec_get_name, (enum AVCodecID))                          \
	X(avcodec, AVCodecContext *, avcodec_alloc_context3, (const AVCodec *))               \
	X(avcodec, void, avcodec_free_context, (AVCodecContext **))                           \
	X(avcodec, int, avcodec_parameters_to_context, (AVCodecContext *,                     \
	                                                 const AVCodecParameters *))          \
	X(avcodec, int, avcodec_open2, (AVCodecContext *, const AVCodec *, AVDictionary **))  \
	X(avcodec, int, avcodec_send_packet, (AVCodecContext *, const AVPacket *))            \
	X(avcodec, int, avcodec_receive_frame, (AVCodecContext *, AVFrame *))                 \
	X(avformat, int, avformat_open_input, (AVFormatContext **, const char *,              \
	                                        const AVInputFormat *, AVDictionary **))      \
	X(avformat, int, avformat_find_stream_info, (AVFormatContext *, AVDictionary **))     \
	X(avformat, void, avformat_close_input, (AVFormatContext **))                         \
	X(avformat, int, av_find_best_stream, (AVFormatContext *, enum AVMediaType, int, int, \
	                                        const AVCodec **, int))                       \
	X(avformat, int, av_read_frame, (AVFormatContext *, AVPacket *))                      \
	X(avformat, int, av_seek_frame, (AVFormatContext *, int, int64_t, int))               \
	X(swresample, int, swr_alloc_set_opts2, (struct SwrContext **, AVChannelLayout *,     \
	                                          enum AVSampleFormat, int, AVChannelLayout *, \
	                                          enum AVSampleFormat, int, int, void *))      \
	X(swresample, int, swr_init, (struct SwrContext *))                                   \
	X(swresample, void, swr_free, (struct SwrContext **))                                 \
	X(swresample, int, swr_get_out_samples, (struct SwrContext *, int))                   \
	X(swresample, int, swr_convert, (struct SwrContext *, uint8_t **, int,                \
	                                  const uint8_t **, int))

#define TANDEM__SF_FUNCS(X)                                                                   \
	X(sndfile, SNDFILE *, sf_open, (const char *, int, SF_INFO *))                        \
	X(sndfile, int, sf_close, (SNDFILE *))                                                \
	X(sndfile, sf_count_t, sf_seek, (SNDFILE *, sf_count_t, int))                         \
	X(sndfile, sf_count_t, sf_readf_float, (SNDFILE *, float *, sf_count_t))

#define TANDEM__FN_MEMBER(lib, ret, name, params) ret (*name) params;

/* Members are named after the functions: lib->av_read_frame(ic, pkt). */
typedef struct tandem__avlib {
	TANDEM__AV_FUNCS(TANDEM__FN_MEMBER)
} tandem__avlib;

typedef struct tandem__sflib {
	TANDEM__SF_FUNCS(TANDEM__FN_MEMBER)
} tandem__sflib;

/*
 * The FFmpeg functions (with FFmpeg's logging silenced), or NULL when a
 * library or a function is missing; then *why (static) says which, as
 * "media support needs libavformat.so.59 (Debian package libavformat59):
 * <the loader's reason>".  Loads once per process; any thread may call.
 */
const tandem__avlib *tandem__avlib_get(const char **why);
/* The same for libsndfile. */
const tandem__sflib *tandem__sflib_get(const char **why);

#endif
