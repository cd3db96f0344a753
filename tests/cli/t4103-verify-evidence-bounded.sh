#!/bin/bash
# t4103: the work on a hostile archive is bounded by what vouches for it.
# A member claiming a petabyte of sparse holes and GNU tar's sparse file
# with a 10 GiB hole (an equivalent of libarchive's test fixture
# test_read_format_gtar_sparse_skip_entry) are refused at once, named,
# since the limits count holes; allowed by the limits, they cost their
# data alone (a sha256z at once); a sparse member whose map declares more
# data than its size, and the same member inside custos evidence, are
# refused at once, named; compressed, old-style and
# other archives are named for what they are; the sidecar custody record
# is what the report's signature state and result describe, and its
# fields are checked: times that exist, an absolute source.
. "$(dirname "$0")/lib.sh"

KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"
POLICY="$CS_SRCDIR/etc/default.policy"
CRAFT="$FIXTURES/archives/craft.py"
mkdir -p tree/data
echo hello >tree/data/a
"$CUSTOS" baseline -q --policy "$POLICY" -o base.cbl tree || exit 99
"$CUSTOS" snapshot -q --case C1 --label L1 --operator O --key "$KEY" \
    -o ev.tar tree || exit 99
chattr -i ev.tar 2>/dev/null

# check ARGS...: check against base.cbl, no key needed, within 10 s.
check() {
	timeout 10 "$CUSTOS" check -q -b base.cbl --allow-unsigned \
	    --policy "$POLICY" "$@"
}

# verify ARGS...: verify within 10 s.
verify() {
	timeout 10 "$CUSTOS" verify "$@"
}

test_expect_success PYTHON 'a tar claiming a 2^50-byte member of one data byte: refused at once; allowed, its sha256z at once' '
	python3 "$CRAFT" sparse holes.tar &&
	test $(stat -c %s holes.tar) -le 10240 &&
	test_expect_code 8 verify --allow-unsigned holes.tar >out 2>err &&
	test_grep "not custos evidence: a POSIX pax tar whose first member is .tree/data/big." err &&
	test ! -s out &&
	test_expect_code 65 check holes.tar >out 2>err &&
	test_grep "member .tree/data/big. declares 1125899906842624 bytes, over the limit of 4294967296" err &&
	test_expect_code 65 timeout 10 "$CUSTOS" baseline -q --allow-unsigned \
	    -o holes.cbl holes.tar 2>err &&
	test ! -e holes.cbl &&
	test_expect_code 16 timeout 10 "$CUSTOS" baseline -q --allow-unsigned \
	    --max-member-size 0 --max-total-size 0 -o holes.cbl holes.tar 2>err &&
	test_grep "UNVERIFIED EVIDENCE" err &&
	test_grep "^/tree/data/big .* size=1125899906842624 .* sha256z=1305bb108698d55dca52ec9465e5269871438092d83012bb55d6192392e9c603$" holes.cbl &&
	test_expect_code 19 check --max-member-size 0 --max-total-size 0 \
	    holes.tar >out 2>err &&
	test_must_fail grep "limit" err
'

test_expect_success PYTHON 'a tar whose sparse map declares 2^49 bytes of data: refused at once' '
	python3 "$CRAFT" dense big.tar &&
	test $(stat -c %s big.tar) -le 10240 &&
	test_expect_code 8 verify --allow-unsigned big.tar >out 2>err &&
	test_grep "not custos evidence: a POSIX pax tar whose first member is .tree/data/big." err &&
	test ! -s out &&
	test_expect_code 65 check big.tar >out 2>err &&
	test_grep "member .tree/data/big. declares 1125899906842624 bytes, over the limit" err
'

test_expect_success PYTHON 'a sparse map with data past the member s size: refused at once' '
	python3 "$CRAFT" beyond beyond.tar &&
	test_expect_code 8 check beyond.tar >out 2>err &&
	test_grep "member .tree/data/big. has data out of order or beyond its size (damaged sparse map)" err &&
	test_expect_code 8 timeout 10 "$CUSTOS" baseline -q --allow-unsigned \
	    -o beyond.cbl beyond.tar 2>err &&
	test_grep "damaged sparse map" err
'

test_expect_success PYTHON 'the same member in evidence: the sidecar first, never read' '
	python3 "$CRAFT" insert ev.tar evbig.tar dense &&
	cp ev.tar.custody evbig.tar.custody &&
	test_expect_code 8 verify -q --pubkey "$PUB" evbig.tar 2>err &&
	head -n 1 err >first &&
	test_grep "stream-size" first &&
	test_grep "member .tree/data/big. is not in the manifest (added)" err &&
	test_expect_code 8 check --pubkey "$PUB" evbig.tar >out 2>err &&
	test_grep "member .tree/data/big. is not in the manifest (added)" err
'

