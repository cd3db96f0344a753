/*
 * cmd.h: the subcommand interface.
 *
 * Adding a command takes three steps:
 *   1. write src/cmd_NAME.c exporting only "const struct cs_cmd cs_cmd_NAME"
 *      (everything else in it static, named cmd_NAME_*);
 *   2. declare it below and add it to cs_cmd_table[] in src/main.c, keeping
 *      the table in alphabetical order;
 *   3. add the file to Makefile.am, write doc/custos-NAME.1 and a
 *      tests/cli/tNNNN-NAME-*.sh script.
 */
#ifndef CUSTOS_CMD_H
#define CUSTOS_CMD_H

#include <signal.h>

struct cs_err;

#define CS_CMD_WRITES		0x1	/* creates output files */
#define CS_CMD_NEEDS_KEY	0x2	/* reads a private key */

struct cs_cmd {
	const char	*name;
	const char	*alias;		/* another accepted name, or NULL */
	const char	*usage;		/* arguments after the name */
	const char	*summary;	/* one line, lowercase, no full stop */
	const char	*help;		/* option list shown by "help NAME" */
	int		 flags;		/* CS_CMD_* */
	/*
	 * Run with ARGV[0] the command name.  Returns the exit status
	 * (>= 0), or -1 with the error filled in.
	 */
	int		(*run)(int, char **, struct cs_err *);
};

extern const struct cs_cmd cs_cmd_baseline;
extern const struct cs_cmd cs_cmd_check;
extern const struct cs_cmd cs_cmd_custody_sheet;
extern const struct cs_cmd cs_cmd_digest;
extern const struct cs_cmd cs_cmd_export;
extern const struct cs_cmd cs_cmd_fleet_report;
extern const struct cs_cmd cs_cmd_keygen;
extern const struct cs_cmd cs_cmd_merge;
extern const struct cs_cmd cs_cmd_plan;
extern const struct cs_cmd cs_cmd_sign;
extern const struct cs_cmd cs_cmd_snapshot;
extern const struct cs_cmd cs_cmd_update;
extern const struct cs_cmd cs_cmd_verify;

/*
 * `custos merge --reports` (cmd_merge_reports.c), which `custos merge`
 * runs when its first option is --reports: ARGV as given to merge.
 */
int	cmd_merge_reports(int, char **, struct cs_err *);

/* Print the usage line of CMD on stderr (for usage errors). */
void	cs_cmd_usage(const struct cs_cmd *);
/*
 * From now on SIGINT, SIGTERM and SIGHUP only set the flag returned (for
 * the driver's stop, pipe.h), so that a command writing an output stops
 * between records, removes or marks what it made, and says so.
 */
volatile sig_atomic_t *cs_cmd_catch(void);

#endif /* CUSTOS_CMD_H */
