/*
 * fuzz_deb.c: the parsers of Debian's archive chain (deb822.c) on
 * hostile text: the same bytes as a Release, as a Packages index (whole,
 * and fed in pieces as the chain feeds a decompressed index), as a
 * control file, and as an apt list file name.
 */
#include "custos/custos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "custos/deb.h"
#include "custos/xmalloc.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data, *why;
	struct cs_deb_release	 r;
	struct cs_deb_index	 x;
	struct cs_deb_pkg	 p;
	struct cs_deb822	*d;
	uint64_t		 line;
	size_t			 i, k;
	char			*name, *path;
	int			 rc = 0;

	if (cs_deb_release_parse(s, size, &r, &why, &line) == 0) {
		for (i = 0; i < r.nfiles; i++)
			(void)cs_deb_release_find(&r, r.files[i].path,
			    strlen(r.files[i].path));
		cs_deb_release_release(&r);
	}
	cs_deb_index_init(&x);
	(void)cs_deb_packages_parse(&x, s, size, &why, &line);
	cs_deb_index_sort(&x);
	for (i = 0; i < x.npkgs; i++)
		(void)cs_deb_index_find(&x, &x.pkgs[i]);
	cs_deb_index_release(&x);
	cs_deb_index_init(&x);
	d = cs_deb_packages_parser(&x);
	for (i = 0; rc == 0 && i < size; i += k) {
		k = size - i < 7 ? size - i : 7;
		rc = cs_deb822_feed(d, s + i, k, &why);
	}
	if (rc == 0)
		(void)cs_deb822_end(d, &why);
	cs_deb822_free(d);
	cs_deb_index_release(&x);
	if (cs_deb_control_parse(s, size, &p, &why) == 0)
		cs_deb_pkg_release(&p);
	name = cs_xmalloc(size + 1);
	memcpy(name, data, size);
	name[size] = '\0';
	if ((path = cs_deb_list_path(name, "a_dists_b_")) != NULL)
		free(path);
	(void)cs_deb_date_parse(name, &(int64_t){ 0 });
	free(name);
	return 0;
}
