#!/usr/bin/env bash
# completion/tandem.bash, loaded as bash-completion would load it: it
# registers itself, `tandem con` completes to `convert`, and what it offers
# (commands, each command's long options, formats, profiles) is what the
# binary's --help says.  Needs $TANDEM and $TANDEM_SOURCE_DIR.
set -euo pipefail
PATH="$(dirname "$TANDEM"):$PATH"
export PATH
fail() { echo "completion: $*" >&2; exit 1; }

# complete WORD...: what TAB offers after the words, sorted, on one line.
complete_words() {
	bash --norc --noprofile -c '
		source "$TANDEM_SOURCE_DIR/completion/tandem.bash"
		complete -p tandem | grep -q -- "-F _tandem" || exit 3
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_tandem
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "' _ "$@"
}
expect() {
	local want=$1
	shift
	local got
	got=$(complete_words "$@") || fail "'$*' failed"
	[[ $got == "$want" ]] || fail "'$*' offers '$got', not '$want'"
}
sorted() { tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' '; }

expect "convert " tandem con
commands=$(tandem --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p')
expect "$(printf '%s --help --version' "$commands" | sorted)" tandem ""
for c in $commands; do
	opts=$(tandem "$c" --help | sed -n -E 's/^ +(-[A-Za-z], )?(--[a-z0-9-]+).*/\2/p')
	expect "$(printf "%s\n" "$opts" | sorted)" tandem "$c" --
done
formats=$(tandem --help | sed -n 's/^Formats: //p')
expect "$(echo "$formats" | sed 's/[a-z]*(read)//g' | sorted)" tandem convert -t ""
expect "$(echo "$formats" | sed 's/(read)//g' | sorted)" tandem convert --from ""
profiles=$(complete_words tandem check --profile "")
[[ $profiles == "bbc default netflix " ]] || fail "profiles: '$profiles'"
for p in $profiles; do
	tandem check --help | grep -- '--profile' | grep -qw "$p" || fail "check --help has no profile $p"
done
expect "netflix " tandem align --fit n
expect "translation-first " tandem convert --order=t
expect "translation-first " tandem convert --order = t
expect "both source translation " tandem convert --side =
echo "completion: ok"
