#!/bin/bash
# t2012: a real admin day on a pristine Debian 12 root, checked with the
# shipped policy: two packages installed, a user added with a password,
# logs rotated.  The account change is one finding with its entries, the
# account tools' backups and the skeleton copies are low, rotations are
# info, and nothing else but the new packages' files ranks above low.
#
# Needs mmdebstrap and the Debian archive (prerequisites MMDEBSTRAP and
# NETWORK); the root is kept as a tarball in $CUSTOS_CI_CACHE between runs,
# the one .ci/pristine uses.
. "$(dirname "$0")/lib.sh"

POLICY="$CS_SRCDIR/etc/default.policy"
: "${CUSTOS_CI_CACHE:=/var/cache/custos-ci}"
tarball="$CUSTOS_CI_CACHE/debian-bookworm-important.tar"

# in_root CMD...: run CMD in the root with /proc and /dev mounted.
in_root() {
	mount -t proc proc root/proc &&
	mount --bind /dev root/dev || { umount root/proc 2>/dev/null; return 1; }
	chroot root /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"
	rc=$?
	umount root/dev; umount root/proc
	return $rc
}

test_expect_success ROOT,MMDEBSTRAP,NETWORK 'a pristine Debian 12 root' '
	if ! test -s "$tarball"; then
		mkdir -p "$CUSTOS_CI_CACHE" &&
		mmdebstrap --variant=important --quiet bookworm "$tarball.new" &&
		mv "$tarball.new" "$tarball"
	fi &&
	mkdir root && tar -C root --xattrs --xattrs-include="*" -xf "$tarball" &&
	cp /etc/resolv.conf root/etc/resolv.conf &&
	in_root apt-get update -q >apt.out 2>&1 &&
	in_root logrotate -f /etc/logrotate.conf &&
	in_root dpkg-query -W -f "\${Package}\n" | sort >pkgs.before &&
	"$CUSTOS" keygen --no-passphrase -o ops >/dev/null &&
	"$CUSTOS" baseline -q --policy "$POLICY" --key ops.key -o day.cbl root
'

test_expect_success ROOT,MMDEBSTRAP,NETWORK 'the day: packages, a user, a password, rotation' '
	in_root apt-get install -y -q --no-install-recommends hello sl \
	    >>apt.out 2>&1 &&
	in_root useradd -m -s /bin/bash -G users bob &&
	echo "bob:correct horse" | in_root chpasswd &&
	in_root logrotate -f /etc/logrotate.conf &&
	: the new packages, with their dependencies &&
	in_root dpkg-query -W -f "\${Package}\n" | sort >pkgs.after &&
	comm -13 pkgs.before pkgs.after >pkgs.new &&
	grep -qx hello pkgs.new && grep -qx sl pkgs.new &&
	in_root dpkg -L $(cat pkgs.new) >pkgfiles &&
	for p in $(cat pkgs.new); do
		in_root sh -c "ls /var/lib/dpkg/info/$p.* /var/lib/dpkg/info/$p:*" \
		    2>/dev/null || :
	done >>pkgfiles &&
	{ "$CUSTOS" check -q --pubkey ops.pub --policy "$POLICY" -b day.cbl \
	    --format json root >r.json; rc=$?; } &&
	test $((rc & 8)) = 0
'

test_expect_success ROOT,MMDEBSTRAP,NETWORK,PYTHON 'one account finding, explained copies, info rotations' '
	python3 - r.json pkgfiles <<-\PY
	import json, sys
	rank = ["info", "low", "medium", "high", "critical"]
	pkg = set(l.strip() for l in open(sys.argv[2]) if l.strip())
	# merged /usr: dpkg lists /bin/x for /usr/bin/x and the reverse
	pkg |= set(p[4:] for p in pkg if p.startswith("/usr/"))
	pkg |= set("/usr" + p for p in pkg)
	accounts = {"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"}
	fs = [json.loads(l) for l in open(sys.argv[1])]
	fs = [f for f in fs if f["type"] == "finding"]
	by = {f["path"]: f for f in fs}
	bad = []
	for f in fs:
	    p, s = f["path"], rank.index(f["severity"])
	    if p in accounts or p in pkg:
	        continue
	    if p.startswith("/home/bob/") or p.endswith("-"):
	        if s > 1: bad.append(("copy above low", p, f["severity"], f["reasons"]))
	        continue
	    if p.startswith("/var/log/"):
	        if s > 0 and f["kind"] != "added" or s > 1:
	            bad.append(("log above info", p, f["severity"], f["reasons"]))
	        continue
	    if s > 1:
	        bad.append(("above low", p, f["severity"], f["reasons"]))
	pw = by.get("/etc/passwd")
	d = pw.get("detail", "") if pw else ""
	for want in ("added user bob: uid ", "groups users", "shell /bin/bash",
	             "with it in /etc/subuid: added range bob:",
	             "with it in /etc/subgid: added range bob:"):
	    if want not in d:
	        bad.append(("account finding lacks", want, d))
	if pw and rank.index(pw["severity"]) > 2:
	    bad.append(("account finding above medium", pw["severity"]))
	for p in ("/home/bob/.bashrc", "/home/bob/.profile"):
	    if p not in by or "copy of /etc/skel/" not in " ".join(by[p]["reasons"]):
	        bad.append(("skeleton copy not explained", p))
	for p in ("/etc/passwd-", "/etc/shadow-", "/etc/group-", "/etc/gshadow-"):
	    if p in by and "backup" not in " ".join(by[p]["reasons"]):
	        bad.append(("backup not explained", p, by[p]["reasons"]))
	for b in bad:
	    print(*b)
	sys.exit(1 if bad else 0)
	PY
'

test_done
