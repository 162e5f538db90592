/**
 * @file sipgen.h  Deterministic SIP traces with varied identities
 *
 * Generates call flows (REGISTER with digest challenge, INVITE with SDP
 * through ringing, answer, ACK and BYE), the baresip log lines around
 * them, in the phone's log format, plain, or with compact headers and
 * folding.  Every party gets fresh identities (names, users, numbers,
 * hosts, IPv4/IPv6 addresses, Call-IDs, tags, nonces, passwords), drawn
 * from a seeded generator: the same seed gives the same bytes.
 *
 * The property tests use the identities each message planted; the
 * benchmark uses the bytes.
 */
#ifndef DESKPHONE_SIPGEN_H
#define DESKPHONE_SIPGEN_H

#include <stddef.h>
#include <stdint.h>

struct mbuf;

enum { SIPGEN_MAX_PLANTED = 48, SIPGEN_VALUE = 64 };

struct sipgen {
	uint64_t state;
	/* what the last call flow planted; each worth finding in output */
	char planted[SIPGEN_MAX_PLANTED][SIPGEN_VALUE];
	size_t nplanted;
	/* the Call-IDs it used, to check equality is kept */
	char callid[2][SIPGEN_VALUE];
};

void sipgen_init(struct sipgen *g, uint64_t seed);
uint64_t sipgen_rand(struct sipgen *g);

/*
 * Append one call flow (about 5-7 kB) to `out`, in one of the styles,
 * chosen by the generator.  planted/callid describe it afterwards.
 */
int sipgen_flow(struct sipgen *g, struct mbuf *out);

#endif
