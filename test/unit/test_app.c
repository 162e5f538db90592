/**
 * @file test_app.c  libdpapp, the application core: providers, ENODEV
 *                   without one, events to every listener
 */
#include <errno.h>
#include <stdio.h>
#include "modules/app/app.h"
#include "dptest.h"

static int shreds;


static int shred(void *arg, int64_t personal_before_s,
		 int64_t drop_before_ms, struct cdr_shred_counts *c)
{
	DP_ASSERT(arg == &shreds);
	++shreds;
	memset(c, 0, sizeof(*c));
	c->records_dropped = (uint64_t)(drop_before_ms - personal_before_s);

	return 0;
}


static int correct(void *arg, uint64_t seq, const struct dp_record_fix *fix,
		   uint64_t *now_seq)
{
	(void)arg;
	*now_seq = fix->delete_record ? 0 : seq + 1;

	return 0;
}


static int erase(void *arg, uint64_t *records)
{
	(void)arg;
	*records = 7;

	return 0;
}


static const struct dp_store_ops writer = { shred, correct, erase };


DP_TEST(store_forwards_to_its_one_writer)
{
	const struct dp_store_ops *ops = dpapp_store();
	struct cdr_shred_counts c;
	struct dp_record_fix fix = { .strip_personal = true };
	uint64_t n = 0;

	/* no CDR module loaded */
	DP_ASSERT_EQ(ops->shred(NULL, 1, 2, &c), ENODEV);
	DP_ASSERT_EQ(ops->erase(NULL, &n), ENODEV);

	DP_ASSERT_OK(dpapp_store_register(&writer, &shreds));
	DP_ASSERT_EQ(dpapp_store_register(&writer, NULL), EALREADY);
	DP_ASSERT_OK(ops->shred(NULL, 10, 15, &c));
	DP_ASSERT_EQ(shreds, 1);
	DP_ASSERT_EQ(c.records_dropped, 5);
	DP_ASSERT_OK(ops->correct(NULL, 41, &fix, &n));
	DP_ASSERT_EQ(n, 42);
	DP_ASSERT_OK(ops->erase(NULL, &n));
	DP_ASSERT_EQ(n, 7);

	/* the module closes: ENODEV again, and a new one may come */
	dpapp_store_unregister(&writer);
	DP_ASSERT_EQ(ops->erase(NULL, &n), ENODEV);
	DP_ASSERT_OK(dpapp_store_register(&writer, &shreds));
	dpapp_store_unregister(&writer);
}


static bool restricted;

static int summary(struct dp_privacy_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	sum->restricted = restricted;
	sum->held[DP_CLASS_CALL_RECORDS] = 3;

	return 0;
}

static int restrict_set(bool on) { restricted = on; return 0; }
static int p_erase(struct dp_erase_report *r) { (void)r; return EPERM; }
static int history_clear(void) { return 0; }
static int history_view(struct dp_history_view *v)
{
	memset(v, 0, sizeof(*v));
	v->restricted = restricted;

	return 0;
}
static int refused(const char *what)
{
	return strcmp(what, "history_display") ? EINVAL : 0;
}

static const struct dpapp_privacy privacy = {
	summary, restrict_set, p_erase, history_clear, history_view, refused
};


DP_TEST(privacy_requests_reach_the_privacy_module)
{
	struct dp_privacy_summary sum;
	struct dp_history_view v;
	struct dp_erase_report r;

	DP_ASSERT_EQ(dpapp_privacy_summary(&sum), ENODEV);
	DP_ASSERT_EQ(dpapp_privacy_restrict(true), ENODEV);
	DP_ASSERT_EQ(dpapp_privacy_history_view(&v), ENODEV);

	DP_ASSERT_OK(dpapp_privacy_register(&privacy));
	DP_ASSERT_OK(dpapp_privacy_restrict(true));
	DP_ASSERT_OK(dpapp_privacy_summary(&sum));
	DP_ASSERT(sum.restricted);
	DP_ASSERT_EQ(sum.held[DP_CLASS_CALL_RECORDS], 3);
	DP_ASSERT_OK(dpapp_privacy_history_view(&v));
	DP_ASSERT(v.restricted);
	/* the provider's errors come back as they are */
	DP_ASSERT_EQ(dpapp_privacy_erase(&r), EPERM);
	DP_ASSERT_EQ(dpapp_privacy_refused("cdr_list"), EINVAL);
	DP_ASSERT_OK(dpapp_privacy_refused("history_display"));
	DP_ASSERT_OK(dpapp_privacy_history_clear());

	dpapp_privacy_unregister(&privacy);
	DP_ASSERT_EQ(dpapp_privacy_history_clear(), ENODEV);
}


