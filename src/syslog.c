/*
 * syslog.c: RFC 3164 datagrams to a local syslog socket (syslog.h).
 *
 * One connected SOCK_DGRAM socket; each message is one send.  A daemon
 * that does not read its socket must not stall the caller: sends do not
 * block, and a full socket buffer is waited on at most three times for
 * a second before the message is given up.  The caller decides what a
 * failure means (for check: a warning, never a different verdict).
 */
#include "custos/custos.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "custos/buf.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/syslog.h"
#include "custos/xmalloc.h"

#define SYSLOG_WAIT_MS	1000

struct cs_syslog {
	int		 fd;
	int		 facility;
	char		*tag;
	long		 pid;
	struct cs_buf	 msg;
};

/* Month names of RFC 3164's timestamp, whatever the locale. */
static const char *const syslog_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void
cs_syslog_format(struct cs_buf *out, int pri, time_t t, const char *tag,
    long pid, const char *msg)
{
	struct tm	 tm;
	size_t		 start = out->len;

	if (localtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	cs_buf_printf(out, "<%d>%s %2d %02d:%02d:%02d %s[%ld]: %s", pri,
	    syslog_months[tm.tm_mon >= 0 && tm.tm_mon < 12 ? tm.tm_mon : 0],
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tag, pid, msg);
	if (out->len - start > CS_SYSLOG_MAX) {
		out->len = start + CS_SYSLOG_MAX - 3;
		cs_buf_adds(out, "...");
	}
}

struct cs_syslog *
cs_syslog_open(const char *path, const char *tag, int facility,
    struct cs_err *err)
{
	struct sockaddr_un	 sun;
	struct cs_syslog	*s;
	char			*shown;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		shown = cs_encode_dup(path);
		cs_err_set(err, CS_EXIT_USAGE, 0, "syslog socket path '%s' is "
		    "too long", shown);
		free(shown);
		return NULL;
	}
	memcpy(sun.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		shown = cs_encode_dup(path);
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot connect to the "
		    "syslog socket '%s'", shown);
		free(shown);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	s = cs_xcalloc(1, sizeof *s);
	s->fd = fd;
	s->facility = facility;
	s->tag = cs_xstrdup(tag);
	s->pid = (long)getpid();
	cs_buf_init(&s->msg);
	return s;
}

int
cs_syslog_send(struct cs_syslog *s, int level, const char *msg,
    struct cs_err *err)
{
	struct pollfd	 pfd;
	ssize_t		 n;
	int		 waits = 0;

	cs_buf_reset(&s->msg);
	cs_syslog_format(&s->msg, s->facility | level, time(NULL), s->tag,
	    s->pid, msg);
	for (;;) {
		n = send(s->fd, s->msg.data, s->msg.len,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != ENOBUFS)
			break;
		pfd.fd = s->fd;
		pfd.events = POLLOUT;
		if (++waits > 3 || poll(&pfd, 1, SYSLOG_WAIT_MS) <= 0) {
			errno = EAGAIN;
			break;
		}
	}
	return cs_err_set(err, CS_EXIT_IOERR, errno, "cannot send to syslog");
}

void
cs_syslog_close(struct cs_syslog *s)
{
	if (s == NULL)
		return;
	close(s->fd);
	cs_buf_release(&s->msg);
	free(s->tag);
	free(s);
}
