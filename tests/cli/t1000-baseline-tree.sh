#!/bin/bash
# t1000: a baseline of a hostile tree holds every attribute, and the
# SHA-256 of every file equals sha256sum's.
. "$(dirname "$0")/lib.sh"

"$FIXTURES/mktree.sh" "$TRASH/tree"
has() { grep -qx "$1" "$TRASH/tree.features"; }

# record PATH-ENCODED: print the baseline line of that path.
record() {
	grep -- "^$1 " "$TRASH/base.cbl"
}

test_expect_success 'baseline of the tree succeeds' '
	"$CUSTOS" baseline -q -o base.cbl tree &&
	test_grep "^#root=" base.cbl &&
	test_grep "^#end records=" base.cbl
'

test_expect_success 'file type, mode with setuid, owner and times' '
	record /bin/su-like >r &&
	test_grep " type=file mode=4755 uid=0 gid=0 " r &&
	test_grep " mtime=[0-9]*\.[0-9]\{9\} ctime=[0-9]*\.[0-9]\{9\} \(btime=[0-9]*\.[0-9]\{9\} \)\?ino=[0-9]* nlink=1 " r
'

test_expect_success 'owner and group names are recorded' '
	record /bin/hello >r &&
	test_grep " user=$(id -un) group=$(id -gn) " r
'

test_expect_success 'symlink targets, also with spaces' '
	record /srv/link-to-hello >r &&
	test_grep " type=link .* target=\.\./bin/hello$" r &&
	record /srv/dangling >r &&
	test_grep " target=dangling\\\\x20target$" r
'

test_expect_success 'hard links share inode and have nlink 2' '
	ino1=$(record /bin/hello | sed "s/.* ino=\([0-9]*\) .*/\1/") &&
	ino2=$(record /bin/hello-hardlink | sed "s/.* ino=\([0-9]*\) .*/\1/") &&
	test "$ino1" = "$ino2" &&
	record /bin/hello | grep -q " nlink=2 "
'

test_expect_success 'FIFO and socket are recorded, not opened' '
	record /srv/fifo | grep -q " type=fifo " &&
	if has socket; then record /srv/socket | grep -q " type=socket "; fi
'

test_expect_success MKNOD 'device node with its numbers' '
	record /srv/null | grep -q " type=char .* rdev=1,3$"
'

test_expect_success ACL 'access and default ACLs in libacl text form' '
	record /etc/passwd >r &&
	test_grep " acl=user::rw-,user:1000:r--,group::r--,mask::r--,other::r-- " r &&
	record /srv/data >r &&
	test_grep " dacl=user::rwx,group::r-x,group:100:rwx,mask::rwx,other::r-x" r
'

test_expect_success XATTR 'user xattrs, text and binary values' '
	record /bin/hello >r &&
	test_grep " xattr.user.binary=\\\\x00\\\\xff\\\\x0a " r &&
	test_grep " xattr.user.origin=vendor" r
'

test_expect_success CAPS 'file capability: readable and raw xattr' '
	record /bin/su-like >r &&
	test_grep " caps=cap_net_raw\\\\x3dep " r &&
	test_grep " xattr.security.capability=\\\\x01" r
'

test_expect_success 'hostile names are escaped: newline, space, backslash, latin1, escape' '
	record "/srv/new\\\\x0aline" &&
	record "/srv/with\\\\x20space" &&
	record "/srv/back\\\\x5cslash" &&
	record "/srv/caf\\\\xe9" &&
	record "/srv/esc\\\\x1b\[31mred" &&
	! grep -q "$(printf "\033")" base.cbl &&
	! LC_ALL=C grep -q "[^ -~]" base.cbl
'

test_expect_success 'SHA-256 of every file equals sha256sum of it' '
	n=0 &&
	grep " type=file " base.cbl >files &&
	while read -r enc rest; do
		want=$(echo "$rest" | sed "s/.* sha256=\([0-9a-f]*\).*/\1/") &&
		# the encoding is \xHH only, which printf %b decodes exactly
		printf "%bX" "tree$enc" >name &&
		file=$(cat name) && file=${file%X} &&
		got=$(sha256sum <"$file" | cut -c1-64) &&
		test "$got" = "$want" || { echo "mismatch: $enc"; exit 1; }
		n=$((n + 1))
	done <files &&
	test "$n" -ge 12 &&
	echo "compared $n files"
'

test_expect_success 'every object in the tree has exactly one record' '
	want=$(find tree -printf x | wc -c) &&
	got=$(grep -c "^/" base.cbl) &&
	test "$want" = "$got"
'

test_expect_success 'several digests in one run' '
	"$CUSTOS" baseline -q --digest sha256,sha512,sha3-256,blake2b512 \
	    -o multi.cbl tree &&
	record /srv/data/big >r &&
	test_grep "^#digests=sha256,sha512,sha3-256,blake2b512$" multi.cbl &&
	line=$(grep "^/srv/data/big " multi.cbl) &&
	test "$(echo "$line" | sed "s/.* sha512=\([0-9a-f]*\).*/\1/")" = \
	    "$(sha512sum <tree/srv/data/big | cut -c1-128)" &&
	test "$(echo "$line" | sed "s/.* sha3-256=\([0-9a-f]*\).*/\1/")" = \
	    "$(openssl dgst -sha3-256 -r <tree/srv/data/big | cut -c1-64)" &&
	test "$(echo "$line" | sed "s/.* blake2b512=\([0-9a-f]*\).*/\1/")" = \
	    "$(b2sum <tree/srv/data/big | cut -c1-128)"
'

test_expect_success 'an unknown digest is a usage error' '
	test_expect_code 64 "$CUSTOS" baseline --digest md5 -o x.cbl tree &&
	test ! -e x.cbl
'

test_expect_success 'the unsigned baseline verifies with --allow-unsigned' '
	"$CUSTOS" verify --allow-unsigned base.cbl >out &&
	test_grep "^records: *$(grep -c "^/" base.cbl) (0 with errors)" out
'

# ATIME: listing a directory here updates its access time (relatime
# does for an atime older than a day), so a test of custos can fail.
mkdir -p atprobe && touch -a -d 2020-01-01 atprobe &&
    ls atprobe >/dev/null && test "$(stat -c %X atprobe)" != \
    "$(date -d 2020-01-01 +%s)" && cs_prereq_cache="$cs_prereq_cache ATIME=1 "

test_expect_success ATIME 'baseline and snapshot leave directory and file access times alone' '
	mkdir -p at/d && printf "x\n" >at/d/f &&
	touch -a -d 2020-01-01 at at/d at/d/f &&
	t=$(date -d 2020-01-01 +%s) &&
	"$CUSTOS" baseline -q -o at.cbl at &&
	test "$(stat -c %X at/d)" = "$t" && test "$(stat -c %X at)" = "$t" &&
	test "$(stat -c %X at/d/f)" = "$t" &&
	"$CUSTOS" snapshot -q --case C --label L --operator O -o at.tar at &&
	test "$(stat -c %X at/d)" = "$t" && test "$(stat -c %X at/d/f)" = "$t"
'

test_done
