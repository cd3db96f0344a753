#!/bin/bash
# t9001: Debian's own packages, through Debian's own chain.  The installed
# versions of coreutils, grep and findutils are downloaded with
# "apt-get download" and proven by this machine's /var/lib/apt/lists and
# Debian's archive keyring; a merged-/usr tree holding their files (bin,
# sbin and lib links to usr/) checks with no content change, no removal
# and nothing above low against the vendor baseline; a trojaned
# /usr/bin/ls with its mtime kept is critical, names coreutils and the
# command that reinstalls it; an ELF object dropped in /usr/bin that no
# package ships is high.  Needs the network (the archive) and root.
. "$(dirname "$0")/lib.sh"

P=ROOT,NETWORK,APT-GET,DPKG-QUERY,DPKG-DEB,GPGV
POL="$CS_SRCDIR/etc/default.policy"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

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
	mkdir -p root/usr/bin root/usr/sbin root/usr/lib &&
	ln -s usr/bin root/bin && ln -s usr/sbin root/sbin &&
	ln -s usr/lib root/lib &&
	for d in debs/*.deb; do
		dpkg-deb --fsys-tarfile "$d" |
		    tar -x --keep-directory-symlink -C root || return 1
	done &&
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

test_done
