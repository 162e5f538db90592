/**
 * @file ui.h  dpui: the phone's user interface (internal interfaces)
 *
 * One struct ui per daemon.  Keys (from the board) and UA events (from
 * baresip) change its state; render() draws the state on the board's
 * screen, and board_flush() sends only what changed.  Everything runs on
 * the re main thread.
 */
#ifndef DPUI_UI_H
#define DPUI_UI_H

#include "modules/baresip_api.h"
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

enum { PRIVACY_LINES = 10, JOB_LINES = 3 };

enum route {
	ROUTE_NONE = 0,
	ROUTE_HANDSET,
	ROUTE_HEADSET,
	ROUTE_SPEAKER,
	ROUTE_RINGER,
	ROUTE_COUNT
};

enum { VOLUME_MAX = 10, NOTE_MS = 2500 };

struct ui {
	struct board *board;
	struct history *hist;
	struct directory *dir;
	enum ui_mode mode;

	/* audio path the user chose */
	bool offhook;         /* handset lifted */
	bool speaker;
	bool headset;
	enum route route;     /* last route we asked the audio module for */
	unsigned volume[ROUTE_COUNT];

	char number[64];      /* dialing or transfer digits */
	char last_dialed[64];
	struct tmr dial_tmr;
	uint32_t dial_timeout_ms;

	/* the call on the screen */
	struct call *call;
	char peer[96];        /* user part or URI */
	char peer_name[48];
	bool call_out;
	bool established;
	bool held;
	bool muted;
	uint64_t call_start_ms;   /* tmr_jiffies() when established */
	time_t call_wall_start;
	uint32_t last_duration_s;

	bool dnd;
	unsigned missed_new;
	bool mwi;
	int mwi_new, mwi_old;
	bool registered;
	bool reg_tried;
	char reg_reason[48];

	/* lists: history, directory, menu */
	size_t sel;
	size_t menu_sel;
	char t9[16];

	/* a one-line message over the bottom row for a short while */
	char note[32];
	struct tmr note_tmr;
	struct tmr tick_tmr;

	struct play *ring;
	char alert_mod[32];
	char alert_dev[64];
	bool warned_route;
	bool warned_volume;

	/* privacy (privacy.c): the page's lines, from the privacy module */
	char privacy_lines[PRIVACY_LINES][48];
	size_t privacy_n;
	bool restricted;           /* as the privacy module last said */
	char contacts_file[512];

	/* jobs the menu starts (jobs.c): provisioning, a debug bundle */
	struct tmr job_tmr;
	char job_title[24];
	char job_lines[JOB_LINES][64];
	bool job_done;
	uint64_t prov_seq;         /* the provisioning job followed; 0 none */
	int bundle_fd;
	int bundle_pid;
	struct mbuf *bundle_out;
	char deskphone_bin[256];
	char settings_args[256];
	char bundle_dir[256];

	/* a stick asks to be trusted on first use (trust_prompt.c) */
	struct trust_prompt *trust;
};

/* phone.c: what keys and events do */
void ui_key(enum phone_key key, enum key_action act, void *arg);
void ui_event(struct ua *ua, enum ua_event ev, struct call *call,
	      const char *prm, void *arg);
void ui_note(struct ui *ui, const char *fmt, ...);
void ui_update(struct ui *ui);        /* render + flush */
struct ua *ui_ua(void);

/* render.c */
void render(struct ui *ui);
uint32_t ui_call_seconds(const struct ui *ui);
const char *route_name(enum route r);

/* events.c: what the application core pushes to the UI */
int  ui_events_listen(struct ui *ui);
void ui_events_unlisten(struct ui *ui);

/* privacy.c: the menu's privacy entries, through the privacy module */
void privacy_page_load(struct ui *ui);
void privacy_toggle_restrict(struct ui *ui);
void privacy_erase(struct ui *ui);
void privacy_history_opened(struct ui *ui);
/* The privacy module changed something: lists and pages again. */
void privacy_changed(struct ui *ui);

/* jobs.c: provisioning from USB and a debug bundle to USB */
/* 0: started (show its page); else the note says why not */
int  job_provision_start(struct ui *ui);
int  job_bundle_start(struct ui *ui);
void job_close(struct ui *ui);
struct dpapp_prov_report;
/* A provisioning job's news (the application core pushes it). */
void job_provision_report(struct ui *ui, const struct dpapp_prov_report *r);

/* trust_prompt.c: "Trust this stick?" when the provisioning module asks
 * whether to pin a new key; over every screen but a call's */
struct trust_prompt;
int  trust_prompt_alloc(struct trust_prompt **tpp, struct ui *ui);
/* true: the key was the prompt's (do nothing else with it) */
bool trust_prompt_key(struct trust_prompt *tp, enum phone_key key);
/* true: the prompt was drawn over the whole screen */
bool trust_prompt_draw(const struct trust_prompt *tp, struct screen *scr);
/* Provisioning's news (the application core pushes it). */
void trust_prompt_report(struct trust_prompt *tp,
			 const struct dpapp_prov_report *r);

/* audio.c: routes, volume, the ring tone */
void audio_apply_route(struct ui *ui);
void audio_volume_step(struct ui *ui, int delta);
/* The UI decides when to ring (DND, busy): the audio module's own
 * ringer is switched off so that only one ring plays. */
void audio_take_ringer(struct ui *ui);
void audio_ring_start(struct ui *ui);
void audio_ring_stop(struct ui *ui);

#endif
