/**
 * @file prov_int.h  dpprovision's internal interfaces
 */
#ifndef DESKPHONE_PROV_INT_H
#define DESKPHONE_PROV_INT_H

#include <cjson/cJSON.h>
#include "provision.h"

/* --- strict JSON (json.c) ----------------------------------------------- */

/*
 * Parse `len` bytes as one JSON object.  Refused: NUL bytes or \u0000,
 * invalid UTF-8, syntax errors (with line:column), anything after the
 * object, a top level that is not an object.
 */
cJSON *pj_parse(const char *file, const char *buf, size_t len,
		struct prov_report *rep);
/* `obj` is an object whose members are all in `allowed` (NULL-ended),
 * none twice.  Messages name `file: path.member`. */
bool pj_fields(const cJSON *obj, const char *file, const char *path,
	       const char *const allowed[], struct prov_report *rep);
const cJSON *pj_member(const cJSON *obj, const char *name);
/* "parent.name" (or "name"), "parent[i]". */
void pj_path(char *buf, size_t sz, const char *parent, const char *name);
void pj_path_index(char *buf, size_t sz, const char *parent, size_t i);
/*
 * A string member: missing (when required), wrong type, too long (does
 * not fit `sz`) and whatever `check` returns are reported.  A missing
 * optional member leaves out[] = "".  Returns false on any problem.
 */
typedef const char *(pj_check_h)(const char *val);
bool pj_string(const cJSON *obj, const char *name, bool required,
	       char *out, size_t sz, pj_check_h *check, const char *file,
	       const char *path, struct prov_report *rep);
/* An integer member in [min, max]; missing optional leaves *out alone. */
bool pj_uint(const cJSON *obj, const char *name, bool required,
	     uint64_t min, uint64_t max, uint64_t *out, const char *file,
	     const char *path, struct prov_report *rep);
bool pj_bool(const cJSON *obj, const char *name, bool *out,
	     const char *file, const char *path, struct prov_report *rep);
/* cJSON text → mem string (cJSON's own buffer freed). */
int pj_print(cJSON *root, char **textp);


/* --- field rules (fields.c): NULL when fine, else what is wrong ---------- */

const char *pv_text(const char *s);          /* printable, no $ */
const char *pv_display_name(const char *s);
const char *pv_host_port(const char *s);
const char *pv_sip_user(const char *s);
const char *pv_password(const char *s);
const char *pv_extension(const char *s);
const char *pv_time_zone(const char *s);
const char *pv_label(const char *s);
const char *pv_target(const char *s);
const char *pv_file_name(const char *s);
const char *pv_serial(const char *s);
const char *pv_mac(const char *s);
const char *pv_codec(const char *s);
const char *pv_timestamp(const char *s);
bool pv_utf8(const char *s, size_t len);
/* baresip's name for a codec: "G722" → "G722/16000/1". */
const char *pv_codec_baresip(const char *s);
/* A stick path: relative, [A-Za-z0-9._-] components, no . or .. */
bool pv_stick_path(const char *path);
/* mac12 or serial-<serial> */
bool pv_phone_id(const char *id);

int  prov_line_keys_parse(struct prov_phone *p, const char *text,
			  const char *where, struct prov_report *rep);
const char *prov_key_type_name(enum prov_key_type t);


/* --- the manifest and its signature (manifest.c) ------------------------- */

struct prov_mfile {
	struct le le;
	struct le he;            /* in prov_manifest.fidx */
	char *path;
	uint64_t size;
	uint8_t sha256[32];
};

struct prov_mphone {
	struct le le;
	struct le he;            /* in prov_manifest.pidx */
	char *id;
	char *path;
};

struct prov_manifest {
	uint64_t version;
	char created[24];
	char site[65];
	char key_id[17];
	bool trust_on_first_use;
	struct list files;       /* struct prov_mfile, in order */
	struct list phones;      /* struct prov_mphone, in order */
	struct hash *fidx;       /* the same, by path and by id */
	struct hash *pidx;
};

void prov_manifest_init(struct prov_manifest *m);
void prov_manifest_reset(struct prov_manifest *m);
int  prov_manifest_parse(struct prov_manifest *m, const char *buf,
			 size_t len, struct prov_report *rep);
int  prov_manifest_print(const struct prov_manifest *m, char **textp);
int  prov_manifest_add_file(struct prov_manifest *m, const char *path,
			    const void *data, size_t len);