test_expect_success PYTHON 'and with a rewritten sidecar that matches its stream' '
	python3 "$CRAFT" sidecar ev.tar.custody evbig.tar re.custody &&
	test_expect_code 8 verify --pubkey "$PUB" --allow-unsigned \
	    --custody re.custody evbig.tar >out 2>err &&
	test_must_fail grep "stream-sha256" err &&
	test_grep "member .tree/data/big. is not in the manifest (added)" err &&
	test_grep "^custody sig: *none$" out
'

test_expect_success PYTHON 'the same member through a pipe: over the size limit, named' '
	cat evbig.tar | test_expect_code 8 check --pubkey "$PUB" \
	    --custody ev.tar.custody /dev/stdin >out 2>err &&
	test_grep "member .tree/data/big. declares 1125899906842624 bytes, over the limit" err &&
	cat big.tar | test_expect_code 65 check /dev/stdin 2>err &&
	test_grep "member .tree/data/big. declares" err
'

test_expect_success PYTHON 'verify through a pipe: the same limit, and it can be set' '
	cat ev.tar | verify --pubkey "$PUB" --custody ev.tar.custody \
	    /dev/stdin >out &&
	test_grep "^result: *VALID$" out &&
	cat evbig.tar | test_expect_code 8 verify -q --pubkey "$PUB" \
	    --custody ev.tar.custody /dev/stdin 2>err &&
	test_grep "member .tree/data/big. declares 1125899906842624 bytes, over the limit of 4294967296" err &&
	cat ev.tar | test_expect_code 8 verify -q --pubkey "$PUB" \
	    --custody ev.tar.custody --max-member-size 2 /dev/stdin 2>err &&
	test_grep "member .tree/data/a. declares 6 bytes, over the limit of 2 " err &&
	test_must_fail grep "manifest.cbl. declares" err &&
	cat ev.tar | verify -q --pubkey "$PUB" --custody ev.tar.custody \
	    --max-member-size 6 --max-total-size 6 /dev/stdin &&
	cat ev.tar | test_expect_code 8 verify -q --pubkey "$PUB" \
	    --custody ev.tar.custody --max-total-size 5 /dev/stdin 2>err &&
	test_grep "brings the members. sizes over the limit of 5 " err
'

test_expect_success PYTHON 'export: the same limit on a foreign tar' '
	test_expect_code 65 timeout 10 "$CUSTOS" export --format json \
	    --allow-unsigned -o big.json big.tar 2>err &&
	test_grep "member .tree/data/big. declares 1125899906842624 bytes, over the limit" err &&
	test_expect_code 64 "$CUSTOS" export --format json --allow-unsigned \
	    --max-total-size 1X -o big.json big.tar
'

test_expect_success GNUTAR 'GNU tar sparse file with a 10 GiB hole: refused at once; allowed, its sha256z at once' '
	truncate -s 10G f &&
	tar --sparse -cf sp.tar f &&
	z=$("$CUSTOS" digest --sparse f | cut -d" " -f1) &&
	rm f &&
	test $(stat -c %s sp.tar) -lt 65536 &&
	test_expect_code 8 verify -q --allow-unsigned sp.tar 2>err &&
	test_grep "not custos evidence: a GNU tar whose first member is .f." err &&
	test_expect_code 65 check sp.tar 2>err &&
	test_grep "member .f. declares 10737418240 bytes, over the limit of 4294967296" err &&
	test_expect_code 16 timeout 10 "$CUSTOS" baseline -q --allow-unsigned \
	    --max-member-size 16G -o sp.cbl sp.tar 2>err &&
	test_grep "^/f .* size=10737418240 .* $z$" sp.cbl
'

test_expect_success GNUTAR 'a sparse member digested by its data: the limits count its holes' '
	truncate -s 8G g &&
	head -c 2097152 /dev/urandom | dd of=g bs=4096 seek=1000 \
	    conv=notrunc status=none &&
	tar --sparse -cf sp2.tar g &&
	rm g &&
	test_expect_code 65 check sp2.tar 2>err &&
	test_grep "member .g. declares 8589934592 bytes, over the limit of 4294967296" err &&
	test_expect_code 65 check --max-member-size 8G --max-total-size 4G \
	    sp2.tar 2>err &&
	test_grep "member .g. brings the members. sizes over the limit of 4294967296" err &&
	test_expect_code 19 check --max-member-size 8G --max-total-size 8G \
	    sp2.tar >out 2>err &&
	test_must_fail grep "limit" err
'

test_expect_success 'a gzip-compressed evidence tar is named as one' '
	gzip -c ev.tar >gz.tar &&
	cp ev.tar.custody gz.tar.custody &&
	test_expect_code 65 verify -q --pubkey "$PUB" gz.tar 2>err &&
	test_grep "gz.tar. is a compressed tar (gzip)" err &&
	test_expect_code 65 check gz.tar 2>err &&
	test_grep "gz.tar. is a compressed tar (gzip)" err &&
	test_must_fail grep "not terminated" err &&
	cat gz.tar | test_expect_code 65 check --custody gz.tar.custody \
	    /dev/stdin 2>err &&
	test_grep "is compressed (gzip)" err
