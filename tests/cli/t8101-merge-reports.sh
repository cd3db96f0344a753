#!/bin/bash
# t8101: custos merge --reports.  The reports of check --shard of the
# hostile tree, 4 shards of one plan, merge into the report of the
# unsharded check (but its time); a shard missing, repeated or of another
# plan is refused.  The JSON Lines report of a check of a
# changed tree is cut into parts by path, each part a report of its own
# (its findings in order, its counts, its end record), as the shards of
# one check write them; merged, the parts give back the report of the
# whole check byte for byte: findings in order, counts summed, timeline
# and plan recomputed over all.  Parts that overlap, come from another
# host, are out of order or malformed are refused, naming the file (and
# the line).  With --root, what a start-up file in one part names in
# another (ld.so.preload and the library it loads) is raised as check
# raises it; with -b, an added file of one part that is a copy of a
# baseline file of another is named so.
. "$(dirname "$0")/lib.sh"

POLICY="$CS_SRCDIR/etc/default.policy"

# split REPORT PREFIX CUT...: parts PREFIX1.jsonl ... of REPORT, cut before
# each path CUT (canonical order); part 1 keeps the time and the object
# counts, the others count nothing but their findings.
split_report() {
	python3 - "$@" <<-\PY
	import json, sys
	src, prefix, cuts = sys.argv[1], sys.argv[2], sys.argv[3:]
	lines = [json.loads(l) for l in open(src)]
	summary, findings = lines[0], [r for r in lines if r["type"] == "finding"]
	def key(p):
	    return p.encode().replace(b"/", b"\0")
	def part_of(p):
	    return sum(1 for c in cuts if key(p) >= key(c))
	kinds = ["added", "removed", "changed", "type-changed", "not-compared"]
	bits = {"added": 1, "removed": 2, "changed": 4, "type-changed": 4,
	    "not-compared": 16}
	for i in range(len(cuts) + 1):
	    fs = [f for f in findings if part_of(f["path"]) == i]
	    s = json.loads(json.dumps(summary))
	    if i > 0:
	        s["seconds"] = 0
	        for k in ("objects", "baseline_objects", "bytes"):
	            s[k] = 0
	        for k in s["counts"]:
	            s["counts"][k] = 0
	        s["exit"] = 0
	    # an append-only file that only grew counts as appended
	    for k in kinds:
	        s["counts"][k] = sum(1 for f in fs if f["kind"] == k and
	            not f["appended"])
	    s["counts"]["appended"] = sum(1 for f in fs if f["appended"])
	    for k in s["severity"]:
	        s["severity"][k] = sum(1 for f in fs if f["severity"] == k)
	    if i > 0:
	        for f in fs:
	            s["exit"] |= bits[f["kind"]]
	    with open("%s%d.jsonl" % (prefix, i + 1), "w") as out:
	        for r in [s] + fs + [{"type": "end", "findings": len(fs),
	            "exit": s["exit"]}]:
	            out.write(json.dumps(r, separators=(",", ":")) + "\n")
	PY
}

test_expect_success PYTHON 'setup: a report of a changed tree' '
	mkdir -p t/usr/local/bin t/etc t/home/u t/srv t/var/log &&
	echo "root:x:0:0::/root:/bin/sh" >t/etc/passwd &&
	echo a >t/etc/hosts && echo x >t/home/u/notes &&
	echo log >t/var/log/syslog && echo m >t/srv/mode &&
	"$CUSTOS" baseline -q --policy "$POLICY" -o b.cbl t &&
	printf "\177ELFx" >t/usr/local/bin/helper &&
	chmod 4755 t/usr/local/bin/helper &&
	echo b >>t/etc/hosts && rm t/home/u/notes &&
	echo y >t/home/u/notes2 && echo more >>t/var/log/syslog &&
	chmod 600 t/srv/mode && ln -s "../etc/odd name=" t/srv/link &&
	test_expect_code 7 "$CUSTOS" check -q -b b.cbl --allow-unsigned \
	    --policy "$POLICY" --format json -o whole.jsonl t &&
	test "$(grep -c "\"type\":\"finding\"" whole.jsonl)" -gt 8 &&
	split_report whole.jsonl p /home /srv /usr &&
	test "$(grep -c "\"type\":\"finding\"" p2.jsonl)" -gt 0 &&
	test "$(grep -c "\"type\":\"finding\"" p4.jsonl)" -gt 0
