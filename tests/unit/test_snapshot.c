/*
 * test_snapshot.c: the evidence tar writer's pieces (pax records and
 * header splicing, member names) and, end to end, a snapshot read back
 * as a record source equals the live tree.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <sys/ioctl.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/fs.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/pipe.h"
#include "custos/sink.h"
#include "custos/snapshot.h"
#include "custos/source.h"
#include "custos/walk.h"
#include "util.h"

/* Every record length is right, also where the length gains a digit. */
static void
test_pax_record_length(void **state)
{
	struct cs_buf	 b;
	char		 v[200];
	size_t		 n;
	unsigned long	 len;

	(void)state;
	memset(v, 'a', sizeof v);
	for (n = 0; n < sizeof v; n++) {
		cs_buf_init(&b);
		cs_snap_pax_record(&b, "CUSTOS.sha256", v, n);
		len = strtoul(b.data, NULL, 10);
		assert_int_equal(len, b.len);
		assert_int_equal(b.data[b.len - 1], '\n');
		cs_buf_release(&b);
	}
}

/* A ustar header block with TYPE and SIZE, checksummed. */
static void
fake_header(unsigned char *h, char type, size_t size)
{
	char	 num[32];

	memset(h, 0, 512);
	memcpy(h, "name", 4);
	(void)snprintf(num, sizeof num, "%011zo", size & 077777777777);
	memcpy(h + 124, num, 12);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	(void)snprintf(num, sizeof num, "%06o", cs_snap_tar_cksum(h) & 0777777);
	memcpy(h + 148, num, 7);
	h[155] = ' ';
}

static void
test_pax_splice(void **state)
{
	unsigned char	 in[3 * 512];
	struct cs_buf	 rec, out;
	const char	*v;
	size_t		 vn, xsize;

	(void)state;
	cs_buf_init(&rec);
	cs_buf_init(&out);
	cs_snap_pax_record(&rec, "mtime", "1.5", 3);
	fake_header(in, 'x', rec.len);
	memset(in + 512, 0, 512);
	memcpy(in + 512, rec.data, rec.len);
	fake_header(in + 1024, '0', 0);
	cs_buf_reset(&rec);
	cs_snap_pax_record(&rec, "CUSTOS.sha256", "abcd", 4);
	assert_int_equal(cs_snap_pax_splice(&out, in, sizeof in, rec.data,
	    rec.len), 0);
	assert_int_equal(out.len % 512, 0);
	xsize = strtoul(out.data + 124, NULL, 8);
	assert_int_equal(cs_snap_pax_find(out.data + 512, xsize,
	    "CUSTOS.sha256", &v, &vn), 1);
	assert_int_equal(vn, 4);
	assert_memory_equal(v, "abcd", 4);
	assert_int_equal(cs_snap_pax_find(out.data + 512, xsize, "mtime", &v,
	    &vn), 1);
	assert_int_equal(strtoul(out.data + 148, NULL, 8),
	    cs_snap_tar_cksum((unsigned char *)out.data));
	/* the member's own header follows, unchanged */
	assert_memory_equal(out.data + out.len - 512, in + 1024, 512);
	/* a header without an extended one gets a fresh one */
	cs_buf_reset(&out);
	assert_int_equal(cs_snap_pax_splice(&out, in + 1024, 512, rec.data,
	    rec.len), 0);
	assert_int_equal(out.data[156], 'x');
	assert_int_equal(out.len, 3 * 512);
	/* not a tar header: refused */
	in[1024 + 10] ^= 1;
	assert_int_equal(cs_snap_pax_splice(&out, in + 1024, 512, rec.data,
	    rec.len), -1);
	cs_buf_release(&rec);
	cs_buf_release(&out);
}

static void
test_pax_find_malformed(void **state)
{
	const char	*v;
	size_t		 vn;

	(void)state;
	assert_int_equal(cs_snap_pax_find("99 a=b\n", 7, "a", &v, &vn), -1);
	assert_int_equal(cs_snap_pax_find("x a=b\n", 6, "a", &v, &vn), -1);
	assert_int_equal(cs_snap_pax_find("6 a=b\n", 6, "c", &v, &vn), 0);
}

static void
test_member_names(void **state)
{
	char	*n, *p;
	size_t	 len;

	(void)state;
	n = cs_snap_member_name("/", 1, 1);
	assert_string_equal(n, "tree/");
	assert_int_equal(cs_snap_member_path(n, &p, &len), 0);
	assert_int_equal(len, 1);
	free(n);
	free(p);
	n = cs_snap_member_name("/a/b c", 6, 1);
	assert_string_equal(n, "tree/a/b c/");
	assert_int_equal(cs_snap_member_path(n, &p, &len), 0);
	assert_memory_equal(p, "/a/b c", 6);
	free(n);
	free(p);
	assert_int_equal(cs_snap_member_path("custos/custody", &p, &len), -1);
	assert_int_equal(cs_snap_member_path("tree/../x", &p, &len), -1);
	assert_int_equal(cs_snap_member_path("treex/a", &p, &len), -1);
}

