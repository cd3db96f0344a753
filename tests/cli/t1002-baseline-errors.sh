#!/bin/bash
# t1002: bad input and failures: unreadable objects are recorded and
# reported, outputs are never overwritten or half-written.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/sub && echo data >tree/file && echo secret >tree/sub/locked

test_expect_success 'an existing output is refused and left unchanged' '
	echo precious >out.cbl &&
	test_expect_code 73 "$CUSTOS" baseline -o out.cbl tree 2>err &&
	test_grep "already exists" err &&
	test "$(cat out.cbl)" = precious
'

test_expect_success '--force replaces an existing output' '
	"$CUSTOS" baseline -q --force -o out.cbl tree &&
	test_grep "^#custos-baseline 2$" out.cbl
'

test_expect_success 'a missing directory fails with 66 and creates nothing' '
	test_expect_code 66 "$CUSTOS" baseline -o none.cbl no/such/dir 2>err &&
	test_grep "cannot open .no/such/dir." err &&
	test ! -e none.cbl
'

test_expect_success 'an unwritable output directory fails with 73' '
	test_expect_code 73 "$CUSTOS" baseline -o /nonexistent/x.cbl tree &&
	test ! -e /nonexistent/x.cbl
'

test_expect_success 'standard output with -o -' '
	"$CUSTOS" baseline -q -o - tree >stdout.cbl &&
	test_grep "^/file type=file " stdout.cbl
'

test_expect_success 'the output file inside the tree is not recorded' '
	"$CUSTOS" baseline -q -o tree/self.cbl tree &&
	! grep -q "^/self.cbl" tree/self.cbl &&
	! grep -q "tmp-" tree/self.cbl &&
	rm tree/self.cbl
'

test_expect_success SETPRIV 'unreadable objects are recorded, reported and exit 16' '
	nb=$(mktemp -d /tmp/custos-t1002.XXXXXX) && chmod 755 "$nb" &&
	echo "$nb" >nobody.dir &&
	cp -r tree "$nb/tree" &&
	chmod 000 "$nb/tree/sub/locked" && chmod 711 "$nb/tree/sub" &&
	mkdir "$nb/noread" && chmod 000 "$nb/noread" &&
	chown -R 65534:65534 "$nb" &&
	chown 0:0 "$nb/tree/sub/locked" "$nb/noread" &&
	test_expect_code 16 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$CUSTOS" baseline -o "$nb/out.cbl" "$nb" 2>err &&
	test_grep "^custos: baseline: ./tree/sub/locked.: cannot open: Permission denied" err &&
	test_grep "^custos: baseline: ./noread.: cannot open directory: Permission denied" err &&
	test_grep "2 errors" err &&
	test_grep "^/tree/sub/locked type=file .* error=cannot\\\\x20open:" "$nb/out.cbl" &&
	test_grep "^#end records=[0-9]* errors=2 " "$nb/out.cbl" &&
	"$CUSTOS" verify --allow-unsigned "$nb/out.cbl" >v &&
	test_grep "(2 with errors)" v &&
	rm -rf "$nb"
'

test_expect_success 'an interrupted run leaves neither output nor temporary file' '
	mkdir big && for i in 1 2 3 4 5 6 7 8; do
		truncate -s 2G big/f$i; done &&
	{ "$CUSTOS" baseline -j 1 -o big.cbl big 2>/dev/null & } &&
	pid=$! && sleep 0.3 && kill -TERM $pid &&
	rc=0 && { wait $pid || rc=$?; } &&
	test $rc = 143 &&
	test ! -e big.cbl &&
	ls >listing && ! grep "big.cbl.tmp" listing
'

test_expect_success 'a failed signing key leaves no output' '
	echo junk >bad.key &&
	test_must_fail "$CUSTOS" baseline --key bad.key -o k.cbl tree 2>err &&
	test ! -e k.cbl &&
	test_expect_code 66 "$CUSTOS" baseline --key missing.key -o k.cbl tree &&
	test ! -e k.cbl
'

test_done
