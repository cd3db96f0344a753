/*
 * main.c: global options, the command table, lookup and dispatch.
 *
 * The only file that turns errors into messages and exit statuses.
 */
#include "custos/custos.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "custos/atomic.h"
#include "custos/cmd.h"
#include "custos/err.h"
#include "custos/xmalloc.h"

/* What getopt reports as an unknown option or a missing argument. */
#define MAIN_BAD_OPTION	"bad option"

/* Alphabetical, NULL-terminated. */
static const struct cs_cmd *const cs_cmd_table[] = {
	&cs_cmd_baseline,
	&cs_cmd_check,
	&cs_cmd_custody_sheet,
	&cs_cmd_digest,
	&cs_cmd_export,
	&cs_cmd_fleet_report,
	&cs_cmd_keygen,
	&cs_cmd_merge,
	&cs_cmd_plan,
	&cs_cmd_sign,
	&cs_cmd_snapshot,
	&cs_cmd_update,
	&cs_cmd_verify,
	NULL
};

/* One line of the command list: a name or an alias. */
struct main_row {
	const char	*name;
	const struct cs_cmd *cmd;
};

static int
main_row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct main_row *)a)->name,
	    ((const struct main_row *)b)->name);
}

/* Every command and alias, alphabetically, the summaries aligned. */
static void
main_usage(FILE *f)
{
	const struct cs_cmd *const	*c;
	struct main_row			*rows;
	size_t				 n = 0, i, width = 0;

	for (c = cs_cmd_table; *c != NULL; c++)
		n += (*c)->alias != NULL ? 2 : 1;
	rows = cs_xcalloc(n, sizeof *rows);
	n = 0;
	for (c = cs_cmd_table; *c != NULL; c++) {
		rows[n].name = (*c)->name;
		rows[n++].cmd = *c;
		if ((*c)->alias != NULL) {
			rows[n].name = (*c)->alias;
			rows[n++].cmd = *c;
		}
	}
	qsort(rows, n, sizeof *rows, main_row_cmp);
	for (i = 0; i < n; i++)
		if (strlen(rows[i].name) > width)
			width = strlen(rows[i].name);
	fprintf(f, "usage: %s [--version] [--help] COMMAND [ARGS]\n\n",
	    CS_PROGNAME);
	fprintf(f, "Forensic snapshots and file-integrity baselines.\n\n");
	fprintf(f, "commands:\n");
	for (i = 0; i < n; i++) {
		if (rows[i].name == rows[i].cmd->name)
			fprintf(f, "  %-*s  %s\n", (int)width, rows[i].name,
			    rows[i].cmd->summary);
		else
			fprintf(f, "  %-*s  the same as %s\n", (int)width,
			    rows[i].name, rows[i].cmd->name);
	}
	fprintf(f, "\nRun '%s help COMMAND' for a command's options;\n"
	    "see custos(1) for exit statuses.\n", CS_PROGNAME);
	free(rows);
}

/*
 * Say which option getopt refused (its own messages are turned off, so
 * there is one message, in custos's form).  A known option fails only
 * for a missing argument, or for an argument it does not take; whether a
 * short option is known is read from the command's help text.
 */
static void
main_bad_option(const struct cs_cmd *c, int argc, char **argv,
    struct cs_err *err)
{
	const char	*arg = optind >= 1 && optind <= argc ?
			    argv[optind - 1] : "";
	char		*name, *eq, *pat;

	if (strncmp(arg, "--", 2) == 0) {
		name = cs_xstrdup(arg);
		if ((eq = strchr(name, '=')) != NULL)
			*eq = '\0';
		if (optopt == 0)
			cs_err_set(err, CS_EXIT_USAGE, 0, "unknown option "
			    "'%s'", name);
		else
			cs_err_set(err, CS_EXIT_USAGE, 0, "option '%s' %s",
			    name, eq != NULL ? "takes no argument" :
			    "needs an argument");
		free(name);
		return;
	}
	pat = cs_xasprintf("  -%c,", optopt);
	if (optopt != 0 && c->help != NULL && strstr(c->help, pat) != NULL)
		cs_err_set(err, CS_EXIT_USAGE, 0, "option '-%c' needs an "
		    "argument", optopt);
	else
		cs_err_set(err, CS_EXIT_USAGE, 0, "unknown option '-%c'",
		    optopt);
	free(pat);
}

static volatile sig_atomic_t main_stop;

static void
main_signal(int sig)
{
	(void)sig;
	main_stop = 1;
}

volatile sig_atomic_t *
cs_cmd_catch(void)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CS_NELEM(sigs); i++)
		(void)sigaction(sigs[i], &sa, NULL);
	return &main_stop;
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

#ifdef CS_STATIC_BINARY
	/* Trusted media: no openssl.cnf, engine or module of the suspect. */
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1) {
		fprintf(stderr, "%s: cannot initialise OpenSSL\n",
		    CS_PROGNAME);
		return CS_EXIT_SOFTWARE;
	}
#endif
	cs_atomic_setup();
	opterr = 0;
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
	if (rc < 0 && err.code == CS_EXIT_USAGE && err.msg != NULL &&
	    strcmp(err.msg, MAIN_BAD_OPTION) == 0)
		main_bad_option(c, argc - 1, argv + 1, &err);
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
