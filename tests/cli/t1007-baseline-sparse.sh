#!/bin/bash
# t1007: sparse files cost their data, not their holes.  A 1 TiB file
# with a few data islands is baselined in seconds with a zero-run digest
# (sha256z) that "custos digest --sparse" and the reference snippet of
# custos-baseline(5) give too; a 3 GiB sparse file below the threshold
# keeps the digest sha256sum gives; written zeros and holes give the same
# sha256z; a change in an island is found; a sparse file on tmpfs keeps
# its block count (holes are read, never mapped).  The same rule holds
# for sparse members of a tar: the 1 TiB file in a GNU or pax tar, and in
# custos evidence, costs its data and gets the same sha256z (a foreign
# tar or a pipe once the size limits, which count holes, allow it); the
# 3 GiB one, sha256sum's digest.
. "$(dirname "$0")/lib.sh"

# island FILE OFFSET SIZE: SIZE random bytes written at OFFSET.
island() {
	head -c "$3" /dev/urandom |
	    dd of="$1" bs=4096 oflag=seek_bytes seek="$2" conv=notrunc \
	    status=none
}

# field NAME FILE CBL: the value of NAME in the record of /FILE.
field() {
	grep "^/$2 " "$3" | sed -n "s/.* $1=\([0-9a-f]*\).*/\1/p"
}

# The trash directory's filesystem must hold a 1 TiB sparse file and say
# where its data are (SEEK_DATA), or the checks that need it are skipped.
if test_have_prereq PYTHON && truncate -s 1T .probe-sparse 2>/dev/null &&
    island .probe-sparse 1048576 4096 &&
    test "$(stat -c %b .probe-sparse)" -lt 1024 &&
    python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
sys.exit(os.lseek(fd, 0, os.SEEK_DATA) != 1048576)' .probe-sparse; then
	cs_prereq_cache="$cs_prereq_cache SPARSE=1 "
else
	say "the filesystem of $TRASH cannot hold a 1 TiB sparse file" \
	    "or has no SEEK_DATA: sparse checks skipped"
	cs_prereq_cache="$cs_prereq_cache SPARSE=0 "
fi
rm -f .probe-sparse

# The reference implementation, from the man page source itself.
sed -n '/^\.\\" BEGIN sha256z.py$/,/^\.\\" END sha256z.py$/p' \
    "$CS_SRCDIR/doc/custos-baseline.5" |
    sed -e '1d' -e '$d' -e '/^\.EX$/d' -e '/^\.EE$/d' >sha256z.py

mkdir tree
test_expect_success SPARSE 'a 1 TiB sparse file is baselined in seconds' '
	truncate -s 1T tree/big &&
	island tree/big 0 10000 &&
	island tree/big 123456789 70000 &&
	island tree/big 549755813888 4096 &&
	island tree/big 1099511619584 8192 &&
	start=$(date +%s%N) &&
	"$CUSTOS" baseline -q -o big.cbl tree &&
	end=$(date +%s%N) &&
	ms=$(((end - start) / 1000000)) &&
	echo "$ms" >big.ms &&
	test "$ms" -lt 5000 &&
	test_grep "^/big .* sha256z=[0-9a-f]\{64\}$" big.cbl &&
	! grep "^/big .* sha256=" big.cbl &&
	! grep " error=" big.cbl
'
test -f big.ms && say "baseline of the 1 TiB sparse file: $(cat big.ms) ms"

test_expect_success SPARSE,PYTHON \
    'its sha256z is what custos digest and the man page snippet give' '
	test -s sha256z.py &&
	z=$(field sha256z big big.cbl) &&
	test -n "$z" &&
	test "$("$CUSTOS" digest --sparse tree/big)" = "sha256z=$z  tree/big" &&
	test "$("$CUSTOS" digest tree/big)" = "sha256z=$z  tree/big" &&
	test "$(python3 sha256z.py tree/big)" = "$z"
'

test_expect_success SPARSE 'an unchanged sparse file checks clean' '
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned -b big.cbl \
	    --policy "$CS_SRCDIR/etc/default.policy" tree
'

# ms CMD...: run CMD, its time in milliseconds to ms.out; CMD's status.
ms() {
	ms_start=$(date +%s%N)
	"$@"
	ms_rc=$?
	echo $((($(date +%s%N) - ms_start) / 1000000)) >ms.out
	return $ms_rc
}

