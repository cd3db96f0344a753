#!/bin/bash
# t5000: keygen writes PREFIX.key (0600, PKCS#8) and PREFIX.pub that stock
# openssl reads, prints the fingerprint openssl computes, encrypts with a
# passphrase file, and never replaces an existing file.
. "$(dirname "$0")/lib.sh"

# fp_of PUB: the fingerprint as a third party computes it.
fp_of() {
	openssl pkey -pubin -in "$1" -outform DER | sha256sum | cut -d" " -f1
}

test_expect_success 'keygen --no-passphrase writes both files' '
	"$CUSTOS" keygen -o k --no-passphrase >out &&
	test -f k.key && test -f k.pub &&
	test_grep "^private key: k.key (not encrypted)$" out &&
	test_grep "^public key:  k.pub$" out &&
	test_grep "^key id:      [0-9a-f]\{16\}$" out &&
	test_grep "^fingerprint: [0-9a-f]\{4\}\( [0-9a-f]\{4\}\)\{15\}$" out &&
	test_grep -x -e "-----BEGIN PRIVATE KEY-----" k.key &&
	test_grep -x -e "-----BEGIN PUBLIC KEY-----" k.pub
'

test_expect_success 'the private key is mode 600, the public key 644' '
	test "$(stat -c %a k.key)" = 600 &&
	test "$(stat -c %a k.pub)" = 644
'

test_expect_success 'the modes do not depend on the umask' '
	(umask 077 && "$CUSTOS" keygen -o u --no-passphrase >/dev/null) &&
	test "$(stat -c %a u.key)" = 600 &&
	test "$(stat -c %a u.pub)" = 644
'

test_expect_success OPENSSL 'openssl reads the key pair' '
	openssl pkey -in k.key -noout &&
	openssl pkey -in k.key -pubout >derived.pub &&
	test_cmp k.pub derived.pub &&
	openssl pkey -pubin -in k.pub -noout -text >text &&
	test_grep "ED25519 Public-Key" text
'

test_expect_success OPENSSL 'the fingerprint is the SHA-256 of the DER key' '
	fp_of k.pub >expect &&
	sed -n "s/^fingerprint: //p" out | tr -d " " >actual &&
	test_cmp expect actual &&
	cut -c1-16 expect >expect.id &&
	sed -n "s/^key id: *//p" out >actual.id &&
	test_cmp expect.id actual.id
'

test_expect_success OPENSSL 'stock openssl signs and verifies with the keys' '
	printf "message\n" >msg &&
	openssl pkeyutl -sign -inkey k.key -rawin -in msg -out sig &&
	test "$(wc -c <sig)" = 64 &&
	openssl pkeyutl -verify -pubin -inkey k.pub -rawin -in msg \
	    -sigfile sig &&
	printf "massage\n" >bad &&
	test_must_fail openssl pkeyutl -verify -pubin -inkey k.pub -rawin \
	    -in bad -sigfile sig
'

test_expect_success 'keygen --passphrase-file writes an encrypted key' '
	printf "correct horse\n" >pw &&
	"$CUSTOS" keygen -o e --passphrase-file pw >out.e &&
	test_grep "^private key: e.key (encrypted)$" out.e &&
	test_grep -x -e "-----BEGIN ENCRYPTED PRIVATE KEY-----" e.key &&
	test "$(stat -c %a e.key)" = 600
'

test_expect_success OPENSSL 'openssl decrypts it with the passphrase only' '
	openssl pkey -in e.key -passin file:pw -pubout >e.derived &&
	test_cmp e.pub e.derived &&
	printf "correct horse \n" >wrong &&
	test_must_fail openssl pkey -in e.key -passin file:wrong -noout &&
	openssl asn1parse -in e.key >asn1 &&
	test_grep "OBJECT *:PBES2" asn1 &&
	test_grep "OBJECT *:scrypt" asn1 &&
	test_grep "OBJECT *:aes-256-cbc" asn1
'

test_expect_success OPENSSL 'the fingerprint of an encrypted key matches too' '
	fp_of e.pub >expect &&
	sed -n "s/^fingerprint: //p" out.e | tr -d " " >actual &&
	test_cmp expect actual
'

test_expect_success 'keygen refuses to replace existing keys (73)' '
	cp k.key k.key.orig && cp k.pub k.pub.orig &&
	test_expect_code 73 "$CUSTOS" keygen -o k --no-passphrase >out 2>err &&
	test_grep "already exists" err &&
	cmp k.key k.key.orig && cmp k.pub k.pub.orig &&
	test "$(stat -c %a k.key)" = 600 &&
	test ! -s out
'

