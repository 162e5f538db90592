/**
 * @file policy.c  The data classes, their purposes and retentions
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "base/settings.h"
#include "privacy.h"

#ifndef DP_CLOCK_FLOOR
#define DP_CLOCK_FLOOR 1735689600   /* 2025-01-01: older than any build */
#endif

struct class_default {
	const char *name;
	uint32_t days, max_days;
	const char *purpose;
	const char *holds;
};

/* The shortest retentions that still let the phone work; the shipped
 * privacy.conf says the same (a unit test holds them equal). */
static const struct class_default defaults[DP_CLASS_COUNT] = {
	{ "call_records", 30, 3650,
	  "the call log of the phone's user, and troubleshooting calls",
	  "per call: start, answer and end time, talk time, direction,"
	  " result, SIP status, codec" },
	{ "call_record_personal_fields", 7, 3650,
	  "showing the user who called and whom they called, to call back",
	  "per call: the local account, the other party's number or"
	  " address and display name" },
	{ "sip_traces_and_logs", 7, 3650,
	  "finding faults in the phone and its calls",
	  "the daemon's log (deskphone.log, .1) and, when sip_trace is on,"
	  " SIP messages with numbers, names and addresses" },
	{ "call_history", 7, 3650,
	  "the list of recent calls on the display, to call back",
	  "a view of the call records: numbers, names and times of recent"
	  " calls as the display lists them" },
	{ "contacts_cache", 90, 3650,
	  "finding and dialling colleagues from the directory",
	  "names and numbers of the provisioned directory (contacts_file),"
	  " counted from when it was last written" },
	{ "recordings_and_voicemail", 30, 3650,
	  "none: the phone records no calls and keeps no voicemail",
	  "call recordings and voicemail metadata, were any ever kept"
	  " (recordings_dir)" },
	{ "push_registration", 6, 6,
	  "none: the phone has no push service",
	  "push-notification registrations, were any ever kept (push_dir);"
	  " erased at most 6 days after they were made" },
};


const char *dp_class_name(enum dp_class c)
{
	return (unsigned)c < DP_CLASS_COUNT ? defaults[c].name : "?";
}


int dp_class_find(const char *name, enum dp_class *c)
{
	for (int i = 0; i < DP_CLASS_COUNT; i++) {
		if (name && !strcmp(name, defaults[i].name)) {
			*c = (enum dp_class)i;
			return 0;
		}
	}

	return ENOENT;
}


void dp_policy_defaults(struct dp_policy *p)
{
	memset(p, 0, sizeof(*p));

	for (int i = 0; i < DP_CLASS_COUNT; i++) {
		struct dp_class_policy *c = &p->cls[i];

		c->days = defaults[i].days;
		c->max_days = defaults[i].max_days;
		str_ncpy(c->purpose, defaults[i].purpose, sizeof(c->purpose));
		str_ncpy(c->holds, defaults[i].holds, sizeof(c->holds));
		str_ncpy(c->origin, "built-in default", sizeof(c->origin));
	}

	p->purge_interval_s = 3600;
	p->clock_step_s = 86400;
	p->clock_slack_s = 300;
	p->clock_trust_rtc = true;
	p->clock_floor_s = DP_CLOCK_FLOOR;
}


static void error(struct dp_policy *p, const struct dp_settings *s,
		  const char *key, const char *why)
{
	size_t n = strlen(p->errors);
	const char *origin = dp_settings_origin(s, key);

	(void)re_snprintf(p->errors + n, sizeof(p->errors) - n, "%s%s: %s: %s",
			  n ? "; " : "", origin ? origin : "?", key, why);
}


/* The value of `key` when it is set and not empty (mem_deref it). */
static char *value(struct dp_policy *p, const struct dp_settings *s,
		   const char *key)
{
	char errbuf[DP_ERRBUF] = "", *v = NULL;

	if (!s || !dp_settings_has(s, key))
		return NULL;
	if (dp_settings_get(s, key, &v, errbuf, sizeof(errbuf))) {
		error(p, s, key, errbuf);
		return NULL;
	}
	if (!v[0])
		return mem_deref(v);

	return v;
}


