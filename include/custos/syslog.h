/*
 * syslog.h: RFC 3164 messages to a local syslog socket.
 *
 * syslog(3) writes to a socket path compiled into the C library and keeps
 * process-wide state; this sender writes each message as one datagram to
 * the Unix datagram socket it is given (/dev/log by default), so a test
 * can bind its own.  A message is "<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG",
 * as syslog(3) writes it to the local socket (the local daemon adds the
 * host name), cut to CS_SYSLOG_MAX bytes with "..." at the end.
 */
#ifndef CUSTOS_SYSLOG_H
#define CUSTOS_SYSLOG_H

#include <stddef.h>
#include <time.h>

struct cs_buf;
struct cs_err;

#define CS_SYSLOG_MAX		1024	/* bytes per message, RFC 3164 */
#define CS_SYSLOG_SOCKET	"/dev/log"

struct cs_syslog;

/*
 * Connect to the datagram socket PATH; messages carry TAG and FACILITY
 * (LOG_AUTHPRIV, ...).  Returns NULL with the reason in ERR.
 */
struct cs_syslog *cs_syslog_open(const char *, const char *, int,
		    struct cs_err *);
/* Send MSG (printable ASCII) at LEVEL (LOG_CRIT, ...).  0, or -1. */
int		 cs_syslog_send(struct cs_syslog *, int, const char *,
		    struct cs_err *);
void		 cs_syslog_close(struct cs_syslog *);
/*
 * Append the message for priority PRI (facility | level) at time T (local
 * time), with TAG, process id PID and text MSG, to OUT.
 */
void		 cs_syslog_format(struct cs_buf *, int, time_t, const char *,
		    long, const char *);

#endif /* CUSTOS_SYSLOG_H */
