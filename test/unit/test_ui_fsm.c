/**
 * @file test_ui_fsm.c  The phone's behaviour without baresip
 *                      (modules/ui/phone.c, render.c): every screen and
 *                      key of docs/board-and-ui.md
 *
 * The host here is the test: keys and call events go in by hand, the
 * phone's actions are written to a log as text ("dial 101", "hangup c1
 * 486"), its timers fire when the test says.  Like baresip, hanging up
 * reports the call closed from inside the hangup.  What the user sees is
 * read from the board: the screen's rows and the LED states.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "modules/ui/phone.h"
#include "dptest.h"

/* --- the host -------------------------------------------------------------- */

static struct host {
	char log[4096];          /* actions, each followed by "; " */
	uint64_t now_ms;
	time_t wall;
	uint32_t timer[PT_COUNT];
	unsigned calls;          /* handles given out: c1, c2, ... */
	int dial_err, answer_err, hold_err, transfer_err, mute_err;
	int provision_err, bundle_err, trust_err;
	bool trust_reports_inside;   /* the apply's news inside the answer */
	bool legal_hold;
} H;

static struct phone *P;
static struct board *B;

/* a history whose restriction the test sets */
static struct test_history {
	struct history base;
	struct history *mem;
	bool restricted;
} TH;


static void did(const char *fmt, ...)
{
	size_t n = strlen(H.log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(H.log + n, sizeof(H.log) - n, fmt, ap);
	va_end(ap);
	n = strlen(H.log);
	snprintf(H.log + n, sizeof(H.log) - n, "; ");
}


static unsigned cn(const void *call)
{
	return (unsigned)(uintptr_t)call;
}


static void *handle(unsigned n)
{
	return (void *)(uintptr_t)n;
}


static int h_dial(void *arg, const char *number, void **callp)
{
	(void)arg;
	did("dial %s", number);
	if (H.dial_err)
		return H.dial_err;
	*callp = handle(++H.calls);
	return 0;
}


static int h_answer(void *arg, void *call)
{
	(void)arg;
	did("answer c%u", cn(call));
	return H.answer_err;
}


static void h_hangup(void *arg, void *call, uint16_t scode,
		     const char *reason)
{
	(void)arg;
	(void)reason;
	did("hangup c%u %u", cn(call), scode);
	/* as baresip: the call is closed from inside */
	phone_call_event(P, PCALL_CLOSED, &(struct phone_call){ .call = call });
}


static int h_hold(void *arg, void *call, bool hold)
{
	(void)arg;
	did("hold c%u %s", cn(call), hold ? "on" : "off");
	return H.hold_err;
}


static int h_transfer(void *arg, void *call, const char *target)
{
	(void)arg;
	did("transfer c%u %s", cn(call), target);
	return H.transfer_err;
}


static void h_send_digit(void *arg, void *call, char key)
{
	(void)arg;
	did("dtmf c%u %c", cn(call), key);
}


static int h_mute(void *arg, void *call, bool mute)
{
	(void)arg;
	if (H.mute_err)
		return H.mute_err;
	did("mute c%u %s", cn(call), mute ? "on" : "off");
	return 0;
}


static void h_route(void *arg, enum route r)
{
	(void)arg;
	did("route %s", route_name(r));
}


static void h_volume(void *arg, enum route r, unsigned percent)
{
	(void)arg;
	did("volume %s %u", route_name(r), percent);
}


static void h_ring(void *arg, bool on)
{
	(void)arg;
	did("ring %s", on ? "on" : "off");
}


static void h_timer(void *arg, enum phone_timer t, uint32_t ms)
{
	(void)arg;
	H.timer[t] = ms;
}


static uint64_t h_now_ms(void *arg)
{
	(void)arg;
	return H.now_ms;
}


static time_t h_wall(void *arg)
{
	(void)arg;
	return H.wall;
}


static void h_local_addr(void *arg, char *buf, size_t sz)
{
	(void)arg;
	snprintf(buf, sz, "192.0.2.10");
}


static int h_provision_start(void *arg)
{
	(void)arg;
	did("provision");
	if (H.provision_err) {
		phone_note(P, "Busy: wait");
		return H.provision_err;
	}
	phone_job_update(P, "Provisioning", false, "reading the stick",
			 NULL, NULL);
	return 0;
}


static int h_bundle_start(void *arg)
{
	(void)arg;
	did("bundle");
	if (H.bundle_err) {
		phone_note(P, "Bundle failed");
		return H.bundle_err;
	}
	phone_job_update(P, "Debug bundle", false, "collecting and",
			 "redacting...", NULL);
	return 0;
}


static void h_privacy_load(void *arg)
{
	static const char lines[][PRIVACY_LINE_SZ] = {
		"3 calls, 2 contacts", "Calls kept 90 days",
		"Numbers: 3, 30 d", "List shows 30 days",
		"Log: 12 lines, 7 d", "No audio recorded",
	};
	(void)arg;
	did("privacy load");
	phone_privacy_page(P, lines, sizeof(lines) / sizeof(lines[0]));
}


static void h_privacy_restrict(void *arg, bool on)
{
	(void)arg;
	did("restrict %s", on ? "on" : "off");
	TH.restricted = on;
	phone_restricted(P, on);
	phone_note(P, on ? "Restricted" : "Not restricted");
}


static void h_privacy_erase(void *arg)
{
	(void)arg;
	did("erase");
	if (H.legal_hold) {
		phone_note(P, "Refused: legal hold");
		return;
	}
	(void)TH.mem->ops->clear(TH.mem);
	phone_note(P, "Data erased");
}


static void h_history_opened(void *arg)
{
	(void)arg;
	did("history opened%s", TH.restricted ? " (refused)" : "");
}


static int h_trust_answer(void *arg, bool yes, const char *what)
{
	(void)arg;
	did("trust %s %s", yes ? "yes" : "no", what);
	if (yes && H.trust_reports_inside && !H.trust_err)
		phone_trust_progress(P, false, "checking signature", NULL);
	return H.trust_err;
}


static const struct phone_ops ops = {
	h_dial, h_answer, h_hangup, h_hold, h_transfer, h_send_digit,
	h_mute, h_route, h_volume, h_ring, h_timer, h_now_ms, h_wall,
	h_local_addr, h_provision_start, h_bundle_start, h_privacy_load,
	h_privacy_restrict, h_privacy_erase, h_history_opened,
	h_trust_answer,
};


/* the history: memory, with a restriction the test sets */
static int th_add(struct history *h, const struct history_entry *e)
{
	(void)h;
	return TH.mem->ops->add(TH.mem, e);
}


static size_t th_count(const struct history *h)
{
	(void)h;
	return TH.restricted ? 0 : TH.mem->ops->count(TH.mem);
}


static int th_get(const struct history *h, size_t i,
		  struct history_entry *e)
{
	(void)h;
	return TH.restricted ? ENOENT : TH.mem->ops->get(TH.mem, i, e);
}


static int th_clear(struct history *h)
{
	(void)h;
	return TH.mem->ops->clear(TH.mem);
}


static bool th_restricted(const struct history *h)
{
	(void)h;
	return TH.restricted;
}


static const struct history_ops th_ops = {
	"test", th_add, th_count, th_get, th_clear, NULL, th_restricted
};


static const char contacts[] =
	"Echo Service <sip:101@example.com>\n"
	"Front Desk <sip:102@example.com>\n"
	"Alice Smith <sip:103@example.com>\n";


static void key_unused(enum phone_key key, enum key_action act, void *arg)
{
	(void)key;
	(void)act;
	(void)arg;
}


/* A phone on a board without a display, idle, account 100. */
static void setup_rows(unsigned rows)
{
	struct board_desc *d = mem_zalloc(sizeof(*d), NULL);
	struct directory *dir = NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	memset(&H, 0, sizeof(H));
	memset(&TH, 0, sizeof(TH));
	H.now_ms = 1000000;
	H.wall = 1796639400;      /* Mon 07 Dec 2026 10:30 UTC */

	DP_ASSERT(d != NULL);
	d->lcd_type = LCD_NONE;
	d->lcd_rows = rows;
	d->lcd_cols = 20;
	DP_ASSERT_OK(board_alloc(&B, d, key_unused, NULL));
	mem_deref(d);

	DP_ASSERT_OK(history_mem_alloc(&TH.mem, 50));
	TH.base.ops = &th_ops;
	DP_ASSERT_OK(directory_parse(&dir, contacts, strlen(contacts), NULL,
				     NULL));
	DP_ASSERT_OK(phone_alloc(&P, B, &TH.base, dir, 5000, &ops, NULL));
	phone_account(P, "sip:100@example.com");
	phone_tick(P);
}


static void setup(void)
{
	setup_rows(4);
}


/* Row r as text, glyphs as their codes, without trailing blanks. */
static const char *row(unsigned r)
{
	static char buf[4][64];
	const uint8_t *cells = screen_row(board_screen(B), r);
	unsigned cols = screen_cols(board_screen(B));
	size_t n = cols;

	memcpy(buf[r], cells, cols);
	while (n && buf[r][n - 1] == ' ')
		--n;
	buf[r][n] = '\0';

	return buf[r];
}


/* `left`, blanks, `right` at the end of a 20-column row */
static const char *lr(const char *left, const char *right)
{
	static char buf[4][64];
	static unsigned i;
	char *b = buf[i++ % 4];

	snprintf(b, sizeof(buf[0]), "%-*s%s", (int)(20 - strlen(right)),
		 left, right);

	return b;
}


#define ROW_IS(r, text) DP_ASSERT_STREQ(row(r), text)
#define ROW_HAS(r, text) DP_ASSERT_MSG(strstr(row(r), text) != NULL, \
	"row %u \"%s\" lacks \"%s\"", r, row(r), text)
