#!/bin/bash
# t8000: shards.  custos plan cuts a tree into N ranges of the canonical
# order; baseline --shard writes one range; merge verifies the parts of
# one plan and writes the records of an unsharded run, byte for byte, and
# refuses missing, repeated, overlapping, foreign and altered parts,
# naming them; check --shard reports only what lies in its range.  GNU
# parallel runs the shards as local jobs (the recipe of custos-scale(7)).
. "$(dirname "$0")/lib.sh"

POL="--policy $CS_SRCDIR/etc/default.policy"

# A few hundred files in nested directories, some names hostile.
for d in $(seq -w 1 24); do
	for s in a b 'c d'; do
		mkdir -p "tree/d$d/$s" || exit 99
		for f in 1 2 3 4; do
			echo "$d $s $f" >"tree/d$d/$s/f$f" || exit 99
		done
	done
done
mkdir -p tree/d07/deep/er/still/deeper "tree/d10/a!" tree/d10/a.b \
    "tree/d05/new
line" "tree/d12/$(printf '\377\376')" || exit 99
echo deep >tree/d07/deep/er/still/deeper/file
echo bang >"tree/d10/a!/x"
echo nl >"tree/d05/new
line/f"
echo latin >"tree/d12/$(printf '\377\376')/$(printf 'caf\351')"
echo top >tree/top

# records FILE: a baseline's record lines (header and trailer begin "#").
records() {
	grep -v '^#' "$1"
}

# shards N PREFIX [ARGS...]: baseline each of N shards into PREFIX$i.cbl.
shards() {
	n=$1 p=$2
	shift 2
	for i in $(seq 1 "$n"); do
		custos baseline -q $POL --shard "$i/$n" "$@" -o "$p$i.cbl" tree ||
		    return 1
	done
}

test_expect_success 'the unsharded baseline' '
	custos baseline -q $POL -o full.cbl tree &&
	records full.cbl >full.rec &&
	test "$(wc -l <full.rec)" -gt 300
'

test_expect_success 'plan: N ranges, contiguous, digest of the file' '
	custos plan --shards 4 -o plan4 tree 2>err &&
	head -n 4 plan4 >head &&
	printf "#custos-plan 1\n#root=%s\n#shards=4\n#depth=4\n" \
	    "$(cd tree && pwd -P)" >want &&
	test_cmp want head &&
	test "$(grep -c "^[1-4] " plan4)" = 4 &&
	grep "^1 - /d0" plan4 && grep "^4 /d[12][0-9]" plan4 &&
	grep "^4 .* -$" plan4 && tail -n 1 plan4 | grep -x "#end" &&
	test_grep "sha256 $(sha256sum <plan4 | cut -c1-64)" err
'

test_expect_success 'plan: the same while file contents change' '
	custos plan -q --shards 16 -o a.plan tree &&
	cp tree/d09/a/f1 saved && echo changed >tree/d09/a/f1 &&
	custos plan -q --shards 16 -o b.plan tree &&
	cp saved tree/d09/a/f1 &&
	test_cmp a.plan b.plan &&
	custos baseline -q $POL -o full.cbl -f tree && records full.cbl >full.rec
'

test_expect_success 'plan: bad N and bad plans are refused' '
	test_expect_code 64 custos plan --shards 0 tree &&
	test_expect_code 64 custos plan --shards 04 tree &&
	test_expect_code 64 custos plan tree &&
	sed "s/^2 /2  /" plan4 >bad.plan &&
	test_expect_code 65 custos baseline -q --shard 1/4 --plan bad.plan \
	    -o x.cbl tree 2>err && test_grep "bad.plan" err &&
	test_expect_code 64 custos baseline -q --shard 1/3 --plan plan4 \
	    -o x.cbl tree 2>err && test_grep "has 4 shards" err &&
	test_expect_code 64 custos baseline -q --shard 5/4 -o x.cbl tree &&
	test_expect_code 64 custos baseline -q --plan plan4 -o x.cbl tree &&
	test ! -e x.cbl
'

for n in 1 4 16; do
	test_expect_success "$n shards merge into the records of one run" '
		custos plan -q -f --shards '$n' -o plan'$n' tree &&
		shards '$n' s'$n'- --plan plan'$n' &&
		custos merge -q -o m'$n'.cbl s'$n'-*.cbl &&
		records m'$n'.cbl >m.rec &&
		cmp full.rec m.rec &&
		custos verify --allow-unsigned m'$n'.cbl >/dev/null &&
		test_grep -x "#shards='$n'" m'$n'.cbl
	'
