#!/bin/bash
# bench/run.sh: time custos against its peers, side by side, in one run.
#
# Builds (or reuses) deterministic corpora, then for each corpus: one
# untimed warm-up run of every tool (page cache warm, no cache dropping),
# then --runs timed rounds, interleaved (for run in 1..N, for tool in
# tools), each measured with /usr/bin/time.  Writes a Markdown table and a
# raw CSV per corpus, and a summary of the targets.  See bench/README.

set -u
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd -P)
TOP=$(dirname "$HERE")
CUSTOS=${CUSTOS:-$TOP/custos}
NPROC=$(nproc)
SEED=42
RUNS=
WORKDIR=/var/tmp/custos-bench
CORPORA=small,usr,large
TOOLS=
SKIP=
INSTALL=0
QUICK=0
REGEN=0
WARM=1
RESULTS=
PYTHON=${PYTHON:-python3}
CUSTOS_JOBS=${CUSTOS_JOBS:-}

PEER_PACKAGES="aide mtree-netbsd hashdeep libarchive-tools time acl attr libcap2-bin"

usage() {
	cat <<EOF
usage: bench/run.sh [options]

  --corpus LIST   corpora to run, comma-separated, from small, usr, large,
                  many (default: small,usr,large; 'many' also runs its
                  one-tenth companion 'many-tenth')
  --all           small,usr,large,many
  --runs N        timed runs per tool (default 3, or 1 with --quick)
  --workdir DIR   corpora, outputs and logs (default /var/tmp/custos-bench);
                  corpora are reused while their parameters are unchanged
  --tools LIST    only these jobs (names or prefixes: custos, aide,
                  aide-check, mtree, hashdeep, bsdtar, gnutar, xargs-openssl,
                  walk-lstat, openssl-speed, ...); see --list; the
                  AIDE runs with -W N (aide-init-WN, aide-check-WN) only
                  when named exactly
  --skip LIST     leave these jobs out (same names)
  --list          print the jobs and exit
  --prepare       build (or check) the corpora and exit
  --timeout SEC   stop a job that runs longer (default 1800, or 120 with
                  --quick); it is reported as failed
  --install       apt-get install the peers first ($PEER_PACKAGES)
  --quick         test the harness itself in about a minute: scaled-down
                  corpora (2 000 objects, 128 MiB of large files,
                  /usr/share/zoneinfo as 'usr', 10 000 empty files), one
                  timed run; results go to WORKDIR/results-quick
  --results DIR   where to write the tables (default bench/results, or
                  WORKDIR/results-quick with --quick)
  --no-warm       do not read the corpus into the page cache (untimed)
                  before every run
  --seed N        corpus seed (default 42)
  --regen         rebuild the selected corpora even if cached

environment: CUSTOS (binary, default ./custos at the top of the tree),
  CUSTOS_JOBS (adds -j N to custos baseline), CUSTOS_CHECK_ARGS and
  CUSTOS_SNAPSHOT_ARGS (extra arguments for those modes), PYTHON.
EOF
}