#define DID(text) DP_ASSERT_MSG(strstr(H.log, text) != NULL, \
	"actions \"%s\" lack \"%s\"", H.log, text)
#define DID_NOT(text) DP_ASSERT_MSG(strstr(H.log, text) == NULL, \
	"actions \"%s\" have \"%s\"", H.log, text)
#define LED_IS(led, st) DP_ASSERT_EQ(board_led_state(B, led), st)

static void clear_log(void)
{
	H.log[0] = '\0';
}


static void key(enum phone_key k)
{
	phone_key(P, k, KEY_PRESS);
	phone_key(P, k, KEY_RELEASE);
}


static void type(const char *digits)
{
	for (const char *c = digits; *c; c++)
		key(*c == '*' ? PK_STAR : *c == '#' ? PK_POUND :
		    (enum phone_key)(PK_0 + (*c - '0')));
}


static void call_ev(enum phone_call_event ev, unsigned n, const char *uri,
		    const char *name, bool out)
{
	struct phone_call c = {
		.call = handle(n), .peer_uri = uri, .peer_name = name,
		.outgoing = out,
	};

	phone_call_event(P, ev, &c);
}


static void ring_in(unsigned n, const char *uri, const char *name)
{
	call_ev(PCALL_INCOMING, n, uri, name, false);
}


static void established(unsigned n)
{
	call_ev(PCALL_ESTABLISHED, n, NULL, NULL, false);
}


static void closed(unsigned n)
{
	call_ev(PCALL_CLOSED, n, NULL, NULL, false);
}


static void fire(enum phone_timer t)
{
	DP_ASSERT_MSG(H.timer[t] != 0, "timer %d is not running", t);
	H.timer[t] = 0;
	phone_timer_fired(P, t);
}


/* An outgoing call from the handset to 101, answered: c1. */
static void handset_call(void)
{
	key(PK_OFFHOOK);
	type("101#");
	established(1);
	clear_log();
}


static void history_add(enum history_kind kind, const char *number,
			const char *name, time_t start)
{
	struct history_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	snprintf(e.number, sizeof(e.number), "%s", number);
	snprintf(e.name, sizeof(e.name), "%s", name);
	e.start = start;
	DP_ASSERT_OK(TH.mem->ops->add(TH.mem, &e));
}


static void open_menu_at(size_t entry)
{
	key(PK_MENU);
	for (size_t i = 0; i < entry; i++)
		key(PK_DOWN);
	DP_ASSERT_EQ(P->sel, entry);
}


/* --- idle ------------------------------------------------------------------ */

DP_TEST(idle_extension_registration_date_softkeys)
{
	setup();
	ROW_IS(0, "100 Registering");
	ROW_IS(1, lr("Mon 07 Dec", "10:30"));
	ROW_IS(2, "");
	ROW_IS(3, "Hist Dir  DND  Menu");

	phone_registration(P, PREG_OK, NULL);
	ROW_IS(0, "100 Registered");
	phone_registration(P, PREG_FAIL, "403 Forbidden");
	ROW_IS(0, "100 Not registered");
	phone_account(P, NULL);
	phone_tick(P);
	ROW_IS(0, "No account");
}


