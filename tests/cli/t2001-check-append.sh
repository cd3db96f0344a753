#!/bin/bash
# t2001: append-only files: growth with the old content intact passes;
# truncation, and an edit inside the old content, are flagged.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/var/log
for l in grown truncated edited wiped; do
	printf 'line 1\nline 2\nline 3\n' >tree/var/log/$l.log
done
printf '/var/log/*  append-only\n' >logs.policy

test_expect_success 'baseline' '
	"$CUSTOS" baseline -q -o base.cbl tree
'

test_expect_success 'an append alone passes (exit 0, shown as info)' '
	printf "line 4\n" >>tree/var/log/grown.log &&
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned \
	    --policy logs.policy -b base.cbl --format json >r.json &&
	test_grep "\"appended\":1" r.json &&
	test_grep "\"path\":\"/var/log/grown.log\",\"kind\":\"changed\",\"object\":\"file\",\"severity\":\"info\".*\"appended\":true" r.json &&
	! grep -q "append-only file truncated" r.json
'

test_expect_success 'truncation is flagged' '
	printf "line 1\n" >tree/var/log/truncated.log &&
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned \
	    --policy logs.policy -b base.cbl --format json >r.json &&
	test_grep "\"path\":\"/var/log/truncated.log\",\"kind\":\"changed\",\"object\":\"file\",\"severity\":\"high\",\"reasons\":\[\"append-only file truncated or rewritten\"\],\"techniques\":\[\"T1070.002\"\],\"changes\":\[{\"attr\":\"append-only\",\"name\":null,\"old\":\"intact\",\"new\":\"truncated\"}" r.json
'

test_expect_success 'an edit of old content that still grew is flagged' '
	printf "line 1\nLINE 2\nline 3\nline 4\n" >tree/var/log/edited.log &&
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned \
	    --policy logs.policy -b base.cbl --format json >r.json &&
	test_grep "\"path\":\"/var/log/edited.log\".*\"severity\":\"high\".*\"attr\":\"append-only\",\"name\":null,\"old\":\"intact\",\"new\":\"rewritten\"" r.json
'

test_expect_success 'a wiped log that still grew (same size old part rewritten) is flagged' '
	printf "xxxx 1\nxxxx 2\nxxxx 3\nmore\n" >tree/var/log/wiped.log &&
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned \
	    --policy logs.policy -b base.cbl >r.txt &&
	test_grep -A3 "^high .*/var/log/wiped.log" r.txt >w &&
	test_grep "append-only: intact -> rewritten" w
'

test_expect_success 'without the rule, growth is a plain content change' '
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    --format json >r.json &&
	test_grep "\"path\":\"/var/log/grown.log\".*\"attr\":\"size\"" r.json &&
	! grep -q "\"attr\":\"append-only\"" r.json
'

test_expect_success 'comparing two baselines: growth cannot be verified' '
	"$CUSTOS" baseline -q -o now.cbl tree &&
	test_expect_code 4 "$CUSTOS" diff -q --allow-unsigned \
	    --policy logs.policy base.cbl now.cbl --format json >r.json &&
	test_grep "\"path\":\"/var/log/grown.log\".*\"severity\":\"medium\",\"reasons\":\[\"append-only file grew, old content not verifiable\"\]" r.json
'

test_done
