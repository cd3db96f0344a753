#!/bin/bash
# t9000: a baseline from Debian packages, their signed archive chain
# verified first.  The test makes its own archive key, three small .deb
# files, a Packages index (lz4, as apt keeps it) listed in a clearsigned
# InRelease, and a second archive with Release + Release.gpg and an xz
# index, laid out with apt's list file names.  The baseline lists every
# file with its package, version and architecture; a tree unpacked from
# the same packages checks clean (with the control files dpkg installs
# in var/lib/dpkg/info).  A .deb with one byte changed, a
# Packages file its InRelease does not list or with another digest, an
# InRelease signed by another key or with its signed body changed: each
# refused with exit 8, naming the file, and nothing written.
# --allow-unverified keeps the bad .deb and the header counts it.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-deb.sh"

P=GPG,GPGV,DPKG-DEB,LZ4,XZ
KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"
ARCHIVE=test.example_debian_dists_stable_
UPDATES=test.example_debian_dists_stable-updates_
# The two GnuPG homes hold their agents' sockets: short names (lib.sh).
test_short_dir || exit 99
CS_AT_DONE='for h in gnupg other; do
	GNUPGHOME=$CS_SHORT/$h gpgconf --kill gpg-agent 2>/dev/null
done'

# mkdeb DIR NAME VERSION ARCH: build debs/NAME_VERSION_ARCH.deb from DIR.
mkdeb() {
	mkdir -p "$1/DEBIAN" debs &&
	cat >"$1/DEBIAN/control" <<-EOF &&
	Package: $2
	Version: $3
	Architecture: $4
	Maintainer: Test <test@example.org>
	Description: a test package
	EOF
	dpkg-deb --root-owner-group -Z"${5:-gzip}" --build "$1" \
	    "debs/$2_$3_$4.deb" >/dev/null
}

# stanza DEB: the Packages stanza of DEB.
stanza() {
	dpkg-deb -f "$1" Package Version Architecture Maintainer Description
	echo "Filename: pool/main/$(basename "$1")"
	echo "Size: $(stat -c %s "$1")"
	echo "SHA256: $(sha256sum <"$1" | cut -d" " -f1)"
	echo
}

# release FILE PATH...: a Release listing the (uncompressed) PATHs.
release() {
	out=$1
	shift
	{
		echo "Origin: Test"
		echo "Suite: stable"
		echo "Codename: test"
		echo "Date: Sat, 07 Oct 2023 09:24:08 UTC"
		echo "SHA256:"
		for f in "$@"; do
			printf ' %s %16s %s\n' "$(sha256sum <"$f" | cut -d" " -f1)" \
			    "$(stat -c %s "$f")" "main/binary-amd64/Packages"
		done
	} >"$out"
}

# vendor LISTS OUT ARGS...: a vendor baseline with the test's keyring.
vendor() {
	lists=$1
	out=$2
	shift 2
	"$CUSTOS" baseline -q --from-packages --apt-lists "$lists" \
	    --keyring "$TRASH/keyring.gpg" -o "$out" "$@"
}

test_expect_success $P 'setup: an archive key and another' '
	mkdir -m 700 "$CS_SHORT/gnupg" "$CS_SHORT/other" &&
	GNUPGHOME=$CS_SHORT/gnupg gpg -q --batch --passphrase "" \
	    --quick-gen-key "Test Archive <a@example.org>" ed25519 sign never &&
	GNUPGHOME=$CS_SHORT/other gpg -q --batch --passphrase "" \
	    --quick-gen-key "Mallory <m@example.org>" ed25519 sign never &&
	GNUPGHOME=$CS_SHORT/gnupg gpg -q --batch --export >keyring.gpg &&
	test -s keyring.gpg
'