'

test_expect_success PYTHON 'the parts merge into the whole report, byte for byte' '
	test_expect_code 7 "$CUSTOS" merge --reports -o merged.jsonl \
	    p1.jsonl p2.jsonl p3.jsonl p4.jsonl &&
	test_cmp whole.jsonl merged.jsonl &&
	test_expect_code 7 "$CUSTOS" merge --reports p4.jsonl p2.jsonl \
	    p1.jsonl p3.jsonl >any-order.jsonl &&
	test_cmp whole.jsonl any-order.jsonl
'

test_expect_success PYTHON 'text: the merged report is the one check writes (but the time)' '
	test_expect_code 7 "$CUSTOS" check -q -b b.cbl --allow-unsigned \
	    --policy "$POLICY" -o whole.txt t &&
	test_expect_code 7 "$CUSTOS" merge --reports --format text \
	    p1.jsonl p2.jsonl p3.jsonl p4.jsonl >merged.txt &&
	test_grep "^critical added  *file /usr/local/bin/helper$" merged.txt &&
	grep -v "^examined:" whole.txt >want &&
	grep -v "^examined:" merged.txt >got &&
	test_cmp want got
'

test_expect_success PYTHON 'overlapping parts are refused, naming both' '
	test_expect_code 65 "$CUSTOS" merge --reports -o no.jsonl \
	    p1.jsonl p2.jsonl p2.jsonl 2>err &&
	test_grep "p2.jsonl. line [0-9]* and .p2.jsonl. line [0-9]* report the same path" err &&
	! test -e no.jsonl
'

test_expect_success PYTHON 'a part of another host is refused' '
	sed "1s/\"host\":\"[^\"]*\"/\"host\":\"elsewhere\"/" p3.jsonl >other.jsonl &&
	test_expect_code 65 "$CUSTOS" merge --reports p1.jsonl other.jsonl 2>err &&
	test_grep "other.jsonl. is a report of another host or root than .p1.jsonl." err
'

test_expect_success PYTHON 'an unsorted or truncated part is refused with its line' '
	{ sed -n 1p p2.jsonl && sed -n 3p p2.jsonl && sed -n 2p p2.jsonl &&
	    sed -n "4,\$p" p2.jsonl; } >swapped.jsonl &&
	test_expect_code 65 "$CUSTOS" merge --reports p1.jsonl \
	    swapped.jsonl 2>err &&
	test_grep "swapped.jsonl. line 3: findings out of order" err &&
	head -n 2 p4.jsonl >cut.jsonl &&
	test_expect_code 65 "$CUSTOS" merge --reports p1.jsonl cut.jsonl 2>err &&
	test_grep "cut.jsonl. line 2: no end record" err &&
	test_expect_code 64 "$CUSTOS" merge --reports 2>err &&
	test_grep "no reports to merge" err
'

test_expect_success PYTHON 'with --root, a library named by a start-up file of another part is raised' '
	mkdir -p c/etc c/usr/local/lib c/usr/bin &&
	echo "# none" >c/etc/ld.so.preload && echo b >c/usr/bin/true &&
	"$CUSTOS" baseline -q --policy "$POLICY" -o c0.cbl c &&
	echo /usr/local/lib/libevil.so >c/etc/ld.so.preload &&
	printf "\177ELFlib" >c/usr/local/lib/libevil.so &&
	cp c/usr/bin/true c/etc/truecopy &&
	"$CUSTOS" baseline -q --policy "$POLICY" -o c1.cbl c &&
	test_expect_code 5 "$CUSTOS" diff --allow-unsigned --policy "$POLICY" \
	    --format json c0.cbl c1.cbl >d.jsonl &&
	split_report d.jsonl d /usr &&
	test_expect_code 5 "$CUSTOS" check -q -b c0.cbl --allow-unsigned \
	    --policy "$POLICY" --format json -o k.jsonl c &&
	grep "\"finding\".*libevil" k.jsonl >want &&
	test_grep "\"severity\":\"critical\".*\"related\":\"/etc/ld.so.preload\"" want &&
	test_expect_code 5 "$CUSTOS" merge --reports d1.jsonl d2.jsonl >plain &&
	test_must_fail grep -q "\"related\"" plain &&
	test_expect_code 5 "$CUSTOS" merge --reports --root c \
	    d1.jsonl d2.jsonl >merged &&
	grep "\"finding\".*libevil" merged >got &&
	test_cmp want got &&
	grep "\"finding\".*libevil" plain >before &&
	test_grep "\"severity\":\"high\"" before
