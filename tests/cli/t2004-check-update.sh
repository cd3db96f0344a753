#!/bin/bash
# t2004: update writes a new signed baseline with only the accepted
# changes, so that they are not reported again.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/etc/apt tree/usr/bin tree/srv
printf 'deb old\n' >tree/etc/apt/sources.list
printf 'v1\n' >tree/usr/bin/app
printf 'keep\n' >tree/srv/keep
printf 'gone\n' >tree/srv/gone

test_expect_success 'keys, baseline, changes' '
	"$CUSTOS" keygen --no-passphrase -o ops >/dev/null &&
	"$CUSTOS" baseline -q --key ops.key -o old.cbl tree &&
	printf "deb new\n" >tree/etc/apt/sources.list &&
	printf "v2\n" >tree/usr/bin/app &&
	printf "changed\n" >tree/srv/keep &&
	rm tree/srv/gone &&
	printf "new\n" >tree/srv/added
'

test_expect_success 'accept some: only those leave the report' '
	"$CUSTOS" update -q -b old.cbl --pubkey ops.pub --key ops.key \
	    --accept /etc/apt --accept "/usr/bin/*" --accept /srv/gone \
	    -o new.cbl &&
	"$CUSTOS" verify -q --pubkey ops.pub new.cbl &&
	test_grep "^#updated-from=[0-9a-f]\{64\}$" new.cbl &&
	test_expect_code 5 "$CUSTOS" check -q --pubkey ops.pub -b new.cbl \
	    --format json >r.json &&
	grep "\"type\":\"finding\"" r.json | sed "s/.*\"path\":\"\([^\"]*\)\",\"kind\":\"\([a-z-]*\)\".*/\1 \2/" | sort >got &&
	printf "%s\n" "/srv changed" "/srv/added added" "/srv/keep changed" | sort >want &&
	test_cmp want got
'

test_expect_success 'accept-all: the new baseline checks clean' '
	"$CUSTOS" update -q -b new.cbl --pubkey ops.pub --key ops.key \
	    --accept-all -o all.cbl &&
	test_expect_code 0 "$CUSTOS" check -q --pubkey ops.pub -b all.cbl >out &&
	test_grep "^No differences.$" out
'

test_expect_success 'an accepted path takes its new parent directories along' '
	mkdir -p tree/opt/vendor/bin &&
	printf "tool\n" >tree/opt/vendor/bin/tool &&
	printf "other\n" >tree/opt/vendor/other &&
	"$CUSTOS" update -q -b old.cbl --pubkey ops.pub --key ops.key \
	    --accept /opt/vendor/bin/tool -o parents.cbl &&
	"$CUSTOS" verify -q --pubkey ops.pub parents.cbl &&
	grep "^/opt type=dir " parents.cbl &&
	grep "^/opt/vendor type=dir " parents.cbl &&
	grep "^/opt/vendor/bin type=dir " parents.cbl &&
	grep "^/opt/vendor/bin/tool type=file " parents.cbl &&
	! grep "^/opt/vendor/other " parents.cbl &&
	rm -r tree/opt
'

test_expect_success 'update refuses a bad baseline, and needs something to accept' '
	"$CUSTOS" keygen --no-passphrase -o other >/dev/null &&
	test_expect_code 8 "$CUSTOS" update -q -b old.cbl --pubkey other.pub \
	    --key ops.key --accept-all -o x.cbl &&
	test ! -e x.cbl &&
	test_expect_code 64 "$CUSTOS" update -q -b old.cbl --pubkey ops.pub \
	    --key ops.key -o x.cbl &&
	test_expect_code 73 "$CUSTOS" update -q -b old.cbl --pubkey ops.pub \
	    --key ops.key --accept-all -o new.cbl
'

test_done
