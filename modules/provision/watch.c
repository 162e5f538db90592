/**
 * @file watch.c  Noticing a stick: the udev rule mounts it on the watched
 *                directory; a timer looks for its manifest there
 *
 * A timer rather than inotify: a mount over the directory raises no
 * inotify event on it, and one stat() every two seconds costs nothing.
 * A stick is applied once when it appears; it is looked at again only
 * after it was taken out, or when its manifest changes.
 */
#include <string.h>
#include <sys/stat.h>
#include "dpprov.h"


static bool same_manifest(const struct dpprov *p, const struct stat *st)
{
	return p->seen && p->seen_dev == st->st_dev &&
		p->seen_ino == st->st_ino && p->seen_size == st->st_size &&
		p->seen_mtime.tv_sec == st->st_mtim.tv_sec &&
		p->seen_mtime.tv_nsec == st->st_mtim.tv_nsec;
}


static void watch_tick(void *arg)
{
	struct dpprov *p = arg;
	char path[700];
	struct stat st;

	if (p->shutting_down)
		return;

	re_snprintf(path, sizeof(path), "%s/%s/manifest.json", p->set.watch_dir,
		    PROV_FOLDER);

	if (lstat(path, &st) < 0) {
		p->seen = false;
	}
	else if (!p->busy && !same_manifest(p, &st)) {
		p->seen = true;
		p->seen_dev = st.st_dev;
		p->seen_ino = st.st_ino;
		p->seen_size = st.st_size;
		p->seen_mtime = st.st_mtim;

		info("dpprov: a provisioning stick appeared in %s\n",
		     p->set.watch_dir);
		if (dpprov_job_start(p, JOB_APPLY, p->set.watch_dir, "usb"))
			p->seen = false;   /* try again on the next tick */
	}

	tmr_start(&p->watch_tmr, p->set.poll_ms, watch_tick, p);
}


void dpprov_watch_start(struct dpprov *p)
{
	if (!p->set.watch_dir[0] || !p->set.poll_ms)
		return;

	tmr_start(&p->watch_tmr, p->set.poll_ms, watch_tick, p);
}
