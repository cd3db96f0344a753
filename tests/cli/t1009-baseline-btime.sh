#!/bin/bash
# t1009: the birth time (statx btime) is recorded in baselines as an
# informational field: not compared unless a policy asks (+btime), kept
# through an evidence tar (LIBARCHIVE.creationtime) and read from a
# foreign tar that has it, and given to timelines as a body file's crtime.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/etc &&
printf 'root:x:0:0\n' >tree/etc/passwd &&
printf 'data\n' >tree/file || exit 99
# BTIME: the filesystem of the trash directory keeps birth times.
if [ "$(stat -c %W tree/file)" != 0 ] && [ "$(stat -c %W tree/file)" != - ]
then
	cs_prereq_cache="$cs_prereq_cache BTIME=1 "
else
	cs_prereq_cache="$cs_prereq_cache BTIME=0 "
fi
printf '* -inode\n' >quiet.policy
printf '* -inode,+btime\n' >btime.policy

test_expect_success BTIME 'a baseline records the birth time' '
	"$CUSTOS" baseline -q -o b1.cbl tree &&
	test_grep -q "^/file .* ctime=[0-9.]* btime=$(stat -c %W tree/file)\.[0-9]\{9\} ino=" \
	    b1.cbl
'

test_expect_success BTIME 'a file made anew: btime differs, not reported' '
	cp -p tree/file tree/file.new && mv tree/file.new tree/file &&
	touch -d @1700000000 tree tree/file &&
	"$CUSTOS" baseline -q -o b0.cbl tree &&
	cp -p tree/file tree/file.new && mv tree/file.new tree/file &&
	touch -d @1700000000 tree tree/file &&
	"$CUSTOS" baseline -q -o b2.cbl tree &&
	test "$(grep "^/file " b0.cbl | sed "s/.* btime=\([0-9.]*\) .*/\1/")" \
	    != "$(grep "^/file " b2.cbl | sed "s/.* btime=\([0-9.]*\) .*/\1/")" &&
	"$CUSTOS" diff --allow-unsigned --policy quiet.policy --format line \
	    b0.cbl b2.cbl >out &&
	test_must_fail grep btime out
'

test_expect_success BTIME 'reported when the policy asks (+btime)' '
	test_expect_code 4 "$CUSTOS" diff --allow-unsigned \
	    --policy btime.policy --format line b0.cbl b2.cbl >out &&
	test_grep "^[a-z]* changed /file btime=" out
'

test_expect_success BTIME 'kept through an evidence tar' '
	"$CUSTOS" snapshot -q --case C --label L --operator op -o ev.tar \
	    tree >/dev/null &&
	"$CUSTOS" baseline -q --allow-unsigned -o b3.cbl ev.tar 2>/dev/null &&
	grep -v "^#" b3.cbl >got &&
	"$CUSTOS" baseline -q -o b4.cbl tree &&
	grep -v "^#" b4.cbl >want &&
	test_cmp want got &&
	test_grep -q " btime=" got
'

test_expect_success BTIME,PYTHON 'the tar member carries LIBARCHIVE.creationtime' '
	python3 -c "import sys, tarfile
for m in tarfile.open(sys.argv[1]).getmembers():
    print(m.name, m.pax_headers.get(\"LIBARCHIVE.creationtime\", \"-\"))
" ev.tar >pax &&
	test_grep -x "tree/file $(stat -c %W tree/file)\.[0-9]\{9\}" pax &&
	test_grep -x "custos/custody -" pax
'

test_expect_success BTIME 'a body file has it as crtime' '
	"$CUSTOS" export -q --format bodyfile -o body tree &&
	test_grep -q "^0|/file|[0-9]*|r/rrw-r--r--|.*|$(stat -c %W tree/file)$" \
	    body &&
	"$CUSTOS" export -q --format bodyfile --allow-unsigned -o body2 \
	    ev.tar 2>/dev/null &&
	test_cmp body body2
'

test_expect_success BTIME,PYTHON 'JSON export has it as btime' '
	"$CUSTOS" export -q --format json -o json tree &&
	python3 -c "
import calendar, json, sys, time
for l in sys.stdin:
    r = json.loads(l)
    if r[\"path\"] == \"/file\":
        t = r[\"btime\"].split(\".\")[0]
        print(calendar.timegm(time.strptime(t, \"%Y-%m-%dT%H:%M:%S\")))
" <json >got &&
	test "$(cat got)" = "$(stat -c %W tree/file)"
'

test_expect_success PYTHON 'a foreign tar with LIBARCHIVE.creationtime' '
	python3 -c "import sys, tarfile
with tarfile.open(sys.argv[1], \"w\", format=tarfile.PAX_FORMAT) as t:
    ti = tarfile.TarInfo(\"f\")
    ti.size = 2
    ti.mtime = 1700000000
    ti.pax_headers = {\"LIBARCHIVE.creationtime\": \"1600000000.5\"}
    import io
    t.addfile(ti, io.BytesIO(b\"x\\n\"))
" foreign.tar &&
	test_expect_code 16 "$CUSTOS" baseline -q --allow-unsigned \
	    -o f.cbl foreign.tar 2>/dev/null &&
	test_grep -q "^/f .* btime=1600000000.500000000 " f.cbl &&
	test_expect_code 16 "$CUSTOS" export -q --format bodyfile \
	    --allow-unsigned -o fbody foreign.tar 2>/dev/null &&
	test_grep -q "^0|/f|.*|1600000000$" fbody
'

test_expect_success BTIME '"all" does not include btime' '
	printf "* +all,-inode,-ctime\n" >all.policy &&
	"$CUSTOS" diff --allow-unsigned --policy all.policy --format line \
	    b0.cbl b2.cbl >out &&
	test_must_fail grep btime out
'

test_done
