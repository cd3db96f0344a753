/*
 * err.h: errors kept on an object the caller provides.
 *
 * Library code never prints and never exits: it fills a struct cs_err with
 * the exit code to use, the errno (if any) and a message, and returns -1.
 * Only main.c turns an error into output and an exit status.
 */
#ifndef CUSTOS_ERR_H
#define CUSTOS_ERR_H

struct cs_err {
	int	 code;		/* CS_EXIT_* the command should exit with */
	int	 errnum;	/* errno value, 0 if none */
	char	*msg;		/* heap-allocated message, NULL when clear */
};

void	 cs_err_init(struct cs_err *);
void	 cs_err_release(struct cs_err *);
/* Record an error, replacing any earlier one; always returns -1. */
int	 cs_err_set(struct cs_err *, int, int, const char *, ...)
	    CS_PRINTF(4, 5);
/* As cs_err_set, with the OpenSSL error queue appended (and cleared). */
int	 cs_err_ssl(struct cs_err *, int, const char *, ...) CS_PRINTF(3, 4);
/* Print "custos: CMD: MSG[: strerror]" on stderr. */
void	 cs_err_print(const struct cs_err *, const char *);
/* Call FN before cs_err_print and cs_warn write (a progress line clears). */
void	 cs_err_set_hook(void (*)(void));
/* Print a warning "custos: CMD: ..." on stderr. */
void	 cs_warn(const char *, const char *, ...) CS_PRINTF(2, 3);

#endif /* CUSTOS_ERR_H */