DP_TEST(idle_missed_mwi_dnd)
{
	setup();
	ring_in(1, "sip:102@example.com", NULL);
	closed(1);
	phone_mwi(P, "Messages-Waiting: yes\r\nVoice-Message: 2/8\r\n");
	key(PK_SOFT3);
	fire(PT_NOTE);
	/* 21 characters: the row cuts the last one */
	ROW_IS(2, "1 missed  \x05" "2 new  DN");
	LED_IS(BLED_MESSAGE, LED_BLINK);
	phone_mwi(P, "Messages-Waiting: no\r\nVoice-Message: 0/8\r\n");
	LED_IS(BLED_MESSAGE, LED_OFF);
	ROW_IS(2, "1 missed  DND");
}


DP_TEST(idle_digits_predial_on_hook)
{
	setup();
	type("10");
	DP_ASSERT_EQ(P->mode, MODE_DIALING);
	ROW_IS(0, "Dial:");
	ROW_IS(1, "10_");
	ROW_IS(3, "Send Del");
	/* on hook nothing is dialled by itself */
	DP_ASSERT_EQ(H.timer[PT_DIAL], 0);
	DID_NOT("dial");
}


DP_TEST(idle_lift_speaker_headset_start_dialing)
{
	setup();
	key(PK_OFFHOOK);
	DP_ASSERT_EQ(P->mode, MODE_DIALING);
	ROW_IS(0, "Dial:");
	DID("route handset");
	key(PK_ONHOOK);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);

	key(PK_SPEAKER);
	ROW_IS(0, "Dial (speaker):");
	DID("route speaker");
	LED_IS(BLED_SPEAKER, LED_ON);
	key(PK_SPEAKER);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	LED_IS(BLED_SPEAKER, LED_OFF);

	key(PK_HEADSET);
	DP_ASSERT_EQ(P->mode, MODE_DIALING);
	DID("route headset");
	key(PK_HEADSET);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);

	/* the hook key toggles where there is no switch */
	key(PK_HOOK);
	DP_ASSERT(P->offhook);
	key(PK_HOOK);
	DP_ASSERT(!P->offhook);
}


DP_TEST(idle_redial)
{
	setup();
	key(PK_REDIAL);
	ROW_IS(3, "Nothing to redial");
	DID_NOT("dial");

	type("102#");
	closed(1);
	clear_log();
	key(PK_REDIAL);
	DID("dial 102");
	DP_ASSERT_EQ(P->mode, MODE_CALLING);
	DP_ASSERT(P->speaker);     /* on hook: hands-free */
}


DP_TEST(idle_keys_open_lists_and_menu)
{
	static const struct { enum phone_key k; enum ui_mode m; } t[] = {
		{ PK_UP, MODE_HISTORY }, { PK_SOFT1, MODE_HISTORY },
		{ PK_HISTORY, MODE_HISTORY }, { PK_DOWN, MODE_DIRECTORY },
		{ PK_SOFT2, MODE_DIRECTORY }, { PK_DIRECTORY, MODE_DIRECTORY },
		{ PK_OK, MODE_MENU }, { PK_MENU, MODE_MENU },
		{ PK_SOFT4, MODE_MENU },
	};

	setup();
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		key(t[i].k);
		DP_ASSERT_MSG(P->mode == t[i].m, "key %s: mode %d",
			      phone_key_name(t[i].k), P->mode);
		key(PK_BACK);
		DP_ASSERT_EQ(P->mode, MODE_IDLE);
	}

	key(PK_SOFT3);
	DP_ASSERT(P->dnd);
	ROW_IS(3, "DND on");
	key(PK_DND);
	DP_ASSERT(!P->dnd);
	ROW_IS(3, "DND off");
}


/* --- dialing --------------------------------------------------------------- */

DP_TEST(dialing_back_deletes_then_leaves)
{
	setup();
	type("123");
	key(PK_BACK);
	ROW_IS(1, "12_");
	key(PK_SOFT2);
	key(PK_BACK);
	ROW_IS(1, "_");
	key(PK_BACK);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);

	type("5");
	key(PK_SOFT4);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);

	/* off hook, back on an empty number stays */
	key(PK_OFFHOOK);
	key(PK_BACK);
	DP_ASSERT_EQ(P->mode, MODE_DIALING);
}


DP_TEST(dialing_pound_or_ok_sends)
{
	setup();
	type("101#");
	DID("dial 101");
	DP_ASSERT_EQ(P->mode, MODE_CALLING);
	DID("route speaker");
	LED_IS(BLED_SPEAKER, LED_ON);
	LED_IS(BLED_LINE, LED_ON);

	key(PK_SPEAKER);           /* the speaker alone: ends it */
	DID("hangup c1 0");
	clear_log();
	type("102");
	key(PK_OK);
	DID("dial 102");
	key(PK_BACK);
	clear_log();
	type("103");
	key(PK_SOFT1);
	DID("dial 103");
}


DP_TEST(dialing_timeout_off_hook)
{
	setup();
	key(PK_OFFHOOK);
	type("10");
	DP_ASSERT_EQ(H.timer[PT_DIAL], 5000);
	type("1");
	DID_NOT("dial");
	fire(PT_DIAL);
	DID("dial 101");
	DP_ASSERT_EQ(P->mode, MODE_CALLING);
	ROW_IS(0, "Calling...");
	DP_ASSERT(!P->speaker);
}


DP_TEST(dialing_lifting_with_digits_starts_the_timer)
{
	setup();
	type("12");
	DP_ASSERT_EQ(H.timer[PT_DIAL], 0);
	key(PK_OFFHOOK);
	DP_ASSERT_EQ(H.timer[PT_DIAL], 5000);
	fire(PT_DIAL);
	DID("dial 12");
}


DP_TEST(dialing_hanging_up_abandons)
{
	setup();
	key(PK_OFFHOOK);
	type("10");
	key(PK_ONHOOK);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	DP_ASSERT_EQ(H.timer[PT_DIAL], 0);
	DID_NOT("dial");
}


DP_TEST(dialing_without_account_or_failing)
{
	setup();
	H.dial_err = ENODEV;
	type("101#");
	ROW_IS(3, "No account");
	DP_ASSERT(!P->speaker);
	DP_ASSERT_EQ(P->mode, MODE_DIALING);

	H.dial_err = EINVAL;
	key(PK_POUND);
	ROW_IS(3, "Call failed");
	DP_ASSERT_EQ(P->mode, MODE_DIALING);
	DP_ASSERT_STREQ(P->last_dialed, "101");
}


