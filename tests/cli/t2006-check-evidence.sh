#!/bin/bash
# t2006: an evidence tar as the source of "custos check" is verified before
# it is believed: a byte changed in a member's data is an integrity failure
# (exit 8) naming the member, with no report, from a file or a pipe; the
# intact tar checks clean; the evidence is checked with check's trust
# anchor.  A foreign tar (GNU tar, bsdtar) is compared, sorted, under an
# UNVERIFIED EVIDENCE warning and with exit bit 16.
. "$(dirname "$0")/lib.sh"

KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"
POL="$CS_SRCDIR/etc/default.policy"
"$FIXTURES/mktree.sh" "$TRASH/tree" >/dev/null
rm -f tree/srv/socket		# no tar format holds a socket
"$CUSTOS" baseline -q --key "$KEY" -o base.cbl tree || exit 99
"$CUSTOS" snapshot -q --case C1 --label L1 --operator O --key "$KEY" \
    -o ev.tar tree || exit 99
chattr -i ev.tar 2>/dev/null

# check ARGS...: custos check against the signed baseline.
check() {
	"$CUSTOS" check -q -b base.cbl --pubkey "$PUB" --policy "$POL" "$@"
}

# flip POS FILE: invert the low bit of the byte at POS.
flip() {
	b=$(od -An -tu1 -j"$1" -N1 "$2" | tr -d " ") &&
	printf "$(printf "\\\\%03o" $((b ^ 1)))" |
	    dd of="$2" bs=1 seek="$1" conv=notrunc 2>/dev/null
}

# tampered: bad.tar (and its custody record), one byte of the data of
# tree/etc/passwd changed.
tampered() {
	cp ev.tar bad.tar && cp ev.tar.custody bad.tar.custody &&
	flip $(grep -a -b -o -F "root:x:0:0" bad.tar | head -n 1 |
	    cut -d: -f1) bad.tar
}

test_expect_success 'the intact evidence tar checks clean (0)' '
	check ev.tar >out &&
	test_grep "^source: *tar ev.tar" out &&
	test_grep "^No differences." out &&
	! grep -i "unverified\|NOT verified" out
'

test_expect_success 'a byte changed in a member: exit 8, the member named' '
	tampered &&
	test_expect_code 8 check bad.tar >out 2>err &&
	test_grep "member .tree/etc/passwd.: content does not match" err &&
	test_grep "DOES NOT VERIFY" err &&
	test_must_fail test -s out &&
	test_expect_code 8 "$CUSTOS" verify -q --pubkey "$PUB" bad.tar 2>verr &&
	test_grep "DOES NOT VERIFY" verr
'

test_expect_success GNUTAR 'evidence stripped of its custody record is altered evidence (8), not foreign' '
	cp ev.tar strip.tar && cp ev.tar.custody strip.tar.custody &&
	tar --delete -f strip.tar custos/custody &&
	test_expect_code 8 check strip.tar >out 2>err &&
	test_grep "not the custody record" err &&
	test_must_fail test -s out &&
	rm strip.tar.custody &&
	test_expect_code 8 check strip.tar >out 2>err &&
	test_grep "custos/manifest.cbl. out of its place: altered custos evidence" err &&
	test_must_fail test -s out
'

test_expect_success 'the evidence is checked with the trust anchor' '
	"$CUSTOS" keygen --no-passphrase -o other >/dev/null 2>&1 &&
	"$CUSTOS" snapshot -q --case C1 --label L1 --operator O \
	    --key other.key -o other.tar tree &&
	chattr -i other.tar 2>/dev/null;
	test_expect_code 8 check other.tar >out 2>err &&
	test_must_fail test -s out &&
	test_grep "custos/custody" err &&
	test_grep "DOES NOT VERIFY" err
'

test_expect_success 'an unsigned snapshot: only with --allow-unsigned, said' '
	"$CUSTOS" snapshot -q --case C1 --label L1 --operator O \
	    -o un.tar tree &&
	chattr -i un.tar 2>/dev/null;
	test_expect_code 8 check un.tar >out 2>err &&
	test_grep "NOT SIGNED" err &&
	check --allow-unsigned un.tar >out &&
	test_grep "^warning: *evidence .un.tar.: signatures NOT verified" out
'

test_expect_success 'a missing custody record is refused' '
	cp ev.tar lone.tar &&
	test_must_fail check lone.tar >out 2>err &&
	test_must_fail test -s out &&
	test_grep "custody record missing" err
'

test_expect_success 'through a pipe: the intact tar checks clean' '
	cat ev.tar | check --custody ev.tar.custody /dev/stdin >out &&
	test_grep "^No differences." out
'

test_expect_success 'through a pipe: a tampered tar, exit 8, nothing out' '
	tampered &&
	cat bad.tar | test_expect_code 8 check --custody bad.tar.custody \
	    /dev/stdin >out 2>err &&
	test_must_fail test -s out &&
	test_grep "member .tree/etc/passwd.: content does not match" err &&
	test_grep "stream-sha256" err
'

