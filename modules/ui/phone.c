/**
 * @file phone.c  What the keys and the call events do (phone.h)
 *
 * Hook and audio path: lifting the handset (or pressing speaker or
 * headset) takes the line; putting it down ends the call unless the
 * speaker or headset carries it.  Pressing speaker while only the speaker
 * carries a call ends it, as on every desk phone.
 *
 * baresip 1.0 raises no event for hold or resume, so `held` is ours: set
 * when the host's hold succeeded.
 *
 * No baresip here, and nothing of libre's main loop: the host runs the
 * actions and the timers (phone.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <re.h>
#include "phone.h"

static const char *const route_names[ROUTE_COUNT] = {
	"none", "handset", "headset", "speaker", "ringer"
};


const char *route_name(enum route r)
{
	return r < ROUTE_COUNT ? route_names[r] : "?";
}


static void update_leds(struct phone *p)
{
	enum led_state line = LED_OFF;

	if (p->mode == MODE_INCOMING || (p->call && p->held))
		line = LED_BLINK;
	else if (p->call)
		line = LED_ON;

	board_led(p->board, BLED_LINE, line);
	board_led(p->board, BLED_SPEAKER, p->speaker ? LED_ON : LED_OFF);
	board_led(p->board, BLED_MUTE, p->call && p->muted ? LED_ON :
		  LED_OFF);
	board_led(p->board, BLED_MESSAGE, p->mwi ? LED_BLINK : LED_OFF);
}


void phone_update(struct phone *p)
{
	if (p->depth)
		return;

	update_leds(p);
	phone_render(p);
	(void)board_flush(p->board);
}


/* Every call in enters and leaves: the outermost leave draws. */
static void enter(struct phone *p)
{
	++p->depth;
}


static void leave(struct phone *p)
{
	--p->depth;
	phone_update(p);
}


uint32_t phone_call_seconds(const struct phone *p)
{
	if (!p->established || !p->call_start_ms)
		return 0;

	return (uint32_t)((p->ops->now_ms(p->arg) - p->call_start_ms) /
			  1000);
}


void phone_notev(struct phone *p, const char *fmt, va_list ap)
{
	(void)re_vsnprintf(p->note, sizeof(p->note), fmt, ap);
	p->ops->timer(p->arg, PT_NOTE, NOTE_MS);
	phone_update(p);
}


void phone_note(struct phone *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	phone_notev(p, fmt, ap);
	va_end(ap);
}


static bool is_menu_page(enum ui_mode m)
{
	return m == MODE_STATUS || m == MODE_PRIVACY || m == MODE_CLEAR ||
		m == MODE_ERASE || m == MODE_PROVISION || m == MODE_BUNDLE;
}


static void set_mode(struct phone *p, enum ui_mode mode)
{
	/* back from a menu page: the menu as it was left */
	if (p->mode == MODE_MENU && is_menu_page(mode))
		p->menu_sel = p->sel;
	if (p->mode != mode)
		p->sel = mode == MODE_MENU && is_menu_page(p->mode) ?
			p->menu_sel : 0;
	p->mode = mode;
	if (mode != MODE_DIALING && mode != MODE_TRANSFER)
		p->ops->timer(p->arg, PT_DIAL, 0);
}


static bool line_taken(const struct phone *p)
{
	return p->offhook || p->speaker || p->headset;
}


/* --- audio ----------------------------------------------------------------- */

static enum route wanted_route(const struct phone *p)
{
	if (p->mode == MODE_INCOMING)
		return ROUTE_RINGER;
	if (p->headset)
		return ROUTE_HEADSET;
	if (p->speaker)
		return ROUTE_SPEAKER;
	if (p->offhook)
		return ROUTE_HANDSET;

	return ROUTE_NONE;
}


static void apply_route(struct phone *p)
{
	enum route r = wanted_route(p);

	if (r == ROUTE_NONE || r == p->route)
		return;

	p->route = r;
	if (r != ROUTE_RINGER)
		p->ops->route(p->arg, r);
}