/* --- calling --------------------------------------------------------------- */

DP_TEST(calling_then_ringing_with_name)
{
	setup();
	type("102#");
	ROW_IS(0, "Calling...");
	ROW_IS(1, "\x08 Front Desk");
	ROW_IS(3, "                 End");
	call_ev(PCALL_RINGING, 1, "sip:102@example.com", NULL, true);
	ROW_IS(0, "Ringing...");
	DP_ASSERT_EQ(H.timer[PT_NOTE], NOTE_MS);
	ROW_IS(3, "                 End");
}


DP_TEST(calling_back_cancels)
{
	setup();
	type("101#");
	key(PK_BACK);
	DID("hangup c1 0");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	LED_IS(BLED_LINE, LED_OFF);
	LED_IS(BLED_SPEAKER, LED_OFF);

	/* the far end is written down as placed */
	key(PK_UP);
	ROW_HAS(1, "\x08" "Echo Service");
}


DP_TEST(calling_hanging_up_cancels)
{
	setup();
	key(PK_OFFHOOK);
	type("101#");
	key(PK_SOFT4);
	DID("hangup c1 0");
	DP_ASSERT_EQ(P->mode, MODE_ENDED);    /* the handset is still up */
	key(PK_ONHOOK);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);

	key(PK_OFFHOOK);
	type("101#");
	clear_log();
	key(PK_ONHOOK);
	DID("hangup c2 0");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
}


/* --- incoming -------------------------------------------------------------- */

DP_TEST(incoming_shows_caller_and_rings)
{
	setup();
	ring_in(1, "sip:200@example.com;transport=udp", "Bob");
	ROW_IS(0, "Incoming call");
	ROW_IS(1, "\x07 Bob");
	ROW_IS(2, "200");
	ROW_IS(3, "Answer       Reject");
	DID("ring on");
	DID_NOT("route");          /* the ringer is the ring tone's */
	LED_IS(BLED_LINE, LED_BLINK);

	/* without a display name: the directory's */
	key(PK_BACK);
	ring_in(2, "sip:103@example.com", NULL);
	ROW_IS(1, "\x07 Alice Smith");
	ROW_IS(2, "103");
}


DP_TEST(incoming_answered_by_lifting)
{
	setup();
	ring_in(1, "sip:200@example.com", NULL);
	clear_log();
	key(PK_OFFHOOK);
	DID("ring off; answer c1; route handset");
	DP_ASSERT_EQ(P->mode, MODE_CALL);
	established(1);
	ROW_IS(0, lr("\x04 Connected", "00:00"));
	LED_IS(BLED_LINE, LED_ON);
	LED_IS(BLED_SPEAKER, LED_OFF);
}


DP_TEST(incoming_answered_by_speaker_headset_or_ok)
{
	static const enum phone_key k[] = { PK_SPEAKER, PK_HEADSET, PK_OK,
					    PK_SOFT1 };
	static const char *const route[] = { "route speaker",
		"route headset", "route speaker", "route speaker" };

	for (size_t i = 0; i < 4; i++) {
		setup();
		ring_in(1, "sip:200@example.com", NULL);
		clear_log();
		key(k[i]);
		DID("answer c1");
		DID(route[i]);
		DP_ASSERT_EQ(P->mode, MODE_CALL);
		mem_deref(P);
		mem_deref(B);
	}
}


DP_TEST(incoming_back_rejects_busy)
{
	setup();
	ring_in(1, "sip:200@example.com", NULL);
	key(PK_BACK);
	DID("hangup c1 486");
	DID("ring off");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	ROW_IS(2, "1 missed");

	ring_in(2, "sip:200@example.com", NULL);
	key(PK_SOFT4);
	DID("hangup c2 486");
	ROW_IS(2, "2 missed");
}


DP_TEST(incoming_dnd_rejects_and_turns_dnd_on)
{
	setup();
	ring_in(1, "sip:200@example.com", NULL);
	key(PK_DND);
	DID("hangup c1 486");
	DP_ASSERT(P->dnd);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	ROW_IS(3, "DND on");

	/* under DND a call is turned away at once, listed as missed */
	clear_log();
	ring_in(2, "sip:201@example.com", "Carol");
	DID("hangup c2 486");
	DID_NOT("ring on");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	ROW_IS(2, "2 missed  DND");
}


DP_TEST(second_call_turned_away_busy)
{
	setup();
	handset_call();
	ring_in(2, "sip:201@example.com", "Carol");
	DID("hangup c2 486");
	DP_ASSERT_EQ(P->mode, MODE_CALL);
	DP_ASSERT(P->call == handle(1));
	DP_ASSERT_EQ(P->missed_new, 1);
}


/* --- connected ------------------------------------------------------------- */

DP_TEST(call_timer_peer_and_route)
{
	setup();
	handset_call();
	ROW_IS(0, lr("\x04 Connected", "00:00"));
	ROW_IS(1, "\x08 Echo Service");
	ROW_IS(2, "101");
	ROW_IS(3, "Hold Xfer Mute  End");
	H.now_ms += 65 * 1000;
	phone_tick(P);
	ROW_IS(0, lr("\x04 Connected", "01:05"));
	H.now_ms += 3600 * 1000;
	phone_tick(P);
	ROW_HAS(0, "1:01:05");
}


DP_TEST(call_hold_and_resume)
{
	setup();
	handset_call();
	key(PK_HOLD);
	DID("hold c1 on");
	ROW_IS(0, lr("\x06 On hold", "00:00"));
	ROW_IS(3, "Resm Xfer Mute  End");
	LED_IS(BLED_LINE, LED_BLINK);
	key(PK_SOFT1);
	DID("hold c1 off");
	ROW_HAS(0, "Connected");
	LED_IS(BLED_LINE, LED_ON);

	H.hold_err = EINVAL;
	key(PK_HOLD);
	ROW_IS(3, "Hold failed");
	DP_ASSERT(!P->held);
}


DP_TEST(call_mute)
{
	setup();
	handset_call();
	key(PK_MUTE);
	DID("mute c1 on");
	LED_IS(BLED_MUTE, LED_ON);
	ROW_IS(2, "101 Muted");
	key(PK_SOFT3);
	DID("mute c1 off");
	LED_IS(BLED_MUTE, LED_OFF);

	/* no audio yet: nothing changes */
	H.mute_err = ENOENT;
	key(PK_MUTE);
	DP_ASSERT(!P->muted);
	LED_IS(BLED_MUTE, LED_OFF);
}


