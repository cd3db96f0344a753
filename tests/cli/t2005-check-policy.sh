#!/bin/bash
# t2005: policy files: ignore, attribute groups, severity, last match
# wins, parse errors with line numbers; the default policy parses.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/data tree/cache tree/home/bob
printf 'a\n' >tree/data/file
printf 'c\n' >tree/cache/junk
printf 'd\n' >tree/home/bob/doc

test_expect_success 'baseline and changes' '
	"$CUSTOS" baseline -q -o base.cbl tree &&
	printf "b\n" >tree/data/file && touch -d "2030-01-01" tree/data/file &&
	printf "x\n" >tree/cache/junk &&
	chmod 600 tree/home/bob/doc
'

test_expect_success 'ignore, -content, severity; the last line wins' '
	cat >p <<-\EOF &&
	# comment
	/cache/*     ignore
	/cache       -times
	/data/file   -content,+ctime      # trailing comment
	/data/file   -ctime
	/data        -times
	/home/*      severity=info
	/home/bob/*  severity=medium
	EOF
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned --policy p \
	    -b base.cbl --format json >r.json &&
	! grep -q "/cache/junk" r.json &&
	test_grep "\"ignored\":1" r.json &&
	test_grep "\"path\":\"/data/file\",\"kind\":\"changed\",\"object\":\"file\",\"severity\":\"low\",\"reasons\":\[\],\"techniques\":\[\],\"changes\":\[{\"attr\":\"mtime\"" r.json &&
	! grep -q "\"attr\":\"ctime\"" r.json &&
	test_grep "\"path\":\"/home/bob/doc\".*\"severity\":\"medium\"" r.json
'

test_expect_success 'parse errors name the file and line (65)' '
	printf "/a ignore\n\n/b frobnicate\n" >bad &&
	test_expect_code 65 "$CUSTOS" check -q --allow-unsigned --policy bad \
	    -b base.cbl 2>err &&
	test_grep "^custos: check: bad:3: unknown rule$" err &&
	printf "/a\n" >bad2 &&
	test_expect_code 65 "$CUSTOS" check -q --allow-unsigned --policy bad2 \
	    -b base.cbl 2>err &&
	test_grep "bad2:1: expected GLOB RULE" err &&
	printf "/a severity=urgent\n" >bad3 &&
	test_expect_code 65 "$CUSTOS" check -q --allow-unsigned --policy bad3 \
	    -b base.cbl 2>err &&
	test_grep "bad3:1: unknown severity" err &&
	test_expect_code 66 "$CUSTOS" check -q --allow-unsigned --policy nope \
	    -b base.cbl
'

test_expect_success 'the shipped default policy parses' '
	"$CUSTOS" check -q --allow-unsigned --policy "$CS_SRCDIR/etc/default.policy" \
	    -b base.cbl >out || test $? -lt 8 &&
	test_grep "^policy: .*default.policy$" out
'

test_expect_success 'a line that matches nothing in the baseline is a warning naming it' '
	printf "/data/*  severity=low\n\n/nowhere/*  ignore\n*.bak  -times\n" >unused &&
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned --policy unused \
	    -b base.cbl >out &&
	test_grep "^warning: *policy lines that match nothing in the baseline: unused:3 ./nowhere/\*., unused:4 .\*\.bak.$" out &&
	test_must_fail grep -q "unused:1" out
'

test_done
