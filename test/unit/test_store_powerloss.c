/**
 * @file test_store_powerloss.c  The store under power loss: a writer
 *                               killed at random, its last write torn
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "store_fixture.h"
#include "store_testlib.h"
#include "dptest.h"


/* --- power loss --------------------------------------------------------
 *
 * A writer process appends fixture records as fast as it can and is
 * killed (SIGKILL) after a random delay: during start-up and recovery,
 * between appends, or inside one.  Before every write it saves what the
 * sector held (shared memory survives the kill), so afterwards the last
 * write can be torn the way flash tears: cut at a random byte of what it
 * changed, the rest left as it was ("cut") or read back as zeros
 * ("zero").  Then the store is reopened and must hold every record whose
 * append returned, intact and in order, and nothing else but possibly the
 * one in flight.
 */

struct powerloss {
	uint64_t acked;          /* last serial whose append returned 0 */
	unsigned writes;         /* writes the writer has issued */
	unsigned die_at;         /* the power goes as it issues this one */
	int undo_valid;
	uint64_t off;
	uint32_t first, last;    /* bytes the last write changes */
	uint8_t pre[SECTOR];
	uint8_t post[SECTOR];
};

static struct powerloss *pl;
static int pl_rfd = -1;


static void undo_hook(uint64_t off, const void *data, size_t len, void *arg)
{
	const uint8_t *d = data;
	ssize_t n;
	uint32_t first = SECTOR, last = 0;

	(void)arg;
	/* a write that a sync has covered can no longer tear */
	__atomic_store_n(&pl->undo_valid, 0, __ATOMIC_SEQ_CST);
	if (len != SECTOR)
		return;

	n = pread(pl_rfd, pl->pre, SECTOR, (off_t)off);
	if (n < SECTOR)
		memset(pl->pre + (n > 0 ? n : 0), 0,
		       SECTOR - (size_t)(n > 0 ? n : 0));
	memcpy(pl->post, d, SECTOR);
	for (uint32_t i = 0; i < SECTOR; i++) {
		if (pl->pre[i] != d[i]) {
			if (first == SECTOR)
				first = i;
			last = i;
		}
	}
	if (first == SECTOR)
		return;

	pl->off = off;
	pl->first = first;
	pl->last = last;
	__atomic_store_n(&pl->undo_valid, 1, __ATOMIC_SEQ_CST);

	if (++pl->writes == pl->die_at)
		raise(SIGKILL);
}


static void __attribute__((noreturn)) pl_writer(const char *path,
						uint64_t serial,
						uint64_t size)
{
	struct cdr_store_params prm = {
		.path = path, .size = size, .secret = secret,
		.write_hook = undo_hook,
		.epoch_s = 21600,  /* a new epoch key every 18th record */
	};
	struct cdr_store *st;

	pl_rfd = open(path, O_RDONLY | O_CREAT, 0600);
	if (pl_rfd < 0 || cdr_store_open(&st, &prm))
		_exit(3);

	for (int i = 0; i < 100000; i++, serial++) {
		struct cdr_record rec;

		fixture_record(serial, &rec);
		if (cdr_store_append(st, &rec))
			_exit(4);
		__atomic_store_n(&pl->acked, serial, __ATOMIC_SEQ_CST);
	}

	_exit(0);
}


struct pl_stats {
	unsigned trials, torn_ring, torn_other, cut, zeroed, readers;
};


