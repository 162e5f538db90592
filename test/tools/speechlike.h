/**
 * @file speechlike.h  A deterministic speech-like test signal
 *
 * Syllables of 80-300 ms: voiced ones (a glottal pulse train whose pitch
 * glides between 90 and 240 Hz, through three formant resonators that
 * move), hissed ones (noise through a high resonator) and pauses, each
 * under a smooth envelope.  Not speech, but it has speech's spectrum
 * tilt, pitch, formants and loudness changes, which is what a waveform
 * codec's adaptation responds to.  The same seed gives the same signal.
 */
#ifndef DESKPHONE_SPEECHLIKE_H
#define DESKPHONE_SPEECHLIKE_H

#include <stddef.h>
#include <stdint.h>

/* `n` samples at `srate` Hz, peaks near `peak` (1..32767). */
void speechlike(int16_t *out, size_t n, unsigned srate, uint32_t seed,
		int peak);

#endif