die() { echo "run.sh: $*" >&2; exit 2; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

LIST=0
PREPARE=0
TIMEOUT=
while [ $# -gt 0 ]; do
	case $1 in
	--corpus) [ $# -ge 2 ] || die "--corpus needs a value"; CORPORA=$2; shift ;;
	--corpus=*) CORPORA=${1#*=} ;;
	--all) CORPORA=small,usr,large,many ;;
	--runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift ;;
	--runs=*) RUNS=${1#*=} ;;
	--workdir) [ $# -ge 2 ] || die "--workdir needs a value"; WORKDIR=$2; shift ;;
	--workdir=*) WORKDIR=${1#*=} ;;
	--tools) [ $# -ge 2 ] || die "--tools needs a value"; TOOLS=$2; shift ;;
	--tools=*) TOOLS=${1#*=} ;;
	--skip) [ $# -ge 2 ] || die "--skip needs a value"; SKIP=$2; shift ;;
	--skip=*) SKIP=${1#*=} ;;
	--results) [ $# -ge 2 ] || die "--results needs a value"; RESULTS=$2; shift ;;
	--results=*) RESULTS=${1#*=} ;;
	--seed) [ $# -ge 2 ] || die "--seed needs a value"; SEED=$2; shift ;;
	--seed=*) SEED=${1#*=} ;;
	--install) INSTALL=1 ;;
	--quick) QUICK=1 ;;
	--regen) REGEN=1 ;;
	--no-warm) WARM=0 ;;
	--list) LIST=1 ;;
	--prepare) PREPARE=1 ;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs a value"; TIMEOUT=$2; shift ;;
	--timeout=*) TIMEOUT=${1#*=} ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown option: $1" ;;
	esac
	shift
done

[ -n "$RUNS" ] || { [ "$QUICK" = 1 ] && RUNS=1 || RUNS=3; }
[ -n "$TIMEOUT" ] || { [ "$QUICK" = 1 ] && TIMEOUT=120 || TIMEOUT=1800; }
case $TIMEOUT in ''|*[!0-9]*|0) die "--timeout must be a positive integer" ;; esac
case $RUNS in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
case $SEED in ''|*[!0-9]*) die "--seed must be a non-negative integer" ;; esac
CORPORA=${CORPORA//,/ }
for c in $CORPORA; do
	case $c in small|usr|large|many|many-tenth) ;;
	*) die "unknown corpus '$c' (small, usr, large, many)" ;; esac
done
# 'many' brings its one-tenth companion for the memory-scaling ratio.
case " $CORPORA " in
*" many "*) case " $CORPORA " in *" many-tenth "*) ;;
	*) CORPORA=${CORPORA/many/many-tenth many} ;; esac ;;
esac
[ -x /usr/bin/time ] || [ "$INSTALL" = 1 ] || [ "$LIST" = 1 ] ||
	die "/usr/bin/time (GNU time) is required: apt-get install time, or --install"
have "$PYTHON" || die "$PYTHON is required"

mkdir -p "$WORKDIR" || die "cannot create $WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd -P)
if [ -z "$RESULTS" ]; then
	if [ "$QUICK" = 1 ]; then RESULTS=$WORKDIR/results-quick
	else RESULTS=$HERE/results; fi
fi
mkdir -p "$RESULTS" || die "cannot create $RESULTS"
RESULTS=$(cd "$RESULTS" && pwd -P)
CORPUSDIR=$WORKDIR/corpus
BIN=$WORKDIR/bin
LOGS=$WORKDIR/logs
mkdir -p "$CORPUSDIR" "$BIN" "$LOGS"

# --- peers --------------------------------------------------------------

if [ "$INSTALL" = 1 ]; then
	log "installing peers: $PEER_PACKAGES"
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends $PEER_PACKAGES ||
		log "apt-get install failed; continuing with what is installed"
fi

# Remove a path even if custos made it (or anything under it) immutable.
nuke() {
	local p
	for p in "$@"; do
		[ -e "$p" ] || [ -L "$p" ] || continue
		chattr -R -i "$p" >/dev/null 2>&1
		rm -rf -- "$p"
	done
}

# --- corpora ------------------------------------------------------------

QUICK_USR=/usr/share/zoneinfo
[ -d "$QUICK_USR" ] || QUICK_USR=/usr/include
GEN_VERSION=$(sed -n 's/^GEN_VERSION = //p' "$HERE/mkcorpus.py")

corpus_dirname() {
	if [ "$QUICK" = 1 ]; then echo "$1-quick"; else echo "$1"; fi
}