test_expect_success 'through a FIFO: intact clean, tampered 8' '
	mkfifo fifo &&
	{ cat ev.tar >fifo & } &&
	check --custody ev.tar.custody fifo >out &&
	test_grep "^No differences." out &&
	{ cat bad.tar >fifo & } &&
	test_expect_code 8 check --custody bad.tar.custody fifo >out 2>err &&
	test_must_fail test -s out
'

# The tree changed before it was tarred: a back door and a lost key.
cp -a tree tree2
cp tree2/bin/hello tree2/bin/sh-backdoor
chmod 4755 tree2/bin/sh-backdoor
echo 'evil:x:0:0::/:/bin/sh' >>tree2/etc/passwd
rm tree2/home/alice/.ssh/authorized_keys

# foreign OUT TAR...: what check of TAR says; its exit status in OUT.rc.
foreign() {
	rc=0
	check "$2" >"$1" 2>"$1.err" || rc=$?
	echo $rc >"$1.rc"
}

test_expect_success GNUTAR 'GNU tar of the tree: UNVERIFIED EVIDENCE, bit 16' '
	tar --xattrs --acls -cf gnu.tar -C tree . &&
	foreign out gnu.tar &&
	test "$(cat out.rc)" = 16 &&
	test_grep "^warning: *UNVERIFIED EVIDENCE: .gnu.tar." out &&
	head -n 20 out | grep "^warning:" | head -n 1 | grep -q UNVERIFIED &&
	test_grep "^result: *0 added, 0 removed, 0 changed" out &&
	test_must_fail grep -q "^No differences\.$" out &&
	test_grep "^No differences in what could be compared, but the comparison is INCOMPLETE" out
'

test_expect_success GNUTAR 'GNU tar of a changed tree: the changes found' '
	tar --xattrs --acls -cf gnu2.tar -C tree2 . &&
	foreign out gnu2.tar &&
	test $(( $(cat out.rc) & 16 )) = 16 &&
	test $(( $(cat out.rc) & 7 )) = 7 &&
	test_grep "UNVERIFIED EVIDENCE" out &&
	test_grep "added *file /bin/sh-backdoor" out &&
	test_grep "changed *file /etc/passwd" out &&
	test_grep "removed *file /home/alice/.ssh/authorized_keys" out
'

# findings FILE: the findings of a report, one line each.
findings() {
	grep "^\(critical\|high\|medium\|low\|info\) " "$1"
}

test_expect_success GNUTAR 'GNU tar through a pipe: the same findings' '
	foreign out gnu2.tar &&
	cat gnu2.tar | test_expect_code 23 check /dev/stdin >pipe.out &&
	test_grep "UNVERIFIED EVIDENCE: ./dev/stdin." pipe.out &&
	findings out >a &&
	findings pipe.out >b &&
	test_cmp a b
'

test_expect_success GNUTAR 'a hard link gets its content from its target' '
	cp -a tree tree3 &&
	echo swapped >tree3/bin/hello &&
	tar --format=posix -cf gnu3.tar -C tree3 . &&
	foreign out gnu3.tar &&
	test_grep "changed *file /bin/hello-hardlink" out &&
	test_grep "^result: *0 added, 0 removed, 2 changed" out &&
	! grep "not-compared" out &&
	cat gnu3.tar | test_expect_code 20 check /dev/stdin >pipe.out &&
	findings out >a &&
	findings pipe.out >b &&
	test_cmp a b
'

test_expect_success BSDTAR 'bsdtar of the tree: UNVERIFIED EVIDENCE, bit 16' '
	bsdtar --format=pax -cf bsd.tar -C tree . 2>/dev/null &&
	foreign out bsd.tar &&
	test "$(cat out.rc)" = 16 &&
	test_grep "^warning: *UNVERIFIED EVIDENCE" out &&
	test_grep "^result: *0 added, 0 removed, 0 changed" out &&
	bsdtar --format=pax -cf bsd2.tar -C tree2 . 2>/dev/null &&
	foreign out2 bsd2.tar &&
	test $(( $(cat out2.rc) & 23 )) = 23 &&
	test_grep "added *file /bin/sh-backdoor" out2
'

# python_tar TAR NAME: a tar holding the file f under NAME.
python_tar() {
	python3 -c "import sys, tarfile
t = tarfile.open(sys.argv[1], \"w\")
i = t.gettarinfo(\"f\")
i.name = sys.argv[2]
t.addfile(i, open(\"f\", \"rb\"))" "$1" "$2"
}

test_expect_success PYTHON 'a foreign tar with ".." or an absolute name: refused' '
	echo x >f &&
	python_tar dots.tar ./a/../../etc/shadow &&
	test_expect_code 65 check dots.tar >out 2>err &&
	test_must_fail test -s out &&
	test_grep "member .\./a/\.\./\.\./etc/shadow. has a .\.\.. component" err &&
	python_tar abs.tar /etc/shadow &&
	test_expect_code 65 check abs.tar >out 2>err &&
	test_must_fail test -s out &&
	test_grep "member ./etc/shadow. has an absolute name" err
'

test_done
