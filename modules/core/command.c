/**
 * @file command.c  The control socket's commands
 *
 * One command a line, words separated by blanks; the reply is one JSON
 * object with "ok" true or false (and "error" saying why).
 *
 *   ping                     the daemon is alive; its version
 *   status                   accounts, registration, calls
 *   dial <uri>               call from the current account
 *   answer [call-id]         answer a ringing call
 *   hangup [call-id]         end (or reject) a call
 *   hold|resume [call-id]    put a call on hold, take it back
 *   transfer <uri> [call-id] blind transfer
 *   digit <keys> [call-id]   send DTMF
 *   mute on|off [call-id]    mute the microphone
 *   events                   from now on, stream every event
 *   cmd <text>               run one of our modules' commands (dpalsa_*,
 *                            dpprov_*, ...), return its text
 *   quit                     stop the daemon
 *
 * Without a call-id the command applies to the current call.
 *
 * `cmd` passes only the commands on dpcore's allow-list (cmdline.c):
 * baresip's own ones (insmod loads any shared object into the daemon)
 * and anything unknown are refused.  `quit` stays: whoever may use the
 * socket may already hang up calls and erase records; stopping the
 * daemon is the same trust (docs/security.md).
 */
#include <string.h>
#include "core.h"
#include "cmdline.h"


static int reply_error(struct mbuf *reply, const char *what)
{
	return mbuf_printf(reply, "{\"ok\":false,\"error\":%H}",
			   dp_json_str, what);
}


static int reply_ok(struct mbuf *reply)
{
	return mbuf_printf(reply, "{\"ok\":true}");
}


static struct ua *current_ua(void)
{
	struct ua *ua = uag_current();

	if (!ua && uag_list()->head)
		ua = uag_list()->head->data;

	return ua;
}


/* The call named by id, else the current call of the first UA with one. */
static struct call *find_call(const char *id)
{
	struct le *le;

	for (le = uag_list()->head; le; le = le->next) {
		struct ua *ua = le->data;
		struct call *call;

		if (id && *id)
			call = call_find_id(ua_calls(ua), id);
		else
			call = ua_call(ua);

		if (call)
			return call;
	}

	return NULL;
}


static struct call *find_incoming(const char *id)
{
	struct le *le, *cle;

	for (le = uag_list()->head; le; le = le->next) {
		struct ua *ua = le->data;

		for (cle = ua_calls(ua)->head; cle; cle = cle->next) {
			struct call *call = cle->data;

			if (call_state(call) != CALL_STATE_INCOMING)
				continue;
			if (id && *id && str_cmp(call_id(call), id))
				continue;

			return call;
		}
	}

	return NULL;
}


/* rtp_tx/rtp_rx: audio RTP packets sent and received so far. */
static int print_call(struct mbuf *mb, const struct call *call)
{
	const struct stream *strm = audio_strm(call_audio(call));

	return mbuf_printf(mb, "{\"id\":%H,\"line\":%u,\"dir\":\"%s\","
			   "\"peer\":%H,\"peer_name\":%H,\"state\":%d,"
			   "\"duration_s\":%u,\"on_hold\":%s,"
			   "\"rtp_tx\":%u,\"rtp_rx\":%u}",
			   dp_json_str, call_id(call), call_linenum(call),
			   call_is_outgoing(call) ? "out" : "in",
			   dp_json_str, call_peeruri(call),
			   dp_json_str, call_peername(call),
			   (int)call_state(call), call_duration(call),
			   call_is_onhold(call) ? "true" : "false",
			   strm ? stream_metric_get_tx_n_packets(strm) : 0,
			   strm ? stream_metric_get_rx_n_packets(strm) : 0);
}


static int cmd_status(struct mbuf *reply)
{
	struct le *le, *cle;
	int err;

	err = mbuf_printf(reply, "{\"ok\":true,\"version\":\"%s\","
			  "\"accounts\":[", DP_VERSION);

	for (le = uag_list()->head; le && !err; le = le->next) {
		struct ua *ua = le->data;

		err = mbuf_printf(reply, "%s{\"aor\":%H,\"registered\":%s,"
				  "\"calls\":[", le == uag_list()->head ?
				  "" : ",", dp_json_str, ua_aor(ua),
				  ua_isregistered(ua) ? "true" : "false");

		for (cle = ua_calls(ua)->head; cle && !err; cle = cle->next) {
			if (cle != ua_calls(ua)->head)
				err = mbuf_write_u8(reply, ',');
			err |= print_call(reply, cle->data);
		}

		err |= mbuf_printf(reply, "]}");
	}

	return err | mbuf_printf(reply, "]}");
}


static int cmd_dial(struct mbuf *reply, const char *uri)
{
	struct ua *ua = current_ua();
	struct call *call = NULL;
	int err;

	if (!uri || !*uri)
		return reply_error(reply, "dial: which number or URI?");
	if (!ua)
		return reply_error(reply, "no account");

	err = ua_connect(ua, &call, NULL, uri, VIDMODE_OFF);
	if (err) {
		char msg[128];

		re_snprintf(msg, sizeof(msg), "dial failed: %m", err);
		return reply_error(reply, msg);
	}

	return mbuf_printf(reply, "{\"ok\":true,\"line\":%u}",
			   call_linenum(call));
}