corpus_params() {
	local q=$QUICK
	case $1 in
	small) [ $q = 1 ] && echo "small --seed $SEED --entries 2000" ||
		echo "small --seed $SEED --entries 200000" ;;
	large) [ $q = 1 ] && echo "large --seed $SEED --divisor 32" ||
		echo "large --seed $SEED --divisor 1" ;;
	usr) [ $q = 1 ] && echo "usr --source $QUICK_USR" ||
		echo "usr --source /usr" ;;
	many) [ $q = 1 ] && echo "many --dirs 100 --files-per-dir 100" ||
		echo "many --dirs 1000 --files-per-dir 1000" ;;
	many-tenth) [ $q = 1 ] && echo "many --dirs 10 --files-per-dir 100" ||
		echo "many --dirs 100 --files-per-dir 1000" ;;
	esac
}

# corpus_ensure NAME: build the corpus unless the cached one matches;
# sets CDIR and the CORPUS_* statistics.
corpus_ensure() {
	local name=$1 dn params stamp want
	dn=$(corpus_dirname "$name")
	CDIR=$CORPUSDIR/$dn
	stamp=$CORPUSDIR/$dn.stamp
	params=$(corpus_params "$name")
	want="gen=$GEN_VERSION $params"
	if [ "$REGEN" = 1 ] || [ ! -d "$CDIR" ] || [ ! -f "$stamp" ] ||
	    [ "$(head -n1 "$stamp")" != "$want" ]; then
		log "building corpus $dn ($params)"
		nuke "$CDIR" "$stamp"
		local t0=$SECONDS
		# shellcheck disable=SC2086
		if ! "$PYTHON" "$HERE/mkcorpus.py" $params "$CDIR" >"$stamp.gen"; then
			nuke "$CDIR" "$stamp.gen"
			die "could not build corpus $dn"
		fi
		{
			echo "$want"
			sed 's/^/gen./' "$stamp.gen"
			echo "gen.seconds=$((SECONDS - t0))"
			echo "objects=$(find "$CDIR" | wc -l)"
			echo "data_bytes=$(find "$CDIR" -type f -printf '%i %s\n' |
			    sort -u -k1,1 | awk '{s += $2} END {printf "%.0f", s}')"
			echo "disk=$(du -sh "$CDIR" | cut -f1)"
		} >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
		rm -f "$stamp.gen"
		log "corpus $dn ready in $((SECONDS - t0)) s"
	else
		log "reusing corpus $dn"
	fi
	CORPUS_OBJECTS=$(sed -n 's/^objects=//p' "$stamp")
	CORPUS_BYTES=$(sed -n 's/^data_bytes=//p' "$stamp")
	CORPUS_DISK=$(sed -n 's/^disk=//p' "$stamp")
	CORPUS_STAMP=$stamp
}

# --- the walk floor -----------------------------------------------------

build_walkfloor() {
	if [ ! -x "$BIN/walkfloor" ] || [ "$HERE/walkfloor.c" -nt "$BIN/walkfloor" ]; then
		cc -O2 -o "$BIN/walkfloor" "$HERE/walkfloor.c" 2>"$LOGS/walkfloor.cc" ||
			return 1
	fi
}

# --- jobs ---------------------------------------------------------------
#
# A job: NAME, KIND (baseline = writes a record of the tree, check =
# compares the tree with one, snapshot = archives it, floor), a one-time
# untimed SETUP, a PREP run untimed before every run (removing outputs),
# and CMD.  Commands use placeholders: {C} the corpus directory, {O} the
# output directory, {CUSTOS}, {BIN}, {N} the number of cores.

JOB_NAMES=()
declare -A JOB_KIND JOB_SETUP JOB_PREP JOB_CMD JOB_OPTIN

job() {
	JOB_NAMES+=("$1")
	JOB_KIND[$1]=$2
	JOB_SETUP[$1]=$3
	JOB_PREP[$1]=$4
	JOB_CMD[$1]=$5
	JOB_OPTIN[$1]=${6:-}
}

NOTES=()
note() { NOTES+=("$*"); log "note: $*"; }

custos_has() { "$CUSTOS" help "$1" >/dev/null 2>&1; }

