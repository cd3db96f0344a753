/*
 * cmd_fleet.c: `custos fleet-report`, the JSON Lines check reports of
 * several hosts summed up: findings grouped across hosts (the same path
 * with the same new content on several hosts first: the supply-chain
 * signal), then counts by severity per host.
 *
 * Every report is read strictly (report_read.c); grouping is fleet.c.
 * Host names, paths and file names are printed in the canonical encoding
 * (path.h), as every report prints them.
 */
#include "custos/custos.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/cmd.h"
#include "custos/diff.h"
#include "custos/err.h"
#include "custos/fleet.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/report.h"
#include "custos/report_merge.h"
#include "custos/report_read.h"
#include "custos/xmalloc.h"

struct cmd_fleet_opts {
	const char	*output;
	int		 force;
	int		 json;
	size_t		 min_hosts;
};

struct cmd_fleet_ctx {
	struct cs_buf		*b;
	struct cs_report_file	*r;
	size_t			 n;
	const struct cs_fleet	*fl;
	size_t			 min_hosts;
};

static const struct option cmd_fleet_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "format", required_argument, NULL, 'F' },
	{ "min-hosts", required_argument, NULL, 'm' },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_fleet_parse(int argc, char **argv, struct cmd_fleet_opts *o,
    struct cs_err *err)
{
	char		*end;
	unsigned long	 k;
	int		 c;

	memset(o, 0, sizeof *o);
	o->min_hosts = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:fF:", cmd_fleet_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'F':
			if (strcmp(optarg, "text") != 0 &&
			    strcmp(optarg, "json") != 0)
				return cs_err_set(err, CS_EXIT_USAGE, 0,
				    "bad format '%s' (text or json)", optarg);
			o->json = strcmp(optarg, "json") == 0;
			break;
		case 'm':
			k = strtoul(optarg, &end, 10);
			if (*optarg < '1' || *optarg > '9' || *end != '\0' ||
			    k > 1000000000)
				return cs_err_set(err, CS_EXIT_USAGE, 0,
				    "bad --min-hosts '%s'", optarg);
			o->min_hosts = k;
			break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "bad option (see custos help fleet-report)");
		}
	}
	if (optind >= argc)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "no reports");
	return 0;
}

/* The host of report R (raw), "unknown" if it names none. */
static const char *
cmd_fleet_name(const struct cs_report_file *r)
{
	return r->sum.host != NULL ? r->sum.host : "unknown";
}

/* Append the host of report R, encoded. */
static void
cmd_fleet_host(struct cs_buf *b, const struct cs_report_file *r)
{
	cs_encode_str(b, cmd_fleet_name(r));
}

/* The kinds of a group, "added,changed". */
static void
cmd_fleet_kinds(struct cs_buf *b, unsigned kinds, int json)
{
	int	 k, any = 0;

	for (k = 0; k < CS_K_COUNT; k++) {
		if ((kinds & (1U << k)) == 0)
			continue;
		cs_buf_printf(b, json ? "%s\"%s\"" : "%s%s", any++ ? "," : "",
		    cs_kind_name((enum cs_kind)k));
	}
}

/* Findings of report R by severity. */
static void
cmd_fleet_count(const struct cs_report_file *r, uint64_t *sev)
{
	size_t	 i;

	memset(sev, 0, CS_SEV_COUNT * sizeof *sev);
	for (i = 0; i < r->n; i++)
		sev[r->fs[i]->severity]++;
}

static void
cmd_fleet_text(struct cmd_fleet_ctx *c)
{
	const struct cs_fleet_group	*g;
	struct cs_buf			*b = c->b;
	uint64_t			 sev[CS_SEV_COUNT];
	size_t				 i, j, left = 0;
	int				 s;

	cs_buf_printf(b, "custos fleet-report: %zu hosts, %zu groups of "
	    "findings\n\nFindings by number of hosts (same path, same new "
	    "content), then severity:\n", c->n, c->fl->n);
	for (i = 0; i < c->fl->n; i++) {
		g = &c->fl->g[i];
		if (g->nhosts < c->min_hosts) {
			left++;
			continue;
		}
		cs_buf_printf(b, "%zu/%zu %s ", g->nhosts, c->n,
		    cs_sev_name(g->severity));
		cmd_fleet_kinds(b, g->kinds, 0);
		cs_buf_printf(b, " %s %s\n    hosts:", g->f->shown,
		    g->digest != NULL ? g->digest : "-");
		for (j = 0; j < g->nhosts; j++) {
			cs_buf_addc(b, ' ');
			cmd_fleet_host(b, &c->r[g->hosts[j]]);
		}
		cs_buf_addc(b, '\n');
	}
	if (left > 0)
		cs_buf_printf(b, "(%zu more on fewer than %zu hosts)\n", left,
		    c->min_hosts);
	cs_buf_adds(b, "\nPer host: critical high medium low info exit "
	    "host report\n");
	for (i = 0; i < c->n; i++) {
		cmd_fleet_count(&c->r[i], sev);
		for (s = CS_SEV_CRITICAL; s >= 0; s--)
			cs_buf_printf(b, "%" PRIu64 " ", sev[s]);
		cs_buf_printf(b, "%d ", c->r[i].sum.exit);
		cmd_fleet_host(b, &c->r[i]);
		cs_buf_addc(b, ' ');
		cs_encode_str(b, c->r[i].name);
		cs_buf_addc(b, '\n');
	}
}