test_expect_success $P 'setup: three packages' '
	mkdir -p p1/usr/bin p1/etc "p1/usr/share/doc/hello" p1/usr/share/common &&
	printf "#!/bin/sh\necho hello\n" >p1/usr/bin/hello &&
	chmod 755 p1/usr/bin/hello &&
	ln -s hello p1/usr/bin/hi &&
	printf "\177ELF fake\n" >p1/usr/bin/helper &&
	chmod 4755 p1/usr/bin/helper &&
	echo "greeting=hello" >p1/etc/hello.conf &&
	echo "a doc" >"p1/usr/share/doc/hello/read me" &&
	echo "from hello" >p1/usr/share/common/data &&
	mkdir -p p1/DEBIAN && echo /etc/hello.conf >p1/DEBIAN/conffiles &&
	chmod -R go-w p1 &&
	mkdeb p1 hello 1.0-1 amd64 gzip &&
	cp -a p1 p2 &&
	printf "#!/bin/sh\necho hello, world\n" >p2/usr/bin/hello &&
	mkdeb p2 hello 1.1-1 amd64 xz &&
	mkdir -p p3/usr/share/common p3/usr/share/doc/other &&
	# dpkg database directories, as the dpkg package ships them
	mkdir -p p3/var/lib/dpkg/info &&
	echo "from other" >p3/usr/share/common/data &&
	echo "doc" >p3/usr/share/doc/other/copyright &&
	ln p3/usr/share/doc/other/copyright p3/usr/share/doc/other/linked &&
	chmod -R go-w p3 &&
	mkdeb p3 other 2.0 all zstd &&
	ls debs >got &&
	printf "%s\n" hello_1.0-1_amd64.deb hello_1.1-1_amd64.deb \
	    other_2.0_all.deb >want &&
	test_cmp want got
'

test_expect_success $P 'setup: a signed archive as apt keeps it' '
	for d in debs/hello_1.0-1_amd64.deb debs/other_2.0_all.deb; do
		stanza "$d" || exit 1
	done >Packages &&
	release Release Packages &&
	GNUPGHOME=$CS_SHORT/gnupg gpg -q --batch --clearsign -o InRelease \
	    Release &&
	stanza debs/hello_1.1-1_amd64.deb >Packages.upd &&
	release Release.upd Packages.upd &&
	GNUPGHOME=$CS_SHORT/gnupg gpg -q --batch --detach-sign \
	    -o Release.upd.gpg Release.upd &&
	mkdir lists &&
	cp InRelease lists/${ARCHIVE}InRelease &&
	lz4 -q -c Packages >lists/${ARCHIVE}main_binary-amd64_Packages.lz4 &&
	cp Release.upd lists/${UPDATES}Release &&
	cp Release.upd.gpg lists/${UPDATES}Release.gpg &&
	xz -c Packages.upd >lists/${UPDATES}main_binary-amd64_Packages.xz &&
	echo noise >lists/lock &&
	echo noise >lists/${ARCHIVE}main_i18n_Translation-en
'

test_expect_success $P 'a vendor baseline of the packages' '
	vendor lists vendor.cbl --key "$KEY" -j 2 debs 2>err &&
	"$CUSTOS" verify -q --pubkey "$PUB" vendor.cbl &&
	test_grep "has no Valid-Until" err &&
	test_grep -q "^#source=packages$" vendor.cbl &&
	test_grep -q "^#packages=3$" vendor.cbl &&
	test_grep -q "^#unverified=0$" vendor.cbl &&
	test_grep -q "^#carries=content,perms,owner,link$" vendor.cbl &&
	test_grep -q "^#release-1=${UPDATES}Release$" vendor.cbl &&
	test_grep -q "^#release-2=${ARCHIVE}InRelease$" vendor.cbl &&
	test_grep -q "^#release-2-date=Sat,\\\\x2007" vendor.cbl &&
	test_must_fail grep -q "^#release-2-valid-until" vendor.cbl
'

