#!/bin/bash
# t2007: what a report shows and where it goes: every attribute of an
# added or removed object, "copy of" a baseline file, the line format (one
# line per finding), --min-severity (hides lines, never the verdict), the
# summary as the last block, readable capabilities and values, and
# --syslog datagrams on a socket the test binds.
. "$(dirname "$0")/lib.sh"

POLICY="$CS_SRCDIR/etc/default.policy"
check() {
	"$CUSTOS" check -q --allow-unsigned --policy "$POLICY" -b base.cbl "$@"
}

# findings: "SEVERITY KIND PATH" per finding of the JSON report on stdin.
findings() {
	python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["type"] == "finding":
        print(o["severity"], o["kind"], o["path"])
'
}

# receive SOCKET OUT: collect syslog datagrams on SOCKET into OUT (one per
# line, as received) until a summary arrives or 20 s pass.
receive() {
	python3 - "$1" "$2" <<-\EOF &
	import os, socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind(sys.argv[1])
	s.settimeout(20)
	open(sys.argv[1] + ".ready", "w").close()
	with open(sys.argv[2], "w") as out:
	    try:
	        while True:
	            m = s.recv(65536).decode("ascii")
	            out.write(m + "\n")
	            out.flush()
	            if ": summary " in m:
	                break
	    except socket.timeout:
	        pass
	EOF
	for i in $(seq 100); do
		test -e "$1.ready" && return 0
		sleep 0.1
	done
	return 1
}

mkdir -p tree/usr/bin tree/etc tree/srv
printf '#!/bin/sh\necho a shell\n' >tree/usr/bin/shell
chmod 755 tree/usr/bin/shell
printf 'old tool\n' >tree/usr/bin/tool
chmod 755 tree/usr/bin/tool
: >tree/etc/empty
printf 'conf\n' >tree/etc/app.conf
printf 'gone\n' >tree/srv/gone
printf 'notes\n' >tree/srv/notes

test_expect_success PYTHON 'baseline, then a setuid copy of the shell and more' '
	"$CUSTOS" baseline -q -o base.cbl tree &&
	cp tree/usr/bin/shell tree/srv/.sh &&
	chmod 4755 tree/srv/.sh &&
	: >tree/srv/empty &&
	printf "new tool\n" >tree/usr/bin/tool &&
	printf "conf 2\n" >tree/etc/app.conf &&
	printf "odd\n" >"tree/srv/a b" &&
	rm tree/srv/gone &&
	printf "more notes\n" >>tree/srv/notes &&
	test_expect_code 7 check --format json >r.json &&
	findings <r.json >f &&
	cat f
'

test_expect_success PYTHON 'JSON: the added setuid shell with its attributes and its original' '
	sum=$(sha256sum tree/srv/.sh | cut -d" " -f1) &&
	python3 - "$sum" "$(id -u)" "$(id -un)" <<-\EOF
	import hashlib, json, sys
	fs = {}
	for l in open("r.json"):
	    o = json.loads(l)
	    if o["type"] == "finding":
	        fs[o["path"]] = o
	f = fs["/srv/.sh"]
	e = f["entry"]
	assert f["kind"] == "added", f
	assert e["type"] == "file" and e["mode"] == "4755", e
	assert e["uid"] == int(sys.argv[2]) and e["user"] == sys.argv[3], e
	assert e["size"] == 23 and e["digests"]["sha256"] == sys.argv[1], e
	assert f["copy_of"] == "/usr/bin/shell", f
	# An empty file is a copy of nothing, though the baseline has one.
	assert "copy_of" not in fs["/srv/empty"], fs["/srv/empty"]
	assert fs["/srv/empty"]["entry"]["size"] == 0
	# A removed object shows what it was.
	g = fs["/srv/gone"]["entry"]
	assert fs["/srv/gone"]["kind"] == "removed" and g["size"] == 5, g
	assert g["digests"]["sha256"] == hashlib.sha256(b"gone\n").hexdigest(), g
	# Changed objects carry no entry: their changes say it.
	assert "entry" not in fs["/etc/app.conf"]
	EOF