DP_TEST(call_digits_send_dtmf)
{
	setup();
	handset_call();
	type("5#");
	DID("dtmf c1 5; dtmf c1 #");

	/* not before the call is up */
	setup();
	type("101#");
	clear_log();
	type("7");
	DID_NOT("dtmf");
}


DP_TEST(call_transfer_blind)
{
	setup();
	handset_call();
	key(PK_TRANSFER);
	DP_ASSERT_EQ(P->mode, MODE_TRANSFER);
	ROW_IS(0, "Transfer to:");
	ROW_IS(3, "Send          Cancel");
	type("1023");
	key(PK_BACK);
	ROW_IS(1, "102_");
	key(PK_POUND);
	DID("transfer c1 102");
	ROW_IS(3, "Transferring");
	DP_ASSERT_EQ(P->mode, MODE_CALL);

	/* ok sends; a failure is said */
	H.transfer_err = EINVAL;
	key(PK_SOFT2);
	type("103");
	key(PK_OK);
	ROW_IS(3, "Transfer failed");

	/* the far end refused the REFER */
	fire(PT_NOTE);
	call_ev(PCALL_TRANSFER_FAILED, 1, NULL, NULL, true);
	ROW_IS(3, "Transfer failed");

	/* cancel: back on an empty number, or soft4 */
	key(PK_TRANSFER);
	key(PK_BACK);
	DP_ASSERT_EQ(P->mode, MODE_CALL);
	key(PK_TRANSFER);
	type("9");
	key(PK_SOFT4);
	DP_ASSERT_EQ(P->mode, MODE_CALL);
}


DP_TEST(call_volume_per_route)
{
	setup();
	key(PK_VOLUME_UP);          /* idle: the ringer's */
	DID("volume ringer 60");
	ROW_IS(3, "ringer vol 6/10");

	handset_call();
	key(PK_VOLUME_DOWN);
	DID("volume handset 40");
	ROW_IS(3, "handset vol 4/10");
	for (int i = 0; i < 12; i++)
		key(PK_VOLUME_UP);
	ROW_IS(3, "handset vol 10/10");
	/* held down, volume repeats; a digit does not */
	phone_key(P, PK_VOLUME_DOWN, KEY_REPEAT);
	ROW_IS(3, "handset vol 9/10");
	clear_log();
	phone_key(P, PK_5, KEY_REPEAT);
	DID_NOT("dtmf");
}


DP_TEST(call_hanging_up_ends_and_is_recorded)
{
	setup();
	ring_in(1, "sip:200@example.com", "Bob");
	key(PK_OFFHOOK);
	established(1);
	H.now_ms += 42 * 1000;
	clear_log();
	key(PK_ONHOOK);
	DID("hangup c1 0");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	LED_IS(BLED_LINE, LED_OFF);

	key(PK_UP);
	ROW_IS(1, lr(">\x07" "Bob", "10:30"));
	{
		struct history_entry e;

		DP_ASSERT_OK(TH.base.ops->get(&TH.base, 0, &e));
		DP_ASSERT_EQ(e.kind, HIST_RECEIVED);
		DP_ASSERT_EQ(e.duration_s, 42);
		DP_ASSERT_STREQ(e.number, "200");
	}
}


DP_TEST(call_speaker_handset_headset_switching)
{
	setup();
	handset_call();
	/* the speaker while the handset is up: to the speaker */
	key(PK_SPEAKER);
	DID("route speaker");
	ROW_IS(2, "101 Speaker");
	/* putting the handset down now keeps the call */
	key(PK_ONHOOK);
	DP_ASSERT_EQ(P->mode, MODE_CALL);
	DID_NOT("hangup");
	/* lifting it takes the call back */
	clear_log();
	key(PK_OFFHOOK);
	DID("route handset");
	DP_ASSERT(!P->speaker);
	/* the headset */
	key(PK_HEADSET);
	DID("route headset");
	ROW_IS(2, "101 Headset");
	key(PK_ONHOOK);
	DP_ASSERT_EQ(P->mode, MODE_CALL);
	/* letting go of the headset, nothing else up: the call ends */
	key(PK_HEADSET);
	DID("hangup c1 0");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
}


DP_TEST(call_speaker_key_ends_speaker_call)
{
	setup();
	type("101#");
	established(1);
	DP_ASSERT(P->speaker);
	key(PK_SPEAKER);
	DID("hangup c1 0");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	LED_IS(BLED_SPEAKER, LED_OFF);
}


DP_TEST(call_answered_elsewhere_and_end_key)
{
	setup();
	/* established without the UI having seen it: adopted, on the
	 * speaker */
	call_ev(PCALL_ESTABLISHED, 7, "sip:102@example.com", NULL, true);
	DP_ASSERT_EQ(P->mode, MODE_CALL);
	DP_ASSERT(P->speaker);
	ROW_IS(1, "\x08 Front Desk");
	key(PK_SOFT4);
	DID("hangup c7 0");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
}


/* --- ended ----------------------------------------------------------------- */

DP_TEST(ended_shows_who_and_how_long)
{
	setup();
	handset_call();
	H.now_ms += 42 * 1000;
	closed(1);                /* the far end hung up */
	DP_ASSERT_EQ(P->mode, MODE_ENDED);
	ROW_IS(0, "Call ended");
	ROW_IS(1, "Echo Service");
	ROW_IS(2, "00:42");
	ROW_IS(3, "Hang up or dial");
	LED_IS(BLED_LINE, LED_OFF);

	type("1");                /* digits dial again */
	DP_ASSERT_EQ(P->mode, MODE_DIALING);
	ROW_IS(1, "1_");
	key(PK_ONHOOK);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);

	/* put down from the ended screen */
	handset_call();
	closed(2);
	key(PK_ONHOOK);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
}


/* --- history --------------------------------------------------------------- */

DP_TEST(history_newest_first_navigate_and_dial)
{
	setup();
	key(PK_HISTORY);
	ROW_IS(1, "No calls");
	key(PK_BACK);

	history_add(HIST_PLACED, "101", "", H.wall - 3600);
	history_add(HIST_RECEIVED, "200", "Bob", H.wall - 60);
	history_add(HIST_MISSED, "201", "", H.wall);
	key(PK_HISTORY);
	DID("history opened");
	ROW_IS(0, lr("History", "1/3"));
	ROW_IS(1, lr(">!201", "10:30"));
	ROW_IS(2, lr(" \x07" "Bob", "10:29"));
	ROW_IS(3, lr(" \x08" "Echo Service", "09:30"));
	key(PK_DOWN);
	key(PK_DOWN);
	key(PK_DOWN);             /* stops at the end */
	ROW_HAS(0, "3/3");
	ROW_HAS(3, ">\x08");
	phone_key(P, PK_UP, KEY_REPEAT);
	ROW_HAS(0, "2/3");
	key(PK_OK);
	DID("dial 200");
	DP_ASSERT_EQ(P->mode, MODE_CALLING);
}


