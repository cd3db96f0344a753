#!/bin/bash
# t1008: a baseline re-made from an evidence tar (or from a baseline)
# equals the one taken from the live tree: its records are the tree
# baseline's byte for byte, but for the parsed entries (struct=) of the
# files the policy marks structured, which a snapshot does not hold; diff
# and check find no differences.  The header says where the records came
# from.  A tar that does not verify is refused (exit 8) and nothing is
# written; a foreign tar is read and said to be unverified.  A foreign
# tar's ACLs are built with their numeric ids, never by looking a name up
# on this machine: a name without an id stays a name.
. "$(dirname "$0")/lib.sh"

"$FIXTURES/mktree.sh" "$TRASH/tree" >/dev/null
KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"
POLICY="$CS_SRCDIR/etc/default.policy"

# records FILE: the record lines of a baseline, without struct= fields.
records() {
	grep -v '^#' "$1" | sed 's/ struct=[^ ]*//'
}

test_expect_success 'setup: a baseline and an evidence tar of the tree' '
	"$CUSTOS" baseline -q --policy "$POLICY" --key "$KEY" -o B.cbl tree &&
	"$CUSTOS" snapshot -q --case C-1 --label L-1 --operator op \
	    --key "$KEY" -o ev.tar tree >/dev/null &&
	test_grep -q "^/etc/passwd .* struct=passwd:" B.cbl
'

test_expect_success 'the tree baseline holds what the tar must carry' '
	test_grep -q "^/bin/hello-hardlink .* ino=[0-9]* nlink=2 " B.cbl &&
	test_grep -q "^/srv/new\\\\x0aline " B.cbl &&
	test_grep -q " iflags=" B.cbl
'

test_expect_success ACL 'ACLs are in the tree baseline' '
	test_grep -q "^/etc/passwd .* acl=user::rw-,user:1000:r--," B.cbl &&
	test_grep -q "^/srv/data .* dacl=" B.cbl
'

test_expect_success XATTR 'xattrs are in the tree baseline' '
	test_grep -q "^/bin/hello .* xattr.user.binary=" B.cbl
'

test_expect_success CAPS 'capabilities are in the tree baseline' '
	test_grep -q "^/bin/su-like .* caps=cap_net_raw" B.cbl
'

test_expect_success 'baseline from the evidence tar, verified by the key' '
	"$CUSTOS" baseline -q --pubkey "$PUB" --key "$KEY" -o B2.cbl \
	    ev.tar 2>err &&
	test_must_fail test -s err &&
	"$CUSTOS" verify --pubkey "$PUB" B2.cbl >/dev/null
'

test_expect_success 'its records are the tree baseline'"'"'s, byte for byte' '
	records B.cbl >want &&
	records B2.cbl >got &&
	test_cmp want got &&
	test "$(grep -c -v "^#" B2.cbl)" = "$(grep -c -v "^#" B.cbl)" &&
	test "$(grep -v "^#" B2.cbl | grep -c " struct=")" = 0
'

test_expect_success 'its header says where the records came from' '
	root=$(realpath tree) &&
	test_grep -x "#root=$root" B2.cbl &&
	test_grep -x "#digests=sha256" B2.cbl &&
	test_grep -x "#source=evidence" B2.cbl &&
	test_grep -x "#source-file=$(realpath ev.tar)" B2.cbl &&
	sum=$(sed -n "s/^stream-sha256=//p" ev.tar.custody) &&
	test -n "$sum" &&
	test_grep -x "#source-sha256=$sum" B2.cbl &&
	test_grep -x "#case=C-1" B2.cbl &&
	test_grep -x "#label=L-1" B2.cbl
'

test_expect_success 'diff of the two baselines: no differences' '
	"$CUSTOS" diff --pubkey "$PUB" --policy "$POLICY" B.cbl B2.cbl \
	    >out &&
	test_grep -x "No differences." out &&
	"$CUSTOS" baseline -q --allow-unsigned -o U2.cbl ev.tar 2>err &&
	test_grep "signatures NOT verified" err &&
	"$CUSTOS" baseline -q --policy "$POLICY" -o U.cbl tree &&
	"$CUSTOS" diff --allow-unsigned --policy "$POLICY" U.cbl U2.cbl >out &&
	test_grep -x "No differences." out
'

