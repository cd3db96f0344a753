/*
 * deb_version.c: Debian version ordering (deb.h, cs_deb_vercmp), as
 * dpkg orders versions: the epoch as a number, then the upstream
 * version and the revision each compared by dpkg's algorithm (runs of
 * non-digits, '~' before everything, even the end, letters before other
 * characters; then runs of digits as numbers).  The strings may come
 * from an examined root: any bytes are ordered, nothing is trusted.
 */
#include "custos/custos.h"

#include <string.h>

#include "custos/deb.h"

/* A character's weight in a non-digit run (dpkg's order). */
static int
debver_order(int c)
{
	if (c >= '0' && c <= '9')
		return 0;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return c;
	if (c == '~')
		return -1;
	if (c != 0)
		return c + 256;
	return 0;
}

static int
debver_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* Compare the parts [A, AE) and [B, BE) by dpkg's verrevcmp. */
static int
debver_part(const char *a, const char *ae, const char *b, const char *be)
{
	int	 first, ac, bc;

	while (a < ae || b < be) {
		first = 0;
		while ((a < ae && !debver_digit(a, ae)) ||
		    (b < be && !debver_digit(b, be))) {
			ac = a < ae ? debver_order((unsigned char)*a) : 0;
			bc = b < be ? debver_order((unsigned char)*b) : 0;
			if (ac != bc)
				return ac < bc ? -1 : 1;
			a++;
			b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (debver_digit(a, ae) && debver_digit(b, be)) {
			if (first == 0)
				first = *a - *b;
			a++;
			b++;
		}
		if (debver_digit(a, ae))
			return 1;
		if (debver_digit(b, be))
			return -1;
		if (first != 0)
			return first < 0 ? -1 : 1;
	}
	return 0;
}

/* The epoch of V (digits before a ':'), and where the rest starts. */
static unsigned long long
debver_epoch(const char *v, const char **rest)
{
	const char		*c = strchr(v, ':'), *p;
	unsigned long long	 e = 0;

	*rest = v;
	if (c == NULL)
		return 0;
	for (p = v; p < c; p++) {
		if (*p < '0' || *p > '9')
			return 0;	/* not an epoch: compared as text */
		if (e < 1000000000ULL)
			e = e * 10 + (unsigned long long)(*p - '0');
	}
	*rest = c + 1;
	return e;
}

int
cs_deb_vercmp(const char *a, const char *b)
{
	const char		*ra, *rb, *ha, *hb, *ea, *eb;
	unsigned long long	 xa, xb;
	int			 c;

	xa = debver_epoch(a, &ra);
	xb = debver_epoch(b, &rb);
	if (xa != xb)
		return xa < xb ? -1 : 1;
	/* the revision follows the last '-' */
	ea = ra + strlen(ra);
	eb = rb + strlen(rb);
	ha = strrchr(ra, '-');
	hb = strrchr(rb, '-');
	if ((c = debver_part(ra, ha != NULL ? ha : ea, rb,
	    hb != NULL ? hb : eb)) != 0)
		return c;
	return debver_part(ha != NULL ? ha + 1 : ea, ea,
	    hb != NULL ? hb + 1 : eb, eb);
}
