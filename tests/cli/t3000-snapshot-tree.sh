#!/bin/bash
# t3000: a snapshot of the hostile tree: stock tars list it, bsdtar
# restores ACLs, xattrs and the capability, the manifest and custody
# record say what they must, and "custos verify" accepts it.
. "$(dirname "$0")/lib.sh"

"$FIXTURES/mktree.sh" "$TRASH/tree"
has() { grep -qx "$1" "$TRASH/tree.features"; }
# A sparse file: 8 MiB with 4 bytes of data in the middle.
truncate -s 8M "$TRASH/tree/srv/data/sparse"
printf 'data' | dd of="$TRASH/tree/srv/data/sparse" bs=1 seek=4000000 \
    conv=notrunc 2>/dev/null
# A small one (1 MiB, data at 512 KiB), read ahead by the walk's workers.
truncate -s 1M "$TRASH/tree/srv/data/sparse-small"
printf 'data' | dd of="$TRASH/tree/srv/data/sparse-small" bs=1 \
    seek=524288 conv=notrunc 2>/dev/null
KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"

snap() {
	"$CUSTOS" snapshot --case IR-2026-042 --label "WEB01 ROOT-1" \
	    --operator "Jane Doe" --note "before touching it" "$@"
}

test_expect_success 'snapshot of the tree succeeds and prints the label' '
	snap --key "$KEY" -o ev.tar tree >out &&
	test_grep "^label: *WEB01\\\\x20ROOT-1$" out &&
	test_grep "^sha256 *$(sha256sum <ev.tar | cut -c1-64)$" out &&
	test_grep "^status: *complete$" out &&
	test -f ev.tar.custody
'

test_expect_success 'the output is a whole number of 10240-byte blocks' '
	test $(( $(stat -c %s ev.tar) % 10240 )) = 0
'

test_expect_success 'write protection removed; the protections are reported' '
	test_grep "^protection: .*write permission removed" out &&
	test "$(stat -c %a ev.tar)" = 444
'

test_expect_success CHATTR 'as root the immutable flag is set and reported' '
	test_grep "immutable flag set" out &&
	lsattr ev.tar | cut -c1-20 | grep -q i
'

test_expect_success 'custody record first, manifest last, tree in between' '
	bsdtar -tf ev.tar >list &&
	test "$(head -n 1 list)" = custos/custody &&
	test "$(tail -n 1 list)" = custos/manifest.cbl &&
	test "$(sed -n 2p list)" = tree/ &&
	test "$(grep -c "^tree/" list)" = "$(find tree -printf x | wc -c | \
	    awk "{print \$1 - $(has socket && echo 1 || echo 0)}")"
'

test_expect_success GNUTAR 'GNU tar lists every member' '
	tar --warning=no-unknown-keyword -tf ev.tar >gnu &&
	test_grep "^tree/bin/hello$" gnu &&
	test_grep "^tree/srv/data/sparse$" gnu &&
	test "$(wc -l <gnu)" = "$(bsdtar -tf ev.tar | wc -l)"
'

test_expect_success BSDTAR 'bsdtar extracts identical content, sparse stays sparse' '
	mkdir x && bsdtar -xpf ev.tar -C x &&
	for f in bin/hello etc/passwd srv/data/big srv/data/sparse \
	    srv/data/sparse-small "srv/with space"; do
		cmp "tree/$f" "x/tree/$f" || exit 1
	done &&
	test "$(stat -c %b x/tree/srv/data/sparse)" -lt 100 &&
	test "$(stat -c %b x/tree/srv/data/sparse-small)" -lt 100 &&
	test -p x/tree/srv/fifo &&
	test "$(readlink x/tree/srv/dangling)" = "dangling target" &&
	test "$(stat -c %i x/tree/bin/hello)" = \
	    "$(stat -c %i x/tree/bin/hello-hardlink)"
'

test_expect_success BSDTAR,ACL 'bsdtar --acls restores access and default ACLs' '
	mkdir xa && bsdtar -xpf ev.tar -C xa --acls &&
	getfacl -n xa/tree/etc/passwd | test_grep "^user:1000:r--" &&
	getfacl -n xa/tree/srv/data | test_grep "^default:group:100:rwx"
'

