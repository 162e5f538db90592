/**
 * @file worker.c  Applying a stick off the main thread
 *
 * Reading a stick and syncing flash can take a second; baresip's re loop
 * (SIP, RTP decoding) must not wait for it.  One job at a time runs in a
 * thread of its own on the dpprovision library, which touches no baresip
 * or libre object shared with the main thread.  Progress and the end of
 * the job come back through an mqueue; the accounts are swapped on the
 * main thread; every change goes to the application core's listeners
 * (dpprov_changed).
 */
#include <string.h>
#include "dpprov.h"

enum {
	MSG_DONE = 1,
	MSG_STEP = 100     /* + enum prov_step; data: a static string */
};


static void on_progress(enum prov_step step, const char *what, void *arg)
{
	struct dpprov_job *job = arg;

	/* `what` is a string literal of the library: no copy needed */
	(void)mqueue_push(job->mq, MSG_STEP + (int)step, (void *)what);
}


static void *worker_main(void *arg)
{
	struct dpprov_job *job = arg;

	if (job->kind == JOB_APPLY)
		(void)prov_apply(&job->cfg, job->root, &job->out);
	else
		(void)prov_rollback(&job->cfg, &job->out);

	(void)mqueue_push(job->mq, MSG_DONE, job);

	return NULL;
}


static void finish(struct dpprov *p)
{
	struct dpprov_job *job = p->job;
	const struct prov_outcome *o = &p->last;

	(void)pthread_join(p->thread, NULL);
	p->busy = false;

	p->last = job->out;
	p->last_kind = job->kind;
	p->have_last = true;
	p->state = DPPROV_FINISHED;
	p->step = PROV_STEP_DONE;
	p->step_what = prov_result_name(o->result);

	if (o->trust_asked && job->kind == JOB_APPLY) {
		/* not over: a person at the phone decides (trust.c) */
		dpprov_ask_start(p, job);
		p->job = mem_deref(p->job);
		dpprov_changed(p);
		return;
	}

	if (o->result == PROV_REFUSED)
		warning("dpprov: provisioning refused: %s\n", o->reason);
	else
		info("dpprov: provisioning %s: %s\n",
		     prov_result_name(o->result), o->reason);

	if (o->key_pinned)
		info("dpprov: pinned provisioning key %s (site \"%s\"): only"
		     " sticks signed by it are accepted from now on\n",
		     o->key_id, o->site);

	if (o->result_note[0] && job->kind == JOB_APPLY &&
	    !job->cfg.no_result)
		warning("dpprov: %s\n", o->result_note);

	p->job = mem_deref(p->job);

	if (o->result == PROV_APPLIED)
		(void)dpprov_reload(p);

	dpprov_changed(p);
}


static void mqueue_handler(int id, void *data, void *arg)
{
	struct dpprov *p = arg;

	if (id == MSG_DONE && data == p->job) {
		finish(p);
		return;
	}

	if (id >= MSG_STEP && id <= MSG_STEP + PROV_STEP_DONE && p->busy) {
		p->step = (enum prov_step)(id - MSG_STEP);
		p->step_what = data;
		if (p->step != PROV_STEP_DONE)
			info("dpprov: provisioning: %s\n", p->step_what);
		dpprov_changed(p);
	}
}


static int job_start(struct dpprov *p, enum job_kind kind,
		     const char *root, const char *source,
		     const struct prov_trust_answer *answer)
{
	struct dpprov_job *job;
	int err;

	if (p->busy || p->ask.active)
		return EBUSY;

	if (!p->mq) {
		err = mqueue_alloc(&p->mq, mqueue_handler, p);
		if (err)
			return err;
	}

	job = mem_zalloc(sizeof(*job), NULL);
	if (!job)
		return ENOMEM;

	job->kind = kind;
	job->cfg = p->set.cfg;
	job->cfg.progress = on_progress;
	job->cfg.progress_arg = job;
	if (answer)
		job->cfg.trust = *answer;
	job->mq = p->mq;
	str_ncpy(job->root, root ? root : "", sizeof(job->root));
	str_ncpy(job->source, source, sizeof(job->source));

	p->job = job;
	p->busy = true;
	++p->job_no;
	p->state = DPPROV_WORKING;
	p->step = PROV_STEP_READING;
	p->step_what = kind == JOB_APPLY ? "starting" :
		"rolling back to the previous configuration";

	err = pthread_create(&p->thread, NULL, worker_main, job);
	if (err) {
		p->busy = false;
		p->job = mem_deref(p->job);
		p->state = p->have_last ? DPPROV_FINISHED : DPPROV_IDLE;
		return err;
	}

	if (kind == JOB_APPLY)
		info("dpprov: provisioning from %s (%s)\n", job->root, source);
	else
		info("dpprov: rolling back (%s)\n", source);

	dpprov_changed(p);

	return 0;
}


int dpprov_job_start(struct dpprov *p, enum job_kind kind,
		     const char *root, const char *source)
{
	return job_start(p, kind, root, source, NULL);
}


int dpprov_job_answer(struct dpprov *p, const char *root,
		      const struct prov_trust_answer *answer)
{
	return job_start(p, JOB_APPLY, root, "answer", answer);
}


void dpprov_job_close(struct dpprov *p)
{
	if (p->busy) {
		(void)pthread_join(p->thread, NULL);
		p->busy = false;
	}

	p->job = mem_deref(p->job);
	p->mq = mem_deref(p->mq);
}
