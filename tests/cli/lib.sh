# lib.sh: shared harness for the end-to-end tests in tests/cli.
#
# Each tNNNN-*.sh script sources this file, then calls test_expect_success
# (optionally with a prerequisite list such as ROOT,ACL) for each check and
# test_done at the end.  Output is TAP, one line per check; the commands of
# a check run in a subshell inside the script's own trash directory, with
# their output kept in the log.  Set CS_KEEP_TMP=1 to keep trash
# directories, CS_VERBOSE=1 to see every command.
#
# A prerequisite not named in cs_probe_prereq is a command that must be on
# PATH, upper-cased (MMDEBSTRAP: mmdebstrap).  A check that needs a heavy
# or networked tool a user should not have to install (mmdebstrap, a
# peer tool) names it so, and is skipped with the reason where it is
# missing; the README's package list covers everything else.  A check
# that downloads from the Debian archive or takes minutes also names
# NETWORK: it runs only when CS_NETWORK_TESTS=1, which .ci/run sets for
# one build (not for the sanitizer build nor distcheck).

set -u

: "${CS_BUILDDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${CS_SRCDIR:=$CS_BUILDDIR}"
CUSTOS="$CS_BUILDDIR/custos"
FIXTURES="$CS_SRCDIR/fixtures"
PATH="$CS_BUILDDIR:$PATH"
export CS_BUILDDIR CS_SRCDIR CUSTOS FIXTURES PATH
# The binary must use the policy a test gives it, never one that an earlier
# "make install" left under $(sysconfdir): point it at an empty directory.
CUSTOS_SYSCONFDIR="$CS_BUILDDIR/tests/cli/sysconfdir"
mkdir -p "$CUSTOS_SYSCONFDIR" || exit 99
export CUSTOS_SYSCONFDIR
# Reports must not depend on the caller's terminal or locale.
unset NO_COLOR CS_PASSPHRASE 2>/dev/null || :
LC_ALL=C
export LC_ALL

test_name=$(basename "$0" .sh)
TRASH="$CS_BUILDDIR/tests/cli/trash.$test_name"
rm -rf "$TRASH" 2>/dev/null || { chattr -R -i -a "$TRASH" 2>/dev/null; rm -rf "$TRASH"; }
mkdir -p "$TRASH" || exit 99
cd "$TRASH" || exit 99

test_count=0
test_failed=0

# test_short_dir: make CS_SHORT, a directory with a short name for the
# Unix sockets of the daemons a test runs (gpg-agent, munged, slurmd):
# a socket's path holds at most 107 bytes, and the trash directory of a
# build deep in another tree, as make distcheck's, can be longer.  Call
# it outside a subshell; test_done removes the directory (after the
# commands in CS_AT_DONE, which stop what runs there).
CS_SHORT=
CS_AT_DONE=:
test_short_dir() {
	if [ -z "$CS_SHORT" ]; then
		CS_SHORT=$(mktemp -d /tmp/custos-t.XXXXXX) || return 1
	fi
}
cs_prereq_cache=" "

# say MSG: a TAP comment line.
say() {
	printf '# %s\n' "$*"
}

# cs_probe_prereq NAME: 0 if the machine has the feature here.
cs_probe_prereq() {
	case "$1" in
	ROOT)	test "$(id -u)" = 0 ;;
	NOTROOT) test "$(id -u)" != 0 ;;
	ACL)	: >"$TRASH/.probe" && setfacl -m u:0:r "$TRASH/.probe" 2>/dev/null ;;
	XATTR)	: >"$TRASH/.probe" &&
		    setfattr -n user.probe -v 1 "$TRASH/.probe" 2>/dev/null ;;
	CAPS)	test "$(id -u)" = 0 && : >"$TRASH/.probe" &&
		    setcap cap_net_raw+ep "$TRASH/.probe" 2>/dev/null ;;
	CHATTR)	test "$(id -u)" = 0 && : >"$TRASH/.probe" &&
		    chattr +i "$TRASH/.probe" 2>/dev/null &&
		    chattr -i "$TRASH/.probe" ;;
	MKNOD)	test "$(id -u)" = 0 &&
		    mknod "$TRASH/.probe-dev" c 1 3 2>/dev/null &&
		    rm -f "$TRASH/.probe-dev" ;;
	STATIC)	LC_ALL=C readelf -d "$CUSTOS" 2>/dev/null |
		    grep -q "There is no dynamic section" ;;
	OPENSSL) command -v openssl >/dev/null ;;
	GNUTAR)	tar --version 2>/dev/null | grep -q 'GNU tar' ;;
	BSDTAR)	command -v bsdtar >/dev/null ;;
	PYTHON)	command -v python3 >/dev/null ;;
	JSONSCHEMA) python3 -c "import jsonschema, yaml" 2>/dev/null ;;
	UTSNS)	test "$(id -u)" = 0 && unshare -u true 2>/dev/null ;;
	CGROUPFS) mountpoint -q /sys/fs/cgroup 2>/dev/null ;;
	NETWORK) test "${CS_NETWORK_TESTS:-}" = 1 ;;
	SETPRIV) command -v setpriv >/dev/null &&
		setpriv --reuid=65534 --regid=65534 --clear-groups true ;;
	*)	command -v "$(echo "$1" | tr 'A-Z' 'a-z')" >/dev/null ;;
	esac
}

