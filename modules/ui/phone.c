/**
 * @file phone.c  What the keys and the call events do
 *
 * Hook and audio path: lifting the handset (or pressing speaker or
 * headset) takes the line; putting it down ends the call unless the
 * speaker or headset carries it.  Pressing speaker while only the speaker
 * carries a call ends it, as on every desk phone.
 *
 * baresip 1.0 raises no event for hold or resume, so `held` is ours: set
 * when our call_hold() succeeded.
 */
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include "ui.h"

/* The menu, in this order (render.c draws the same list). */
enum {
	MENU_STATUS, MENU_PRIVACY, MENU_CLEAR, MENU_RESTRICT, MENU_ERASE,
	MENU_PROVISION, MENU_BUNDLE, MENU_DND, MENU_COUNT
};


struct ua *ui_ua(void)
{
	struct ua *ua = uag_current();

	if (!ua && uag_list()->head)
		ua = uag_list()->head->data;

	return ua;
}


void ui_update(struct ui *ui)
{
	render(ui);
	(void)board_flush(ui->board);
}


static void note_expired(void *arg)
{
	struct ui *ui = arg;

	ui->note[0] = '\0';
	ui_update(ui);
}


void ui_note(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsnprintf(ui->note, sizeof(ui->note), fmt, ap);
	va_end(ap);
	tmr_start(&ui->note_tmr, NOTE_MS, note_expired, ui);
}


static bool is_menu_page(enum ui_mode m)
{
	return m == MODE_STATUS || m == MODE_PRIVACY || m == MODE_CLEAR ||
		m == MODE_ERASE || m == MODE_PROVISION || m == MODE_BUNDLE;
}


static void set_mode(struct ui *ui, enum ui_mode mode)
{
	/* back from a menu page: the menu as it was left */
	if (ui->mode == MODE_MENU && is_menu_page(mode))
		ui->menu_sel = ui->sel;
	if (ui->mode != mode)
		ui->sel = mode == MODE_MENU && is_menu_page(ui->mode) ?
			ui->menu_sel : 0;
	ui->mode = mode;
	if (mode != MODE_DIALING && mode != MODE_TRANSFER)
		tmr_cancel(&ui->dial_tmr);
}


static bool line_taken(const struct ui *ui)
{
	return ui->offhook || ui->speaker || ui->headset;
}


static void update_leds(struct ui *ui)
{
	enum led_state line = LED_OFF;

	if (ui->mode == MODE_INCOMING || (ui->call && ui->held))
		line = LED_BLINK;
	else if (ui->call)
		line = LED_ON;

	board_led(ui->board, BLED_LINE, line);
	board_led(ui->board, BLED_SPEAKER, ui->speaker ? LED_ON : LED_OFF);
	board_led(ui->board, BLED_MUTE, ui->call && ui->muted ? LED_ON :
		  LED_OFF);
	board_led(ui->board, BLED_MESSAGE, ui->mwi ? LED_BLINK : LED_OFF);
}


/* The user part of a SIP URI ("sip:101@host;x" -> "101"). */
static void peer_user(char *out, size_t sz, const char *uri)
{
	struct pl user;

	if (uri && 0 == re_regex(uri, strlen(uri), "sip[s]*:[^@]+@",
				 NULL, &user))
		(void)pl_strcpy(&user, out, sz);
	else
		str_ncpy(out, uri ? uri : "", sz);
}


/* A caller without a display name gets the one in our directory. */
static void name_from_directory(struct ui *ui)
{
	const char *name;

	if (ui->peer_name[0])
		return;

	name = directory_name_for(ui->dir, ui->peer);
	if (name)
		str_ncpy(ui->peer_name, name, sizeof(ui->peer_name));
}


static void adopt_call(struct ui *ui, struct call *call)
{
	ui->call = call;
	ui->call_out = call_is_outgoing(call);
	ui->established = false;
	ui->held = false;
	ui->muted = false;
	ui->call_start_ms = 0;
	ui->call_wall_start = time(NULL);
	peer_user(ui->peer, sizeof(ui->peer), call_peeruri(call));
	str_ncpy(ui->peer_name, call_peername(call) ? call_peername(call) : "",
		 sizeof(ui->peer_name));
	name_from_directory(ui);
}


