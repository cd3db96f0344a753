#!/bin/bash
# t2008: account databases compared entry by entry: what the account
# tools do (useradd, usermod, their "-" backups) is one clear finding and
# explained copies; privilege (uid 0, administrative groups, system
# passwords) ranks high or critical.  The old side is the baseline.
. "$(dirname "$0")/lib.sh"

POL="$CS_SRCDIR/etc/default.policy"

# mkroot DIR: a small /etc with two accounts and their databases.
mkroot() {
	mkdir -p "$1/etc" "$1/home" &&
	printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' \
	    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin' \
	    'bob:x:1000:1000:Bob:/home/bob:/bin/bash' >"$1/etc/passwd" &&
	printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'sudo:x:27:' 'users:x:100:' \
	    'bob:x:1000:' >"$1/etc/group" &&
	printf '%s\n' 'root:$6$rootsalt$roothash:19000:0:99999:7:::' \
	    'daemon:*:19000:0:99999:7:::' \
	    'bob:$6$bobsalt$bobhash:19000:0:99999:7:::' >"$1/etc/shadow" &&
	printf '%s\n' 'root:*::' 'daemon:*::' 'sudo:*::' 'users:*::' \
	    'bob:!::' >"$1/etc/gshadow" &&
	printf '%s\n' 'UID_MIN 1000' 'UID_MAX 60000' 'GID_MIN 1000' \
	    'GID_MAX 60000' 'SUB_UID_COUNT 65536' 'SUB_GID_COUNT 65536' \
	    >"$1/etc/login.defs" &&
	echo 'bob:100000:65536' >"$1/etc/subuid" &&
	echo 'bob:100000:65536' >"$1/etc/subgid" &&
	chmod 640 "$1/etc/shadow" "$1/etc/gshadow"
}

# base DIR: baseline DIR with the shipped policy into DIR.cbl.
base() {
	"$CUSTOS" baseline -q --policy "$POL" -o "$1.cbl" "$1"
}

# check DIR: check DIR against DIR.cbl, JSON in DIR.json, text in DIR.txt.
check() {
	rc=0
	"$CUSTOS" check -q --allow-unsigned --policy "$POL" -b "$1.cbl" \
	    --format json "$1" >"$1.json" || rc=$?
	"$CUSTOS" check -q --allow-unsigned --policy "$POL" -b "$1.cbl" \
	    "$1" >"$1.txt" || :
	test $rc -lt 64
}

# tamper DIR FILE LINE: a fresh baselined DIR, LINE appended to its
# etc/FILE, checked.
tamper() {
	mkroot "$1" && base "$1" && echo "$3" >>"$1/etc/$2" && check "$1"
}

# finding FILE PATH: the JSON line of PATH's finding.
finding() {
	grep "\"type\":\"finding\",\"path\":\"$2\"," "$1"
}

test_expect_success 'the baseline carries entries, never a password hash' '
	mkroot r0 && base r0 &&
	test_grep "^#struct-key=[0-9a-f]\{64\}$" r0.cbl &&
	test_grep "^/etc/passwd .* struct=passwd:#k\\\\x3d" r0.cbl &&
	test_grep "^/etc/shadow .* struct=shadow:" r0.cbl &&
	test_grep "^/etc/login.defs .* struct=logindefs:UID_MIN\\\\x3d1000" \
	    r0.cbl &&
	! grep -q "roothash\|rootsalt\|bobhash" r0.cbl &&
	"$CUSTOS" verify -q --allow-unsigned r0.cbl
'

test_expect_success 'unchanged databases: no differences' '
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POL" -b r0.cbl r0 >out &&
	test_grep "No differences" out
'

test_expect_success USERADD 'useradd: one medium finding, the rest low' '
	mkroot r1 && base r1 &&
	useradd --prefix "$TRASH/r1" -g users -s /bin/bash alice &&
	check r1 &&
	finding r1.json /etc/passwd >pw &&
	test_grep "\"severity\":\"medium\",\"reasons\":\[\"user account added\"" pw &&
	test_grep "\"detail\":\"added user alice: uid 1001, gid 100, home /home/alice, shell /bin/bash\\\\u000a" pw &&
	test_grep "with it in /etc/subuid: added range alice:" pw &&
	test_grep "with it in /etc/subgid: added range alice:" pw &&
	for p in /etc/shadow /etc/subuid /etc/subgid; do
		finding r1.json $p | grep -q "\"severity\":\"low\",\"reasons\":\[\"part of the account added in /etc/passwd\"" ||
		    { echo "$p"; exit 1; }
	done &&
	for p in passwd shadow subuid subgid; do
		finding r1.json /etc/$p- | grep -q "\"severity\":\"low\",\"reasons\":\[\"backup made by the account tools: copy of /etc/$p as baselined\"" ||
		    { echo "$p-"; exit 1; }
	done &&
	! grep -q "\"severity\":\"\(high\|critical\)\"" r1.json &&
	test_grep "detail: added user alice" r1.txt
'

test_expect_success USERMOD 'a user added to sudo: high, naming the group' '
	mkroot r2 && base r2 &&
	usermod --prefix "$TRASH/r2" -aG sudo bob &&
	check r2 &&
	finding r2.json /etc/group >g &&
	test_grep "\"severity\":\"high\",\"reasons\":\[\"user added to an administrative group\"" g &&
	test_grep "\"detail\":\"changed group sudo, added members bob\"" g &&
	finding r2.json /etc/gshadow | grep -q "\"severity\":\"high\"" &&
	finding r2.json /etc/group- | grep -q "\"severity\":\"low\""
