#!/bin/bash
# t1003: a signed baseline of this machine's /usr completes with no
# errors, and verifies.
. "$(dirname "$0")/lib.sh"

test_expect_success 'make a key' '
	"$CUSTOS" keygen --no-passphrase -o ops >keygen.out &&
	test -f ops.key && test -f ops.pub
'

test_expect_success 'baseline /usr, signed, without errors' '
	"$CUSTOS" baseline --key ops.key -o usr.cbl /usr 2>err &&
	test_grep "records, .* 0 errors" err &&
	test_grep "^#end records=[0-9]* errors=0 " usr.cbl &&
	test "$(grep -c "^/" usr.cbl)" -gt 1000
'

test_expect_success 'it holds /usr/bin/passwd as setuid root, hashed' '
	if [ -e /usr/bin/passwd ]; then
		grep "^/bin/passwd type=file mode=4755 uid=0 " usr.cbl >r &&
		test_grep " sha256=$(sha256sum </usr/bin/passwd | cut -c1-64)" r
	fi
'

test_expect_success 'the number of records matches find' '
	test "$(grep -c "^/" usr.cbl)" = "$(find /usr -xdev | wc -l)"
'

test_expect_success 'it verifies with the public key' '
	"$CUSTOS" verify --pubkey ops.pub usr.cbl >out &&
	test_grep "^result: *VALID" out &&
	test_grep "^root: */usr$" out
'

test_done