# GNU tar keeps whole seconds: the mtimes of / and /big differ there.
for fmt in gnu pax; do
	test_expect_success SPARSE,GNUTAR \
	    "the 1 TiB sparse file in a $fmt tar: its sha256z in seconds" '
	z=$(field sha256z big big.cbl) &&
	tar --format=$fmt -S -C tree -cf $fmt.tar . &&
	test $(stat -c %s $fmt.tar) -lt 1048576 &&
	test_expect_code 65 "$CUSTOS" baseline -q --allow-unsigned \
	    -o $fmt.cbl $fmt.tar 2>err &&
	test_grep "declares 1099511627776 bytes, over the limit of 4294967296" err &&
	test ! -e $fmt.cbl &&
	test_expect_code 16 ms "$CUSTOS" baseline -q --allow-unsigned \
	    --max-member-size 2T --max-total-size 2T \
	    -o $fmt.cbl $fmt.tar 2>err &&
	cp ms.out $fmt-baseline.ms &&
	test $(cat ms.out) -lt 5000 &&
	test_grep "UNVERIFIED EVIDENCE" err &&
	test "$(field sha256z big $fmt.cbl)" = "$z" &&
	want=16 && changed=0 &&
	if test $fmt = gnu; then want=20 changed=2; fi &&
	test_expect_code $want ms "$CUSTOS" check -q --allow-unsigned \
	    --max-member-size 2T --max-total-size 2T \
	    -b big.cbl --policy "$CS_SRCDIR/etc/default.policy" --format json \
	    $fmt.tar >r.json 2>err &&
	cp ms.out $fmt-check.ms &&
	test $(cat ms.out) -lt 5000 &&
	test_grep "\"added\":0,\"removed\":0,\"changed\":$changed," r.json &&
	test_grep "\"not-compared\":0" r.json &&
	test_must_fail grep "\"attr\":\"digest\"" r.json
'
	test -f $fmt-check.ms && say "$fmt tar of the 1 TiB sparse file:" \
	    "baseline $(cat $fmt-baseline.ms) ms, check $(cat $fmt-check.ms) ms"
done

test_expect_success SPARSE 'a snapshot of the 1 TiB sparse file: fast, VALID, sha256z' '
	z=$(field sha256z big big.cbl) &&
	ln tree/big tree/big-link &&
	ms "$CUSTOS" snapshot -q --case C1 --label L1 --operator O \
	    --key "$FIXTURES/keys/test.key" -o ev.tar tree &&
	cp ms.out snap.ms &&
	rm tree/big-link &&
	test $(cat ms.out) -lt 5000 &&
	test $(stat -c %s ev.tar) -lt 1048576 &&
	ms "$CUSTOS" verify --pubkey "$FIXTURES/keys/test.pub" ev.tar >out &&
	cp ms.out verify.ms &&
	test $(cat ms.out) -lt 5000 &&
	test_grep "^result: *VALID$" out &&
	cat ev.tar | test_expect_code 8 "$CUSTOS" verify -q \
	    --pubkey "$FIXTURES/keys/test.pub" --custody ev.tar.custody \
	    /dev/stdin 2>err &&
	test_grep "over the limit of 4294967296" err &&
	cat ev.tar | "$CUSTOS" verify -q --pubkey "$FIXTURES/keys/test.pub" \
	    --max-member-size 2T --custody ev.tar.custody /dev/stdin &&
	"$CUSTOS" export --format mtree --pubkey "$FIXTURES/keys/test.pub" \
	    -o ev.mtree ev.tar &&
	"$CUSTOS" baseline -q --pubkey "$FIXTURES/keys/test.pub" -o ev.cbl \
	    ev.tar &&
	test "$(field sha256z big ev.cbl)" = "$z" &&
	test "$(field sha256z big-link ev.cbl)" = "$z" &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned -b big.cbl \
	    --pubkey "$FIXTURES/keys/test.pub" --format json \
	    --policy "$CS_SRCDIR/etc/default.policy" ev.tar >r.json &&
	test_grep "\"added\":1,\"removed\":0,\"changed\":2," r.json &&
	test_grep "\"not-compared\":0" r.json &&
	test_must_fail grep "\"attr\":\"digest\"" r.json
'
test -f verify.ms && say "snapshot of the 1 TiB sparse file: $(cat snap.ms) ms," \
    "verify $(cat verify.ms) ms"

test_expect_success SPARSE,GNUTAR 'the member of the snapshot: GNU tar extracts it' '
	mkdir x &&
	(cd x && tar -xSf ../ev.tar tree/big 2>/dev/null) &&
	test "$("$CUSTOS" digest --sparse x/tree/big | cut -d" " -f1)" = \
	    "sha256z=$(field sha256z big big.cbl)" &&
	rm -rf x
'

