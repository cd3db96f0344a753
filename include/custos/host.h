/*
 * host.h: who and where: host name and identifiers, and times in the
 * one format custos writes them (RFC 3339, UTC).
 */
#ifndef CUSTOS_HOST_H
#define CUSTOS_HOST_H

#include <stddef.h>
#include <time.h>

/* Heap string: the host name (uname nodename); never NULL. */
char	*cs_host_name(void);
/* Heap string: /etc/machine-id's first line, or NULL if unavailable. */
char	*cs_host_machine_id(void);
/* Heap string "YYYY-MM-DDTHH:MM:SSZ" (with ".NNNNNNNNNZ" when NSEC). */
char	*cs_time_rfc3339(const struct timespec *, int);
/*
 * Nonzero if the LEN bytes at S are a time as custos writes them (RFC
 * 3339 in UTC: "YYYY-MM-DDTHH:MM:SSZ", with a fraction of up to nine
 * digits) that exists: no 30 February, no 25:61; a leap second only at
 * 23:59:60.
 */
int	 cs_time_rfc3339_valid(const char *, size_t);
/* The current time (CLOCK_REALTIME). */
struct timespec cs_time_now(void);
/* Seconds elapsed since START (CLOCK_MONOTONIC readings). */
double	 cs_time_since(const struct timespec *);
struct timespec cs_time_mono(void);

#endif /* CUSTOS_HOST_H */