done

test_expect_success 'fewer directories than shards: empty shards merge too' '
	mkdir -p small/a small/b && echo 1 >small/a/f && echo 2 >small/top &&
	custos baseline -q $POL -o small.cbl small &&
	custos plan -q --shards 6 -o small.plan small &&
	for i in 1 2 3 4 5 6; do
		custos baseline -q $POL --shard $i/6 --plan small.plan \
		    -o e$i.cbl small || return 1
	done &&
	grep -L "^/" e?.cbl >empty && test -s empty &&
	custos verify --allow-unsigned $(head -n 1 empty) >/dev/null &&
	custos merge -q -o small-m.cbl e?.cbl &&
	records small.cbl >s.rec && records small-m.cbl | cmp s.rec -
'

test_expect_success 'a shard: its range and plan in the header, nothing else' '
	test_grep -x "#shard=2/4" s4-2.cbl &&
	test_grep "^#shard-from=/" s4-2.cbl &&
	test_grep "^#shard-to=/" s4-2.cbl &&
	test_grep -x "#plan-sha256=$(sha256sum <plan4 | cut -c1-64)" \
	    s4-2.cbl &&
	! grep "^#shard-from" s4-1.cbl && ! grep "^#shard-to" s4-4.cbl &&
	! grep "^/ " s4-2.cbl && grep "^/ " s4-1.cbl &&
	custos verify --allow-unsigned s4-2.cbl >/dev/null
'

test_expect_success 'without --plan the shards make the same plan' '
	shards 16 r16- &&
	custos merge -q -o r16.cbl r16-*.cbl &&
	records r16.cbl | cmp full.rec -
'

test_expect_success 'merge signs with --key; signed parts need a key' '
	custos keygen --no-passphrase -o k >/dev/null &&
	custos merge -q --key k.key -o signed.cbl s4-1.cbl s4-2.cbl \
	    s4-3.cbl s4-4.cbl &&
	custos verify --pubkey k.pub signed.cbl >/dev/null &&
	custos sign -k k.key -o s4-2s.cbl s4-2.cbl >/dev/null &&
	test_expect_code 8 custos merge -q -o x.cbl s4-1.cbl s4-2s.cbl \
	    s4-3.cbl s4-4.cbl 2>err && test_grep "s4-2s.cbl.*signed" err &&
	test_expect_code 8 custos merge -q --pubkey k.pub -o x.cbl \
	    s4-1.cbl s4-2s.cbl s4-3.cbl s4-4.cbl 2>err &&
	test_grep "s4-1.cbl.*NOT SIGNED" err &&
	custos merge -q --pubkey k.pub --allow-unsigned -o x.cbl \
	    s4-1.cbl s4-2s.cbl s4-3.cbl s4-4.cbl &&
	records x.cbl | cmp full.rec - && rm x.cbl
'

test_expect_success 'merge refuses a missing part' '
	test_expect_code 65 custos merge -o x.cbl s4-1.cbl s4-2.cbl \
	    s4-4.cbl 2>err &&
	test_grep "shard 3/4 is missing" err && test ! -e x.cbl
'

test_expect_success 'merge refuses a repeated part, naming both' '
	cp s4-2.cbl again.cbl &&
	test_expect_code 65 custos merge -o x.cbl s4-1.cbl s4-2.cbl \
	    again.cbl s4-3.cbl s4-4.cbl 2>err &&
	test_grep "again.cbl.*is shard 2/4, as .s4-2.cbl" err
'

test_expect_success 'merge refuses a part of another plan, naming it' '
	test_expect_code 65 custos merge -o x.cbl s4-1.cbl s16-2.cbl \
	    s4-3.cbl s4-4.cbl 2>err &&
	test_grep "s16-2.cbl.*another plan" err
'

test_expect_success 'merge refuses a part altered by one byte, naming it' '
	sed "0,/ type=file mode=0644 /s// type=file mode=0664 /" s4-3.cbl \
	    >tampered.cbl &&
	! cmp -s s4-3.cbl tampered.cbl &&
	test_expect_code 8 custos merge -o x.cbl s4-1.cbl s4-2.cbl \
	    tampered.cbl s4-4.cbl 2>err &&
	test_grep "tampered.cbl" err && test ! -e x.cbl
