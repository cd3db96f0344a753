#!/bin/bash
# t0000: the command surface: version, help, command lookup, usage errors,
# and a man page for every command.
. "$(dirname "$0")/lib.sh"

test_expect_success 'version names the program and version' '
	"$CUSTOS" --version >out &&
	test_grep "^custos [0-9]" out
'

test_expect_success 'help lists every command' '
	"$CUSTOS" --help >out &&
	for c in baseline check custody-sheet keygen sign snapshot update verify; do
		test_grep "^  $c " out || exit 1
	done
'

test_expect_success 'help COMMAND shows its usage and options' '
	"$CUSTOS" help baseline >out &&
	test_grep "^usage: custos baseline " out &&
	test_grep -- "--digest LIST" out &&
	"$CUSTOS" baseline --help >out2 &&
	test_cmp out out2
'

test_expect_success 'a unique prefix selects a command' '
	"$CUSTOS" help verif >out &&
	test_grep "^usage: custos verify " out
'

test_expect_success 'unknown command and no command are usage errors (64)' '
	test_expect_code 64 "$CUSTOS" frobnicate 2>err &&
	test_grep "unknown command: frobnicate" err &&
	test_expect_code 64 "$CUSTOS" 2>err
'

test_expect_success 'a bad option is a usage error with the usage line' '
	test_expect_code 64 "$CUSTOS" baseline --no-such-option . 2>err &&
	test_grep "usage: custos baseline" err
'

test_expect_success 'every command has a man page, listed in custos(1)' '
	for c in baseline check custody-sheet keygen sign snapshot update verify; do
		test -f "$CS_SRCDIR/doc/custos-$c.1" || exit 1
		sed "s/\\\\-/-/g" "$CS_BUILDDIR/doc/custos.1" |
		    grep -q "custos-$c" || exit 1
	done &&
	test -f "$CS_SRCDIR/doc/custos-baseline.5"
'

test_expect_success 'every option in help appears in the man page' '
	for c in baseline sign verify; do
		"$CUSTOS" help $c | grep -o -- "--[a-z][a-z-]*" | sort -u >opts &&
		while read -r o; do
			grep -q -- "$(echo "$o" | sed "s/-/\\\\\\\\-/g")" \
			    "$CS_SRCDIR/doc/custos-$c.1" ||
			grep -q -- "$o" "$CS_SRCDIR/doc/custos-$c.1" || {
				echo "custos-$c.1 lacks $o"; exit 1; }
		done <opts
	done
'

test_done
