# lib.sh - a tiny assertion library for the CLI test scripts.
# Each script sources it, calls the checks, and ends with `finish`, which
# prints "N passed, N failed" and sets the exit status.
set -u
: "${TANDEM:?TANDEM must name the tandem binary}"
: "${TANDEM_SOURCE_DIR:?}"
pass=0
fail=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tandem-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# run CMD...: runs it, capturing $out, $err and $rc.
run() {
  out=$("$@" 2>"$WORK/.err") && rc=0 || rc=$?
  err=$(cat "$WORK/.err")
}
expect_rc() { [[ $rc -eq $1 ]] && ok || bad "$2: exit $rc, want $1 (stderr: ${err:0:400})"; }
expect_out() { [[ $out == *"$1"* ]] && ok || bad "$2: stdout lacks '$1' (got: ${out:0:400})"; }
expect_err() { [[ $err == *"$1"* ]] && ok || bad "$2: stderr lacks '$1' (got: ${err:0:400})"; }
expect_file() { [[ -f $1 ]] && ok || bad "$2: $1 missing"; }
expect_no_file() { [[ ! -e $1 ]] && ok || bad "$2: $1 should not exist"; }
expect_same() { cmp -s "$1" "$2" && ok || bad "$3: $1 and $2 differ: $(diff "$1" "$2" | head -5)"; }
expect_no_temps() {
  local left
  left=$(find "$1" -name '.*.tandem-*' | head -3)
  [[ -z $left ]] && ok || bad "$2: temporary files left: $left"
}
finish() {
  echo "$pass passed, $fail failed"
  [[ $fail -eq 0 ]]
}
