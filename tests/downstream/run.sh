#!/bin/sh
# The installed tree as a downstream project meets it: install the build
# into a fresh prefix, check what is there, then build main.c against it
# with find_package(tandem) (shared and static) and with pkg-config (shared,
# and --static linking libtandem.a), run each and compare with expected.txt.
#   run.sh BUILD WORK CC CMAKE PKG_CONFIG MAN [FLAGS]
# MAN is 1 when the build made manual pages (help2man); FLAGS go to every
# compile and link (the sanitizers' when the build uses them).
set -eu
build=$1 work=$2 cc=$3 cmake=$4 pkgconfig=$5 man=$6 flags=${7-}
here=$(cd "$(dirname "$0")" && pwd)
prefix=$work/prefix
fail() { echo "downstream: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log"

pc=$(find "$prefix" -name tandem.pc)
[ -n "$pc" ] || fail "no tandem.pc installed"
libdir=$(dirname "$(dirname "$pc")")
for f in bin/tandem include/tandem.h share/bash-completion/completions/tandem; do
	[ -f "$prefix/$f" ] || fail "$f not installed"
done
for f in libtandem.a libtandem.so cmake/tandem/tandem-config.cmake \
	cmake/tandem/tandem-config-version.cmake cmake/tandem/tandem-targets.cmake; do
	[ -e "$libdir/$f" ] || fail "$libdir/$f not installed"
done
"$prefix/bin/tandem" --version | grep -q '^tandem ' || fail "installed tandem does not run"

# Manual pages: tandem(1) and one per command, each naming all its options.
if [ "$man" = 1 ]; then
	mandir=$prefix/share/man/man1
	[ -f "$mandir/tandem.1" ] || fail "tandem.1 not installed"
	commands=$("$prefix/bin/tandem" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p')
	[ -n "$commands" ] || fail "tandem --help lists no commands"
	for c in $commands; do
		page=$mandir/tandem-$c.1
		[ -f "$page" ] || fail "tandem-$c.1 not installed"
		for o in $("$prefix/bin/tandem" "$c" --help |
			sed -n -E 's/^ +(-[A-Za-z], )?--([a-z0-9-]+).*/\2/p'); do
			grep -qF -- "\\-\\-$(printf %s "$o" | sed 's/-/\\-/g')" "$page" ||
				fail "tandem-$c.1 does not mention --$o"
		done
	done
fi

# check NAME BINARY: BINARY prints what expected.txt says.
check() {
	"$2" >"$work/$1.out" || fail "$1 failed"
	cmp -s "$here/expected.txt" "$work/$1.out" || {
		diff "$here/expected.txt" "$work/$1.out" >&2
		fail "$1 printed something else"
	}
	echo "downstream: $1 ok"
}
# static NAME BINARY: BINARY does not need libtandem.so.
static() {
	if readelf -d "$2" | grep -q 'NEEDED.*libtandem'; then
		fail "$1 needs libtandem.so"
	fi
}

"$cmake" -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
	-DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >"$work/cmake.log"
"$cmake" --build "$work/cmake" >>"$work/cmake.log"
check find_package "$work/cmake/downstream"
static find_package_static "$work/cmake/downstream_static"
check find_package_static "$work/cmake/downstream_static"

PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
# shellcheck disable=SC2046,SC2086
"$cc" $flags $("$pkgconfig" --cflags tandem) "$here/main.c" -o "$work/pkg_config" \
	$("$pkgconfig" --libs tandem)
LD_LIBRARY_PATH=$libdir check pkg_config "$work/pkg_config"
# shellcheck disable=SC2046,SC2086
"$cc" $flags $("$pkgconfig" --cflags tandem) "$here/main.c" -o "$work/pkg_config_static" \
	$("$pkgconfig" --static --libs tandem | sed 's/-ltandem\b/-Wl,-Bstatic -ltandem -Wl,-Bdynamic/')
static pkg_config_static "$work/pkg_config_static"
check pkg_config_static "$work/pkg_config_static"