static void dial(struct ui *ui, const char *what)
{
	struct ua *ua = ui_ua();
	struct call *call = NULL;
	char number[sizeof(ui->number)];
	int err;

	if (!what || !*what)
		return;

	/* `what` may be ui->number or ui->last_dialed: copy it first */
	str_ncpy(number, what, sizeof(number));

	if (!ua) {
		ui_note(ui, "No account");
		return;
	}

	if (!line_taken(ui))
		ui->speaker = true;     /* dialled on hook: hands-free */

	str_ncpy(ui->last_dialed, number, sizeof(ui->last_dialed));
	err = ua_connect(ua, &call, NULL, number, VIDMODE_OFF);
	if (err) {
		warning("dpui: dial %s: %m\n", number, err);
		ui_note(ui, "Call failed");
		set_mode(ui, MODE_DIALING);
		return;
	}

	adopt_call(ui, call);
	peer_user(ui->peer, sizeof(ui->peer), number);
	ui->peer_name[0] = '\0';
	name_from_directory(ui);
	ui->number[0] = '\0';
	set_mode(ui, MODE_CALLING);
	audio_apply_route(ui);
}


static void dial_timeout(void *arg)
{
	struct ui *ui = arg;

	if (ui->mode == MODE_DIALING && ui->number[0] && line_taken(ui)) {
		dial(ui, ui->number);
		ui_update(ui);
	}
}


static void start_dialing(struct ui *ui)
{
	if (ui->mode != MODE_DIALING) {
		ui->number[0] = '\0';
		set_mode(ui, MODE_DIALING);
	}
}


static void append_digit(struct ui *ui, char c)
{
	size_t n = strlen(ui->number);

	if (n + 1 < sizeof(ui->number)) {
		ui->number[n] = c;
		ui->number[n + 1] = '\0';
	}
}


static void hangup(struct ui *ui, uint16_t scode, const char *reason)
{
	struct call *call = ui->call;

	if (!call)
		return;

	/* CALL_CLOSED runs inside ua_hangup() and clears ui->call */
	ua_hangup(call_get_ua(call), call, scode, reason);
}


static void go_idle(struct ui *ui)
{
	ui->number[0] = '\0';
	ui->t9[0] = '\0';
	set_mode(ui, MODE_IDLE);
}


static void answer(struct ui *ui)
{
	int err;

	if (!ui->call || ui->mode != MODE_INCOMING)
		return;

	audio_ring_stop(ui);
	err = ua_answer(call_get_ua(ui->call), ui->call, VIDMODE_OFF);
	if (err) {
		warning("dpui: answer: %m\n", err);
		return;
	}
	set_mode(ui, MODE_CALL);
	audio_apply_route(ui);
}


static void toggle_hold(struct ui *ui)
{
	int err;

	if (!ui->call || !ui->established)
		return;

	err = call_hold(ui->call, !ui->held);
	if (err) {
		ui_note(ui, "Hold failed");
		return;
	}
	ui->held = !ui->held;
}


static void toggle_mute(struct ui *ui)
{
	struct audio *au = ui->call ? call_audio(ui->call) : NULL;

	if (!au)
		return;

	ui->muted = !ui->muted;
	audio_mute(au, ui->muted);
}


/* The handset went down or the speaker/headset was let go: does the
 * call still have an audio path? */
static void line_released(struct ui *ui)
{
	if (line_taken(ui)) {
		audio_apply_route(ui);
		return;
	}

	switch (ui->mode) {

	case MODE_CALLING:
	case MODE_CALL:
	case MODE_TRANSFER:
		hangup(ui, 0, NULL);
		go_idle(ui);
		break;

	case MODE_DIALING:
	case MODE_ENDED:
		go_idle(ui);
		break;

	default:
		break;
	}
}


/* Lifting the handset, or speaker/headset pressed to take the line. */
static void line_taken_now(struct ui *ui)
{
	switch (ui->mode) {

	case MODE_INCOMING:
		answer(ui);
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
		start_dialing(ui);
		break;

	case MODE_DIALING:
		if (ui->number[0])
			tmr_start(&ui->dial_tmr, ui->dial_timeout_ms,
				  dial_timeout, ui);
		break;

	case MODE_DIRECTORY: {
		const struct contact *c = directory_find(ui->dir, ui->t9,
							 ui->sel);
		if (c)
			dial(ui, c->uri);
		break;
	}

	default:
		break;
	}

	audio_apply_route(ui);
}