DP_TEST(history_soft1_pound_dial_back_leaves)
{
	setup();
	history_add(HIST_PLACED, "101", "", H.wall);
	key(PK_UP);
	key(PK_SOFT1);
	DID("dial 101");
	key(PK_BACK);
	clear_log();
	key(PK_UP);
	key(PK_POUND);
	DID("dial 101");
	key(PK_BACK);
	key(PK_UP);
	key(PK_SOFT4);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
}


DP_TEST(history_opening_clears_missed_count)
{
	setup();
	ring_in(1, "sip:200@example.com", NULL);
	closed(1);
	ROW_IS(2, "1 missed");
	key(PK_UP);
	key(PK_BACK);
	ROW_IS(2, "");
}


DP_TEST(history_restricted)
{
	setup();
	history_add(HIST_PLACED, "101", "", H.wall);
	TH.restricted = true;
	key(PK_UP);
	DID("history opened (refused)");
	ROW_IS(0, "History");
	ROW_IS(1, "Restricted:");
	ROW_IS(2, "calls not shown");
}


/* --- directory ------------------------------------------------------------- */

DP_TEST(directory_lists_t9_filter_and_dial)
{
	setup();
	key(PK_DIRECTORY);
	ROW_IS(0, "Directory");
	ROW_IS(1, ">Echo Service");
	ROW_IS(2, " Front Desk");
	ROW_IS(3, " Alice Smith");

	type("3");                /* d e f: Desk, Echo */
	ROW_IS(0, "Directory 3");
	ROW_IS(1, ">Echo Service");
	ROW_IS(2, " Front Desk");
	ROW_IS(3, "");
	type("7");                /* 37: "Desk" */
	ROW_IS(1, ">Front Desk");
	ROW_IS(2, "");
	type("9");
	ROW_IS(1, "No match");
	key(PK_BACK);
	ROW_IS(0, "Directory 37");
	key(PK_BACK);
	key(PK_DOWN);
	ROW_IS(2, ">Front Desk");
	key(PK_OK);
	DID("dial sip:102@example.com");
	ROW_IS(1, "\x08 Front Desk");
}


DP_TEST(directory_back_leaves_and_lift_dials)
{
	setup();
	key(PK_SOFT2);
	key(PK_BACK);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	key(PK_DOWN);
	type("25");               /* a l: Alice */
	ROW_IS(1, ">Alice Smith");
	key(PK_OFFHOOK);
	DID("dial sip:103@example.com");
	DID("route handset");
	key(PK_ONHOOK);
	key(PK_DOWN);
	key(PK_SOFT4);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
}


DP_TEST(directory_read_again)
{
	struct directory *dir = NULL;
	static const char text[] = "Zed <sip:300@example.com>\n";

	setup();
	key(PK_DIRECTORY);
	key(PK_DOWN);
	DP_ASSERT_OK(directory_parse(&dir, text, strlen(text), NULL, NULL));
	phone_set_directory(P, dir);
	DP_ASSERT_EQ(P->sel, 0);
	ROW_IS(1, ">Zed");
}


/* --- menu ------------------------------------------------------------------ */

DP_TEST(menu_entries_and_scrolling)
{
	setup();
	key(PK_MENU);
	ROW_IS(0, lr("Menu", "\x03"));
	ROW_IS(1, ">Network status");
	ROW_IS(2, " Privacy");
	ROW_IS(3, " Clear history");
	for (int i = 0; i < MENU_COUNT + 2; i++)
		key(PK_DOWN);
	ROW_IS(0, lr("Menu", "\x02"));
	ROW_IS(1, " Provision from USB");
	ROW_IS(2, " Debug bundle to USB");
	ROW_IS(3, ">Do not disturb: off");
	key(PK_SOFT4);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
}


DP_TEST(menu_status_page)
{
	setup();
	open_menu_at(MENU_STATUS);
	key(PK_OK);
	DP_ASSERT_EQ(P->mode, MODE_STATUS);
	ROW_IS(0, "IP 192.0.2.10");
	ROW_IS(1, "100@example.com");
	ROW_IS(2, "Registering");
	ROW_IS(3, "Back");
	phone_registration(P, PREG_FAIL, "408 Timeout");
	ROW_IS(2, "Failed: 408 Timeout");
	phone_registration(P, PREG_OK, NULL);
	ROW_IS(2, "Registered");
	key(PK_BACK);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
}


DP_TEST(menu_privacy_page_scrolls)
{
	setup();
	open_menu_at(MENU_PRIVACY);
	key(PK_SOFT1);
	DID("privacy load");
	DP_ASSERT_EQ(P->mode, MODE_PRIVACY);
	ROW_IS(0, "Stored on phone:");
	ROW_IS(1, "3 calls, 2 contacts");
	ROW_IS(3, lr("Numbers: 3, 30 d", "\x03"));
	key(PK_DOWN);
	key(PK_DOWN);
	key(PK_DOWN);
	key(PK_DOWN);
	ROW_IS(1, "List shows 30 days");
	ROW_IS(3, "No audio recorded");
	key(PK_OK);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
	DP_ASSERT_EQ(P->sel, MENU_PRIVACY);   /* the menu as it was left */
}


DP_TEST(menu_clear_history_yes_no)
{
	setup();
	history_add(HIST_PLACED, "101", "", H.wall);
	history_add(HIST_PLACED, "102", "", H.wall);
	open_menu_at(MENU_CLEAR);
	key(PK_OK);
	ROW_IS(0, "Clear history?");
	ROW_IS(1, "2 calls");
	ROW_IS(3, "Yes            No");
	key(PK_BACK);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
	DP_ASSERT_EQ(TH.base.ops->count(&TH.base), 2);

	key(PK_OK);
	key(PK_SOFT1);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
	ROW_IS(3, "History cleared");
	DP_ASSERT_EQ(TH.base.ops->count(&TH.base), 0);
}