'

test_expect_success PYTHON 'text: every attribute of added and removed objects, and the copy' '
	test_expect_code 7 check >t &&
	sed -n "/ added  *file \/srv\/.sh$/,/^$/p" t >sh.txt &&
	test_grep "^    copy of: /usr/bin/shell$" sh.txt &&
	test_grep "^    mode: 4755$" sh.txt &&
	test_grep "^    uid: $(id -u)($(id -un))$" sh.txt &&
	test_grep "^    size: 23$" sh.txt &&
	test_grep "^    sha256: $(sha256sum tree/srv/.sh | cut -d" " -f1)$" sh.txt &&
	test_grep "^    mtime: 20" sh.txt &&
	sed -n "/ removed  *file \/srv\/gone$/,/^$/p" t >gone.txt &&
	test_grep "^    size: 5$" gone.txt &&
	test_grep "^    sha256: $(printf "gone\n" | sha256sum | cut -d" " -f1)$" gone.txt
'

test_expect_success PYTHON '--format line: exactly one line per finding, most severe first' '
	test_expect_code 7 check --format line >l &&
	test $(wc -l <l) = $(wc -l <f) &&
	cut -d" " -f1-3 l >l3 &&
	test_cmp f l3 &&
	test_grep "^critical added /srv/\.sh type=file size=23 sha256=[0-9a-f]* mode=4755 uid=" l &&
	test_grep " copy_of=/usr/bin/shell -- " l &&
	test_grep "^[a-z]* added /srv/a\\\\x20b type=file " l &&
	test_grep "^[a-z]* changed /usr/bin/tool .*sha256=[0-9a-f]*->[0-9a-f]* " l &&
	! grep -q "^custos\|^SUMMARY\|^result" l
'

test_expect_success PYTHON '--min-severity hides lines only: counts, result and exit stay' '
	test_expect_code 7 check --min-severity high >h &&
	test_expect_code 7 check >all &&
	grep "^severity:" all >want &&
	grep "^severity:" h >got &&
	test_cmp want got &&
	grep "^result:" all >want &&
	grep "^result:" h >got &&
	test_cmp want got &&
	low=$(grep -c "^\(low\|info\|medium\) " f) &&
	test "$low" -gt 0 &&
	test_grep "^not shown:  $low findings below high (--min-severity)$" h &&
	! grep -q "^\(low\|info\|medium\)  *[a-z-]*  *[a-z]* /" h &&
	! grep -q "^  [-0-9T:Z]*  \(low\|info\|medium\) " h &&
	test_grep "^critical added  *file /srv/.sh$" h &&
	test_expect_code 7 check --format line --min-severity high >hl &&
	test $(wc -l <hl) = $(grep -c "^\(critical\|high\) " f) &&
	test_expect_code 7 check --format json --min-severity critical >j &&
	findings <j >jf &&
	test_cmp f jf
'

test_expect_success 'hiding every finding never reads as no differences' '
	mkdir -p small/srv &&
	printf "1\n" >small/srv/data &&
	"$CUSTOS" baseline -q -o small.cbl small &&
	printf "2\n" >small/srv/data &&
	test_expect_code 4 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b small.cbl --min-severity critical >q &&
	! grep -q "No differences" q &&
	! grep -q "^FINDINGS" q &&
	test_grep "^not shown:  1 finding below critical (--min-severity)$" q &&
	tail -n 1 q >end &&
	test_grep "^No findings at critical or above; the comparison found differences.$" end
'

test_expect_success PYTHON 'the text report ends with the summary' '
	sed -n "/^SUMMARY$/,\$p" all >last &&
	test $(wc -l <last) = 4 &&
	test_grep "^result: " last &&
	test_grep "^severity: " last &&
	tail -n 1 all >end &&
	test_grep "^exit:       7$" end &&
	"$CUSTOS" baseline -q -o now.cbl tree &&
	test_expect_code 0 "$CUSTOS" diff -q --allow-unsigned --policy "$POLICY" \
	    now.cbl now.cbl >clean &&
	sed -n "/^SUMMARY$/,\$p" clean >last &&
	test $(wc -l <last) = 5 &&
	tail -n 1 clean >end &&
	test_grep "^No differences.$" end