static bool number(struct dp_policy *p, const struct dp_settings *s,
		   const char *key, uint64_t min, uint64_t max, uint64_t *out)
{
	char *v = value(p, s, key), *end;
	unsigned long long n;
	bool ok = false;

	if (!v)
		return false;

	n = strtoull(v, &end, 10);
	if (end == v || *end || v[0] == '-')
		error(p, s, key, "not a whole number");
	else if (n < min || n > max) {
		char why[80];

		re_snprintf(why, sizeof(why), "must be %llu to %llu",
			    (unsigned long long)min, (unsigned long long)max);
		error(p, s, key, why);
	}
	else {
		*out = n;
		ok = true;
	}
	mem_deref(v);

	return ok;
}


static void text(struct dp_policy *p, const struct dp_settings *s,
		 const char *key, char *out, size_t sz)
{
	char *v = value(p, s, key);

	if (v)
		str_ncpy(out, v, sz);
	mem_deref(v);
}


static void apply(struct dp_policy *p, const struct dp_settings *s,
		  bool is_file)
{
	char key[96], *v;
	uint64_t n;

	for (int i = 0; i < DP_CLASS_COUNT; i++) {
		struct dp_class_policy *c = &p->cls[i];

		if (is_file) {
			re_snprintf(key, sizeof(key), "max_%s_days",
				    defaults[i].name);
			/* the file may lower a cap, never raise it */
			if (number(p, s, key, 0, defaults[i].max_days, &n))
				c->max_days = (uint32_t)n;
			re_snprintf(key, sizeof(key), "purpose_%s",
				    defaults[i].name);
			text(p, s, key, c->purpose, sizeof(c->purpose));
			re_snprintf(key, sizeof(key), "holds_%s",
				    defaults[i].name);
			text(p, s, key, c->holds, sizeof(c->holds));
		}

		re_snprintf(key, sizeof(key), "retention_%s_days",
			    defaults[i].name);
		if (number(p, s, key, 0, c->max_days, &n)) {
			const char *o = dp_settings_origin(s, key);

			c->days = (uint32_t)n;
			str_ncpy(c->origin, o ? o : "?", sizeof(c->origin));
		}
	}

	if (number(p, s, "privacy_purge_interval_s", 1, 86400, &n))
		p->purge_interval_s = (uint32_t)n;
	if (number(p, s, "privacy_clock_step_s", 60, 30 * 86400, &n))
		p->clock_step_s = (uint32_t)n;
	if (number(p, s, "privacy_clock_slack_s", 0, 86400, &n))
		p->clock_slack_s = (uint32_t)n;
	if (number(p, s, "privacy_clock_floor_s", 0, INT32_MAX, &n))
		p->clock_floor_s = (int64_t)n;

	v = value(p, s, "privacy_clock_trust");
	if (v && !strcmp(v, "rtc"))
		p->clock_trust_rtc = true;
	else if (v && !strcmp(v, "sync"))
		p->clock_trust_rtc = false;
	else if (v)
		error(p, s, "privacy_clock_trust", "must be sync or rtc");
	mem_deref(v);
}


int dp_policy_load(struct dp_policy *p, const char *file,
		   const struct dp_settings *layered)
{
	char errbuf[DP_ERRBUF] = "";
	struct dp_settings *s = NULL;
	int err;

	dp_policy_defaults(p);

	if (file && *file) {
		err = dp_settings_alloc(&s);
		if (err)
			return err;
		err = dp_settings_load(s, file, errbuf, sizeof(errbuf));
		if (err) {
			size_t n = strlen(p->errors);

			re_snprintf(p->errors + n, sizeof(p->errors) - n,
				    "%s%s (the built-in policy is used)",
				    n ? "; " : "", errbuf);
		}
		else {
			apply(p, s, true);
		}
		mem_deref(s);
	}

	if (layered)
		apply(p, layered, false);

	return 0;
}
