/**
 * @file ui.h  dpui: the phone's user interface (internal interfaces)
 *
 * One struct ui per daemon: the host of the phone's state machine
 * (phone.h).  Keys (from the board) and UA events (from baresip, turned
 * into phone events by adapter.c) go into the phone; what it asks for
 * (dial, hang up, route, ring, timers, jobs, privacy) is done here with
 * baresip.  Everything runs on the re main thread.
 */
#ifndef DPUI_UI_H
#define DPUI_UI_H

#include "modules/baresip_api.h"
#include "phone.h"

/* The baresip host of the phone (phone.h): what only it holds. */
struct ui {
	struct board *board;
	struct history *hist;
	struct directory *dir;
	struct phone *phone;

	struct ui_timer {
		struct tmr tmr;
		struct ui *ui;
		enum phone_timer t;
	} tmr[PT_COUNT];
	struct tmr tick_tmr;

	struct play *ring;
	char alert_mod[32];
	char alert_dev[64];
	bool warned_route;
	bool warned_volume;
	char contacts_file[512];

	/* jobs the menu starts (jobs.c): provisioning, a debug bundle */
	struct tmr job_tmr;
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

/* adapter.c: UA events into the phone, its actions into baresip */
extern const struct phone_ops ui_phone_ops;
void ui_key(enum phone_key key, enum key_action act, void *arg);
void ui_event(struct ua *ua, enum ua_event ev, struct call *call,
	      const char *prm, void *arg);
void ui_note(struct ui *ui, const char *fmt, ...);
void ui_timers_cancel(struct ui *ui);
struct ua *ui_ua(void);

/* events.c: what the application core pushes to the UI */
int  ui_events_listen(struct ui *ui);
void ui_events_unlisten(struct ui *ui);

/* privacy.c: the menu's privacy entries, through the privacy module */
void privacy_page_load(struct ui *ui);
void privacy_restrict(struct ui *ui, bool on);
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

/* trust_prompt.c: the provisioning module's "Trust this stick?" into
 * the phone (phone_trust_*), and the person's answer back to it */
struct trust_prompt;
int  trust_prompt_alloc(struct trust_prompt **tpp, struct ui *ui);
/* yes for key id `what`, or no with `what` the phone key's name;
 * ENOENT: the question was gone already */
int  trust_prompt_answer(struct trust_prompt *tp, bool yes,
			 const char *what);
/* Provisioning's news (the application core pushes it). */
void trust_prompt_report(struct trust_prompt *tp,
			 const struct dpapp_prov_report *r);

/* audio.c: routes, volume, the ring tone */
void audio_route(struct ui *ui, enum route r);
void audio_volume(struct ui *ui, enum route r, unsigned percent);
/* The UI decides when to ring (DND, busy): the audio module's own
 * ringer is switched off so that only one ring plays. */
void audio_take_ringer(struct ui *ui);
void audio_ring_start(struct ui *ui);
void audio_ring_stop(struct ui *ui);

#endif
