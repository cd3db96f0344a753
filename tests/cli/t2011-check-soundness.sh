#!/bin/bash
# t2011: check never says "no differences" while it could not look, or
# while a back door sits in a tree the policy ignores.
. "$(dirname "$0")/lib.sh"

POLICY="$CS_SRCDIR/etc/default.policy"

# sev PATH: "KIND SEVERITY" of PATH's finding in r.json, or "none".
sev() {
	python3 - "$1" r.json <<-\PY
	import json, sys
	for l in open(sys.argv[2]):
	    o = json.loads(l)
	    if o["type"] == "finding" and o["path"] == sys.argv[1]:
	        print(o["kind"], o["severity"]); break
	else:
	    print("none")
	PY
}

mkdir -p tree/tmp tree/var/tmp tree/var/cache/apt tree/run tree/dev/shm \
    tree/etc tree/usr/bin
printf 'root:x:0:0::/root:/bin/sh\n' >tree/etc/passwd
printf 'root:*:19000:0:99999:7:::\n' >tree/etc/shadow
chmod 640 tree/etc/shadow
cp "$(type -P true)" tree/usr/bin/true
printf 'old session\n' >tree/tmp/sess_old

test_expect_success 'baseline of a tree with volatile directories' '
	"$CUSTOS" baseline -q -o base.cbl tree &&
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl >out &&
	test_grep "^No differences\.$" out
'

test_expect_success 'churn in ignored trees stays quiet' '
	printf "session data\n" >tree/tmp/sess_abc &&
	chmod 600 tree/tmp/sess_abc &&
	printf "new\n" >tree/tmp/sess_old &&
	mkdir tree/var/tmp/build && printf "x\n" >tree/var/tmp/build/obj &&
	printf "pkg\n" >tree/var/cache/apt/pkgcache.bin &&
	test_expect_code 0 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl >out &&
	test_grep "^No differences\.$" out &&
	test_grep "ignored\$" out
'

test_expect_success PYTHON 'a setuid root shell in /tmp is critical' '
	cp "$(type -P true)" tree/tmp/.sh && chmod 4755 tree/tmp/.sh &&
	test_expect_code 1 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl --format json >r.json &&
	test "$(sev /tmp/.sh)" = "added critical" &&
	test "$(sev /tmp/sess_abc)" = none &&
	test_grep "compared anyway" r.json
'

test_expect_success CAPS,PYTHON 'a binary with cap_setuid+ep in /var/cache is critical' '
	cp "$(type -P true)" tree/var/cache/apt/helper &&
	chmod 644 tree/var/cache/apt/helper &&
	setcap cap_setuid+ep tree/var/cache/apt/helper &&
	test_expect_code 1 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl --format json >r.json &&
	test "$(sev /var/cache/apt/helper)" = "added critical"
'

test_expect_success PYTHON 'executables in /dev/shm and /run are high, by x bit or by magic' '
	cp "$(type -P true)" tree/dev/shm/x && chmod 755 tree/dev/shm/x &&
	cp "$(type -P true)" tree/run/elf && chmod 644 tree/run/elf &&
	printf "#!/bin/sh\nid\n" >tree/var/tmp/build/run.sh &&
	chmod 644 tree/var/tmp/build/run.sh &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl --format json >r.json &&
	test "$(sev /dev/shm/x)" = "added high" &&
	test "$(sev /run/elf)" = "added high" &&
	test "$(sev /var/tmp/build/run.sh)" = "added high" &&
	test "$(sev /var/tmp/build/obj)" = none
'

test_expect_success PYTHON 'a unit file dropped in /run/systemd/system is reported high' '
	mkdir -p tree/run/systemd/system &&
	printf "[Service]\nExecStart=/bin/sh -c id\n" >tree/run/systemd/system/x.service &&
	printf "state\n" >tree/run/utmp &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl --format json >r.json &&
	test "$(sev /run/systemd/system/x.service)" = "added high" &&
	test "$(sev /run/utmp)" = none
'

test_expect_success MKNOD,PYTHON 'a device node in /tmp is high' '
	mknod tree/tmp/disk b 8 0 &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl --format json >r.json &&
	test "$(sev /tmp/disk)" = "added high" &&
	rm tree/tmp/disk
'

