/**
 * @file phone.h  The phone's behaviour: a state machine without baresip
 *
 * Keys and what the host reports (calls, registration, message waiting,
 * timers, job progress, privacy answers) go in as typed calls; the state
 * (struct phone, plain C) changes; the board's screen and LEDs are drawn
 * from the state (render.c); whatever must happen outside -- dial,
 * answer, hang up, hold, route the audio, ring, start a job, ask the
 * privacy module -- is asked of the host through struct phone_ops.
 *
 * Hosts: the baresip module (adapter.c: UA events in, baresip calls out)
 * and the unit test (test/unit/test_ui_fsm.c: events by hand, the
 * actions recorded).  A call is an opaque handle the host chooses; it is
 * compared, never dereferenced.  Timers are the host's: the phone asks
 * for one with ops->timer and hears back through phone_timer_fired().
 *
 * The host may call back into the phone from inside an action, as
 * baresip does (CALL_CLOSED inside ua_hangup()); the screen is drawn
 * once, when the outermost call returns.
 */
#ifndef DPUI_PHONE_H
#define DPUI_PHONE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "board/board.h"
#include "directory.h"
#include "history.h"

enum ui_mode {
	MODE_IDLE,
	MODE_DIALING,       /* entering a number */
	MODE_CALLING,       /* our call is going out */
	MODE_INCOMING,      /* a call rings */
	MODE_CALL,          /* connected (held or not) */
	MODE_TRANSFER,      /* entering a transfer target */
	MODE_ENDED,         /* a call just ended, handset still up */
	MODE_HISTORY,
	MODE_DIRECTORY,
	MODE_MENU,
	MODE_STATUS,
	MODE_PRIVACY,       /* what is stored, per class */
	MODE_CLEAR,         /* "clear history?" */
	MODE_ERASE,         /* "erase all personal data?" */
	MODE_PROVISION,     /* provisioning from USB: progress, result */
	MODE_BUNDLE,        /* a debug bundle to USB: progress, result */
};

/* The menu, in this order (render.c draws the same list). */
enum {
	MENU_STATUS, MENU_PRIVACY, MENU_CLEAR, MENU_RESTRICT, MENU_ERASE,
	MENU_PROVISION, MENU_BUNDLE, MENU_DND, MENU_COUNT
};

enum { PRIVACY_LINES = 10, PRIVACY_LINE_SZ = 48, JOB_LINES = 3 };

enum route {
	ROUTE_NONE = 0,
	ROUTE_HANDSET,
	ROUTE_HEADSET,
	ROUTE_SPEAKER,
	ROUTE_RINGER,
	ROUTE_COUNT
};

enum { VOLUME_MAX = 10, NOTE_MS = 2500 };

/* "Trust this stick?" (the provisioning module asks, a person answers) */
enum phone_trust {
	TRUST_NONE = 0,
	TRUST_ASKING,       /* the question is up */
	TRUST_FOLLOWING,    /* yes was said: applying */
	TRUST_RESULT,       /* how it ended, until a key */
};

enum phone_timer {
	PT_DIAL,            /* dial what was typed (off hook) */
	PT_NOTE,            /* the note over the bottom row goes */
	PT_COUNT
};

/* What the phone asks of its host.  Every member is set. */
struct phone_ops {
	/* Place a call; *callp is its handle.  ENODEV: no account. */
	int  (*dial)(void *arg, const char *number, void **callp);
	int  (*answer)(void *arg, void *call);
	/* scode 0: the normal end (BYE or CANCEL) */
	void (*hangup)(void *arg, void *call, uint16_t scode,
		       const char *reason);
	int  (*hold)(void *arg, void *call, bool hold);
	int  (*transfer)(void *arg, void *call, const char *target);
	void (*send_digit)(void *arg, void *call, char key);
	/* ENOENT when the call has no audio (yet) */
	int  (*mute)(void *arg, void *call, bool mute);
	/* voice routes only: the ringer is the ring tone's business */
	void (*route)(void *arg, enum route r);
	void (*volume)(void *arg, enum route r, unsigned percent);
	void (*ring)(void *arg, bool on);
	/* start timer `t` to fire in `ms`, again from now; 0 stops it */
	void (*timer)(void *arg, enum phone_timer t, uint32_t ms);
	uint64_t (*now_ms)(void *arg);          /* monotonic */
	time_t (*wall)(void *arg);              /* wall clock */
	/* the network status page: our IP address ("?" when none) */
	void (*local_addr)(void *arg, char *buf, size_t sz);
	/* the menu's jobs: 0 started (their progress comes back through
	 * phone_job_update()); else a note has said why not */
	int  (*provision_start)(void *arg);
	int  (*bundle_start)(void *arg);
	/* the privacy module: answers come back through
	 * phone_privacy_page(), phone_restricted() and phone_note() */
	void (*privacy_load)(void *arg);
	void (*privacy_restrict)(void *arg, bool on);
	void (*privacy_erase)(void *arg);
	void (*history_opened)(void *arg);
	/* "Trust this stick?" answered: yes for `what` (the key id shown),
	 * or no with `what` the phone key that said it.  0: the module
	 * took it (after a yes, phone_trust_progress() follows); else the
	 * question was gone already */
	int  (*trust_answer)(void *arg, bool yes, const char *what);
};

