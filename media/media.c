/*
 * media.c - how long is the audio of a media file.
 *
 * WAV, FLAC and Ogg go to libsndfile first: it counts frames from the data
 * chunk (WAV), STREAMINFO (FLAC) or the last granule position (Ogg), and
 * frames / rate is exact.  Anything libsndfile cannot open goes to
 * libavformat, whose answer for the audio stream is trusted only when it
 * came from the stream or container header.  When libavformat merely
 * divided the file size by the first frames' bitrate
 * (AVFMT_DURATION_FROM_BITRATE: an MP3 without a Xing/Info header, raw
 * AAC), the figure can be off by a factor of four for VBR, so every packet
 * of the audio stream is read and the last packet's end taken instead.
 *
 * libsndfile and FFmpeg are opened on first use (media/avload.c): a
 * missing library is a "media" error naming it, as any unreadable file is.
 */
#include "tandem_private.h"
#include "avload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int media_fail(tandem_diag_fn diag, void *user, const char *path, int rc,
                      const char *fmt, ...) TANDEM_PRINTF(5, 6);

static int media_fail(tandem_diag_fn diag, void *user, const char *path, int rc,
                      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tandem__diag_full(diag, user, path, TANDEM_ERROR, "media", 0, 0, 0, 0, -1, fmt, ap);
	va_end(ap);
	return rc;
}

static int64_t ms_of(const tandem__avlib *av, int64_t v, AVRational tb)
{
	return av->av_rescale_q_rnd(v, tb, (AVRational){1, 1000},
	                            (enum AVRounding)(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX));
}

/* Magic numbers of what libsndfile should take: RIFF/RF64 WAV, FLAC, Ogg. */
static bool sndfile_kind(const char *path, const char **container)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return false;
	unsigned char m[12];
	size_t n = fread(m, 1, sizeof m, fp);
	fclose(fp);
	if (n < 12)
		return false;
	if ((memcmp(m, "RIFF", 4) == 0 || memcmp(m, "RF64", 4) == 0) && memcmp(m + 8, "WAVE", 4) == 0)
		*container = "wav";
	else if (memcmp(m, "fLaC", 4) == 0)
		*container = "flac";
	else if (memcmp(m, "OggS", 4) == 0)
		*container = "ogg";
	else
		return false;
	return true;
}