static void history_dial(struct ui *ui)
{
	struct history_entry e;

	if (ui->hist->ops->get(ui->hist, ui->sel, &e))
		return;

	dial(ui, e.number);
}


static size_t list_len(const struct ui *ui)
{
	switch (ui->mode) {

	case MODE_HISTORY:   return ui->hist->ops->count(ui->hist);
	case MODE_DIRECTORY: return directory_count(ui->dir, ui->t9);
	case MODE_MENU:      return MENU_COUNT;
	case MODE_PRIVACY:   return ui->privacy_n;
	default:             return 0;
	}
}


static bool list_nav(struct ui *ui, enum phone_key key)
{
	size_t n = list_len(ui);

	if (key == PK_UP && ui->sel > 0) {
		--ui->sel;
		return true;
	}
	if (key == PK_DOWN && ui->sel + 1 < n) {
		++ui->sel;
		return true;
	}

	return key == PK_UP || key == PK_DOWN;
}


static void toggle_dnd(struct ui *ui)
{
	ui->dnd = !ui->dnd;
	ui_note(ui, "DND %s", ui->dnd ? "on" : "off");
}


static void menu_select(struct ui *ui)
{
	switch (ui->sel) {

	case MENU_STATUS:
		set_mode(ui, MODE_STATUS);
		break;

	case MENU_PRIVACY:
		set_mode(ui, MODE_PRIVACY);
		privacy_page_load(ui);
		break;

	case MENU_CLEAR:
		set_mode(ui, MODE_CLEAR);
		break;

	case MENU_RESTRICT:
		privacy_toggle_restrict(ui);
		break;

	case MENU_ERASE:
		set_mode(ui, MODE_ERASE);
		break;

	case MENU_PROVISION:
		if (!job_provision_start(ui))
			set_mode(ui, MODE_PROVISION);
		break;

	case MENU_BUNDLE:
		if (!job_bundle_start(ui))
			set_mode(ui, MODE_BUNDLE);
		break;

	case MENU_DND:
		toggle_dnd(ui);
		break;

	default:
		break;
	}
}


static void open_history(struct ui *ui)
{
	ui->missed_new = 0;
	set_mode(ui, MODE_HISTORY);
	privacy_history_opened(ui);
}


/* Keys that mean the same in every mode; true when handled. */
static bool global_key(struct ui *ui, enum phone_key key)
{
	switch (key) {

	case PK_OFFHOOK:
		if (ui->offhook)
			return true;
		ui->offhook = true;
		ui->speaker = false;    /* the handset takes over */
		line_taken_now(ui);
		return true;

	case PK_ONHOOK:
		if (!ui->offhook)
			return true;
		ui->offhook = false;
		line_released(ui);
		return true;

	case PK_HOOK:
		return global_key(ui, ui->offhook ? PK_ONHOOK : PK_OFFHOOK);

	case PK_SPEAKER:
		if (ui->speaker) {
			ui->speaker = false;
			line_released(ui);
		}
		else {
			ui->speaker = true;
			ui->headset = false;
			line_taken_now(ui);
		}
		return true;

	case PK_HEADSET:
		if (ui->headset) {
			ui->headset = false;
			line_released(ui);
		}
		else {
			ui->headset = true;
			ui->speaker = false;
			line_taken_now(ui);
		}
		return true;

	case PK_VOLUME_UP:
		audio_volume_step(ui, +1);
		return true;

	case PK_VOLUME_DOWN:
		audio_volume_step(ui, -1);
		return true;

	case PK_MUTE:
		toggle_mute(ui);
		return true;

	case PK_DND:
		if (ui->mode == MODE_INCOMING) {
			hangup(ui, 486, "Busy Here");
			go_idle(ui);
		}
		toggle_dnd(ui);
		return true;

	default:
		return false;
	}
}