static void volume_step(struct phone *p, int delta)
{
	enum route r = p->route == ROUTE_NONE ? ROUTE_RINGER : p->route;
	int v = (int)p->volume[r] + delta;

	if (v < 0)
		v = 0;
	if (v > VOLUME_MAX)
		v = VOLUME_MAX;
	p->volume[r] = (unsigned)v;

	p->ops->volume(p->arg, r, p->volume[r] * 100 / VOLUME_MAX);
	phone_note(p, "%s vol %u/%u", route_name(r), p->volume[r],
		   (unsigned)VOLUME_MAX);
}


/* --- calls ----------------------------------------------------------------- */

/* The user part of a SIP URI ("sip:101@host;x" -> "101"). */
void phone_user_part(char *out, size_t sz, const char *uri)
{
	struct pl user;

	if (uri && 0 == re_regex(uri, strlen(uri), "sip[s]*:[^@]+@",
				 NULL, &user))
		(void)pl_strcpy(&user, out, sz);
	else
		str_ncpy(out, uri ? uri : "", sz);
}


/* A caller without a display name gets the one in our directory. */
static void name_from_directory(struct phone *p)
{
	const char *name;

	if (p->peer_name[0])
		return;

	name = directory_name_for(p->dir, p->peer);
	if (name)
		str_ncpy(p->peer_name, name, sizeof(p->peer_name));
}


static void adopt_call(struct phone *p, const struct phone_call *c)
{
	p->call = c->call;
	p->call_out = c->outgoing;
	p->established = false;
	p->held = false;
	p->muted = false;
	p->call_start_ms = 0;
	p->call_wall_start = p->ops->wall(p->arg);
	phone_user_part(p->peer, sizeof(p->peer), c->peer_uri);
	str_ncpy(p->peer_name, c->peer_name ? c->peer_name : "",
		 sizeof(p->peer_name));
	name_from_directory(p);
}


static void dial(struct phone *p, const char *what)
{
	char number[sizeof(p->number)];
	bool taken = line_taken(p);
	void *call = NULL;
	int err;

	if (!what || !*what)
		return;

	/* `what` may be p->number or p->last_dialed: copy it first */
	str_ncpy(number, what, sizeof(number));

	err = p->ops->dial(p->arg, number, &call);
	if (err == ENODEV) {
		phone_note(p, "No account");
		return;
	}

	if (!taken)
		p->speaker = true;     /* dialled on hook: hands-free */

	str_ncpy(p->last_dialed, number, sizeof(p->last_dialed));
	if (err) {
		phone_note(p, "Call failed");
		set_mode(p, MODE_DIALING);
		return;
	}

	adopt_call(p, &(struct phone_call){ .call = call, .outgoing = true });
	phone_user_part(p->peer, sizeof(p->peer), number);
	p->peer_name[0] = '\0';
	name_from_directory(p);
	p->number[0] = '\0';
	set_mode(p, MODE_CALLING);
	apply_route(p);
}


static void start_dialing(struct phone *p)
{
	if (p->mode != MODE_DIALING) {
		p->number[0] = '\0';
		set_mode(p, MODE_DIALING);
	}
}


static void append_digit(struct phone *p, char c)
{
	size_t n = strlen(p->number);

	if (n + 1 < sizeof(p->number)) {
		p->number[n] = c;
		p->number[n + 1] = '\0';
	}
}


static void hangup(struct phone *p, uint16_t scode, const char *reason)
{
	if (!p->call)
		return;

	/* the host may report PCALL_CLOSED from inside: p->call goes */
	p->ops->hangup(p->arg, p->call, scode, reason);
}


static void go_idle(struct phone *p)
{
	p->number[0] = '\0';
	p->t9[0] = '\0';
	set_mode(p, MODE_IDLE);
}


static void answer(struct phone *p)
{
	if (!p->call || p->mode != MODE_INCOMING)
		return;

	p->ops->ring(p->arg, false);
	if (p->ops->answer(p->arg, p->call))
		return;
	set_mode(p, MODE_CALL);
	apply_route(p);
}


static void toggle_hold(struct phone *p)
{
	if (!p->call || !p->established)
		return;

	if (p->ops->hold(p->arg, p->call, !p->held)) {
		phone_note(p, "Hold failed");
		return;
	}
	p->held = !p->held;
}