'

test_expect_success GNUTAR 'an old-style (pre-POSIX) tar is a foreign tar, named' '
	tar --format=v7 -cf v7.tar tree &&
	rc=0 && check v7.tar >out 2>err || rc=$? &&
	test $rc -ne 65 -a $rc -lt 64 &&
	test_must_fail grep "not terminated" err &&
	"$CUSTOS" check -b base.cbl --allow-unsigned --policy "$POLICY" \
	    v7.tar >out 2>err || : &&
	test_grep "foreign pre-POSIX (old-style) tar" out &&
	test_expect_code 8 verify -q --allow-unsigned v7.tar 2>err &&
	test_grep "not custos evidence: a pre-POSIX (old-style) tar" err
'

test_expect_success PYTHON 'another archive format is named, not read as a baseline' '
	python3 -c "import zipfile; zipfile.ZipFile(\"z.zip\", \"w\").writestr(\"a\", \"b\")" &&
	test_expect_code 65 check z.zip 2>err &&
	test_grep "z.zip. is an archive in another format (ZIP" err &&
	test_expect_code 65 verify -q --allow-unsigned z.zip 2>err &&
	test_grep "another format" err
'

test_expect_success GNUTAR 'the size limits of a foreign tar can be set' '
	mkdir -p t2/data &&
	head -c 3000 /dev/zero >t2/data/x &&
	head -c 3000 /dev/zero >t2/data/y &&
	tar --format=posix -cf two.tar t2 &&
	test_expect_code 65 check --max-member-size 2K two.tar 2>err &&
	test_grep "member .t2/data/x. declares 3000 bytes, over the limit of 2048" err &&
	test_expect_code 65 check --max-total-size 5K two.tar 2>err &&
	test_grep "member .t2/data/y. brings the members. sizes over the limit of 5120" err &&
	rc=0 && check --max-member-size 4K --max-total-size 0 two.tar \
	    2>err || rc=$? &&
	test $rc -lt 64 &&
	test_must_fail grep "limit" err &&
	test_expect_code 64 check --max-member-size 12Q two.tar 2>err &&
	test_grep "bad size .12Q." err
'

test_expect_success 'the sidecar is the authority: an unsigned one is never good' '
	grep -v "^#signature" ev.tar.custody >nosig.custody &&
	verify --pubkey "$PUB" --allow-unsigned --custody nosig.custody \
	    ev.tar >out 2>err &&
	test_must_fail grep "good" err &&
	test_grep "^custody record: *nosig.custody$" out &&
	test_grep "^custody sig: *none$" out &&
	test_grep "^manifest sig: *good, by the trusted key$" out &&
	test_grep "^result: *intact, NOT AUTHENTICATED (custody record signature: none)$" out &&
	test_expect_code 8 verify -q --pubkey "$PUB" --custody nosig.custody \
	    ev.tar 2>err &&
	test_grep "nosig.custody. is NOT SIGNED" err &&
	rc=0 && check --pubkey "$PUB" --custody nosig.custody ev.tar \
	    >/dev/null 2>err || rc=$? &&
	test $rc -lt 8 &&
	"$CUSTOS" check -b base.cbl --pubkey "$PUB" --allow-unsigned \
	    --policy "$POLICY" --custody nosig.custody ev.tar >out 2>&1 || : &&
	test_grep "signatures NOT verified" out
'

test_expect_success 'a signed sidecar: VALID' '
	verify --pubkey "$PUB" ev.tar >out &&
	test_grep "^custody record: *ev.tar.custody$" out &&
	test_grep "^custody sig: *good, by the trusted key$" out &&
	test_grep "^result: *VALID$" out
'

test_expect_success PYTHON 'a custody record with a time that does not exist' '
	python3 "$CRAFT" sidecar ev.tar.custody ev.tar bad.custody \
	    started=2026-02-30T25:61:00Z &&
	test_expect_code 65 verify -q --allow-unsigned --custody bad.custody \
	    ev.tar 2>err &&
	test_grep "custody record .bad.custody.: line [0-9]*: bad field .started.: not a time that exists" err &&
	test_expect_code 65 check --custody bad.custody ev.tar 2>err &&
	test_grep "bad field .started." err &&
	python3 "$CRAFT" sidecar ev.tar.custody ev.tar ok.custody &&
	verify -q --allow-unsigned --custody ok.custody ev.tar
'

test_expect_success PYTHON 'a custody record with a relative source' '
	python3 "$CRAFT" sidecar ev.tar.custody ev.tar rel.custody \
	    source=tree &&
	test_expect_code 65 verify -q --allow-unsigned --custody rel.custody \
	    ev.tar 2>err &&
	test_grep "line [0-9]*: bad field .source.: not an absolute path" err
'

test_done
