#!/usr/bin/env bash
# make-media-fixtures.sh OUTDIR - make the media files the duration tests
# read, with Debian's sox, lame and ffmpeg (scripts/install-deps.sh --test),
# and a manifest of what each must give.
#
# Durations are exact by construction: sox writes N seconds of samples, and
# every encoder is fed those.  Lossy codecs work in frames, so their
# durations are allowed the frames the encoder adds:
#   MP3   whole frames of 1152 samples (576 at 22.05 kHz, 26 ms either
#         way): encoder delay and padding add up to 3 frames to what went in
#   AAC   1024-sample frames; MP4 edit lists hide the priming, Matroska
#         keeps it (+23 ms)
#   Opus  in WebM, pre-skip and padding (+ up to 20 ms)
#
# Manifest lines (OUTDIR/expected.tsv, tab separated):
#   file  how(auto|header|scan)  status(ok|warn|error)  min_ms  max_ms  method  message
# ok/warn give a duration in [min_ms, max_ms] by `method`; warn and error
# name a substring of the diagnostic ("-" for none).
#
# Exits 77 (skipped) when a tool is missing.
set -euo pipefail
out=${1:?usage: make-media-fixtures.sh OUTDIR}
for tool in sox lame ffmpeg; do
  command -v "$tool" >/dev/null || { echo "make-media-fixtures: $tool not found" >&2; exit 77; }
done
mkdir -p "$out"
cd "$out"
rm -f ./*.wav ./*.flac ./*.ogg ./*.opus ./*.m4a ./*.mp3 ./*.mp4 ./*.mkv ./*.webm ./*.tsv

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }

# 3 s of 440 Hz, mono 44.1 kHz: the source of the single-tone fixtures.
sox -n -r 44100 -c 1 -b 16 tone.wav synth 3 sine 440
sox tone.wav tone.flac
ff -i tone.wav -c:a libvorbis tone.ogg
ff -i tone.wav -c:a libopus tone.opus
ff -i tone.wav -c:a aac tone.m4a
lame --quiet -b 128 tone.wav tone-cbr.mp3

# 10 s stereo (2 s silence, 8 s noise) for VBR with a Xing header.
sox -n -r 44100 -c 2 -b 16 .sil.wav trim 0 2
sox -n -r 44100 -c 2 -b 16 .noise.wav synth 8 whitenoise vol 0.5
sox .sil.wav .noise.wav .varied.wav
lame --quiet -V 2 .varied.wav vbr-xing.mp3

# 30 s (1 s loud noise, then 29 s of a quiet tone) as VBR *without* a Xing
# header (-t): the first frames' high bitrate makes libavformat's estimate
# from the file size about a third of the truth.
sox -n -r 44100 -c 1 -b 16 .n1.wav synth 1 whitenoise vol 0.5
sox -n -r 44100 -c 1 -b 16 .t29.wav synth 29 sine 440 vol 0.1
sox .n1.wav .t29.wav .v30.wav
lame --quiet -V 9 -t .v30.wav vbr-noxing.mp3

# Video with an audio track: 4 s of picture, 3 s of sound.  The audio
# stream's own duration (3 s) is the answer, not the container's (4 s).
video() { ff -f lavfi -i testsrc=size=64x48:rate=25:duration=4 -i tone.wav "$@"; }
video -c:v libx264 -c:a aac video.mp4
video -c:v libx264 -c:a aac video.mkv
video -c:v libvpx -c:a libopus video.webm
ff -f lavfi -i testsrc=size=64x48:rate=25:duration=4 -c:v libx264 noaudio.mp4

# Damaged files.
head -c 100044 tone.wav > trunc.wav            # 50000 frames: 1133 ms of 3000
head -c 30 tone.wav > trunc-header.wav         # cut inside the header
head -c 20000 tone.flac > trunc.flac           # STREAMINFO still says 3 s
head -c 20000 video.mkv > trunc.mkv            # DURATION tag still says 3.023 s
ff -i tone.wav -c:a aac -movflags +faststart .fast.m4a
head -c 12000 .fast.m4a > trunc-faststart.m4a  # moov first, then half the data
head -c 20000 video.mp4 > trunc-moov.mp4       # moov at the end, cut off
printf 'hello, this is not media at all\n' > notmedia.mp3
printf 'WEBVTT\n\n00:01.000 --> 00:02.000\nsubtitles\n' > subtitles.mp4
: > empty.wav
rm -f .sil.wav .noise.wav .varied.wav .n1.wav .t29.wav .v30.wav .fast.m4a

t=$'\t'
cat > expected.tsv <<EOF
tone.wav${t}auto${t}ok${t}3000${t}3000${t}header${t}-
tone.wav${t}scan${t}ok${t}3000${t}3000${t}scan${t}-
tone.flac${t}auto${t}ok${t}3000${t}3000${t}header${t}-
tone.ogg${t}auto${t}ok${t}3000${t}3000${t}header${t}-
tone.opus${t}auto${t}ok${t}3000${t}3000${t}header${t}-
tone.m4a${t}auto${t}ok${t}3000${t}3000${t}header${t}-
tone.m4a${t}scan${t}ok${t}3000${t}3024${t}scan${t}-
tone-cbr.mp3${t}auto${t}ok${t}3000${t}3053${t}header${t}-
vbr-xing.mp3${t}auto${t}ok${t}10000${t}10053${t}header${t}-
vbr-noxing.mp3${t}auto${t}ok${t}30000${t}30080${t}scan${t}-
vbr-noxing.mp3${t}scan${t}ok${t}30000${t}30080${t}scan${t}-
vbr-noxing.mp3${t}header${t}ok${t}0${t}25000${t}header${t}-
video.mp4${t}auto${t}ok${t}3000${t}3000${t}header${t}-
video.mkv${t}auto${t}ok${t}3000${t}3024${t}header${t}-
video.mkv${t}scan${t}ok${t}3000${t}3050${t}scan${t}-
video.webm${t}auto${t}ok${t}3000${t}3020${t}header${t}-
noaudio.mp4${t}auto${t}error${t}0${t}0${t}-${t}has no audio stream (video only
trunc.wav${t}auto${t}warn${t}1133${t}1134${t}header${t}truncated: the header claims 3.000 s
trunc-header.wav${t}auto${t}error${t}0${t}0${t}-${t}not a media file, or truncated
trunc.flac${t}auto${t}warn${t}200${t}2500${t}scan${t}truncated: the header claims 3.000 s
trunc.mkv${t}auto${t}warn${t}200${t}2500${t}scan${t}truncated: the header claims 3.023 s
trunc-faststart.m4a${t}auto${t}warn${t}200${t}2500${t}scan${t}truncated: the header claims 3.000 s
trunc-moov.mp4${t}auto${t}error${t}0${t}0${t}-${t}not a media file, or truncated
notmedia.mp3${t}auto${t}error${t}0${t}0${t}-${t}not a media file, or truncated
subtitles.mp4${t}auto${t}error${t}0${t}0${t}-${t}has no audio stream (read as webvtt)
empty.wav${t}auto${t}error${t}0${t}0${t}-${t}empty file, not media
missing.wav${t}auto${t}error${t}0${t}0${t}-${t}cannot open: No such file
EOF
echo "make-media-fixtures: $(ls | wc -l) files in $out"
