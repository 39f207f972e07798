# Bash completion for tandem: the commands, each command's options (read
# from its --help, so they are the binary's own), format names (from
# `tandem --help`; `--to` offers only those tandem writes), profile names
# and the values of the options that take one of a few words; files
# elsewhere.  Installed as share/bash-completion/completions/tandem; it
# needs no bash-completion helpers, so `source completion/tandem.bash`
# works too.

declare -gA _tandem_help_text _tandem_opts _tandem_args

# _tandem_help TANDEM [COMMAND]: the --help text, asked for once.
_tandem_help() {
	local key="$1 ${2-}"
	if [[ -z ${_tandem_help_text[$key]+set} ]]; then
		_tandem_help_text[$key]=$("$1" ${2:+"$2"} --help 2>/dev/null)
	fi
	printf '%s\n' "${_tandem_help_text[$key]}"
}

# _tandem_parse TANDEM COMMAND: its options into _tandem_opts["TANDEM COMMAND"]
# and, for those taking a value, the value's name into _tandem_args.
_tandem_parse() {
	local key="$1 $2" line opts=""
	local re='^ +((-[A-Za-z]), )?(--[a-z0-9-]+)(\[=[A-Z]+\])?( [A-Z][A-Z=]*)?'
	[[ -n ${_tandem_opts[$key]+set} ]] && return
	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		opts+=" ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
		if [[ -n ${BASH_REMATCH[5]} ]]; then
			_tandem_args["$key ${BASH_REMATCH[3]}"]=${BASH_REMATCH[5]# }
			[[ -n ${BASH_REMATCH[2]} ]] &&
				_tandem_args["$key ${BASH_REMATCH[2]}"]=${BASH_REMATCH[5]# }
		fi
	done < <(_tandem_help "$1" "$2")
	_tandem_opts[$key]=$opts
}

# _tandem_formats TANDEM [write]: the format names `tandem --help` lists.
_tandem_formats() {
	local f formats
	formats=$(_tandem_help "$1" | sed -n 's/^Formats: //p')
	for f in $formats; do
		[[ $f == *'(read)' ]] && { [[ ${2-} == write ]] && continue; f=${f%'(read)'}; }
		printf '%s\n' "$f"
	done
}

# _tandem_value TANDEM COMMAND OPTION CUR: COMPREPLY for OPTION's value.
_tandem_value() {
	local arg=${_tandem_args["$1 $2 $3"]} words=""
	case $3 in
	-t | --to) words=$(_tandem_formats "$1" write) ;;
	-f | --from | -F | --translation-from) words=$(_tandem_formats "$1") ;;
	-p | --profile | --fit) words="default netflix bbc" ;;
	--order) words="source-first translation-first" ;;
	--side) words="both source translation" ;;
	--spoken) words="source translation" ;;
	--ass-layout) words="top bottom" ;;
	--speakers) words="change every none" ;;
	--media-method) words="auto header scan" ;;
	esac
	if [[ -n $words ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$4")
		return
	fi
	case $arg in
	DIR) mapfile -t COMPREPLY < <(compgen -d -- "$4") ;;
	FILE | OUT | IN | MEDIA | OTHER | RULES | REPORT)
		mapfile -t COMPREPLY < <(compgen -f -- "$4")
		[[ $2 == check && ($3 == -a || $3 == --audio) ]] &&
			mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -W auto -- "$4")
		compopt -o filenames 2>/dev/null ;;
	*) COMPREPLY=() ;;
	esac
}

_tandem() {
	local tandem=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} cmd="" i
	local prev=${COMP_WORDS[COMP_CWORD - 1]}
	tandem=${tandem/#\~/$HOME}
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -* ]] && continue
		cmd=${COMP_WORDS[i]}
		break
	done
	COMPREPLY=()
	if [[ -z $cmd ]]; then
		local commands
		commands=$(_tandem_help "$tandem" | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p')
		mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
		return
	fi
	_tandem_parse "$tandem" "$cmd"
	# --opt=value: one word, or three when COMP_WORDBREAKS splits at '='.
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	elif [[ $cur == = ]]; then
		cur=""
	elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	if [[ $prev == -* && -n ${_tandem_args["$tandem $cmd $prev"]+set} ]]; then
		_tandem_value "$tandem" "$cmd" "$prev" "$cur"
	elif [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "${_tandem_opts["$tandem $cmd"]}" -- "$cur")
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null
	fi
}

complete -F _tandem tandem