test_expect_success $P 'its records name package, version, architecture' '
	h1=$(sha256sum <p1/usr/bin/hello | cut -d" " -f1) &&
	h2=$(sha256sum <p2/usr/bin/hello | cut -d" " -f1) &&
	test_grep -q "^/usr/bin/hello type=file mode=0755 uid=0 gid=0 user=root group=root .* sha256=$h1 pkg=hello ver=1.0-1 arch=amd64 alt=hello,1.1-1,amd64,[0-9]*,$h2$" vendor.cbl &&
	test_grep -q "^/usr/bin/hi type=link .* target=hello pkg=hello ver=1.0-1 arch=amd64$" vendor.cbl &&
	test_grep -q "^/usr/bin/helper type=file mode=4755 .* pkg=hello ver=1.0-1 arch=amd64 alt=" vendor.cbl &&
	test_grep -q "^/etc/hello.conf type=file .* pkg=hello ver=1.0-1 arch=amd64 conffile=1 alt=hello,1.1-1,amd64,[0-9]*,[0-9a-f]*,conffile$" vendor.cbl &&
	test_grep -q "^/usr/share/doc/hello/read\\\\x20me type=file .* pkg=hello " vendor.cbl &&
	test_grep -q "^/usr/share/common/data type=file .* pkg=hello ver=1.0-1 arch=amd64 alt=hello,1.1-1,amd64,[0-9]*,[0-9a-f]* alt=other,2.0,all,11,[0-9a-f]*$" vendor.cbl &&
	test_grep -q "^/usr/share/doc/other/copyright .* pkg=other ver=2.0 arch=all$" vendor.cbl &&
	hd=$(sha256sum <p3/usr/share/doc/other/copyright | cut -d" " -f1) &&
	test_grep -q "^/usr/share/doc/other/linked type=file .* size=4 .* sha256=$hd pkg=other ver=2.0 arch=all$" vendor.cbl &&
	hc=$(printf "/etc/hello.conf\n" | sha256sum | cut -d" " -f1) &&
	test_grep -q "^/var/lib/dpkg/info/hello.conffiles type=file mode=0644 uid=0 gid=0 user=root group=root size=16 .* sha256=$hc pkg=hello ver=1.0-1 arch=amd64 alt=hello,1.1-1,amd64,16,$hc$" vendor.cbl &&
	test_must_fail grep -q "^/var/lib/dpkg/info/[a-z]*.control " vendor.cbl &&
	test "$(grep -c "^/usr/share " vendor.cbl)" = 1 &&
	test "$(grep -c "^/usr/bin/hello " vendor.cbl)" = 1 &&
	test_must_fail grep -q " ctime=\\| ino=\\| nlink=" vendor.cbl
'

test_expect_success $P 'the order of -j and of the paths does not matter' '
	vendor lists one.cbl -j 1 debs/other_2.0_all.deb debs/hello_1.1-1_amd64.deb \
	    debs/hello_1.0-1_amd64.deb 2>/dev/null &&
	strip_created vendor.cbl >want &&
	strip_created one.cbl >got &&
	test_cmp want got
'

# Owners are compared where the test can give the tree root's.
if test "$(id -u)" = 0; then
	echo "# defaults" >tree.policy
else
	printf "/ -owner\n/* -owner\n" >tree.policy
fi

