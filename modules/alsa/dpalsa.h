/**
 * @file dpalsa.h  dpalsa: the baresip side (internal interfaces)
 *
 * Everything here runs on baresip's main thread.  The audio threads live
 * in stream.c and reach this side only through the handlers baresip gave
 * us (read/write) and the module's mqueue (reports).
 */
#ifndef DPALSA_H
#define DPALSA_H

#include "modules/baresip_api.h"
#include "audio_io.h"

/* How a source or player chooses its device: the device string of
 * audio_source/audio_player/audio_alert. */
enum dpalsa_binding {
	DPALSA_VOICE = 0,   /* "voice" or "": follows the voice route */
	DPALSA_ROUTE,       /* a route name: that route, always */
	DPALSA_PCM,         /* anything else: that ALSA PCM, no routes */
};

struct dpalsa_endpoint {
	struct le le;
	uint32_t id;
	enum dpa_dir dir;
	enum dpalsa_binding binding;
	enum dpa_route route;           /* in use (not for DPALSA_PCM) */
	char pcm[DPA_NAME_MAX];         /* in use */
	int fmt;
	struct dpa_stream *stream;

	ausrc_read_h *rh;               /* capture */
	ausrc_error_h *errh;
	auplay_write_h *wh;             /* playback */
	void *arg;
	bool errh_called;
};

struct dpalsa {
	struct dpa_routes routes;
	enum dpa_route active;          /* voice route in use */
	unsigned period_ms;
	unsigned buffer_periods;
	unsigned retry_ms;
	unsigned stall_ms;
	unsigned rt_priority;
	char volume_file[512];
	bool test_hooks;
	bool mixer_ok[DPA_ROUTES];      /* the route's mixer control works */
	bool mixer_warned[DPA_ROUTES];
	bool rt_warned;

	struct list endpoints;          /* live sources and players */
	uint32_t next_id;
	struct mqueue *mq;
	struct tmr probe_tmr;
	struct tmr save_tmr;
	bool volume_dirty;
};

/* The module's state; reset by module init. */
extern struct dpalsa dpalsa;

/* endpoint.c: sources, players, routes, the audio threads' reports */
int  dpalsa_endpoints_init(void);
void dpalsa_endpoints_close(void);
/* Select the voice route (handset, headset or speaker). */
int  dpalsa_select_route(enum dpa_route route);
/* Set a route's volume: mixer or software gain; saved shortly after. */
int  dpalsa_set_volume(enum dpa_route route, unsigned volume);
/* Apply every route's mixer control (start-up). */
void dpalsa_apply_mixers(void);
/* Test hook: stall the threads of the streams on `route` (all: -1). */
unsigned dpalsa_fault(int route, enum dpa_fault fault, unsigned ms);
void dpalsa_flush_volume(void);
const char *dpalsa_binding_name(const struct dpalsa_endpoint *ep);

/* command.c */
int  dpalsa_commands_init(bool test_hooks);
void dpalsa_commands_close(void);

/* ring.c: the ringer while an incoming call waits */
int  dpalsa_ring_init(bool enabled);
void dpalsa_ring_close(void);
void dpalsa_ring_enable(bool enabled);
bool dpalsa_ring_enabled(void);
bool dpalsa_ringing(void);

#endif
