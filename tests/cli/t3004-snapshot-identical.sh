#!/bin/bash
# t3004: what a snapshot writes is pinned.  A fixed tree (the hostile tree
# of mktree.sh without the features a machine may lack, plus sparse and
# large files, every time set to one instant) is archived, and the parts
# of the archive that do not depend on the machine, the user or the clock
# are compared with the expected listing below: the member order, each
# member's type, mode, size, time, link target, content digest and pax
# keywords (names in order; values where they are fixed), the custody
# record's keys (in order) and fixed values, and the manifest's records.
# A change in any of them changes the evidence format: it must be made
# on purpose, here and in doc/custos-evidence.5.
. "$(dirname "$0")/lib.sh"

umask 022
"$FIXTURES/mktree.sh" "$TRASH/tree" >/dev/null
(
	cd "$TRASH/tree" || exit 1
	setfacl -b etc/passwd 2>/dev/null
	setfacl -b -k srv/data 2>/dev/null
	setfattr -x user.origin bin/hello 2>/dev/null
	setfattr -x user.binary bin/hello 2>/dev/null
	setcap -r bin/su-like 2>/dev/null
	rm -f srv/null srv/socket
	# Read ahead by a worker, read by the writer before its header, and
	# streamed after its header (over the 64 MiB inline limit).
	yes 'small file' | head -c 300000 >srv/data/small
	yes 'medium file' | head -c 5000000 >srv/data/medium
	yes 'large file' | head -c 70000000 >srv/data/large
	truncate -s 8M srv/data/sparse
	printf 'data' | dd of=srv/data/sparse bs=1 seek=4000000 \
	    conv=notrunc 2>/dev/null
	truncate -s 1M srv/data/sparse-small
	printf 'data' | dd of=srv/data/sparse-small bs=1 seek=524288 \
	    conv=notrunc 2>/dev/null
	chmod 0600 srv/data/small
	find . -exec touch -h -d @1700000000 {} +
) || exit 99
# HOLES: the filesystem of the trash directory keeps the holes of the
# sparse files (the expected listing has them archived sparse).
if [ $(( $(stat -c '%b * %B' "$TRASH/tree/srv/data/sparse") )) -lt 1048576 ]
then
	cs_prereq_cache="$cs_prereq_cache HOLES=1 "
else
	cs_prereq_cache="$cs_prereq_cache HOLES=0 "
fi

cat >dump.py <<'PY'
# dump.py TAR: the machine-independent listing of an evidence tar.
import hashlib, sys, tarfile

# Device and inode numbers, and a directory's link count, depend on the
# machine: their keywords are pinned, not the values.
KEYS_ONLY = {"ctime", "atime", "SCHILY.dev", "SCHILY.ino"}
# Whether there is a birth time at all depends on the filesystem.
SKIP = {"uid", "gid", "uname", "gname", "LIBARCHIVE.creationtime"}
TYPES = {tarfile.REGTYPE: "file", tarfile.DIRTYPE: "dir",
    tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink",
    tarfile.FIFOTYPE: "fifo"}

def show(b):
    return b.encode("utf-8", "surrogateescape").hex() \
        if any(c < " " or c > "~" for c in b) else b

def record(kv, fixed):
    k, _, v = kv.partition("=")
    return kv if k in fixed else k

t = tarfile.open(sys.argv[1], encoding="utf-8", errors="surrogateescape")
for m in t.getmembers():
    pax = []
    for k, v in m.pax_headers.items():
        if k in SKIP:
            continue
        # The custody record and manifest hold the clock: their
        # keywords are pinned, not the values.
        pax.append(k if k in KEYS_ONLY or m.name.startswith("custos/")
            and k != "hdrcharset" or k == "SCHILY.nlink" and m.isdir()
            else "%s=%s" % (k, show(v)))
    data = t.extractfile(m).read() if m.isreg() else None
    if m.name.startswith("custos/"):
        print("member", m.name, TYPES[m.type], oct(m.mode), *pax)
    else:
        print("member", show(m.name), TYPES[m.type], oct(m.mode), m.size,
            int(m.mtime), show(m.linkname) or "-", *pax)
    if data is not None and not m.name.startswith("custos/"):
        print("  content", hashlib.sha256(data).hexdigest())
    if m.name == "custos/custody":
        custody = data.decode("utf-8", "surrogateescape")
    if m.name == "custos/manifest.cbl":
        manifest = data.decode("utf-8", "surrogateescape")