/* A small tree with a hard link, a symlink, a FIFO and a sparse file. */
static char *
make_tree(void)
{
	char	*root = cs_test_path("tree"), *p;
	int	 fd;

	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(cs_test_write("tree/a", "alpha\n", 6), 0);
	assert_int_equal(cs_test_write("tree/big", "x", 1), 0);
	p = cs_test_path("tree/a");
	assert_int_equal(chdir(cs_test_tmp()), 0);
	assert_int_equal(link("tree/a", "tree/a-link"), 0);
	assert_int_equal(symlink("a", "tree/sym"), 0);
	assert_int_equal(mkfifo("tree/fifo", 0600), 0);
	fd = open("tree/sparse", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "data", 4, 3000000), 4);
	assert_int_equal(ftruncate(fd, 6000000), 0);
	close(fd);
	/* small enough to be read ahead by the walk's workers */
	fd = open("tree/sparse-small", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "data", 4, 200000), 4);
	assert_int_equal(ftruncate(fd, 400000), 0);
	close(fd);
	free(p);
	return root;
}

/* Snapshot ROOT into TMP/ev.tar (inline limit INLINE). */
/*
 * Snapshot ROOT into TMP/ev.tar (inline limit INLINE), calling PROGRESS
 * (if not NULL) after each record the driver pulls, with STOP as the
 * driver's stop flag; returns the driver's result, RES filled.
 */
static int
snapshot_run(const char *root, size_t inline_max,
    void (*progress)(void *, uint64_t, uint64_t),
    volatile sig_atomic_t *stop, struct cs_snap_result *res)
{
	struct cs_snap_opts	 o;
	struct cs_walk_opts	 wo;
	struct cs_pipe_skip	 skip[1];
	struct cs_pipe_opts	 po;
	struct cs_sink		*sink;
	struct cs_source	*src = NULL;
	struct cs_err		 err;
	char			*out = cs_test_path("ev.tar");
	char			*argv[] = { (char *)"snapshot", NULL };
	int			 rc = -1;

	memset(&o, 0, sizeof o);
	o.root = root;
	o.output = out;
	o.case_id = "C";
	o.label = "L";
	o.operator_name = "O";
	o.digests = CS_DIGEST_DEFAULT;
	o.block_size = CS_SNAP_BLOCK;
	o.inline_max = inline_max;
	o.argc = 1;
	o.argv = argv;
	cs_err_init(&err);
	memset(&po, 0, sizeof po);
	po.skip = skip;
	po.progress = progress;
	po.progress_arg = (void *)cs_test_path("ev.tar.custody");
	po.stop = stop;
	cs_snapshot_walk_opts(&o, &wo);
	if ((sink = cs_sink_snapshot(&o, res, skip, &po.nskip, &err)) ==
	    NULL || (src = cs_source_tree(&wo, &err)) == NULL)
		fail_msg("snapshot: %s", err.msg);
	rc = cs_pipe_run(src, sink, &po, NULL, &err);
	cs_source_free(src);
	cs_sink_free(sink);
	free((void *)po.progress_arg);
	cs_err_release(&err);
	free(out);
	return rc;
}

static void
snapshot(const char *root, size_t inline_max)
{
	struct cs_snap_result	 r;

	assert_int_equal(snapshot_run(root, inline_max, NULL, NULL, &r), 0);
	assert_int_equal(r.status, CS_SNAP_COMPLETE);
	assert_int_equal(r.errors, 0);
	cs_snap_result_release(&r);
}

/* Plant a link at the custody record's name (ARG) while the run goes. */
static void
plant_custody(void *arg, uint64_t records, uint64_t bytes)
{
	(void)bytes;
	if (records == 2)
		assert_int_equal(symlink("elsewhere", arg), 0);
}

static volatile sig_atomic_t stop_flag;

/* Ask the run to stop, as a signal handler would, at the third record. */
static void
stop_at_three(void *arg, uint64_t records, uint64_t bytes)
{
	(void)arg;
	(void)bytes;
	if (records == 3)
		stop_flag = 1;
}

