#!/bin/bash
# t8100: custos fleet-report over the check reports of three hosts.  Each
# host's baseline is taken under its own host name (a UTS namespace, so
# the reports name three hosts); then the same back door, a setuid
# ELF-looking file in /usr/local/bin, is planted on all three, with noise
# that differs: a setuid file on one host only (as severe, but on one
# host), /etc/motd changed differently on each (same path,
# different content: no common finding).  The common finding comes first,
# on 3 hosts; the report is refused when two reports name one host or
# when one is malformed.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-fleet.sh"
POLICY=$FLEET_POLICY

# check N: host N's JSON Lines report (exit 5: added and changed).
check() {
	test_expect_code 5 "$CUSTOS" check -q -b "b$1.cbl" --allow-unsigned \
	    --policy "$POLICY" --format json -o "r$1.jsonl" "h$1" 2>/dev/null
}

test_expect_success UTSNS 'setup: three hosts, baselined, changed' '
	fleet_host 1 && fleet_host 2 && fleet_host 3 &&
	fleet_plant 1 && fleet_plant 2 && fleet_plant 3 &&
	printf "\177ELFother" >h2/usr/local/bin/only-here &&
	chmod 4755 h2/usr/local/bin/only-here &&
	check 1 && check 2 && check 3 &&
	grep -q "\"host\":\"web02\"" r2.jsonl
'

test_expect_success UTSNS 'text: the common back door first, on 3 hosts' '
	"$CUSTOS" fleet-report r1.jsonl r2.jsonl r3.jsonl >out &&
	sed -n 4p out >first &&
	test_grep "^3/3 critical added /usr/local/bin/sshd-helper sha256:" first &&
	sed -n 5p out >hosts &&
	test_grep "^    hosts: web01 web02 web03$" hosts &&
	test "$(grep -c "^3/3 critical " out)" = 1 &&
	test_grep "^3/3 info changed /usr/local/bin -$" out &&
	test_grep "^1/3 critical added /usr/local/bin/only-here " out &&
	test "$(grep -c "^1/3 [a-z]* changed /etc/motd " out)" = 3 &&
	test "$(grep -c "^1/3 [a-z]* added /home/u/todo" out)" = 3 &&
	test_grep " web02 r2.jsonl$" out
'

test_expect_success UTSNS '--min-hosts 2 keeps only the common finding' '
	"$CUSTOS" fleet-report --min-hosts 2 r3.jsonl r1.jsonl r2.jsonl >out &&
	test "$(grep -c "^[12]/3 " out)" = 0 &&
	sed -n 4,5p out >first &&
	test_grep "^3/3 critical added /usr/local/bin/sshd-helper" first &&
	test_grep "^    hosts: web03 web01 web02$" first &&
	test_grep "^(.* more on fewer than 2 hosts)$" out
'

test_expect_success UTSNS,PYTHON 'json: groups, then hosts, valid JSON' '
	"$CUSTOS" fleet-report --format json -o fleet.jsonl \
	    r1.jsonl r2.jsonl r3.jsonl &&
	python3 -c "
import json, sys
recs = [json.loads(l) for l in open(\"fleet.jsonl\")]
assert recs[0][\"type\"] == \"fleet\" and recs[0][\"hosts\"] == 3, recs[0]
g = recs[1]
assert g[\"type\"] == \"group\" and g[\"hosts\"] == 3, g
assert g[\"path\"] == \"/usr/local/bin/sshd-helper\", g
assert g[\"on\"] == [\"web01\", \"web02\", \"web03\"], g
assert g[\"digest\"].startswith(\"sha256:\"), g
hosts = [r for r in recs if r[\"type\"] == \"host\"]
assert [h[\"host\"] for h in hosts] == [\"web01\", \"web02\", \"web03\"]
assert hosts[1][\"severity\"][\"critical\"] == 2, hosts[1]
"
'

test_expect_success UTSNS 'two reports of one host are refused' '
	cp r1.jsonl again.jsonl &&
	test_expect_code 65 "$CUSTOS" fleet-report r1.jsonl r2.jsonl \
	    again.jsonl 2>err &&
	test_grep "both reports of host .web01." err
'

test_expect_success UTSNS 'a truncated report is refused with its line' '
	head -n 2 r2.jsonl >cut.jsonl &&
	test_expect_code 65 "$CUSTOS" fleet-report r1.jsonl cut.jsonl 2>err &&
	test_grep "cut.jsonl. line 2: no end record" err &&
	sed "2s/\"kind\":\"added\"/\"kind\":\"planted\"/" r1.jsonl >bad.jsonl &&
	test_expect_code 65 "$CUSTOS" fleet-report bad.jsonl 2>err &&
	test_grep "bad.jsonl. line 2: bad member .kind." err
'

test_done