static void pl_check(struct cdr_store *st, uint64_t acked, bool recovered,
		     uint32_t nring, struct seen *s, unsigned trial,
		     const char *when)
{
	struct cdr_store_info info;
	uint64_t bound = (uint64_t)(nring - 1) * 20;

	walk(st, s, &info);
	if (!s->contiguous && getenv("DP_CDR_DEBUG")) {
		for (uint64_t k = 1; k < s->n && k < 4096; k++)
			if (s->loc[k].serial != s->loc[k - 1].serial + 1)
				printf("# gap: %" PRIu64 " at %" PRIu64
				       " then %" PRIu64 " at %" PRIu64 "\n",
				       s->loc[k - 1].serial, s->loc[k - 1].off,
				       s->loc[k].serial, s->loc[k].off);
		printf("# last write %" PRIu64 " [%u..%u] mode?\n", pl->off,
		       pl->first, pl->last);
	}
	DP_ASSERT_MSG(s->intact && s->ordered && s->contiguous,
		      "trial %u %s: a wrong record came back (intact %d, "
		      "ordered %d, contiguous %d; %" PRIu64 " records, %"
		      PRIu64 "..%" PRIu64 ", acked %" PRIu64 ")", trial, when,
		      s->intact, s->ordered, s->contiguous, s->n, s->first,
		      s->last, acked);
	DP_ASSERT_EQ(s->erased, 0);
	DP_ASSERT_EQ(info.seq_gaps, 0);
	/* (a reader may find a store whose creation was cut short) */
	if (recovered)
		DP_ASSERT_EQ(info.ring_sectors, nring);
	if (recovered)
		DP_ASSERT_MSG(info.skipped == 0, "trial %u: %" PRIu64
			      " damaged spans left after recovery", trial,
			      info.skipped);
	if (acked) {
		DP_ASSERT_MSG(s->n && (s->last == acked || s->last == acked + 1),
			      "trial %u %s: acked up to %" PRIu64 ", store "
			      "ends at %" PRIu64, trial, when, acked, s->last);
		DP_ASSERT_MSG(s->n >= (s->last < bound ? s->last : bound),
			      "trial %u %s: only %" PRIu64 " records kept",
			      trial, when, s->n);
	}
	else {
		DP_ASSERT(s->n <= 1);
	}
}


static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}


/* How long a writer takes here to start, and then to append a record. */
struct pace {
	unsigned startup_us, append_us;
};

static struct pace calibrate(uint64_t size)
{
	const char *cal = path_in_tmp("calibrate.ring");
	double t0, first = 0;
	struct pace pace;
	pid_t pid;

	memset(pl, 0, sizeof(*pl));
	t0 = now_us();
	pid = fork();
	DP_ASSERT(pid >= 0);
	if (pid == 0)
		pl_writer(cal, 1, size);