static void toggle_mute(struct phone *p)
{
	if (!p->call || p->ops->mute(p->arg, p->call, !p->muted))
		return;

	p->muted = !p->muted;
}


/* The handset went down or the speaker/headset was let go: does the
 * call still have an audio path? */
static void line_released(struct phone *p)
{
	if (line_taken(p)) {
		apply_route(p);
		return;
	}

	switch (p->mode) {

	case MODE_CALLING:
	case MODE_CALL:
	case MODE_TRANSFER:
		hangup(p, 0, NULL);
		go_idle(p);
		break;

	case MODE_DIALING:
	case MODE_ENDED:
		go_idle(p);
		break;

	default:
		break;
	}
}


/* Lifting the handset, or speaker/headset pressed to take the line. */
static void line_taken_now(struct phone *p)
{
	switch (p->mode) {

	case MODE_INCOMING:
		answer(p);
		break;

	case MODE_IDLE:
	case MODE_ENDED:
	case MODE_HISTORY:
	case MODE_MENU:
	case MODE_STATUS:
	case MODE_PRIVACY:
	case MODE_CLEAR:
	case MODE_ERASE:
	case MODE_PROVISION:
	case MODE_BUNDLE:
		start_dialing(p);
		break;

	case MODE_DIALING:
		if (p->number[0])
			p->ops->timer(p->arg, PT_DIAL, p->dial_timeout_ms);
		break;

	case MODE_DIRECTORY: {
		const struct contact *c = directory_find(p->dir, p->t9,
							 p->sel);
		if (c)
			dial(p, c->uri);
		break;
	}

	default:
		break;
	}

	apply_route(p);
}


/* --- lists and the menu ---------------------------------------------------- */

static void history_dial(struct phone *p)
{
	struct history_entry e;

	if (p->hist->ops->get(p->hist, p->sel, &e))
		return;

	dial(p, e.number);
}


static size_t list_len(const struct phone *p)
{
	switch (p->mode) {

	case MODE_HISTORY:   return p->hist->ops->count(p->hist);
	case MODE_DIRECTORY: return directory_count(p->dir, p->t9);
	case MODE_MENU:      return MENU_COUNT;
	case MODE_PRIVACY:   return p->privacy_n;
	default:             return 0;
	}
}


static bool list_nav(struct phone *p, enum phone_key key)
{
	size_t n = list_len(p);

	if (key == PK_UP && p->sel > 0) {
		--p->sel;
		return true;
	}
	if (key == PK_DOWN && p->sel + 1 < n) {
		++p->sel;
		return true;
	}

	return key == PK_UP || key == PK_DOWN;
}


static void toggle_dnd(struct phone *p)
{
	p->dnd = !p->dnd;
	phone_note(p, "DND %s", p->dnd ? "on" : "off");
}


static void menu_select(struct phone *p)
{
	switch (p->sel) {

	case MENU_STATUS:
		set_mode(p, MODE_STATUS);
		p->ops->local_addr(p->arg, p->ip, sizeof(p->ip));
		break;

	case MENU_PRIVACY:
		set_mode(p, MODE_PRIVACY);
		p->ops->privacy_load(p->arg);
		break;

	case MENU_CLEAR:
		set_mode(p, MODE_CLEAR);
		break;

	case MENU_RESTRICT:
		p->ops->privacy_restrict(p->arg, !p->restricted);
		break;

	case MENU_ERASE:
		set_mode(p, MODE_ERASE);
		break;

	case MENU_PROVISION:
		if (!p->ops->provision_start(p->arg))
			set_mode(p, MODE_PROVISION);
		break;

	case MENU_BUNDLE:
		if (!p->ops->bundle_start(p->arg))
			set_mode(p, MODE_BUNDLE);
		break;

	case MENU_DND:
		toggle_dnd(p);
		break;

	default:
		break;
	}
}


static void open_history(struct phone *p)
{
	p->missed_new = 0;
	set_mode(p, MODE_HISTORY);
	p->ops->history_opened(p->arg);
}


