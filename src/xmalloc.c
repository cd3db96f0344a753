/*
 * xmalloc.c: allocation wrappers that exit with CS_EXIT_SOFTWARE on
 * failure.  exit() runs the atomic cleanup list, so temporary outputs go.
 */
#include "custos/custos.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos/xmalloc.h"

static void CS_NORETURN
xmalloc_die(size_t n)
{
	fprintf(stderr, "%s: out of memory (%zu bytes)\n", CS_PROGNAME, n);
	exit(CS_EXIT_SOFTWARE);
}

void *
cs_xmalloc(size_t n)
{
	void	*p;

	p = malloc(n == 0 ? 1 : n);
	if (p == NULL)
		xmalloc_die(n);
	return p;
}

void *
cs_xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size);
	if (p == NULL)
		xmalloc_die(nmemb * size);
	return p;
}

void *
cs_xrealloc(void *old, size_t n)
{
	void	*p;

	p = realloc(old, n == 0 ? 1 : n);
	if (p == NULL)
		xmalloc_die(n);
	return p;
}

void *
cs_xreallocarray(void *old, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_die(SIZE_MAX);
	return cs_xrealloc(old, nmemb * size);
}

char *
cs_xstrdup(const char *s)
{
	return cs_xmemdup(s, strlen(s) + 1);
}

/* Copy N bytes and add a terminating NUL (not counted in N). */
void *
cs_xmemdup(const void *s, size_t n)
{
	char	*p;

	if (n == SIZE_MAX)
		xmalloc_die(n);
	p = cs_xmalloc(n + 1);
	if (n != 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
cs_xvasprintf(const char *fmt, va_list ap)
{
	va_list	 ap2;
	char	*p;
	int	 n;

	va_copy(ap2, ap);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_copy */
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		xmalloc_die(0);
	p = cs_xmalloc((size_t)n + 1);
	if (vsnprintf(p, (size_t)n + 1, fmt, ap) != n)
		xmalloc_die((size_t)n);
	return p;
}

char *
cs_xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = cs_xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}
