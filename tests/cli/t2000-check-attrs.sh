#!/bin/bash
# t2000: check attributes every kind of change to the right attribute:
# same-size content with the mtime restored, mode, setuid, owner, group,
# ACL, xattrs, capability, symlink target, type, inode, hard link to a
# sensitive file, immutable flag, added and removed objects.
. "$(dirname "$0")/lib.sh"

# findings: one line per finding from the JSON report on stdin:
# "PATH KIND SEVERITY ATTR[:NAME],... FLAGS"
findings() {
	python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["type"] != "finding":
        continue
    a = ",".join(c["attr"] + (":" + c["name"] if c["name"] else "")
                 for c in o["changes"]) or "-"
    f = ("T" if o["timestomped"] else "") + ("A" if o["appended"] else "")
    print(o["path"], o["kind"], o["severity"], a, f or "-",
          o.get("related", "-"))
'
}

mkdir -p tree/bin tree/usr/bin tree/usr/lib tree/etc tree/srv
printf 'AAAA trojan-free\n' >tree/bin/ls
chmod 755 tree/bin/ls
printf 'tool\n' >tree/usr/bin/tool
printf 'python\n' >tree/usr/bin/python3
chmod 755 tree/usr/bin/tool tree/usr/bin/python3
printf 'lib\n' >tree/usr/lib/libfoo.so
printf 'root:x:0:0\n' >tree/etc/passwd
printf 'root:*:1:0\n' >tree/etc/shadow
chmod 640 tree/etc/shadow
printf '127.0.0.1 localhost\n' >tree/etc/hosts
for f in doc owned grouped xattrs immut removed becomes-dir; do
	printf '%s\n' "$f" >tree/srv/$f
done
ln -s doc tree/srv/link
test_have_prereq XATTR && setfattr -n user.origin -v vendor tree/srv/xattrs
touch -d '2020-01-01 00:00:00' tree/bin/ls tree/usr/lib/libfoo.so

test_expect_success 'an unchanged tree checks clean with exit 0' '
	"$CUSTOS" baseline -q -o base.cbl tree &&
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned -b base.cbl >out &&
	test_grep "^No differences.$" out &&
	test_grep "^result: *0 added, 0 removed, 0 changed" out
'

test_expect_success 'tamper with the tree' '
	touch -r tree/bin/ls ref &&
	printf "BBBB trojan-full\n" >tree/bin/ls &&
	touch -r ref tree/bin/ls &&
	chmod 600 tree/srv/doc &&
	chmod u+s tree/usr/bin/tool &&
	cp -p tree/usr/lib/libfoo.so tmp.so && mv tmp.so tree/usr/lib/libfoo.so &&
	rm tree/srv/link && ln -s ../etc/shadow tree/srv/link &&
	rm tree/srv/becomes-dir && mkdir tree/srv/becomes-dir &&
	ln tree/etc/shadow tree/srv/.cache &&
	printf "new\n" >tree/srv/added &&
	rm tree/srv/removed &&
	if test_have_prereq ROOT; then
		chown 1234 tree/srv/owned && chgrp 4321 tree/srv/grouped
	fi &&
	if test_have_prereq ACL; then setfacl -m u:1000:rw tree/etc/hosts; fi &&
	if test_have_prereq XATTR; then
		setfattr -n user.origin -v attacker tree/srv/xattrs &&
		setfattr -n user.new -v 1 tree/srv/xattrs
	fi &&
	if test_have_prereq CAPS; then
		setcap cap_setuid+ep tree/usr/bin/python3
	fi &&
	if test_have_prereq CHATTR; then
		chattr +i tree/srv/immut &&
		printf "dropped\n" >tree/srv/dropped && chattr +i tree/srv/dropped
	fi &&
	test_expect_code 7 "$CUSTOS" check -q --allow-unsigned -b base.cbl \
	    --format json >report.json &&
	findings <report.json >f &&
	cat f
'

test_expect_success 'same size, mtime restored: digest only, timestomped' '
	test_grep "^/bin/ls changed critical digest:sha256 T " f
'

test_expect_success 'mode change' '
	test_grep "^/srv/doc changed low mode - " f &&
	test_grep "\"path\":\"/srv/doc\".*\"old\":\"0644\",\"new\":\"0600\"" report.json
'

test_expect_success 'setuid added is critical' '
	test_grep "^/usr/bin/tool changed critical mode - " f &&
	test_grep "\"path\":\"/usr/bin/tool\".*setuid or setgid bit added" report.json
'

test_expect_success ROOT 'owner and group' '
	test_grep "^/srv/owned changed low uid - " f &&
	test_grep "^/srv/grouped changed low gid - " f
'

test_expect_success ACL 'ACL added' '
	test_grep "^/etc/hosts changed medium mode,acl - " f
'

test_expect_success XATTR 'xattr changed and added, by name' '
	test_grep "^/srv/xattrs changed low xattr:user.new,xattr:user.origin - " f &&
	test_grep "\"name\":\"user.origin\",\"old\":\"vendor\",\"new\":\"attacker\"" report.json
'

test_expect_success CAPS 'capability added is critical' '
	test_grep "^/usr/bin/python3 changed critical caps,xattr:security.capability - " f &&
	test_grep "\"attr\":\"caps\",\"name\":null,\"old\":null,\"new\":\"cap_setuid\\\\\\\\x3dep\"" report.json
'

test_expect_success 'symlink retargeted' '
	test_grep "^/srv/link changed low [a-z,]*target - " f &&
	test_grep "\"old\":\"doc\",\"new\":\"../etc/shadow\"" report.json
'

test_expect_success 'file replaced by a directory' '
	test_grep "^/srv/becomes-dir type-changed low type - " f &&
	test_grep "\"attr\":\"type\",\"name\":null,\"old\":\"file\",\"new\":\"dir\"" report.json
'

test_expect_success 'inode change with the same content' '
	test_grep "^/usr/lib/libfoo.so changed medium ino - " f
'

test_expect_success 'new hard link to a sensitive file' '
	test_grep "^/etc/shadow changed high nlink - " f &&
	test_grep "^/srv/.cache added high - - /etc/shadow$" f &&
	test_grep "new hard link to a sensitive file" report.json
'

test_expect_success CHATTR 'immutable flag set, on a changed and a dropped file' '
	test_grep "^/srv/immut changed high iflags - " f &&
	test_grep "^/srv/dropped added high - - " f &&
	test_grep "\"attr\":\"iflags\",\"name\":null,\"old\":\"[a-z,-]*\",\"new\":\"immutable" report.json
'

test_expect_success 'added and removed files' '
	test_grep "^/srv/added added low - - " f &&
	test_grep "^/srv/removed removed low - - " f
'

test_expect_success 'text report: summary first, then findings by severity' '
	test_expect_code 7 "$CUSTOS" check -q --allow-unsigned -b base.cbl >out &&
	head -n 1 out >first &&
	test_grep "^custos check report$" first &&
	test_grep "^WARNING: the baseline is NOT SIGNED" out &&
	sed -n "/^FINDINGS/,/^TIMELINE/p" out | grep -E "^(critical|high|medium|low|info) " |
	    cut -c1-8 | uniq >order &&
	sort -u order >seen &&
	for s in critical high medium low info; do grep -x "$s *" order; done >want || : &&
	test_cmp want order &&
	test_grep "TIMESTOMPED" out &&
	test_grep "^REBUILD PLAN" out &&
	test_grep "^  changed  /bin/ls  (program, library" out
'

test_expect_success 'no colour unless on a terminal' '
	! grep -q "$(printf "\033")" out
'

test_done
