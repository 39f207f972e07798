/*
 * audio.c - decode the first audio stream of a media file to mono float
 * samples at a fixed rate, streaming.
 *
 * The pipeline is libavformat (demux) -> libavcodec (decode) ->
 * libswresample (downmix to mono, resample, convert to float).  One decoded
 * frame at a time is converted into `pend`, from which tandem_audio_read()
 * hands samples out, so memory does not grow with the length of the file.
 * The libraries are opened on first use (media/avload.c).
 */
#include "tandem_private.h"
#include "avload.h"

#include <errno.h>
#include <string.h>

struct tandem_audio {
	const tandem__avlib *av;
	AVFormatContext *fmt;
	AVCodecContext *dec;
	SwrContext *swr;
	AVPacket *pkt;
	AVFrame *frame;
	int stream;
	int rate;
	float *pend;           /* converted samples not yet handed out */
	size_t npend, pos, cappend;
	int eof_demux, eof_dec, flushed, failed;
};

static void note(const tandem__avlib *av, tandem_diag_fn diag, void *user, const char *path,
                 const char *what, int err)
{
	char msg[AV_ERROR_MAX_STRING_SIZE] = "";
	if (err)
		av->av_strerror(err, msg, sizeof msg);
	tandem__report(diag, user, path, TANDEM_ERROR, "media-open", 0, 0, -1, "%s%s%s", what,
	               err ? ": " : "", msg);
}

void tandem_audio_close(tandem_audio *a)
{
	if (!a)
		return;
	const tandem__avlib *av = a->av;
	av->swr_free(&a->swr);
	av->avcodec_free_context(&a->dec);
	av->avformat_close_input(&a->fmt);
	av->av_packet_free(&a->pkt);
	av->av_frame_free(&a->frame);
	free(a->pend);
	free(a);
}