/* --- keys ------------------------------------------------------------------ */

/* Keys that mean the same in every mode; true when handled. */
static bool global_key(struct phone *p, enum phone_key key)
{
	switch (key) {

	case PK_OFFHOOK:
		if (p->offhook)
			return true;
		p->offhook = true;
		p->speaker = false;    /* the handset takes over */
		line_taken_now(p);
		return true;

	case PK_ONHOOK:
		if (!p->offhook)
			return true;
		p->offhook = false;
		line_released(p);
		return true;

	case PK_HOOK:
		return global_key(p, p->offhook ? PK_ONHOOK : PK_OFFHOOK);

	case PK_SPEAKER:
		if (p->speaker) {
			p->speaker = false;
			line_released(p);
		}
		else {
			p->speaker = true;
			p->headset = false;
			line_taken_now(p);
		}
		return true;

	case PK_HEADSET:
		if (p->headset) {
			p->headset = false;
			line_released(p);
		}
		else {
			p->headset = true;
			p->speaker = false;
			line_taken_now(p);
		}
		return true;

	case PK_VOLUME_UP:
		volume_step(p, +1);
		return true;

	case PK_VOLUME_DOWN:
		volume_step(p, -1);
		return true;

	case PK_MUTE:
		toggle_mute(p);
		return true;

	case PK_DND:
		if (p->mode == MODE_INCOMING) {
			hangup(p, 486, "Busy Here");
			go_idle(p);
		}
		toggle_dnd(p);
		return true;

	default:
		return false;
	}
}


static void idle_key(struct phone *p, enum phone_key key, char c)
{
	if (c) {
		start_dialing(p);
		append_digit(p, c);
		return;
	}

	switch (key) {

	case PK_REDIAL:
		if (p->last_dialed[0])
			dial(p, p->last_dialed);
		else
			phone_note(p, "Nothing to redial");
		break;

	case PK_SOFT1:
	case PK_HISTORY:
	case PK_UP:
		open_history(p);
		break;

	case PK_SOFT2:
	case PK_DIRECTORY:
	case PK_DOWN:
		p->t9[0] = '\0';
		set_mode(p, MODE_DIRECTORY);
		break;

	case PK_SOFT3:
		toggle_dnd(p);
		break;

	case PK_SOFT4:
	case PK_MENU:
	case PK_OK:
		set_mode(p, MODE_MENU);
		break;

	default:
		break;
	}
}


static void dialing_key(struct phone *p, enum phone_key key, char c)
{
	if (c == '#' && p->number[0]) {
		dial(p, p->number);
		return;
	}
	if (c) {
		append_digit(p, c);
		if (line_taken(p))
			p->ops->timer(p->arg, PT_DIAL, p->dial_timeout_ms);
		return;
	}

	switch (key) {

	case PK_OK:
	case PK_SOFT1:
		dial(p, p->number);
		break;

	case PK_BACK:
	case PK_SOFT2:
		if (p->number[0])
			p->number[strlen(p->number) - 1] = '\0';
		else if (!line_taken(p))
			go_idle(p);
		break;

	case PK_SOFT4:
		if (!line_taken(p))
			go_idle(p);
		break;

	case PK_REDIAL:
		if (p->last_dialed[0])
			dial(p, p->last_dialed);
		break;

	default:
		break;
	}
}


static void call_key(struct phone *p, enum phone_key key, char c)
{
	if (c) {
		if (p->established)
			p->ops->send_digit(p->arg, p->call, c);
		return;
	}

	switch (key) {

	case PK_HOLD:
	case PK_SOFT1:
		toggle_hold(p);
		break;

	case PK_TRANSFER:
	case PK_SOFT2:
		if (p->established) {
			p->number[0] = '\0';
			set_mode(p, MODE_TRANSFER);
		}
		break;

	case PK_SOFT3:
		toggle_mute(p);
		break;

	case PK_SOFT4:
		hangup(p, 0, NULL);
		if (!line_taken(p))
			go_idle(p);
		break;

	default:
		break;
	}
}


