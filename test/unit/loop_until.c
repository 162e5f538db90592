/**
 * @file loop_until.c  Run libre's main loop until a condition holds
 */
#include <re.h>
#include "loop_until.h"

struct waiter {
	struct tmr tmr;
	cond_h *cond;
	void *arg;
	unsigned left;
	bool met;
};


static void waiter_tick(void *arg)
{
	struct waiter *w = arg;

	if (w->cond(w->arg)) {
		w->met = true;
		re_cancel();
		return;
	}
	if (!w->left--) {
		re_cancel();
		return;
	}
	tmr_start(&w->tmr, 10, waiter_tick, w);
}


bool run_until(cond_h *cond, void *arg, unsigned ms)
{
	struct waiter w = { .cond = cond, .arg = arg, .left = ms / 10 };

	tmr_init(&w.tmr);
	tmr_start(&w.tmr, 0, waiter_tick, &w);
	(void)re_main(NULL);
	tmr_cancel(&w.tmr);

	return w.met;
}
