#!/bin/bash
# t4101: the steps of custos-evidence(5), "VERIFYING WITH STOCK TOOLS",
# run with GNU tar, sha256sum and openssl only; and they catch tampering.
. "$(dirname "$0")/lib.sh"

PUB="$FIXTURES/keys/test.pub"
"$FIXTURES/mktree.sh" "$TRASH/tree"
"$CUSTOS" snapshot -q --case C --label L --operator O \
    --key "$FIXTURES/keys/test.key" -o E tree || exit 99
chattr -i E 2>/dev/null

# field NAME FILE: the value of NAME= in a custody record.
field() {
	sed -n "s/^$1=//p" "$2"
}

# end_sha FILE: the sha256= of the #end line.
end_sha() {
	tail -n 2 "$1" | head -n 1 | sed 's/.* sha256=//'
}

# sig_ok FILE: step 2/3's openssl signature check of a signed record.
sig_ok() {
	tail -n 2 "$1" | head -n 1 >end.txt &&
	tail -n 1 "$1" | sed 's/.* sig=//' | openssl base64 -d -A >sig.bin &&
	openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in end.txt \
	    -sigfile sig.bin
}

test_expect_success OPENSSL 'step 1: the stream digest matches sha256sum' '
	test "$(sha256sum <E | cut -c1-64)" = "$(field stream-sha256 E.custody)"
'

test_expect_success OPENSSL 'step 2: custody record digest and signature' '
	test "$(head -n -2 E.custody | sha256sum | cut -c1-64)" = \
	    "$(end_sha E.custody)" &&
	sig_ok E.custody
'

test_expect_success GNUTAR,OPENSSL 'step 3: manifest digest and signature' '
	tar --warning=no-unknown-keyword -xOf E custos/manifest.cbl >m.cbl &&
	test "$(sha256sum <m.cbl | cut -c1-64)" = \
	    "$(field manifest-sha256 E.custody)" &&
	test "$(head -n -2 m.cbl | sha256sum | cut -c1-64)" = "$(end_sha m.cbl)" &&
	sig_ok m.cbl
'

test_expect_success GNUTAR 'step 4: every file matches the manifest' '
	mkdir x && tar --warning=no-unknown-keyword -xf E -C x tree &&
	grep " type=file .* sha256=" m.cbl | while read -r p rest; do
		want=$(echo "$rest" | sed "s/.* sha256=\([0-9a-f]*\).*/\1/")
		f=$(printf "%bX" "x/tree$p"); f=${f%X}
		test "$(sha256sum <"$f" | cut -c1-64)" = "$want" ||
		    echo "MISMATCH: $p"
	done >mismatch &&
	test ! -s mismatch &&
	test "$(grep -c " type=file .* sha256=" m.cbl)" -ge 12
'

test_expect_success GNUTAR,OPENSSL 'the same steps catch an altered file and record' '
	cp E E2 && chmod u+w E2 &&
	off=$(grep -a -b -o -F "ssh-ed25519 AAAA" E2 | head -n 1 | cut -d: -f1) &&
	printf X | dd of=E2 bs=1 seek=$off conv=notrunc 2>/dev/null &&
	test "$(sha256sum <E2 | cut -c1-64)" != "$(field stream-sha256 E.custody)" &&
	mkdir y && tar --warning=no-unknown-keyword -xf E2 -C y tree &&
	f=y/tree/home/alice/.ssh/authorized_keys &&
	want=$(grep "^/home/alice/.ssh/authorized_keys " m.cbl |
	    sed "s/.* sha256=\([0-9a-f]*\).*/\1/") &&
	test "$(sha256sum <$f | cut -c1-64)" != "$want" &&
	sed "s/^operator=O$/operator=X/" E.custody >bad.custody &&
	test "$(head -n -2 bad.custody | sha256sum | cut -c1-64)" != \
	    "$(end_sha bad.custody)"
'

test_done