int tandem_audio_open(tandem_audio **out, const char *path, int rate, tandem_diag_fn diag,
                      void *diag_user)
{
	*out = NULL;
	if (!path || rate < 1000 || rate > 384000)
		return TANDEM_EINVAL;
	const char *why;
	const tandem__avlib *av = tandem__avlib_get(&why);
	if (!av) {
		tandem__report(diag, diag_user, path, TANDEM_ERROR, "media-open", 0, 0, -1, "%s", why);
		return TANDEM_EMEDIA;
	}
	tandem_audio *a = tandem__xcalloc(1, sizeof *a);
	a->av = av;
	a->rate = rate;
	int rc = TANDEM_EMEDIA;
	int err = av->avformat_open_input(&a->fmt, path, NULL, NULL);
	if (err < 0) {
		note(av, diag, diag_user, path, "cannot open", err);
		rc = err == AVERROR(ENOENT) || err == AVERROR(EACCES) ? TANDEM_EIO : TANDEM_EMEDIA;
		goto fail;
	}
	if ((err = av->avformat_find_stream_info(a->fmt, NULL)) < 0) {
		note(av, diag, diag_user, path, "not a media file", err);
		goto fail;
	}
	const AVCodec *codec = NULL;
	a->stream = av->av_find_best_stream(a->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
	if (a->stream < 0 || !codec) {
		note(av, diag, diag_user, path, "no audio stream", 0);
		goto fail;
	}
	a->dec = av->avcodec_alloc_context3(codec);
	if (!a->dec)
		tandem__oom();
	const AVCodecParameters *par = a->fmt->streams[a->stream]->codecpar;
	if ((err = av->avcodec_parameters_to_context(a->dec, par)) < 0 ||
	    (err = av->avcodec_open2(a->dec, codec, NULL)) < 0) {
		note(av, diag, diag_user, path, "cannot decode its audio", err);
		goto fail;
	}
	/* Streams without a declared layout still have a channel count. */
	AVChannelLayout in_layout;
	if (a->dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
		av->av_channel_layout_default(&in_layout, a->dec->ch_layout.nb_channels);
	else if (av->av_channel_layout_copy(&in_layout, &a->dec->ch_layout) < 0)
		tandem__oom();
	AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
	err = av->swr_alloc_set_opts2(&a->swr, &mono, AV_SAMPLE_FMT_FLT, rate, &in_layout,
	                              a->dec->sample_fmt, a->dec->sample_rate, 0, NULL);
	av->av_channel_layout_uninit(&in_layout);
	if (err < 0 || (err = av->swr_init(a->swr)) < 0) {
		note(av, diag, diag_user, path, "cannot resample its audio", err);
		goto fail;
	}
	a->pkt = av->av_packet_alloc();
	a->frame = av->av_frame_alloc();
	if (!a->pkt || !a->frame)
		tandem__oom();
	*out = a;
	return 0;
fail:
	tandem_audio_close(a);
	return rc;
}

int64_t tandem_audio_duration(const tandem_audio *a)
{
	if (!a || !a->fmt || a->fmt->duration == AV_NOPTS_VALUE || a->fmt->duration <= 0)
		return TANDEM_NO_TIME;
	return a->fmt->duration / (AV_TIME_BASE / 1000);
}

/* Make room for `n` converted samples in pend (after compacting it). */
static float *pend_room(tandem_audio *a, size_t n)
{
	if (a->pos) {
		memmove(a->pend, a->pend + a->pos, (a->npend - a->pos) * sizeof *a->pend);
		a->npend -= a->pos;
		a->pos = 0;
	}
	if (a->npend + n > a->cappend) {
		a->cappend = a->npend + n;
		a->pend = tandem__xrealloc(a->pend, a->cappend * sizeof *a->pend);
	}
	return a->pend + a->npend;
}

/* Convert one decoded frame (or, with f NULL, what the resampler holds). */
static int convert(tandem_audio *a, const AVFrame *f)
{
	const tandem__avlib *av = a->av;
	int in = f ? f->nb_samples : 0;
	int room = av->swr_get_out_samples(a->swr, in);
	if (room < 0)
		return TANDEM_EMEDIA;
	if (room == 0)
		return 0;
	uint8_t *dst = (uint8_t *)pend_room(a, (size_t)room);
	const uint8_t **src = f ? (const uint8_t **)f->extended_data : NULL;
	int got = av->swr_convert(a->swr, &dst, room, src, in);
	if (got < 0)
		return TANDEM_EMEDIA;
	a->npend += (size_t)got;
	return 0;
}

/* Decode until pend has samples or the stream ends. */
static int refill(tandem_audio *a)
{
	const tandem__avlib *av = a->av;
	while (a->pos == a->npend && !a->flushed) {
		int err = av->avcodec_receive_frame(a->dec, a->frame);
		if (err == 0) {
			int rc = convert(a, a->frame);
			av->av_frame_unref(a->frame);
			if (rc)
				return rc;
			continue;
		}
		if (err == AVERROR_EOF) {
			a->flushed = 1;
			return convert(a, NULL);
		}
		if (err != AVERROR(EAGAIN))
			return TANDEM_EMEDIA;
		if (a->eof_demux)
			return TANDEM_EMEDIA;
		err = av->av_read_frame(a->fmt, a->pkt);
		if (err < 0) {
			a->eof_demux = 1;
			av->avcodec_send_packet(a->dec, NULL);
			continue;
		}
		if (a->pkt->stream_index == a->stream) {
			/* A damaged packet is skipped: the rest of the file still counts. */
			err = av->avcodec_send_packet(a->dec, a->pkt);
			(void)err;
		}
		av->av_packet_unref(a->pkt);
	}
	return 0;
}

long tandem_audio_read(tandem_audio *a, float *buf, size_t n)
{
	if (!a || !buf)
		return TANDEM_EINVAL;
	if (a->failed)
		return TANDEM_EMEDIA;
	size_t done = 0;
	while (done < n) {
		if (a->pos == a->npend) {
			int rc = refill(a);
			if (rc) {
				a->failed = 1;
				return done ? (long)done : rc;
			}
			if (a->pos == a->npend)
				break;
		}
		size_t k = a->npend - a->pos;
		if (k > n - done)
			k = n - done;
		memcpy(buf + done, a->pend + a->pos, k * sizeof *buf);
		a->pos += k;
		done += k;
	}
	return (long)done;
}