int  prov_manifest_add_phone(struct prov_manifest *m, const char *id,
			     const char *path);
const struct prov_mfile *prov_manifest_file(const struct prov_manifest *m,
					    const char *path);
const char *prov_manifest_phone(const struct prov_manifest *m,
				const char *id);

struct prov_sig {
	char key_id[17];
	uint8_t sig[PROV_SIG_LEN];
};

int prov_sig_parse(struct prov_sig *s, const char *buf, size_t len,
		   struct prov_report *rep);
int prov_sig_print(const struct prov_sig *s, char **textp);


/* --- reading a stick safely (stick.c) ------------------------------------ */

struct prov_stick {
	int dirfd;              /* the deskphone-provisioning folder */
	bool root_missing;      /* the stick itself could not be opened */
	const struct prov_io *io;
};

/* Opens <root>/deskphone-provisioning; it must be a real directory. */
int  prov_stick_open(struct prov_stick *st, const char *root,
		     const struct prov_io *io);
void prov_stick_close(struct prov_stick *st);
/*
 * Read `rel` (checked with pv_stick_path; no component may be a symbolic
 * link; it must be a regular file of at most `max` bytes) into a
 * NUL-terminated buffer from mem_alloc.
 */
int  prov_stick_read(struct prov_stick *st, const char *rel, size_t max,
		     char **bufp, size_t *lenp);
/* Message for a prov_stick_read() error on `rel`. */
void prov_stick_why(char *buf, size_t sz, const char *rel, int err,
		    size_t max);
/* Write results/<id>.json (padded to PROV_RESULT_SIZE): aside then
 * rename, or in place when `in_place` (no new space needed). */
int  prov_stick_write_result(struct prov_stick *st, const char *id,
			     const char *json, bool in_place);

int  prov_fault(const struct prov_io *io, const char *op, const char *path);


/* --- the phone's state (state.c) ----------------------------------------- */

#define PROV_BLOCK_BEGIN "# >>> deskphone provisioning"
#define PROV_BLOCK_END   "# <<< deskphone provisioning"

/* Our block for ${local_conf}: names the generations, then `body`. */
int  prov_block_make(const char *generation, const char *previous,
		     const char *body, size_t bodylen, char **blockp);
/* ${provision_dir}/last-result.json, best effort. */
void prov_save_last(const char *provision_dir, const struct prov_outcome *o);
int  prov_lock(const char *provision_dir, int *fdp);
void prov_unlock(int fd);
/* The text of local_conf without our block (mem string, may be ""). */
int  prov_local_conf_outside(const char *local_conf, char **textp);
/* Replace our block in local_conf with `block` ("" removes it). */
int  prov_local_conf_commit(const char *local_conf, const char *block,
			    const struct prov_io *io);
int  prov_highest_read(const char *provision_dir, uint64_t *version,
		       uint8_t digest[32], bool *have);
int  prov_highest_write(const char *provision_dir, uint64_t version,
			const uint8_t digest[32], const struct prov_io *io);
/* Remove gen/ entries other than `keep1` and `keep2` (and stale temps). */
void prov_gen_prune(const char *provision_dir, const char *keep1,
		    const char *keep2);
int  prov_rm_tree(const char *path);
int  prov_write_file(const char *path, const void *data, size_t len,
		     const struct prov_io *io);
void prov_now(char *buf, size_t sz);

/* Trusted keys: factory directory and keys pinned on first use. */
int prov_trusted_find(const struct prov_phone_cfg *cfg, const char *key_id,
		      struct prov_key **kp, unsigned *ntrusted);
/* trust.c: a new key and the person's answer.  0: pin it; else
 * EPERM, the reason set (and trust_asked when nobody was asked yet). */
int prov_trust_decide(const struct prov_trust_answer *ans,
		      const char *key_id, const char *manifest_hex,
		      struct prov_outcome *out);


/* --- sealed accounts (accounts.c) ---------------------------------------- */

/* accounts.json for one phone, the password sealed under the device key. */
int prov_accounts_build(const struct prov_site *site,
			const struct prov_phone *p,
			const uint8_t secret[32], char **jsonp);
/* The account line baresip gets (no password). */
int prov_account_line(const struct prov_site *site,
		      const struct prov_phone *p, char **linep, char **aorp);

#endif