test_expect_success SPARSE,PYTHON 'an altered island in the evidence: does not verify' '
	chattr -i ev.tar 2>/dev/null; cp ev.tar bad.tar &&
	off=$(python3 -c "import sys
d = open(sys.argv[1], \"rb\").read()
print(d.index(open(\"tree/big\", \"rb\").read(64)))" ev.tar) &&
	printf "\\377" | dd of=bad.tar bs=1 seek=$((off + 5)) conv=notrunc \
	    status=none &&
	test_expect_code 8 "$CUSTOS" verify -q --allow-unsigned \
	    --custody ev.tar.custody bad.tar 2>err &&
	test_grep "field .stream-sha256. does not match" err &&
	test_grep "member .tree/big. declares 1099511627776 bytes, over the limit" err &&
	test_expect_code 8 "$CUSTOS" verify -q --allow-unsigned \
	    --max-member-size 2T --custody ev.tar.custody bad.tar 2>err &&
	test_grep "member .tree/big. differs from the manifest in sha256z" err
'

test_expect_success SPARSE 'a byte changed in an island, times kept: found' '
	touch -r tree/big saved-time &&
	printf "\\001" | dd of=tree/big bs=1 seek=549755813900 \
	    conv=notrunc status=none &&
	touch -r saved-time tree/big &&
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned -b big.cbl \
	    --policy "$CS_SRCDIR/etc/default.policy" --format json \
	    tree >r.json &&
	test_grep "\"path\":\"/big\".*\"attr\":\"digest\",\"name\":\"sha256z\"" \
	    r.json
'
rm -f tree/big

test_expect_success PYTHON 'written zeros and holes give the same sha256z' '
	truncate -s 64M holes &&
	island holes 0 100 &&
	island holes 5000 10 &&
	island holes 40000 20000 &&
	island holes 33554431 1 &&
	island holes 67100000 9000 &&
	cp --sparse=never holes written &&
	cmp holes written &&
	test "$(stat -c %b holes)" -lt "$(stat -c %b written)" &&
	a=$("$CUSTOS" digest --sparse holes | cut -d" " -f1) &&
	b=$("$CUSTOS" digest --sparse written | cut -d" " -f1) &&
	test "$a" = "$b" &&
	test "$a" = "sha256z=$(python3 sha256z.py written)" &&
	test "$a" = "sha256z=$(python3 sha256z.py holes)" &&
	cp holes longer0 && truncate -s 65M longer0 &&
	c=$("$CUSTOS" digest --sparse longer0 | cut -d" " -f1) &&
	test "$a" != "$c" &&
	cp holes moved &&
	dd if=/dev/zero of=moved bs=1 seek=5000 count=10 conv=notrunc \
	    status=none &&
	dd if=holes of=moved bs=1 skip=5000 seek=9096 count=10 \
	    conv=notrunc status=none &&
	d=$("$CUSTOS" digest --sparse moved | cut -d" " -f1) &&
	test "$a" != "$d" &&
	test "$d" = "sha256z=$(python3 sha256z.py moved)"
'

test_expect_success 'digest --full is what sha256sum gives' '
	test "$("$CUSTOS" digest --full holes)" = \
	    "sha256=$(sha256sum <holes | cut -c1-64)  holes" &&
	test "$("$CUSTOS" digest holes)" = \
	    "sha256=$(sha256sum <holes | cut -c1-64)  holes"
'

test_expect_success 'digest: a directory or a missing file is refused' '
	test_expect_code 65 "$CUSTOS" digest tree 2>err &&
	test_grep "not a regular file" err &&
	test_expect_code 66 "$CUSTOS" digest no-such-file &&
	test_expect_code 64 "$CUSTOS" digest
'

test_expect_success SPARSE \
    'a 3 GiB sparse file below the threshold: sha256 as sha256sum' '
	mkdir tree3 &&
	truncate -s 3G tree3/mid &&
	island tree3/mid 4096 5000 &&
	island tree3/mid 2147483648 100000 &&
	island tree3/mid 3221225000 472 &&
	"$CUSTOS" baseline -q -o mid.cbl tree3 &&
	! grep " sha256z=" mid.cbl &&
	test "$(field sha256 mid mid.cbl)" = \
	    "$(sha256sum <tree3/mid | cut -c1-64)"
'

test_expect_success SPARSE,GNUTAR \
    'the 3 GiB sparse member of a tar: sha256 as sha256sum' '
	rm -rf tree3 && mkdir tree3 &&
	truncate -s 3G tree3/mid &&
	island tree3/mid 4096 5000 &&
	island tree3/mid 3221225000 472 &&
	tar -S -cf mid.tar tree3 &&
	test $(stat -c %s mid.tar) -lt 1048576 &&
	test_expect_code 16 "$CUSTOS" baseline -q --allow-unsigned \
	    -o midtar.cbl mid.tar 2>/dev/null &&
	! grep " sha256z=" midtar.cbl &&
	test "$(field sha256 tree3/mid midtar.cbl)" = \
	    "$(sha256sum <tree3/mid | cut -c1-64)"
'
rm -rf tree3

test_expect_success ROOT 'a sparse file on tmpfs keeps its block count' '
	mkdir mnt &&
	mount -t tmpfs -o size=256m custos-test mnt &&
	rc=0 &&
	( mkdir mnt/tree &&
	truncate -s 200M mnt/tree/sparse &&
	island mnt/tree/sparse 0 4096 &&
	island mnt/tree/sparse 104857600 65536 &&
	island mnt/tree/sparse 209711104 4096 &&
	before=$(stat -c %b mnt/tree/sparse) &&
	"$CUSTOS" baseline -q -o tmpfs.cbl mnt/tree &&
	"$CUSTOS" digest --full mnt/tree/sparse >full &&
	"$CUSTOS" digest --sparse mnt/tree/sparse >zero &&
	after=$(stat -c %b mnt/tree/sparse) &&
	echo "blocks: $before before, $after after" &&
	test "$before" = "$after" &&
	test "$(field sha256 sparse tmpfs.cbl)" = \
	    "$(sha256sum <mnt/tree/sparse | cut -c1-64)" ) || rc=$?
	umount mnt &&
	test "$rc" = 0
'

test_done
