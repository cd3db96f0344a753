#!/bin/bash
# t4100: verify of an evidence tar: a flipped byte anywhere, a truncated
# archive, a missing or foreign custody record, the wrong key.
. "$(dirname "$0")/lib.sh"

KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"
mkdir -p tree/etc tree/data
printf 'root:x:0:0\n' >tree/etc/passwd
head -c 300000 /dev/urandom >tree/data/blob
echo hello >tree/data/small
"$CUSTOS" snapshot -q --case C1 --label L1 --operator O --key "$KEY" \
    -o ev.tar tree || exit 99
chattr -i ev.tar 2>/dev/null

# offset_of NAME: byte offset of the first occurrence of NAME in ev.tar.
offset_of() {
	grep -a -b -o -F "$1" ev.tar | head -n 1 | cut -d: -f1
}

# flip POS FILE: invert the low bit of the byte at POS.
flip() {
	b=$(od -An -tu1 -j"$1" -N1 "$2" | tr -d " ") &&
	printf "$(printf "\\\\%03o" $((b ^ 1)))" |
	    dd of="$2" bs=1 seek="$1" conv=notrunc 2>/dev/null
}

test_expect_success 'the untouched snapshot verifies' '
	"$CUSTOS" verify --pubkey "$PUB" ev.tar >out &&
	test_grep "^result: *VALID$" out
'

test_expect_success 'a flipped byte anywhere fails verification (8), named' '
	size=$(stat -c %s ev.tar) &&
	c=$(offset_of "#custos-custody 1") &&
	m=$(offset_of "#custos-baseline 2") &&
	hdr=$(offset_of "tree/etc/passwd") &&
	pax=$(offset_of "CUSTOS.sha256=") &&
	data=$(offset_of "root:x:0:0") &&
	for pos in 0 300 $c $((c + 40)) $hdr $((hdr + 130)) $pax \
	    $((pax + 20)) $data 5000 100000 250000 $m $((m + 200)) \
	    $((size - 700)) $((size - 1)); do
		cp ev.tar f.tar && cp ev.tar.custody f.tar.custody &&
		flip $pos f.tar &&
		rc=0 &&
		"$CUSTOS" verify -q --pubkey "$PUB" f.tar 2>err || rc=$?
		test $rc -ne 0 && test $rc -lt 126 ||
		    { echo "byte $pos: rc $rc"; exit 1; }
		test -s err || { echo "byte $pos: no message"; exit 1; }
		echo "byte $pos: rc $rc: $(head -n 1 err)"
	done
'

test_expect_success 'altered file data names the member' '
	cp ev.tar f.tar && cp ev.tar.custody f.tar.custody &&
	flip $(offset_of "root:x:0:0") f.tar &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" f.tar 2>err &&
	test_grep "member .tree/etc/passwd.: content does not match" err &&
	test_grep "stream-sha256" err
'

test_expect_success 'altered custody member and manifest are named' '
	cp ev.tar f.tar && cp ev.tar.custody f.tar.custody &&
	flip $(( $(offset_of "#custos-custody 1") + 30 )) f.tar &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" f.tar 2>err &&
	test_grep "custos/custody" err &&
	cp ev.tar f.tar &&
	flip $(( $(offset_of "#custos-baseline 2") + 100 )) f.tar &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" f.tar 2>err &&
	test_grep "custos/manifest.cbl" err
'

test_expect_success 'a flipped padding byte is caught by the stream digest' '
	cp ev.tar f.tar && cp ev.tar.custody f.tar.custody &&
	flip $(( $(stat -c %s ev.tar) - 1 )) f.tar &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" f.tar 2>err &&
	test_grep "stream-sha256. does not match" err
'

test_expect_success 'a truncated archive: clear error naming the last member' '
	for n in 100000 200000 $(( $(stat -c %s ev.tar) - 10240 )); do
		head -c $n ev.tar >t.tar && cp ev.tar.custody t.tar.custody &&
		test_must_fail "$CUSTOS" verify -q --pubkey "$PUB" t.tar 2>err &&
		{ grep -q "truncated" err || grep -q "stream-size" err; } ||
		    { cat err; exit 1; }
	done &&
	head -c 200000 ev.tar >t.tar &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" t.tar 2>err &&
	test_grep "truncated or damaged .* member .tree/data/blob." err
'

test_expect_success 'a missing custody record is an error (named)' '
	cp ev.tar nc.tar &&
	test_must_fail "$CUSTOS" verify -q --pubkey "$PUB" nc.tar 2>err &&
	test_grep "custody record missing: cannot open .nc.tar.custody." err
'

test_expect_success 'a custody record of another snapshot is refused' '
	"$CUSTOS" snapshot -q --case C2 --label L1 --operator O --key "$KEY" \
	    -o other.tar tree &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" \
	    --custody other.tar.custody ev.tar 2>err &&
	test_grep "field .case. does not match" err
'

test_expect_success 'an altered custody record is refused' '
	sed "s/^operator=O$/operator=X/" ev.tar.custody >alt.custody &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" \
	    --custody alt.custody ev.tar 2>err &&
	test_grep "alt.custody.*altered" err
'

test_expect_success 'the wrong key is refused, naming the signed parts' '
	test_expect_code 8 "$CUSTOS" verify -q \
	    --pubkey "$FIXTURES/keys/test-enc.pub" ev.tar 2>err &&
	test_grep "custos/custody. is signed by key" err &&
	test_grep "custos/manifest.cbl. is signed by key" err
'

test_expect_success 'the signer fingerprint works like the key' '
	fp=$(openssl pkey -pubin -in "$PUB" -outform DER | sha256sum | cut -c1-64) &&
	"$CUSTOS" verify -q --signer "$fp" ev.tar
'

test_expect_success 'an unsigned snapshot needs --allow-unsigned' '
	"$CUSTOS" snapshot -q --case C --label L --operator O -o u.tar tree &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" u.tar 2>err &&
	test_grep "NOT SIGNED" err &&
	"$CUSTOS" verify -q --allow-unsigned u.tar
'

test_done
