/**
 * @file requests.c  dpprivacy: the person's requests as typed calls,
 *                   registered with the application core (modules/app)
 *                   for the UI; the baresip commands (commands.c) are
 *                   thin wrappers over the same calls
 *
 * Each samples the clock, does the request (audited by the privacy
 * library), and tells the listeners when what may be shown changed.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "modules/app/app.h"
#include "privacy.h"

enum { REFUSAL_EVERY_MS = 60000 };


static int summary(struct dp_privacy_summary *sum)
{
	struct dp_clock_sample s;
	int err = pm_sample(&s);

	return err ? err : dp_privacy_summary(pm.p, &s, true, sum);
}


static int changed(int err)
{
	if (!err)
		pm_changed();

	return err;
}


int pm_restrict(bool on)
{
	struct dp_clock_sample s;
	int err = pm_sample(&s);

	return err ? err : changed(dp_privacy_restrict(pm.p, on, &s));
}


int pm_erase(struct dp_erase_report *r)
{
	struct dp_clock_sample s;
	int err;

	memset(r, 0, sizeof(*r));
	err = pm_sample(&s);
	if (err)
		return err;
	err = dp_privacy_erase(pm.p, &s, r);
	pm_changed();        /* a part may be gone even when it failed */
	if (!err)
		info("dpprivacy: erased: %" PRIu64 " call records, %" PRIu64
		     " log lines, %" PRIu64 " contacts, %" PRIu64 " files\n",
		     r->records, r->log_lines, r->contacts, r->files);

	return err;
}


int pm_history_clear(void)
{
	struct dp_clock_sample s;
	int err = pm_sample(&s);

	return err ? err : changed(dp_privacy_history_clear(pm.p, &s));
}


int pm_history_view(struct dp_history_view *v)
{
	struct dp_clock_sample s;
	int err;

	memset(v, 0, sizeof(*v));
	err = pm_sample(&s);
	if (err)
		return err;
	(void)dp_privacy_history_view(pm.p, &s, v);

	return 0;
}


int pm_refused(const char *what)
{
	static const char *const kinds[] = { "history_display" };
	struct dp_clock_sample s;
	uint64_t now = tmr_jiffies();
	int err;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!what || strcmp(what, kinds[i]))
			continue;
		if (pm.refusals_at[i] &&
		    now - pm.refusals_at[i] < REFUSAL_EVERY_MS)
			return 0;
		pm.refusals_at[i] = now;
		err = pm_sample(&s);

		return err ? err : changed(dp_privacy_refused(pm.p, kinds[i],
							      &s));
	}

	return EINVAL;
}


static const struct dpapp_privacy api = {
	summary, pm_restrict, pm_erase, pm_history_clear, pm_history_view,
	pm_refused
};


int pm_requests_register(void)
{
	return dpapp_privacy_register(&api);
}


void pm_requests_unregister(void)
{
	dpapp_privacy_unregister(&api);
}