static int pf_mbuf(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}


static int cmd_passthrough(struct mbuf *reply, const char *text)
{
	struct mbuf *out = mbuf_alloc(256);
	struct re_printf pf = {pf_mbuf, out};
	size_t namelen = 0;
	int err;

	if (!out)
		return ENOMEM;

	if (!text || !*text) {
		mem_deref(out);
		return reply_error(reply, "cmd: which command?");
	}

	if (!cmdline_passthrough_allowed(text, &namelen)) {
		char name[41], msg[160];
		size_t i;

		/* the name as said, shortened, control characters shown as
		 * '?' so that they cannot forge a log line */
		for (i = 0; i < namelen && i < sizeof(name) - 1; i++)
			name[i] = (unsigned char)text[i] < 0x20 ||
				text[i] == 0x7f ? '?' : text[i];
		name[i] = '\0';

		mem_deref(out);
		re_snprintf(msg, sizeof(msg), "cmd: '%s' is not one of the"
			    " phone's own commands; refused", name);
		warning("dpcore: refused 'cmd %s' on the control socket\n",
			name);
		return reply_error(reply, msg);
	}

	err = cmd_process_long(baresip_commands(), text, strlen(text),
			       &pf, NULL);
	(void)mbuf_write_u8(out, 0);

	if (err) {
		char msg[160];

		re_snprintf(msg, sizeof(msg), "cmd failed: %m", err);
		err = reply_error(reply, msg);
	}
	else {
		err = mbuf_printf(reply, "{\"ok\":true,\"output\":%H}",
				  dp_json_str, (char *)out->buf);
	}

	mem_deref(out);

	return err;
}


static int call_command(struct mbuf *reply, const char *verb,
			const char *arg, const char *id)
{
	struct call *call;
	int err = 0;

	if (0 == strcmp(verb, "answer")) {
		call = find_incoming(arg);
		if (!call)
			return reply_error(reply, "no incoming call");
		err = ua_answer(call_get_ua(call), call, VIDMODE_OFF);
	}
	else if (0 == strcmp(verb, "hangup")) {
		call = find_call(arg);
		if (!call)
			return reply_error(reply, "no call");
		ua_hangup(call_get_ua(call), call, 0, NULL);
	}
	else if (0 == strcmp(verb, "hold") || 0 == strcmp(verb, "resume")) {
		call = find_call(arg);
		if (!call)
			return reply_error(reply, "no call");
		err = call_hold(call, verb[0] == 'h');
	}
	else if (0 == strcmp(verb, "transfer")) {
		call = find_call(id);
		if (!arg)
			return reply_error(reply, "transfer: to which URI?");
		if (!call)
			return reply_error(reply, "no call");
		err = call_transfer(call, arg);
	}
	else if (0 == strcmp(verb, "digit")) {
		call = find_call(id);
		if (!arg)
			return reply_error(reply, "digit: which keys?");
		if (!call)
			return reply_error(reply, "no call");
		for (const char *k = arg; *k && !err; k++) {
			err = call_send_digit(call, *k);
			if (!err)
				err = call_send_digit(call, KEYCODE_REL);
		}
	}
	else if (0 == strcmp(verb, "mute")) {
		bool on;

		call = find_call(id);
		if (!arg || (strcmp(arg, "on") && strcmp(arg, "off")))
			return reply_error(reply, "mute: on or off?");
		if (!call)
			return reply_error(reply, "no call");
		on = 0 == strcmp(arg, "on");
		audio_mute(call_audio(call), on);
	}
	else {
		return ENOENT;
	}

	if (err) {
		char msg[128];

		re_snprintf(msg, sizeof(msg), "%s failed: %m", verb, err);
		return reply_error(reply, msg);
	}

	return reply_ok(reply);
}


int core_command(struct mbuf *reply, const char *line, bool *subscribe)
{
	char buf[4096], *rest = buf, *verb, *arg, *id;
	int err;

	if (!reply || !line)
		return EINVAL;

	str_ncpy(buf, line, sizeof(buf));
	verb = cmdline_word(&rest);
	if (!verb)
		return reply_error(reply, "empty command");

	if (0 == strcmp(verb, "ping"))
		return mbuf_printf(reply, "{\"ok\":true,\"version\":\"%s\","
				   "\"baresip\":\"%s\"}", DP_VERSION,
				   DP_BARESIP_VERSION);
	if (0 == strcmp(verb, "status"))
		return cmd_status(reply);
	if (0 == strcmp(verb, "events")) {
		*subscribe = true;
		return reply_ok(reply);
	}
	if (0 == strcmp(verb, "quit")) {
		info("dpcore: quit requested on the control socket\n");
		ua_stop_all(false);
		return reply_ok(reply);
	}
	if (0 == strcmp(verb, "cmd")) {
		while (*rest == ' ')
			++rest;
		return cmd_passthrough(reply, rest);
	}
	if (0 == strcmp(verb, "dial"))
		return cmd_dial(reply, cmdline_word(&rest));

	arg = cmdline_word(&rest);
	id  = cmdline_word(&rest);
	err = call_command(reply, verb, arg, id);
	if (err == ENOENT)
		return reply_error(reply, "unknown command");

	return err;
}