static void transfer_key(struct phone *p, enum phone_key key, char c)
{
	int err;

	if (c && c != '#') {
		append_digit(p, c);
		return;
	}

	if (c == '#' || key == PK_OK || key == PK_SOFT1 ||
	    key == PK_TRANSFER) {
		if (!p->number[0] || !p->call)
			return;
		err = p->ops->transfer(p->arg, p->call, p->number);
		phone_note(p, err ? "Transfer failed" : "Transferring");
		set_mode(p, MODE_CALL);
		return;
	}

	if (key == PK_BACK || key == PK_SOFT4) {
		if (p->number[0] && key == PK_BACK)
			p->number[strlen(p->number) - 1] = '\0';
		else
			set_mode(p, MODE_CALL);
	}
}


static void directory_key(struct phone *p, enum phone_key key, char c)
{
	if (c >= '0' && c <= '9' && strlen(p->t9) + 1 < sizeof(p->t9)) {
		size_t n = strlen(p->t9);

		p->t9[n] = c;
		p->t9[n + 1] = '\0';
		p->sel = 0;
	}
	else if (key == PK_OK || key == PK_SOFT1 || c == '#') {
		const struct contact *ct;

		ct = directory_find(p->dir, p->t9, p->sel);
		if (ct)
			dial(p, ct->uri);
	}
	else if (key == PK_BACK && p->t9[0]) {
		p->t9[strlen(p->t9) - 1] = '\0';
		p->sel = 0;
	}
	else if (key == PK_BACK || key == PK_SOFT4) {
		go_idle(p);
	}
}


/* A yes/no page of the menu: yes runs `yes` (if set). */
static void confirm_key(struct phone *p, enum phone_key key,
			void (*yes)(struct phone *p))
{
	if (key == PK_OK || key == PK_SOFT1) {
		yes(p);
		p->missed_new = 0;
		set_mode(p, MODE_MENU);
	}
	else if (key == PK_BACK || key == PK_SOFT4) {
		set_mode(p, MODE_MENU);
	}
}


static void clear_history(struct phone *p)
{
	(void)p->hist->ops->clear(p->hist);
	phone_note(p, "History cleared");
}


static void erase_data(struct phone *p)
{
	p->ops->privacy_erase(p->arg);
}


static void list_key(struct phone *p, enum phone_key key, char c)
{
	if (list_nav(p, key))
		return;

	switch (p->mode) {

	case MODE_HISTORY:
		if (key == PK_OK || key == PK_SOFT1 || c == '#')
			history_dial(p);
		else if (key == PK_BACK || key == PK_SOFT4)
			go_idle(p);
		break;

	case MODE_DIRECTORY:
		directory_key(p, key, c);
		break;

	case MODE_MENU:
		if (key == PK_OK || key == PK_SOFT1)
			menu_select(p);
		else if (key == PK_BACK || key == PK_SOFT4)
			go_idle(p);
		break;

	case MODE_CLEAR:
		confirm_key(p, key, clear_history);
		break;

	case MODE_ERASE:
		confirm_key(p, key, erase_data);
		break;

	case MODE_STATUS:
	case MODE_PRIVACY:
	case MODE_PROVISION:
	case MODE_BUNDLE:
		if (key == PK_BACK || key == PK_OK || key == PK_SOFT4)
			set_mode(p, MODE_MENU);
		break;

	default:
		break;
	}
}


static void mode_key(struct phone *p, enum phone_key key)
{
	char c;

	if (global_key(p, key))
		return;

	c = phone_key_char(key);

	switch (p->mode) {

	case MODE_IDLE:
	case MODE_ENDED:
		idle_key(p, key, c);
		break;

	case MODE_DIALING:
		dialing_key(p, key, c);
		break;

	case MODE_CALLING:
		if (key == PK_BACK || key == PK_SOFT4) {
			hangup(p, 0, NULL);
			if (!line_taken(p))
				go_idle(p);
		}
		break;

	case MODE_INCOMING:
		if (key == PK_OK || key == PK_SOFT1) {
			if (!line_taken(p))
				p->speaker = true;
			answer(p);
		}
		else if (key == PK_BACK || key == PK_SOFT4) {
			hangup(p, 486, "Busy Here");
			go_idle(p);
		}
		break;

	case MODE_CALL:
		call_key(p, key, c);
		break;

	case MODE_TRANSFER:
		transfer_key(p, key, c);
		break;

	default:
		list_key(p, key, c);
		break;
	}
}