fixed = {"format", "case", "label", "operator", "note", "argv",
    "digests", "block-size", "status", "objects", "members", "bytes",
    "errors", "verified-after"}
with open(sys.argv[2], encoding="utf-8", errors="surrogateescape") as f:
    sidecar = f.read()
for name, text in (("custody", custody), ("sidecar", sidecar)):
    for line in text.splitlines():
        # a root without /etc/machine-id (a chroot) records none
        if line.startswith("machine-id="):
            continue
        if line.startswith("#end"):
            print(name, "#end")
        else:
            print(name, record(line, fixed))
hfixed = {"#digests", "#filesystems", "#evidence", "#case", "#label",
    "#members"}
rfixed = {"type", "mode", "size", "mtime", "sha256", "target"}
for line in manifest.splitlines():
    if line.startswith("#end"):
        print("manifest", " ".join(f for f in line.split()
            if f.split("=")[0] in ("#end", "records", "errors")))
    elif line.startswith("#"):
        print("manifest", record(line, hfixed))
    else:
        path, *fields = line.split(" ")
        print("manifest", path, *(f for f in fields
            if f.split("=")[0] in rfixed))
PY

# Written by the snapshot code as it stood before its split into modules;
# then each object's member took star's SCHILY.dev, SCHILY.ino and
# SCHILY.nlink (and LIBARCHIVE.creationtime where the filesystem keeps a
# birth time, left out here).
cat >expect <<'EXPECT'
member custos/custody file 0o444 hdrcharset=BINARY mtime CUSTOS.sha256
member tree dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/bin dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/bin/hello file 0o755 21 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=2 CUSTOS.sha256=bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b
  content bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b
member tree/bin/hello-hardlink hardlink 0o755 0 1700000000 tree/bin/hello hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=2 CUSTOS.sha256=bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b
member tree/bin/su-like file 0o4755 7 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=fcd249947a42433f3ca96fd828ace5d07193ea0d7023210bfffd1453f1860a75
  content fcd249947a42433f3ca96fd828ace5d07193ea0d7023210bfffd1453f1860a75
member tree/etc dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/etc/cron.d dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/etc/passwd file 0o644 32 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0
  content e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0
member tree/home dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/home/alice dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/home/alice/.ssh dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/home/alice/.ssh/authorized_keys file 0o644 31 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=5627707c96060cce05d8fddd08918ba8feadcc416f3e869ed90d3a1cb684703c
  content 5627707c96060cce05d8fddd08918ba8feadcc416f3e869ed90d3a1cb684703c
member tree/srv dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/srv/back\slash file 0o644 10 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=e6f805fa5fc041ab4bb7aa119641f77ac3e9f42106bc9f92354080692736c8de
  content e6f805fa5fc041ab4bb7aa119641f77ac3e9f42106bc9f92354080692736c8de
member 747265652f7372762f636166e9 file 0o644 7 1700000000 - hdrcharset=BINARY path=747265652f7372762f636166e9 ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=e09880f6f49f63eb36a128f8c0e5fe7c9a544a29d3e2a755ca30eeff2e41ad6d
  content e09880f6f49f63eb36a128f8c0e5fe7c9a544a29d3e2a755ca30eeff2e41ad6d
member tree/srv/dangling symlink 0o777 0 1700000000 dangling target hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1
member tree/srv/data dir 0o755 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink
member tree/srv/data/big file 0o644 100000 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4
  content d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4
member tree/srv/data/empty file 0o644 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
  content e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
member tree/srv/data/large file 0o644 70000000 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1
  content 3f4213db7b23c2f0f6872b0c616a63178e59d661c73fce10f00c952b07eac578
member tree/srv/data/medium file 0o644 5000000 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=f20cf157b08e8ff3d6fa22bc0aeab81c4954fcd589253684ff7f89c03a5aac0f
  content f20cf157b08e8ff3d6fa22bc0aeab81c4954fcd589253684ff7f89c03a5aac0f