static const char *sndfile_codec(int format)
{
	switch (format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: case SF_FORMAT_PCM_16:
	case SF_FORMAT_PCM_24: case SF_FORMAT_PCM_32:
		return "pcm";
	case SF_FORMAT_FLOAT: case SF_FORMAT_DOUBLE: return "pcm_float";
	case SF_FORMAT_VORBIS: return "vorbis";
	case SF_FORMAT_OPUS: return "opus";
	default: return (format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC ? "flac" : "other";
	}
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * A RIFF WAV's data chunk says how many bytes of samples follow; libsndfile
 * quietly plays what is there when the file is shorter.  Returns the
 * claimed duration in ms when the file is cut short, else TANDEM_NO_TIME.
 * Streamed WAVs (size 0 or 0xFFFFFFFF) claim nothing.
 */
static int64_t wav_cut_short(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return TANDEM_NO_TIME;
	int64_t claim = TANDEM_NO_TIME;
	unsigned char h[12], ck[8], fmt[16];
	uint32_t rate = 0, align = 0;
	if (fread(h, 1, 12, fp) != 12 || memcmp(h, "RIFF", 4) || memcmp(h + 8, "WAVE", 4))
		goto done;
	if (fseek(fp, 0, SEEK_END))
		goto done;
	long size = ftell(fp);
	long pos = 12;
	while (pos + 8 <= size && !fseek(fp, pos, SEEK_SET) && fread(ck, 1, 8, fp) == 8) {
		uint32_t n = le32(ck + 4);
		if (memcmp(ck, "fmt ", 4) == 0 && n >= 16 && fread(fmt, 1, 16, fp) == 16) {
			rate = le32(fmt + 4);
			align = (uint32_t)fmt[12] | (uint32_t)fmt[13] << 8;
		} else if (memcmp(ck, "data", 4) == 0) {
			if (n && n != 0xFFFFFFFFu && rate && align && (long long)pos + 8 + n > size)
				claim = (int64_t)n / align * 1000 / rate;
			break;
		}
		pos += 8 + (long)n + (n & 1);
	}
done:
	fclose(fp);
	return claim;
}

/* 1 when libsndfile gave the answer, 0 to let libavformat try. */
static int probe_sndfile(const tandem__sflib *lib, const char *path, const char *container,
                         tandem_media_info *info)
{
	SF_INFO si;
	memset(&si, 0, sizeof si);
	SNDFILE *sf = lib->sf_open(path, SFM_READ, &si);
	if (!sf)
		return 0;
	/*
	 * FLAC's STREAMINFO and Ogg's last granule are claims: a file cut short
	 * still makes them, or makes none.  Reading the last frame proves them.
	 */
	bool whole = si.frames > 0 && si.samplerate > 0 && si.channels > 0 &&
	             si.channels <= 64 && si.seekable;
	if (whole) {
		float last[64];
		whole = lib->sf_seek(sf, si.frames - 1, SEEK_SET) == si.frames - 1 &&
		        lib->sf_readf_float(sf, last, 1) == 1;
	}
	lib->sf_close(sf);
	if (!whole)
		return 0;
	info->duration_ms = (int64_t)((si.frames * 1000 + si.samplerate / 2) / si.samplerate);
	info->method = "header";
	info->container = container;
	info->codec = sndfile_codec(si.format);
	info->sample_rate = si.samplerate;
	info->channels = si.channels;
	info->has_video = 0;
	return 1;
}

/* Matroska keeps a track's length in a "DURATION" tag: HH:MM:SS.nnnnnnnnn. */
static int64_t tag_duration(const tandem__avlib *av, const AVStream *st)
{
	const AVDictionaryEntry *e = av->av_dict_get(st->metadata, "DURATION", NULL, 0);
	if (!e)
		return TANDEM_NO_TIME;
	unsigned h, m;
	double s;
	char tail;
	if (sscanf(e->value, "%u:%u:%lf%c", &h, &m, &s, &tail) != 3 || m > 59 || s < 0 || s >= 61)
		return TANDEM_NO_TIME;
	return (int64_t)h * 3600000 + (int64_t)m * 60000 + (int64_t)(s * 1000 + 0.5);
}

/*
 * Read every packet of stream `si`; the duration is the last packet's end
 * minus the first packet's start, or the sum of durations where packets
 * carry no timestamps.  Packets a demuxer buffered while probing come first,
 * so there is no need to seek back.
 */
static int scan(const tandem__avlib *av, AVFormatContext *ic, int si, int64_t *ms,
                const char *path, tandem_diag_fn diag, void *user)
{
	AVStream *st = ic->streams[si];
	for (unsigned k = 0; k < ic->nb_streams; k++)
		if ((int)k != si)
			ic->streams[k]->discard = AVDISCARD_ALL;
	AVPacket *pkt = av->av_packet_alloc();
	if (!pkt)
		tandem__oom();
	int64_t first = AV_NOPTS_VALUE, end = AV_NOPTS_VALUE, sum = 0;
	int64_t frame = 0;
	if (st->codecpar->frame_size > 0 && st->codecpar->sample_rate > 0)
		frame = av->av_rescale_q(st->codecpar->frame_size,
		                     (AVRational){1, st->codecpar->sample_rate}, st->time_base);
	size_t packets = 0;
	int rc;
	while ((rc = av->av_read_frame(ic, pkt)) >= 0) {
		if (pkt->stream_index == si) {
			int64_t d = pkt->duration > 0 ? pkt->duration : frame;
			sum += d;
			int64_t t = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
			if (t != AV_NOPTS_VALUE) {
				if (first == AV_NOPTS_VALUE || t < first)
					first = t;
				if (end == AV_NOPTS_VALUE || t + d > end)
					end = t + d;
			}
			packets++;
		}
		av->av_packet_unref(pkt);
	}
	av->av_packet_free(&pkt);
	if (!packets) {
		char err[128];
		av->av_strerror(rc, err, sizeof err);
		return media_fail(diag, user, path, TANDEM_EMEDIA,
		                  "no audio packet could be read (%s): truncated or damaged", err);
	}
	if (rc != AVERROR_EOF) {
		/* Damage past some good packets: what was read is the playable part. */
		char err[128];
		av->av_strerror(rc, err, sizeof err);
		tandem__report(diag, user, path, TANDEM_WARNING, "media", 0, 0, -1,
		               "reading stopped after %zu audio packets (%s); the duration "
		               "covers what could be read", packets, err);
	}
	/* Packets before 0 are encoder priming (AAC, Opus) that players discard. */
	int64_t d = first != AV_NOPTS_VALUE ? end - (first < 0 ? 0 : first) : sum;
	*ms = ms_of(av, d, st->time_base);
	return 0;
}

static int open_av(const tandem__avlib *av, const char *path, AVFormatContext **out,
                   int *si_out, int *video, tandem_diag_fn diag, void *user)
{
	AVFormatContext *ic = NULL;
	int rc = av->avformat_open_input(&ic, path, NULL, NULL);
	if (rc < 0) {
		char err[128];
		av->av_strerror(rc, err, sizeof err);
		return media_fail(diag, user, path, TANDEM_EMEDIA,
		                  "cannot be read as media (%s): not a media file, or truncated", err);
	}
	rc = av->avformat_find_stream_info(ic, NULL);
	if (rc < 0) {
		char err[128];
		av->av_strerror(rc, err, sizeof err);
		av->avformat_close_input(&ic);
		return media_fail(diag, user, path, TANDEM_EMEDIA,
		                  "cannot read the streams (%s): truncated or damaged", err);
	}
	int si = av->av_find_best_stream(ic, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
	int has_video = 0;
	for (unsigned k = 0; k < ic->nb_streams; k++)
		if (ic->streams[k]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
		    !(ic->streams[k]->disposition & AV_DISPOSITION_ATTACHED_PIC))
			has_video = 1;
	if (si < 0) {
		const char *kind = ic->iformat->name;
		av->avformat_close_input(&ic);
		return media_fail(diag, user, path, TANDEM_EMEDIA, "has no audio stream (%s%s)",
		                  has_video ? "video only, read as " : "read as ", kind);
	}
	*out = ic;
	*si_out = si;
	*video = has_video;
	return 0;
}

/*
 * A header's duration is a claim that a file cut short keeps making.  Seek
 * to two seconds before the claimed end and read on: the last audio packet
 * must end near the claim.  False only when the file provably stops early;
 * a demuxer that cannot seek leaves the claim standing.
 */
static bool tail_confirms(const tandem__avlib *av, AVFormatContext *ic, int si, int64_t claim_ms,
                          int64_t *seen_ms)
{
	AVStream *st = ic->streams[si];
	int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
	int64_t back = av->av_rescale_q(2000, (AVRational){1, 1000}, st->time_base);
	int64_t claim = av->av_rescale_q(claim_ms, (AVRational){1, 1000}, st->time_base);
	int64_t target = start + claim - back;
	if (target < start)
		target = start;
	for (unsigned k = 0; k < ic->nb_streams; k++)
		if ((int)k != si)
			ic->streams[k]->discard = AVDISCARD_ALL;
	if (av->av_seek_frame(ic, si, target, AVSEEK_FLAG_BACKWARD) < 0)
		return true;
	AVPacket *pkt = av->av_packet_alloc();
	if (!pkt)
		tandem__oom();
	int64_t end = AV_NOPTS_VALUE;
	while (av->av_read_frame(ic, pkt) >= 0) {
		if (pkt->stream_index == si) {
			int64_t t = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
			if (t != AV_NOPTS_VALUE && (end == AV_NOPTS_VALUE || t + pkt->duration > end))
				end = t + pkt->duration;
		}
		av->av_packet_unref(pkt);
	}
	av->av_packet_free(&pkt);
	*seen_ms = end == AV_NOPTS_VALUE ? 0 : ms_of(av, end - start, st->time_base);
	return end != AV_NOPTS_VALUE && *seen_ms >= claim_ms - 1000;
}

static int probe_av(const char *path, tandem_media_how how, tandem_media_info *info,
                    tandem_diag_fn diag, void *user)
{
	const char *why;
	const tandem__avlib *av = tandem__avlib_get(&why);
	if (!av)
		return media_fail(diag, user, path, TANDEM_EMEDIA, "%s", why);
	AVFormatContext *ic;
	int si, has_video;
	int rc = open_av(av, path, &ic, &si, &has_video, diag, user);
	if (rc)
		return rc;
	AVStream *st = ic->streams[si];
	info->container = ic->iformat->name;
	info->codec = av->avcodec_get_name(st->codecpar->codec_id);
	info->sample_rate = st->codecpar->sample_rate;
	info->channels = st->codecpar->ch_layout.nb_channels;
	info->has_video = has_video;

	bool estimated = ic->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE;
	int64_t ms = TANDEM_NO_TIME;
	if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
		ms = ms_of(av, st->duration, st->time_base);
	if (ms == TANDEM_NO_TIME)
		ms = tag_duration(av, st);
	if (how == TANDEM_MEDIA_HEADER && ms == TANDEM_NO_TIME && ic->duration != AV_NOPTS_VALUE)
		ms = ms_of(av, ic->duration, AV_TIME_BASE_Q);
	bool need_scan = how == TANDEM_MEDIA_SCAN ||
	                 (how == TANDEM_MEDIA_AUTO && (estimated || ms == TANDEM_NO_TIME));
	int64_t seen = 0;
	if (!need_scan && how == TANDEM_MEDIA_AUTO && !tail_confirms(av, ic, si, ms, &seen)) {
		tandem__report(diag, user, path, TANDEM_WARNING, "media", 0, 0, -1,
		               "truncated: the header claims %lld.%03lld s but the audio stops "
		               "earlier; the duration is what the packets hold",
		               (long long)(ms / 1000), (long long)(ms % 1000));
		/* Start again from a clean demuxer rather than trust a seek back. */
		av->avformat_close_input(&ic);
		rc = open_av(av, path, &ic, &si, &has_video, diag, user);
		if (rc)
			return rc;
		need_scan = true;
	}
	if (need_scan) {
		rc = scan(av, ic, si, &ms, path, diag, user);
		info->method = "scan";
	} else if (ms == TANDEM_NO_TIME) {
		rc = media_fail(diag, user, path, TANDEM_EMEDIA,
		                "the header gives no duration (try the exact scan)");
	} else {
		rc = 0;
		info->method = "header";
	}
	av->avformat_close_input(&ic);
	if (rc)
		return rc;
	info->duration_ms = ms;
	return 0;
}

int tandem_media_probe(const char *path, tandem_media_how how, tandem_media_info *info,
                       tandem_diag_fn diag, void *diag_user)
{
	if (!path || !info)
		return TANDEM_EINVAL;
	memset(info, 0, sizeof *info);
	info->duration_ms = TANDEM_NO_TIME;
	struct stat sb;
	if (stat(path, &sb))
		return media_fail(diag, diag_user, path, TANDEM_EIO, "cannot open: %s",
		                  strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return media_fail(diag, diag_user, path, TANDEM_EIO, "not a regular file");
	if (sb.st_size == 0)
		return media_fail(diag, diag_user, path, TANDEM_EMEDIA, "empty file, not media");
	const char *container;
	/* libsndfile's count is exact already; a forced scan is libavformat's job. */
	const tandem__sflib *sf = NULL;
	const char *why;
	if (how != TANDEM_MEDIA_SCAN && sndfile_kind(path, &container) &&
	    !(sf = tandem__sflib_get(&why)))
		return media_fail(diag, diag_user, path, TANDEM_EMEDIA, "%s", why);
	if (sf && probe_sndfile(sf, path, container, info)) {
		int64_t claim = strcmp(container, "wav") == 0 ? wav_cut_short(path) : TANDEM_NO_TIME;
		if (claim != TANDEM_NO_TIME)
			tandem__report(diag, diag_user, path, TANDEM_WARNING, "media", 0, 0, -1,
			               "truncated: the header claims %lld.%03lld s of samples but the "
			               "file holds %lld.%03lld s",
			               (long long)(claim / 1000), (long long)(claim % 1000),
			               (long long)(info->duration_ms / 1000),
			               (long long)(info->duration_ms % 1000));
		return 0;
	}
	return probe_av(path, how, info, diag, diag_user);
}

int tandem_media_duration(const char *path, int64_t *ms, const char **method)
{
	tandem_media_info info;
	int rc = tandem_media_probe(path, TANDEM_MEDIA_AUTO, &info, NULL, NULL);
	if (ms)
		*ms = rc ? TANDEM_NO_TIME : info.duration_ms;
	if (method)
		*method = rc ? NULL : info.method;
	return rc;
}

/* In the order a person most likely means: audio before video, lossless first. */
static const char *const media_exts[] = {
	"wav", "flac", "mp3", "m4a", "aac", "ogg", "oga", "opus",
	"mp4", "m4v", "mkv", "webm", "mov",
};

static char *try_stem(const char *dir, size_t dirlen, const char *stem, size_t stemlen)
{
	tandem__buf b = TANDEM_BUF_INIT;
	for (size_t k = 0; k < sizeof media_exts / sizeof *media_exts; k++) {
		for (int upper = 0; upper < 2; upper++) {
			tandem__buf_clear(&b);
			tandem__buf_put(&b, dir, dirlen);
			tandem__buf_put(&b, stem, stemlen);
			tandem__buf_putc(&b, '.');
			for (const char *e = media_exts[k]; *e; e++)
				tandem__buf_putc(&b, upper ? (char)(*e - 'a' + 'A') : *e);
			struct stat sb;
			if (stat(b.ptr, &sb) == 0 && S_ISREG(sb.st_mode))
				return tandem__buf_detach(&b, NULL);
		}
	}
	tandem__buf_free(&b);
	return NULL;
}

char *tandem_media_find(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	size_t dirlen = (size_t)(name - path);
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		return NULL;
	/* talk.en.srt: talk.en.* first, then talk.* */
	char *hit = try_stem(path, dirlen, name, (size_t)(dot - name));
	if (hit)
		return hit;
	const char *dot2 = NULL;
	for (const char *p = name; p < dot; p++)
		if (*p == '.')
			dot2 = p;
	if (dot2 && dot2 != name)
		hit = try_stem(path, dirlen, name, (size_t)(dot2 - name));
	return hit;
}
