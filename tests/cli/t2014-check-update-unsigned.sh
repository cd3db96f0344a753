#!/bin/bash
# t2014: update without --key writes an unsigned baseline, to be signed
# later with "custos sign" where the key is kept; with --key it warns
# when the new signer is not the old baseline's.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/etc tree/srv
printf 'a\n' >tree/etc/conf
printf 'b\n' >tree/srv/data

test_expect_success 'keys, signed baseline, a change' '
	"$CUSTOS" keygen --no-passphrase -o ops >/dev/null &&
	"$CUSTOS" keygen --no-passphrase -o other >/dev/null &&
	"$CUSTOS" baseline -q --key ops.key -o old.cbl tree &&
	printf "a2\n" >tree/etc/conf
'

test_expect_success 'update without --key: unsigned, and says so' '
	"$CUSTOS" update -b old.cbl --pubkey ops.pub --accept /etc \
	    -o new.cbl 2>err &&
	test_grep "unsigned (sign it with custos sign)" err &&
	! grep -q "^#signature " new.cbl &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey ops.pub new.cbl &&
	"$CUSTOS" verify -q --allow-unsigned new.cbl
'

test_expect_success 'signed later with custos sign, it verifies and checks clean' '
	"$CUSTOS" sign --key ops.key new.cbl >out &&
	test_grep "^signed new.cbl with key " out &&
	"$CUSTOS" verify --pubkey ops.pub new.cbl >v &&
	test_grep "^result: *VALID" v &&
	test_expect_code 0 "$CUSTOS" check -q --pubkey ops.pub -b new.cbl \
	    tree >r &&
	test_grep "^No differences.$" r
'

test_expect_success 'with --key of another signer: a warning naming both' '
	"$CUSTOS" update -q -b new.cbl --pubkey ops.pub --key other.key \
	    --accept-all -o other.cbl 2>err &&
	test_grep "signed by another key than the old one: was [0-9a-f ]*, now [0-9a-f ]*" err &&
	"$CUSTOS" verify -q --pubkey other.pub other.cbl
'

test_expect_success 'with the same signer: no warning' '
	"$CUSTOS" update -q -b new.cbl --pubkey ops.pub --key ops.key \
	    --accept-all -o same.cbl 2>err &&
	! grep -q "another key" err
'

test_expect_success 'an update written inside the tree leaves itself out' '
	mkdir -p in/d && printf "a\n" >in/d/f &&
	"$CUSTOS" baseline -q -o in.cbl in &&
	printf "b\n" >in/d/g &&
	"$CUSTOS" update -q -b in.cbl --allow-unsigned --accept-all \
	    -o in/new.cbl in &&
	grep -q "^/d/g " in/new.cbl &&
	test_must_fail grep -q "^/new\.cbl" in/new.cbl
'

test_done