define_jobs() {
	local corpus=$1 jopt="" chk snap h secs=3
	JOB_NAMES=()
	[ -n "$CUSTOS_JOBS" ] && jopt="-j $CUSTOS_JOBS "
	[ "$QUICK" = 1 ] && secs=1

	# custos
	job custos-baseline baseline "" "rm -f {O}/custos.cbl" \
	    "exec {CUSTOS} baseline -o {O}/custos.cbl ${jopt}{C}"
	job custos-baseline-sha256+blake2b512 baseline "" "rm -f {O}/custos2.cbl" \
	    "exec {CUSTOS} baseline -o {O}/custos2.cbl ${jopt}--digest sha256,blake2b512 {C}"
	chk="--allow-unsigned --quiet --root {C}"
	if [ -x "$CUSTOS" ] && custos_has check; then
		h=$("$CUSTOS" help check 2>&1)
		case $h in *--root*) ;; *) chk=${chk/--root /} ;; esac
		case $h in *--quiet*) ;; *) chk=${chk/--quiet /} ;; esac
		case $h in *--allow-unsigned*) ;; *) chk=${chk/--allow-unsigned /} ;; esac
	fi
	chk="${CUSTOS_CHECK_ARGS:-} $chk"
	job custos-check check \
	    "rm -f {O}/ref.cbl && {CUSTOS} baseline -o {O}/ref.cbl ${jopt}{C}" "" \
	    "exec {CUSTOS} check -b {O}/ref.cbl ${chk# }"
	snap="${CUSTOS_SNAPSHOT_ARGS:-} --case BENCH --label BENCH-1 --operator bench"
	job custos-snapshot snapshot "" "nuke {O}/snap && mkdir {O}/snap" \
	    "exec {CUSTOS} snapshot ${snap# } -o {O}/snap/custos.tar {C}"

	# integrity peers
	job aide-init baseline "" "rm -f {O}/aide.db.new" \
	    "exec aide --init -c {O}/aide.conf"
	job aide-check check \
	    "rm -f {O}/aide.db.new && aide --init -c {O}/aide.conf >/dev/null && mv {O}/aide.db.new {O}/aide.db.ref" "" \
	    "exec aide --check -c {O}/aide.conf"
	job "aide-init-W$NPROC" baseline "" "rm -f {O}/aide.db.new" \
	    "exec aide --init -W {N} -c {O}/aide.conf" optin
	job "aide-check-W$NPROC" check \
	    "rm -f {O}/aide.db.new && aide --init -c {O}/aide.conf >/dev/null && mv {O}/aide.db.new {O}/aide.db.ref" "" \
	    "exec aide --check -W {N} -c {O}/aide.conf" optin
	job mtree-create baseline "" "" \
	    "exec mtree -c -K sha256 -p {C} >{O}/mtree.spec"
	job mtree-verify check "mtree -c -K sha256 -p {C} >{O}/mtree.ref" "" \
	    "exec mtree -p {C} -f {O}/mtree.ref"
	job hashdeep baseline "" "" \
	    "exec hashdeep -c sha256 -r -l {C} >{O}/hashdeep.txt"
	job hashdeep-audit check "hashdeep -c sha256 -r -l {C} >{O}/hashdeep.ref" "" \
	    "exec hashdeep -c sha256 -r -l -a -k {O}/hashdeep.ref {C}"
	job bsdtar-mtree baseline "" "" \
	    "exec bsdtar -cf - --format mtree --options mtree:sha256 -C {C} . >{O}/bsdtar.mtree"
	job xargs-openssl baseline "" "" \
	    "find {C} -type f -print0 | xargs -0 -P{N} -n 200 openssl sha256 >/dev/null"

	# snapshots
	job gnutar-pax-file snapshot "" "rm -f {O}/gnu.tar" \
	    "exec tar --format=pax -cf {O}/gnu.tar -C {C} ."
	job gnutar-pax-file+fsync snapshot "" "rm -f {O}/gnu.tar" \
	    "tar --format=pax -cf {O}/gnu.tar -C {C} . && exec sync {O}/gnu.tar"
	job gnutar-pax-sha256sum snapshot "" "" \
	    "tar --format=pax -cf - -C {C} . | sha256sum >/dev/null"
	job bsdtar-pax-file snapshot "" "rm -f {O}/bsd.tar" \
	    "exec bsdtar --format=pax -cf {O}/bsd.tar -C {C} ."
	job bsdtar-pax-sha256sum snapshot "" "" \
	    "bsdtar --format=pax -cf - -C {C} . | sha256sum >/dev/null"

	# floors
	job walk-lstat floor "" "" "exec {BIN}/walkfloor {C} >/dev/null"
	job openssl-speed floor "" "" \
	    "exec openssl speed -evp sha256 -multi {N} -seconds $secs -bytes 1048576 >{O}/speed.out 2>/dev/null"

	# Which jobs belong to which corpus by default.
	local keep=() j
	for j in "${JOB_NAMES[@]}"; do
		case $corpus:$j in
		many*:custos-baseline|many*:custos-check|many*:aide-init|\
		many*:aide-check|many*:mtree-*|many*:hashdeep*|\
		many*:bsdtar-mtree|many*:walk-lstat) keep+=("$j") ;;
		many*:*) ;;
		large:openssl-speed) keep+=("$j") ;;
		*:openssl-speed) ;;
		*) keep+=("$j") ;;
		esac
	done
	JOB_NAMES=("${keep[@]}")
}

