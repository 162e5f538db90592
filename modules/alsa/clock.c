/**
 * @file clock.c  The monotonic clock that paces devices without one
 */
#include <errno.h>
#include <time.h>
#include "audio_io.h"


uint64_t dpa_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}


/* Absolute deadlines: time spent working does not add up into drift. */
void dpa_sleep_until(uint64_t deadline_ns)
{
	struct timespec ts;

	ts.tv_sec  = (time_t)(deadline_ns / 1000000000ull);
	ts.tv_nsec = (long)(deadline_ns % 1000000000ull);

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}


uint64_t dpa_frames_ns(uint64_t frames, unsigned rate)
{
	if (!rate)
		return 0;

	return frames / rate * 1000000000ull +
		frames % rate * 1000000000ull / rate;
}


uint64_t dpa_ns_frames(uint64_t ns, unsigned rate)
{
	return ns / 1000000000ull * rate +
		ns % 1000000000ull * rate / 1000000000ull;
}
