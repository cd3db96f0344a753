#!/bin/bash
# t2003: check trusts only a verified baseline; reports are valid JSON
# for hostile names; diff of two baselines; re-rooting; report output.
. "$(dirname "$0")/lib.sh"

"$FIXTURES/mktree.sh" "$TRASH/tree" >/dev/null

test_expect_success 'keys and a signed baseline' '
	"$CUSTOS" keygen --no-passphrase -o ops >keygen.out &&
	"$CUSTOS" keygen --no-passphrase -o other >/dev/null &&
	"$CUSTOS" baseline -q --key ops.key -o signed.cbl tree &&
	"$CUSTOS" baseline -q -o unsigned.cbl tree
'

test_expect_success 'a good signature: clean, exit 0, signer in the report' '
	test_expect_code 0 "$CUSTOS" check -q --pubkey ops.pub -b signed.cbl >out &&
	keyid=$(sed -n "s/^key id: *//p" keygen.out) &&
	test_grep "^  signer:   key $keyid, fingerprint [0-9a-f]\{64\}, signature good$" out &&
	! grep -q "^WARNING" out
'

test_expect_success 'the signer fingerprint works as the trust anchor' '
	fp=$(sed -n "s/^fingerprint: *//p" keygen.out) &&
	test_expect_code 0 "$CUSTOS" check -q --signer "$fp" -b signed.cbl >out
'

test_expect_success 'the wrong key is refused with 8 and no report' '
	test_expect_code 8 "$CUSTOS" check -q --pubkey other.pub -b signed.cbl \
	    >out 2>err &&
	test_must_fail test -s out &&
	test_grep "custos: check: " err
'

test_expect_success 'a tampered baseline is refused with 8' '
	sed "s/^\/srv\/data\/big \(.*\) size=100000 /\/srv\/data\/big \1 size=100001 /" \
	    signed.cbl >tampered.cbl &&
	! cmp -s signed.cbl tampered.cbl &&
	test_expect_code 8 "$CUSTOS" check -q --pubkey ops.pub -b tampered.cbl \
	    >out 2>err &&
	test_must_fail test -s out
'

test_expect_success 'a tampered unsigned baseline is refused with 8 too' '
	sed "s/^\/srv\/data\/big \(.*\) size=100000 /\/srv\/data\/big \1 size=100001 /" \
	    unsigned.cbl >tampered-u.cbl &&
	test_expect_code 8 "$CUSTOS" check -q --allow-unsigned -b tampered-u.cbl \
	    >out 2>err
'

test_expect_success 'malformed unsigned baselines with a right digest: refused, no report' '
	mkdir -p empty &&
	for f in out-of-order:65:"line 11: path out of canonical order" \
	    bad-field:65:"line 10: bad mode" duplicate:65:"line 11: path out" \
	    wrong-count:8:"line 13: record or error count"; do
		name=${f%%:*} && rest=${f#*:} && rc=${rest%%:*} &&
		msg=${rest#*:} &&
		rm -f rep out &&
		test_expect_code $rc "$CUSTOS" check -q --allow-unsigned \
		    -b "$FIXTURES/baselines/$name.cbl" --root empty -o rep \
		    2>err &&
		test_grep "^custos: check: .*$name.cbl. $msg" err &&
		test_must_fail test -e rep &&
		test_expect_code $rc "$CUSTOS" check -q --allow-unsigned \
		    -b "$FIXTURES/baselines/$name.cbl" --root empty >out \
		    2>err &&
		test_must_fail test -s out || exit 1
	done
'

test_expect_success 'unsigned: refused without --allow-unsigned, flagged with it' '
	test_expect_code 8 "$CUSTOS" check -q --pubkey ops.pub -b unsigned.cbl 2>err &&
	test_grep "NOT SIGNED" err &&
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned -b unsigned.cbl >out &&
	head -n 2 out | test_grep "^WARNING: the baseline is NOT SIGNED" &&
	"$CUSTOS" check -q --allow-unsigned -b unsigned.cbl --format json >j &&
	head -n 1 j | test_grep "\"signed\":false,\"verified\":false"
'

test_expect_success 'no trust anchor is a usage error' '
	test_expect_code 64 "$CUSTOS" check -b signed.cbl 2>err &&
	test_grep "no trusted key" err
'

test_expect_success PYTHON 'hostile names: JSON parses, no raw bytes anywhere' '
	for f in tree/srv/new*line tree/srv/with* tree/srv/back* tree/srv/caf* tree/srv/esc*; do
		printf "changed\n" >>"$f"
	done &&
	printf "x\n" >"tree/srv/$(printf "\033]0;owned\007")" &&
	printf "x\n" >"tree/srv/quote\"and\\\\back" &&
	test_expect_code 5 "$CUSTOS" check -q --pubkey ops.pub -b signed.cbl \
	    --format json >r.json &&
	python3 -c "import json,sys; [json.loads(l) for l in sys.stdin]" <r.json &&
	test "$(grep -c "\"type\":\"finding\"" r.json)" -ge 7 &&
	test_grep "\"path\":\"/srv/new\\\\\\\\x0aline\"" r.json &&
	test_grep "\"path\":\"/srv/\\\\\\\\x1b\\]0;owned\\\\\\\\x07\".*hidden or deceptive name" r.json &&
	test_expect_code 5 "$CUSTOS" check -q --pubkey ops.pub -b signed.cbl >r.txt &&
	! LC_ALL=C grep -q "[^ -~]" r.txt r.json
