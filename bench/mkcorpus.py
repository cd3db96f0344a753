#!/usr/bin/env python3
"""Build the deterministic benchmark corpora for bench/run.sh.

usage: mkcorpus.py KIND DEST [options]

  small  a /usr-like tree of about --entries objects (default 200000): a few
         directories with thousands of files, most with a handful; sizes
         mostly under 32 KiB with a long tail; symlinks, hard links, setuid
         and setgid files, POSIX ACLs, user.* xattrs, file capabilities.
  large  four incompressible files (2 GiB, 1 GiB, 512 MiB, 512 MiB, all
         divided by --divisor), produced by AES-256-CTR over zeros with a key
         derived from the seed (openssl enc).
  many   --dirs directories of --files-per-dir empty files each.
  usr    a copy of --source (default /usr) with all metadata (cp -a).

Everything except 'usr' is a pure function of the seed and the parameters:
names, sizes, contents, modes, owners, times, links, ACLs, xattrs and
capabilities.  DEST must not exist; it is built under DEST.tmp and renamed
into place when complete.
"""

import argparse
import hashlib
import math
import os
import random
import shutil
import subprocess
import sys

GEN_VERSION = 1

# 2026-01-01T00:00:00Z: every generated timestamp lies in the year before.
EPOCH_END = 1767225600

SYLLABLES = ("ab ac ad al am an ar as at ba be bi bo bu ca ce ci co cu da de di "
             "do du el em en er es et fa fe fi fo ga ge gi go ha he hi ho id il "
             "im in io ir is it ka ke ki ko la le li lo lu ma me mi mo mu na ne "
             "ni no nu ob od ol om on op or os ot pa pe pi po pu ra re ri ro ru "
             "sa se si so su ta te ti to tu ul um un ur us va ve vi vo xa xi za "
             "ze zo").split()

SUFFIXES = ("", "", "", ".txt", ".py", ".pm", ".h", ".so", ".gz", ".conf",
            ".json", ".xml", ".png", ".mo", ".html", ".c", ".pyc", ".svg")

# Names that exercise encoders without upsetting any peer (no newlines).
ODD_NAMES = ("with space", "na\u00efve", "\u65e5\u672c\u8a9e", "caf\u00e9 menu",
             "tab\there", "dash-leading", "percent%20", "back\\slash",
             "quote'single", "quote\"double", "brace{x}", "hash#tag",
             "star*", "question?", "bracket[1]", "eq=sign", "colon:x",
             "semi;colon", "amp&er", "dollar$var")


