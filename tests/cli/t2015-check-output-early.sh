#!/bin/bash
# t2015: output paths are checked before the work starts: "check -o
# EXISTING" fails (73) at once, not after hashing the whole tree; so do
# a symlink or a directory as the output, and an existing output of
# baseline, update, snapshot and custody-sheet.
. "$(dirname "$0")/lib.sh"

# A tree that takes a while to hash: many files and a large sparse one.
mkdir -p tree/d
for i in $(seq 1 2000); do printf '%s\n' "$i" >tree/d/f$i; done
truncate -s 3G tree/sparse

# ms CMD...: run CMD, print how many milliseconds it took; CMD's status.
ms() {
	cs_t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	cs_rc=$?
	echo $((($(date +%s%N) - cs_t0) / 1000000))
	return $cs_rc
}

test_expect_success 'baseline of the tree' '
	"$CUSTOS" baseline -q -o base.cbl tree
'

test_expect_success 'check -o EXISTING exits 73 in well under a second' '
	printf "keep\n" >exists &&
	fast=$(ms test_expect_code 73 "$CUSTOS" check -q --allow-unsigned \
	    -b base.cbl -o exists tree) &&
	test_expect_code 73 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    -o exists tree 2>err &&
	test_grep "already exists" err &&
	test "$(cat exists)" = keep &&
	full=$(ms "$CUSTOS" check -q --allow-unsigned -b base.cbl -o r tree) &&
	test -s r &&
	echo "fail fast: $fast ms, full check: $full ms" &&
	test "$fast" -lt 1000 &&
	test $((fast * 4)) -lt "$full"
'

test_expect_success 'a symlink, a directory, a missing directory: 73' '
	ln -s elsewhere link &&
	test_expect_code 73 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    -o link tree &&
	test ! -e elsewhere &&
	mkdir dir &&
	test_expect_code 73 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    -f -o dir tree &&
	test_expect_code 73 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    -o no/such/dir/r tree
'

test_expect_success 'baseline, update, snapshot, custody-sheet: 73 at once' '
	fast=$(ms test_expect_code 73 "$CUSTOS" baseline -q -o exists tree) &&
	test "$fast" -lt 1000 &&
	fast=$(ms test_expect_code 73 "$CUSTOS" update -q -b base.cbl \
	    --allow-unsigned --accept-all -o exists tree) &&
	test "$fast" -lt 1000 &&
	fast=$(ms test_expect_code 73 "$CUSTOS" snapshot -q --case C \
	    --label L --operator O -o exists tree) &&
	test "$fast" -lt 1000 &&
	"$CUSTOS" snapshot -q --case C --label L --operator O -o ev.tar tree/d &&
	test_expect_code 73 "$CUSTOS" custody-sheet -o exists ev.tar.custody &&
	test "$(cat exists)" = keep
'

test_done