# matches JOB LIST: is JOB named by LIST (exact name or a prefix up to '-')?
matches() {
	local t
	for t in ${2//,/ }; do
		case $1 in "$t"|"$t"-*|"$t"+*) return 0 ;; esac
	done
	return 1
}

# wanted JOB: selected by --tools and --skip?  Opt-in jobs (the
# multi-threaded AIDE variants) only when --tools names them exactly.
wanted() {
	local t
	if [ -n "${JOB_OPTIN[$1]:-}" ]; then
		for t in ${TOOLS//,/ }; do [ "$t" = "$1" ] && return 0; done
		return 1
	fi
	if [ -n "$TOOLS" ] && ! matches "$1" "$TOOLS"; then return 1; fi
	if [ -n "$SKIP" ] && matches "$1" "$SKIP"; then return 1; fi
	return 0
}

# Keep the jobs selected by --tools/--skip and runnable on this machine.
select_jobs() {
	local keep=() j tool
	for j in "${JOB_NAMES[@]}"; do
		wanted "$j" || continue
		case $j in
		custos-*)
			if [ ! -x "$CUSTOS" ]; then
				note "$j: skipped, no custos binary at $CUSTOS (run make, or set CUSTOS=)"
				continue
			fi
			local mode=${j#custos-}; mode=${mode%%-*}
			if ! custos_has "$mode"; then
				note "$j: skipped, 'custos help $mode' fails: this custos has no $mode command yet"
				continue
			fi ;;
		aide-*) tool=aide ;;
		mtree-*) tool=mtree ;;
		hashdeep*) tool=hashdeep ;;
		bsdtar-*) tool=bsdtar ;;
		gnutar-*) tool=tar ;;
		xargs-openssl|openssl-speed) tool=openssl ;;
		walk-lstat)
			if ! build_walkfloor; then
				note "$j: skipped, could not compile bench/walkfloor.c (see $LOGS/walkfloor.cc)"
				continue
			fi ;;
		esac
		case $j in
		custos-*|walk-lstat) ;;
		*) if ! have "$tool"; then
			note "$j: skipped, '$tool' is not installed (bench/run.sh --install, or apt-get install $(pkg_of "$tool"))"
			continue
		fi ;;
		esac
		keep+=("$j")
	done
	JOB_NAMES=("${keep[@]}")
}

