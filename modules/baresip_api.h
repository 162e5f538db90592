/**
 * @file baresip_api.h  The part of the baresip module interface deskphone uses
 *
 * Matches baresip 1.0.0 exactly as Debian 12 ships it (package
 * baresip-core 1.0.0-4+b3, with libre 1.1.0 and librem 0.6.0).  Debian
 * installs no baresip header, so every module of ours includes this one
 * instead.  Only what our modules call is declared; field order of every
 * struct below is ABI and must not change.  When deskphone moves to another
 * baresip release, this file is the one place to review.
 *
 * Rules that the 1.0.0 core imposes and the compiler cannot check:
 *  - A module exports one data symbol named `exports` (struct mod_export,
 *    from re_mod.h), declared below with default visibility: modules are
 *    built with -fvisibility=hidden (Makefile), so it is their only
 *    dynamic symbol (test/integration/exports.sh).  It is opened with RTLD_LOCAL: modules cannot see each
 *    other's symbols, only the executable's, libre's, librem's and their own
 *    DT_NEEDED libraries'.
 *  - Codec modules must be loaded (config `module` lines) before
 *    account.so, or accounts cannot name them in audio_codecs.
 *  - The state object of an audio source or player must begin with a
 *    pointer to its registered ausrc/auplay: the core reads that member.
 *  - Everything the core releases is released with mem_deref(), so states
 *    come from mem_zalloc() with a destructor.
 *  - Only the re main thread may touch baresip or libre objects; audio
 *    threads hand data over through an mqueue.
 */
#ifndef DESKPHONE_BARESIP_API_H
#define DESKPHONE_BARESIP_API_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

#define DP_BARESIP_VERSION "1.0.0"

/* Opaque core objects */
struct account;
struct audio;
struct call;
struct commands;
struct config;
struct player;
struct play;
struct ua;


/* --- Accounts ----------------------------------------------------------- */

enum answermode {
	ANSWERMODE_MANUAL = 0,
	ANSWERMODE_EARLY,
	ANSWERMODE_AUTO
};

const char     *account_aor(const struct account *acc);
const char     *account_display_name(const struct account *acc);
enum answermode account_answermode(const struct account *acc);
int             account_set_answermode(struct account *acc,
				       enum answermode mode);
int             account_set_auth_pass(struct account *acc, const char *pass);
int             account_set_auth_user(struct account *acc, const char *user);
int             account_set_display_name(struct account *acc,
					 const char *dname);
int             account_set_audio_codecs(struct account *acc,
					 const char *codecs);
uint32_t        account_regint(const struct account *acc);
uint32_t        account_ptime(const struct account *acc);
struct list    *account_aucodecl(const struct account *acc);
const char     *account_extra(const struct account *acc);
const char     *account_mediaenc(const struct account *acc);
/* Media encryption by menc id ("srtp", "srtp-mand"); EINVAL if unknown. */
int             account_set_mediaenc(struct account *acc,
				     const char *mencid);
/* The AOR as a parsed URI; the ix-th (0 or 1) outbound proxy, or NULL. */
struct uri     *account_luri(const struct account *acc);
const char     *account_outbound(const struct account *acc, unsigned ix);


/* --- Calls -------------------------------------------------------------- */

enum call_state {
	CALL_STATE_IDLE = 0,
	CALL_STATE_INCOMING,
	CALL_STATE_OUTGOING,
	CALL_STATE_RINGING,
	CALL_STATE_EARLY,
	CALL_STATE_ESTABLISHED,
	CALL_STATE_TERMINATED,
	CALL_STATE_UNKNOWN
};

enum vidmode {
	VIDMODE_OFF = 0,
	VIDMODE_ON
};

int             call_answer(struct call *call, uint16_t scode,
			    enum vidmode vmode);
void            call_hangup(struct call *call, uint16_t scode,
			    const char *reason);
int             call_hold(struct call *call, bool hold);
int             call_send_digit(struct call *call, char key);
int             call_transfer(struct call *call, const char *uri);
uint16_t        call_scode(const struct call *call);
enum call_state call_state(const struct call *call);
uint32_t        call_duration(const struct call *call);
/* Only meaningful once the call is established. */
uint32_t        call_setup_duration(const struct call *call);
/* Empty until the first INVITE has gone out. */
const char     *call_id(const struct call *call);
const char     *call_peeruri(const struct call *call);
/* May be NULL. */
const char     *call_peername(const struct call *call);
const char     *call_localuri(const struct call *call);
struct audio   *call_audio(const struct call *call);
struct ua      *call_get_ua(const struct call *call);
bool            call_is_onhold(const struct call *call);
bool            call_is_outgoing(const struct call *call);
uint32_t        call_linenum(const struct call *call);
struct call    *call_find_linenum(const struct list *calls,
				  uint32_t linenum);