'

test_expect_success 'diff compares two baselines with the same reports' '
	"$CUSTOS" baseline -q --key ops.key -o later.cbl tree &&
	test_expect_code 5 "$CUSTOS" diff -q --pubkey ops.pub signed.cbl later.cbl \
	    --format json >d.json &&
	python3 -c "import json,sys; [json.loads(l) for l in sys.stdin]" <d.json &&
	head -n 1 d.json | test_grep "\"command\":\"diff\".*\"source\":\"baseline later.cbl\"" &&
	test_grep "\"path\":\"/srv/with\\\\\\\\x20space\",\"kind\":\"changed\"" d.json &&
	test_expect_code 8 "$CUSTOS" diff -q --pubkey ops.pub signed.cbl tampered.cbl
'

test_expect_success 'baselines with other digests: said, compared on the common ones' '
	"$CUSTOS" baseline -q --digest sha512 -o sha512.cbl tree &&
	"$CUSTOS" diff -q --allow-unsigned unsigned.cbl sha512.cbl >out || : &&
	test_grep "^warning: *digests differ (sha256 vs sha512): contents compared on none: size only" out
'

test_expect_success 're-rooting: SOURCE, --root and the warning' '
	cp -a tree copy &&
	printf "*  -inode\n" >copy.policy &&
	test_expect_code 0 "$CUSTOS" check -q --pubkey ops.pub -b later.cbl \
	    --policy copy.policy --root copy >out &&
	test_grep "^warning: *re-rooted: the baseline" out &&
	test_grep "^source: *tree copy$" out &&
	test_expect_code 4 "$CUSTOS" check -q --pubkey ops.pub -b later.cbl copy \
	    --format json >out &&
	test_grep "\"path\":\"/bin/hello\",\"kind\":\"changed\",\"object\":\"file\",\"severity\":\"medium\",\"reasons\":\[\"system file replaced by a copy (new inode)\"\],\"techniques\":\[\"T1554\"\],\"changes\":\[{\"attr\":\"ino\"" out &&
	test_expect_code 64 "$CUSTOS" check -q --pubkey ops.pub -b later.cbl --root copy copy
'

test_expect_success 'report file: atomic, never overwritten without --force' '
	"$CUSTOS" check -q --pubkey ops.pub -b later.cbl -o rep.txt &&
	test_grep "^No differences.$" rep.txt &&
	test_expect_code 73 "$CUSTOS" check -q --pubkey ops.pub -b later.cbl -o rep.txt &&
	"$CUSTOS" check -q --pubkey ops.pub -b later.cbl -o rep.txt -f --format json &&
	test_grep "^{\"type\":\"end\",\"findings\":0,\"exit\":0}$" rep.txt
'

test_expect_success 'a vanished source is an input error, not "everything removed"' '
	test_expect_code 66 "$CUSTOS" check -q --pubkey ops.pub -b later.cbl --root nowhere
'

test_done