'

# forge FILE KEY VALUE OUT: FILE with header KEY set to VALUE and the
# trailer made to match (an unsigned part proves nothing about itself).
forge() {
	sed -e "s|^#$2=.*|#$2=$3|" -e '/^#end /d' "$1" >"$4.body" &&
	tail -n 1 "$1" | sed "s/sha256=.*/sha256=$(sha256sum <"$4.body" |
	    cut -c1-64)/" >"$4.end" &&
	cat "$4.body" "$4.end" >"$4" && rm "$4.body" "$4.end"
}

test_expect_success 'merge refuses overlapping parts, naming both' '
	to3=$(sed -n "s/^#shard-to=//p" s4-3.cbl) &&
	forge s4-2.cbl shard-to "$to3" wide.cbl &&
	custos verify --allow-unsigned wide.cbl >/dev/null &&
	test_expect_code 65 custos merge -o x.cbl s4-1.cbl wide.cbl \
	    s4-3.cbl s4-4.cbl 2>err &&
	test_grep "s4-3.cbl.*overlaps the range of .wide.cbl" err &&
	forge s4-2.cbl shard-to "$(sed -n "s/^#shard-from=//p" s4-2.cbl)/z" \
	    short.cbl &&
	test_expect_code 65 custos merge -o x.cbl s4-1.cbl short.cbl \
	    s4-3.cbl s4-4.cbl 2>err &&
	test_grep "s4-3.cbl.*leaves a gap after .short.cbl" err
'

test_expect_success 'a part holding a record outside its range is refused' '
	from2=$(sed -n "s/^#shard-from=//p" s4-2.cbl) &&
	forge s4-2.cbl shard-to "$from2/zz" narrow.cbl &&
	forge s4-3.cbl shard-from "$from2/zz" wider.cbl &&
	test_expect_code 65 custos merge -o x.cbl s4-1.cbl narrow.cbl \
	    wider.cbl s4-4.cbl 2>err &&
	test_grep "narrow.cbl.*outside the shard" err && test ! -e x.cbl
'

test_expect_success 'check --shard reports a change in its range only' '
	echo planted >tree/d20/b/f3 && rm "tree/d05/c d/f2" &&
	for i in 1 2 3 4; do
		rc=0
		custos check -q $POL --allow-unsigned -b full.cbl \
		    --shard $i/4 --plan plan4 -F line -o c$i.txt tree || rc=$?
		test $rc -lt 64 || return 1
		grep -q . c$i.txt || test $rc = 0 || return 1
	done &&
	cat c1.txt c2.txt c3.txt c4.txt >all.txt &&
	test "$(grep -c " /d20/b/f3 " all.txt)" = 1 &&
	test "$(grep -c "removed /d05/c\\\\x20d/f2 " all.txt)" = 1 &&
	test "$(grep -c "changed /d20/b/f3 " all.txt)" = 1 &&
	test_expect_code 6 custos check -q $POL --allow-unsigned -b full.cbl \
	    -F line -o one.txt tree &&
	sort one.txt >one.sorted && sort all.txt >all.sorted &&
	test_cmp one.sorted all.sorted
'

test_expect_success 'check --shard: the report names the shard and plan' '
	{ custos check -q $POL --allow-unsigned -b full.cbl --shard 4/4 \
	    --plan plan4 -F json -o r.json tree || test $? -lt 64; } &&
	head -n 1 r.json >sum.json &&
	test_grep "\"shard\":\"4/4\",\"plan_sha256\":\"$(sha256sum <plan4 |
	    cut -c1-64)\",\"shard_from\":\"/d" sum.json &&
	test_grep "\"shard_to\":null" sum.json
'

test_expect_success PARALLEL 'GNU parallel runs the shards, merge the same' '
	custos baseline -q $POL -o full2.cbl tree &&
	records full2.cbl >f2.rec &&
	parallel -j 2 custos baseline -q $POL --shard {}/4 --plan plan4 \
	    -o par{}.cbl tree ::: 1 2 3 4 &&
	custos merge -q -o par.cbl par1.cbl par2.cbl par3.cbl par4.cbl &&
	records par.cbl | cmp f2.rec -
'

test_done
