#!/bin/bash
# t8202: the Slurm recipe of custos-scale(7) on a single-node Slurm that
# the test runs itself: munged with a key of its own, slurmctld and
# slurmd on localhost (the node as `slurmd -C` describes it, processes
# tracked through /proc, no cgroup plugins, every state, socket and log
# file in a directory of the test's own with a short name (slurmstepd's
# sockets in the spool directory must fit in 107 bytes), two free ports,
# so that two runs at once do not meet), all stopped at the end whatever
# happens.
# contrib/slurm/custos-shards.sbatch runs as an array of 4 tasks: with a stand-in custos, task I asks for shard I/4
# whatever number the array starts at; with custos itself, the 4 parts
# of the hostile tree of fixtures/mktree.sh, cut by custos plan, merge
# into a baseline whose records are those of an unsharded one.
. "$(dirname "$0")/lib.sh"

SBATCH_SCRIPT="$CS_SRCDIR/contrib/slurm/custos-shards.sbatch"
test_short_dir || exit 99
SL="$CS_SHORT/slurm"
SLURM_CONF="$SL/slurm.conf"
export SLURM_CONF

# slurm_stop: stop every daemon the test started, and wait for them (also
# on the way out, however the script ends).
slurm_stop() {
	for f in "$SL/slurmd.pid" "$SL/slurmctld.pid" "$SL/munge/munged.pid"; do
		[ -s "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null || continue
		n=0
		while kill -0 "$pid" 2>/dev/null && [ $n -lt 100 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -9 "$pid" 2>/dev/null
	done
	return 0
}
trap slurm_stop EXIT
CS_AT_DONE=slurm_stop

# free_port: a TCP port of localhost nothing listens on, and the next
# one, from a start that differs from run to run (so that two runs of
# this test at once do not meet).
free_port() {
	p=$((20000 + ($$ * 7 + $(date +%N | sed "s/^0*//;s/^$/0/")) % 30000))
	n=0
	while (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null ||
	    (echo >/dev/tcp/127.0.0.1/$((p + 1))) 2>/dev/null; do
		p=$((p + 2))
		n=$((n + 1))
		[ $n -lt 100 ] || return 1
	done
	echo $p
}

# slurm_start: munged, slurm.conf, slurmctld and slurmd; wait for the
# node to be idle (one minute at most).
slurm_start() {
	mkdir -p "$SL/munge" "$SL/key" "$SL/state" "$SL/spool" "$SL/log" &&
	chmod 700 "$SL/key" && chmod 755 "$SL/munge" &&
	head -c 1024 /dev/urandom >"$SL/key/munge.key" &&
	chmod 400 "$SL/key/munge.key" &&
	munged --force --key-file="$SL/key/munge.key" \
	    --socket="$SL/munge/sock" --pid-file="$SL/munge/munged.pid" \
	    --log-file="$SL/log/munged.log" --seed-file="$SL/key/seed" &&
	node=$(slurmd -C | head -n 1) &&
	port=$(free_port) &&
	case "$node" in NodeName=*) ;; *) return 1 ;; esac &&
	cat >"$SLURM_CONF" <<-EOF &&
	ClusterName=custostest
	SlurmctldHost=localhost
	SlurmUser=root
	SlurmdUser=root
	SlurmctldPort=$port
	SlurmdPort=$((port + 1))
	AuthType=auth/munge
	CredType=cred/munge
	AuthInfo=socket=$SL/munge/sock
	StateSaveLocation=$SL/state
	SlurmdSpoolDir=$SL/spool
	SlurmctldPidFile=$SL/slurmctld.pid
	SlurmdPidFile=$SL/slurmd.pid
	SlurmctldLogFile=$SL/log/slurmctld.log
	SlurmdLogFile=$SL/log/slurmd.log
	ProctrackType=proctrack/linuxproc
	TaskPlugin=task/none
	JobAcctGatherType=jobacct_gather/none
	AccountingStorageType=accounting_storage/none
	MpiDefault=none
	SwitchType=switch/none
	ReturnToService=2
	SchedulerType=sched/builtin
	SelectType=select/cons_tres
	SelectTypeParameters=CR_Core
	$node NodeAddr=127.0.0.1 State=UNKNOWN
	PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
	EOF
	slurmctld -i && slurmd &&
	n=0 &&
	until [ "$(sinfo -h -o %T 2>/dev/null)" = idle ]; do
		[ $n -lt 600 ] || return 1
		# slurmd stopped (it says why in its log)
		[ $n -lt 20 ] || [ ! -s "$SL/slurmd.pid" ] ||
		    kill -0 "$(cat "$SL/slurmd.pid")" 2>/dev/null || return 1
		sleep 0.1
		n=$((n + 1))
	done
}

# array RANGE ARGS...: the recipe as a job array over RANGE, waited for
# (five minutes at most).
array() {
	range=$1
	shift
	timeout 300 sbatch --wait --quiet --array="$range" -D "$TRASH" \
	    -o "$SL/log/%A-%a.out" "$SBATCH_SCRIPT" "$@"
}

# slurmd needs a cgroup filesystem even with no cgroup plugin configured
# (a chroot without /sys/fs/cgroup has none).
P=ROOT,CGROUPFS,SBATCH,SINFO,SLURMCTLD,SLURMD,MUNGED

test_expect_success $P 'setup: a single-node Slurm on localhost' '
	slurm_start || { tail -n 20 "$SL"/log/*.log; false; }
'

test_expect_success $P 'an array of 4 asks for shards 1/4 .. 4/4' '
	mkdir bin parts &&
	printf "#!/bin/sh\necho \"\$@\" >>\"%s/calls\"\n" "$TRASH" >bin/custos &&
	chmod +x bin/custos &&
	CUSTOS="$TRASH/bin/custos" array 1-4 /data "$TRASH/parts" &&
	sort calls >got &&
	for i in 1 2 3 4; do
		echo "baseline -q --shard $i/4 -o $TRASH/parts/part-$i.cbl /data"
	done >want &&
	test_cmp want got &&
	rm calls &&
	CUSTOS="$TRASH/bin/custos" array 0-3 /data "$TRASH/parts" /plan &&
	sed -n "s/.*--shard \([^ ]*\) --plan \/plan .*/\1/p" calls | sort >got &&
	printf "%s\n" 1/4 2/4 3/4 4/4 >want &&
	test_cmp want got
'

test_expect_success $P 'an array of 4 shards merges into the unsharded records' '
	"$FIXTURES/mktree.sh" "$TRASH/tree" &&
	"$CUSTOS" baseline -q -o whole.cbl tree &&
	"$CUSTOS" plan -q --shards 4 -o plan tree &&
	rm -rf parts && mkdir parts &&
	CUSTOS="$CUSTOS" array 1-4 "$TRASH/tree" "$TRASH/parts" "$TRASH/plan" &&
	ls parts >got &&
	printf "part-%d.cbl\n" 1 2 3 4 >want &&
	test_cmp want got &&
	"$CUSTOS" merge -q -o merged.cbl parts/part-1.cbl parts/part-2.cbl \
	    parts/part-3.cbl parts/part-4.cbl &&
	grep -v "^#" whole.cbl >want &&
	grep -v "^#" merged.cbl >got &&
	test "$(wc -l <want)" -gt 20 &&
	test_cmp want got &&
	for i in 1 2 3 4; do
		grep -v "^#" parts/part-$i.cbl || :
	done >concat &&
	test_cmp want concat
'

test_expect_success $P 'the recipe refuses to run outside an array' '
	test_expect_code 64 env -u SLURM_ARRAY_TASK_ID "$SBATCH_SCRIPT" \
	    /data "$TRASH/parts" 2>err &&
	test_grep "not a task of a job array" err
'

test_expect_success $P 'every daemon is stopped' '
	pids=$(cat "$SL/slurmd.pid" "$SL/slurmctld.pid" "$SL/munge/munged.pid") &&
	slurm_stop &&
	for pid in $pids; do
		! kill -0 "$pid" 2>/dev/null || return 1
	done
'

# (test_done stops the daemons and removes their directory.)
test_done