static void
cmd_fleet_json(struct cmd_fleet_ctx *c)
{
	const struct cs_fleet_group	*g;
	struct cs_buf			*b = c->b;
	uint64_t			 sev[CS_SEV_COUNT];
	size_t				 i, j;
	int				 s;

	cs_buf_printf(b, "{\"type\":\"fleet\",\"format\":\"custos-fleet-"
	    "report\",\"version\":1,\"hosts\":%zu,\"groups\":%zu}\n", c->n,
	    c->fl->n);
	for (i = 0; i < c->fl->n; i++) {
		g = &c->fl->g[i];
		if (g->nhosts < c->min_hosts)
			continue;
		cs_buf_printf(b, "{\"type\":\"group\",\"hosts\":%zu,"
		    "\"severity\":\"%s\",\"kinds\":[", g->nhosts,
		    cs_sev_name(g->severity));
		cmd_fleet_kinds(b, g->kinds, 1);
		cs_buf_adds(b, "],\"path\":");
		cs_json_str(b, g->f->shown);
		cs_buf_adds(b, ",\"digest\":");
		if (g->digest != NULL)
			cs_json_str(b, g->digest);
		else
			cs_buf_adds(b, "null");
		cs_buf_adds(b, ",\"on\":[");
		for (j = 0; j < g->nhosts; j++) {
			if (j > 0)
				cs_buf_addc(b, ',');
			cs_json_bytes(b, cmd_fleet_name(&c->r[g->hosts[j]]),
			    strlen(cmd_fleet_name(&c->r[g->hosts[j]])));
		}
		cs_buf_adds(b, "]}\n");
	}
	for (i = 0; i < c->n; i++) {
		cmd_fleet_count(&c->r[i], sev);
		cs_buf_adds(b, "{\"type\":\"host\",\"host\":");
		cs_json_bytes(b, cmd_fleet_name(&c->r[i]),
		    strlen(cmd_fleet_name(&c->r[i])));
		cs_buf_adds(b, ",\"report\":");
		cs_json_bytes(b, c->r[i].name, strlen(c->r[i].name));
		cs_buf_printf(b, ",\"findings\":%zu,\"severity\":{", c->r[i].n);
		for (s = CS_SEV_CRITICAL; s >= 0; s--)
			cs_buf_printf(b, "\"%s\":%" PRIu64 "%s", cs_sev_name(s),
			    sev[s], s > 0 ? "," : "");
		cs_buf_printf(b, "},\"exit\":%d}\n", c->r[i].sum.exit);
	}
}

static int
cmd_fleet_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_fleet_opts	 o;
	struct cmd_fleet_ctx	 c;
	struct cs_report_file	*r = NULL;
	struct cs_fleet		 fl;
	struct cs_buf		 out;
	size_t			 n = 0;
	int			 rc = -1;

	memset(&fl, 0, sizeof fl);
	cs_buf_init(&out);
	if (cmd_fleet_parse(argc, argv, &o, err) != 0)
		goto out;
	if (o.output != NULL && strcmp(o.output, "-") != 0 &&
	    cs_atomic_check(o.output, o.force, err) != 0)
		goto out;
	if (cs_report_read_all(&r, &n, argv + optind,
	    (size_t)(argc - optind), err) != 0)
		goto out;
	if (cs_fleet_group(&fl, r, n, err) != 0)
		goto out;
	c.b = &out;
	c.r = r;
	c.n = n;
	c.fl = &fl;
	c.min_hosts = o.min_hosts;
	if (o.json)
		cmd_fleet_json(&c);
	else
		cmd_fleet_text(&c);
	if (cs_report_emit(o.output, o.force, out.data, out.len, err) == 0)
		rc = 0;
out:
	cs_fleet_release(&fl);
	cs_report_files_free(r, n);
	cs_buf_release(&out);
	return rc;
}

const struct cs_cmd cs_cmd_fleet_report = {
	.name = "fleet-report",
	.alias = NULL,
	.usage = "[--format text|json] [--min-hosts K] [-o OUT [-f]] "
	    "REPORT.jsonl...",
	.summary = "group the findings of several hosts' check reports",
	.help =
	    "  REPORT.jsonl are JSON Lines reports of custos check, one\n"
	    "  per host (the host their baseline names)\n"
	    "  -F, --format FMT         text (default) or json (JSON Lines)\n"
	    "      --min-hosts K        list only findings on K hosts or\n"
	    "                           more (default 1: all)\n"
	    "  -o, --output OUT         write to OUT\n"
	    "  -f, --force              replace OUT if it exists\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_fleet_run,
};
