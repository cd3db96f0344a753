/*
 * snap_custody.h: the facts of an evidence snapshot: its custody record
 * (the first member, "in-progress", and the signed sidecar at the end)
 * and the header of its manifest.  custody.h formats and signs them.
 */
#ifndef CUSTOS_SNAP_CUSTODY_H
#define CUSTOS_SNAP_CUSTODY_H

#include <stdint.h>

struct cs_bl_header;
struct cs_buf;
struct cs_entry;
struct cs_err;
struct cs_key;
struct cs_snap_opts;
struct cs_snap_result;

/* The facts known before the first byte is written, into H. */
void		 cs_snap_custody_start(struct cs_bl_header *,
		    const struct cs_snap_opts *, const char *);
/* Note the error of record E. */
void		 cs_snap_custody_error(struct cs_bl_header *,
		    const struct cs_entry *);
/* The first member: the record H as it stands, "in-progress", into B. */
int		 cs_snap_custody_initial(const struct cs_bl_header *,
		    const struct cs_key *, struct cs_buf *, struct cs_err *);
/*
 * The manifest's header MH, from the custody record H, the options,
 * the start and end times and the number of members.
 */
void		 cs_snap_custody_manifest_header(struct cs_bl_header *,
		    const struct cs_bl_header *, const struct cs_snap_opts *,
		    const char *, const char *, uint64_t);
/*
 * Add the end facts of result R to H (the stream's too if STREAM_DONE,
 * with the manifest's SHA-256 MDIG) and write the sidecar r->custody,
 * reserved as FD (cs_custody_reserve).
 */
int		 cs_snap_custody_finish(struct cs_bl_header *, int,
		    const struct cs_snap_result *, const char *, int,
		    const unsigned char *, const struct cs_key *,
		    struct cs_err *);

#endif /* CUSTOS_SNAP_CUSTODY_H */
