#!/bin/bash
# t0000: the command surface: version, help, command lookup, usage errors,
# and a man page for every command.
. "$(dirname "$0")/lib.sh"

test_expect_success 'version names the program and version' '
	"$CUSTOS" --version >out &&
	test_grep "^custos [0-9]" out
'

test_expect_success 'help lists every command and alias of the table' '
	"$CUSTOS" --help >out &&
	sed -n -e "s/^	\.name = \"\(.*\)\",$/\1/p" \
	    -e "s/^	\.alias = \"\(.*\)\",$/\1/p" \
	    "$CS_SRCDIR"/src/cmd_*.c | sort >want &&
	test_grep -x diff want && test_grep -x custody-sheet want &&
	test "$(grep -c "&cs_cmd_" "$CS_SRCDIR/src/main.c")" = \
	    "$(grep -c "^	\.name = " "$CS_SRCDIR"/src/cmd_*.c | \
	    awk -F: "{ n += \$2 } END { print n }")" &&
	sed -n "/^commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p" out >got &&
	test_cmp want got
'

test_expect_success 'help: the summaries start in one column' '
	"$CUSTOS" --help >out &&
	sed -n "/^commands:/,/^$/p" out | grep "^  " |
	    sed "s/^  [a-z-]* *//" >summaries &&
	sed -n "/^commands:/,/^$/s/^\(  [a-z-]* *\)[^ ].*/\1/p" out |
	    awk "{ print length(\$0) }" | sort -u >cols &&
	test "$(wc -l <cols)" = 1 &&
	test "$(wc -l <summaries)" -ge 9 &&
	awk "length(\$0) > 80 { exit 1 }" out
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

test_expect_success 'a bad option: one message naming it, then the usage' '
	test_expect_code 64 "$CUSTOS" baseline --no-such-option . 2>err &&
	test "$(grep -c "^custos: " err)" = 1 &&
	test_grep -x "custos: baseline: unknown option .--no-such-option." err &&
	test_expect_code 64 "$CUSTOS" check -Z 2>err &&
	test "$(grep -c "^custos: " err)" = 1 &&
	test "$(grep -c -v "^usage: \|^       custos " err)" = 1 &&
	test_grep -x "custos: check: unknown option .-Z." err &&
	test_expect_code 64 "$CUSTOS" verify --pubkey 2>err &&
	test_grep -x "custos: verify: option .--pubkey. needs an argument" err &&
	test_expect_code 64 "$CUSTOS" baseline -o 2>err &&
	test_grep -x "custos: baseline: option .-o. needs an argument" err &&
	test_expect_code 64 "$CUSTOS" baseline --quiet=1 . 2>err &&
	test_grep -x "custos: baseline: option .--quiet. takes no argument" err
'

test_expect_success 'every command has a man page, listed in custos(1)' '
	for c in baseline check custody-sheet digest keygen merge plan sign snapshot update verify; do
		test -f "$CS_SRCDIR/doc/custos-$c.1" || exit 1
		sed "s/\\\\-/-/g" "$CS_BUILDDIR/doc/custos.1" |
		    grep -q "custos-$c" || exit 1
	done &&
	test -f "$CS_SRCDIR/doc/custos-baseline.5"
'

test_expect_success 'every option in help appears in the man page' '
	for c in baseline digest merge plan sign verify; do
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
