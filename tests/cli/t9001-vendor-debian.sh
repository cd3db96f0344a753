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
# md5sums in var/lib/dpkg/info is edited to hide it from debsums.  Needs
# the network (the archive) and root.
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

test_done