struct call    *call_find_id(const struct list *calls, const char *id);
/*
 * Transfers.  call_connect() sends the INVITE of a call made with
 * ua_call_alloc(); `paddr` is a SIP URI or name-addr.  The transferee's
 * REFER subscription reports progress with call_notify_sipfrag(): a
 * status of 200 or more ends it.
 */
int             call_connect(struct call *call, const struct pl *paddr);
int             call_notify_sipfrag(struct call *call, uint16_t scode,
				    const char *reason, ...);


/* --- User agents and their events --------------------------------------- */

/*
 * Event numbers of 1.0.0.  There is no hold/resume event in this release,
 * and CALL_INCOMING is not raised for calls the account answers by itself
 * (answermode auto or early).
 */
enum ua_event {
	UA_EVENT_REGISTERING = 0,
	UA_EVENT_REGISTER_OK,
	UA_EVENT_REGISTER_FAIL,
	UA_EVENT_UNREGISTERING,
	UA_EVENT_MWI_NOTIFY,
	UA_EVENT_SHUTDOWN,
	UA_EVENT_EXIT,
	UA_EVENT_CALL_INCOMING,
	UA_EVENT_CALL_RINGING,
	UA_EVENT_CALL_PROGRESS,
	UA_EVENT_CALL_ESTABLISHED,
	UA_EVENT_CALL_CLOSED,
	UA_EVENT_CALL_TRANSFER,
	UA_EVENT_CALL_TRANSFER_FAILED,
	UA_EVENT_CALL_DTMF_START,
	UA_EVENT_CALL_DTMF_END,
	UA_EVENT_CALL_RTPESTAB,
	UA_EVENT_CALL_RTCP,
	UA_EVENT_CALL_MENC,
	UA_EVENT_VU_TX,
	UA_EVENT_VU_RX,
	UA_EVENT_AUDIO_ERROR,
	UA_EVENT_CALL_LOCAL_SDP,
	UA_EVENT_CALL_REMOTE_SDP,
	UA_EVENT_MAX
};

/*
 * Runs on the re main thread.  `call` may be NULL; after a CALL_CLOSED
 * handler returns the core frees the call, so copy what you need.
 */
typedef void (ua_event_h)(struct ua *ua, enum ua_event ev,
			  struct call *call, const char *prm, void *arg);

/* One registration per handler function; registering again replaces it. */
int          uag_event_register(ua_event_h *eh, void *arg);
void         uag_event_unregister(ua_event_h *eh);
const char  *uag_event_str(enum ua_event ev);
struct list *uag_list(void);
struct ua   *uag_current(void);
void         uag_current_set(struct ua *ua);
struct ua   *uag_find_aor(const char *aor);
void         uag_enable_sip_trace(bool enable);
/* The SIP stack every UA shares (libre's struct sip). */
struct sip  *uag_sip(void);
void         ua_event(struct ua *ua, enum ua_event ev, struct call *call,
		      const char *fmt, ...);

int          ua_alloc(struct ua **uap, const char *aor);
/* `req_uri` is completed against the account (a bare user is fine). */
int          ua_connect(struct ua *ua, struct call **callp,
			const char *from_uri, const char *req_uri,
			enum vidmode vmode);
/* NULL call means the current one; emits CALL_CLOSED, then frees it. */
void         ua_hangup(struct ua *ua, struct call *call,
		       uint16_t scode, const char *reason);
int          ua_answer(struct ua *ua, struct call *call, enum vidmode vmode);
/*
 * A new call on `ua`, not yet connected.  With `xcall` set it inherits
 * that call's REFER subscription: its progress is NOTIFYed to whoever
 * transferred `xcall`, and 200 OK is reported when it is answered.
 */
int          ua_call_alloc(struct call **callp, struct ua *ua,
			   enum vidmode vmode, const struct sip_msg *msg,
			   struct call *xcall, const char *local_uri,
			   bool use_rtp);
int          ua_hold_answer(struct ua *ua, struct call *call,
			    enum vidmode vmode);