'

test_expect_success 'bad --min-severity and --format are usage errors' '
	test_expect_code 64 check --min-severity urgent 2>err &&
	test_grep "bad severity" err &&
	test_expect_code 64 check --format xml 2>err &&
	test_grep "text, line or json" err
'

test_expect_success CAPS 'capabilities print as cap_setuid=ep' '
	setcap cap_setuid+ep tree/usr/bin/shell &&
	cp tree/usr/bin/tool tree/usr/bin/capped &&
	setcap cap_net_raw+ep tree/usr/bin/capped &&
	test_expect_code 7 check >v &&
	test_expect_code 7 check --format line >vl &&
	test_grep "^    caps: (none) -> cap_setuid=ep$" v &&
	test_grep "^    caps: cap_net_raw=ep$" v &&
	test_grep "^critical changed /usr/bin/shell caps=(none)->cap_setuid=ep " vl &&
	test_grep " caps=cap_net_raw=ep " vl
'

test_expect_success XATTR 'values print as typed, unsafe bytes escaped' '
	setfattr -n user.note -v "$(printf "a b\033[31m")" tree/srv/notes &&
	test_expect_code 7 check >v &&
	test_expect_code 7 check --format line >vl &&
	test_grep "^    xattr user.note: (none) -> a b\\\\x1b\[31m$" v &&
	test_grep " xattr.user.note=(none)->a\\\\x20b\\\\x1b\[31m" vl &&
	! grep -q "$(printf "\033")" v vl
'

test_expect_success PYTHON '--syslog: one datagram per finding of medium or higher, then the summary' '
	receive log.sock sl &&
	test_expect_code 7 check --format json --syslog-socket "$PWD/log.sock" >j &&
	wait &&
	cat sl &&
	want=$(findings <j | grep -c "^\(critical\|high\|medium\) ") &&
	test $(grep -c "^<[0-9]*>[A-Z][a-z][a-z] [ 1-3][0-9] [0-9:]\{8\} custos\[[0-9]*\]: " sl) = $((want + 1)) &&
	test $(grep -c ": \(critical\|high\|medium\) " sl) = "$want" &&
	! grep -q ": \(low\|info\) " sl &&
	test_grep "^<82>.* custos\[[0-9]*\]: critical added /srv/\.sh type=file " sl &&
	test_grep "^<8[5-6]>.* custos\[[0-9]*\]: summary added=[0-9]* .* exit=7 -- " sl &&
	test_grep "\"type\":\"end\"" j
'

test_expect_success PYTHON '--syslog: long lines are cut at 1024 bytes' '
	long=$(printf "%0250d" 0 | tr 0 x) &&
	mkdir -p "tree/usr/bin/$long/$long/$long" &&
	printf "#!/bin/sh\n" >"tree/usr/bin/$long/$long/$long/$long" &&
	chmod 755 "tree/usr/bin/$long/$long/$long/$long" &&
	rm -f log.sock log.sock.ready &&
	receive log.sock sl2 &&
	test_expect_code 7 check --syslog-socket "$PWD/log.sock" >/dev/null &&
	wait &&
	test $(awk "length > 1024" sl2 | wc -l) = 0 &&
	grep ": high added /usr/bin/$long/" sl2 >cut &&
	test $(wc -l <cut) = 1 &&
	test $(tr -d "\n" <cut | wc -c) = 1024 &&
	test_grep "\.\.\.$" cut
'

test_expect_success PYTHON '--syslog: a socket that is not there is a warning, not a verdict' '
	test_expect_code 7 check --syslog-socket "$PWD/nothing.sock" >out 2>err &&
	test_grep "^custos: check: .*syslog" err &&
	tail -n 1 out >end &&
	test_grep "^exit:       7$" end
'

test_done