DP_TEST(menu_restrict_on_off)
{
	setup();
	open_menu_at(MENU_RESTRICT);
	ROW_HAS(2, ">Restrict: off");
	key(PK_OK);
	DID("restrict on");
	ROW_HAS(2, ">Restrict: on");
	fire(PT_NOTE);
	ROW_HAS(3, "Erase my data");
	key(PK_OK);
	DID("restrict off");
	ROW_IS(3, "Not restricted");
}


DP_TEST(menu_erase_yes_no)
{
	setup();
	open_menu_at(MENU_ERASE);
	key(PK_OK);
	ROW_IS(0, "Erase my data?");
	ROW_IS(1, "Calls, logs, traces,");
	ROW_IS(2, "contacts: for good");
	ROW_IS(3, "Yes            No");
	key(PK_SOFT4);
	DID_NOT("erase");
	DP_ASSERT_EQ(P->mode, MODE_MENU);

	key(PK_OK);
	key(PK_OK);
	DID("erase");
	ROW_IS(3, "Data erased");
	DP_ASSERT_EQ(P->mode, MODE_MENU);

	H.legal_hold = true;
	key(PK_OK);
	key(PK_SOFT1);
	ROW_IS(3, "Refused: legal hold");
}


DP_TEST(menu_provision_progress_and_result)
{
	setup();
	open_menu_at(MENU_PROVISION);
	key(PK_OK);
	DID("provision");
	DP_ASSERT_EQ(P->mode, MODE_PROVISION);
	ROW_IS(0, "Provisioning...");
	ROW_IS(1, "reading the stick");
	phone_job_update(P, NULL, false, "checking signature", NULL, NULL);
	ROW_IS(1, "checking signature");
	phone_job_update(P, NULL, true, "Provisioned v3", "", NULL);
	ROW_IS(0, "Provisioning");
	ROW_IS(1, "Provisioned v3");
	ROW_IS(3, "Back");
	key(PK_BACK);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
	DP_ASSERT_EQ(P->sel, MENU_PROVISION);

	/* refused */
	key(PK_OK);
	phone_job_update(P, NULL, true, "Refused:", "no bundle on stick",
			 NULL);
	ROW_IS(1, "Refused:");
	ROW_IS(2, "no bundle on stick");

	/* could not start: the menu stays, the note says why */
	key(PK_BACK);
	H.provision_err = EBUSY;
	key(PK_OK);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
	ROW_IS(3, "Busy: wait");
}


DP_TEST(menu_bundle_progress_and_result)
{
	setup();
	open_menu_at(MENU_BUNDLE);
	key(PK_OK);
	DID("bundle");
	DP_ASSERT_EQ(P->mode, MODE_BUNDLE);
	ROW_IS(0, "Debug bundle...");
	ROW_IS(1, "collecting and");
	ROW_IS(2, "redacting...");
	phone_job_update(P, NULL, true, "Refused:", "processing is",
			 "restricted");
	ROW_IS(0, "Debug bundle");
	ROW_IS(1, "Refused:");
	ROW_IS(3, "restricted");

	/* back: the job goes on, the menu stays */
	key(PK_OK);
	key(PK_OK);
	key(PK_BACK);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
	phone_job_update(P, NULL, true, "Bundle saved", "b.tar", NULL);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
	ROW_IS(0, lr("Menu", "\x02"));

	H.bundle_err = EIO;
	key(PK_OK);
	DP_ASSERT_EQ(P->mode, MODE_MENU);
	ROW_IS(3, "Bundle failed");
}


DP_TEST(menu_dnd)
{
	setup();
	open_menu_at(MENU_DND);
	ROW_IS(3, ">Do not disturb: off");
	key(PK_OK);
	DP_ASSERT(P->dnd);
	fire(PT_NOTE);
	ROW_IS(3, ">Do not disturb: on");
	key(PK_BACK);
	ROW_HAS(2, "DND");
}


DP_TEST(menu_pages_lifting_starts_dialing)
{
	setup();
	open_menu_at(MENU_STATUS);
	key(PK_OK);
	key(PK_OFFHOOK);
	DP_ASSERT_EQ(P->mode, MODE_DIALING);
}


/* --- notes, keys, LEDs ----------------------------------------------------- */

DP_TEST(note_covers_bottom_row_until_its_timer)
{
	setup();
	key(PK_SOFT3);
	ROW_IS(3, "DND on");
	DP_ASSERT_EQ(H.timer[PT_NOTE], NOTE_MS);
	fire(PT_NOTE);
	ROW_IS(3, "Hist Dir  DND  Menu");
}


DP_TEST(release_and_repeat_of_other_keys_do_nothing)
{
	setup();
	phone_key(P, PK_1, KEY_RELEASE);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	phone_key(P, PK_1, KEY_REPEAT);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	phone_key(P, PK_MENU, KEY_REPEAT);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	phone_key(P, PK_DOWN, KEY_REPEAT);
	DP_ASSERT_EQ(P->mode, MODE_DIRECTORY);
}


DP_TEST(leds_per_state)
{
	setup();
	LED_IS(BLED_LINE, LED_OFF);
	LED_IS(BLED_SPEAKER, LED_OFF);
	LED_IS(BLED_MUTE, LED_OFF);
	LED_IS(BLED_MESSAGE, LED_OFF);

	ring_in(1, "sip:200@example.com", NULL);
	LED_IS(BLED_LINE, LED_BLINK);
	key(PK_OK);                       /* on the speaker */
	established(1);
	LED_IS(BLED_LINE, LED_ON);
	LED_IS(BLED_SPEAKER, LED_ON);
	key(PK_MUTE);
	LED_IS(BLED_MUTE, LED_ON);
	key(PK_HOLD);
	LED_IS(BLED_LINE, LED_BLINK);
	closed(1);
	LED_IS(BLED_LINE, LED_OFF);
	LED_IS(BLED_SPEAKER, LED_OFF);
	LED_IS(BLED_MUTE, LED_OFF);

	phone_mwi(P, "Messages-Waiting: yes\r\n");
	LED_IS(BLED_MESSAGE, LED_BLINK);
}


DP_TEST(history_change_redraws)
{
	setup();
	key(PK_UP);
	ROW_IS(1, "No calls");
	history_add(HIST_MISSED, "201", "", H.wall);
	phone_history_changed(P);
	ROW_IS(1, lr(">!201", "10:30"));
}


/* --- "Trust this stick?" --------------------------------------------------- */

static const char key_id[] = "3f9a21c05e6b7d8a";


