#!/bin/bash
# t3005: a snapshot stopped by a signal says so.  SIGINT or SIGTERM
# while the snapshot runs (here: blocked on a reader that waits, so the
# signal surely comes during the run) stops it between records; the
# custody record says "status=failed", a FAILED line is printed, the
# exit status is not 0, and what was written is kept.
. "$(dirname "$0")/lib.sh"

mkdir tree || exit 99
for i in $(seq 1 40); do
	head -c 1048576 /dev/zero | tr '\0' x >tree/f$i || exit 99
done

# interrupt SIGNAL NAME: snapshot tree to standard output into a FIFO
# whose reader starts reading after 2 s; SIGNAL at 1 s.  The exit
# status is left in NAME.rc, the messages in NAME.err, the archive
# read so far in NAME.tar.
interrupt() {
	rm -f p
	mkfifo p || return 1
	( exec 3<p; sleep 2; cat <&3 >"$2.tar" ) &
	reader=$!
	custos snapshot -q --case C --label L --operator O \
	    --custody "$2.custody" -o - tree >p 2>"$2.err" &
	pid=$!
	sleep 1
	kill -s "$1" $pid
	wait $pid
	echo $? >"$2.rc"
	wait $reader
}

for sig in INT TERM; do
	test_expect_success "SIG$sig during a snapshot: failed, and said" "
		interrupt $sig $sig &&
		test \"\$(cat $sig.rc)\" = 74 &&
		grep '^status=failed\$' $sig.custody &&
		! grep '^stream-sha256=' $sig.custody &&
		grep 'the snapshot FAILED' $sig.err &&
		grep 'interrupted by a signal' $sig.err &&
		test -s $sig.tar
	"
done

test_expect_success 'a custody record that exists is refused, nothing made' '
	ln -s elsewhere taken.custody &&
	test_expect_code 73 custos snapshot -q --case C --label L \
	    --operator O --custody taken.custody -o taken.tar tree 2>err &&
	grep "never replaced" err &&
	! grep -e "--force" err &&
	! test -e taken.tar &&
	! test -e elsewhere
'

test_done