test_expect_success PYTHON 'a hard link from /tmp to /etc/shadow is reported; links inside /tmp are not' '
	ln tree/etc/shadow tree/tmp/s &&
	printf "a\n" >tree/tmp/a && ln tree/tmp/a tree/tmp/b &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl --format json >r.json &&
	test "$(sev /tmp/s)" = "added high" &&
	test "$(sev /tmp/a)" = none && test "$(sev /tmp/b)" = none &&
	test "$(sev /etc/shadow)" = "changed high"
'

# A record the baseline could not examine: error= and no digest.  Made
# here by editing an unsigned baseline and sealing it again, as a file
# that changed while it was read would leave it.
seal() {
	python3 - "$1" <<-\PY
	import hashlib, re, sys
	lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
	body = [l for l in lines if not l.startswith(b"#end ")]
	recs = [l for l in body if not l.startswith(b"#")]
	errs = sum(1 for l in recs if b" error=" in l)
	data = b"".join(l + b"\n" for l in body)
	d = hashlib.sha256(data).hexdigest().encode()
	out = data + b"#end records=%d errors=%d sha256=%s\n" % (len(recs), errs, d)
	open(sys.argv[1], "wb").write(out)
	PY
}

test_expect_success PYTHON 'a record with error=, then a same-size, same-mtime swap: not compared, exit 16' '
	rm -rf tree2 && mkdir -p tree2/usr/bin &&
	printf "good program\n" >tree2/usr/bin/tool && chmod 755 tree2/usr/bin/tool &&
	"$CUSTOS" baseline -q -o e.cbl tree2 &&
	sed -i "s|^\(/usr/bin/tool .*\) sha256=[0-9a-f]*$|\1 error=changed\\\\x20while\\\\x20being\\\\x20read|" e.cbl &&
	grep -q "^/usr/bin/tool .*error=changed" e.cbl &&
	seal e.cbl &&
	"$CUSTOS" verify --allow-unsigned e.cbl >/dev/null &&
	touch -r tree2/usr/bin/tool ref &&
	printf "evil program\n" >tree2/usr/bin/tool && touch -r ref tree2/usr/bin/tool &&
	test_expect_code 16 "$CUSTOS" check -q --allow-unsigned -b e.cbl >out &&
	test_grep "not-compared" out &&
	test_grep "the baseline could not examine it: changed while being read" out &&
	test_must_fail grep -q "No differences" out &&
	test_expect_code 16 "$CUSTOS" check -q --allow-unsigned -b e.cbl \
	    --format json >r.json &&
	test "$(sev /usr/bin/tool)" = "not-compared medium"
'

test_expect_success PYTHON 'a digest missing where the baseline has one: not compared' '
	rm -rf tree3 && mkdir -p tree3/etc && printf "a\n" >tree3/etc/conf &&
	"$CUSTOS" baseline -q --digest sha256 -o s256.cbl tree3 &&
	"$CUSTOS" baseline -q --digest sha512 -o s512.cbl tree3 &&
	test_expect_code 16 "$CUSTOS" diff -q --allow-unsigned s256.cbl s512.cbl >out &&
	test_grep "no digest in common" out &&
	test_must_fail grep -q "No differences" out
'

# A directory the walk cannot enter: as root, the check runs as nobody
# (setpriv) in a directory and with a binary that nobody can reach.
test_expect_success ROOT,SETPRIV 'a directory not entered: one finding, its baseline objects not called removed' '
	nb=$(mktemp -d /tmp/custos-t2011.XXXXXX) && chmod 755 "$nb" &&
	cp "$CUSTOS" "$nb/custos" &&
	mkdir -p "$nb/tree/d/e" && printf "x\n" >"$nb/tree/d/e/f" &&
	"$CUSTOS" baseline -q -o "$nb/d.cbl" "$nb/tree" && chmod 644 "$nb/d.cbl" &&
	chmod 000 "$nb/tree/d" &&
	{ setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$nb/custos" check -q --allow-unsigned -b "$nb/d.cbl" >out; rc=$?; } &&
	rm -rf "$nb" && test $rc = 16 &&
	test_grep "^medium   not-compared dir /d$" out &&
	test_grep "not compared: cannot open directory: Permission denied" out &&
	test_grep "detail: 2 objects of the baseline below it not compared" out &&
	test_grep "mode: 0755 -> 0000" out &&
	test_must_fail grep -q "^[a-z]* *removed " out
'

test_done
