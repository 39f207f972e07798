#!/usr/bin/env bash
# Install what tandem needs from Debian's packages, skipping what is there.
#   scripts/install-deps.sh          build dependencies (help2man: the man pages)
#   scripts/install-deps.sh --test   plus what the test suite uses
#   scripts/install-deps.sh --bench  plus the peers the benchmarks compare with
set -euo pipefail

pkgs=(build-essential cmake pkg-config help2man
      libsndfile1-dev libavformat-dev libavcodec-dev libavutil-dev libswresample-dev
      libyaml-dev libutf8proc-dev libicu-dev libcmark-dev)
for arg in "$@"; do
  case $arg in
    --test)  pkgs+=(clang ffmpeg sox libsox-fmt-all espeak-ng lame python3 python3-jieba fonts-noto-cjk parallel) ;;
    --bench) pkgs+=(clang ffmpeg sox libsox-fmt-all espeak-ng lame python3 python3-srt
                    python3-webvtt python3-aeidon hyperfine time parallel) ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
