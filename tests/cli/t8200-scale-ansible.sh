#!/bin/bash
# t8200: the Ansible recipe of custos-scale(7).  contrib/ansible/
# custos-check.yml runs custos check on three inventory hosts (all this
# machine, through the local connection, each with its own tree and
# baseline taken under its own host name), gathers the three JSON Lines
# reports on the controller, and custos fleet-report over them lists the
# back door planted on all three first.  A host whose check fails (no
# baseline) fails in the play; a host with findings does not.  No host
# keeps the play's temporary directory, the failed one neither.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-fleet.sh"

PLAYBOOK="$CS_SRCDIR/contrib/ansible/custos-check.yml"
# Ansible keeps its temporary files and settings out of $HOME.
ANSIBLE_LOCAL_TEMP="$TRASH/ansible-local"
ANSIBLE_REMOTE_TEMP="$TRASH/ansible-remote"
ANSIBLE_NOCOLOR=1
ANSIBLE_RETRY_FILES_ENABLED=0
ANSIBLE_CONFIG="$TRASH/ansible.cfg"
: >"$ANSIBLE_CONFIG" || exit 99
export ANSIBLE_LOCAL_TEMP ANSIBLE_REMOTE_TEMP ANSIBLE_NOCOLOR \
    ANSIBLE_RETRY_FILES_ENABLED ANSIBLE_CONFIG

# play ARGS...: ansible-playbook, which needs a UTF-8 locale; the hosts'
# temporary files go to hosttmp.
play() {
	mkdir -p "$TRASH/hosttmp" &&
	LC_ALL=C.UTF-8 TMPDIR="$TRASH/hosttmp" ansible-playbook "$@"
}

# inventory FILE [BROKEN]: hosts web01..web03 (web04 with no baseline if
# BROKEN), local connection, the interpreter that runs ansible itself.
inventory() {
	py=$(sed -n '1s/^#! *//p' "$(command -v ansible-playbook)")
	{
		echo "[fleet]"
		for n in 1 2 3 ${2:+4}; do
			echo "web0$n custos_root=$TRASH/h$n" \
			    "custos_baseline=$TRASH/b$n.cbl"
		done
		echo "[fleet:vars]"
		echo "ansible_connection=local"
		echo "ansible_python_interpreter=${py:-/usr/bin/python3}"
		echo "custos=$CUSTOS"
		echo "custos_allow_unsigned=true"
		echo "custos_policy=$FLEET_POLICY"
		echo "custos_reports=$TRASH/reports"
	} >"$1"
}

test_expect_success UTSNS,ANSIBLE-PLAYBOOK 'setup: three hosts' '
	fleet_host 1 && fleet_host 2 && fleet_host 3 &&
	fleet_plant 1 && fleet_plant 2 && fleet_plant 3 &&
	inventory fleet.ini
'

test_expect_success UTSNS,ANSIBLE-PLAYBOOK 'the playbook gathers one report per host' '
	play -i fleet.ini "$PLAYBOOK" >play.log 2>&1 &&
	ls reports >got &&
	printf "%s\n" web01.jsonl web02.jsonl web03.jsonl >want &&
	test_cmp want got &&
	test_grep "\"host\":\"web03\"" reports/web03.jsonl &&
	test_grep "custos check exit 5" play.log &&
	test_grep "failed=0" play.log &&
	ls -A hosttmp >left &&
	! test -s left
'

test_expect_success UTSNS,ANSIBLE-PLAYBOOK 'fleet-report lists the common back door first' '
	"$CUSTOS" fleet-report reports/*.jsonl >out &&
	sed -n 4,5p out >first &&
	test_grep "^3/3 critical added /usr/local/bin/sshd-helper " first &&
	test_grep "^    hosts: web01 web02 web03$" first
'

test_expect_success UTSNS,ANSIBLE-PLAYBOOK 'a host whose check fails fails in the play' '
	rm -rf reports &&
	inventory broken.ini yes &&
	test_must_fail play -i broken.ini "$PLAYBOOK" \
	    >play.log 2>&1 &&
	test_grep "web04.*failed=1" play.log &&
	test -f reports/web01.jsonl && ! test -f reports/web04.jsonl &&
	ls -A hosttmp >left &&
	! test -s left
'

test_done
