/*
 * xmalloc.h: allocation that cannot fail.
 *
 * Running out of memory is fatal: these report and exit with
 * CS_EXIT_SOFTWARE.  Temporary output files are removed by the atomic
 * cleanup list on the way out, so nothing half-written survives.
 */
#ifndef CUSTOS_XMALLOC_H
#define CUSTOS_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*cs_xmalloc(size_t);
void	*cs_xcalloc(size_t, size_t);
void	*cs_xrealloc(void *, size_t);
void	*cs_xreallocarray(void *, size_t, size_t);
char	*cs_xstrdup(const char *);
void	*cs_xmemdup(const void *, size_t);
char	*cs_xasprintf(const char *, ...) CS_PRINTF(1, 2);
char	*cs_xvasprintf(const char *, va_list) CS_PRINTF(1, 0);

#endif /* CUSTOS_XMALLOC_H */
