/**
 * @file provision.h  USB provisioning (library dpprovision): the
 *                    installer's signed stick, and the phone applying it
 *                    atomically
 *
 * The stick, as `prov_make()` writes it (docs/provisioning.md):
 *
 *   <stick>/deskphone-provisioning/
 *       manifest.json     format, version, site, key id; every file with
 *                         its size and SHA-256; which file serves which phone
 *       manifest.sig      Ed25519 signature over manifest.json's bytes
 *       signing-key.pub   the installer's public key (read only for trust
 *                         on first use)
 *       site.json         site defaults
 *       phones/<id>.json  one per phone; <id> is the MAC as 12 lower-case
 *                         hex digits, or serial-<serial>
 *       support.pub       optional: the support team's public key
 *       results/<id>.json written back by each phone (never a secret)
 *
 * The phone keeps, under its provisioning directory (0700):
 *
 *   gen/<generation>/     one applied configuration: accounts.json (the
 *                         SIP password sealed with the device key),
 *                         settings.conf, no-accounts, support.pub
 *   highest               highest version ever applied and its digest
 *   trusted-keys/         keys trusted on first use (<key id>.pub)
 *   last-result.json      the last outcome (what `status` shows)
 *   lock                  held while applying or rolling back
 *
 * and one block at the end of ${local_conf} that names the current and the
 * previous generation and carries the provisioned settings.  Rewriting
 * that file (write aside, sync, rename) is the single commit point: before
 * it the old configuration is untouched, after it the new one is whole.
 *
 * Both sides share the parsers, so a stick that verifies on the laptop is
 * read the same way by the phone.  Nothing here uses baresip.  Every
 * message names the file and field path and never contains a field's
 * value: values can be secrets.  All functions return 0 or an errno value.
 */
#ifndef DESKPHONE_PROVISION_H
#define DESKPHONE_PROVISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

#define PROV_FOLDER   "deskphone-provisioning"
#define PROV_FORMAT   "deskphone-provisioning/1"

enum {
	PROV_MAX_MANIFEST  = 4 * 1024 * 1024,
	PROV_MAX_SIG       = 4096,
	PROV_MAX_SITE      = 64 * 1024,
	PROV_MAX_PHONE     = 16 * 1024,
	PROV_MAX_PUBKEY    = 16 * 1024,
	PROV_MAX_CSV       = 8 * 1024 * 1024,
	PROV_MAX_PHONES    = 10000,
	PROV_MAX_CODECS    = 8,
	PROV_MAX_LINE_KEYS = 32,
	PROV_SIG_LEN       = 64,
	PROV_REASON_LEN    = 400,
	PROV_RESULT_SIZE   = 1024,   /* result files are padded to this */
	PROV_MAX_VERSION_BITS = 53,  /* versions are JSON integers */
};


/* --- Messages ------------------------------------------------------------ */

/*
 * Every problem found, one message each ("site.json: sip.transport: must
 * be udp, tcp or tls").  The first 200 are kept; `count` counts all.
 */
struct prov_report {
	struct list msgs;
	unsigned count;
};

void prov_report_init(struct prov_report *r);
void prov_report_reset(struct prov_report *r);
/* re_printf format. */
void prov_report_add(struct prov_report *r, const char *fmt, ...);
const char *prov_report_first(const struct prov_report *r);
/* Call h for each kept message, in order. */
void prov_report_apply(const struct prov_report *r,
		       void (*h)(const char *msg, void *arg), void *arg);


/* --- Site defaults (site.json) ------------------------------------------ */

enum prov_transport { PROV_UDP = 0, PROV_TCP, PROV_TLS };

enum prov_retention {
	PROV_RET_CALL_RECORDS = 0,
	PROV_RET_CALL_RECORD_PERSONAL_FIELDS,
	PROV_RET_SIP_TRACES_AND_LOGS,
	PROV_RET_CALL_HISTORY,
	PROV_RET_CONTACTS_CACHE,
	PROV_RET_RECORDINGS_AND_VOICEMAIL,
	PROV_RET_PUSH_REGISTRATION,     /* at most 6 days (privacy policy) */
	PROV_RET_MAX
};

struct prov_site {
	char name[65];
	char registrar[262];          /* host or host:port */
	enum prov_transport transport;
	char outbound_proxy[262];     /* host or host:port; "" for none */
	uint32_t register_interval_s;
	char codecs[PROV_MAX_CODECS][8];
	size_t ncodecs;
	char time_zone[65];
	uint32_t retention_days[PROV_RET_MAX];  /* 0: not set */
	char support_public_key[65];  /* a file name next to site.json */
};

/*
 * Parse and check a site file.  `file` names it in messages.  Returns
 * EINVAL when anything is wrong (every problem is in `rep`).
 */
int prov_site_parse(struct prov_site *site, const char *file,
		    const char *json, size_t len, struct prov_report *rep);
/* The site as JSON text (from mem_alloc), as written to the stick. */
int prov_site_print(const struct prov_site *site, char **jsonp);
const char *prov_transport_name(enum prov_transport t);
const char *prov_retention_name(enum prov_retention r);