/* Is the file at PATH free of the immutable flag, and read-only? */
static void
assert_kept_read_only(const char *name)
{
	struct stat	 st;
	char		*p = cs_test_path(name);
	int		 fd, fl = 0;

	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0222, 0);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	if (ioctl(fd, FS_IOC_GETFLAGS, &fl) == 0)
		assert_int_equal(fl & FS_IMMUTABLE_FL, 0);
	close(fd);
	free(p);
}

/*
 * A link planted at the custody record's name during the run: refused
 * before the archive is sealed (not made immutable), the link left as it
 * was, the archive kept read-only.
 */
static void
test_custody_planted_during_run(void **state)
{
	struct cs_snap_result	 r;
	struct stat		 st;
	char			*root, *c;

	(void)state;
	root = make_tree();
	assert_int_equal(snapshot_run(root, 0, plant_custody, NULL, &r), -1);
	assert_int_equal(r.status, CS_SNAP_FAILED);
	assert_true(r.created);
	c = cs_test_path("ev.tar.custody");
	assert_int_equal(lstat(c, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	free(c);
	c = cs_test_path("elsewhere");
	assert_int_equal(lstat(c, &st), -1);
	free(c);
	assert_kept_read_only("ev.tar");
	cs_snap_result_release(&r);
	free(root);
}

/* A run stopped (a signal) leaves a custody record that says failed. */
static void
test_stopped_run_says_failed(void **state)
{
	struct cs_snap_result	 r;
	size_t			 n;
	char			*root, *c, *text;

	(void)state;
	root = make_tree();
	stop_flag = 0;
	assert_int_equal(snapshot_run(root, 0, stop_at_three, &stop_flag,
	    &r), -1);
	assert_int_equal(r.status, CS_SNAP_FAILED);
	c = cs_test_path("ev.tar.custody");
	text = cs_test_read(c, &n);
	assert_non_null(text);
	assert_non_null(strstr(text, "\nstatus=failed\n"));
	assert_null(strstr(text, "stream-sha256="));
	free(text);
	free(c);
	assert_kept_read_only("ev.tar");
	assert_kept_read_only("ev.tar.custody");
	cs_snap_result_release(&r);
	free(root);
}

/* The tar source yields exactly the records of the live tree. */
static void
compare_sources(const char *root)
{
	struct cs_walk_opts	 w;
	struct cs_source	*a, *b;
	struct cs_entry		*ea, *eb;
	struct cs_buf		 la, lb;
	struct cs_err		 err;
	char			*tar = cs_test_path("ev.tar");
	int			 na, nb, n = 0;

	memset(&w, 0, sizeof w);
	w.digests = CS_DIGEST_DEFAULT;
	cs_err_init(&err);
	a = cs_source_open(root, &w, &err);
	b = cs_source_open(tar, &w, &err);
	if (a == NULL || b == NULL)
		fail_msg("open: %s", err.msg);
	assert_string_equal(cs_source_kind(b), "tar");
	for (;;) {
		na = cs_source_next(a, &ea, &err);
		nb = cs_source_next(b, &eb, &err);
		assert_int_equal(na, nb);
		if (na != 1)
			break;
		cs_buf_init(&la);
		cs_buf_init(&lb);
		cs_bl_format(&la, ea);
		cs_bl_format(&lb, eb);
		assert_string_equal(cs_buf_str(&la), cs_buf_str(&lb));
		cs_buf_release(&la);
		cs_buf_release(&lb);
		cs_entry_free(ea);
		cs_entry_free(eb);
		n++;
	}
	assert_int_equal(na, 0);
	assert_int_equal(n, 8);
	cs_source_free(a);
	cs_source_free(b);
	cs_err_release(&err);
	free(tar);
}

static void
test_tar_source_equals_tree(void **state)
{
	char	*root;

	(void)state;
	root = make_tree();
	snapshot(root, 0);
	compare_sources(root);
	free(root);
}

/* Files past the inline limit are streamed; nothing else changes. */
static void
test_streamed_files(void **state)
{
	struct cs_evidence_opts	 o;
	struct cs_err		 err;
	char			*root, *tar;

	(void)state;
	root = make_tree();
	snapshot(root, 2);
	compare_sources(root);
	tar = cs_test_path("ev.tar");
	memset(&o, 0, sizeof o);
	o.file = tar;
	o.allow_unsigned = 1;
	cs_err_init(&err);
	assert_int_equal(cs_evidence_verify(&o, &err), 0);
	cs_err_release(&err);
	free(tar);
	free(root);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, cs_test_setup_tmp, \
		    cs_test_teardown_tmp)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pax_record_length),
		T(test_pax_splice),
		T(test_pax_find_malformed),
		T(test_member_names),
		T(test_tar_source_equals_tree),
		T(test_streamed_files),
		T(test_custody_planted_during_run),
		T(test_stopped_run_says_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