/* --- "Trust this stick?" --------------------------------------------------- */

/* A call takes the screen and the keys; the question waits (and runs
 * out of time if nobody comes back to it). */
bool phone_trust_shown(const struct phone *p)
{
	switch (p->mode) {

	case MODE_INCOMING:
	case MODE_CALLING:
	case MODE_CALL:
	case MODE_TRANSFER:
		return false;

	default:
		return p->trust != TRUST_NONE;
	}
}


static void trust_answer(struct phone *p, enum phone_key key)
{
	bool yes = key == PK_OK || key == PK_SOFT1;
	char key_id[sizeof(p->trust_key_id)];

	/* the host may report the apply a yes starts from inside the
	 * answer: the state is ready for it (the menu's provisioning page
	 * follows the apply itself) */
	str_ncpy(key_id, p->trust_key_id, sizeof(key_id));
	p->trust = yes && p->mode != MODE_PROVISION ? TRUST_FOLLOWING :
		TRUST_NONE;
	str_ncpy(p->trust_lines[0], "reading the stick",
		 sizeof(p->trust_lines[0]));
	p->trust_lines[1][0] = '\0';

	/* yes trusts only the key shown */
	if (p->ops->trust_answer(p->arg, yes, yes ? key_id :
				 phone_key_name(key)) || !yes) {
		p->trust = TRUST_NONE;
		phone_note(p, "Stick refused");
	}
}


/* true: the key was the prompt's (nothing else is done with it) */
static bool trust_key(struct phone *p, enum phone_key key)
{
	/* the hook, speaker and headset keys answer and still take or
	 * leave the line */
	bool line_key = key == PK_OFFHOOK || key == PK_ONHOOK ||
		key == PK_HOOK || key == PK_SPEAKER || key == PK_HEADSET;

	if (!phone_trust_shown(p))
		return false;

	switch (p->trust) {

	case TRUST_ASKING:
		trust_answer(p, key);
		break;

	case TRUST_RESULT:
		p->trust = TRUST_NONE;
		break;

	default:
		break;      /* following: the apply goes on */
	}

	return !line_key;
}


void phone_trust_ask(struct phone *p, const char *key_id, const char *site)
{
	key_id = key_id ? key_id : "";

	/* asking already: only another stick's key changes the picture */
	if (p->trust == TRUST_FOLLOWING ||
	    (p->trust == TRUST_ASKING && !strcmp(key_id, p->trust_key_id)))
		return;

	p->trust = TRUST_ASKING;
	str_ncpy(p->trust_key_id, key_id, sizeof(p->trust_key_id));
	str_ncpy(p->trust_site, site ? site : "", sizeof(p->trust_site));
	phone_update(p);
}


void phone_trust_gone(struct phone *p)
{
	if (p->trust != TRUST_ASKING)
		return;

	p->trust = TRUST_NONE;
	phone_note(p, "Stick refused");
}


void phone_trust_progress(struct phone *p, bool done, const char *l1,
			  const char *l2)
{
	if (p->trust != TRUST_FOLLOWING)
		return;

	if (done)
		p->trust = TRUST_RESULT;
	str_ncpy(p->trust_lines[0], l1 ? l1 : "", sizeof(p->trust_lines[0]));
	str_ncpy(p->trust_lines[1], l2 ? l2 : "", sizeof(p->trust_lines[1]));
	phone_update(p);
}


void phone_key(struct phone *p, enum phone_key key, enum key_action act)
{
	if (act == KEY_RELEASE)
		return;

	if (act == KEY_REPEAT && !phone_key_repeats(key))
		return;

	enter(p);
	if (act != KEY_PRESS || !trust_key(p, key))
		mode_key(p, key);
	leave(p);
}


/* --- events ---------------------------------------------------------------- */

