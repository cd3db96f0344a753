/*
 * genbase.c: synthetic baselines for the scale benchmark (bench/scale.sh).
 *
 * Writes a well-formed, unsigned custos baseline of N generated files,
 * 1000 to a directory ("/d000000/f000" ...), in canonical order, with
 * the trailer's SHA-256 computed as it writes: no tree is walked, so the
 * cost measured downstream (merge, diff) is custos's alone.  With
 * "-s I/S" it writes shard I of S: the directories are split evenly
 * among the shards and the header names the shard, its range and a
 * fixed plan digest, as baseline --shard does.  With "-c K", K files
 * spread evenly get another size and digest (the changes a diff finds).
 * Output is deterministic: the same arguments give the same bytes (the
 * creation time is fixed too).
 *
 * usage: genbase -n FILES [-s I/S] [-c K] > OUT.cbl
 * build: cc -O2 -o genbase genbase.c -lcrypto
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#define PER_DIR		1000
#define PLAN_SHA256	"5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e" \
			"5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e"

static EVP_MD_CTX	*sha;
static char		 obuf[1 << 20];
static size_t		 olen;
static uint64_t		 nrec;

static void
flush_out(void)
{
	EVP_DigestUpdate(sha, obuf, olen);
	if (fwrite(obuf, 1, olen, stdout) != olen) {
		perror("genbase: write");
		exit(74);
	}
	olen = 0;
}

static void
emit(const char *s, int n)
{
	if (olen + (size_t)n > sizeof obuf)
		flush_out();
	memcpy(obuf + olen, s, (size_t)n);
	olen += (size_t)n;
}

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
dir_record(uint64_t d)
{
	char	 l[256];
	int	 n;

	n = snprintf(l, sizeof l, "/d%06" PRIu64 " type=dir mode=0755 uid=0 "
	    "gid=0 size=0 mtime=1700000000.000000000 ctime=1700000000."
	    "000000000 ino=%" PRIu64 " nlink=2\n", d, d + 2);
	emit(l, n);
	nrec++;
}

static void
file_record(uint64_t d, uint64_t f, int changed)
{
	char		 l[320];
	uint64_t	 id = d * PER_DIR + f, h = mix(id + (changed ? 7 : 0));
	int		 n;

	n = snprintf(l, sizeof l, "/d%06" PRIu64 "/f%03" PRIu64 " type=file "
	    "mode=0644 uid=0 gid=0 size=%" PRIu64 " mtime=1700000000."
	    "000000000 ctime=1700000000.000000000 ino=%" PRIu64 " nlink=1 "
	    "sha256=%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64
	    "\n", d, f, (h & 0xffff) + (changed ? 1 : 0), id + 1000000000,
	    h, mix(h), mix(h + 1), mix(h + 2));
	emit(l, n);
	nrec++;
}

int
main(int argc, char **argv)
{
	unsigned char	 md[32];
	char		 l[256];
	uint64_t	 files = 0, ndirs, d0, d1, d, f, k = 0, every = 0, id;
	unsigned	 si = 1, sn = 1, i;
	int		 c, n;

	while ((c = getopt(argc, argv, "n:s:c:")) != -1) {
		switch (c) {
		case 'n': files = strtoull(optarg, NULL, 10); break;
		case 's':
			if (sscanf(optarg, "%u/%u", &si, &sn) != 2 || si < 1 ||
			    si > sn)
				goto usage;
			break;
		case 'c': k = strtoull(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (files == 0)
		goto usage;
	if (k > 0)
		every = files / k > 0 ? files / k : 1;
	ndirs = (files + PER_DIR - 1) / PER_DIR;
	d0 = ndirs * (si - 1) / sn;
	d1 = ndirs * si / sn;
	if ((sha = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(sha, EVP_sha256(), NULL) != 1)
		return 70;
	n = snprintf(l, sizeof l, "#custos-baseline 2\n#created=2026-01-01"
	    "T00:00:00Z\n#host=bench\n#root=/bench\n#digests=sha256\n"
	    "#tool=genbase\n#filesystems=one\n");
	emit(l, n);
	if (sn > 1) {
		n = snprintf(l, sizeof l, "#shard=%u/%u\n", si, sn);
		emit(l, n);
		if (si > 1) {
			n = snprintf(l, sizeof l, "#shard-from=/d%06" PRIu64
			    "\n", d0);
			emit(l, n);
		}
		if (si < sn) {
			n = snprintf(l, sizeof l, "#shard-to=/d%06" PRIu64
			    "\n", d1);
			emit(l, n);
		}
		emit("#plan-sha256=" PLAN_SHA256 "\n", 13 + 64 + 1);
	}
	if (si == 1) {
		n = snprintf(l, sizeof l, "/ type=dir mode=0755 uid=0 gid=0 "
		    "size=0 mtime=1700000000.000000000 ctime=1700000000."
		    "000000000 ino=2 nlink=2\n");
		emit(l, n);
		nrec++;
	}
	for (d = d0; d < d1; d++) {
		dir_record(d);
		for (f = 0; f < PER_DIR; f++) {
			id = d * PER_DIR + f;
			if (id >= files)
				break;
			file_record(d, f, every > 0 && id % every == every / 2);
		}
	}
	flush_out();
	EVP_DigestFinal_ex(sha, md, NULL);
	printf("#end records=%" PRIu64 " errors=0 sha256=", nrec);
	for (i = 0; i < sizeof md; i++)
		printf("%02x", md[i]);
	printf("\n");
	EVP_MD_CTX_free(sha);
	return fflush(stdout) == 0 ? 0 : 74;
usage:
	fprintf(stderr, "usage: genbase -n FILES [-s I/S] [-c K]\n");
	return 64;
}