/* The state.  Read it freely; change it only through the calls below. */
struct phone {
	const struct phone_ops *ops;
	void *arg;
	struct board *board;
	struct history *hist;
	struct directory *dir;
	unsigned depth;       /* nested calls in: draw when back at 0 */
	enum ui_mode mode;

	/* audio path the user chose */
	bool offhook;         /* handset lifted */
	bool speaker;
	bool headset;
	enum route route;     /* last route we asked for */
	unsigned volume[ROUTE_COUNT];

	char number[64];      /* dialing or transfer digits */
	char last_dialed[64];
	uint32_t dial_timeout_ms;

	/* the call on the screen */
	void *call;
	char peer[96];        /* user part or URI */
	char peer_name[48];
	bool call_out;
	bool established;
	bool held;            /* ours: baresip 1.0 has no hold event */
	bool muted;
	uint64_t call_start_ms;   /* ops->now_ms() when established */
	time_t call_wall_start;
	uint32_t last_duration_s;

	bool dnd;
	unsigned missed_new;
	bool mwi;
	int mwi_new, mwi_old;
	bool account;         /* the host has a user agent */
	char aor[128];        /* its address of record */
	bool registered;
	bool reg_tried;
	char reg_reason[48];
	char ip[64];          /* for the status page */

	/* lists: history, directory, menu */
	size_t sel;
	size_t menu_sel;
	char t9[16];

	/* a one-line message over the bottom row for a short while */
	char note[32];

	/* the privacy page, as the privacy module last described it */
	char privacy_lines[PRIVACY_LINES][PRIVACY_LINE_SZ];
	size_t privacy_n;
	bool restricted;

	/* the menu's job (provisioning, a bundle): progress, result */
	char job_title[24];
	char job_lines[JOB_LINES][64];
	bool job_done;

	/* a stick asks to be trusted on first use: over every screen but
	 * a call's */
	enum phone_trust trust;
	char trust_key_id[17];
	char trust_site[65];
	char trust_lines[2][64];  /* following the apply, then its end */
};

/* The call events the host reports, and what it knows of the call. */
enum phone_call_event {
	PCALL_INCOMING,
	PCALL_RINGING,          /* ringing or progress of our call */
	PCALL_ESTABLISHED,
	PCALL_TRANSFER_FAILED,
	PCALL_CLOSED,
};

struct phone_call {
	void *call;             /* the handle */
	const char *peer_uri;   /* "sip:101@host" */
	const char *peer_name;  /* display name or NULL */
	bool outgoing;
	uint32_t duration_s;    /* up this long already (a call adopted) */
	/* PCALL_CLOSED: the REFER we sent succeeded; or we were
	 * transferred and `next` is the answered call that replaces it */
	bool transferred;
	const struct phone_call *next;
};

enum phone_reg { PREG_OK, PREG_FAIL, PREG_UNREGISTERING };

/* `board`, `hist` and `dir` stay the caller's and must outlive it. */
int  phone_alloc(struct phone **pp, struct board *board,
		 struct history *hist, struct directory *dir,
		 uint32_t dial_timeout_ms, const struct phone_ops *ops,
		 void *arg);

/* In */
void phone_key(struct phone *p, enum phone_key key, enum key_action act);
void phone_call_event(struct phone *p, enum phone_call_event ev,
		      const struct phone_call *c);
void phone_registration(struct phone *p, enum phone_reg st,
			const char *reason);
/* The host's account: its address of record, NULL for none. */
void phone_account(struct phone *p, const char *aor);
/* A message-summary body (RFC 3842). */
void phone_mwi(struct phone *p, const char *body);
void phone_timer_fired(struct phone *p, enum phone_timer t);
/* A second went by: the clock and the call timer. */
void phone_tick(struct phone *p);
void phone_note(struct phone *p, const char *fmt, ...);
void phone_notev(struct phone *p, const char *fmt, va_list ap);
/* The job's page: `title` NULL keeps it; NULL lines are empty. */
void phone_job_update(struct phone *p, const char *title, bool done,
		      const char *l1, const char *l2, const char *l3);
void phone_privacy_page(struct phone *p,
			const char lines[][PRIVACY_LINE_SZ], size_t n);
void phone_restricted(struct phone *p, bool on);
/* The contacts were read again (the old directory may go now). */
void phone_set_directory(struct phone *p, struct directory *dir);
/* The history has a new list. */
void phone_history_changed(struct phone *p);
/* The provisioning module asks whether to trust key `key_id` (for
 * `site`); it went without an answer (time up, stick taken out); after
 * a yes, the apply's progress and (done) how it ended. */
void phone_trust_ask(struct phone *p, const char *key_id, const char *site);
void phone_trust_gone(struct phone *p);
void phone_trust_progress(struct phone *p, bool done, const char *l1,
			  const char *l2);
/* Draw and send what changed (after the outermost call in). */
void phone_update(struct phone *p);

/* Is "Trust this stick?" (or the apply it started) on the screen? */
bool phone_trust_shown(const struct phone *p);

/* render.c: the state on the board's screen */
void phone_render(struct phone *p);

uint32_t phone_call_seconds(const struct phone *p);
/* The user part of a SIP URI ("sip:101@host;x" -> "101"), else all. */
void phone_user_part(char *out, size_t sz, const char *uri);
const char *route_name(enum route r);

#endif