int          ua_register(struct ua *ua);
void         ua_unregister(struct ua *ua);
bool         ua_isregistered(const struct ua *ua);
const char  *ua_aor(const struct ua *ua);
struct account *ua_account(const struct ua *ua);
struct call *ua_call(const struct ua *ua);
struct call *ua_prev_call(const struct ua *ua);
struct list *ua_calls(const struct ua *ua);
void         ua_stop_all(bool forced);


/* --- Audio -------------------------------------------------------------- */

#define DP_AUDIO_TIMEBASE 1000000U   /* auframe timestamps: microseconds */

struct auframe {
	int fmt;             /* enum aufmt (librem rem_au.h) */
	void *sampv;         /* must be mem_ref()-able memory */
	size_t sampc;        /* samples over all channels */
	uint64_t timestamp;  /* DP_AUDIO_TIMEBASE units */
};

struct media_ctx {
	const char *id;
};

struct ausrc_prm {
	uint32_t srate;
	uint8_t  ch;
	uint32_t ptime;
	int      fmt;
};

struct auplay_prm {
	uint32_t srate;
	uint8_t  ch;
	uint32_t ptime;
	int      fmt;
};

struct ausrc;
struct auplay;
struct ausrc_st;
struct auplay_st;

typedef void (ausrc_read_h)(struct auframe *af, void *arg);
/* Leads into call code: call it on the re main thread only. */
typedef void (ausrc_error_h)(int err, const char *str, void *arg);
typedef int  (ausrc_alloc_h)(struct ausrc_st **stp, const struct ausrc *as,
			     struct media_ctx **ctx, struct ausrc_prm *prm,
			     const char *device, ausrc_read_h *rh,
			     ausrc_error_h *errh, void *arg);

/* The 1.0.0 player pulls raw samples; it has no error handler. */
typedef void (auplay_write_h)(void *sampv, size_t sampc, void *arg);
typedef int  (auplay_alloc_h)(struct auplay_st **stp, const struct auplay *ap,
			      struct auplay_prm *prm, const char *device,
			      auplay_write_h *wh, void *arg);

struct ausrc {
	struct le      le;
	const char    *name;
	struct list    dev_list;
	ausrc_alloc_h *alloch;
};

struct auplay {
	struct le       le;
	const char     *name;
	struct list     dev_list;
	auplay_alloc_h *alloch;
};

int  ausrc_register(struct ausrc **asp, struct list *ausrcl,
		    const char *name, ausrc_alloc_h *alloch);
int  auplay_register(struct auplay **pp, struct list *auplayl,
		     const char *name, auplay_alloc_h *alloch);
const struct ausrc  *ausrc_find(const struct list *ausrcl, const char *name);
const struct auplay *auplay_find(const struct list *auplayl,
				 const char *name);

/* Stop a call's audio devices; audio_start() opens them again. */
int  audio_start(struct audio *a);
void audio_stop(struct audio *a);
void audio_mute(struct audio *a, bool muted);
bool audio_ismuted(const struct audio *a);
int  audio_set_source(struct audio *au, const char *mod, const char *device);
int  audio_set_player(struct audio *au, const char *mod, const char *device);

/* A call's audio RTP stream and its packet counters (both directions). */
struct stream;
struct stream *audio_strm(const struct audio *au);
uint32_t stream_metric_get_tx_n_packets(const struct stream *strm);
uint32_t stream_metric_get_rx_n_packets(const struct stream *strm);

struct auenc_param {
	uint32_t ptime;
	uint32_t bitrate;
};

struct auenc_state;
struct audec_state;
struct aucodec;

/* Update handlers may run more than once per stream. */
typedef int (auenc_update_h)(struct auenc_state **aesp,
			     const struct aucodec *ac,
			     struct auenc_param *prm, const char *fmtp);
/* On entry *len is the room in buf; on return the bytes written. */
typedef int (auenc_encode_h)(struct auenc_state *aes, bool *marker,
			     uint8_t *buf, size_t *len, int fmt,
			     const void *sampv, size_t sampc);
typedef int (audec_update_h)(struct audec_state **adsp,
			     const struct aucodec *ac, const char *fmtp);
/* On entry *sampc is the room in sampv; on return the samples written. */
typedef int (audec_decode_h)(struct audec_state *ads, int fmt, void *sampv,
			     size_t *sampc, bool marker,
			     const uint8_t *buf, size_t len);
