#!/bin/bash
# t2002: on a small Debian-like tree, with the default policy, every
# back-door change ranks above every benign change.
. "$(dirname "$0")/lib.sh"

POLICY="$CS_SRCDIR/etc/default.policy"

mkdir -p tree/usr/bin tree/usr/sbin tree/etc/cron.d tree/etc/sudoers.d \
    tree/etc/systemd/system/multi-user.target.wants tree/var/log tree/tmp \
    tree/home/alice/.ssh tree/root
printf 'sshd binary v1\n' >tree/usr/sbin/sshd
printf 'python\n' >tree/usr/bin/python3
printf 'bin\n' >tree/usr/bin/chattr-target
chmod 755 tree/usr/sbin/sshd tree/usr/bin/python3 tree/usr/bin/chattr-target
printf 'root ALL=(ALL) ALL\n' >tree/etc/sudoers
printf 'Jan 1 boot\n' >tree/var/log/syslog
printf 'ssh-ed25519 AAAA alice\n' >tree/home/alice/.ssh/authorized_keys
touch -d '2021-06-01 12:00:00' tree/usr/sbin/sshd

test_expect_success 'baseline, then back doors and benign changes' '
	"$CUSTOS" baseline -q -o base.cbl tree &&
	: back doors &&
	printf "#!/bin/sh\n" >tree/usr/bin/rootsh && chmod 4755 tree/usr/bin/rootsh &&
	printf "/lib/libevil.so\n" >tree/etc/ld.so.preload &&
	printf "evil ALL=(ALL) NOPASSWD: ALL\n" >tree/etc/sudoers.d/evil &&
	printf "ssh-ed25519 BBBB mallory\n" >>tree/home/alice/.ssh/authorized_keys &&
	printf "* * * * * root /tmp/.x\n" >tree/etc/cron.d/backdoor &&
	ln -s /etc/systemd/system/evil.service \
	    tree/etc/systemd/system/multi-user.target.wants/evil.service &&
	touch -r tree/usr/sbin/sshd ref &&
	printf "sshd binary v2\n" >tree/usr/sbin/sshd &&
	touch -r ref tree/usr/sbin/sshd &&
	if test_have_prereq CAPS; then
		setcap cap_setuid+ep tree/usr/bin/python3
	fi &&
	if test_have_prereq CHATTR; then
		chattr +i tree/usr/bin/chattr-target
	fi &&
	: benign &&
	printf "Jan 2 cron ran\n" >>tree/var/log/syslog &&
	printf "scratch\n" >tree/tmp/new-file &&
	printf "meeting notes\n" >tree/home/alice/notes.txt &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl --format json >r.json
'

test_expect_success PYTHON 'every back door ranks above every benign change' '
	python3 - r.json <<-\PY
	import json, sys
	sev = ["info", "low", "medium", "high", "critical"]
	doors = ["/usr/bin/rootsh", "/etc/ld.so.preload", "/etc/sudoers.d/evil",
	         "/home/alice/.ssh/authorized_keys", "/etc/cron.d/backdoor",
	         "/etc/systemd/system/multi-user.target.wants/evil.service",
	         "/usr/sbin/sshd"]
	benign = ["/var/log/syslog", "/tmp/new-file", "/home/alice/notes.txt"]
	order, found = [], {}
	for l in open(sys.argv[1]):
	    o = json.loads(l)
	    if o["type"] == "finding":
	        order.append(o["path"]); found[o["path"]] = o
	for p in ["/usr/bin/python3", "/usr/bin/chattr-target"]:
	    if p in found:
	        doors.append(p)
	for p in doors:
	    assert p in found, p + " not reported"
	low_door = min(sev.index(found[p]["severity"]) for p in doors)
	high_benign = max([sev.index(found[p]["severity"])
	                   for p in benign if p in found] + [0])
	print("lowest back door:", sev[low_door], "highest benign:", sev[high_benign])
	assert low_door > high_benign
	last_door = max(order.index(p) for p in doors)
	for p in benign:
	    assert p not in found or order.index(p) > last_door, p
	assert found["/usr/sbin/sshd"]["timestomped"]
	assert found["/usr/sbin/sshd"]["severity"] == "critical"
	assert found["/usr/bin/rootsh"]["severity"] == "critical"
	assert found["/etc/ld.so.preload"]["severity"] == "critical"
	assert found["/var/log/syslog"]["appended"]
	assert "/tmp/new-file" not in found
	PY
'

test_expect_success 'the reasons name the rules' '
	test_grep "\"path\":\"/etc/sudoers.d/evil\".*\"sudo or doas rules\"" r.json &&
	test_grep "\"path\":\"/home/alice/.ssh/authorized_keys\".*\"severity\":\"high\"" r.json &&
	test_grep "\"path\":\"/etc/cron.d/backdoor\".*\"cron job" r.json &&
	test_grep "\"path\":\"/etc/systemd/system/multi-user.target.wants/evil.service\".*\"systemd unit" r.json &&
	test_grep "\"path\":\"/usr/bin/rootsh\".*\"setuid or setgid bit added\"" r.json
'

test_expect_success CAPS 'capability added on an interpreter is critical' '
	test_grep "\"path\":\"/usr/bin/python3\".*\"severity\":\"critical\",\"reasons\":\[\"file capability added or changed\"" r.json
'

test_expect_success CHATTR 'immutable flag set is high' '
	test_grep "\"path\":\"/usr/bin/chattr-target\".*\"severity\":\"high\".*\"immutable or append-only flag set\"" r.json
'

test_expect_success 'the timeline groups the work into bursts' '
	test_grep "\"type\":\"timeline\",\"burst\":1" r.json &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned --policy "$POLICY" \
	    -b base.cbl >r.txt &&
	test_grep "^burst 1: " r.txt &&
	test_grep "/usr/sbin/sshd.*TIMESTOMPED" r.txt
'

test_expect_success 'the rebuild plan separates programs from configuration' '
	test_grep "\"type\":\"plan\",\"action\":\"reinstall\",\"path\":\"/usr/sbin/sshd\"" r.json &&
	test_grep "\"type\":\"plan\",\"action\":\"review\",\"path\":\"/etc/sudoers.d/evil\"" r.json &&
	test_grep "\"type\":\"plan\",\"action\":\"review\",\"path\":\"/home/alice/notes.txt\"" r.json
'

test_done