member tree/srv/data/small file 0o600 300000 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=c40ccb967c3519be4a582e5baa287098c1ed23fc276b7caf8fa7521c1685f8d5
  content c40ccb967c3519be4a582e5baa287098c1ed23fc276b7caf8fa7521c1685f8d5
member tree/srv/data/sparse file 0o644 8388608 1700000000 - hdrcharset=BINARY ctime GNU.sparse.major=1 GNU.sparse.minor=0 GNU.sparse.name=tree/srv/data/sparse GNU.sparse.realsize=8388608 SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=5bda2644e3acc08c3c987028e862157f33abea3b63999a3aded1f4440c03f5a2
  content 5bda2644e3acc08c3c987028e862157f33abea3b63999a3aded1f4440c03f5a2
member tree/srv/data/sparse-small file 0o644 1048576 1700000000 - hdrcharset=BINARY ctime GNU.sparse.major=1 GNU.sparse.minor=0 GNU.sparse.name=tree/srv/data/sparse-small GNU.sparse.realsize=1048576 SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=cde03833c619ed7b9767798efe6f78645ccc42f7e5b7368f3907481f88618805
  content cde03833c619ed7b9767798efe6f78645ccc42f7e5b7368f3907481f88618805
member 747265652f7372762f6573631b5b33316d726564 file 0o644 7 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=41b20806979a13f9037e99c61a755ce56f9dc5f3e1933605dc68b68170cb0a64
  content 41b20806979a13f9037e99c61a755ce56f9dc5f3e1933605dc68b68170cb0a64
member tree/srv/fifo fifo 0o644 0 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1
member tree/srv/link-to-hello symlink 0o777 0 1700000000 ../bin/hello hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1
member 747265652f7372762f6e65770a6c696e65 file 0o644 8 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=7ba826f0c347f6adc4686c8d1f61aeb2e2e98322749cd4f82204c926f4022cee
  content 7ba826f0c347f6adc4686c8d1f61aeb2e2e98322749cd4f82204c926f4022cee
member tree/srv/with space file 0o644 6 1700000000 - hdrcharset=BINARY ctime SCHILY.dev SCHILY.ino SCHILY.nlink=1 CUSTOS.sha256=9d39745403e5faf662463b32d613eedf45037d0180983ae8bc87f538cf0c9653
  content 9d39745403e5faf662463b32d613eedf45037d0180983ae8bc87f538cf0c9653
