#!/bin/bash
# t4000: signatures: verify accepts a signed baseline, stock openssl
# verifies the same signature, and any changed byte is rejected.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/d && echo one >tree/d/f && echo two >tree/g && ln -s d tree/l

test_expect_success 'keys and a signed baseline' '
	"$CUSTOS" keygen --no-passphrase -o ops >keygen.out &&
	"$CUSTOS" keygen --no-passphrase -o other >/dev/null &&
	"$CUSTOS" baseline -q --key ops.key -o signed.cbl tree &&
	test_grep "^#signature ed25519 key=[0-9a-f]\{16\} pub=[A-Za-z0-9+/=]* sig=[A-Za-z0-9+/=]*$" signed.cbl
'

test_expect_success 'verify accepts it and says what it verified' '
	"$CUSTOS" verify --pubkey ops.pub signed.cbl >out &&
	keyid=$(sed -n "s/^key id: *//p" keygen.out) &&
	test_grep "^signed by: *$keyid$" out &&
	test_grep "^fingerprint: " out &&
	test_grep "^records: *5 (0 with errors)" out &&
	test_grep "^host: *$(uname -n)$" out &&
	test_grep "^created: *20[0-9-]*T[0-9:]*Z$" out &&
	test_grep "^digests: *sha256$" out &&
	test_grep "^result: *VALID$" out
'

test_expect_success 'verify with the fingerprint alone (--signer)' '
	fp=$(sed -n "s/^fingerprint: *//p" keygen.out) &&
	"$CUSTOS" verify --signer "$fp" signed.cbl >out &&
	test_grep "^result: *VALID$" out &&
	"$CUSTOS" verify -q --signer "$(echo "$fp" | tr -d " ")" signed.cbl
'

test_expect_success 'the wrong key or fingerprint is an integrity failure (8)' '
	test_expect_code 8 "$CUSTOS" verify --pubkey other.pub signed.cbl 2>err &&
	test_grep "not by the trusted key" err &&
	test_expect_code 8 "$CUSTOS" verify --signer \
	    "$(printf "%064d" 0)" signed.cbl
'

test_expect_success 'stock openssl verifies the same signature' '
	tail -n 2 signed.cbl | head -n 1 >end.txt &&
	tail -n 1 signed.cbl | sed "s/.* sig=//" | base64 -d >sig.bin &&
	openssl pkeyutl -verify -pubin -inkey ops.pub -rawin \
	    -in end.txt -sigfile sig.bin >ossl.out &&
	test_grep "Signature Verified Successfully" ossl.out &&
	want=$(sed "s/.* sha256=//" end.txt) &&
	test "$(head -n -2 signed.cbl | sha256sum | cut -c1-64)" = "$want" &&
	fp=$(openssl pkey -pubin -in ops.pub -outform DER | sha256sum | cut -c1-64) &&
	test "$(sed -n "s/^fingerprint: *//p" keygen.out | tr -d " ")" = "$fp"
'

test_expect_success 'every single flipped byte is rejected' '
	size=$(wc -c <signed.cbl) && accepted=0 && i=0 &&
	while [ $i -lt $size ]; do
		cp signed.cbl flip.cbl &&
		byte=$(od -An -tu1 -j $i -N1 signed.cbl | tr -d " ") &&
		printf "$(printf "\\\\%03o" $(( byte ^ 1 )))" |
		    dd of=flip.cbl bs=1 seek=$i conv=notrunc status=none &&
		if "$CUSTOS" verify -q --pubkey ops.pub flip.cbl 2>/dev/null; then
			echo "accepted with byte $i flipped"; accepted=$((accepted+1))
		fi
		i=$((i + 1))
	done &&
	echo "checked $size positions" &&
	test $accepted = 0
'

test_expect_success 'an altered record after a good signature exits 8' '
	sed "s/^\/g type=file mode=0644/\/g type=file mode=0666/" signed.cbl >alt.cbl &&
	test_expect_code 8 "$CUSTOS" verify --pubkey ops.pub alt.cbl 2>err &&
	test_grep "altered" err
'

test_expect_success 'unsigned: refused unless --allow-unsigned' '
	"$CUSTOS" baseline -q -o plain.cbl tree &&
	test_expect_code 8 "$CUSTOS" verify --pubkey ops.pub plain.cbl >out 2>err &&
	test_grep "NOT SIGNED" err &&
	test_grep "^signature: *NONE" out &&
	"$CUSTOS" verify --allow-unsigned plain.cbl >out &&
	test_grep "^signature: *NONE" out
'

test_expect_success 'verify without a trusted key is a usage error' '
	test_expect_code 64 "$CUSTOS" verify signed.cbl
'

test_expect_success 'sign an unsigned baseline in place, then it verifies' '
	cp plain.cbl inplace.cbl &&
	"$CUSTOS" sign --key ops.key inplace.cbl &&
	"$CUSTOS" verify -q --pubkey ops.pub inplace.cbl &&
	head -n -1 inplace.cbl >body && test_cmp plain.cbl body
'

test_expect_success 'sign into a new file; refuses an existing one' '
	"$CUSTOS" sign --key ops.key -o new.cbl plain.cbl &&
	"$CUSTOS" verify -q --pubkey ops.pub new.cbl &&
	test_expect_code 73 "$CUSTOS" sign --key ops.key -o new.cbl plain.cbl
'

test_expect_success 'sign refuses a signed file and a malformed one' '
	cp signed.cbl again.cbl &&
	test_expect_code 65 "$CUSTOS" sign --key ops.key again.cbl 2>err &&
	test_grep "already signed" err && test_cmp signed.cbl again.cbl &&
	sed "s/ mode=0644/ mode=644/" plain.cbl >broken.cbl &&
	cp broken.cbl broken.orig &&
	test_must_fail "$CUSTOS" sign --key ops.key broken.cbl 2>err &&
	test_cmp broken.orig broken.cbl
'

test_expect_success 'an encrypted key: right passphrase signs, wrong one fails (77)' '
	echo "correct horse" >pw && echo "wrong" >badpw &&
	"$CUSTOS" keygen -o enc --passphrase-file pw >/dev/null &&
	"$CUSTOS" baseline -q --key enc.key --passphrase-file pw -o e.cbl tree &&
	"$CUSTOS" verify -q --pubkey enc.pub e.cbl &&
	test_expect_code 77 "$CUSTOS" baseline --key enc.key \
	    --passphrase-file badpw -o e2.cbl tree &&
	test ! -e e2.cbl
'

test_done
