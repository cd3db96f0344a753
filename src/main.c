/*
 * main.c: global options, the command table, lookup and dispatch.
 *
 * The only file that turns errors into messages and exit statuses.
 */
#include "custos/custos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "custos/atomic.h"
#include "custos/cmd.h"
#include "custos/err.h"

/* Alphabetical, NULL-terminated. */
static const struct cs_cmd *const cs_cmd_table[] = {
	&cs_cmd_baseline,
	&cs_cmd_check,
	&cs_cmd_custody_sheet,
	&cs_cmd_keygen,
	&cs_cmd_sign,
	&cs_cmd_snapshot,
	&cs_cmd_update,
	&cs_cmd_verify,
	NULL
};

static void
main_usage(FILE *f)
{
	const struct cs_cmd *const	*c;

	fprintf(f, "usage: %s [--version] [--help] COMMAND [ARGS]\n\n",
	    CS_PROGNAME);
	fprintf(f, "Forensic snapshots and file-integrity baselines.\n\n");
	fprintf(f, "commands:\n");
	for (c = cs_cmd_table; *c != NULL; c++)
		fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fprintf(f, "\nRun '%s help COMMAND' for a command's options; see "
	    "custos(1) for exit statuses.\n", CS_PROGNAME);
}

void
cs_cmd_usage(const struct cs_cmd *c)
{
	fprintf(stderr, "usage: %s %s %s\n", CS_PROGNAME, c->name, c->usage);
}

/* Exact name or alias first, then a unique prefix (tmux cmd_find). */
static const struct cs_cmd *
main_find(const char *name, int *ambiguous)
{
	const struct cs_cmd *const	*c;
	const struct cs_cmd		*found = NULL;
	size_t				 n = strlen(name);

	*ambiguous = 0;
	for (c = cs_cmd_table; *c != NULL; c++) {
		if (strcmp((*c)->name, name) == 0 ||
		    ((*c)->alias != NULL && strcmp((*c)->alias, name) == 0))
			return *c;
	}
	for (c = cs_cmd_table; *c != NULL && n > 0; c++) {
		if (strncmp((*c)->name, name, n) != 0)
			continue;
		if (found != NULL) {
			*ambiguous = 1;
			return NULL;
		}
		found = *c;
	}
	return found;
}

static void
main_help_cmd(const struct cs_cmd *c)
{
	printf("usage: %s %s %s\n\n%s\n", CS_PROGNAME, c->name, c->usage,
	    c->summary);
	if (c->alias != NULL)
		printf("(also: %s %s)\n", CS_PROGNAME, c->alias);
	if (c->help != NULL)
		printf("\n%s", c->help);
	printf("\nSee custos-%s(1).\n", c->name);
}

static int
main_help(int argc, char **argv)
{
	const struct cs_cmd	*c;
	int			 ambiguous;

	if (argc < 2) {
		main_usage(stdout);
		return CS_EXIT_OK;
	}
	c = main_find(argv[1], &ambiguous);
	if (c == NULL) {
		fprintf(stderr, "%s: %s command: %s\n", CS_PROGNAME,
		    ambiguous ? "ambiguous" : "unknown", argv[1]);
		return CS_EXIT_USAGE;
	}
	main_help_cmd(c);
	return CS_EXIT_OK;
}

int
main(int argc, char **argv)
{
	const struct cs_cmd	*c;
	struct cs_err		 err;
	int			 rc, ambiguous;

	cs_atomic_setup();
	if (argc < 2) {
		main_usage(stderr);
		return CS_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("%s %s (%s)\n", CS_PROGNAME, CS_VERSION,
		    OpenSSL_version(OPENSSL_VERSION));
		return CS_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		main_usage(stdout);
		return CS_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0)
		return main_help(argc - 1, argv + 1);
	c = main_find(argv[1], &ambiguous);
	if (c == NULL) {
		fprintf(stderr, "%s: %s command: %s\n", CS_PROGNAME,
		    ambiguous ? "ambiguous" : "unknown", argv[1]);
		main_usage(stderr);
		return CS_EXIT_USAGE;
	}
	if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
	    strcmp(argv[2], "-h") == 0)) {
		main_help_cmd(c);
		return CS_EXIT_OK;
	}
	cs_err_init(&err);
	rc = c->run(argc - 1, argv + 1, &err);
	if (rc < 0) {
		cs_err_print(&err, c->name);
		if (err.code == CS_EXIT_USAGE)
			cs_cmd_usage(c);
		rc = err.code != 0 ? err.code : CS_EXIT_SOFTWARE;
	}
	cs_err_release(&err);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: %s: cannot write standard output\n",
		    CS_PROGNAME, c->name);
		if (rc < CS_EXIT_USAGE)
			rc = CS_EXIT_IOERR;
	}
	return rc;
}
