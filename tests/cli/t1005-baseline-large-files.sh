#!/bin/bash
# t1005: files of megabytes are hashed straight from the page cache
# through a mapped window: the digests equal sha256sum's and b2sum's for
# any size around the window, sparse files included, for any -j; an edit
# inside such a file, and an edit of the old part of a grown append-only
# log, are found.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/var/log
head -c 1048576 /dev/urandom >tree/exactly-1m
head -c 4194305 /dev/urandom >tree/window-plus-1
head -c 9449737 /dev/urandom >tree/odd-9m
truncate -s 20M tree/sparse-20m
printf 'data at the end' | dd of=tree/sparse-20m bs=1 seek=19922944 \
    conv=notrunc status=none
head -c 6291456 /dev/urandom >tree/var/log/big.log
printf '/var/log/*  append-only\n' >logs.policy

# flip FILE OFFSET: change the byte at OFFSET (to another value, always).
flip() {
	old=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d " ") &&
	printf "\\$(printf %03o $(((old + 1) % 256)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# digest FIELD FILE: the value of FIELD in the record of /FILE.
digest() {
	grep "^/$2 " base.cbl | sed "s/.* $1=\([0-9a-f]*\).*/\1/"
}

for j in 1 2; do
	test_expect_success "-j $j: digests equal sha256sum and b2sum" '
		rm -f base.cbl &&
		"$CUSTOS" baseline -q -j '$j' --digest sha256,blake2b512 \
		    -o base.cbl tree &&
		for f in exactly-1m window-plus-1 odd-9m sparse-20m \
		    var/log/big.log; do
			test "$(digest sha256 $f)" = \
			    "$(sha256sum <tree/$f | cut -c1-64)" &&
			test "$(digest blake2b512 $f)" = \
			    "$(b2sum <tree/$f | cut -c1-128)" ||
			{ echo "mismatch: $f"; exit 1; }
		done &&
		! grep -q " error=" base.cbl
	'
done

test_expect_success 'an unchanged tree checks clean' '
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    --policy logs.policy tree
'

test_expect_success 'one byte changed in the last window, times kept' '
	cp -p tree/odd-9m saved &&
	flip tree/odd-9m 9000000 &&
	touch -r saved tree/odd-9m &&
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    --format json tree >r.json &&
	test_grep "\"path\":\"/odd-9m\".*\"attr\":\"digest\",\"name\":\"sha256\"" r.json &&
	cp -p saved tree/odd-9m
'

test_expect_success 'a grown big log with its old part intact is info' '
	head -c 3000000 /dev/urandom >>tree/var/log/big.log &&
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    --policy logs.policy --format json tree >r.json &&
	test_grep "\"path\":\"/var/log/big.log\".*\"appended\":true" r.json
'

test_expect_success 'an edit in the second window of the old part is flagged' '
	flip tree/var/log/big.log 5000000 &&
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    --policy logs.policy --format json tree >r.json &&
	test_grep "\"path\":\"/var/log/big.log\".*\"old\":\"intact\",\"new\":\"rewritten\"" r.json
'

test_done
