#!/bin/bash
# t2016: what baseline, check, diff, update and verify write is pinned.
#
# The outputs of custos as it stood before its commands became "open
# sources, open a sink, run" (the expected texts below were written by
# that version from the same inputs) must come out byte for byte the
# same.  Inputs that cannot be fixed (a live tree's inode numbers and
# ctimes, the clock, the host) are normalised the same way on both
# sides, and nothing else: the hostile tree of mktree.sh with every time
# set to one instant is baselined; two baselines made deterministic from
# it (ctime set to the mtime, inode numbers counted from 1, fixed header)
# are compared in every report format and merged by update; the live
# tree, changed, is checked; an evidence tar of it is verified.  The
# evidence tar itself is pinned by t3004.
. "$(dirname "$0")/lib.sh"

P=ROOT,ACL,XATTR,CAPS,MKNOD,PYTHON
# The default policy, under a name that does not depend on the build.
cp "$CS_SRCDIR/etc/default.policy" pol || exit 99
POL=pol

umask 022
if test_have_prereq "$P"; then
	"$FIXTURES/mktree.sh" "$TRASH/tree" >/dev/null &&
	find "$TRASH/tree" -exec touch -h -d @1700000000 {} + || exit 99
fi

cat >norm.py <<'PY'
# norm.py MODE FILE: the machine-independent part of an output.
#   baseline   drop what depends on the machine and the clock (header
#              created, host, root; ctime, btime, iflags; the trailer's
#              digest);
#              an inode number becomes the number of the first path
#              that has it, paths numbered in order of appearance
#   fixed      a deterministic baseline: ctime = mtime, inode numbers as
#              above (paths numbered across calls in the file MAP, the
#              third argument), a fixed header, a correct trailer
#   report     times after 2024 become NOW, inode numbers N, the run's
#              duration S, a live tree's host H and root R
import hashlib, json, os, re, sys

mode, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read().decode("utf-8", "surrogateescape")
paths = {}
if len(sys.argv) > 3 and os.path.exists(sys.argv[3]):
    paths = json.load(open(sys.argv[3]))
first = {}

def ino(m, path):
    p = first.setdefault(m.group(1), path)
    return "ino=%d" % paths.setdefault(p, len(paths) + 1)

def baseline(fixed):
    out = []
    for line in data.splitlines():
        if line.startswith("#end "):
            break
        if line.startswith("#"):
            k = line[1:].split("=")[0]
            if k in ("created", "host", "root"):
                line = {"created": "#created=2024-01-01T00:00:00Z",
                    "host": "#host=h", "root": "#root=/r"}[k] \
                    if fixed else "#" + k
            out.append(line)
            continue
        path = line.split(" ")[0]
        line = re.sub(r" ino=([0-9]+)", lambda m: " " + ino(m, path), line)
        line = re.sub(r" iflags=[0-9a-f]+", "", line)
        # the birth time, recorded since, is the machine's clock
        line = re.sub(r" btime=[0-9.]+", "", line)
        if fixed:
            mt = re.search(r" mtime=([0-9.]+)", line).group(1)
            line = re.sub(r" ctime=[0-9.]+", " ctime=" + mt, line)
        else:
            line = re.sub(r" ctime=[0-9.]+", "", line)
        out.append(line)
    body = "".join(l + "\n" for l in out)
    n = sum(1 for l in out if not l.startswith("#"))
    if fixed:
        d = hashlib.sha256(body.encode("utf-8", "surrogateescape"))
        return body + "#end records=%d errors=0 sha256=%s\n" % (
            n, d.hexdigest())
    return body + "#end records=%d\n" % n

def report():
    s = re.sub(r"20(2[5-9]|[3-9][0-9])-[0-9]{2}-[0-9]{2}T[0-9:.]+Z", "NOW",
        data)
    s = re.sub(r"\bino([=: \"]+)[0-9]+", r"ino\1N", s)
    s = re.sub(r"[0-9]+\.[0-9]+ s\b", "S s", s)
    s = re.sub(r'"seconds":[0-9.]+', '"seconds":S', s)
    s = re.sub(r" iflags=[a-z,]+", "", s)
    s = re.sub(r',"iflags":"[a-z,]*"', "", s)
    # a live tree's baseline names its host and root
    s = re.sub(r'"host":"(?!h")[^"]*"', '"host":"H"', s)
    s = re.sub(r'"root":"(?!/r")[^"]*"', '"root":"R"', s)
    # the timeline is in the order of the live tree's ctimes
    lines = s.splitlines(True)
    tl = sorted(l for l in lines if l.startswith('{"type":"timeline"'))
    return "".join(l for l in lines if not l.startswith(
        '{"type":"timeline"')) + "".join(tl)

out = {"baseline": lambda: baseline(False), "fixed": lambda: baseline(True),
    "report": report}[mode]()
sys.stdout.buffer.write(out.encode("utf-8", "surrogateescape"))
if len(sys.argv) > 3:
    json.dump(paths, open(sys.argv[3], "w"))
PY

# same NAME: is the normalised output in got the expected output NAME
# (from the here-document below)?  With CS_PIN_OUT set, append it there
# instead, under its name (how the expected texts were made).
same() {
	if [ -n "${CS_PIN_OUT:-}" ]; then
		{ echo "=== $1"; cat got; } >>"$CS_PIN_OUT"
		return 0
	fi
	sed -n "/^=== $1\$/,/^=== /p" "$TRASH/expected" |
	    sed -e '1d' -e '$d' >want &&
	test_cmp want got
}

