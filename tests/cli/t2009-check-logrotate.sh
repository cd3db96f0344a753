#!/bin/bash
# t2009: log rotation understood.  Real logrotate runs (create, compress,
# delaycompress; dateext; copytruncate; olddir; wtmp) are info; a rotated or
# compressed copy with a line deleted is a tampered rotated log (high,
# named); a corrupt compressed copy is not-compared; login records are
# compared by their structure (a record or lastlog slot zeroed: high; a
# login: info).
. "$(dirname "$0")/lib.sh"

POL="$CS_SRCDIR/etc/default.policy"

# utmp FILE N TIME: append N login records (384 bytes each, the glibc
# layout on Linux x86-64) with times from TIME on.
utmp() {
	python3 - "$@" <<-'EOF'
	import struct, sys
	f, n, t = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
	with open(f, "ab") as o:
	    for i in range(n):
	        r = bytearray(384)
	        struct.pack_into("<hi", r, 0, 7, 1000 + i)
	        r[8:13] = b"pts/0"
	        r[44:49] = b"alice"
	        struct.pack_into("<ii", r, 340, t + i, 0)
	        o.write(r)
	EOF
}

# lastlog FILE UID TIME: write UID's slot (292 bytes) of a lastlog.
lastlog() {
	python3 - "$@" <<-'EOF'
	import os, struct, sys
	f, uid, t = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
	fd = os.open(f, os.O_WRONLY | os.O_CREAT, 0o644)
	slot = bytearray(292)
	if t:
	    struct.pack_into("<i", slot, 0, t)
	    slot[4:9] = b"pts/1"
	os.pwrite(fd, bytes(slot), uid * 292)
	os.close(fd)
	EOF
}

# grow DIR: append to every live log of DIR.
grow() {
	n=$((${n:-0} + 1))
	printf "sys line $n\nsys line $n.1\n" >>"$1/var/log/syslog" &&
	echo "auth line $n" >>"$1/var/log/auth.log" &&
	echo "kern line $n" >>"$1/var/log/kern.log" &&
	printf "app line $n\napp line $n.1\n" >>"$1/var/log/app.log" &&
	utmp "$1/var/log/wtmp" 1 $((1700000000 + n * 100))
}

# rotate DIR: run logrotate -f on DIR's logs with DIR's state file
# (kern.log's copies go to an olddir).
rotate() {
	L="$TRASH/$1/var/log"
	cat >"$1.conf" <<-EOF
	$L/syslog {
		rotate 3
		create
		compress
		delaycompress
	}
	$L/auth.log {
		rotate 3
		create
		dateext
		dateformat -%Y%m%d%H%M%S
		compress
	}
	$L/app.log {
		rotate 2
		copytruncate
		compress
		delaycompress
	}
	$L/wtmp {
		rotate 1
		create 0664 root root
	}
	$L/kern.log {
		rotate 2
		olddir $L/old
		create
		compress
		delaycompress
	}
	EOF
	mkdir -p "$L/old" &&
	sleep 1 &&
	logrotate -f -s "$1.state" "$1.conf"
}

# setup DIR: logs with two rotations behind them, baselined into DIR.cbl.
setup() {
	mkdir -p "$1/var/log" &&
	grow "$1" && rotate "$1" && grow "$1" && rotate "$1" && grow "$1" &&
	"$CUSTOS" baseline -q --policy "$POL" -o "$1.cbl" "$1" &&
	grow "$1" && rotate "$1"
}

# check DIR: JSON report in DIR.json; the exit status in $rc.
check() {
	rc=0
	"$CUSTOS" check -q --allow-unsigned --policy "$POL" -b "$1.cbl" \
	    --format json "$1" >"$1.json" || rc=$?
	test $rc -lt 64
}

# finding FILE PATH: the JSON line of PATH's finding.
finding() {
	grep "\"type\":\"finding\",\"path\":\"$2\"," "$1"
}

test_expect_success LOGROTATE,PYTHON 'logrotate: no file above info' '
	setup r1 &&
	test -f r1/var/log/syslog.3.gz && test -f r1/var/log/app.log.2.gz &&
	test -f r1/var/log/wtmp.1 && ls r1/var/log | grep -q "^auth.log-" &&
	test -f r1/var/log/old/kern.log.2.gz &&
	check r1 &&
	! grep "\"object\":\"file\",\"severity\":\"\(low\|medium\|high\|critical\)\"" r1.json &&
	! grep "\"severity\":\"\(medium\|high\|critical\)\"" r1.json &&
	finding r1.json /var/log/syslog.1 | grep -q "log rotated: its old content is intact" &&
	finding r1.json /var/log/syslog.3.gz | grep -q "\"severity\":\"info\"" &&
	finding r1.json /var/log/wtmp | grep -q "\"severity\":\"info\"" &&
	finding r1.json /var/log/kern.log | grep -q "old content now in /var/log/old/kern.log.1"
'

test_expect_success LOGROTATE,PYTHON 'a line deleted from the rotated copy: high, named' '
	setup r2 &&
	sed -i 1d r2/var/log/syslog.1 &&
	check r2 &&
	finding r2.json /var/log/syslog.1 >f &&
	test_grep "\"severity\":\"high\",\"reasons\":\[\"tampered rotated log\"" f &&
	test_grep "should hold the baselined content of /var/log/syslog" f
'