test_expect_success 'an existing PREFIX.pub alone is refused too' '
	echo precious >p.pub && cp p.pub p.pub.orig &&
	test_expect_code 73 "$CUSTOS" keygen -o p --no-passphrase 2>err &&
	test_grep "p.pub" err &&
	cmp p.pub p.pub.orig &&
	test ! -e p.key
'

test_expect_success 'keygen refuses a symbolic link in the way' '
	ln -s target s.key &&
	test_expect_code 73 "$CUSTOS" keygen -o s --no-passphrase 2>err &&
	test ! -e target && test ! -e s.pub
'

test_expect_success SETSID 'existing files are found before the prompt' '
	test_expect_code 73 setsid -w "$CUSTOS" keygen -o k </dev/null 2>err &&
	test_grep "already exists" err
'

test_expect_success 'missing -o is a usage error (64)' '
	test_expect_code 64 "$CUSTOS" keygen --no-passphrase 2>err &&
	test_grep "usage: custos keygen" err
'

test_expect_success 'contradictory or extra arguments are usage errors (64)' '
	test_expect_code 64 "$CUSTOS" keygen -o c --no-passphrase \
	    --passphrase-file pw &&
	test_expect_code 64 "$CUSTOS" keygen -o c --no-passphrase extra &&
	test_expect_code 64 "$CUSTOS" keygen -o c --bogus &&
	test_expect_code 64 "$CUSTOS" keygen -o "" --no-passphrase &&
	test ! -e c.key && test ! -e c.pub
'

test_expect_success SETSID 'no terminal, no passphrase file: says what to do' '
	test_must_fail setsid -w "$CUSTOS" keygen -o t </dev/null >out 2>err &&
	test_grep -e "--passphrase-file" err &&
	test ! -e t.key && test ! -e t.pub
'

# ptyrun.py "LINE|LINE..." CMD...: run CMD on a new pseudo-terminal, typing
# one line at each prompt; prints whether echo was on at each prompt and
# at the end, what the terminal showed, and the exit status.
cat >ptyrun.py <<'EOF_PY'
import os, pty, select, sys, termios

lines = sys.argv[1].split("|")
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = b""

def read_some():
    global out
    r, _, _ = select.select([fd], [], [], 20)
    try:
        d = os.read(fd, 1024) if r else b""
    except OSError:
        d = b""
    out += d
    return d

def echo():
    return "on" if termios.tcgetattr(fd)[3] & termios.ECHO else "off"

seen = 0
for line in lines:
    while len(out) == seen or not out.endswith(b": "):
        if not read_some():
            sys.exit("no prompt: %r" % out)
    print("prompt echo-" + echo())
    os.write(fd, line.encode() + b"\n")
    seen = len(out)
while read_some():
    pass
print("final echo-" + echo())
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
print("exit %d" % os.waitstatus_to_exitcode(st))
EOF_PY

test_expect_success PYTHON,OPENSSL 'the terminal prompt asks twice, echo off' '
	python3 ptyrun.py "correct horse|correct horse" "$CUSTOS" keygen \
	    -o tty >out &&
	test "$(grep -c "^prompt echo-off$" out)" = 2 &&
	test_grep "^final echo-on$" out &&
	test_grep "^passphrase for the new key: $" out &&
	test_grep "^repeat the passphrase: $" out &&
	test_grep "^private key: tty.key (encrypted)$" out &&
	test_grep "^exit 0$" out &&
	! grep "correct horse" out &&
	openssl pkey -in tty.key -passin file:pw -noout
'

test_expect_success PYTHON 'different passphrases on the terminal are refused (65)' '
	python3 ptyrun.py "correct horse|correct hose" "$CUSTOS" keygen \
	    -o tty2 >out &&
	test_grep "passphrases do not match" out &&
	test_grep "^final echo-on$" out &&
	test_grep "^exit 65$" out &&
	test ! -e tty2.key && test ! -e tty2.pub
'

test_expect_success 'an empty or missing passphrase file is refused' '
	: >empty &&
	test_expect_code 65 "$CUSTOS" keygen -o m --passphrase-file empty \
	    2>err &&
	test_grep "empty passphrase" err &&
	test_expect_code 66 "$CUSTOS" keygen -o m --passphrase-file absent \
	    2>err &&
	test_grep "cannot open passphrase file .absent.: " err &&
	test ! -e m.key && test ! -e m.pub
'

test_expect_success 'output paths are shown escaped' '
	"$CUSTOS" keygen -o "odd name" --no-passphrase >out &&
	test -f "odd name.key" &&
	test_grep "^private key: odd\\\\x20name.key (not encrypted)$" out
'

test_expect_success 'a directory that does not exist is a creation error (73)' '
	test_expect_code 73 "$CUSTOS" keygen -o nodir/k --no-passphrase 2>err &&
	test_grep "cannot create .nodir/k.key.: No such file" err
'

test_done
