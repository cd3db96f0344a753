/*
 * replay.c: a fuzz target without libFuzzer, for "make check" and for
 * reproducing a finding with any compiler.
 *
 * "replay_TARGET FILE..." runs the target once on each FILE;
 * "replay_TARGET" alone runs it on every file of
 * $CS_SRCDIR/fuzz/corpus/TARGET and its subdirectories (the seeds and the
 * inputs of every crash found, kept as regression tests) and prints TAP,
 * one case per file, the plan last.  A
 * crash, or a sanitizer finding in a sanitizer build, ends the program
 * before its last case.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos/path.h"
#include "custos/xmalloc.h"
#include "fuzz.h"

/* Run the target on the file PATH; 0, or -1 if it cannot be read. */
static int
replay_file(const char *path)
{
	FILE		*f;
	uint8_t		*p = NULL;
	size_t		 n = 0, cap = 0, got;
	int		 rc = -1;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	do {
		if (n == cap) {
			cap = cap > 0 ? 2 * cap : 65536;
			p = cs_xrealloc(p, cap);
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (!ferror(f)) {
		(void)LLVMFuzzerTestOneInput(p, n);
		rc = 0;
	}
	fclose(f);
	free(p);
	return rc;
}

static int
replay_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/*
 * Every file under DIR (and its subdirectories: seeds kept apart with
 * their licence), as TAP cases from *NUMBER on; nonzero if one could not
 * be read.
 */
static int
replay_dir(const char *dir, int *number)
{
	struct dirent	**names = NULL;
	struct stat	 st;
	char		*path, *shown;
	int		 i, n, rc = 0;

	if ((n = scandir(dir, &names, replay_filter, alphasort)) < 0)
		return 1;
	for (i = 0; i < n; i++) {
		path = cs_xasprintf("%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc |= replay_dir(path, number);
			free(path);
			free(names[i]);
			continue;
		}
		shown = cs_encode_dup(path + strlen(path) -
		    strlen(names[i]->d_name));
		fflush(stdout);
		if (replay_file(path) != 0) {
			printf("not ok %d - %s: cannot read\n", ++*number,
			    shown);
			rc = 1;
		} else
			printf("ok %d - %s %s\n", ++*number, CS_FUZZ_TARGET,
			    shown);
		free(shown);
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Every file of the target's corpus, as TAP. */
static int
replay_corpus(void)
{
	const char	*src = getenv("CS_SRCDIR");
	char		*dir;
	int		 number = 0, rc;

	dir = cs_xasprintf("%s/fuzz/corpus/%s", src != NULL ? src : ".",
	    CS_FUZZ_TARGET);
	rc = replay_dir(dir, &number);
	if (number == 0)
		printf("1..0 # SKIP no corpus in %s\n", dir);
	else
		printf("1..%d\n", number);
	free(dir);
	return number == 0 ? rc : rc != 0;
}

int
main(int argc, char **argv)
{
	int	 i, rc = 0;

	if (argc == 1)
		rc = replay_corpus();
	for (i = 1; i < argc; i++) {
		if (replay_file(argv[i]) != 0) {
			fprintf(stderr, "replay: cannot read '%s'\n", argv[i]);
			rc = 1;
		}
	}
	fuzz_cleanup();
	return rc;
}