DP_TEST(trust_asks_over_idle_yes_follows_the_apply)
{
	setup();
	phone_trust_ask(P, key_id, "Acme HQ");
	ROW_IS(0, "Trust this stick?");
	ROW_IS(1, "Site: Acme HQ");
	ROW_IS(2, "Key 3f9a21c05e6b7d8a");
	ROW_IS(3, "Trust         Refuse");

	key(PK_OK);
	DID("trust yes 3f9a21c05e6b7d8a");
	ROW_IS(0, "Provisioning...");
	ROW_IS(1, "reading the stick");
	/* keys while it applies are the prompt's */
	type("5");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	phone_trust_progress(P, false, "checking signature", NULL);
	ROW_IS(1, "checking signature");
	phone_trust_progress(P, true, "Provisioned v1", "");
	ROW_IS(0, "Provisioning");
	ROW_IS(1, "Provisioned v1");
	ROW_IS(3, "OK");
	/* any key puts it away, and only that */
	type("5");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	DP_ASSERT_EQ(P->trust, TRUST_NONE);
	ROW_IS(3, "Hist Dir  DND  Menu");
}


DP_TEST(trust_other_keys_refuse)
{
	setup();
	phone_trust_ask(P, key_id, "Acme HQ");
	key(PK_BACK);
	DID("trust no back");
	ROW_IS(0, "100 Registering");
	ROW_IS(3, "Stick refused");

	/* the soft key under "Refuse", and '#' too */
	phone_trust_ask(P, key_id, "Acme HQ");
	key(PK_SOFT4);
	DID("trust no soft4");
	phone_trust_ask(P, key_id, "Acme HQ");
	key(PK_POUND);
	DID("trust no #");
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	ROW_IS(1, lr("Mon 07 Dec", "10:30"));
}


DP_TEST(trust_another_stick_shows_its_key)
{
	setup();
	phone_trust_ask(P, key_id, "Acme HQ");
	phone_trust_ask(P, key_id, "ignored: same key");
	ROW_IS(1, "Site: Acme HQ");
	phone_trust_ask(P, "0011223344556677", "Branch");
	ROW_IS(1, "Site: Branch");
	ROW_IS(2, "Key 0011223344556677");
	key(PK_OK);
	DID("trust yes 0011223344556677");
}


DP_TEST(trust_line_keys_refuse_and_take_the_line)
{
	setup();
	phone_trust_ask(P, key_id, "Acme HQ");
	key(PK_OFFHOOK);
	DID("trust no offhook");
	DP_ASSERT_EQ(P->mode, MODE_DIALING);
	DID("route handset");
}


DP_TEST(trust_waits_while_a_call_is_up)
{
	setup();
	handset_call();
	phone_trust_ask(P, key_id, "Acme HQ");
	ROW_HAS(0, "Connected");
	key(PK_HOLD);
	DID("hold c1 on");
	DID_NOT("trust");

	key(PK_ONHOOK);
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	ROW_IS(0, "Trust this stick?");
}


DP_TEST(trust_question_gone_or_answer_too_late)
{
	setup();
	phone_trust_ask(P, key_id, "Acme HQ");
	phone_trust_gone(P);
	DP_ASSERT_EQ(P->trust, TRUST_NONE);
	ROW_IS(0, "100 Registering");
	ROW_IS(3, "Stick refused");

	H.trust_err = ENOENT;
	phone_trust_ask(P, key_id, "Acme HQ");
	key(PK_OK);
	DID("trust yes");
	DP_ASSERT_EQ(P->trust, TRUST_NONE);
	ROW_IS(3, "Stick refused");
}


DP_TEST(trust_yes_on_the_provisioning_page)
{
	setup();
	open_menu_at(MENU_PROVISION);
	key(PK_OK);
	phone_trust_ask(P, key_id, "Acme HQ");
	key(PK_SOFT1);
	DID("trust yes 3f9a21c05e6b7d8a");
	/* the page follows the apply itself */
	DP_ASSERT_EQ(P->trust, TRUST_NONE);
	ROW_IS(0, "Provisioning...");
	ROW_IS(1, "reading the stick");
}


DP_TEST(trust_on_two_rows)
{
	setup_rows(2);
	phone_trust_ask(P, key_id, "Acme HQ");
	ROW_IS(0, "Trust key 3f9a21c0?");
	ROW_IS(1, "Acme HQ");
}


DP_TEST(trust_apply_reported_from_inside_the_answer)
{
	setup();
	H.trust_reports_inside = true;
	phone_trust_ask(P, key_id, "Acme HQ");
	key(PK_OK);
	DP_ASSERT_EQ(P->trust, TRUST_FOLLOWING);
	ROW_IS(0, "Provisioning...");
	ROW_IS(1, "checking signature");
}


/* --- blind transfer: how it ends ------------------------------------------- */

DP_TEST(transfer_succeeded_ends_the_call)
{
	setup();
	handset_call();
	key(PK_TRANSFER);
	type("102#");
	DID("transfer c1 102");
	DP_ASSERT_EQ(P->mode, MODE_CALL);    /* until the NOTIFY says */
	phone_call_event(P, PCALL_CLOSED, &(struct phone_call){
		.call = handle(1), .transferred = true });
	DP_ASSERT_EQ(P->mode, MODE_ENDED);
	ROW_IS(0, "Call ended");
	ROW_IS(3, "Transferred");

	/* on hook: the idle screen says it */
	setup();
	type("101#");
	established(1);
	phone_call_event(P, PCALL_CLOSED, &(struct phone_call){
		.call = handle(1), .transferred = true });
	DP_ASSERT_EQ(P->mode, MODE_IDLE);
	ROW_IS(3, "Transferred");
}


DP_TEST(transferred_the_target_takes_the_screen)
{
	struct phone_call target = {
		.call = handle(9), .peer_uri = "sip:103@example.com",
		.outgoing = true, .duration_s = 3,
	};

	setup();
	handset_call();
	H.now_ms += 60 * 1000;
	phone_call_event(P, PCALL_CLOSED, &(struct phone_call){
		.call = handle(1), .next = &target });
	DP_ASSERT_EQ(P->mode, MODE_CALL);
	DP_ASSERT(P->call == handle(9));
	ROW_IS(0, lr("\x04 Connected", "00:03"));
	ROW_IS(1, "\x08 Alice Smith");
	ROW_IS(3, "Transferred");
	LED_IS(BLED_LINE, LED_ON);

	/* the old call is in the history, the new one goes on */
	key(PK_ONHOOK);
	DID("hangup c9 0");
	DP_ASSERT_EQ(TH.base.ops->count(&TH.base), 2);
}
