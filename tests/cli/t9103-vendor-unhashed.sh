#!/bin/bash
# t9103: a check against a baseline of packages hashes what packages
# ship and nothing else.  A file no package ships has nothing its content
# could be compared with: its type, metadata and first bytes are read
# (an ELF object is still one), its content is not, and the report says
# how many such files there were; --hash-unowned hashes them too.  The
# files packages ship are hashed whatever their number (a trojan among
# many unowned files is still found), through the root's merged-/usr
# link and its diversions.  The findings on files no package ships are
# finished as they come and kept on disk (what a start-up file names
# among them is still raised); a store that cannot be made is an error.
# Temporary files written to the filesystem examined are named.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-deb.sh"

P=GPG,GPGV,DPKG-DEB
POL="$CS_SRCDIR/etc/default.policy"

# vcheck ARGS...: custos check against V.cbl of root, the report in out
# (line format unless ARGS say otherwise), the status in rc.
vcheck() {
	rc=0
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b V.cbl \
	    --root root "$@" >out || rc=$?
}

test_expect_success $P 'setup: a package, signed, and a tree of it' '
	deb_key &&
	mkdir -p t1/bin t1/usr/share/tools &&
	cp /bin/true t1/bin/xls &&
	printf "#!/bin/sh\necho real\n" >t1/usr/share/tools/run &&
	echo "data" >t1/usr/share/tools/data &&
	chmod 755 t1/bin/xls t1/usr/share/tools/run &&
	chmod -R go-w t1 &&
	deb_pkg t1 tools 1.0 &&
	deb_lists &&
	"$CUSTOS" baseline -q --from-packages --apt-lists lists \
	    --keyring keyring.gpg -o V.cbl pkgs &&
	mkdir -p root/usr &&
	dpkg-deb -x pkgs/tools_1.0_all.deb root &&
	mv root/bin root/usr/bin &&
	ln -s usr/bin root/bin
'

test_expect_success $P 'unowned files: described, not hashed, counted' '
	mkdir -p root/srv/data root/usr/local/bin &&
	for i in 1 2 3 4 5 6 7 8 9 10; do
		head -c 1000 /dev/urandom >root/srv/data/f$i || return 1
	done &&
	cp /bin/true root/usr/local/bin/tool &&
	printf "#!/bin/sh\nexit 0\n" >root/usr/local/bin/hook &&
	chmod 755 root/usr/local/bin/hook &&
	vcheck -F line &&
	test "$rc" = 1 &&
	grep "^low added /srv/data/f1 type=file size=1000 mode=" out &&
	! grep "^[a-z]* added /srv/data/f1 .*sha256=" out &&
	grep "^high added /usr/local/bin/tool .*no package ships this ELF" out &&
	grep "^high added /usr/local/bin/hook .*ELF object or script" out &&
	! grep "added /usr/local/bin/tool .*sha256=" out &&
	vcheck -F text &&
	bytes=$((10 * 1000 + $(stat -c %s root/usr/local/bin/tool) +
	    $(stat -c %s root/usr/local/bin/hook))) &&
	mib=$(awk "BEGIN { printf \"%.1f\", $bytes / 1048576 }") &&
	grep "^warning: *12 files that no package ships ($mib MiB) were not hashed" out &&
	vcheck -F json &&
	grep "\"warnings\":\[[^]]*12 files that no package ships" out
'

test_expect_success $P '--hash-unowned hashes them' '
	vcheck -F line --hash-unowned &&
	test "$rc" = 1 &&
	want=$(sha256sum <root/srv/data/f1 | cut -d" " -f1) &&
	grep "^low added /srv/data/f1 .* sha256=$want " out &&
	grep "^high added /usr/local/bin/tool .*sha256=" out &&
	vcheck -F text --hash-unowned &&
	! grep "were not hashed" out
'

test_expect_success $P 'what packages ship is hashed: a trojan is found' '
	cp -p root/usr/bin/xls xls.orig &&
	cp /bin/false root/usr/bin/xls &&
	touch -r xls.orig root/usr/bin/xls &&
	printf "#!/bin/sh\necho evil\n" >root/usr/share/tools/run &&
	touch -r xls.orig root/usr/share/tools/run &&
	vcheck -F line &&
	test "$rc" = 5 &&
	grep "^critical changed /usr/bin/xls .*sha256=" out &&
	grep "^[a-z]* changed /usr/share/tools/run .*sha256=" out &&
	! grep "^[a-z]* [a-z-]* /usr/share/tools/data " out &&
	cp -p xls.orig root/usr/bin/xls &&
	cp -p t1/usr/share/tools/run root/usr/share/tools/run &&
	vcheck -F line &&
	test "$rc" = 1 &&
	! grep -E "^[a-z]+ (changed|removed|not-compared) " out
