#!/bin/bash
# t9001: Debian's own packages, through Debian's own chain.  The installed
# versions of coreutils, grep and findutils are downloaded with
# "apt-get download" and proven by this machine's /var/lib/apt/lists and
# Debian's archive keyring; a merged-/usr tree holding their files (bin,
# sbin and lib links to usr/) checks with no content change, no removal
# and nothing above low against the vendor baseline; a trojaned
# /usr/bin/ls with its mtime kept is critical, names coreutils and the
# command that reinstalls it; an ELF object dropped in /usr/bin that no
# package ships is high.  debsums, given the same root with the packages'
# md5sums and status, flags the same changed files; custos also lists
# the file no package owns, and still finds the trojan when coreutils'
# md5sums in var/lib/dpkg/info is edited to hide it from debsums.  A real
# point upgrade: a small package the configured archive has in two
# versions (bookworm, and bookworm-updates or bookworm-security), with no
# maintainer scripts, is installed at the older version into a root with
# dpkg --root, a host baseline taken, upgraded with dpkg, and checked
# three-way: every change of its files is "updated by" the newer version
# at info.  Needs the network (the archive) and root.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-deb.sh"

P=ROOT,NETWORK,APT-GET,DPKG-QUERY,DPKG-DEB,GPGV
POL="$CS_SRCDIR/etc/default.policy"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# mkroot DIR: a merged-/usr tree (bin, sbin, lib: links to usr/) of the
# downloaded packages' files, with their control files and file lists in
# var/lib/dpkg/info as dpkg leaves them (lib-deb.sh).
mkroot() {
	mkdir -p "$1"/usr/bin "$1"/usr/sbin "$1"/usr/lib &&
	ln -s usr/bin "$1"/bin && ln -s usr/sbin "$1"/sbin &&
	ln -s usr/lib "$1"/lib &&
	for d in debs/*.deb; do
		dpkg-deb --fsys-tarfile "$d" |
		    tar -x --keep-directory-symlink -C "$1" || return 1
	done &&
	deb_info "$1" debs/*.deb
}

# dpkgdb DIR: the packages' status in DIR's var/lib/dpkg, as dpkg
# leaves it.
dpkgdb() {
	: >"$1"/var/lib/dpkg/status &&
	for d in debs/*.deb; do
		{ dpkg-deb -f "$d" | sed "1a Status: install ok installed" &&
		    echo; } >>"$1"/var/lib/dpkg/status || return 1
	done
}

# count SEVERITY: how many findings of the JSON report r.json have it.
count() {
	sed -n "s/.*\"severity\":{[^}]*\"$1\":\([0-9]*\).*/\1/p" r.json
}

