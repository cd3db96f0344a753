/*
 * host.c: host identity, and times formatted and checked.
 */
#include "custos/custos.h"

#include <sys/utsname.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "custos/host.h"
#include "custos/xmalloc.h"

char *
cs_host_name(void)
{
	struct utsname	 u;

	if (uname(&u) != 0)
		return cs_xstrdup("unknown");
	return cs_xstrdup(u.nodename);
}

char *
cs_host_machine_id(void)
{
	char	 buf[128];
	ssize_t	 n;
	int	 fd;

	fd = open("/etc/machine-id", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] != '\0' ? cs_xstrdup(buf) : NULL;
}

char *
cs_time_rfc3339(const struct timespec *ts, int nsec)
{
	struct tm	 tm;
	char		 buf[64];
	int		 v[6], i, k;
	char		*p = buf;
	long		 ns = ts->tv_nsec;

	if (gmtime_r(&ts->tv_sec, &tm) == NULL)
		return cs_xstrdup("1970-01-01T00:00:00Z");
	if (tm.tm_year < 1000 - 1900 || tm.tm_year > 9999 - 1900 || ns < 0 ||
	    ns > 999999999) {
		(void)strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
		if (nsec)
			return cs_xasprintf("%s.%09ldZ", buf, ns);
		return cs_xasprintf("%sZ", buf);
	}
	/* what strftime's "%Y-%m-%dT%H:%M:%S" gives, written directly */
	v[0] = tm.tm_year + 1900;
	v[1] = tm.tm_mon + 1;
	v[2] = tm.tm_mday;
	v[3] = tm.tm_hour;
	v[4] = tm.tm_min;
	v[5] = tm.tm_sec;
	for (k = 1000; k > 0; k /= 10)
		*p++ = (char)('0' + v[0] / k % 10);
	for (i = 1; i < 6; i++) {
		*p++ = "--T::"[i - 1];
		*p++ = (char)('0' + v[i] / 10 % 10);
		*p++ = (char)('0' + v[i] % 10);
	}
	if (nsec) {
		*p++ = '.';
		for (k = 100000000; k > 0; k /= 10)
			*p++ = (char)('0' + ns / k % 10);
	}
	*p++ = 'Z';
	*p = '\0';
	return cs_xstrdup(buf);
}

/* N decimal digits at S as a number, or -1. */
static int
host_digits(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
cs_time_rfc3339_valid(const char *s, size_t len)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	 y, mo, d, h, mi, sec, leap, max;
	size_t	 i;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[len - 1] != 'Z')
		return 0;
	y = host_digits(s, 4);
	mo = host_digits(s + 5, 2);
	d = host_digits(s + 8, 2);
	h = host_digits(s + 11, 2);
	mi = host_digits(s + 14, 2);
	sec = host_digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60 ||
	    (sec == 60 && (h != 23 || mi != 59)))
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	max = mdays[mo - 1] + (mo == 2 && leap);
	if (d > max)
		return 0;
	if (len == 20)
		return 1;
	/* A fraction: a point and 1 to 9 digits. */
	if (s[19] != '.' || len < 22 || len > 30)
		return 0;
	for (i = 20; i < len - 1; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

struct timespec
cs_time_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

struct timespec
cs_time_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

double
cs_time_since(const struct timespec *start)
{
	struct timespec	 now = cs_time_mono();

	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}