/* --- One phone (phones.csv row, phones/<id>.json) ------------------------ */

enum prov_key_type { PROV_KEY_LINE = 0, PROV_KEY_BLF, PROV_KEY_SPEED };

struct prov_line_key {
	enum prov_key_type type;
	char target[65];
	char label[33];
};

struct prov_phone {
	char mac[18];              /* aa:bb:cc:dd:ee:ff or "" */
	char serial[65];           /* or "" */
	char extension[17];
	char display_name[65];
	char sip_user[65];
	char auth_user[65];        /* "" means sip_user */
	char sip_password[129];    /* secret: prov_phone_wipe() after use */
	struct prov_line_key keys[PROV_MAX_LINE_KEYS];
	size_t nkeys;
};

int  prov_phone_parse(struct prov_phone *p, const char *file,
		      const char *json, size_t len, struct prov_report *rep);
int  prov_phone_print(const struct prov_phone *p, char **jsonp);
void prov_phone_wipe(struct prov_phone *p);
/* The name a phone is looked up by: MAC id if it has a MAC, else serial. */
void prov_phone_id(const struct prov_phone *p, char *id, size_t sz);

/*
 * Read a phones CSV file (header row naming the columns, one phone a
 * row).  `h` is called for each valid row; every problem is reported as
 * "file:line: column: what".  Returns EINVAL when anything was wrong.
 */
typedef int (prov_phone_h)(const struct prov_phone *p, unsigned line,
			   void *arg);
int prov_phones_csv(const char *file, const char *csv, size_t len,
		    prov_phone_h *h, void *arg, struct prov_report *rep);

/* MAC in any usual spelling → "aa:bb:cc:dd:ee:ff"; EINVAL if it is not. */
int prov_mac_normalise(const char *in, char out[18]);
/* Lookup ids: "aabbccddeeff" for a MAC, "serial-XYZ" for a serial. */
void prov_mac_id(const char *mac, char id[13]);
int  prov_serial_check(const char *serial);


/* --- Signing keys (Ed25519, privacy/crypto) ----------------------------- */

struct prov_key;

int  prov_key_generate(struct prov_key **kp);
/* PREFIX.key (PKCS#8 PEM, 0600) and PREFIX.pub; refuses to overwrite. */
int  prov_key_save(const struct prov_key *k, const char *prefix);
int  prov_key_load_private(struct prov_key **kp, const char *path);
int  prov_key_load_public(struct prov_key **kp, const char *pem,
			  size_t len);
int  prov_key_public_pem(const struct prov_key *k, char **pemp);
/* 16 hex digits: the start of SHA-256 over the raw public key. */
const char *prov_key_id(const struct prov_key *k);
int  prov_sign(const struct prov_key *k, const void *msg, size_t len,
	       uint8_t sig[PROV_SIG_LEN]);
/* EBADMSG when the signature does not verify. */
int  prov_verify(const struct prov_key *k, const void *msg, size_t len,
		 const uint8_t sig[PROV_SIG_LEN]);
/* A PEM public key of any kind privacy/crypto reads (the support key). */
int  prov_pubkey_check(const char *pem, size_t len);


/* --- Fault injection and progress ---------------------------------------- */

/*
 * Called before every read from the stick ("read"), every write to the
 * phone's state ("write") and to the stick ("result").  A non-zero
 * return makes that operation fail with that error.  Tests use it to pull
 * the stick or fill the disk at every step; it is NULL in the product.
 */
typedef int (prov_fault_h)(const char *op, const char *path, void *arg);

struct prov_io {
	prov_fault_h *fault;
	void *arg;
};

enum prov_step {
	PROV_STEP_READING = 0,   /* reading the stick */
	PROV_STEP_VERIFYING,     /* signature, version, this phone's entry */
	PROV_STEP_CHECKING,      /* every field */
	PROV_STEP_SAVING,        /* writing aside, swapping in */
	PROV_STEP_DONE
};

typedef void (prov_progress_h)(enum prov_step step, const char *what,
			       void *arg);
const char *prov_step_name(enum prov_step step);


/* --- The installer's side ------------------------------------------------ */

struct prov_make_opts {
	const char *site_path;
	const char *phones_path;
	const char *key_path;
	const char *out_root;       /* the stick (its mount point) */
	uint64_t version;           /* 0: max(now, previous + 1) */
	bool trust_on_first_use;
};

struct prov_stick_summary {
	uint64_t version;
	unsigned phones;
	char site[65];
	char key_id[17];
	bool trust_on_first_use;
};

/* Check everything, then write the stick; nothing is written on error. */
int prov_make(const struct prov_make_opts *o, struct prov_report *rep,
	      struct prov_stick_summary *sum);
/* Signature (with `pub`), every file's hash, every entry. */
int prov_verify_stick(const char *root, const struct prov_key *pub,
		      struct prov_report *rep, struct prov_stick_summary *sum);


/* --- The phone's side ---------------------------------------------------- */

