/**
 * @file gain.c  Volume: software gain and the mixer-control mapping
 *
 * The software gain is (volume/100)^2, so each halving of the volume is
 * -12 dB and the low steps stay usable, which a linear gain would squeeze
 * into the bottom few percent.  A mixer control that knows its dB scale
 * gets the same curve in dB; one that does not gets its raw steps spread
 * evenly (raw steps are usually dB steps already).
 */
#include <math.h>
#include "audio_io.h"


int32_t dpa_volume_gain(unsigned volume)
{
	if (volume >= 100)
		return DPA_GAIN_UNITY;

	return (int32_t)(((uint64_t)volume * volume * DPA_GAIN_UNITY + 5000) /
			 10000);
}


static void gain_s16(int16_t *v, size_t n, int32_t gain)
{
	for (size_t i = 0; i < n; i++) {
		int32_t s = (int32_t)(((int64_t)v[i] * gain) >> 16);

		if (s > 32767)
			s = 32767;
		else if (s < -32768)
			s = -32768;

		v[i] = (int16_t)s;
	}
}


static void gain_float(float *v, size_t n, int32_t gain)
{
	const float g = (float)gain / (float)DPA_GAIN_UNITY;

	for (size_t i = 0; i < n; i++)
		v[i] *= g;
}


void dpa_gain_apply(void *sampv, size_t sampc, enum dpa_fmt fmt,
		    int32_t gain)
{
	if (!sampv || gain == DPA_GAIN_UNITY)
		return;

	if (fmt == DPA_FMT_S16LE)
		gain_s16(sampv, sampc, gain);
	else if (fmt == DPA_FMT_FLOAT)
		gain_float(sampv, sampc, gain);
}


long dpa_volume_to_range(unsigned volume, long min, long max)
{
	if (max <= min)
		return min;
	if (volume > 100)
		volume = 100;

	/* raw steps are usually dB steps already: spread them evenly */
	return min + lround((double)volume * (double)(max - min) / 100.0);
}


long dpa_volume_db100(unsigned volume)
{
	if (volume >= 100)
		return 0;
	if (volume == 0)
		return DPA_DB100_MUTE;

	return lround(4000.0 * log10((double)volume / 100.0));
}
