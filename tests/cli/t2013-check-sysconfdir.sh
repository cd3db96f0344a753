#!/bin/bash
# t2013: without --policy, check reads $(sysconfdir)/custos/default.policy,
# and CUSTOS_SYSCONFDIR stands in for $(sysconfdir); the harness points it
# at an empty directory, so a policy installed on the machine never
# reaches a test.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/data
printf 'a\n' >tree/data/file

test_expect_success 'baseline, then a change' '
	"$CUSTOS" baseline -q -o base.cbl tree &&
	printf "b\n" >tree/data/file
'

test_expect_success 'the harness gives an empty configuration directory' '
	test -n "$CUSTOS_SYSCONFDIR" && test -d "$CUSTOS_SYSCONFDIR" &&
	test -z "$(ls -A "$CUSTOS_SYSCONFDIR")"
'

test_expect_success 'the harness default: built-in policy, change found' '
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    tree >r &&
	test_grep "/data/file" r
'

test_expect_success 'a policy planted in the configuration directory is used' '
	mkdir -p etc/custos &&
	printf "/* ignore\n" >etc/custos/default.policy &&
	CUSTOS_SYSCONFDIR="$PWD/etc" "$CUSTOS" check -q --allow-unsigned \
	    -b base.cbl --format json tree >r.json &&
	! grep -q "/data/file" r.json &&
	test_grep "\"ignored\":[1-9]" r.json
'

test_expect_success 'an explicit --policy wins over the planted one' '
	printf "# nothing\n" >p &&
	CUSTOS_SYSCONFDIR="$PWD/etc" test_expect_code 4 "$CUSTOS" check -q \
	    --allow-unsigned --policy p -b base.cbl tree >r &&
	test_grep "/data/file" r
'

test_done