pkg_of() {
	case $1 in
	mtree) echo mtree-netbsd ;; bsdtar) echo libarchive-tools ;;
	*) echo "$1" ;;
	esac
}

# expand CMD: substitute the placeholders with shell-quoted paths.
expand() {
	local s=$1 qc qo qcu qb
	qc=$(printf %q "$CDIR"); qo=$(printf %q "$OUT")
	qcu=$(printf %q "$CUSTOS"); qb=$(printf %q "$BIN")
	s=${s//\{C\}/$qc}; s=${s//\{O\}/$qo}; s=${s//\{CUSTOS\}/$qcu}
	s=${s//\{BIN\}/$qb}; s=${s//\{N\}/$NPROC}
	printf '%s' "$s"
}

# display CMD: the command as printed in the tables.
display() {
	local s=$1
	s=${s#exec }; s=${s//exec /}
	s=${s//\{C\}/DIR}; s=${s//\{O\}\//}; s=${s//\{CUSTOS\}/custos}
	s=${s//\{BIN\}\//bench\/}; s=${s//\{N\}/$NPROC}
	printf '%s' "$s"
}

# warm: read the corpus, untimed, so that every timed run starts with its
# data and metadata in the page cache.  A job that writes a big output (a
# tar of the corpus) pushes corpus pages out of the cache, and without
# this the job after it would pay for reading them back from disk.
warm() {
	[ "$WARM" = 1 ] || return 0
	find "$CDIR" -type f -size +0 -print0 2>/dev/null |
	    xargs -0 -r -P "$NPROC" -n 512 cat >/dev/null 2>&1
	return 0
}

# Run a shell snippet untimed, in the harness's environment (for nuke).
untimed() {
	timeout -k 10 "$TIMEOUT" bash -c "$(declare -f nuke); $1" \
	    >/dev/null 2>>"$LOGS/$CORPUS.setup.log"
}

write_aide_conf() {
	cat >"$OUT/aide.conf" <<EOF
# Generated by bench/run.sh for corpus $CORPUS.
database_in=file:$OUT/aide.db.ref
database_out=file:$OUT/aide.db.new
gzip_dbout=no
database_attrs=sha256
root_prefix=$CDIR
report_url=stdout
log_level=warning
R = sha256+p+u+g+n+s+m+c+i+acl+xattrs+caps+e2fsattrs+ftype+l
/ R
EOF
}

# --- machine ------------------------------------------------------------

pkgver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo "?"; }

machine_meta() {
	local cpu sha mem fs
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
	grep -qw sha_ni /proc/cpuinfo && sha=yes || sha=no
	mem=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
	fs=$(df -PT "$WORKDIR" | awk 'NR == 2 {print $2}')
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine.cpu=$cpu"
	echo "machine.cores=$NPROC"
	echo "machine.sha_ni=$sha"
	echo "machine.avx2=$(grep -qw avx2 /proc/cpuinfo && echo yes || echo no)"
	echo "machine.kernel=$(uname -r)"
	echo "machine.ram=$mem"
	echo "machine.os=$(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-?}")"
	echo "machine.fs=$fs on $(df -P "$WORKDIR" | awk 'NR == 2 {print $1}')"
	if [ -x "$CUSTOS" ]; then
		echo "version.custos=$("$CUSTOS" --version 2>&1 | head -n1) (binary sha256 $(sha256sum <"$CUSTOS" | cut -c1-12), from $CUSTOS_SRC$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null | sed 's/^/, tree at commit /'))"
	else
		echo "version.custos=(not built)"
	fi
	have aide && echo "version.aide=$(aide --version 2>&1 | head -n1) (Debian $(pkgver aide))"
	have mtree && echo "version.mtree=mtree-netbsd $(pkgver mtree-netbsd)"
	have hashdeep && echo "version.hashdeep=hashdeep $(hashdeep -V 2>&1 | head -n1) (Debian $(pkgver hashdeep))"
	have bsdtar && echo "version.bsdtar=$(bsdtar --version 2>&1 | head -n1 | cut -d' ' -f1-5)"
	echo "version.gnutar=$(tar --version | head -n1)"
	echo "version.openssl=$(openssl version)"
	echo "version.findutils=$(find --version | head -n1)"
	echo "version.time=GNU time $(pkgver time)"
	echo "version.cc=$(cc --version | head -n1)"
}

# --- one corpus ---------------------------------------------------------

run_corpus() {
	CORPUS=$1
	local csv meta j r cmd rc tf ef wall user sys rss extra t0 load1
	local -A FAILED=()
	NOTES=()
	corpus_ensure "$CORPUS"
	OUT=$WORKDIR/out/$CORPUS
	nuke "$OUT"
	mkdir -p "$OUT"
	rm -f "$LOGS/$CORPUS".*
	: >"$LOGS/$CORPUS.setup.log"
	write_aide_conf
	define_jobs "$CORPUS"
	select_jobs
	if [ "${#JOB_NAMES[@]}" -eq 0 ]; then
		log "$CORPUS: no jobs to run"
		return
	fi
	log "$CORPUS: $CORPUS_OBJECTS objects, $CORPUS_BYTES bytes of data; jobs: ${JOB_NAMES[*]}"

	csv=$RESULTS/$CORPUS.csv.tmp
	echo "corpus,job,kind,run,wall_s,user_s,sys_s,maxrss_kib,exit,extra,load1" >"$csv"
	t0=$SECONDS
	LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

	# One-time setup (reference databases for the check jobs), untimed.
	for j in "${JOB_NAMES[@]}"; do
		[ -n "${JOB_SETUP[$j]}" ] || continue
		log "$CORPUS: setup for $j"
		if ! untimed "$(expand "${JOB_SETUP[$j]}")"; then
			FAILED[$j]="setup failed (see $LOGS/$CORPUS.setup.log)"
		fi
	done

	tf=$OUT/.time
	# run_one JOB RUN: returns the exit status; fills wall user sys rss extra.
	run_one() {
		local j=$1 r=$2
		[ -n "${JOB_PREP[$j]}" ] && untimed "$(expand "${JOB_PREP[$j]}")"
		warm
		ef=$LOGS/$CORPUS.$j.$r.err
		cmd=$(expand "${JOB_CMD[$j]}")
		rm -f "$tf"
		/usr/bin/time -f '%e %U %S %M' -o "$tf" \
		    timeout -k 10 "$TIMEOUT" bash -c "$cmd" >/dev/null 2>"$ef"
		rc=$?
		[ "$rc" = 124 ] || [ "$rc" = 137 ] &&
			echo "run.sh: stopped after the --timeout of $TIMEOUT s" >>"$ef"
		read -r wall user sys rss < <(tail -n1 "$tf" 2>/dev/null)
		extra=
		if [ "$j" = openssl-speed ]; then
			extra=$(awk '$1 == "sha256" {v = $2} END {sub(/k$/, "", v); if (v != "") printf "%.0f", v * 1000}' "$OUT/speed.out")
		fi
		# Free the space of big outputs and flush their dirty pages, so
		# the next job does not pay for them.
		[ -n "${JOB_PREP[$j]}" ] && untimed "$(expand "${JOB_PREP[$j]}")"
		sync
		[ -s "$ef" ] || rm -f "$ef"
		return $rc
	}

	# Warm-up: every job once, untimed.
	for j in "${JOB_NAMES[@]}"; do
		[ -z "${FAILED[$j]:-}" ] || continue
		log "$CORPUS: warm-up $j"
		if ! run_one "$j" warmup; then
			FAILED[$j]="exit $rc in the warm-up: $(tail -c 300 "$ef" 2>/dev/null | tr '\n' ' ')"
			[ -f "$ef" ] && FAILED[$j]+=" (log: $ef)"
		fi
	done

	# Timed runs, interleaved.
	for r in $(seq 1 "$RUNS"); do
		for j in "${JOB_NAMES[@]}"; do
			[ -z "${FAILED[$j]:-}" ] || continue
			load1=$(cut -d' ' -f1 /proc/loadavg)
			run_one "$j" "$r"
			rc=$?
			log "$CORPUS: run $r/$RUNS $j: ${wall:-?} s wall, ${rss:-?} KiB, exit $rc"
			echo "$CORPUS,$j,${JOB_KIND[$j]},$r,${wall:-},${user:-},${sys:-},${rss:-},$rc,$extra,$load1" >>"$csv"
		done
	done
	mv "$csv" "$RESULTS/$CORPUS.csv"

	for j in "${JOB_NAMES[@]}"; do
		[ -z "${FAILED[$j]:-}" ] || note "$j: failed, not timed: ${FAILED[$j]}"
	done

	meta=$RESULTS/$CORPUS.meta
	{
		machine_meta
		echo "corpus=$CORPUS"
		echo "corpus.dir=$(corpus_dirname "$CORPUS")"
		echo "corpus.params=$(head -n1 "$CORPUS_STAMP")"
		sed -n 's/^gen\.\(.*\)/corpus.gen.\1/p' "$CORPUS_STAMP"
		echo "corpus.objects=$CORPUS_OBJECTS"
		echo "corpus.data_bytes=$CORPUS_BYTES"
		echo "corpus.disk=$CORPUS_DISK"
		echo "quick=$QUICK"
		echo "warm=$WARM"
		echo "runs=$RUNS"
		echo "seconds=$((SECONDS - t0))"
		echo "load.before=$LOAD0"
		echo "load.after=$(cut -d' ' -f1-3 /proc/loadavg)"
		for j in "${JOB_NAMES[@]}"; do
			printf 'job=%s\t%s\t%s\n' "$j" "${JOB_KIND[$j]}" "$(display "${JOB_CMD[$j]}")"
		done
		for j in "${NOTES[@]}"; do echo "note=$j"; done
	} >"$meta"
	"$PYTHON" "$HERE/report.py" "$RESULTS" "$CORPUS" ||
		log "report.py failed for $CORPUS"
	log "$CORPUS: done in $((SECONDS - t0)) s -> $RESULTS/$CORPUS.md"
	nuke "$OUT"
}

# --- main ---------------------------------------------------------------

if [ "$LIST" = 1 ]; then
	for c in $CORPORA; do
		define_jobs "$c"
		printf '%s:' "$c"
		for j in "${JOB_NAMES[@]}"; do
			if wanted "$j"; then printf ' %s' "$j"
			elif [ -n "${JOB_OPTIN[$j]}" ]; then printf ' (%s)' "$j"; fi
		done
		echo
	done
	exit 0
fi

# Freeze the binary: the tree may be rebuilt while a long run goes on.
CUSTOS_SRC=$CUSTOS
if [ -x "$CUSTOS" ] && [ "$LIST" = 0 ] && [ "$PREPARE" = 0 ]; then
	cp "$CUSTOS" "$BIN/custos.tmp" && mv "$BIN/custos.tmp" "$BIN/custos" &&
		CUSTOS=$BIN/custos
fi

if [ "$PREPARE" = 1 ]; then
	for c in $CORPORA; do
		corpus_ensure "$c"
		log "$c: $CDIR: $CORPUS_OBJECTS objects, $CORPUS_BYTES bytes of data, $CORPUS_DISK on disk"
	done
	exit 0
fi

log "custos: $CUSTOS; corpora: $CORPORA; runs: $RUNS; workdir: $WORKDIR; results: $RESULTS"
log "free space in $WORKDIR: $(df -h "$WORKDIR" | awk 'NR == 2 {print $4}')"
for c in $CORPORA; do
	run_corpus "$c"
done
"$PYTHON" "$HERE/report.py" --summary "$RESULTS" || log "report.py --summary failed"
log "all done; tables in $RESULTS"