static int apply(const char *dir, uint64_t *job)
{
	*job = dir ? 2 : 1;

	return 0;
}

static const struct dpapp_prov prov = { apply };


DP_TEST(provisioning_starts_through_the_core)
{
	uint64_t job = 0;

	DP_ASSERT_EQ(dpapp_prov_apply(NULL, &job), ENODEV);
	DP_ASSERT_OK(dpapp_prov_register(&prov));
	DP_ASSERT_EQ(dpapp_prov_register(&prov), EALREADY);
	DP_ASSERT_OK(dpapp_prov_apply(NULL, &job));
	DP_ASSERT_EQ(job, 1);
	DP_ASSERT_OK(dpapp_prov_apply("/media/usb", &job));
	DP_ASSERT_EQ(job, 2);
	dpapp_prov_unregister(&prov);
	DP_ASSERT_EQ(dpapp_prov_apply(NULL, &job), ENODEV);
}


struct heard {
	char log[64];
	bool leave;          /* unlisten from inside the handler */
};


static void on_event(enum dpapp_event ev, const void *data, void *arg)
{
	struct heard *h = arg;
	const struct dpapp_prov_report *r = data;
	size_t n = strlen(h->log);

	if (ev == DPAPP_PROV_JOB)
		snprintf(h->log + n, sizeof(h->log) - n, "job%llu:%s ",
			 (unsigned long long)r->job,
			 r->state == DPAPP_PROV_APPLIED ? "applied" : "?");
	else
		snprintf(h->log + n, sizeof(h->log) - n, "privacy ");
	if (h->leave)
		dpapp_unlisten(on_event, h);
}


DP_TEST(events_reach_every_listener_in_order)
{
	struct heard a = { "", false }, b = { "", true }, c = { "", false };
	struct dpapp_prov_report r = { .job = 4, .state = DPAPP_PROV_APPLIED };

	/* nobody listens: nothing happens */
	dpapp_send(DPAPP_PRIVACY_CHANGED, NULL);

	DP_ASSERT_OK(dpapp_listen(on_event, &a));
	DP_ASSERT_OK(dpapp_listen(on_event, &b));
	DP_ASSERT_OK(dpapp_listen(on_event, &c));
	dpapp_send(DPAPP_PRIVACY_CHANGED, NULL);
	dpapp_send(DPAPP_PROV_JOB, &r);

	DP_ASSERT_STREQ(a.log, "privacy job4:applied ");
	DP_ASSERT_STREQ(b.log, "privacy ");        /* it left after one */
	DP_ASSERT_STREQ(c.log, "privacy job4:applied ");

	dpapp_unlisten(on_event, &a);
	dpapp_unlisten(on_event, &c);
	dpapp_send(DPAPP_PRIVACY_CHANGED, NULL);
	DP_ASSERT_STREQ(a.log, "privacy job4:applied ");
	DP_ASSERT_EQ(dpapp_listen(NULL, NULL), EINVAL);
}


static int trust(bool yes, const char *key_id, const char *why,
		 uint64_t *job)
{
	if (yes && strcmp(key_id, "3f9a21c05e6b7d8a"))
		return EINVAL;
	*job = yes ? 3 : strlen(why);

	return 0;
}

static const struct dpapp_prov prov_asking = { apply, trust };


DP_TEST(a_trust_answer_reaches_provisioning)
{
	uint64_t job = 0;

	/* a provisioning module without the question */
	DP_ASSERT_OK(dpapp_prov_register(&prov));
	DP_ASSERT_EQ(dpapp_prov_trust(true, "3f9a21c05e6b7d8a", NULL, &job),
		     ENODEV);
	dpapp_prov_unregister(&prov);

	DP_ASSERT_OK(dpapp_prov_register(&prov_asking));
	DP_ASSERT_EQ(dpapp_prov_trust(true, "0000000000000000", NULL, &job),
		     EINVAL);
	DP_ASSERT_OK(dpapp_prov_trust(true, "3f9a21c05e6b7d8a", NULL, &job));
	DP_ASSERT_EQ(job, 3);
	DP_ASSERT_OK(dpapp_prov_trust(false, NULL, "back", &job));
	DP_ASSERT_EQ(job, 4);
	dpapp_prov_unregister(&prov_asking);
}
