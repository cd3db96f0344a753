#!/bin/bash
# t1006: the progress line of baseline, snapshot, verify (of an evidence
# tar) and check: drawn in place ("\r", erase to end of line) on a
# terminal, with objects, bytes, rate and ETA ("~" when estimated from
# the filesystem); never in a pipe or a file; -q turns it off.
. "$(dirname "$0")/lib.sh"

KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"

mkdir -p tree/d
for i in $(seq 1 200); do printf '%s\n' "$i" >tree/d/f$i; done
head -c 4194304 /dev/zero >tree/big

# on_tty CMD: run CMD with a pseudo-terminal as its standard error (and
# output), keeping what it wrote in tty.out.
on_tty() {
	script -qfec "$1" /dev/null >tty.out
}

# has_progress FILE CMD: FILE holds a progress line of CMD, drawn in place.
has_progress() {
	tr '\r' '\n' <"$1" >lines &&
	test_grep -a "^$(printf '\033')\[Kcustos: $2: [0-9]*.* objects, [0-9]* MiB, [0-9.]* MiB/s, ETA " lines &&
	test_grep -a -c "$(printf '\r')" "$1" >/dev/null
}

# no_progress FILE: FILE holds no progress line.
no_progress() {
	! grep -a -q -e "$(printf '\r')" -e "objects, .* MiB/s" "$1"
}

test_expect_success SCRIPT 'baseline: progress on a terminal, ETA estimated' '
	on_tty "\"$CUSTOS\" baseline -o b.cbl tree" &&
	has_progress tty.out baseline &&
	test_grep -a "ETA ~" lines &&
	test_grep -a "records, .* -> b.cbl" lines &&
	test -s b.cbl
'

test_expect_success 'baseline: none in a pipe or a file' '
	"$CUSTOS" baseline -o b2.cbl tree 2>err &&
	no_progress err &&
	test_grep "records" err &&
	"$CUSTOS" baseline -o - tree 2>&1 >/dev/null | cat >piped &&
	no_progress piped
'

test_expect_success SCRIPT 'baseline -q: no progress on a terminal' '
	on_tty "\"$CUSTOS\" baseline -q -o b3.cbl tree" &&
	no_progress tty.out && test -s b3.cbl
'

test_expect_success SCRIPT 'snapshot: progress on a terminal, not with -q' '
	on_tty "\"$CUSTOS\" snapshot --case C --label L --operator O --key \"$KEY\" -o ev.tar tree" &&
	has_progress tty.out snapshot &&
	on_tty "\"$CUSTOS\" snapshot -q --case C --label L --operator O -o ev2.tar tree" &&
	no_progress tty.out
'

test_expect_success 'snapshot: none in a file' '
	"$CUSTOS" snapshot --case C --label L --operator O -o ev3.tar tree \
	    >out 2>err &&
	no_progress err && no_progress out
'

test_expect_success SCRIPT 'verify of an evidence tar: progress by the archive size' '
	on_tty "\"$CUSTOS\" verify --pubkey \"$PUB\" ev.tar" &&
	has_progress tty.out verify &&
	! grep -a "ETA ~" lines &&
	test_grep -a "^result: " lines &&
	"$CUSTOS" verify --pubkey "$PUB" ev.tar >out 2>err &&
	no_progress err && no_progress out &&
	on_tty "\"$CUSTOS\" verify -q --pubkey \"$PUB\" ev.tar" &&
	no_progress tty.out
'

test_expect_success SCRIPT 'the line is erased before the report' '
	on_tty "\"$CUSTOS\" verify --pubkey \"$PUB\" ev.tar" &&
	test_grep -a "ETA [^$(printf "\033")]*$(printf "\r\033")\[Kfile: " tty.out
'

test_expect_success SCRIPT 'check: progress with totals from the baseline' '
	on_tty "\"$CUSTOS\" check --allow-unsigned -b b.cbl tree >/dev/null" &&
	has_progress tty.out check &&
	test_grep -a "objects, " lines &&
	"$CUSTOS" check --allow-unsigned -b b.cbl tree >out 2>err &&
	no_progress err
'

test_done
