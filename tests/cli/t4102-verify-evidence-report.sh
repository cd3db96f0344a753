#!/bin/bash
# t4102: what verify and check say about an altered evidence tar: every
# problem on standard error in the order it was found, then the summary;
# verify's report on standard output (none with -q), check's none at all.
. "$(dirname "$0")/lib.sh"

KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"
POLICY="$CS_SRCDIR/etc/default.policy"
mkdir -p tree/data
echo hello >tree/data/small
"$CUSTOS" baseline -q --policy "$POLICY" -o base.cbl tree || exit 99
"$CUSTOS" snapshot -q --case C1 --label L1 --operator O --key "$KEY" \
    -o ev.tar tree || exit 99
chattr -i ev.tar 2>/dev/null
cp ev.tar f.tar && cp ev.tar.custody f.tar.custody || exit 99
# Alter the content of tree/data/small: "hello" becomes "iello".
pos=$(grep -a -b -o -F hello f.tar | head -n 1 | cut -d: -f1)
printf 'i' | dd of=f.tar bs=1 seek="$pos" conv=notrunc 2>/dev/null || exit 99

# The three problems, in the order one pass over the archive finds them
# (a pipe); from a file, the custody record's stream digest comes first.
{
	echo "member 'tree/data/small': content does not match the sha256" \
	    "in its header (altered)"
	echo "custody record: field 'stream-sha256' does not match the" \
	    "archive's digest"
	echo "member 'tree/data/small' differs from the manifest in sha256" \
	    "(altered)"
} >problems
echo "'f.tar' DOES NOT VERIFY (3 problems, listed above)" >summary

# strip CMD FILE: the messages in FILE without "custos: CMD: " and digest.
strip() {
	sed -e "s/^custos: $1: //" -e 's/ [0-9a-f]\{64\} (the archive.*//' "$2"
}

test_expect_success 'verify: the stream digest first, then the members' '
	test_expect_code 8 "$CUSTOS" verify --pubkey "$PUB" f.tar >out 2>err &&
	strip verify err >got &&
	sed -n "2p" problems >want &&
	sed -n "1p" problems >>want &&
	sed -n "3p" problems >>want &&
	cat summary >>want &&
	test_cmp want got
'

test_expect_success 'verify: the report, with its fields and counts' '
	test_grep "^file: *f.tar$" out &&
	test_grep "^format: *custos evidence tar 1$" out &&
	test_grep "^case: *C1$" out &&
	test_grep "^label: *L1$" out &&
	test_grep "^operator: *O$" out &&
	test_grep "^status: *complete$" out &&
	test_grep "^members: *[0-9]* ([0-9]* manifest records)$" out &&
	test_grep "^stream sha256: *[0-9a-f]\{64\} ([0-9]* bytes)$" out &&
	test_grep "^custody record: *f.tar.custody$" out &&
	test_grep "^custody sig: *good, by the trusted key$" out &&
	test_grep "^manifest sig: *good, by the trusted key$" out &&
	test_grep "^result: *DOES NOT VERIFY$" out &&
	test $(wc -l <out) -eq 15
'

test_expect_success 'verify -q: the same problems, no report' '
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" f.tar \
	    >qout 2>qerr &&
	test_cmp err qerr &&
	test ! -s qout
'

test_expect_success 'check of the file: the sidecar first, no report' '
	test_expect_code 8 "$CUSTOS" check -q --pubkey "$PUB" -b base.cbl \
	    --allow-unsigned --policy "$POLICY" f.tar >cout 2>cerr &&
	test ! -s cout &&
	strip check cerr >got &&
	sed -n "2p" problems >want &&
	sed -n "1p" problems >>want &&
	sed -n "3p" problems >>want &&
	cat summary >>want &&
	test_cmp want got
'

test_expect_success 'check through a pipe: one pass, the order of verify' '
	cat f.tar | test_expect_code 8 "$CUSTOS" check -q --pubkey "$PUB" \
	    -b base.cbl --allow-unsigned --policy "$POLICY" \
	    --custody f.tar.custody /dev/stdin >pout 2>perr &&
	test ! -s pout &&
	strip check perr >got &&
	sed "s/f\.tar/\/dev\/stdin/" summary | cat problems - >want &&
	test_cmp want got
'

test_done
