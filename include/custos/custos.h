/*
 * custos.h: the first include of every custos source file.
 *
 * Pulls in config.h, defines the version, the documented exit codes and
 * the attribute macros.  Exit codes are part of the interface: scripts rely
 * on them, and doc/custos.1 lists them under EXIT STATUS.
 */
#ifndef CUSTOS_CUSTOS_H
#define CUSTOS_CUSTOS_H

#include "config.h"

#define CS_VERSION		PACKAGE_VERSION
#define CS_PROGNAME		"custos"

/*
 * Exit status.  0..31 are bits that may be OR-ed together by check;
 * 64 and above follow sysexits.h and are never OR-ed.
 */
#define CS_EXIT_OK		0	/* clean / valid */
#define CS_EXIT_ADDED		1	/* objects added */
#define CS_EXIT_REMOVED		2	/* objects removed */
#define CS_EXIT_CHANGED		4	/* objects changed */
#define CS_EXIT_INTEGRITY	8	/* signature or digest does not verify */
#define CS_EXIT_INCOMPLETE	16	/* some objects could not be examined */
#define CS_EXIT_USAGE		64	/* EX_USAGE: bad command line */
#define CS_EXIT_DATAERR		65	/* EX_DATAERR: malformed input file */
#define CS_EXIT_NOINPUT		66	/* EX_NOINPUT: input missing or unreadable */
#define CS_EXIT_SOFTWARE	70	/* EX_SOFTWARE: internal error, out of memory */
#define CS_EXIT_CANTCREAT	73	/* EX_CANTCREAT: output exists or cannot be created */
#define CS_EXIT_IOERR		74	/* EX_IOERR: read or write error */
#define CS_EXIT_NOPERM		77	/* EX_NOPERM: wrong passphrase, key refused */

#define CS_PRINTF(f, a)		__attribute__((format(printf, f, a)))
#define CS_NORETURN		__attribute__((noreturn))
#define CS_UNUSED		__attribute__((unused))
#define CS_NELEM(a)		(sizeof(a) / sizeof((a)[0]))

/*
 * The headers that declare the banned functions come first, so that
 * banned.h's macros cannot rewrite their (fortified) definitions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "custos/banned.h"

#endif /* CUSTOS_CUSTOS_H */