static void record(struct phone *p, enum history_kind kind,
		   const char *number, const char *name, time_t start,
		   uint32_t duration_s)
{
	struct history_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	str_ncpy(e.number, number, sizeof(e.number));
	str_ncpy(e.name, name ? name : "", sizeof(e.name));
	e.start = start;
	e.duration_s = duration_s;

	if (kind == HIST_MISSED)
		++p->missed_new;

	(void)p->hist->ops->add(p->hist, &e);
}


static void record_call(struct phone *p)
{
	enum history_kind kind = p->call_out ? HIST_PLACED :
		p->established ? HIST_RECEIVED : HIST_MISSED;

	record(p, kind, p->peer, p->peer_name, p->call_wall_start,
	       p->established ? phone_call_seconds(p) : 0);
}


static void incoming(struct phone *p, const struct phone_call *c)
{
	/* one line: a second call while one is on the screen, or DND,
	 * is turned away and listed as missed */
	if (p->dnd || (p->call && p->call != c->call)) {
		char number[64];

		phone_user_part(number, sizeof(number), c->peer_uri);
		record(p, HIST_MISSED, number, c->peer_name,
		       p->ops->wall(p->arg), 0);
		/* PCALL_CLOSED may come inside; it is not p->call */
		p->ops->hangup(p->arg, c->call, 486, "Busy Here");
		return;
	}
	adopt_call(p, c);
	set_mode(p, MODE_INCOMING);
	apply_route(p);
	p->ops->ring(p->arg, true);
}


static void established(struct phone *p, const struct phone_call *c)
{
	if (!p->call)
		adopt_call(p, c);   /* answered outside the UI */
	if (c->call != p->call)
		return;
	p->ops->ring(p->arg, false);
	p->established = true;
	p->call_start_ms = p->ops->now_ms(p->arg);
	p->note[0] = '\0';
	if (p->mode != MODE_TRANSFER)
		set_mode(p, MODE_CALL);
	if (!line_taken(p))
		p->speaker = true;
	apply_route(p);
}


/* We were transferred: the call to the target, answered already,
 * takes the screen. */
static void adopt_transfer_target(struct phone *p, const struct phone_call *c)
{
	adopt_call(p, c);
	p->established = true;
	p->call_start_ms = p->ops->now_ms(p->arg) -
		(uint64_t)c->duration_s * 1000;
	set_mode(p, MODE_CALL);
	if (!line_taken(p))
		p->speaker = true;
	apply_route(p);
}


static void closed(struct phone *p, const struct phone_call *c)
{
	if (c->call != p->call)
		return;
	p->ops->ring(p->arg, false);
	p->last_duration_s = p->established ? phone_call_seconds(p) : 0;
	record_call(p);
	p->call = NULL;
	p->held = false;
	p->muted = false;
	/* the speaker goes off with the call; a lifted handset or a worn
	 * headset stays, showing how the call ended */
	p->speaker = false;
	if (line_taken(p) && p->mode != MODE_INCOMING)
		set_mode(p, MODE_ENDED);
	else
		go_idle(p);

	if (c->next)
		adopt_transfer_target(p, c->next);
	if (c->transferred || c->next)
		phone_note(p, "Transferred");
}


void phone_call_event(struct phone *p, enum phone_call_event ev,
		      const struct phone_call *c)
{
	if (!c)
		return;

	enter(p);
	switch (ev) {

	case PCALL_INCOMING:
		incoming(p, c);
		break;

	case PCALL_RINGING:
		if (c->call == p->call && p->mode == MODE_CALLING)
			phone_note(p, "Ringing");
		break;

	case PCALL_ESTABLISHED:
		established(p, c);
		break;

	case PCALL_TRANSFER_FAILED:
		if (c->call == p->call)
			phone_note(p, "Transfer failed");
		break;

	case PCALL_CLOSED:
		closed(p, c);
		break;
	}
	leave(p);
}


