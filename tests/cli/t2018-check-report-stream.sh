#!/bin/bash
# t2018: the report is streamed to its output as it is written: with -o
# it is the same, byte for byte, as on standard output; an output that
# fails part way is an I/O error (74) that leaves no file behind; and
# the memory a check takes does not grow with the size of its report.
# The memory test makes 200,000 findings (CS_STREAM_FILES to change).
. "$(dirname "$0")/lib.sh"

N=${CS_STREAM_FILES:-200000}
CHECK_RSS=1
# AddressSanitizer's shadow memory says nothing about custos's own use.
if ldd "$CUSTOS" 2>/dev/null | grep -q libasan; then
	say "sanitizer build: the RSS bound is not checked"
	CHECK_RSS=
	N=${CS_STREAM_FILES:-20000}
fi

# mkfiles.py DIR N: N small files of different contents in DIR/dNNN/.
cat >mkfiles.py <<'PY'
import os, sys
top, n = sys.argv[1], int(sys.argv[2])
for d in range((n + 999) // 1000):
    p = os.path.join(top, "d%03d" % d)
    os.mkdir(p)
    for i in range(min(1000, n - d * 1000)):
        with open(os.path.join(p, "f%04d" % i), "w") as f:
            f.write("%d\n" % (d * 1000 + i))
PY

# chk ARGS...: check the tree "tree" against base.cbl.
chk() {
	"$CUSTOS" check -q --allow-unsigned \
	    --policy "$CS_SRCDIR/etc/default.policy" -b base.cbl "$@" tree
}

# norm FILE: the report without the run's duration.
norm() {
	sed -E -e 's/, [0-9]+\.[0-9]+ s$/, S s/' \
	    -e 's/"seconds":[0-9.]+/"seconds":S/' "$1"
}

test_expect_success PYTHON 'a tree, its baseline, then 6000 files more' '
	mkdir -p tree/etc tree/usr/bin &&
	echo conf >tree/etc/conf &&
	echo prog >tree/usr/bin/prog &&
	"$CUSTOS" baseline -q -o base.cbl tree &&
	echo changed >tree/etc/conf &&
	chmod 4755 tree/usr/bin/prog &&
	mkdir tree/srv &&
	python3 mkfiles.py tree/srv 6000
'

for fmt in text line json; do
	test_expect_success PYTHON "-F $fmt: -o REPORT is standard output's" "
		test_expect_code 5 chk -F $fmt -o rep.$fmt &&
		test_expect_code 5 chk -F $fmt >out.$fmt &&
		test \$(wc -c <rep.$fmt) -gt 1048576 &&
		norm rep.$fmt >a &&
		norm out.$fmt >b &&
		test_cmp a b
	"
done

test_expect_success PYTHON 'the text report holds every part' '
	test "$(grep -c "^low      added" rep.text)" -ge 6000 &&
	test_grep "^TIMELINE" rep.text &&
	test_grep "^REBUILD PLAN" rep.text &&
	test "$(tail -n 1 rep.text)" = "exit:       5"
'

test_expect_success PYTHON 'standard output that fails: 74' '
	test_expect_code 74 chk -o - >/dev/full 2>err &&
	test_grep "cannot write the report" err
'

test_expect_success PYTHON 'a file that cannot grow: 74, and no file left' '
	mkdir out &&
	test_expect_code 74 bash -c "trap \"\" XFSZ; ulimit -f 1024; \
	    \"\$CUSTOS\" check -q --allow-unsigned \
	    --policy \"\$CS_SRCDIR/etc/default.policy\" -b base.cbl \
	    -o out/rep tree" 2>err &&
	test_grep "cannot write the report" err &&
	test -z "$(ls -A out)"
'

test_expect_success PYTHON 'an existing report is kept without -f' '
	echo keep >out/rep &&
	test_expect_code 73 chk -o out/rep &&
	test "$(cat out/rep)" = keep &&
	test_expect_code 5 chk -f -o out/rep &&
	norm out/rep >a &&
	norm out.text >b &&
	test_cmp a b
'

# mkbase.py A N B: the baseline B, that of A with N files more (and their
# directories), with a correct trailer: 200,000 findings of "custos diff"
# without making (and removing) that many files.
cat >mkbase.py <<'PY'
import hashlib, sys
a, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [l for l in open(a, "rb").read().split(b"\n") if l]
body = [l for l in lines if not l.startswith(b"#end ")]
meta = (b" mode=0644 uid=0 gid=0 user=root group=root size=2"
        b" mtime=1700000000.500000000 ctime=%d.500000000 nlink=1"
        b" sha256=" + b"ab" * 32)
for d in range((n + 999) // 1000):
    body.append(b"/d%03d type=dir mode=0755 uid=0 gid=0 user=root"
                b" group=root size=0 mtime=1700000000.500000000 nlink=2" % d)
    for i in range(min(1000, n - d * 1000)):
        body.append(b"/d%03d/f%04d type=file" % (d, i) +
                    meta % (1700000000 + d * 1000 + i))
recs = sum(1 for l in body if l.startswith(b"/"))
data = b"\n".join(body) + b"\n"
h = hashlib.sha256(data).hexdigest().encode()
open(out, "wb").write(data + b"#end records=%d errors=0 sha256=%s\n" %
                      (recs, h))
PY

test_expect_success PYTHON "an empty tree's baseline, and one of $N files" '
	mkdir empty &&
	"$CUSTOS" baseline -q -o empty.cbl empty &&
	python3 mkbase.py empty.cbl "$N" more.cbl
'

# With the report held whole in memory, the JSON report (over 150 MiB
# here) would add its size to the peak; streamed, it adds a buffer.  The
# findings themselves are still all in memory (about as much as the
# report), so the peak is compared with that of the same comparison
# whose report is empty.
test_expect_success PYTHON,/usr/bin/time 'the report does not add to the peak' '
	test_expect_code 1 /usr/bin/time -f %M -o rss.big "$CUSTOS" diff -q \
	    --allow-unsigned --policy "$CS_SRCDIR/etc/default.policy" \
	    -F json -o big.json empty.cbl more.cbl &&
	test "$(grep -c "^{\"type\":\"finding\",\"path\":\"/d[0-9]*/f" \
	    big.json)" -eq "$N" &&
	test_expect_code 1 /usr/bin/time -f %M -o rss.small "$CUSTOS" diff \
	    -q --allow-unsigned --policy "$CS_SRCDIR/etc/default.policy" \
	    -F line --min-severity critical -o small empty.cbl more.cbl &&
	test -f small &&
	test ! -s small &&
	size=$(($(wc -c <big.json) / 1024)) &&
	big=$(tail -n 1 rss.big) &&
	small=$(tail -n 1 rss.small) &&
	echo "report: $size KiB; peak RSS: $big KiB, $small KiB with" \
	    "an empty report" &&
	{ test -z "$CHECK_RSS" || test $((big - small)) -lt $((size / 8)); }
'

test_done
