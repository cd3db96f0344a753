#!/bin/bash
# t4001: malformed baselines are rejected with the line and the reason.
#
# fixtures/baselines/*.cbl (made by make.sh) each carry one defect and a
# correct trailer digest; fixtures/cli/t4001/NAME.err and NAME.rc hold the
# expected message and exit status.
. "$(dirname "$0")/lib.sh"

cp "$FIXTURES"/baselines/*.cbl .

test_expect_success 'the good fixture verifies (unsigned allowed)' '
	"$CUSTOS" verify --allow-unsigned good.cbl >out &&
	test_grep "^records: *5 (0 with errors)" out &&
	test_grep "^root: */srv/fixture$" out
'

for f in "$FIXTURES"/cli/t4001/*.err; do
	name=$(basename "$f" .err)
	test_expect_success "malformed: $name" '
		test_expect_code "$(cat "$FIXTURES/cli/t4001/'"$name"'.rc")" \
		    "$CUSTOS" verify --allow-unsigned -q '"$name"'.cbl 2>err &&
		test_cmp "$FIXTURES/cli/t4001/'"$name"'.err" err
	'
done

test_expect_success 'check refuses a malformed header field too' '
	test_expect_code 65 "$CUSTOS" check -q --allow-unsigned \
	    -b bad-created.cbl . 2>err &&
	test_grep "bad-created.cbl. line 2: bad header field .created." err &&
	test_expect_code 65 "$CUSTOS" check -q --allow-unsigned \
	    -b good.cbl relative-root.cbl 2>err &&
	test_grep "relative-root.cbl. line 4: bad header field .root.: not an absolute path" err
'

test_expect_success 'a file that is not a baseline at all' '
	printf "\x7fELF\0\0\0" >binary &&
	test_expect_code 65 "$CUSTOS" verify --allow-unsigned binary 2>err
'

test_expect_success 'a missing file is exit 66, a directory is refused' '
	test_expect_code 66 "$CUSTOS" verify --allow-unsigned nope.cbl &&
	test_expect_code 66 "$CUSTOS" verify --allow-unsigned .
'

test_expect_success 'random garbage never crashes the reader' '
	for i in $(seq 1 200); do
		head -c $((i * 13)) /dev/urandom >junk &&
		rc=0 &&
		{ "$CUSTOS" verify --allow-unsigned -q junk 2>/dev/null ||
		    rc=$?; } &&
		test $rc -ne 0 -a $rc -lt 125 || { echo "rc $rc at $i"; exit 1; }
	done
'

test_expect_success 'mutated good baselines never crash the reader' '
	size=$(wc -c <good.cbl) &&
	for i in $(seq 0 7 $((size - 1))); do
		for b in 0 10 32 47 61 92 255; do
			cp good.cbl m.cbl &&
			printf "$(printf "\\\\%03o" $b)" |
			    dd of=m.cbl bs=1 seek=$i conv=notrunc status=none &&
			rc=0 &&
			{ "$CUSTOS" verify --allow-unsigned -q m.cbl \
			    2>/dev/null || rc=$?; } &&
			test $rc -lt 125 || { echo "crash at $i/$b"; exit 1; }
		done
	done
'

test_done
