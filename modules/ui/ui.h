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
	MODE_PRIVACY,
	MODE_CLEAR,         /* "clear history?" */
};

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

/* audio.c: routes, volume, the ring tone */
void audio_apply_route(struct ui *ui);
void audio_volume_step(struct ui *ui, int delta);
/* The UI decides when to ring (DND, busy): the audio module's own
 * ringer is switched off so that only one ring plays. */
void audio_take_ringer(struct ui *ui);
void audio_ring_start(struct ui *ui);
void audio_ring_stop(struct ui *ui);

#endif