test_expect_success LOGROTATE,PYTHON 'a line deleted from a compressed copy: high, named' '
	setup r3 &&
	gzip -dc r3/var/log/syslog.2.gz | sed 1d | gzip >r3/x.gz &&
	cat r3/x.gz >r3/var/log/syslog.2.gz && rm r3/x.gz &&
	check r3 &&
	finding r3.json /var/log/syslog.2.gz >f &&
	test_grep "\"severity\":\"high\",\"reasons\":\[\"tampered rotated log\"" f &&
	finding r3.json /var/log/syslog.1 | grep -q "\"severity\":\"info\""
'

test_expect_success LOGROTATE,PYTHON 'the oldest copy altered, not dropped: high, named' '
	setup r9 &&
	gzip -dc r9/var/log/syslog.3.gz | sed 1d | gzip >r9/x.gz &&
	cat r9/x.gz >r9/var/log/syslog.3.gz && rm r9/x.gz &&
	check r9 &&
	finding r9.json /var/log/syslog.3.gz >f &&
	test_grep "\"severity\":\"high\",\"reasons\":\[\"tampered rotated log\"" f &&
	finding r9.json /var/log/syslog.2.gz >f &&
	! grep -q "oldest rotated copy dropped" f
'

test_expect_success LOGROTATE,PYTHON 'a copytruncate copy altered: high' '
	setup r4 &&
	gzip -dc r4/var/log/app.log.2.gz | sed 1d | gzip >r4/x.gz &&
	cat r4/x.gz >r4/var/log/app.log.2.gz && rm r4/x.gz &&
	check r4 &&
	finding r4.json /var/log/app.log.2.gz | grep -q "\"severity\":\"high\",\"reasons\":\[\"tampered rotated log\""
'

test_expect_success LOGROTATE,PYTHON 'a rotated wtmp with a record zeroed: high' '
	setup r5 &&
	dd if=/dev/zero of=r5/var/log/wtmp.1 bs=384 count=1 conv=notrunc \
	    2>/dev/null &&
	check r5 &&
	finding r5.json /var/log/wtmp.1 | grep -q "\"severity\":\"high\""
'

test_expect_success LOGROTATE,PYTHON 'a corrupt compressed copy is not-compared (exit bit 16)' '
	setup r6 &&
	printf "\037\213\010\000garbage" >r6/var/log/syslog.2.gz &&
	check r6 &&
	test $((rc & 16)) = 16 &&
	finding r6.json /var/log/syslog.2.gz >f &&
	test_grep "\"kind\":\"not-compared\"" f &&
	test_grep "rotated log cannot be decompressed" f
'

test_expect_success LOGROTATE,PYTHON 'a rotated copy removed out of turn: high; the log that grew is not' '
	mkdir -p r7/var/log && grow r7 && rotate r7 && grow r7 && rotate r7 &&
	grow r7 && rotate r7 && grow r7 &&
	"$CUSTOS" baseline -q --policy "$POL" -o r7.cbl r7 &&
	rm r7/var/log/syslog.2.gz &&
	echo "more" >>r7/var/log/syslog &&
	check r7 &&
	finding r7.json /var/log/syslog.2.gz | grep -q "\"severity\":\"high\",\"reasons\":\[\"tampered rotated log\"" &&
	finding r7.json /var/log/syslog >f &&
	test_grep "\"appended\":true" f &&
	! grep -q "tampered\|\"severity\":\"high\"" f
'

test_expect_success PYTHON 'login records: a login is info, a zeroed slot or record high' '
	mkdir -p r8/var/log &&
	utmp r8/var/log/wtmp 3 1700000000 &&
	lastlog r8/var/log/lastlog 0 1700000000 &&
	lastlog r8/var/log/lastlog 1000 1700000100 &&
	"$CUSTOS" baseline -q --policy "$POL" -o r8.cbl r8 &&
	utmp r8/var/log/wtmp 1 1700000500 &&
	lastlog r8/var/log/lastlog 1000 1700000500 &&
	check r8 && test $rc = 4 &&
	! grep "\"severity\":\"\(low\|medium\|high\|critical\)\"" r8.json &&
	finding r8.json /var/log/lastlog | grep -q "changed slot of uid 1000, time 1700000100 -> 1700000500" &&
	lastlog r8/var/log/lastlog 0 0 &&
	check r8 &&
	finding r8.json /var/log/lastlog >f &&
	test_grep "\"severity\":\"high\",\"reasons\":\[\"lastlog entry zeroed or set back\"" f &&
	test_grep "zeroed slot of uid 0" f &&
	dd if=/dev/zero of=r8/var/log/wtmp bs=384 seek=1 count=1 \
	    conv=notrunc 2>/dev/null &&
	check r8 &&
	finding r8.json /var/log/wtmp | grep -q "\"severity\":\"high\",\"reasons\":\[\"login records wiped\""
'

test_expect_success PYTHON 'wtmp grown, old records not verifiable (two baselines): medium at least' '
	mkdir -p r10/var/log && utmp r10/var/log/wtmp 3 1700000000 &&
	"$CUSTOS" baseline -q --policy "$POL" -o r10a.cbl r10 &&
	printf "mallory" | dd of=r10/var/log/wtmp bs=1 seek=$((384 + 44)) \
	    conv=notrunc 2>/dev/null &&
	utmp r10/var/log/wtmp 1 1700000500 &&
	"$CUSTOS" baseline -q --policy "$POL" -o r10b.cbl r10 &&
	rc=0 && "$CUSTOS" diff -q --allow-unsigned --policy "$POL" \
	    --format json r10a.cbl r10b.cbl >r10.json || rc=$? &&
	test $rc -lt 64 &&
	finding r10.json /var/log/wtmp >f &&
	test_grep "old records not verifiable" f &&
	! grep -q "\"severity\":\"\(info\|low\)\"" f
'

test_done