test_expect_success 'check of the tree and the tar against it: no differences' '
	"$CUSTOS" check --pubkey "$PUB" --policy "$POLICY" -b B2.cbl >out &&
	test_grep -x "No differences." out &&
	"$CUSTOS" check --pubkey "$PUB" --policy "$POLICY" -b B2.cbl \
	    ev.tar >out &&
	test_grep -x "No differences." out
'

test_expect_success 'a changed file is found through the re-made baseline' '
	cp -a tree tree2 &&
	printf x >>tree2/etc/passwd &&
	test_expect_code 4 "$CUSTOS" check --pubkey "$PUB" \
	    --policy "$POLICY" -b B2.cbl tree2 >out &&
	test_grep "/etc/passwd" out
'

test_expect_success 'baseline from a baseline: the same records, its header' '
	"$CUSTOS" baseline -q --pubkey "$PUB" -o B3.cbl B.cbl &&
	grep -v "^#" B.cbl >want &&
	grep -v "^#" B3.cbl >got &&
	test_cmp want got &&
	test_grep -x "#source=baseline" B3.cbl &&
	test_grep -q "^#struct-key=" B3.cbl &&
	test "$(grep "^#struct-key=" B3.cbl)" = \
	    "$(grep "^#struct-key=" B.cbl)" &&
	"$CUSTOS" diff --pubkey "$PUB" --allow-unsigned --policy "$POLICY" \
	    B.cbl B3.cbl >out &&
	test_grep -x "No differences." out
'

test_expect_success 'a tampered tar is refused (8) and nothing is written' '
	cp ev.tar t.tar && cp ev.tar.custody t.tar.custody &&
	chmod u+w t.tar &&
	off=$(grep -a -b -o -F "ssh-ed25519 AAAA" t.tar | head -n 1 |
	    cut -d: -f1) &&
	printf X | dd of=t.tar bs=1 seek="$off" conv=notrunc 2>/dev/null &&
	test_expect_code 8 "$CUSTOS" baseline -q --pubkey "$PUB" \
	    -o T.cbl t.tar 2>err &&
	test_grep "does not match" err &&
	test_must_fail test -e T.cbl &&
	test_expect_code 8 "$CUSTOS" baseline -q --pubkey "$PUB" \
	    -o - t.tar >stdout 2>err &&
	test_must_fail test -s stdout
'

test_expect_success 'the wrong key or none: refused, nothing written' '
	"$CUSTOS" keygen -o other --no-passphrase >/dev/null &&
	test_expect_code 8 "$CUSTOS" baseline -q --pubkey other.pub \
	    -o W.cbl ev.tar 2>err &&
	test_must_fail test -e W.cbl &&
	test_expect_code 64 "$CUSTOS" baseline -q -o W.cbl ev.tar 2>err &&
	test_grep "no trusted key" err &&
	test_must_fail test -e W.cbl
'

test_expect_success 'options of a walk or of digests are refused for a tar' '
	test_expect_code 64 "$CUSTOS" baseline -q --pubkey "$PUB" \
	    --exclude "*.log" -o X.cbl ev.tar &&
	test_expect_code 64 "$CUSTOS" baseline -q --pubkey "$PUB" \
	    --digest sha512 -o X.cbl ev.tar &&
	test_must_fail test -e X.cbl
'

test_expect_success GNUTAR 'a foreign tar: read, said to be unverified' '
	tar -C tree -cf foreign.tar . &&
	test_expect_code 16 "$CUSTOS" baseline -q --allow-unsigned \
	    -o F.cbl foreign.tar 2>err &&
	test_grep "UNVERIFIED EVIDENCE" err &&
	test_grep -x "#source=tar" F.cbl &&
	test_grep -x "#root=$(realpath foreign.tar)" F.cbl &&
	test_grep -q "^/etc/passwd type=file mode=0644 " F.cbl &&
	"$CUSTOS" verify --allow-unsigned F.cbl >/dev/null
'

test_expect_success PYTHON 'each member carries its inode, as a baseline does' '
	cat >pax.py <<-\EOF &&
	import sys, tarfile
	t = tarfile.open(sys.argv[1], encoding="utf-8", errors="surrogateescape")
	for m in t.getmembers():
	    h = m.pax_headers
	    print(m.name, *(h.get("SCHILY." + k, "-")
	        for k in ("dev", "ino", "nlink")))
	EOF
	python3 pax.py ev.tar >pax &&
	ino=$(sed -n "s/^\/bin\/hello .* ino=\([0-9]*\) .*/\1/p" B.cbl) &&
	test -n "$ino" &&
	test_grep -x "tree/bin/hello [0-9][0-9]* $ino 2" pax &&
	test_grep -x "tree/bin/hello-hardlink [0-9][0-9]* $ino 2" pax &&
	test_grep -x "custos/custody - - -" pax &&
	test "$(grep -c " - - -$" pax)" = 2