member custos/manifest.cbl file 0o444 hdrcharset=BINARY mtime CUSTOS.sha256
custody #custos-custody 1
custody format=custos-evidence\x201
custody case=IR-1
custody label=L\x201
custody operator=Op
custody note=n
custody host
custody started
custody tool
custody argv=custos
custody argv=snapshot
custody argv=-q
custody argv=--case
custody argv=IR-1
custody argv=--label
custody argv=L\x201
custody argv=--operator
custody argv=Op
custody argv=--note
custody argv=n
custody argv=-o
custody argv=ev.tar
custody argv=tree
custody source
custody digests=sha256
custody output
custody block-size=10240
custody status=in-progress
custody #end
sidecar #custos-custody 1
sidecar format=custos-evidence\x201
sidecar case=IR-1
sidecar label=L\x201
sidecar operator=Op
sidecar note=n
sidecar host
sidecar started
sidecar tool
sidecar argv=custos
sidecar argv=snapshot
sidecar argv=-q
sidecar argv=--case
sidecar argv=IR-1
sidecar argv=--label
sidecar argv=L\x201
sidecar argv=--operator
sidecar argv=Op
sidecar argv=--note
sidecar argv=n
sidecar argv=-o
sidecar argv=ev.tar
sidecar argv=tree
sidecar source
sidecar digests=sha256
sidecar output
sidecar block-size=10240
sidecar finished
sidecar objects=29
sidecar members=31
sidecar bytes=75408321
sidecar errors=0
sidecar manifest-sha256
sidecar stream-size
sidecar stream-sha256
sidecar protection
sidecar status=complete
sidecar #end
manifest #custos-baseline 2
manifest #created
manifest #host
manifest #root
manifest #digests=sha256
manifest #tool
manifest #filesystems=one
manifest #evidence=custos-evidence\x201
manifest #case=IR-1
manifest #label=L\x201
manifest #finished
manifest #members=31
manifest / type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /bin type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /bin/hello type=file mode=0755 size=21 mtime=1700000000.000000000 sha256=bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b
manifest /bin/hello-hardlink type=file mode=0755 size=21 mtime=1700000000.000000000 sha256=bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b
manifest /bin/su-like type=file mode=4755 size=7 mtime=1700000000.000000000 sha256=fcd249947a42433f3ca96fd828ace5d07193ea0d7023210bfffd1453f1860a75
manifest /etc type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /etc/cron.d type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /etc/passwd type=file mode=0644 size=32 mtime=1700000000.000000000 sha256=e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0
manifest /home type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /home/alice type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /home/alice/.ssh type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /home/alice/.ssh/authorized_keys type=file mode=0644 size=31 mtime=1700000000.000000000 sha256=5627707c96060cce05d8fddd08918ba8feadcc416f3e869ed90d3a1cb684703c
manifest /srv type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /srv/back\x5cslash type=file mode=0644 size=10 mtime=1700000000.000000000 sha256=e6f805fa5fc041ab4bb7aa119641f77ac3e9f42106bc9f92354080692736c8de
manifest /srv/caf\xe9 type=file mode=0644 size=7 mtime=1700000000.000000000 sha256=e09880f6f49f63eb36a128f8c0e5fe7c9a544a29d3e2a755ca30eeff2e41ad6d
manifest /srv/dangling type=link mode=0777 size=15 mtime=1700000000.000000000 target=dangling\x20target
manifest /srv/data type=dir mode=0755 size=0 mtime=1700000000.000000000
manifest /srv/data/big type=file mode=0644 size=100000 mtime=1700000000.000000000 sha256=d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4
manifest /srv/data/empty type=file mode=0644 size=0 mtime=1700000000.000000000 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
manifest /srv/data/large type=file mode=0644 size=70000000 mtime=1700000000.000000000 sha256=3f4213db7b23c2f0f6872b0c616a63178e59d661c73fce10f00c952b07eac578
manifest /srv/data/medium type=file mode=0644 size=5000000 mtime=1700000000.000000000 sha256=f20cf157b08e8ff3d6fa22bc0aeab81c4954fcd589253684ff7f89c03a5aac0f
manifest /srv/data/small type=file mode=0600 size=300000 mtime=1700000000.000000000 sha256=c40ccb967c3519be4a582e5baa287098c1ed23fc276b7caf8fa7521c1685f8d5
manifest /srv/data/sparse type=file mode=0644 size=8388608 mtime=1700000000.000000000 sha256=5bda2644e3acc08c3c987028e862157f33abea3b63999a3aded1f4440c03f5a2
manifest /srv/data/sparse-small type=file mode=0644 size=1048576 mtime=1700000000.000000000 sha256=cde03833c619ed7b9767798efe6f78645ccc42f7e5b7368f3907481f88618805
manifest /srv/esc\x1b[31mred type=file mode=0644 size=7 mtime=1700000000.000000000 sha256=41b20806979a13f9037e99c61a755ce56f9dc5f3e1933605dc68b68170cb0a64
manifest /srv/fifo type=fifo mode=0644 size=0 mtime=1700000000.000000000
manifest /srv/link-to-hello type=link mode=0777 size=12 mtime=1700000000.000000000 target=../bin/hello
manifest /srv/new\x0aline type=file mode=0644 size=8 mtime=1700000000.000000000 sha256=7ba826f0c347f6adc4686c8d1f61aeb2e2e98322749cd4f82204c926f4022cee
manifest /srv/with\x20space type=file mode=0644 size=6 mtime=1700000000.000000000 sha256=9d39745403e5faf662463b32d613eedf45037d0180983ae8bc87f538cf0c9653
manifest #end records=29 errors=0
EXPECT

test_expect_success 'snapshot of the fixed tree' '
	"$CUSTOS" snapshot -q --case IR-1 --label "L 1" --operator Op \
	    --note n -o ev.tar tree &&
	test -f ev.tar.custody
'

test_expect_success PYTHON,HOLES 'the archive is the one expected' '
	python3 dump.py ev.tar ev.tar.custody >actual &&
	test_cmp expect actual
'

test_done
