/*
 * host.c: host identity and time formatting.
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

	if (gmtime_r(&ts->tv_sec, &tm) == NULL)
		return cs_xstrdup("1970-01-01T00:00:00Z");
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	if (nsec)
		return cs_xasprintf("%s.%09ldZ", buf, (long)ts->tv_nsec);
	return cs_xasprintf("%sZ", buf);
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