static void idle_key(struct ui *ui, enum phone_key key, char c)
{
	if (c) {
		start_dialing(ui);
		append_digit(ui, c);
		return;
	}

	switch (key) {

	case PK_REDIAL:
		if (ui->last_dialed[0])
			dial(ui, ui->last_dialed);
		else
			ui_note(ui, "Nothing to redial");
		break;

	case PK_SOFT1:
	case PK_HISTORY:
	case PK_UP:
		open_history(ui);
		break;

	case PK_SOFT2:
	case PK_DIRECTORY:
	case PK_DOWN:
		ui->t9[0] = '\0';
		set_mode(ui, MODE_DIRECTORY);
		break;

	case PK_SOFT3:
		toggle_dnd(ui);
		break;

	case PK_SOFT4:
	case PK_MENU:
	case PK_OK:
		set_mode(ui, MODE_MENU);
		break;

	default:
		break;
	}
}


static void dialing_key(struct ui *ui, enum phone_key key, char c)
{
	if (c == '#' && ui->number[0]) {
		dial(ui, ui->number);
		return;
	}
	if (c) {
		append_digit(ui, c);
		if (line_taken(ui))
			tmr_start(&ui->dial_tmr, ui->dial_timeout_ms,
				  dial_timeout, ui);
		return;
	}

	switch (key) {

	case PK_OK:
	case PK_SOFT1:
		dial(ui, ui->number);
		break;

	case PK_BACK:
	case PK_SOFT2:
		if (ui->number[0])
			ui->number[strlen(ui->number) - 1] = '\0';
		else if (!line_taken(ui))
			go_idle(ui);
		break;

	case PK_SOFT4:
		if (!line_taken(ui))
			go_idle(ui);
		break;

	case PK_REDIAL:
		if (ui->last_dialed[0])
			dial(ui, ui->last_dialed);
		break;

	default:
		break;
	}
}


static void call_key(struct ui *ui, enum phone_key key, char c)
{
	if (c) {
		if (ui->established) {
			(void)call_send_digit(ui->call, c);
			(void)call_send_digit(ui->call, KEYCODE_REL);
		}
		return;
	}

	switch (key) {

	case PK_HOLD:
	case PK_SOFT1:
		toggle_hold(ui);
		break;

	case PK_TRANSFER:
	case PK_SOFT2:
		if (ui->established) {
			ui->number[0] = '\0';
			set_mode(ui, MODE_TRANSFER);
		}
		break;

	case PK_SOFT3:
		toggle_mute(ui);
		break;

	case PK_SOFT4:
		hangup(ui, 0, NULL);
		if (!line_taken(ui))
			go_idle(ui);
		break;

	default:
		break;
	}
}


static void transfer_key(struct ui *ui, enum phone_key key, char c)
{
	int err;

	if (c && c != '#') {
		append_digit(ui, c);
		return;
	}

	if (c == '#' || key == PK_OK || key == PK_SOFT1 ||
	    key == PK_TRANSFER) {
		if (!ui->number[0] || !ui->call)
			return;
		err = call_transfer(ui->call, ui->number);
		ui_note(ui, err ? "Transfer failed" : "Transferring");
		set_mode(ui, MODE_CALL);
		return;
	}

	if (key == PK_BACK || key == PK_SOFT4) {
		if (ui->number[0] && key == PK_BACK)
			ui->number[strlen(ui->number) - 1] = '\0';
		else
			set_mode(ui, MODE_CALL);
	}
}