	while (now_us() - t0 < 20e6) {
		uint64_t a = __atomic_load_n(&pl->acked, __ATOMIC_SEQ_CST);

		if (a >= 1 && !first)
			first = now_us() - t0;
		if (a >= 30)
			break;
		usleep(50);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(cal);
	DP_ASSERT_MSG(first > 0, "a writer never appended");

	pace.startup_us = (unsigned)first + 1;
	pace.append_us = (unsigned)((now_us() - t0 - first) / 29) + 1;

	return pace;
}


/* Kill the writer.  With pl->die_at set it kills itself as it issues
 * that write (so writes get torn however fast the file system is, tmpfs
 * included); else, half the time at a random moment of its start-up and
 * recovery, half a random number of appends in, at a random moment of an
 * append.  The caller reaps it. */
static void kill_writer(pid_t pid, const struct pace *pace, uint64_t base)
{
	if (pl->die_at) {
		double t0 = now_us();
		siginfo_t si;

		do {
			memset(&si, 0, sizeof(si));
			if (waitid(P_PID, (id_t)pid, &si,
				   WEXITED | WNOHANG | WNOWAIT) || si.si_pid)
				break;
			usleep(20);
		} while (now_us() - t0 < 10e6);
	}
	else if (rand() % 2) {
		usleep((useconds_t)((unsigned)rand() % pace->startup_us));
	}
	else {
		uint64_t want = base + (uint64_t)(rand() % 20);
		double t0 = now_us();

		while (__atomic_load_n(&pl->acked, __ATOMIC_SEQ_CST) < want &&
		       now_us() - t0 < 10e6)
			usleep(20);
		usleep((useconds_t)((unsigned)rand() %
				    (2 * pace->append_us)));
	}

	kill(pid, SIGKILL);
}


static uint64_t sector_writes(const char *path)
{
	struct cdr_store *st = open_store(path, 0, true);
	struct cdr_store_info info;

	DP_ASSERT_OK(cdr_store_info(st, &info));
	cdr_store_close(st);

	return info.sector_writes;
}


static void powerloss_trials(unsigned trials, unsigned seed)
{
	const uint32_t nring = 12;
	const uint64_t size = (RING_FIRST + nring) * SECTOR;
	const char *path = path_in_tmp("cdr.ring");
	struct seen *s = calloc(1, sizeof(*s));
	struct pl_stats ps = { 0 };
	struct cdr_store_info info;
	uint64_t next = 1, acked = 0;
	struct cdr_store *st;
	uint64_t wrapped = 0;
	struct pace pace;
	int fd;

	pl = mmap(NULL, sizeof(*pl), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	DP_ASSERT(pl != MAP_FAILED);
	printf("# power-loss trials, seed %u (DP_CDR_SEED)\n", seed);
	fflush(stdout);
	srand(seed);
	init_secret();
	pace = calibrate(size);

	/* the trials asked for, and more until the ring went round twice */
	for (unsigned t = 0; t < trials || (t < 4 * trials &&
					   wrapped < 2 * nring); t++) {
		int mode = rand() % 3, status;
		pid_t pid;

		memset(pl, 0, sizeof(*pl));
		pl->acked = acked;
		if (rand() % 2)   /* often among the first writes of an open */
			pl->die_at = 1 + (unsigned)rand() %
				(rand() % 4 ? 40 : 3);

		pid = fork();
		DP_ASSERT(pid >= 0);
		if (pid == 0)
			pl_writer(path, next, size);

		kill_writer(pid, &pace, acked);
		DP_ASSERT_EQ(waitpid(pid, &status, 0), pid);
		DP_ASSERT_MSG(WIFSIGNALED(status),
			      "trial %u: the writer stopped by itself (%d)",
			      t, status);
		acked = __atomic_load_n(&pl->acked, __ATOMIC_SEQ_CST);

		/* tear the last write: whether or not the kill came before
		 * the write reached the file, it now holds what a cut-short
		 * write leaves: the new bytes up to p, then the old ones
		 * ("cut") or zeros ("zero") */
		if (mode && __atomic_load_n(&pl->undo_valid, __ATOMIC_SEQ_CST)) {
			uint32_t p = pl->first +
				(uint32_t)rand() % (pl->last - pl->first + 1);
			uint8_t torn[SECTOR];

			memcpy(torn, pl->post, p);
			if (mode == 1)
				memcpy(torn + p, pl->pre + p, SECTOR - p);
			else
				memset(torn + p, 0, SECTOR - p);

			fd = open(path, O_WRONLY);
			DP_ASSERT(fd >= 0);
			DP_ASSERT_EQ(pwrite(fd, torn, SECTOR, (off_t)pl->off),
				     SECTOR);
			close(fd);
			if (mode == 1)
				ps.cut++;
			else
				ps.zeroed++;
			if (pl->off >= RING_FIRST * SECTOR)
				ps.torn_ring++;
			else
				ps.torn_other++;
		}

		/* a reader before recovery: no wrong record either */
		if (t % 4 == 0 && access(path, F_OK) == 0) {
			struct cdr_store_params prm = {
				.path = path, .secret = secret,
				.readonly = true,
			};

			if (!cdr_store_open(&st, &prm)) {
				pl_check(st, acked, false, nring, s, t,
					 "before recovery");
				cdr_store_close(st);
				ps.readers++;
			}
		}

		st = open_store(path, size, false);
		pl_check(st, acked, true, nring, s, t, "after recovery");
		cdr_store_close(st);

		next = s->n ? s->last + 1 : 1;
		if (s->n)
			acked = s->last;   /* what the store now holds */
		wrapped = sector_writes(path);
		ps.trials++;
	}

	st = open_store(path, 0, true);
	DP_ASSERT_OK(cdr_store_info(st, &info));
	cdr_store_close(st);

	printf("# %u power-loss trials (seed %u; start-up %u us, append %u us):"
	       " %u ring writes torn, "
	       "%u control/key writes torn (%u cut, %u zeroed), %u reader "
	       "checks; %" PRIu64 " records in the end, %" PRIu64
	       " sectors written (ring of %u)\n", ps.trials, seed,
	       pace.startup_us, pace.append_us,
	       ps.torn_ring, ps.torn_other, ps.cut, ps.zeroed, ps.readers,
	       next - 1, info.sector_writes, nring);

	DP_ASSERT(ps.trials >= trials);
	/* the trials did reach what they are for */
	DP_ASSERT(ps.torn_ring >= trials / 8);
	DP_ASSERT(ps.torn_other >= trials / 50);
	DP_ASSERT(info.sector_writes > 2 * nring);
	munmap(pl, sizeof(*pl));
	free(s);
}


static unsigned env_uint(const char *name, unsigned dflt)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}


DP_TEST(power_loss_trials)
{
	powerloss_trials(env_uint("DP_CDR_TRIALS", 150),
			 env_uint("DP_CDR_SEED", (unsigned)time(NULL) ^
				  (unsigned)getpid()));
}