'

test_expect_success USERMOD 'passwords: root high, an ordinary user low' '
	mkroot r3 && base r3 &&
	usermod --prefix "$TRASH/r3" -p "\$6\$new\$bobnew" bob &&
	check r3 &&
	finding r3.json /etc/shadow >s &&
	test_grep "\"severity\":\"low\",\"reasons\":\[\"password of an ordinary user changed\"" s &&
	test_grep "changed shadow entry bob, password changed" s &&
	! grep -q "bobnew" r3.json &&
	mkroot r4 && base r4 &&
	usermod --prefix "$TRASH/r4" -p "\$6\$new\$rootnew" daemon &&
	check r4 &&
	finding r4.json /etc/shadow >s &&
	test_grep "\"severity\":\"high\",\"reasons\":\[\"password of root or a system account changed\"" s
'

test_expect_success 'two baselines keyed apart: a changed root password is still high' '
	mkroot r13 && base r13 &&
	sed -i "s/roothash:19000/roothash2:19001/" r13/etc/shadow &&
	"$CUSTOS" baseline -q --policy "$POL" -o r13b.cbl r13 &&
	rc=0 && "$CUSTOS" diff -q --allow-unsigned --policy "$POL" --format json \
	    r13.cbl r13b.cbl >r13.json || rc=$? && test $rc -lt 64 &&
	finding r13.json /etc/shadow >s &&
	test_grep "password not comparable" s &&
	test_grep "\"severity\":\"high\"" s
'

test_expect_success 'UID_MIN comes from the examined root: uid 1000 is a system account under UID_MIN 2000' '
	mkroot r5 &&
	sed -i "s/^UID_MIN 1000/UID_MIN 2000/" r5/etc/login.defs &&
	base r5 &&
	sed -i "s/bobhash/bobhash2/" r5/etc/shadow &&
	check r5 &&
	finding r5.json /etc/shadow | grep -q "\"severity\":\"high\""
'

test_expect_success 'a uid 0 account added by hand: critical' '
	tamper r6 passwd "toor:x:0:0::/root:/bin/sh" &&
	finding r6.json /etc/passwd >p &&
	test_grep "\"severity\":\"critical\",\"reasons\":\[\"account with uid 0 added\"" p &&
	test_grep "added user toor: uid 0" p
'

test_expect_success 'a group with gid 0 added: critical' '
	tamper r7 group "wheel2:x:0:bob" &&
	finding r7.json /etc/group | grep -q "\"severity\":\"critical\",\"reasons\":\[\"group with gid 0 added\""
'

test_expect_success 'a backup that is not the baselined primary is compared' '
	mkroot r8 && base r8 &&
	cp r8/etc/passwd r8/etc/passwd- &&
	echo "evil:x:0:0::/:/bin/sh" >>r8/etc/passwd- &&
	check r8 &&
	finding r8.json /etc/passwd- | grep -q "\"severity\":\"critical\""
'

test_expect_success 'a line custos cannot parse is high' '
	tamper r9 passwd "odd:x:+0:0::/:/bin/sh" &&
	finding r9.json /etc/passwd >p &&
	test_grep "\"severity\":\"high\"" p &&
	test_grep "malformed lines 0 -> 1" p
'

test_expect_success 'update keeps the entries and their key' '
	mkroot r11 && base r11 &&
	echo "carol:x:1002:1002::/home/carol:/bin/sh" >>r11/etc/passwd &&
	"$CUSTOS" keygen --no-passphrase -o ops >/dev/null &&
	"$CUSTOS" update -q -b r11.cbl --allow-unsigned --key ops.key \
	    --policy "$POL" --accept /etc/passwd -o r11new.cbl r11 &&
	test $(grep -c "^#struct-key=" r11new.cbl) = 1 &&
	grep "^#struct-key=" r11.cbl >k1 && grep "^#struct-key=" r11new.cbl >k2 &&
	test_cmp k1 k2 &&
	test_grep "^/etc/passwd .*struct=passwd:.*carol:x:1002" r11new.cbl &&
	sed -i "s/bobhash/bobhash2/" r11/etc/shadow &&
	rc=0 && "$CUSTOS" check -q --pubkey ops.pub --policy "$POL" \
	    -b r11new.cbl --format json r11 >j || rc=$? &&
	test $rc = 4 &&
	finding j /etc/shadow | grep -q "password of an ordinary user changed"
'

test_expect_success 'a version 1 baseline is still read (no entries)' '
	mkroot r10 && base r10 &&
	sed -e "1s/ 2$/ 1/" -e "/^#struct-key=/d" -e "s/ struct=[^ ]*//" \
	    -e "/^#end /d" r10.cbl >v1.body &&
	sum=$(sha256sum <v1.body | cut -c1-64) &&
	n=$(grep -c "^/" v1.body) &&
	{ cat v1.body; echo "#end records=$n errors=0 sha256=$sum"; } >r10v1.cbl &&
	echo "toor:x:0:0::/root:/bin/sh" >>r10/etc/passwd &&
	rc=0 && "$CUSTOS" check -q --allow-unsigned --policy "$POL" \
	    -b r10v1.cbl --format json r10 >j || rc=$? &&
	test $rc = 4 &&
	finding j /etc/passwd >p &&
	! grep -q "\"detail\"" p
'

test_done