test_expect_success BSDTAR,XATTR 'bsdtar --xattrs restores xattrs' '
	mkdir xx && bsdtar -xpf ev.tar -C xx --xattrs &&
	test "$(getfattr --only-values -n user.origin xx/tree/bin/hello)" = vendor &&
	getfattr -e hex -n user.binary xx/tree/bin/hello | test_grep "=0x00ff0a$"
'

test_expect_success BSDTAR,CAPS 'bsdtar --xattrs restores the file capability' '
	mkdir xc && bsdtar -xpf ev.tar -C xc --xattrs --acls &&
	getcap xc/tree/bin/su-like | test_grep "cap_net_raw=ep"
'

test_expect_success 'each small file has its digest in its own pax header' '
	want=$(sha256sum <tree/bin/hello | cut -c1-64) &&
	grep -a -c "[0-9]* CUSTOS.sha256=$want" ev.tar >n &&
	test "$(cat n)" -ge 2
'

test_expect_success 'the manifest is a signed baseline of what the archive holds' '
	bsdtar -xOf ev.tar custos/manifest.cbl >manifest.cbl &&
	"$CUSTOS" verify --pubkey "$PUB" manifest.cbl >v &&
	test_grep "^result: *VALID" v &&
	test_grep "^#case=IR-2026-042$" manifest.cbl &&
	test_grep "^#finished=" manifest.cbl &&
	"$CUSTOS" baseline -q -o base.cbl tree &&
	grep "^/" base.cbl | sed "s/ ctime=[^ ]*//" >want &&
	grep "^/" manifest.cbl | sed "s/ ctime=[^ ]*//" >got &&
	test_cmp want got
'

test_expect_success 'custody record: first member and sidecar, who/when/what' '
	bsdtar -xOf ev.tar custos/custody >start &&
	test_grep "^status=in-progress$" start &&
	test_grep "^operator=Jane\\\\x20Doe$" start &&
	test_grep "^argv=--operator$" start &&
	test_grep "^started=" start &&
	test_grep "^status=complete$" ev.tar.custody &&
	test_grep "^stream-sha256=$(sha256sum <ev.tar | cut -c1-64)$" \
	    ev.tar.custody &&
	test_grep "^#signature ed25519 " ev.tar.custody
'

test_expect_success 'custos verify accepts the snapshot' '
	"$CUSTOS" verify --pubkey "$PUB" ev.tar >v &&
	test_grep "^result: *VALID$" v &&
	test_grep "^custody sig: *good" v &&
	test_grep "^manifest sig: *good" v
'

test_expect_success '--verify-after reads the output back' '
	snap --verify-after -o va.tar tree >out &&
	test_grep "^read back: *stream digest matches$" out &&
	test_grep "^verified-after=yes$" va.tar.custody &&
	"$CUSTOS" verify --allow-unsigned va.tar >/dev/null
'

test_expect_success 'several digests: every one in the headers and the record' '
	snap --digest sha256,sha512 -o d2.tar tree >out &&
	test_grep "^sha512 *$(sha512sum <d2.tar | cut -c1-128)$" out &&
	grep -a -q "CUSTOS.sha512=$(sha512sum <tree/bin/hello | cut -c1-128)" \
	    d2.tar &&
	"$CUSTOS" verify --allow-unsigned d2.tar >/dev/null
'

test_expect_success 'standard output needs --custody; the stream digest matches' '
	test_expect_code 64 snap -o - tree >/dev/null 2>err &&
	test_grep "custody FILE" err &&
	snap -o - --custody so.custody tree >so.tar 2>label &&
	test_grep "^stream-sha256=$(sha256sum <so.tar | cut -c1-64)$" so.custody &&
	"$CUSTOS" verify --allow-unsigned --custody so.custody so.tar >/dev/null
'

test_expect_success 'a device (tape) gets fixed-size blocks; custody elsewhere' '
	test_expect_code 64 snap -o - tree 2>/dev/null >/dev/null &&
	snap --block-size 64k -o /dev/null --custody tape.custody tree >out &&
	test_grep "^block-size=65536$" tape.custody &&
	test $(( $(sed -n "s/^stream-size=//p" tape.custody) % 65536 )) = 0
'

test_expect_success 'required options and one PATH are usage errors (64)' '
	test_expect_code 64 "$CUSTOS" snapshot --label L --operator O -o u.tar tree &&
	test_expect_code 64 snap -o u.tar tree tree &&
	test_expect_code 64 snap --block-size 1000 -o u.tar tree &&
	test ! -e u.tar
'

test_done