test_expect_success $P 'a tree unpacked from the packages checks clean' '
	mkdir tree &&
	dpkg-deb -x debs/other_2.0_all.deb tree &&
	dpkg-deb -x debs/hello_1.0-1_amd64.deb tree &&
	deb_info tree debs/other_2.0_all.deb debs/hello_1.0-1_amd64.deb &&
	rm tree/var/lib/dpkg/info/*.list tree/var/lib/dpkg/info/format &&
	"$CUSTOS" check -b vendor.cbl --pubkey "$PUB" --root tree \
	    --policy tree.policy >report 2>&1 &&
	test_grep -q "^No differences" report &&
	test_grep -q "not compared, by nature of the sources: modification times" report
'

test_expect_success $P 'a changed file is found' '
	echo trojan >tree/usr/bin/hello &&
	touch -r tree/usr/bin/hi tree/usr/bin/hello &&
	chmod 2755 tree/usr/bin/helper &&
	test_expect_code 4 "$CUSTOS" check -b vendor.cbl --pubkey "$PUB" \
	    --root tree --policy tree.policy >report 2>&1 &&
	test_grep -q "2 changed" report &&
	test_grep -q "/usr/bin/hello" report &&
	test_grep -q "/usr/bin/helper" report
'

# refused LISTS NAME ARGS...: exit 8 naming NAME, and no output.
refused() {
	test_expect_code 8 vendor "$1" out.cbl "${@:3}" 2>err &&
	test_grep -q -F "$2" err &&
	test_grep -q "refused" err &&
	test_must_fail test -e out.cbl
}

test_expect_success $P 'a .deb with one byte changed is refused' '
	mkdir bad &&
	cp debs/hello_1.0-1_amd64.deb bad/ &&
	size=$(stat -c %s bad/hello_1.0-1_amd64.deb) &&
	printf "\\377" | dd of=bad/hello_1.0-1_amd64.deb bs=1 \
	    seek=$((size - 20)) conv=notrunc 2>/dev/null &&
	test_must_fail cmp -s debs/hello_1.0-1_amd64.deb bad/hello_1.0-1_amd64.deb &&
	refused lists "hello_1.0-1_amd64.deb" debs/other_2.0_all.deb bad
'

test_expect_success $P 'a .deb that cannot be read is not kept either' '
	mkdir cut &&
	size=$(stat -c %s debs/hello_1.0-1_amd64.deb) &&
	head -c $((size - 100)) debs/hello_1.0-1_amd64.deb \
	    >cut/hello_1.0-1_amd64.deb &&
	test_expect_code 65 vendor lists cut.cbl --allow-unverified \
	    debs/other_2.0_all.deb cut 2>err &&
	test_grep -q "cut/hello_1.0-1_amd64.deb" err &&
	test_must_fail test -e cut.cbl
'

test_expect_success $P '--allow-unverified keeps a rebuilt .deb, marked' '
	cp -a p1 p4 &&
	echo "#!/bin/sh" >p4/usr/bin/hello &&
	mkdir rebuilt &&
	dpkg-deb --root-owner-group --build p4 rebuilt/hello.deb >/dev/null &&
	refused lists "rebuilt/hello.deb" debs/other_2.0_all.deb rebuilt &&
	vendor lists kept.cbl --allow-unverified debs/other_2.0_all.deb \
	    rebuilt 2>err &&
	test_grep -q "rebuilt/hello.deb.*kept unverified" err &&
	test_grep -q "^#packages=2$" kept.cbl &&
	test_grep -q "^#unverified=1$" kept.cbl &&
	test_grep -q "^/usr/bin/hello .* pkg=hello ver=1.0-1 arch=amd64 unverified=1$" kept.cbl &&
	test_grep -q "^/usr/share/common/data .* pkg=other ver=2.0 arch=all alt=hello,1.0-1,amd64,[0-9]*,[0-9a-f]*,unverified$" kept.cbl &&
	test_must_fail grep -q "pkg=other .*unverified=1" kept.cbl
'

test_expect_success $P 'a verified package stands for a path before an unverified one' '
	vendor lists kept2.cbl --allow-unverified debs/hello_1.1-1_amd64.deb \
	    rebuilt 2>/dev/null &&
	test_grep -q "^#unverified=1$" kept2.cbl &&
	test_grep -q "^/usr/bin/hello .* pkg=hello ver=1.1-1 arch=amd64 alt=hello,1.0-1,amd64,10,[0-9a-f]*,unverified$" kept2.cbl &&
	test_grep -q "^/etc/hello.conf .* pkg=hello ver=1.1-1 arch=amd64 conffile=1 alt=hello,1.0-1,amd64,[0-9]*,[0-9a-f]*,conffile,unverified$" kept2.cbl
'

test_expect_success $P 'a .deb the index does not list is refused' '
	cp -a lists l1 &&
	rm l1/${UPDATES}* &&
	refused l1 "hello_1.1-1_amd64.deb" debs/hello_1.1-1_amd64.deb
'

test_expect_success $P 'a Packages file InRelease does not list is refused' '
	cp -a lists l2 &&
	cp lists/${ARCHIVE}main_binary-amd64_Packages.lz4 \
	    l2/${ARCHIVE}contrib_binary-amd64_Packages.lz4 &&
	refused l2 "${ARCHIVE}contrib_binary-amd64_Packages.lz4" debs
'

test_expect_success $P 'a Packages file with another digest is refused' '
	cp -a lists l3 &&
	{ cat Packages && stanza bad/hello_1.0-1_amd64.deb; } | lz4 -q -c \
	    >l3/${ARCHIVE}main_binary-amd64_Packages.lz4 &&
	refused l3 "${ARCHIVE}main_binary-amd64_Packages.lz4" debs
'

test_expect_success $P 'an InRelease signed by another key is refused' '
	cp -a lists l4 &&
	GNUPGHOME=$CS_SHORT/other gpg -q --batch --yes --clearsign \
	    -o l4/${ARCHIVE}InRelease Release &&
	refused l4 "${ARCHIVE}InRelease" debs &&
	test_grep -q "NO_PUBKEY\\|ERRSIG\\|no VALIDSIG" err
'

test_expect_success $P 'an InRelease with its signed body changed is refused' '
	cp -a lists l5 &&
	sed "s/^Suite: stable/Suite: evil/" InRelease >l5/${ARCHIVE}InRelease &&
	test_must_fail cmp -s InRelease l5/${ARCHIVE}InRelease &&
	refused l5 "${ARCHIVE}InRelease" debs &&
	test_grep -q "BADSIG" err
'

test_expect_success $P 'a detached Release.gpg by another key is refused' '
	cp -a lists l6 &&
	GNUPGHOME=$CS_SHORT/other gpg -q --batch --yes --detach-sign \
	    -o l6/${UPDATES}Release.gpg Release.upd &&
	refused l6 "${UPDATES}Release" debs
'

test_expect_success $P 'text outside the signed part of InRelease is not used' '
	cp -a lists l7 &&
	{ cat InRelease && printf "\nSHA256:\n %s 1 main/binary-amd64/Packages\n" \
	    0000000000000000000000000000000000000000000000000000000000000000; } \
	    >l7/${ARCHIVE}InRelease &&
	vendor l7 l7.cbl debs 2>/dev/null &&
	test_grep -q "^#packages=3$" l7.cbl
'

test_expect_success $P 'an expired Valid-Until is a warning, not a refusal' '
	cp -a lists l8 &&
	sed "s/^Date: .*/&\nValid-Until: Sun, 08 Oct 2023 09:24:08 UTC/" \
	    Release >Release.exp &&
	GNUPGHOME=$CS_SHORT/gnupg gpg -q --batch --yes --clearsign -o \
	    l8/${ARCHIVE}InRelease Release.exp &&
	vendor l8 l8.cbl debs 2>err &&
	test_grep -q "expired on Sun, 08 Oct 2023" err &&
	test_grep -q "^#release-2-valid-until=Sun,\\\\x2008\\\\x20Oct" l8.cbl
'

test_expect_success $P 'a missing keyring or lists directory is not exit 8' '
	test_expect_code 66 "$CUSTOS" baseline -q --from-packages \
	    --apt-lists lists --keyring nonexistent -o x.cbl debs 2>/dev/null &&
	test_expect_code 66 vendor nonexistent x.cbl debs 2>/dev/null &&
	test_must_fail test -e x.cbl
'

test_done