/* Called instead of the decoder, for the packet that follows a loss. */
typedef int (audec_plc_h)(struct audec_state *ads, int fmt, void *sampv,
			  size_t *sampc, const uint8_t *buf, size_t len);

struct aucodec {
	struct le le;
	const char *pt;          /* RTP payload type, as text */
	const char *name;        /* SDP encoding name */
	uint32_t srate;          /* audio sample rate */
	uint32_t crate;          /* RTP clock rate */
	uint8_t ch;
	uint8_t pch;             /* channels as signalled in SDP */
	uint32_t ptime;
	const char *fmtp;
	auenc_update_h *encupdh;
	auenc_encode_h *ench;
	audec_update_h *decupdh;
	audec_decode_h *dech;
	audec_plc_h    *plch;
	sdp_fmtp_enc_h *fmtp_ench;
	sdp_fmtp_cmp_h *fmtp_cmph;
};

/* The struct must stay valid until aucodec_unregister(). */
void aucodec_register(struct list *aucodecl, struct aucodec *ac);
void aucodec_unregister(struct aucodec *ac);
const struct aucodec *aucodec_find(const struct list *aucodecl,
				   const char *name, uint32_t srate,
				   uint8_t ch);
const struct aucodec *audio_codec(const struct audio *au, bool tx);

int play_tone(struct play **playp, struct player *player, struct mbuf *tone,
	      uint32_t srate, uint8_t ch, int repeat,
	      const char *play_mod, const char *play_dev);
int play_file(struct play **playp, struct player *player,
	      const char *filename, int repeat,
	      const char *play_mod, const char *play_dev);


/* --- Core lists --------------------------------------------------------- */

struct list     *baresip_aucodecl(void);
struct list     *baresip_ausrcl(void);
struct list     *baresip_auplayl(void);
struct commands *baresip_commands(void);
struct player   *baresip_player(void);

/* --- Network (src/net.c) -------------------------------------------------- */

struct network;
typedef void (net_change_h)(void *arg);

struct network  *baresip_network(void);
/* Poll the local address every `interval` s; `ch` runs when it changed.
 * One handler: this replaces the one baresip's main() installs. */
void             net_change(struct network *net, uint32_t interval,
			    net_change_h *ch, void *arg);
/* Re-read the local addresses; true when they changed. */
bool             net_check(struct network *net);
const struct sa *net_laddr_af(const struct network *net, int af);


/* --- Commands ----------------------------------------------------------- */

enum { CMD_PRM = 1 << 0 };

/* Key codes the core gives meaning to; call_send_digit() ends a DTMF
 * digit when sent KEYCODE_REL. */
#define KEYCODE_NONE 0x00
#define KEYCODE_REL  0x04
#define KEYCODE_ESC  0x1b

/* What a command handler's `arg` points to. */
struct cmd_arg {
	char key;
	char *prm;     /* freed by the core after the handler returns */
	void *data;
};

struct cmd {
	const char *name;
	char key;
	int flags;
	const char *desc;
	re_printf_h *h;
};

int  cmd_register(struct commands *commands, const struct cmd *cmdv,
		  size_t cmdc);
void cmd_unregister(struct commands *commands, const struct cmd *cmdv);
int  cmd_process_long(struct commands *commands, const char *str,
		      size_t len, struct re_printf *pf_resp, void *data);
void ui_input_str(const char *str);


/* --- Configuration ------------------------------------------------------ */

/* The parsed `config` file; read module keys with re_conf.h's conf_get_*. */
struct conf *conf_cur(void);
/* The configuration directory (-f DIR): config, accounts, contacts. */
int          conf_path_get(char *path, size_t sz);
int          conf_get_sa(const struct conf *conf, const char *name,
			 struct sa *sa);


/* --- Logging ------------------------------------------------------------ */

enum log_level {
	LEVEL_DEBUG = 0,
	LEVEL_INFO,
	LEVEL_WARN,
	LEVEL_ERROR
};

typedef void (log_h)(uint32_t level, const char *msg);

struct log {
	struct le le;
	log_h *h;
};

void log_register_handler(struct log *logh);
void log_unregister_handler(struct log *logh);
void loglv(enum log_level level, const char *fmt, ...);
void debug(const char *fmt, ...);
void info(const char *fmt, ...);
void warning(const char *fmt, ...);


/* --- The module's entry point ---------------------------------------------- */

/* Each module defines it; the only symbol a module exports. */
extern const struct mod_export exports __attribute__((visibility("default")));

#endif /* DESKPHONE_BARESIP_API_H */