class Gen:
    def __init__(self, seed, root):
        self.r = random.Random(seed)
        self.root = root
        self.pool = b"".join(self.r.randbytes(1 << 20) for _ in range(64))
        self.files = []      # regular files: relative paths
        self.dirs = []       # directories: relative paths ('' is the root)
        self.links = []      # symlinks
        self.entries = 0     # objects created under the root
        self.bytes = 0
        self.serial = 0
        self.used = {}       # dir -> set of names

    # -- names ---------------------------------------------------------
    def word(self, lo=1, hi=4):
        return "".join(self.r.choice(SYLLABLES)
                       for _ in range(self.r.randint(lo, hi)))

    def fresh(self, d, stem, suffix=""):
        used = self.used.setdefault(d, set())
        name = stem + suffix
        n = 1
        while name in used:
            n += 1
            name = "%s%d%s" % (stem, n, suffix)
        used.add(name)
        return name

    def path(self, d, name):
        return name if d == "" else d + "/" + name

    # -- objects -------------------------------------------------------
    def size(self, mu):
        if self.r.random() < 0.03:
            return 0
        s = int(math.exp(self.r.gauss(mu, 1.6)))
        return min(s, 24 << 20)

    def mkdir(self, parent, name=None):
        if name is None:
            name = self.fresh(parent, self.word())
        else:
            name = self.fresh(parent, name)
        p = self.path(parent, name)
        os.mkdir(os.path.join(self.root, p), 0o755)
        self.dirs.append(p)
        self.entries += 1
        return p

    def mkdirs(self, rel):
        cur = ""
        for part in rel.split("/"):
            p = self.path(cur, part)
            if part not in self.used.get(cur, set()):
                self.used.setdefault(cur, set()).add(part)
                os.mkdir(os.path.join(self.root, p), 0o755)
                self.dirs.append(p)
                self.entries += 1
            cur = p
        return cur

    def mkfile(self, d, name=None, mu=8.0, mode=0o644):
        if name is None:
            name = self.word() + self.r.choice(SUFFIXES)
        name = self.fresh(d, name)
        p = self.path(d, name)
        n = self.size(mu)
        self.serial += 1
        head = ("%d %s\n" % (self.serial, p)).encode("utf-8", "surrogateescape")
        fd = os.open(os.path.join(self.root, p),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            if n > 0:
                left = n
                chunk = head[:left]
                os.write(fd, chunk)
                left -= len(chunk)
                while left > 0:
                    k = min(left, len(self.pool) >> 1)
                    off = self.r.randrange(0, len(self.pool) - k + 1)
                    os.write(fd, self.pool[off:off + k])
                    left -= k
        finally:
            os.close(fd)
        os.chmod(os.path.join(self.root, p), mode)
        self.files.append(p)
        self.entries += 1
        self.bytes += n
        return p

    def symlink(self, d, target, name=None):
        if name is None:
            name = self.word() + self.r.choice(SUFFIXES)
        name = self.fresh(d, name)
        p = self.path(d, name)
        os.symlink(target, os.path.join(self.root, p))
        self.links.append(p)
        self.entries += 1
        return p

    def hardlink(self, src, d, name=None):
        if name is None:
            name = self.word()
        name = self.fresh(d, name)
        p = self.path(d, name)
        os.link(os.path.join(self.root, src), os.path.join(self.root, p))
        self.entries += 1
        return p


def rel_target(from_dir, to_path):
    return os.path.relpath(to_path or ".", from_dir or ".")


def build_small(g, total):
    """A /usr-like shape scaled to about `total` objects."""
    r = g.r
    f = total / 200000.0

    def n(x):
        return max(1, int(round(x * f)))

    # The wide directories, as in /usr/bin, /usr/lib/x86_64-linux-gnu,
    # /usr/share/man/man*, /usr/include and /usr/share/doc.
    bind = g.mkdirs("bin")
    for _ in range(n(2400)):
        g.mkfile(bind, g.word(1, 3), mu=9.3, mode=0o755)
    sbind = g.mkdirs("sbin")
    for _ in range(n(500)):
        g.mkfile(sbind, g.word(1, 3), mu=9.3, mode=0o755)
    libd = g.mkdirs("lib/x86_64-linux-gnu")
    for _ in range(n(3000)):
        stem = "lib" + g.word(1, 3)
        real = g.mkfile(libd, "%s.so.%d.%d.%d" % (
            stem, r.randint(0, 9), r.randint(0, 20), r.randint(0, 9)),
            mu=9.8)
        base = os.path.basename(real)
        major = base.split(".so.")[0] + ".so." + base.split(".so.")[1].split(".")[0]
        g.symlink(libd, base, major)
        if r.random() < 0.3:
            g.symlink(libd, major, base.split(".so.")[0] + ".so")
    for sec, cnt in (("man1", 3500), ("man3", 5000), ("man5", 900),
                     ("man8", 800)):
        md = g.mkdirs("share/man/" + sec)
        for _ in range(n(cnt)):
            g.mkfile(md, "%s.%s.gz" % (g.word(), sec[3:]), mu=7.5)
    inc = g.mkdirs("include")
    for _ in range(n(1500)):
        g.mkfile(inc, g.word() + ".h", mu=8.3)
    doc = g.mkdirs("share/doc")
    docdirs = []
    for _ in range(n(2500)):
        if len(docdirs) > 1 and r.random() < 0.08:
            # Debian-style: a package's doc directory is a symlink to another's.
            g.symlink(doc, os.path.basename(r.choice(docdirs)), g.word(1, 3))
            continue
        pd = g.mkdir(doc, g.word(1, 3))
        docdirs.append(pd)
        g.mkfile(pd, "copyright", mu=7.8)
        g.mkfile(pd, "changelog.Debian.gz", mu=7.2)
        for _ in range(r.randint(0, 3)):
            g.mkfile(pd, r.choice(("README", "NEWS.gz", "changelog.gz",
                                   "TODO", "README.Debian", "AUTHORS")),
                     mu=8.0)
    loc = g.mkdirs("share/locale")
    for _ in range(n(150)):
        ld = g.mkdir(loc, g.word(1, 1) + "_" + g.word(1, 1).upper())
        lm = g.mkdir(ld, "LC_MESSAGES")
        for _ in range(r.randint(5, 40)):
            g.mkfile(lm, g.word() + ".mo", mu=9.0)

    # Odd names somewhere in share.
    odd = g.mkdirs("share/misc")
    for name in ODD_NAMES:
        g.mkfile(odd, name, mu=7.0)

    # The rest: a deep tree of directories with a handful of files each,
    # under lib/ and share/ (python and perl modules, icons, data).
    tops = [g.mkdirs(p) for p in ("lib/python3/dist-packages", "lib/perl5",
                                   "share/icons", "share/zoneinfo",
                                   "lib/gcc", "share/javascript", "libexec")]
    frontier = list(tops)
    link_target = int(total * 0.05)
    hard_budget = n(800)
    while g.entries < total - (link_target - len(g.links)) - hard_budget:
        if r.random() < 0.5:
            parent = frontier[-1 - r.randrange(min(10, len(frontier)))]
        else:
            parent = r.choice(frontier)
        if parent.count("/") >= 8:
            parent = r.choice(tops)
        d = g.mkdir(parent)
        frontier.append(d)
        k = min(int(r.expovariate(1 / 6.0)) + 1, 60)
        for _ in range(k):
            g.mkfile(d, mode=r.choice((0o644,) * 12 + (0o755, 0o444, 0o600, 0o640)))
    # Symlinks: relative to files and directories, absolute, dangling.
    while len(g.links) < link_target:
        d = r.choice(g.dirs)
        kind = r.random()
        if kind < 0.6:
            tgt = rel_target(d, r.choice(g.files))
        elif kind < 0.8:
            tgt = rel_target(d, r.choice(g.dirs))
        elif kind < 0.95:
            tgt = "/usr/" + r.choice(g.files)
        else:
            tgt = "missing/" + g.word()
        g.symlink(d, tgt)
    # Hard links: second names for existing files, some across directories.
    for _ in range(hard_budget):
        src = r.choice(g.files)
        d = os.path.dirname(src) if r.random() < 0.5 else r.choice(g.dirs)
        g.hardlink(src, d)


def owners_modes(g):
    """Owners, setuid/setgid bits, ACLs, xattrs, capabilities."""
    r = g.r
    files = sorted(g.files)
    for p in files:
        x = r.random()
        if x < 0.03:
            os.lchown(os.path.join(g.root, p), 1000, 1000)
        elif x < 0.05:
            os.lchown(os.path.join(g.root, p), 0, r.choice((4, 8, 50, 100)))
        elif x < 0.055:
            os.lchown(os.path.join(g.root, p), 65534, 65534)
    for p in sorted(g.dirs):
        if r.random() < 0.02:
            os.lchown(os.path.join(g.root, p), 0, 50)
            os.chmod(os.path.join(g.root, p), 0o2775)
    execs = sorted(p for p in files if p.startswith(("bin/", "sbin/")))
    r.shuffle(execs)
    n_suid = max(2, len(execs) // 200)
    for p in execs[:n_suid]:
        os.chmod(os.path.join(g.root, p), 0o4755)
    for p in execs[n_suid:2 * n_suid]:
        os.lchown(os.path.join(g.root, p), 0, 42)
        os.chmod(os.path.join(g.root, p), 0o2755)
    caps = execs[2 * n_suid:2 * n_suid + max(2, n_suid // 2)]

    # user.* xattrs on about 0.5% of files.
    sample = r.sample(files, max(3, len(files) // 200))
    for i, p in enumerate(sorted(sample)):
        fp = os.path.join(g.root, p)
        os.setxattr(fp, "user.checksum.origin", ("pkg-%d" % i).encode(),
                    follow_symlinks=False)
        if i % 3 == 0:
            os.setxattr(fp, "user.mime_type", b"application/octet-stream",
                        follow_symlinks=False)
        if i % 7 == 0:
            os.setxattr(fp, "user.blob", g.pool[i * 64:i * 64 + 200],
                        follow_symlinks=False)

    # POSIX ACLs on about 0.2% of files and 0.3% of directories.
    acl_files = sorted(r.sample(files, max(3, len(files) // 500)))
    acl_dirs = sorted(r.sample(sorted(g.dirs), max(2, len(g.dirs) // 300)))
    specs = ("u:1000:r--", "g:100:rw-", "u:65534:---,g:50:r-x", "u:33:rwx")
    groups = {}
    for i, p in enumerate(acl_files):
        groups.setdefault(specs[i % len(specs)], []).append(p)
    for spec, ps in sorted(groups.items()):
        run_batched(["setfacl", "-m", spec], ps, g.root)
    run_batched(["setfacl", "-m", "u:1000:rwx,d:u:1000:rwx,d:g:100:r-x"],
                acl_dirs, g.root)

    # File capabilities (setcap: after chown and chmod, which clear them).
    capsets = ("cap_net_raw+ep", "cap_net_bind_service+ep",
               "cap_dac_override,cap_sys_admin+ep", "cap_setuid,cap_setgid+ep")
    args = []
    for i, p in enumerate(caps):
        args += [capsets[i % len(capsets)], os.path.join(g.root, p)]
    if args:
        subprocess.run(["setcap"] + args, check=True)
    return dict(setuid=n_suid, setgid=n_suid, caps=len(caps),
                xattr_files=len(sample), acl_files=len(acl_files),
                acl_dirs=len(acl_dirs))


def run_batched(cmd, rels, root, size=500):
    for i in range(0, len(rels), size):
        subprocess.run(cmd + ["--"] + [os.path.join(root, p)
                                       for p in rels[i:i + size]], check=True)


def set_times(g):
    """Deterministic mtimes (and atimes), deepest first, directories last."""
    r = g.r
    for p in sorted(g.files + g.links):
        t = (EPOCH_END - r.randrange(0, 365 * 86400)) * 10**9 + r.randrange(10**9)
        os.utime(os.path.join(g.root, p), ns=(t, t), follow_symlinks=False)
    for p in sorted(g.dirs, key=lambda s: (-s.count("/"), s)):
        t = (EPOCH_END - r.randrange(0, 365 * 86400)) * 10**9 + r.randrange(10**9)
        os.utime(os.path.join(g.root, p), ns=(t, t), follow_symlinks=False)
    t = EPOCH_END * 10**9
    os.utime(g.root, ns=(t, t))


def gen_small(dest, seed, entries):
    os.mkdir(dest, 0o755)
    g = Gen(seed, dest)
    build_small(g, entries)
    extra = owners_modes(g)
    set_times(g)
    return dict(entries=g.entries, files=len(g.files), dirs=len(g.dirs),
                symlinks=len(g.links), bytes=g.bytes, **extra)


def gen_large(dest, seed, divisor):
    os.mkdir(dest, 0o755)
    sizes = (("blob-2g", 2 << 30), ("blob-1g", 1 << 30),
             ("blob-512m-a", 512 << 20), ("blob-512m-b", 512 << 20))
    total = 0
    for name, size in sizes:
        size //= divisor
        key = hashlib.sha256(("%d:%s:key" % (seed, name)).encode()).hexdigest()
        iv = hashlib.sha256(("%d:%s:iv" % (seed, name)).encode()).hexdigest()[:32]
        out = os.path.join(dest, name)
        with open(out, "xb") as fo:
            enc = subprocess.Popen(
                ["openssl", "enc", "-aes-256-ctr", "-K", key, "-iv", iv,
                 "-nosalt", "-in", "/dev/zero"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            left = size
            while left > 0:
                b = enc.stdout.read(min(left, 4 << 20))
                if not b:
                    raise SystemExit("mkcorpus: openssl enc ended early")
                fo.write(b)
                left -= len(b)
            enc.kill()
            enc.wait()
        t = EPOCH_END * 10**9
        os.utime(out, ns=(t, t))
        total += size
    os.utime(dest, ns=(EPOCH_END * 10**9,) * 2)
    return dict(entries=len(sizes), files=len(sizes), bytes=total)


def gen_many(dest, dirs, per_dir):
    os.mkdir(dest, 0o755)
    t = EPOCH_END * 10**9
    for i in range(dirs):
        d = os.path.join(dest, "d%04d" % i)
        os.mkdir(d, 0o755)
        for j in range(per_dir):
            fd = os.open(os.path.join(d, "f%04d" % j),
                         os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.close(fd)
            os.utime(os.path.join(d, "f%04d" % j), ns=(t, t))
        os.utime(d, ns=(t, t))
    os.utime(dest, ns=(t, t))
    return dict(entries=dirs * (per_dir + 1), files=dirs * per_dir, bytes=0)


def gen_usr(dest, source):
    subprocess.run(["cp", "-a", "--", source, dest], check=True)
    return dict(source=source)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=("small", "large", "many", "usr"))
    ap.add_argument("dest")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--entries", type=int, default=200000,
                    help="small: number of objects (default 200000)")
    ap.add_argument("--divisor", type=int, default=1,
                    help="large: divide the file sizes by this")
    ap.add_argument("--dirs", type=int, default=1000)
    ap.add_argument("--files-per-dir", type=int, default=1000)
    ap.add_argument("--source", default="/usr")
    a = ap.parse_args()

    dest = os.path.abspath(a.dest)
    if os.path.lexists(dest):
        sys.exit("mkcorpus: %s exists" % dest)
    tmp = dest + ".tmp"
    if os.path.lexists(tmp):
        subprocess.run(["chattr", "-R", "-i", tmp], stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp)
    os.umask(0o022)
    if a.kind == "small":
        st = gen_small(tmp, a.seed, a.entries)
    elif a.kind == "large":
        st = gen_large(tmp, a.seed, a.divisor)
    elif a.kind == "many":
        st = gen_many(tmp, a.dirs, a.files_per_dir)
    else:
        st = gen_usr(tmp, a.source)
    os.rename(tmp, dest)
    for k in sorted(st):
        print("%s=%s" % (k, st[k]))


if __name__ == "__main__":
    main()
