#!/bin/bash
# t1004: where the walk goes: one filesystem by default, pseudo
# filesystems never, and no limit on depth or path length.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/data && echo x >tree/data/file && mkdir tree/tmpfs tree/proc

# MOUNT: can we mount here (root, and not forbidden by a sandbox)?
cs_probe_mount() {
	mkdir -p "$TRASH/.mnt" &&
	mount -t tmpfs probe "$TRASH/.mnt" 2>/dev/null &&
	umount "$TRASH/.mnt"
}
if cs_probe_mount; then cs_prereq_cache="$cs_prereq_cache MOUNT=1 "; fi

cleanup_mounts() {
	umount "$TRASH/tree/tmpfs" 2>/dev/null
	umount "$TRASH/tree/proc" 2>/dev/null
	:
}

test_expect_success MOUNT 'mount a tmpfs and a proc inside the tree' '
	mount -t tmpfs custos-test tree/tmpfs &&
	echo inside >tree/tmpfs/inner &&
	mount -t proc proc tree/proc
'

test_expect_success MOUNT 'by default other filesystems are recorded, not entered' '
	"$CUSTOS" baseline -q -o one.cbl tree &&
	test_grep "^/tmpfs type=dir " one.cbl &&
	! grep -q "^/tmpfs/inner " one.cbl &&
	test_grep "^/proc type=dir " one.cbl &&
	! grep -q "^/proc/" one.cbl &&
	test_grep "^#filesystems=one$" one.cbl
'

test_expect_success MOUNT '--cross-filesystems enters tmpfs but never proc' '
	"$CUSTOS" baseline -q --cross-filesystems -o all.cbl tree &&
	test_grep "^/tmpfs/inner type=file " all.cbl &&
	test_grep "^/proc type=dir " all.cbl &&
	! grep -q "^/proc/" all.cbl &&
	test_grep "^#filesystems=all$" all.cbl
'

test_expect_success MOUNT 'a pseudo filesystem as the root is refused' '
	test_expect_code 66 "$CUSTOS" baseline -o p.cbl tree/proc 2>err &&
	test_grep "pseudo filesystem" err &&
	test ! -e p.cbl
'

cleanup_mounts

test_expect_success 'a tree deeper than PATH_MAX is walked whole' '
	name=$(printf "%0200d" 0) &&
	# descend step by step: the whole path is too long for the shell
	( mkdir deep && cd deep &&
	  for i in $(seq 1 40); do mkdir "$name" && cd "$name" || exit 1; done &&
	  echo bottom >leaf ) 4>/dev/null &&
	"$CUSTOS" baseline -q -o deep.cbl deep &&
	leaf=$(grep " type=file " deep.cbl) &&
	test ${#leaf} -gt 8000 &&
	test_grep "^/$name/$name/.*/leaf type=file " deep.cbl &&
	test "$(grep -c "^/" deep.cbl)" = 42 &&
	"$CUSTOS" verify --allow-unsigned -q deep.cbl
'

test_expect_success 'excludes skip a subtree and are recorded in the header' '
	"$CUSTOS" baseline -q --exclude /data --exclude "*.tmp" -o ex.cbl tree &&
	! grep -q "^/data" ex.cbl &&
	test_grep "^#exclude=/data$" ex.cbl &&
	test_grep "^#exclude=\\*.tmp$" ex.cbl
'

test_expect_success 'a key that is not Ed25519 is refused, nothing written' '
	test_expect_code 65 "$CUSTOS" baseline --key "$FIXTURES/keys/rsa.key" \
	    -o rsa.cbl tree 2>err &&
	test_grep "not an Ed25519 key" err &&
	test ! -e rsa.cbl
'

test_done