'

test_expect_success CHATTR 'inode flags survive: immutable and append-only' '
	mkdir -p flags/d &&
	echo a >flags/d/imm && echo b >flags/d/app &&
	chattr +i flags/d/imm && chattr +a flags/d/app &&
	"$CUSTOS" baseline -q -o FL.cbl flags &&
	"$CUSTOS" snapshot -q --case C-2 --label L-2 --operator op \
	    -o fl.tar flags >/dev/null &&
	"$CUSTOS" baseline -q --allow-unsigned -o FL2.cbl fl.tar 2>/dev/null &&
	records FL.cbl >want &&
	records FL2.cbl >got &&
	test_cmp want got &&
	test_grep -q "^/d/imm .* iflags=" FL2.cbl &&
	chattr -i flags/d/imm && chattr -a flags/d/app
'

test_expect_success PYTHON 'a foreign tar with star'"'"'s keywords carries inodes' '
	cat >star.py <<-\EOF &&
	import os, sys, tarfile
	src, out = sys.argv[1], sys.argv[2]
	paths = []
	for top, dirs, files in os.walk(src):
	    paths.append(top)
	    paths += [os.path.join(top, n) for n in files + dirs
	        if n in files or os.path.islink(os.path.join(top, n))]
	with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
	    for p in paths:
	        st = os.lstat(p)
	        ti = t.gettarinfo(p, os.path.relpath(p, src))
	        if ti is None:
	            continue
	        ti.pax_headers = {"SCHILY.dev": str(st.st_dev),
	            "SCHILY.ino": str(st.st_ino),
	            "SCHILY.nlink": str(st.st_nlink)}
	        if ti.isreg():
	            with open(p, "rb") as f:
	                t.addfile(ti, f)
	        else:
	            t.addfile(ti)
	EOF
	python3 star.py tree star.tar &&
	test_expect_code 16 "$CUSTOS" baseline -q --allow-unsigned \
	    -o S.cbl star.tar 2>/dev/null &&
	grep "^/bin/hello " B.cbl |
	    sed "s/.* \(ino=[0-9]* nlink=[0-9]*\) .*/\1/" >want &&
	grep "^/bin/hello-hardlink " S.cbl |
	    sed "s/.* \(ino=[0-9]* nlink=[0-9]*\) .*/\1/" >got &&
	test_cmp want got &&
	rc=0 &&
	"$CUSTOS" check --allow-unsigned -b B.cbl --policy "$POLICY" \
	    star.tar >out 2>&1 || rc=$? &&
	test "$rc" -lt 64 &&
	test_grep "by nature of the sources" out &&
	test_must_fail grep "inode numbers" out &&
	(cd tree && tar cf ../plain.tar --exclude=./srv/socket .) &&
	rc=0 &&
	"$CUSTOS" check --allow-unsigned -b B.cbl --policy "$POLICY" \
	    plain.tar >out 2>&1 || rc=$? &&
	test "$rc" -lt 64 &&
	test_grep "by nature of the sources: inode numbers" out
'

test_expect_success 'an archive from before the inode keywords verifies' '
	base64 -d "$FIXTURES/archives/pre-inode.tar.gz.b64" | gzip -d >old.tar &&
	cp "$FIXTURES/archives/pre-inode.tar.custody" old.tar.custody &&
	"$CUSTOS" verify --pubkey "$PUB" old.tar >out &&
	test_grep "^result: *VALID$" out &&
	"$CUSTOS" baseline -q --pubkey "$PUB" -o O.cbl old.tar &&
	test_grep -q "^/etc/passwd-link .* ino=[0-9]* nlink=2 " O.cbl &&
	test "$(grep "^/etc/passwd " O.cbl | sed "s/.* ino=\([0-9]*\) .*/\1/")" \
	    = "$(grep "^/etc/passwd-link " O.cbl |
	    sed "s/.* ino=\([0-9]*\) .*/\1/")" &&
	test_grep -q "^/new\\\\x0aline type=file " O.cbl &&
	test_grep -x "#source=evidence" O.cbl &&
	test_grep -x "#case=OLD-1" O.cbl