# test_have_prereq LIST: 0 if every comma-separated prerequisite holds.
test_have_prereq() {
	cs_list=$(echo "$1" | tr ',' ' ')
	for cs_p in $cs_list; do
		case "$cs_prereq_cache" in
		*" $cs_p=1 "*) continue ;;
		*" $cs_p=0 "*) return 1 ;;
		esac
		if cs_probe_prereq "$cs_p"; then
			cs_prereq_cache="$cs_prereq_cache$cs_p=1 "
		else
			cs_prereq_cache="$cs_prereq_cache$cs_p=0 "
			rm -f "$TRASH/.probe"
			return 1
		fi
		rm -f "$TRASH/.probe"
	done
	return 0
}

# cs_missing_prereqs LIST: print the prerequisites that do not hold.
cs_missing_prereqs() {
	cs_out=
	for cs_p in $(echo "$1" | tr ',' ' '); do
		test_have_prereq "$cs_p" || cs_out="$cs_out $cs_p"
	done
	echo "${cs_out# }"
}

# test_expect_success [PREREQS] DESCRIPTION COMMANDS
test_expect_success() {
	cs_prereq=
	if [ $# = 3 ]; then
		cs_prereq=$1
		shift
	fi
	test_count=$((test_count + 1))
	if [ -n "$cs_prereq" ] && ! test_have_prereq "$cs_prereq"; then
		printf 'ok %d # skip %s (missing %s)\n' "$test_count" "$1" \
		    "$(cs_missing_prereqs "$cs_prereq")"
		return 0
	fi
	cs_log="$TRASH/.log.$test_count"
	# The trace goes to its own descriptor, so that "2>err" inside a
	# check captures only what the command printed.
	if [ "${CS_VERBOSE:-}" = 1 ]; then
		( cd "$TRASH" || exit 1; BASH_XTRACEFD=4; set -ex
		  eval "$2" ) 4>&2
	else
		( cd "$TRASH" || exit 1; BASH_XTRACEFD=4; set -ex
		  eval "$2" ) >"$cs_log" 2>&1 4>&1
	fi
	cs_rc=$?
	if [ $cs_rc = 0 ]; then
		printf 'ok %d - %s\n' "$test_count" "$1"
	else
		test_failed=$((test_failed + 1))
		printf 'not ok %d - %s\n' "$test_count" "$1"
		if [ -f "$cs_log" ]; then
			sed -e 's/^/#   /' "$cs_log" | tail -n 40
		fi
	fi
	rm -f "$cs_log"
}

# test_must_fail CMD...: CMD must exit non-zero, but not crash or be killed.
test_must_fail() {
	cs_rc=0
	"$@" || cs_rc=$?
	if [ $cs_rc = 0 ]; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	elif [ $cs_rc -gt 125 ]; then
		echo "test_must_fail: command died ($cs_rc): $*" >&2
		return 1
	fi
	return 0
}

# test_expect_code N CMD...: CMD must exit with status N.
test_expect_code() {
	cs_want=$1
	shift
	cs_rc=0
	"$@" || cs_rc=$?
	if [ "$cs_rc" != "$cs_want" ]; then
		echo "test_expect_code: wanted $cs_want, got $cs_rc: $*" >&2
		return 1
	fi
	return 0
}

# test_cmp EXPECTED ACTUAL: the files must be identical.
test_cmp() {
	diff -u "$1" "$2"
}

# test_grep PATTERN FILE: like grep, but shows the file when it fails.
test_grep() {
	if ! grep "$@"; then
		echo "test_grep: no match for '$1'; file was:" >&2
		cat "${2:-/dev/null}" >&2 2>/dev/null
		return 1
	fi
}

# strip_created FILE: a baseline without its creation-time header and
# trailer/signature lines (which depend on the time).
strip_created() {
	grep -v -e '^#created=' -e '^#end ' -e '^#signature ' "$1"
}

# test_done: print the plan, clean up, and exit.
test_done() {
	printf '1..%d\n' "$test_count"
	cd "$CS_BUILDDIR" || exit 99
	eval "$CS_AT_DONE"
	[ -z "$CS_SHORT" ] || rm -rf "$CS_SHORT"
	if [ "$test_failed" = 0 ] && [ -z "${CS_KEEP_TMP:-}" ]; then
		chattr -R -i -a "$TRASH" 2>/dev/null
		rm -rf "$TRASH"
	fi
	exit 0
}
