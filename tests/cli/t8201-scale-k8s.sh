#!/bin/bash
# t8201: the Kubernetes recipe of custos-scale(7), offline.  The Indexed
# Job manifest contrib/kubernetes/custos-shard-job.yaml is validated with
# python3-jsonschema against the vendored schema beside it (a subset of
# batch/v1 Job: only the fields the manifest uses, everything else
# refused), and manifests with a misspelt field, a restart policy a Job
# refuses or a number where Kubernetes wants a string fail it.  The pod's
# command, run with a stand-in custos for every JOB_COMPLETION_INDEX
# 0 .. completions-1, asks for shards 1/N .. N/N, each exactly once, with
# N = completions; run with custos itself on 4 shards of the hostile
# tree, the parts merge into the records of an unsharded baseline.  The
# Job is not run.
. "$(dirname "$0")/lib.sh"

K8S="$CS_SRCDIR/contrib/kubernetes"
MANIFEST="$K8S/custos-shard-job.yaml"
SCHEMA="$K8S/job-batch-v1.subset.schema.json"

# validate FILE: FILE (YAML) against the schema.
validate() {
	python3 - "$1" "$SCHEMA" <<-'PY'
	import json, sys, yaml, jsonschema
	schema = json.load(open(sys.argv[2]))
	jsonschema.Draft7Validator.check_schema(schema)
	doc = yaml.safe_load(open(sys.argv[1]))
	jsonschema.Draft7Validator(schema).validate(doc)
	PY
}

# mutate FROM TO OUT: the manifest with FROM replaced by TO (once).
mutate() {
	python3 - "$MANIFEST" "$1" "$2" "$3" <<-'PY'
	import sys
	s = open(sys.argv[1]).read()
	assert sys.argv[2] in s, sys.argv[2]
	open(sys.argv[4], "w").write(s.replace(sys.argv[2], sys.argv[3], 1))
	PY
}

test_expect_success JSONSCHEMA 'the manifest is valid against the schema' '
	validate "$MANIFEST"
'

test_expect_success JSONSCHEMA 'a misspelt field, Always, a number for a string: refused' '
	mutate "completionMode:" "completionMod:" typo.yaml &&
	test_must_fail validate typo.yaml 2>err &&
	test_grep "completionMod" err &&
	mutate "restartPolicy: Never" "restartPolicy: Always" always.yaml &&
	test_must_fail validate always.yaml 2>err &&
	test_grep "Always" err &&
	mutate "value: \"16\"" "value: 16" number.yaml &&
	test_must_fail validate number.yaml 2>err &&
	test_grep "16 is not of type" err &&
	mutate "readOnly: true" "readonly: true" mount.yaml &&
	test_must_fail validate mount.yaml
'

test_expect_success JSONSCHEMA 'pods 0..N-1 ask for shards 1/N..N/N, N = completions' '
	mkdir bin &&
	printf "#!/bin/sh\necho \"\$@\"\n" >bin/custos &&
	chmod +x bin/custos &&
	python3 - "$MANIFEST" <<-\PY >pod.sh &&
	import shlex, sys, yaml
	job = yaml.safe_load(open(sys.argv[1]))
	spec = job["spec"]
	assert spec["completionMode"] == "Indexed"
	c = spec["template"]["spec"]["containers"][0]
	env = {e["name"]: e["value"] for e in c["env"]}
	assert int(env["CUSTOS_SHARDS"]) == spec["completions"], env
	print("n=%d" % spec["completions"])
	print("CUSTOS_SHARDS=%s; export CUSTOS_SHARDS" %
	    shlex.quote(env["CUSTOS_SHARDS"]))
	print("pod() { " + " ".join(shlex.quote(w) for w in
	    c["command"] + c["args"]) + "; }")
	PY
	. ./pod.sh &&
	test "$n" = 16 &&
	i=0 &&
	while [ $i -lt $n ]; do
		JOB_COMPLETION_INDEX=$i PATH="$PWD/bin:$PATH" pod >>calls || return 1
		i=$((i + 1))
	done &&
	test "$(wc -l <calls)" = 16 &&
	sed -n "s/.*--shard \([^ ]*\) .*/\1/p" calls | sort -t/ -n -k1,1 >got &&
	seq 1 16 | sed "s|$|/16|" >want &&
	test_cmp want got &&
	test_grep "^baseline -q --shard 1/16 --plan /plan/plan -o /parts/part-1.cbl /data$" calls
'

test_expect_success JSONSCHEMA 'the pods command, run by custos on 4 shards, merges into the whole' '
	"$FIXTURES/mktree.sh" "$TRASH/data" &&
	mkdir plan parts &&
	"$CUSTOS" plan -q --shards 4 -o plan/plan data &&
	"$CUSTOS" baseline -q -o whole.cbl data &&
	sed -e "s| /data'"'"'| $TRASH/data'"'"'|" \
	    -e "s|/plan/plan|$TRASH/plan/plan|" \
	    -e "s|/parts/|$TRASH/parts/|" pod.sh >local.sh &&
	. ./local.sh &&
	for i in 0 1 2 3; do
		JOB_COMPLETION_INDEX=$i CUSTOS_SHARDS=4 pod || return 1
	done &&
	"$CUSTOS" merge -q -o merged.cbl parts/part-1.cbl parts/part-2.cbl \
	    parts/part-3.cbl parts/part-4.cbl &&
	grep -v "^#" whole.cbl >want &&
	grep -v "^#" merged.cbl >got &&
	test_cmp want got
'

test_done
