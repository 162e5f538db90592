/**
 * @file tls.h  dptls: SIP transports with a verified TLS client
 *              (internal interfaces)
 *
 * libre 1.1.0 never asks OpenSSL to verify a SIP/TLS server: baresip's
 * `sip_cafile` is loaded, but the context keeps SSL_VERIFY_NONE, so any
 * certificate (self-signed, expired, another host's) is accepted.  dptls
 * builds a TLS context of its own that verifies the chain against the
 * configured CA and the server's name against the SIP servers the
 * accounts name, and puts the SIP transports back with it.
 */
#ifndef DPTLS_TLS_H
#define DPTLS_TLS_H

#include "modules/baresip_api.h"

struct tls;

/* Which transports listen: a mask of 1 << SIP_TRANSP_{UDP,TCP,TLS}. */
int  transports_parse(const char *list, unsigned *maskp);

/* Replace every SIP transport by ours: UDP/TCP on sip_listen, TLS one
 * port above (baresip's rule), each only when its bit is in `mask`. */
int  transports_reset(struct tls *tls, unsigned mask, const char *listen);

/* The verifying client context; `verify` false keeps libre's behaviour. */
int  verify_tls_alloc(struct tls **tlsp, const char *cafile,
		      const char *certificate, bool verify);

#endif
