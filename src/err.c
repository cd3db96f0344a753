/*
 * err.c: the error object filled by library code and printed by main.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "custos/buf.h"
#include "custos/err.h"
#include "custos/xmalloc.h"

static void	(*err_hook)(void);

void
cs_err_set_hook(void (*fn)(void))
{
	err_hook = fn;
}

void
cs_err_init(struct cs_err *e)
{
	e->code = 0;
	e->errnum = 0;
	e->msg = NULL;
}

void
cs_err_release(struct cs_err *e)
{
	free(e->msg);
	cs_err_init(e);
}

int
cs_err_set(struct cs_err *e, int code, int errnum, const char *fmt, ...)
{
	va_list	 ap;

	free(e->msg);
	va_start(ap, fmt);
	e->msg = cs_xvasprintf(fmt, ap);
	va_end(ap);
	e->code = code;
	e->errnum = errnum;
	return -1;
}

/* Append OpenSSL's queued reasons ("; reason; reason") and clear them. */
int
cs_err_ssl(struct cs_err *e, int code, const char *fmt, ...)
{
	struct cs_buf	 b;
	va_list		 ap;
	unsigned long	 ec;
	char		 reason[256];

	cs_buf_init(&b);
	va_start(ap, fmt);
	cs_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	while ((ec = ERR_get_error()) != 0) {
		ERR_error_string_n(ec, reason, sizeof reason);
		cs_buf_printf(&b, "; %s", reason);
	}
	free(e->msg);
	e->msg = cs_buf_detach(&b, NULL);
	e->code = code;
	e->errnum = 0;
	return -1;
}

void
cs_err_print(const struct cs_err *e, const char *cmd)
{
	const char	*msg = e->msg != NULL ? e->msg : "unknown error";

	if (err_hook != NULL)
		err_hook();
	if (cmd != NULL)
		fprintf(stderr, "%s: %s: %s", CS_PROGNAME, cmd, msg);
	else
		fprintf(stderr, "%s: %s", CS_PROGNAME, msg);
	if (e->errnum != 0)
		fprintf(stderr, ": %s", strerror(e->errnum));
	fputc('\n', stderr);
}

void
cs_warn(const char *cmd, const char *fmt, ...)
{
	va_list	 ap;

	if (err_hook != NULL)
		err_hook();
	if (cmd != NULL)
		fprintf(stderr, "%s: %s: ", CS_PROGNAME, cmd);
	else
		fprintf(stderr, "%s: ", CS_PROGNAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