'

test_expect_success PYTHON 'with -b, a copy of a baseline file of another part is named' '
	grep "\"finding\".*truecopy" d.jsonl >want &&
	test_grep "\"copy_of\":\"/usr/bin/true\"" want &&
	sed "s/,\"copy_of\":\"[^\"]*\"//" d1.jsonl >e1.jsonl &&
	test_expect_code 5 "$CUSTOS" merge --reports e1.jsonl d2.jsonl >plain &&
	test_must_fail grep -q "copy_of" plain &&
	test_expect_code 5 "$CUSTOS" merge --reports -b c0.cbl \
	    --allow-unsigned e1.jsonl d2.jsonl >merged &&
	grep "\"finding\".*truecopy" merged >got &&
	test_cmp want got &&
	test_expect_code 64 "$CUSTOS" merge --reports -b c0.cbl \
	    e1.jsonl d2.jsonl 2>err &&
	test_grep "no trusted key for the baseline" err &&
	echo "# altered" >>c0.cbl &&
	test_must_fail "$CUSTOS" merge --reports -b c0.cbl \
	    --allow-unsigned -o no.jsonl e1.jsonl d2.jsonl &&
	! test -e no.jsonl
'

# shard_check I: the report of check --shard I/4 of tree h (exit bits only).
shard_check() {
	"$CUSTOS" check -q -b h0.cbl --allow-unsigned --policy "$POLICY" \
	    --shard "$1/4" --plan h.plan --format json -o "s$1.jsonl" h
	test $? -lt 32
}

test_expect_success PYTHON 'the reports of check --shard merge into the unsharded report' '
	"$FIXTURES/mktree.sh" "$TRASH/h" &&
	"$CUSTOS" baseline -q --policy "$POLICY" -o h0.cbl h &&
	"$CUSTOS" plan -q --shards 4 -o h.plan h &&
	for f in $(find h -type f | sort | sed -n "1p;7p;13p;19p;25p"); do
		echo changed >>"$f" || return 1
	done &&
	mkdir -p h/usr/local/bin && printf "\177ELF" >h/usr/local/bin/new &&
	chmod 4755 h/usr/local/bin/new &&
	shard_check 1 && shard_check 2 && shard_check 3 && shard_check 4 &&
	test "$(cat s1.jsonl s2.jsonl s3.jsonl s4.jsonl |
	    grep -c "\"type\":\"finding\"")" -gt 5 &&
	{ "$CUSTOS" check -q -b h0.cbl --allow-unsigned --policy "$POLICY" \
	    --format json -o whole-h.jsonl h; test $? -lt 32; } &&
	{ "$CUSTOS" merge --reports -o merged-h.jsonl s3.jsonl s1.jsonl \
	    s4.jsonl s2.jsonl; test $? -lt 32; } &&
	sed "1s/\"seconds\":[0-9.]*,//" whole-h.jsonl >want &&
	sed "1s/\"seconds\":[0-9.]*,//" merged-h.jsonl >got &&
	test_cmp want got
'

test_expect_success PYTHON 'shards missing, repeated or of another plan are refused' '
	test_expect_code 65 "$CUSTOS" merge --reports s1.jsonl s2.jsonl \
	    s4.jsonl 2>err &&
	test_grep "shard 3/4 is missing" err &&
	test_expect_code 65 "$CUSTOS" merge --reports s1.jsonl s2.jsonl \
	    s3.jsonl s4.jsonl s2.jsonl 2>err &&
	test_grep "s2.jsonl.: the same shard again" err &&
	sed "1s/\"plan_sha256\":\"./\"plan_sha256\":\"x/" s4.jsonl >other.jsonl &&
	test_expect_code 65 "$CUSTOS" merge --reports s1.jsonl s2.jsonl \
	    s3.jsonl other.jsonl 2>err &&
	test_grep "other.jsonl.: a shard of another plan" err &&
	test_expect_code 65 "$CUSTOS" merge --reports s1.jsonl s2.jsonl \
	    s3.jsonl s4.jsonl whole-h.jsonl 2>err &&
	test_grep "whole-h.jsonl.: not a report of check --shard" err
'

test_done