# The outputs of the earlier version (see the top of this file).
cat >expected <<'EXPECTED'
=== baseline
#custos-baseline 2
#created
#host
#root
#digests=sha256
#tool=custos/0.1.0
#filesystems=one
/ type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=1 nlink=6
/bin type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=2 nlink=2
/bin/hello type=file mode=0755 uid=0 gid=0 user=root group=root size=21 mtime=1700000000.000000000 ino=3 nlink=2 sha256=bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b xattr.user.binary=\x00\xff\x0a xattr.user.origin=vendor
/bin/hello-hardlink type=file mode=0755 uid=0 gid=0 user=root group=root size=21 mtime=1700000000.000000000 ino=3 nlink=2 sha256=bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b xattr.user.binary=\x00\xff\x0a xattr.user.origin=vendor
/bin/su-like type=file mode=4755 uid=0 gid=0 user=root group=root size=7 mtime=1700000000.000000000 ino=4 nlink=1 caps=cap_net_raw\x3dep sha256=fcd249947a42433f3ca96fd828ace5d07193ea0d7023210bfffd1453f1860a75 xattr.security.capability=\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00
/etc type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=5 nlink=3
/etc/cron.d type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=6 nlink=2
/etc/passwd type=file mode=0644 uid=0 gid=0 user=root group=root size=32 mtime=1700000000.000000000 ino=7 nlink=1 acl=user::rw-,user:1000:r--,group::r--,mask::r--,other::r-- sha256=e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0
/home type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=8 nlink=3
/home/alice type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=9 nlink=3
/home/alice/.ssh type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=10 nlink=2
/home/alice/.ssh/authorized_keys type=file mode=0644 uid=0 gid=0 user=root group=root size=31 mtime=1700000000.000000000 ino=11 nlink=1 sha256=5627707c96060cce05d8fddd08918ba8feadcc416f3e869ed90d3a1cb684703c
/srv type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=12 nlink=3
/srv/back\x5cslash type=file mode=0644 uid=0 gid=0 user=root group=root size=10 mtime=1700000000.000000000 ino=13 nlink=1 sha256=e6f805fa5fc041ab4bb7aa119641f77ac3e9f42106bc9f92354080692736c8de
/srv/caf\xe9 type=file mode=0644 uid=0 gid=0 user=root group=root size=7 mtime=1700000000.000000000 ino=14 nlink=1 sha256=e09880f6f49f63eb36a128f8c0e5fe7c9a544a29d3e2a755ca30eeff2e41ad6d
/srv/dangling type=link mode=0777 uid=0 gid=0 user=root group=root size=15 mtime=1700000000.000000000 ino=15 nlink=1 target=dangling\x20target
/srv/data type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=16 nlink=2 dacl=user::rwx,group::r-x,group:100:rwx,mask::rwx,other::r-x
/srv/data/big type=file mode=0644 uid=0 gid=0 user=root group=root size=100000 mtime=1700000000.000000000 ino=17 nlink=1 sha256=d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4
/srv/data/empty type=file mode=0644 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=18 nlink=1 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
/srv/esc\x1b[31mred type=file mode=0644 uid=0 gid=0 user=root group=root size=7 mtime=1700000000.000000000 ino=19 nlink=1 sha256=41b20806979a13f9037e99c61a755ce56f9dc5f3e1933605dc68b68170cb0a64
/srv/fifo type=fifo mode=0644 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=20 nlink=1
/srv/link-to-hello type=link mode=0777 uid=0 gid=0 user=root group=root size=12 mtime=1700000000.000000000 ino=21 nlink=1 target=../bin/hello
/srv/new\x0aline type=file mode=0644 uid=0 gid=0 user=root group=root size=8 mtime=1700000000.000000000 ino=22 nlink=1 sha256=7ba826f0c347f6adc4686c8d1f61aeb2e2e98322749cd4f82204c926f4022cee
/srv/null type=char mode=0644 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=23 nlink=1 rdev=1,3
/srv/socket type=socket mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=24 nlink=1
/srv/with\x20space type=file mode=0644 uid=0 gid=0 user=root group=root size=6 mtime=1700000000.000000000 ino=25 nlink=1 sha256=9d39745403e5faf662463b32d613eedf45037d0180983ae8bc87f538cf0c9653
#end records=26
=== diff-text
custos diff report
WARNING: the baseline is NOT SIGNED: nothing proves who made it or that it is unaltered
baseline:   A.cbl
  created:  2024-01-01T00:00:00Z
  host:     h
  root:     /r
  digests:  sha256
  signer:   NONE (unsigned)
source:     baseline D.cbl
policy:     pol
examined:   27 objects (26 in the baseline), 0.1 MiB, S s
warning:    policy lines that match nothing in the baseline: pol:9 '/tmp/*', pol:10 '/var/tmp/*', pol:11 '/var/cache/*', pol:12 '/run/*', pol:13 '/dev/shm/*', pol:14 '/var/lib/apt/lists/*', pol:15 '/var/lib/systemd/timers/*', pol:16 '/var/lib/systemd/random-seed', pol:17 '/var/lib/dhcp/*', pol:18 '/var/lib/logrotate/status', pol:20 '/run/systemd/system/*', pol:21 '/run/systemd/system.control/*', pol:22 '/run/udev/rules.d/*', pol:23 '/tmp', pol:24 '/var/tmp', pol:25 '/run', pol:32 '/var/log/*', pol:33 '/var/log/*.[0-9]', pol:34 '/var/log/*.[0-9][0-9]', pol:35 '/var/log/*.gz', pol:36 '/var/log/*.xz', pol:37 '/var/log/*.zst', pol:38 '/var/log/*.bz2', pol:39 '/var/log/*-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]', pol:40 '/var/log/journal/*', pol:41 '/var/log/wtmp', pol:42 '/var/log/btmp', pol:43 '/var/log/lastlog', pol:48 '/etc/login.defs', pol:50 '/etc/passwd-', pol:51 '/etc/group', pol:52 '/etc/group-', pol:53 '/etc/shadow', pol:54 '/etc/shadow-', pol:55 '/etc/gshadow', pol:56 '/etc/gshadow-', pol:57 '/etc/subuid', pol:58 '/etc/subuid-', pol:59 '/etc/subgid', pol:60 '/etc/subgid-', pol:61 '/var/log/wtmp', pol:62 '/var/log/wtmp.[0-9]*', pol:63 '/var/log/wtmp-[0-9]*', pol:64 '/var/log/btmp', pol:65 '/var/log/btmp.[0-9]*', pol:66 '/var/log/btmp-[0-9]*', pol:67 '/var/log/lastlog', pol:72 '/root/*', pol:75 '/etc/mtab', pol:76 '/etc/adjtime', pol:77 '/etc/ld.so.cache', pol:78 '/var/lib/dpkg/*', pol:79 '/var/lib/*', pol:80 '/var/backups/*', pol:81 '/var/mail/*', pol:82 '/var/spool/postfix/*', pol:83 '/boot/grub/grubenv'
result:     2 added, 1 removed, 5 changed, 0 type changed, 0 not compared; 0 logs appended, 0 ignored
severity:   2 critical, 4 high, 0 medium, 2 low, 0 info
exit:       7

FINDINGS (most severe first)

critical changed      file /bin/hello
    why:   [T1548.001] setuid or setgid bit added
    why:   [T1222.002] permissions of a system file changed
    mode: 0755 -> 4755

critical changed      file /bin/hello-hardlink
    why:   [T1548.001] setuid or setgid bit added
    why:   [T1222.002] permissions of a system file changed
    mode: 0755 -> 4755

high     added        file /etc/cron.d/job
    why:   [T1053.003] cron job or table
    why:   system configuration changed
    type: file
    size: 22
    sha256: 4bbc7a4b02d6ec098bd684cbe31b9de3a9e718986fed765d6099e529b5d3a818
    mode: 0644
    uid: 0(root)
    gid: 0(root)
    mtime: 2023-11-14T22:15:00.000000000Z
    ctime: 2023-11-14T22:15:00.000000000Z
    ino: N
    nlink: 1

high     changed      file /etc/passwd
    why:   [T1070.006] content changed with its mtime kept or backdated (timestomping)
    why:   [T1136.001] account database
    why:   system configuration changed
    note:  TIMESTOMPED: content changed while the mtime was kept or set before the baseline
    size: 32 -> 54
    digest sha256: e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0 -> 377898732ac70531fc8083fec593ab8741ec24210d5a1215b4499e9417a996cf
    mtime: 2023-11-14T22:13:20.000000000Z -> 2023-11-14T22:15:00.000000000Z

high     added        file /home/alice/.ssh/authorized_keys2
    why:   [T1098.004] SSH authorized keys
    type: file
    size: 21
    sha256: bb1eb8d1f2dfd7e8850995550c4a4b200b042525893486f377719eeced1e25bc
    mode: 0644
    uid: 0(root)
    gid: 0(root)
    mtime: 2023-11-14T22:13:20.000000000Z
    ctime: 2023-11-14T22:13:20.000000000Z
    ino: N
    nlink: 1

high     changed      file /srv/data/big
    why:   [T1070.006] content changed with its mtime kept or backdated (timestomping)
    note:  TIMESTOMPED: content changed while the mtime was kept or set before the baseline
    digest sha256: d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4 -> 98384ca6e674ca520cb26eb36e7e8213b4037b13da221c6cb901a1950fea983c

low      removed      file /srv/data/empty
    type: file
    size: 0
    sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    mode: 0644
    uid: 0(root)
    gid: 0(root)
    mtime: 2023-11-14T22:13:20.000000000Z
    ctime: 2023-11-14T22:13:20.000000000Z
    ino: N
    nlink: 1

low      changed      file /srv/with\x20space
    mode: 0644 -> 0674
    acl: (none) -> user::rw-,user:4242:rwx,group::r--,mask::rwx,other::r--

TIMELINE (by ctime; bursts split by gaps over 600 s)

burst 1: 2023-11-14T22:13:20Z .. 2023-11-14T22:15:00Z, 7 objects
  2023-11-14T22:13:20Z  critical changed      /bin/hello
  2023-11-14T22:13:20Z  critical changed      /bin/hello-hardlink
  2023-11-14T22:13:20Z  high     added        /home/alice/.ssh/authorized_keys2
  2023-11-14T22:13:20Z  high     changed      /srv/data/big TIMESTOMPED
  2023-11-14T22:13:20Z  low      changed      /srv/with\x20space
  2023-11-14T22:15:00Z  high     added        /etc/cron.d/job
  2023-11-14T22:15:00Z  high     changed      /etc/passwd TIMESTOMPED

REBUILD PLAN

Reinstall from trusted vendor media (programs, libraries, system files):
  changed  /bin/hello  (program, library or vendor file: reinstall from vendor media)
  changed  /bin/hello-hardlink  (program, library or vendor file: reinstall from vendor media)

Review, and restore from a backup older than the intrusion (configuration, user data):
  added    /etc/cron.d/job  (configuration: review, restore from backup)
  changed  /etc/passwd  (configuration: review, restore from backup)
  added    /home/alice/.ssh/authorized_keys2  (user data: review, restore from backup)
  changed  /srv/data/big  (data: review, restore from backup)
  removed  /srv/data/empty  (data: review, restore from backup)
  changed  /srv/with\x20space  (data: review, restore from backup)

SUMMARY
result:     2 added, 1 removed, 5 changed, 0 type changed, 0 not compared; 0 logs appended, 0 ignored
severity:   2 critical, 4 high, 0 medium, 2 low, 0 info
exit:       7
=== diff-line
critical changed /bin/hello mode=0755->4755 -- setuid or setgid bit added (T1548.001); permissions of a system file changed (T1222.002)
critical changed /bin/hello-hardlink mode=0755->4755 -- setuid or setgid bit added (T1548.001); permissions of a system file changed (T1222.002)
high added /etc/cron.d/job type=file size=22 sha256=4bbc7a4b02d6ec098bd684cbe31b9de3a9e718986fed765d6099e529b5d3a818 mode=0644 uid=0(root) gid=0(root) mtime=2023-11-14T22:15:00.000000000Z ctime=2023-11-14T22:15:00.000000000Z ino=N nlink=1 -- cron job or table (T1053.003); system configuration changed
high changed /etc/passwd size=32->54 sha256=e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0->377898732ac70531fc8083fec593ab8741ec24210d5a1215b4499e9417a996cf mtime=2023-11-14T22:13:20.000000000Z->2023-11-14T22:15:00.000000000Z -- content changed with its mtime kept or backdated (timestomping) (T1070.006); account database (T1136.001); system configuration changed
high added /home/alice/.ssh/authorized_keys2 type=file size=21 sha256=bb1eb8d1f2dfd7e8850995550c4a4b200b042525893486f377719eeced1e25bc mode=0644 uid=0(root) gid=0(root) mtime=2023-11-14T22:13:20.000000000Z ctime=2023-11-14T22:13:20.000000000Z ino=N nlink=1 -- SSH authorized keys (T1098.004)
high changed /srv/data/big sha256=d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4->98384ca6e674ca520cb26eb36e7e8213b4037b13da221c6cb901a1950fea983c -- content changed with its mtime kept or backdated (timestomping) (T1070.006)
low removed /srv/data/empty type=file size=0 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 mode=0644 uid=0(root) gid=0(root) mtime=2023-11-14T22:13:20.000000000Z ctime=2023-11-14T22:13:20.000000000Z ino=N nlink=1
low changed /srv/with\x20space mode=0644->0674 acl=(none)->user::rw-,user:4242:rwx,group::r--,mask::rwx,other::r--
=== diff-json
{"type":"summary","format":"custos-report","version":1,"command":"diff","baseline":{"file":"A.cbl","created":"2024-01-01T00:00:00Z","host":"h","root":"/r","digests":"sha256","signed":false,"verified":false,"signer":null,"fingerprint":null},"source":"baseline D.cbl","policy":"pol","seconds":S,"objects":27,"baseline_objects":26,"bytes":100215,"counts":{"added":2,"removed":1,"changed":5,"type-changed":0,"not-compared":0,"appended":0,"ignored":0,"unsilenced":0,"below_not_entered":0},"severity":{"critical":2,"high":4,"medium":0,"low":2,"info":0},"warnings":["policy lines that match nothing in the baseline: pol:9 '/tmp/*', pol:10 '/var/tmp/*', pol:11 '/var/cache/*', pol:12 '/run/*', pol:13 '/dev/shm/*', pol:14 '/var/lib/apt/lists/*', pol:15 '/var/lib/systemd/timers/*', pol:16 '/var/lib/systemd/random-seed', pol:17 '/var/lib/dhcp/*', pol:18 '/var/lib/logrotate/status', pol:20 '/run/systemd/system/*', pol:21 '/run/systemd/system.control/*', pol:22 '/run/udev/rules.d/*', pol:23 '/tmp', pol:24 '/var/tmp', pol:25 '/run', pol:32 '/var/log/*', pol:33 '/var/log/*.[0-9]', pol:34 '/var/log/*.[0-9][0-9]', pol:35 '/var/log/*.gz', pol:36 '/var/log/*.xz', pol:37 '/var/log/*.zst', pol:38 '/var/log/*.bz2', pol:39 '/var/log/*-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]', pol:40 '/var/log/journal/*', pol:41 '/var/log/wtmp', pol:42 '/var/log/btmp', pol:43 '/var/log/lastlog', pol:48 '/etc/login.defs', pol:50 '/etc/passwd-', pol:51 '/etc/group', pol:52 '/etc/group-', pol:53 '/etc/shadow', pol:54 '/etc/shadow-', pol:55 '/etc/gshadow', pol:56 '/etc/gshadow-', pol:57 '/etc/subuid', pol:58 '/etc/subuid-', pol:59 '/etc/subgid', pol:60 '/etc/subgid-', pol:61 '/var/log/wtmp', pol:62 '/var/log/wtmp.[0-9]*', pol:63 '/var/log/wtmp-[0-9]*', pol:64 '/var/log/btmp', pol:65 '/var/log/btmp.[0-9]*', pol:66 '/var/log/btmp-[0-9]*', pol:67 '/var/log/lastlog', pol:72 '/root/*', pol:75 '/etc/mtab', pol:76 '/etc/adjtime', pol:77 '/etc/ld.so.cache', pol:78 '/var/lib/dpkg/*', pol:79 '/var/lib/*', pol:80 '/var/backups/*', pol:81 '/var/mail/*', pol:82 '/var/spool/postfix/*', pol:83 '/boot/grub/grubenv'"],"exit":7}
{"type":"finding","path":"/bin/hello","kind":"changed","object":"file","severity":"critical","reasons":["setuid or setgid bit added","permissions of a system file changed"],"techniques":["T1548.001","T1222.002"],"changes":[{"attr":"mode","name":null,"old":"0755","new":"4755"}],"timestomped":false,"appended":false,"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"2023-11-14T22:13:20.000000000Z"}
{"type":"finding","path":"/bin/hello-hardlink","kind":"changed","object":"file","severity":"critical","reasons":["setuid or setgid bit added","permissions of a system file changed"],"techniques":["T1548.001","T1222.002"],"changes":[{"attr":"mode","name":null,"old":"0755","new":"4755"}],"timestomped":false,"appended":false,"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"2023-11-14T22:13:20.000000000Z"}
{"type":"finding","path":"/etc/cron.d/job","kind":"added","object":"file","severity":"high","reasons":["cron job or table","system configuration changed"],"techniques":["T1053.003",null],"changes":[],"timestomped":false,"appended":false,"entry":{"type":"file","mode":"0644","uid":0,"user":"root","gid":0,"group":"root","size":22,"digests":{"sha256":"4bbc7a4b02d6ec098bd684cbe31b9de3a9e718986fed765d6099e529b5d3a818"},"ino":N,"nlink":1,"caps":null,"acl":null,"dacl":null,"xattrs":{},"mtime":"2023-11-14T22:15:00.000000000Z","ctime":"2023-11-14T22:15:00.000000000Z"},"mtime":"2023-11-14T22:15:00.000000000Z","ctime":"2023-11-14T22:15:00.000000000Z"}
{"type":"finding","path":"/etc/passwd","kind":"changed","object":"file","severity":"high","reasons":["content changed with its mtime kept or backdated (timestomping)","account database","system configuration changed"],"techniques":["T1070.006","T1136.001",null],"changes":[{"attr":"size","name":null,"old":"32","new":"54"},{"attr":"digest","name":"sha256","old":"e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0","new":"377898732ac70531fc8083fec593ab8741ec24210d5a1215b4499e9417a996cf"},{"attr":"mtime","name":null,"old":"2023-11-14T22:13:20.000000000Z","new":"2023-11-14T22:15:00.000000000Z"}],"timestomped":true,"appended":false,"mtime":"2023-11-14T22:15:00.000000000Z","ctime":"2023-11-14T22:15:00.000000000Z"}
{"type":"finding","path":"/home/alice/.ssh/authorized_keys2","kind":"added","object":"file","severity":"high","reasons":["SSH authorized keys"],"techniques":["T1098.004"],"changes":[],"timestomped":false,"appended":false,"entry":{"type":"file","mode":"0644","uid":0,"user":"root","gid":0,"group":"root","size":21,"digests":{"sha256":"bb1eb8d1f2dfd7e8850995550c4a4b200b042525893486f377719eeced1e25bc"},"ino":N,"nlink":1,"caps":null,"acl":null,"dacl":null,"xattrs":{},"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"2023-11-14T22:13:20.000000000Z"},"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"2023-11-14T22:13:20.000000000Z"}
{"type":"finding","path":"/srv/data/big","kind":"changed","object":"file","severity":"high","reasons":["content changed with its mtime kept or backdated (timestomping)"],"techniques":["T1070.006"],"changes":[{"attr":"digest","name":"sha256","old":"d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4","new":"98384ca6e674ca520cb26eb36e7e8213b4037b13da221c6cb901a1950fea983c"}],"timestomped":true,"appended":false,"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"2023-11-14T22:13:20.000000000Z"}
{"type":"finding","path":"/srv/data/empty","kind":"removed","object":"file","severity":"low","reasons":[],"techniques":[],"changes":[],"timestomped":false,"appended":false,"entry":{"type":"file","mode":"0644","uid":0,"user":"root","gid":0,"group":"root","size":0,"digests":{"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},"ino":N,"nlink":1,"caps":null,"acl":null,"dacl":null,"xattrs":{},"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"2023-11-14T22:13:20.000000000Z"},"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"2023-11-14T22:13:20.000000000Z"}
{"type":"finding","path":"/srv/with\\x20space","kind":"changed","object":"file","severity":"low","reasons":[],"techniques":[],"changes":[{"attr":"mode","name":null,"old":"0644","new":"0674"},{"attr":"acl","name":null,"old":null,"new":"user::rw-,user:4242:rwx,group::r--,mask::rwx,other::r--"}],"timestomped":false,"appended":false,"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"2023-11-14T22:13:20.000000000Z"}
{"type":"plan","action":"reinstall","path":"/bin/hello","kind":"changed","why":"program, library or vendor file: reinstall from vendor media"}
{"type":"plan","action":"reinstall","path":"/bin/hello-hardlink","kind":"changed","why":"program, library or vendor file: reinstall from vendor media"}
{"type":"plan","action":"review","path":"/etc/cron.d/job","kind":"added","why":"configuration: review, restore from backup"}
{"type":"plan","action":"review","path":"/etc/passwd","kind":"changed","why":"configuration: review, restore from backup"}
{"type":"plan","action":"review","path":"/home/alice/.ssh/authorized_keys2","kind":"added","why":"user data: review, restore from backup"}
{"type":"plan","action":"review","path":"/srv/data/big","kind":"changed","why":"data: review, restore from backup"}
{"type":"plan","action":"review","path":"/srv/data/empty","kind":"removed","why":"data: review, restore from backup"}
{"type":"plan","action":"review","path":"/srv/with\\x20space","kind":"changed","why":"data: review, restore from backup"}
{"type":"end","findings":8,"exit":7}
{"type":"timeline","burst":1,"time":"2023-11-14T22:13:20.000000000Z","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/bin/hello","kind":"changed","severity":"critical","timestomped":false}
{"type":"timeline","burst":1,"time":"2023-11-14T22:13:20.000000000Z","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/bin/hello-hardlink","kind":"changed","severity":"critical","timestomped":false}
{"type":"timeline","burst":1,"time":"2023-11-14T22:13:20.000000000Z","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/home/alice/.ssh/authorized_keys2","kind":"added","severity":"high","timestomped":false}
{"type":"timeline","burst":1,"time":"2023-11-14T22:13:20.000000000Z","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/srv/data/big","kind":"changed","severity":"high","timestomped":true}
{"type":"timeline","burst":1,"time":"2023-11-14T22:13:20.000000000Z","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/srv/with\\x20space","kind":"changed","severity":"low","timestomped":false}
{"type":"timeline","burst":1,"time":"2023-11-14T22:15:00.000000000Z","basis":"ctime","mtime":"2023-11-14T22:15:00.000000000Z","path":"/etc/cron.d/job","kind":"added","severity":"high","timestomped":false}
{"type":"timeline","burst":1,"time":"2023-11-14T22:15:00.000000000Z","basis":"ctime","mtime":"2023-11-14T22:15:00.000000000Z","path":"/etc/passwd","kind":"changed","severity":"high","timestomped":true}
=== update
#custos-baseline 2
#created
#host
#root
#digests=sha256
#tool=custos/0.1.0
#filesystems=one
#updated-from=c6e89dc6d1696e2072e28b01d185bdd8c7f03634d042a31a34618d69062637e9
/ type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=1 nlink=6
/bin type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=2 nlink=2
/bin/hello type=file mode=4755 uid=0 gid=0 user=root group=root size=21 mtime=1700000000.000000000 ino=3 nlink=2 sha256=bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b xattr.user.binary=\x00\xff\x0a xattr.user.origin=vendor
/bin/hello-hardlink type=file mode=0755 uid=0 gid=0 user=root group=root size=21 mtime=1700000000.000000000 ino=3 nlink=2 sha256=bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b xattr.user.binary=\x00\xff\x0a xattr.user.origin=vendor
/bin/su-like type=file mode=4755 uid=0 gid=0 user=root group=root size=7 mtime=1700000000.000000000 ino=4 nlink=1 caps=cap_net_raw\x3dep sha256=fcd249947a42433f3ca96fd828ace5d07193ea0d7023210bfffd1453f1860a75 xattr.security.capability=\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00
/etc type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=5 nlink=3
/etc/cron.d type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=6 nlink=2
/etc/cron.d/job type=file mode=0644 uid=0 gid=0 user=root group=root size=22 mtime=1700000100.000000000 ino=7 nlink=1 sha256=4bbc7a4b02d6ec098bd684cbe31b9de3a9e718986fed765d6099e529b5d3a818
/etc/passwd type=file mode=0644 uid=0 gid=0 user=root group=root size=54 mtime=1700000100.000000000 ino=8 nlink=1 acl=user::rw-,user:1000:r--,group::r--,mask::r--,other::r-- sha256=377898732ac70531fc8083fec593ab8741ec24210d5a1215b4499e9417a996cf
/home type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=9 nlink=3
/home/alice type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=10 nlink=3
/home/alice/.ssh type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=11 nlink=2
/home/alice/.ssh/authorized_keys type=file mode=0644 uid=0 gid=0 user=root group=root size=31 mtime=1700000000.000000000 ino=12 nlink=1 sha256=5627707c96060cce05d8fddd08918ba8feadcc416f3e869ed90d3a1cb684703c
/srv type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=13 nlink=3
/srv/back\x5cslash type=file mode=0644 uid=0 gid=0 user=root group=root size=10 mtime=1700000000.000000000 ino=14 nlink=1 sha256=e6f805fa5fc041ab4bb7aa119641f77ac3e9f42106bc9f92354080692736c8de
/srv/caf\xe9 type=file mode=0644 uid=0 gid=0 user=root group=root size=7 mtime=1700000000.000000000 ino=15 nlink=1 sha256=e09880f6f49f63eb36a128f8c0e5fe7c9a544a29d3e2a755ca30eeff2e41ad6d
/srv/dangling type=link mode=0777 uid=0 gid=0 user=root group=root size=15 mtime=1700000000.000000000 ino=16 nlink=1 target=dangling\x20target
/srv/data type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=17 nlink=2 dacl=user::rwx,group::r-x,group:100:rwx,mask::rwx,other::r-x
/srv/data/big type=file mode=0644 uid=0 gid=0 user=root group=root size=100000 mtime=1700000000.000000000 ino=18 nlink=1 sha256=d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4
/srv/data/empty type=file mode=0644 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=19 nlink=1 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
/srv/esc\x1b[31mred type=file mode=0644 uid=0 gid=0 user=root group=root size=7 mtime=1700000000.000000000 ino=20 nlink=1 sha256=41b20806979a13f9037e99c61a755ce56f9dc5f3e1933605dc68b68170cb0a64
/srv/fifo type=fifo mode=0644 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=21 nlink=1
/srv/link-to-hello type=link mode=0777 uid=0 gid=0 user=root group=root size=12 mtime=1700000000.000000000 ino=22 nlink=1 target=../bin/hello
/srv/new\x0aline type=file mode=0644 uid=0 gid=0 user=root group=root size=8 mtime=1700000000.000000000 ino=23 nlink=1 sha256=7ba826f0c347f6adc4686c8d1f61aeb2e2e98322749cd4f82204c926f4022cee
/srv/null type=char mode=0644 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=24 nlink=1 rdev=1,3
/srv/socket type=socket mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1700000000.000000000 ino=25 nlink=1
/srv/with\x20space type=file mode=0644 uid=0 gid=0 user=root group=root size=6 mtime=1700000000.000000000 ino=26 nlink=1 sha256=9d39745403e5faf662463b32d613eedf45037d0180983ae8bc87f538cf0c9653
#end records=27
=== check-line
critical changed /bin/hello mode=0755->4755 -- setuid or setgid bit added (T1548.001); permissions of a system file changed (T1222.002)
critical changed /bin/hello-hardlink mode=0755->4755 -- setuid or setgid bit added (T1548.001); permissions of a system file changed (T1222.002)
high added /etc/cron.d/job type=file size=22 sha256=4bbc7a4b02d6ec098bd684cbe31b9de3a9e718986fed765d6099e529b5d3a818 mode=0644 uid=0(root) gid=0(root) mtime=2023-11-14T22:15:00.000000000Z ctime=NOW ino=N nlink=1 -- cron job or table (T1053.003); system configuration changed
high changed /etc/passwd size=32->54 sha256=e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0->377898732ac70531fc8083fec593ab8741ec24210d5a1215b4499e9417a996cf mtime=2023-11-14T22:13:20.000000000Z->2023-11-14T22:15:00.000000000Z -- content changed with its mtime kept or backdated (timestomping) (T1070.006); account database (T1136.001); system configuration changed
high added /home/alice/.ssh/authorized_keys2 type=file size=21 sha256=bb1eb8d1f2dfd7e8850995550c4a4b200b042525893486f377719eeced1e25bc mode=0644 uid=0(root) gid=0(root) mtime=2023-11-14T22:13:20.000000000Z ctime=NOW ino=N nlink=1 -- SSH authorized keys (T1098.004)
high changed /srv/data/big sha256=d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4->98384ca6e674ca520cb26eb36e7e8213b4037b13da221c6cb901a1950fea983c -- content changed with its mtime kept or backdated (timestomping) (T1070.006)
low removed /srv/data/empty type=file size=0 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 mode=0644 uid=0(root) gid=0(root) mtime=2023-11-14T22:13:20.000000000Z ctime=NOW ino=N nlink=1
low changed /srv/with\x20space mode=0644->0674 acl=(none)->user::rw-,user:4242:rwx,group::r--,mask::rwx,other::r--
=== check-json
{"type":"summary","format":"custos-report","version":1,"command":"check","baseline":{"file":"B.cbl","created":"NOW","host":"H","root":"R","digests":"sha256","signed":false,"verified":false,"signer":null,"fingerprint":null},"source":"tree tree","policy":"pol","seconds":S,"objects":27,"baseline_objects":26,"bytes":100215,"counts":{"added":2,"removed":1,"changed":5,"type-changed":0,"not-compared":0,"appended":0,"ignored":0,"unsilenced":0,"below_not_entered":0},"severity":{"critical":2,"high":4,"medium":0,"low":2,"info":0},"warnings":["policy lines that match nothing in the baseline: pol:9 '/tmp/*', pol:10 '/var/tmp/*', pol:11 '/var/cache/*', pol:12 '/run/*', pol:13 '/dev/shm/*', pol:14 '/var/lib/apt/lists/*', pol:15 '/var/lib/systemd/timers/*', pol:16 '/var/lib/systemd/random-seed', pol:17 '/var/lib/dhcp/*', pol:18 '/var/lib/logrotate/status', pol:20 '/run/systemd/system/*', pol:21 '/run/systemd/system.control/*', pol:22 '/run/udev/rules.d/*', pol:23 '/tmp', pol:24 '/var/tmp', pol:25 '/run', pol:32 '/var/log/*', pol:33 '/var/log/*.[0-9]', pol:34 '/var/log/*.[0-9][0-9]', pol:35 '/var/log/*.gz', pol:36 '/var/log/*.xz', pol:37 '/var/log/*.zst', pol:38 '/var/log/*.bz2', pol:39 '/var/log/*-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]', pol:40 '/var/log/journal/*', pol:41 '/var/log/wtmp', pol:42 '/var/log/btmp', pol:43 '/var/log/lastlog', pol:48 '/etc/login.defs', pol:50 '/etc/passwd-', pol:51 '/etc/group', pol:52 '/etc/group-', pol:53 '/etc/shadow', pol:54 '/etc/shadow-', pol:55 '/etc/gshadow', pol:56 '/etc/gshadow-', pol:57 '/etc/subuid', pol:58 '/etc/subuid-', pol:59 '/etc/subgid', pol:60 '/etc/subgid-', pol:61 '/var/log/wtmp', pol:62 '/var/log/wtmp.[0-9]*', pol:63 '/var/log/wtmp-[0-9]*', pol:64 '/var/log/btmp', pol:65 '/var/log/btmp.[0-9]*', pol:66 '/var/log/btmp-[0-9]*', pol:67 '/var/log/lastlog', pol:72 '/root/*', pol:75 '/etc/mtab', pol:76 '/etc/adjtime', pol:77 '/etc/ld.so.cache', pol:78 '/var/lib/dpkg/*', pol:79 '/var/lib/*', pol:80 '/var/backups/*', pol:81 '/var/mail/*', pol:82 '/var/spool/postfix/*', pol:83 '/boot/grub/grubenv'"],"exit":7}
{"type":"finding","path":"/bin/hello","kind":"changed","object":"file","severity":"critical","reasons":["setuid or setgid bit added","permissions of a system file changed"],"techniques":["T1548.001","T1222.002"],"changes":[{"attr":"mode","name":null,"old":"0755","new":"4755"}],"timestomped":false,"appended":false,"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"NOW"}
{"type":"finding","path":"/bin/hello-hardlink","kind":"changed","object":"file","severity":"critical","reasons":["setuid or setgid bit added","permissions of a system file changed"],"techniques":["T1548.001","T1222.002"],"changes":[{"attr":"mode","name":null,"old":"0755","new":"4755"}],"timestomped":false,"appended":false,"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"NOW"}
{"type":"finding","path":"/etc/cron.d/job","kind":"added","object":"file","severity":"high","reasons":["cron job or table","system configuration changed"],"techniques":["T1053.003",null],"changes":[],"timestomped":false,"appended":false,"entry":{"type":"file","mode":"0644","uid":0,"user":"root","gid":0,"group":"root","size":22,"digests":{"sha256":"4bbc7a4b02d6ec098bd684cbe31b9de3a9e718986fed765d6099e529b5d3a818"},"ino":N,"nlink":1,"caps":null,"acl":null,"dacl":null,"xattrs":{},"mtime":"2023-11-14T22:15:00.000000000Z","ctime":"NOW"},"mtime":"2023-11-14T22:15:00.000000000Z","ctime":"NOW"}
{"type":"finding","path":"/etc/passwd","kind":"changed","object":"file","severity":"high","reasons":["content changed with its mtime kept or backdated (timestomping)","account database","system configuration changed"],"techniques":["T1070.006","T1136.001",null],"changes":[{"attr":"size","name":null,"old":"32","new":"54"},{"attr":"digest","name":"sha256","old":"e787b373a74594b33b77892a903647d7a6cf519d427a0b0790e11be4482696e0","new":"377898732ac70531fc8083fec593ab8741ec24210d5a1215b4499e9417a996cf"},{"attr":"mtime","name":null,"old":"2023-11-14T22:13:20.000000000Z","new":"2023-11-14T22:15:00.000000000Z"}],"timestomped":true,"appended":false,"mtime":"2023-11-14T22:15:00.000000000Z","ctime":"NOW"}
{"type":"finding","path":"/home/alice/.ssh/authorized_keys2","kind":"added","object":"file","severity":"high","reasons":["SSH authorized keys"],"techniques":["T1098.004"],"changes":[],"timestomped":false,"appended":false,"entry":{"type":"file","mode":"0644","uid":0,"user":"root","gid":0,"group":"root","size":21,"digests":{"sha256":"bb1eb8d1f2dfd7e8850995550c4a4b200b042525893486f377719eeced1e25bc"},"ino":N,"nlink":1,"caps":null,"acl":null,"dacl":null,"xattrs":{},"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"NOW"},"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"NOW"}
{"type":"finding","path":"/srv/data/big","kind":"changed","object":"file","severity":"high","reasons":["content changed with its mtime kept or backdated (timestomping)"],"techniques":["T1070.006"],"changes":[{"attr":"digest","name":"sha256","old":"d69e68988157833272305aaf21f453c800346e8a3640db6578e260215542e5d4","new":"98384ca6e674ca520cb26eb36e7e8213b4037b13da221c6cb901a1950fea983c"}],"timestomped":true,"appended":false,"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"NOW"}
{"type":"finding","path":"/srv/data/empty","kind":"removed","object":"file","severity":"low","reasons":[],"techniques":[],"changes":[],"timestomped":false,"appended":false,"entry":{"type":"file","mode":"0644","uid":0,"user":"root","gid":0,"group":"root","size":0,"digests":{"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},"ino":N,"nlink":1,"caps":null,"acl":null,"dacl":null,"xattrs":{},"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"NOW"},"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"NOW"}
{"type":"finding","path":"/srv/with\\x20space","kind":"changed","object":"file","severity":"low","reasons":[],"techniques":[],"changes":[{"attr":"mode","name":null,"old":"0644","new":"0674"},{"attr":"acl","name":null,"old":null,"new":"user::rw-,user:4242:rwx,group::r--,mask::rwx,other::r--"}],"timestomped":false,"appended":false,"mtime":"2023-11-14T22:13:20.000000000Z","ctime":"NOW"}
{"type":"plan","action":"reinstall","path":"/bin/hello","kind":"changed","why":"program, library or vendor file: reinstall from vendor media"}
{"type":"plan","action":"reinstall","path":"/bin/hello-hardlink","kind":"changed","why":"program, library or vendor file: reinstall from vendor media"}
{"type":"plan","action":"review","path":"/etc/cron.d/job","kind":"added","why":"configuration: review, restore from backup"}
{"type":"plan","action":"review","path":"/etc/passwd","kind":"changed","why":"configuration: review, restore from backup"}
{"type":"plan","action":"review","path":"/home/alice/.ssh/authorized_keys2","kind":"added","why":"user data: review, restore from backup"}
{"type":"plan","action":"review","path":"/srv/data/big","kind":"changed","why":"data: review, restore from backup"}
{"type":"plan","action":"review","path":"/srv/data/empty","kind":"removed","why":"data: review, restore from backup"}
{"type":"plan","action":"review","path":"/srv/with\\x20space","kind":"changed","why":"data: review, restore from backup"}
{"type":"end","findings":8,"exit":7}
{"type":"timeline","burst":1,"time":"NOW","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/bin/hello","kind":"changed","severity":"critical","timestomped":false}
{"type":"timeline","burst":1,"time":"NOW","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/bin/hello-hardlink","kind":"changed","severity":"critical","timestomped":false}
{"type":"timeline","burst":1,"time":"NOW","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/home/alice/.ssh/authorized_keys2","kind":"added","severity":"high","timestomped":false}
{"type":"timeline","burst":1,"time":"NOW","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/srv/data/big","kind":"changed","severity":"high","timestomped":true}
{"type":"timeline","burst":1,"time":"NOW","basis":"ctime","mtime":"2023-11-14T22:13:20.000000000Z","path":"/srv/with\\x20space","kind":"changed","severity":"low","timestomped":false}
{"type":"timeline","burst":1,"time":"NOW","basis":"ctime","mtime":"2023-11-14T22:15:00.000000000Z","path":"/etc/cron.d/job","kind":"added","severity":"high","timestomped":false}
{"type":"timeline","burst":1,"time":"NOW","basis":"ctime","mtime":"2023-11-14T22:15:00.000000000Z","path":"/etc/passwd","kind":"changed","severity":"high","timestomped":true}
=== verify
file:            ev.tar
format:          custos evidence tar 1
case:            C
label:           L
operator:        O
host: H
started:         NOW
finished:        NOW
status:          complete
members:         28 (27 manifest records)
stream sha256:   D
custody record:  ev.tar.custody
custody sig:     none
manifest sig:    none
result:          intact, NOT AUTHENTICATED (custody record signature: none)
=== end
EXPECTED

test_expect_success $P 'baseline of the tree: records unchanged' '
	custos baseline -q -o B.cbl tree &&
	python3 norm.py baseline B.cbl >got &&
	same baseline
'

test_expect_success $P 'deterministic baselines of the tree before and after' '
	python3 norm.py fixed B.cbl inos >A.cbl &&
	(
		cd tree &&
		printf "evil:x:0:0::/:/bin/sh\n" >>etc/passwd &&
		printf y | dd of=srv/data/big bs=1 seek=10 conv=notrunc \
		    2>/dev/null &&
		rm srv/data/empty &&
		printf "ssh-rsa BBBB mallory\n" >home/alice/.ssh/authorized_keys2 &&
		chmod 4755 bin/hello &&
		printf "* * * * * root /tmp/x\n" >etc/cron.d/job &&
		setfacl -m u:4242:rwx srv/with\ space &&
		setfattr -n user.new -v 1 srv/fifo 2>/dev/null;
		find . -exec touch -h -d @1700000000 {} + &&
		touch -d @1700000100 etc/passwd etc/cron.d/job
	) &&
	custos baseline -q -o C.cbl tree &&
	python3 norm.py fixed C.cbl inos >D.cbl &&
	custos verify --allow-unsigned A.cbl &&
	custos verify --allow-unsigned D.cbl
'

for fmt in text line json; do
	test_expect_success $P "diff of two baselines, $fmt report unchanged" "
		test_expect_code 7 custos diff --allow-unsigned --policy \"\$POL\" \
		    -F $fmt A.cbl D.cbl >out.$fmt &&
		python3 norm.py report out.$fmt >got &&
		same diff-$fmt
	"
done

test_expect_success $P 'update of a baseline from a baseline: records unchanged' '
	custos update -q -b A.cbl --allow-unsigned --accept /etc \
	    --accept /bin/hello -o U.cbl D.cbl &&
	python3 norm.py baseline U.cbl >got &&
	same update
'

for fmt in line json; do
	test_expect_success $P "check of the live tree, $fmt report unchanged" "
		test_expect_code 7 custos check -b B.cbl --allow-unsigned \
		    --policy \"\$POL\" -F $fmt tree >out.$fmt &&
		python3 norm.py report out.$fmt >got &&
		same check-$fmt
	"
done

test_expect_success $P 'verify of an evidence tar: report unchanged' '
	custos snapshot -q --case C --label L --operator O -o ev.tar tree &&
	custos verify --allow-unsigned ev.tar >out &&
	python3 norm.py report out |
	    sed -e "s/^host: .*/host: H/" \
	    -e "s/^\(stream sha256: *\)[0-9a-f]* ([0-9]* bytes)/\1D/" >got &&
	same verify
'

test_done