void phone_registration(struct phone *p, enum phone_reg st,
			const char *reason)
{
	enter(p);
	switch (st) {

	case PREG_OK:
		p->registered = true;
		p->reg_tried = true;
		p->reg_reason[0] = '\0';
		break;

	case PREG_FAIL:
		p->registered = false;
		p->reg_tried = true;
		str_ncpy(p->reg_reason, reason ? reason : "",
			 sizeof(p->reg_reason));
		break;

	case PREG_UNREGISTERING:
		p->registered = false;
		break;
	}
	leave(p);
}


void phone_account(struct phone *p, const char *aor)
{
	p->account = aor != NULL;
	str_ncpy(p->aor, aor ? aor : "", sizeof(p->aor));
}


void phone_mwi(struct phone *p, const char *body)
{
	struct pl yes, n, o;

	if (!body)
		return;

	enter(p);
	if (0 == re_regex(body, strlen(body), "Messages-Waiting:[ \t]*[a-z]+",
			  NULL, &yes))
		p->mwi = !pl_strcasecmp(&yes, "yes");

	if (0 == re_regex(body, strlen(body),
			  "Voice-Message:[ \t]*[0-9]+/[0-9]+", NULL, &n, &o)) {
		p->mwi_new = (int)pl_u32(&n);
		p->mwi_old = (int)pl_u32(&o);
	}
	leave(p);
}


void phone_timer_fired(struct phone *p, enum phone_timer t)
{
	enter(p);
	switch (t) {

	case PT_DIAL:
		if (p->mode == MODE_DIALING && p->number[0] && line_taken(p))
			dial(p, p->number);
		break;

	case PT_NOTE:
		p->note[0] = '\0';
		break;

	default:
		break;
	}
	leave(p);
}


void phone_tick(struct phone *p)
{
	if (p->mode == MODE_STATUS)
		p->ops->local_addr(p->arg, p->ip, sizeof(p->ip));
	phone_update(p);
}


void phone_job_update(struct phone *p, const char *title, bool done,
		      const char *l1, const char *l2, const char *l3)
{
	const char *l[JOB_LINES] = { l1, l2, l3 };

	if (title)
		str_ncpy(p->job_title, title, sizeof(p->job_title));
	p->job_done = done;
	for (int i = 0; i < JOB_LINES; i++)
		str_ncpy(p->job_lines[i], l[i] ? l[i] : "",
			 sizeof(p->job_lines[i]));
	phone_update(p);
}


void phone_privacy_page(struct phone *p,
			const char lines[][PRIVACY_LINE_SZ], size_t n)
{
	p->privacy_n = n < PRIVACY_LINES ? n : PRIVACY_LINES;
	for (size_t i = 0; i < p->privacy_n; i++)
		str_ncpy(p->privacy_lines[i], lines[i], PRIVACY_LINE_SZ);
	if (p->mode == MODE_PRIVACY)
		p->sel = 0;
	phone_update(p);
}


void phone_restricted(struct phone *p, bool on)
{
	p->restricted = on;
	phone_update(p);
}


void phone_set_directory(struct phone *p, struct directory *dir)
{
	p->dir = dir;
	if (p->mode == MODE_DIRECTORY)
		p->sel = 0;
	phone_update(p);
}


void phone_history_changed(struct phone *p)
{
	if (p->mode == MODE_HISTORY || p->mode == MODE_CLEAR ||
	    p->mode == MODE_IDLE)
		phone_update(p);
}


int phone_alloc(struct phone **pp, struct board *board,
		struct history *hist, struct directory *dir,
		uint32_t dial_timeout_ms, const struct phone_ops *ops,
		void *arg)
{
	struct phone *p;

	if (!pp || !board || !hist || !dir || !ops)
		return EINVAL;

	p = mem_zalloc(sizeof(*p), NULL);
	if (!p)
		return ENOMEM;

	p->ops = ops;
	p->arg = arg;
	p->board = board;
	p->hist = hist;
	p->dir = dir;
	p->dial_timeout_ms = dial_timeout_ms ? dial_timeout_ms : 1000;
	for (int r = 0; r < ROUTE_COUNT; r++)
		p->volume[r] = VOLUME_MAX / 2;
	str_ncpy(p->ip, "?", sizeof(p->ip));

	*pp = p;

	return 0;
}