static void list_key(struct ui *ui, enum phone_key key, char c)
{
	if (list_nav(ui, key))
		return;

	switch (ui->mode) {

	case MODE_HISTORY:
		if (key == PK_OK || key == PK_SOFT1 || c == '#')
			history_dial(ui);
		else if (key == PK_BACK || key == PK_SOFT4)
			go_idle(ui);
		break;

	case MODE_DIRECTORY:
		if (c >= '0' && c <= '9' &&
		    strlen(ui->t9) + 1 < sizeof(ui->t9)) {
			size_t n = strlen(ui->t9);

			ui->t9[n] = c;
			ui->t9[n + 1] = '\0';
			ui->sel = 0;
		}
		else if (key == PK_OK || key == PK_SOFT1 || c == '#') {
			const struct contact *ct;

			ct = directory_find(ui->dir, ui->t9, ui->sel);
			if (ct)
				dial(ui, ct->uri);
		}
		else if (key == PK_BACK && ui->t9[0]) {
			ui->t9[strlen(ui->t9) - 1] = '\0';
			ui->sel = 0;
		}
		else if (key == PK_BACK || key == PK_SOFT4) {
			go_idle(ui);
		}
		break;

	case MODE_MENU:
		if (key == PK_OK || key == PK_SOFT1)
			menu_select(ui);
		else if (key == PK_BACK || key == PK_SOFT4)
			go_idle(ui);
		break;

	case MODE_CLEAR:
		if (key == PK_OK || key == PK_SOFT1) {
			(void)ui->hist->ops->clear(ui->hist);
			ui->missed_new = 0;
			ui_note(ui, "History cleared");
			set_mode(ui, MODE_MENU);
		}
		else if (key == PK_BACK || key == PK_SOFT4) {
			set_mode(ui, MODE_MENU);
		}
		break;

	case MODE_ERASE:
		if (key == PK_OK || key == PK_SOFT1) {
			privacy_erase(ui);
			ui->missed_new = 0;
			set_mode(ui, MODE_MENU);
		}
		else if (key == PK_BACK || key == PK_SOFT4) {
			set_mode(ui, MODE_MENU);
		}
		break;

	case MODE_STATUS:
	case MODE_PRIVACY:
	case MODE_PROVISION:
	case MODE_BUNDLE:
		if (key == PK_BACK || key == PK_OK || key == PK_SOFT4)
			set_mode(ui, MODE_MENU);
		break;

	default:
		break;
	}
}


void ui_key(enum phone_key key, enum key_action act, void *arg)
{
	struct ui *ui = arg;
	char c;

	if (act == KEY_RELEASE)
		return;

	if (act == KEY_REPEAT && !phone_key_repeats(key))
		return;

	if (act == KEY_PRESS && trust_prompt_key(ui->trust, key))
		goto out;

	if (global_key(ui, key))
		goto out;

	c = phone_key_char(key);

	switch (ui->mode) {

	case MODE_IDLE:
	case MODE_ENDED:
		idle_key(ui, key, c);
		break;

	case MODE_DIALING:
		dialing_key(ui, key, c);
		break;

	case MODE_CALLING:
		if (key == PK_BACK || key == PK_SOFT4) {
			hangup(ui, 0, NULL);
			if (!line_taken(ui))
				go_idle(ui);
		}
		break;

	case MODE_INCOMING:
		if (key == PK_OK || key == PK_SOFT1) {
			if (!line_taken(ui))
				ui->speaker = true;
			answer(ui);
		}
		else if (key == PK_BACK || key == PK_SOFT4) {
			hangup(ui, 486, "Busy Here");
			go_idle(ui);
		}
		break;

	case MODE_CALL:
		call_key(ui, key, c);
		break;

	case MODE_TRANSFER:
		transfer_key(ui, key, c);
		break;

	default:
		list_key(ui, key, c);
		break;
	}

 out:
	update_leds(ui);
	ui_update(ui);
}


static void record_call(struct ui *ui)
{
	struct history_entry e;

	memset(&e, 0, sizeof(e));
	if (ui->call_out)
		e.kind = HIST_PLACED;
	else if (ui->established)
		e.kind = HIST_RECEIVED;
	else
		e.kind = HIST_MISSED;

	str_ncpy(e.number, ui->peer, sizeof(e.number));
	str_ncpy(e.name, ui->peer_name, sizeof(e.name));
	e.start = ui->call_wall_start;
	e.duration_s = ui->established ? ui_call_seconds(ui) : 0;

	if (e.kind == HIST_MISSED)
		++ui->missed_new;

	(void)ui->hist->ops->add(ui->hist, &e);
}


/* A call DND or a busy line turned away: a missed call. */
static void record_turned_away(struct ui *ui, const struct call *call)
{
	struct history_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = HIST_MISSED;
	peer_user(e.number, sizeof(e.number), call_peeruri(call));
	str_ncpy(e.name, call_peername(call) ? call_peername(call) : "",
		 sizeof(e.name));
	e.start = time(NULL);
	++ui->missed_new;
	(void)ui->hist->ops->add(ui->hist, &e);
}


static void parse_mwi(struct ui *ui, const char *body)
{
	struct pl yes, n, o;

	if (!body)
		return;

	if (0 == re_regex(body, strlen(body), "Messages-Waiting:[ \t]*[a-z]+",
			  NULL, &yes))
		ui->mwi = !pl_strcasecmp(&yes, "yes");

	if (0 == re_regex(body, strlen(body),
			  "Voice-Message:[ \t]*[0-9]+/[0-9]+", NULL, &n, &o)) {
		ui->mwi_new = (int)pl_u32(&n);
		ui->mwi_old = (int)pl_u32(&o);
	}
}