'

test_expect_success 'other digests: the records keep those the source has' '
	"$CUSTOS" baseline -q --digest sha512 -o D.cbl tree &&
	"$CUSTOS" snapshot -q --digest sha512 --case C-3 --label L-3 \
	    --operator op -o d.tar tree >/dev/null &&
	"$CUSTOS" baseline -q --allow-unsigned -o D2.cbl d.tar 2>/dev/null &&
	test_grep -x "#digests=sha512" D2.cbl &&
	"$CUSTOS" verify --allow-unsigned D2.cbl >/dev/null &&
	grep -v "^#" D.cbl >want &&
	grep -v "^#" D2.cbl >got &&
	test_cmp want got &&
	(cd tree && tar cf ../g.tar --exclude=./srv/socket .) &&
	test_expect_code 16 "$CUSTOS" baseline -q --allow-unsigned \
	    --digest sha3-256 -o G.cbl g.tar 2>/dev/null &&
	test_grep -x "#digests=sha3-256" G.cbl &&
	"$CUSTOS" verify --allow-unsigned G.cbl >/dev/null &&
	test "$(grep -v "^#" G.cbl | grep -c " sha256=")" = 0 &&
	test_grep -q "^/etc/passwd .* sha3-256=" G.cbl
'

# acltar OUT ACCESS [XATTR]: a pax tar of one file, a, whose
# SCHILY.acl.access is ACCESS (newlines for commas) and, with XATTR (hex),
# whose SCHILY.xattr.system.posix_acl_access is that.
acltar() {
	python3 - "$@" <<-\EOF
	import io, sys, tarfile
	ti = tarfile.TarInfo("a")
	ti.mode = 0o644
	ti.pax_headers = {"SCHILY.acl.access": sys.argv[2].replace(",", "\n")}
	if len(sys.argv) > 3:
	    # tarfile writes pax values as UTF-8: keep the bytes as they are
	    ti.pax_headers["SCHILY.xattr.system.posix_acl_access"] = \
	        bytes.fromhex(sys.argv[3]).decode("utf-8", "surrogateescape")
	with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT,
	                  encoding="utf-8", errors="surrogateescape") as t:
	    t.addfile(ti, io.BytesIO(b""))
	EOF
}

test_expect_success PYTHON 'a foreign tar ACL naming users: never looked up' '
	acltar names.tar "user::rw-,user:root:r--,user:no-such-user-4711:rwx,group::r--,mask::rwx,other::---" &&
	test_expect_code 16 "$CUSTOS" baseline -q --allow-unsigned \
	    -o names.cbl names.tar 2>/dev/null &&
	test_grep "^/a .* acl=user::rw-,user:root:r--,user:no-such-user-4711:rwx,group::r--,mask::rwx,other::--- " names.cbl
'

test_expect_success PYTHON 'numeric ids: the canonical text, in canonical order' '
	acltar ids.tar "other::---,user:0:r--,user::rw-,mask::rwx,group:4242:r-x,group::r--" &&
	test_expect_code 16 "$CUSTOS" baseline -q --allow-unsigned \
	    -o ids.cbl ids.tar 2>/dev/null &&
	test_grep "^/a .* acl=user::rw-,user:0:r--,group::r--,group:4242:r-x,mask::rwx,other::--- " ids.cbl
'

test_expect_success PYTHON 'names, and the kernel ACL in an xattr: its ids' '
	x=02000000 &&
	x=${x}0100060000000000 &&	# user::rw-
	x=${x}020004009a100000 &&	# user:4250:r--
	x=${x}0400040000000000 &&	# group::r--
	x=${x}1000040000000000 &&	# mask::r--
	x=${x}2000000000000000 &&	# other::---
	acltar xattr.tar "user::rw-,user:someone:r--,group::r--,mask::r--,other::---" $x &&
	test_expect_code 16 "$CUSTOS" baseline -q --allow-unsigned \
	    -o xattr.cbl xattr.tar 2>/dev/null &&
	test_grep "^/a .* acl=user::rw-,user:4250:r--,group::r--,mask::r--,other::--- " xattr.cbl &&
	test_must_fail grep "posix_acl" xattr.cbl
'

test_done