'

test_expect_success $P 'what an added start-up file names is raised with it' '
	mkdir -p root/etc/cron.d root/opt/x &&
	printf "* * * * * root /opt/x/payload --quiet\n" >root/etc/cron.d/evil &&
	echo "data, not a program" >root/opt/x/payload &&
	echo "other data" >root/opt/x/other &&
	vcheck -F line &&
	grep "^high added /etc/cron.d/evil " out &&
	grep "^high added /opt/x/payload .* related=/etc/cron.d/evil -- .*named by a start-up file" out &&
	grep "^low added /opt/x/other " out &&
	vcheck -F text &&
	grep -A3 "^high .*added .*file /opt/x/payload" out | grep "via:   named by /etc/cron.d/evil" &&
	rm -r root/etc/cron.d root/opt/x
'

test_expect_success $P 'temporary files on the filesystem examined are named' '
	mkdir -p tmp &&
	TMPDIR=$TRASH/tmp vcheck -F text &&
	test_grep "^warning: .*findings, and the report.s timeline and plan items, were kept in unlinked temporary files in \$TMPDIR, on the filesystem examined" out &&
	test -z "$(ls tmp)" &&
	if test -d /dev/shm &&
	    test "$(stat -c %d /dev/shm)" != "$(stat -c %d root)"; then
		TMPDIR=/dev/shm vcheck -F text &&
		! grep "on the filesystem examined" out
	fi
'

test_expect_success $P 'findings that cannot be kept on disk: an error, no report' '
	rc=0 &&
	TMPDIR=/nonexistent/dir "$CUSTOS" check --allow-unsigned \
	    --policy "$POL" -b V.cbl --root root -o rep.txt 2>err || rc=$? &&
	test "$rc" = 73 &&
	test_grep "cannot create a temporary file in .*/nonexistent/dir" err &&
	test ! -e rep.txt
'

test_expect_success $P 'a baseline of the host hashes everything' '
	"$CUSTOS" baseline -q -o H.cbl root &&
	grep -q "^/srv/data/f1 type=file .*sha256=" H.cbl &&
	"$CUSTOS" check -q --allow-unsigned --policy "$POL" -b H.cbl \
	    -F text root >out2 &&
	! grep "were not hashed" out2
'

test_expect_success $P 'vendor records sorted on the filesystem examined are named' '
	mkdir -p t2/usr/share/many &&
	for i in $(seq 6000); do
		: >t2/usr/share/many/f$i || return 1
	done &&
	deb_pkg t2 many 1.0 &&
	deb_lists &&
	"$CUSTOS" baseline -q --from-packages --apt-lists lists \
	    --keyring keyring.gpg -o W.cbl pkgs &&
	rm -rf tmp && mkdir tmp &&
	rc=0 &&
	TMPDIR=$TRASH/tmp "$CUSTOS" check --allow-unsigned --policy "$POL" \
	    -b W.cbl --root root -F text >out || rc=$? &&
	test $((rc & 32)) = 0 &&
	test_grep "^warning: *the vendor records were sorted through [0-9]* unlinked temporary files\{0,1\} in \$TMPDIR, on the filesystem examined" out &&
	test_grep "^low  *removed  *file /usr/share/many/f6000$" out &&
	test -z "$(ls tmp)" &&
	vcheck -F text &&
	! grep "vendor records were sorted" out
'

test_expect_success "$P,CHATTR" 'inode flags are read of immutable and append-only files only' '
	mkdir -p root/srv/locked &&
	echo keep >root/srv/locked/keep &&
	echo log >root/srv/locked/log &&
	echo plain >root/srv/locked/plain &&
	chattr +i root/srv/locked/keep &&
	chattr +a root/srv/locked/log &&
	vcheck -F line &&
	chattr -i root/srv/locked/keep &&
	chattr -a root/srv/locked/log &&
	test "$rc" = 1 &&
	grep "^high added /srv/locked/keep .*iflags=[a-z,]*immutable" out &&
	grep "^high added /srv/locked/log .*iflags=[a-z,]*append" out &&
	grep "^low added /srv/locked/plain " out >plain &&
	! grep "iflags=" plain &&
	lsattr -d root/srv/locked/plain >attrs &&
	say "other flags of a plain file here: $(cut -d" " -f1 attrs)" &&
	"$CUSTOS" baseline -q -o L.cbl root &&
	lsattr -d root/srv/locked/plain | grep -q "^-*[a-zA-Z]" &&
	grep "^/srv/locked/plain .*iflags=" L.cbl ||
	! lsattr -d root/srv/locked/plain | grep -q "^-*[a-zA-Z]"
'

deb_done
test_done