/*
 * The call that replaces `gone` when we were transferred: the core
 * placed it to the transfer target and it is answered (dpcore
 * transfer.c); it takes the screen.
 */
static bool adopt_transfer_target(struct ui *ui, struct call *gone)
{
	struct le *le;

	for (le = ua_calls(call_get_ua(gone))->head; le; le = le->next) {
		struct call *call = le->data;

		if (call == gone || call_state(call) != CALL_STATE_ESTABLISHED)
			continue;
		adopt_call(ui, call);
		ui->established = true;
		ui->call_start_ms = tmr_jiffies() -
			(uint64_t)call_duration(call) * 1000;
		set_mode(ui, MODE_CALL);
		if (!line_taken(ui))
			ui->speaker = true;
		audio_apply_route(ui);
		return true;
	}

	return false;
}


/* A second call while one is on the screen: this phone has one line. */
static bool busy_elsewhere(const struct ui *ui, const struct call *call)
{
	return ui->call && ui->call != call;
}


void ui_event(struct ua *ua, enum ua_event ev, struct call *call,
	      const char *prm, void *arg)
{
	struct ui *ui = arg;
	(void)ua;

	switch (ev) {

	case UA_EVENT_REGISTER_OK:
		ui->registered = true;
		ui->reg_tried = true;
		ui->reg_reason[0] = '\0';
		break;

	case UA_EVENT_REGISTER_FAIL:
		ui->registered = false;
		ui->reg_tried = true;
		str_ncpy(ui->reg_reason, prm ? prm : "", sizeof(ui->reg_reason));
		break;

	case UA_EVENT_UNREGISTERING:
		ui->registered = false;
		break;

	case UA_EVENT_MWI_NOTIFY:
		parse_mwi(ui, prm);
		break;

	case UA_EVENT_CALL_INCOMING:
		if (ui->dnd || busy_elsewhere(ui, call)) {
			record_turned_away(ui, call);
			/* CALL_CLOSED comes inside; it is not ui->call */
			ua_hangup(call_get_ua(call), call, 486, "Busy Here");
			break;
		}
		adopt_call(ui, call);
		set_mode(ui, MODE_INCOMING);
		audio_apply_route(ui);
		audio_ring_start(ui);
		break;

	case UA_EVENT_CALL_RINGING:
	case UA_EVENT_CALL_PROGRESS:
		if (call == ui->call && ui->mode == MODE_CALLING)
			ui_note(ui, "Ringing");
		break;

	case UA_EVENT_CALL_ESTABLISHED:
		if (!ui->call)
			adopt_call(ui, call);   /* answered outside the UI */
		if (call != ui->call)
			break;
		audio_ring_stop(ui);
		ui->established = true;
		ui->call_start_ms = tmr_jiffies();
		ui->note[0] = '\0';
		if (ui->mode != MODE_TRANSFER)
			set_mode(ui, MODE_CALL);
		if (!line_taken(ui))
			ui->speaker = true;
		audio_apply_route(ui);
		break;

	case UA_EVENT_CALL_TRANSFER_FAILED:
		if (call == ui->call)
			ui_note(ui, "Transfer failed");
		break;

	case UA_EVENT_CALL_CLOSED:
		if (call != ui->call)
			break;
		audio_ring_stop(ui);
		ui->last_duration_s = ui->established ? ui_call_seconds(ui) : 0;
		record_call(ui);
		ui->call = NULL;
		ui->held = false;
		ui->muted = false;
		/* the speaker goes off with the call; a lifted handset or a
		 * worn headset stays, showing how the call ended */
		ui->speaker = false;
		if (line_taken(ui) && ui->mode != MODE_INCOMING)
			set_mode(ui, MODE_ENDED);
		else
			go_idle(ui);
		/* baresip's reason when the REFER we sent succeeded */
		if (prm && !strcmp(prm, "Call transfered"))
			ui_note(ui, "Transferred");
		else if (adopt_transfer_target(ui, call))
			ui_note(ui, "Transferred");
		break;

	default:
		return;
	}

	update_leds(ui);
	ui_update(ui);
}