test_expect_success $P 'the installed coreutils, grep, findutils, downloaded' '
	test -s "$KEYRING" &&
	for p in coreutils grep findutils; do
		echo "$p=$(dpkg-query -W -f "\${Version}" $p)"
	done >want &&
	mkdir debs && chown _apt debs 2>/dev/null;
	(cd debs && apt-get download -q $(cat ../want)) >/dev/null &&
	test $(ls debs/*.deb | wc -l) = 3
'

test_expect_success $P 'a vendor baseline proven by the lists and the keyring' '
	"$CUSTOS" baseline --from-packages --keyring "$KEYRING" \
	    --apt-lists /var/lib/apt/lists -o vendor.cbl debs 2>err &&
	test_grep "^#source=packages$" vendor.cbl &&
	test_grep "^#packages=3$" vendor.cbl &&
	test_grep "^#unverified=0$" vendor.cbl &&
	v=$(sed -n "s/^coreutils=//p" want) &&
	test_grep "^/bin/ls .* pkg=coreutils ver=$v arch=" vendor.cbl &&
	test_grep "^/bin/grep .* pkg=grep " vendor.cbl &&
	test_grep "^/usr/bin/find .* pkg=findutils " vendor.cbl
'

test_expect_success $P 'a merged-/usr tree of their files: nothing above low' '
	mkroot root &&
	test -f root/usr/bin/ls && test -h root/bin &&
	rc=0 &&
	"$CUSTOS" check -b vendor.cbl --allow-unsigned --policy "$POL" \
	    --format json --root root >r.json || rc=$? &&
	test $rc -lt 8 &&
	test_grep "\"removed\":0,\"changed\":0,\"type-changed\":0,\"not-compared\":0" r.json &&
	test "$(count critical)" = 0 && test "$(count high)" = 0 &&
	test "$(count medium)" = 0 &&
	test_grep "vendor paths below ./bin. matched at ./usr/bin." r.json
'

test_expect_success $P 'a trojaned ls is critical and names coreutils; an unowned ELF is high' '
	cp /usr/bin/true root/usr/bin/ls.new &&
	touch -r root/usr/bin/ls root/usr/bin/ls.new &&
	mv root/usr/bin/ls.new root/usr/bin/ls &&
	cp /usr/bin/true root/usr/bin/xhelper &&
	v=$(sed -n "s/^coreutils=//p" want) &&
	test_expect_code 5 "$CUSTOS" check -b vendor.cbl --allow-unsigned \
	    --policy "$POL" -F line --root root >out &&
	test_grep "^critical changed /usr/bin/ls .*shipped by coreutils $v" out &&
	test_grep "^high added /usr/bin/xhelper .*no package ships this ELF" out &&
	"$CUSTOS" check -b vendor.cbl --allow-unsigned --policy "$POL" \
	    --root root >out || : &&
	test_grep "restore: apt-get install --reinstall coreutils=$v" out
'

test_expect_success $P,DEBSUMS 'debsums flags the same changed files; custos also the unowned' '
	mkroot r3 && dpkgdb r3 &&
	cp /usr/bin/true r3/usr/bin/ls.new &&
	touch -r r3/usr/bin/ls r3/usr/bin/ls.new &&
	mv r3/usr/bin/ls.new r3/usr/bin/ls &&
	printf X | dd of=r3/usr/bin/find bs=1 seek=100 conv=notrunc \
	    status=none &&
	cp /usr/bin/true r3/usr/bin/xhelper &&
	r=$(cd r3 && pwd -P) &&
	{ debsums -c --root "$r" >ds.out || :; } &&
	while read -r f; do
		readlink -f "$f" | sed "s|^$r||"
	done <ds.out | sort >ds.paths &&
	printf "%s\n" /usr/bin/find /usr/bin/ls >want.paths &&
	test_cmp want.paths ds.paths &&
	rc=0 &&
	"$CUSTOS" check -b vendor.cbl --allow-unsigned --policy "$POL" -F line \
	    --root r3 >out || rc=$? &&
	test $rc -lt 8 &&
	awk "\$2 == \"changed\" { print \$3 }" out | sort >cs.paths &&
	test_cmp ds.paths cs.paths &&
	test_grep "^high added /usr/bin/xhelper " out
'

test_expect_success $P,DEBSUMS 'an md5sums edited to hide the trojan from debsums: high' '
	m=$(md5sum <r3/usr/bin/ls | cut -d" " -f1) &&
	cp r3/var/lib/dpkg/info/coreutils.md5sums md5sums.orig &&
	sed -i "s|^[0-9a-f]*  \(usr/\)*bin/ls\$|$m  bin/ls|" \
	    r3/var/lib/dpkg/info/coreutils.md5sums &&
	! cmp -s md5sums.orig r3/var/lib/dpkg/info/coreutils.md5sums &&
	r=$(cd r3 && pwd -P) &&
	{ debsums -c --root "$r" >ds.out || :; } &&
	test_grep "/usr/bin/find\$" ds.out &&
	! grep "/ls\$" ds.out &&
	{ "$CUSTOS" check -b vendor.cbl --allow-unsigned --policy "$POL" \
	    -F line --root r3 >out || :; } &&
	test_grep "^critical changed /usr/bin/ls " out &&
	test_grep "^high changed /var/lib/dpkg/info/coreutils.md5sums .*debsums" out
'

# candidates: "SIZE PACKAGE OLD NEW" of packages that bookworm and its
# updates or security suite both have, another version in each, the
# smaller first (the configured lists, decompressed by apt's helper).
candidates() {
	for s in bookworm bookworm-updates bookworm-security; do
		for f in /var/lib/apt/lists/*_dists_${s}_main_binary-*_Packages*; do
			test -e "$f" || continue
			/usr/lib/apt/apt-helper cat-file "$f" || return 1
		done | awk '/^Package:/ { p = $2 } /^Version:/ { v = $2 }
		    /^Size:/ { s = $2 } /^$/ { if (p != "") print p, v, s; p = "" }
		    END { if (p != "") print p, v, s }' | sort -k1,1 >"$s.pv" ||
		    return 1
	done
	cat bookworm-updates.pv bookworm-security.pv | sort -k1,1 >new.pv &&
	join bookworm.pv new.pv |
	    awk '$2 != $4 && $5 > 4000 && $5 < 400000 { print $5, $1, $2, $4 }' |
	    sort -n
}

# noscripts DEB: the package has no maintainer scripts.
noscripts() {
	! dpkg-deb --ctrl-tarfile "$1" | tar -t |
	    grep -E '(^|/)(preinst|postinst|prerm|postrm|config)$'
}

test_expect_success $P 'a real point upgrade: a package in two versions, downloaded' '
	candidates >cand &&
	mkdir up && chown _apt up 2>/dev/null;
	n=0 &&
	while read -r size p old new && test $n -lt 8; do
		dpkg --compare-versions "$old" lt "$new" || continue
		n=$((n + 1))
		rm -f up/*.deb
		(cd up && apt-get download -q "$p=$old" "$p=$new") \
		    >/dev/null 2>&1 || continue
		test $(ls up/*.deb | wc -l) = 2 || continue
		for d in up/*.deb; do noscripts "$d" || continue 2; done
		echo "$p $old $new" >up.txt
		break
	done <cand &&
	if test -s up.txt; then cat up.txt; else rm -f up/*.deb; fi
'

# Without such a package today, the upgrade checks are skipped, said so.
if test -s "$TRASH/up.txt"; then
	cs_prereq_cache="$cs_prereq_cache UPGRADE=1 "
else
	cs_prereq_cache="$cs_prereq_cache UPGRADE=0 "
	test_have_prereq "$P" &&
	say "no small package without maintainer scripts has two" \
	    "downloadable versions in the configured archive today:" \
	    "the point upgrade is not checked"
fi

# dpkg_up ARGS...: dpkg on the upgrade's root only.
dpkg_up() {
	dpkg --root="$TRASH/uproot" --force-not-root --force-bad-path \
	    --force-depends --log="$TRASH/uproot/var/log/dpkg.log" \
	    --path-include='*' "$@"
}

test_expect_success $P,UPGRADE 'the point upgrade with dpkg --root, checked three-way' '
	read -r p old new <up.txt &&
	"$CUSTOS" baseline -q --from-packages --keyring "$KEYRING" \
	    --apt-lists /var/lib/apt/lists -o upvendor.cbl up 2>err &&
	test_grep "^#packages=2$" upvendor.cbl &&
	test_grep "^#unverified=0$" upvendor.cbl &&
	mkdir -p uproot/usr/bin uproot/usr/sbin uproot/usr/lib \
	    uproot/var/lib/dpkg/info uproot/var/lib/dpkg/updates \
	    uproot/var/log &&
	ln -s usr/bin uproot/bin && ln -s usr/sbin uproot/sbin &&
	ln -s usr/lib uproot/lib &&
	: >uproot/var/lib/dpkg/status &&
	sha256sum /var/lib/dpkg/status >host.sum &&
	dpkg_up -i up/${p}_$(echo "$old" | sed "s/^[0-9]*://")_*.deb \
	    >dpkg.out 2>&1 &&
	"$CUSTOS" baseline -q -o uphost.cbl uproot &&
	dpkg_up -i up/${p}_$(echo "$new" | sed "s/^[0-9]*://")_*.deb \
	    >>dpkg.out 2>&1 &&
	test "$(dpkg-query --admindir=uproot/var/lib/dpkg -W -f "\${Version}" \
	    "$p")" = "$new" &&
	sha256sum -c host.sum &&
	"$CUSTOS" check -b uphost.cbl --vendor upvendor.cbl --allow-unsigned \
	    --policy "$POL" -F line uproot >out || : &&
	cat out &&
	grep -E "^info (changed|added|removed) /usr/" out |
	    grep -F "updated by $p $new" &&
	grep -F "updated by $p $new" out | grep "^info changed /var/lib/dpkg/status " &&
	! grep -v "^info " out &&
	! sed -n "s/.*updated by //p" out | grep -Fx "$p $old"
'

test_done