/*
 * Trust on first use, the phone's side (setting provision_allow_tofu).
 * A phone that trusts no key yet pins the key of a stick that asks for
 * it only when a person at the phone confirmed that key: anyone can put a
 * stick in the USB port, and the first key pinned locks every other out.
 */
enum prov_tofu {
	PROV_TOFU_NO = 0,   /* "no": never pin a key */
	PROV_TOFU_ASK,      /* "ask": pin what a person at the phone confirmed */
};

/* "ask" or "no" (EINVAL otherwise).  "yes", the unattended pinning of
 * earlier firmware, is read as "ask" and `*old_yes` says so. */
int prov_tofu_parse(const char *text, enum prov_tofu *tofu, bool *old_yes);

/* What the person at the phone answered when asked to trust a new key. */
enum prov_confirm {
	PROV_CONFIRM_NONE = 0,  /* nobody was asked yet: refuse, and say so
				 * (outcome.trust_asked) */
	PROV_CONFIRM_YES,       /* pin the key (if it is the one shown) */
	PROV_CONFIRM_NO,        /* refused, timed out, stick taken out */
};

struct prov_trust_answer {
	enum prov_confirm confirm;
	char key_id[17];           /* YES: only this key; "": the key the
				    * stick carries (`apply --trust-new-key`) */
	char manifest_sha256[65];  /* YES: only this manifest; "": any */
	char why[120];             /* NO: why, for the result ("Refuse was
				    * pressed") */
};

struct prov_phone_cfg {
	const char *provision_dir;
	const char *local_conf;
	const char *device_secret_file;
	const char *trusted_keys_dir;  /* keys installed at the factory */
	enum prov_tofu tofu;           /* phone side of trust on first use */
	struct prov_trust_answer trust;  /* a person's answer, if asked */
	const char *mac;               /* "" or NULL: read from an interface */
	const char *mac_interface;     /* "" or NULL: the first with a MAC */
	const char *serial;            /* "" or NULL: none */
	const char *sysfs_net;         /* NULL: /sys/class/net */
	bool no_result;                /* do not write results/<id>.json */
	struct prov_io io;
	prov_progress_h *progress;
	void *progress_arg;
};

/* PENDING is only what the stick's result file says while applying. */
enum prov_result { PROV_APPLIED = 0, PROV_UNCHANGED, PROV_REFUSED,
		   PROV_PENDING };

struct prov_outcome {
	enum prov_result result;
	char reason[PROV_REASON_LEN];  /* why refused; a note otherwise */
	char phone_id[80];
	char site[65];
	uint64_t version;              /* on the stick; 0 if unknown */
	uint64_t previous_version;     /* configured before; 0: none */
	bool result_written;
	char result_note[160];         /* why the result file is missing */
	char time[24];
	char key_id[17];               /* the key that signed the stick */
	/* Refused only because a new key needs a person's confirmation:
	 * ask (key_id, site) and apply again with the answer. */
	bool trust_asked;
	char manifest_sha256[65];      /* the manifest the question is about */
	bool key_pinned;               /* applied, and key_id pinned with it */
};

const char *prov_result_name(enum prov_result r);

/* The phone's identity: MAC (and the interface it came from), serial. */
struct prov_identity {
	char mac[18];
	char mac_id[13];
	char interface[64];
	char serial[65];
	char serial_id[72];
};
int prov_identity(const struct prov_phone_cfg *cfg, struct prov_identity *id,
		  char *why, size_t whysz);

/* Verify, check, stage and swap in the stick under `root`.  The outcome
 * says what happened; the return value is 0 unless arguments are bad. */
int prov_apply(const struct prov_phone_cfg *cfg, const char *root,
	       struct prov_outcome *out);
/* Swap the previous configuration back in (twice: undo). */
int prov_rollback(const struct prov_phone_cfg *cfg, struct prov_outcome *out);

/* What the phone runs on now (from the block in ${local_conf}). */
struct prov_current {
	bool provisioned;
	uint64_t version;
	char generation[64];
	char previous[64];
	char site[65];
	char phone[80];
	char applied_at[24];
	char key_id[17];
	char manifest_sha256[65];
};
int prov_current(const char *local_conf, struct prov_current *cur);

/* Highest version ever applied (0 if none). */
int prov_highest(const char *provision_dir, uint64_t *version);

/* The accounts of the current configuration, passwords unsealed. */
struct prov_account {
	struct le le;
	char *aor;         /* sip:user@host */
	char *line;        /* baresip account line, no password */
	char *password;    /* wiped when the object is released */
};
/* Appends struct prov_account objects to `accounts` (list_flush them).
 * ENOENT when the phone is not provisioned. */
int prov_accounts_load(const struct prov_phone_cfg *cfg, struct list *accounts,
		       char *why, size_t whysz);

/* The last outcome, as JSON (from mem_alloc); ENOENT if none yet. */
int prov_last_result(const char *provision_dir, char **jsonp);
int prov_outcome_json(const struct prov_outcome *o, struct mbuf *mb);

#endif
