/**
 * @file dptls.c  dptls: SIP over TLS with the server verified
 *
 * A `module` line before account.so, so that it runs before the first
 * REGISTER.  It replaces the SIP transports baresip's ua_init() made
 * (TLS with an unverifying context) by ours, and takes over baresip's
 * network-change handler, which would otherwise put the unverifying
 * context back when the phone's address changes.
 *
 * Config keys (baresip `config`, written by `deskphone run`):
 *   sip_listen, sip_cafile, sip_certificate   baresip's own keys
 *   dptls_verify       yes (default) or no
 *   dptls_transports   which transports listen: udp,tcp,tls (default all)
 */
#include <string.h>
#include "tls.h"

enum { NET_POLL_S = 60 };

static struct {
	struct tls *tls;
	unsigned mask;
	char listen[128];
} dptls;


/* baresip's own handler, but with our TLS context.  Calls in progress
 * keep their old addresses (call_reset_transp is not public API). */
static void net_changed(void *arg)
{
	struct le *le;
	(void)arg;

	info("dptls: local address changed: %j; re-creating SIP"
	     " transports\n", net_laddr_af(baresip_network(), AF_INET));

	(void)net_check(baresip_network());
	if (transports_reset(dptls.tls, dptls.mask, dptls.listen))
		return;

	for (le = uag_list()->head; le; le = le->next) {
		struct ua *ua = le->data;

		if (account_regint(ua_account(ua)))
			(void)ua_register(ua);
	}
}


/* baresip ignores a module that fails to load and would go on with
 * libre's unverifying TLS: take every SIP transport away instead. */
static int fail_closed(int err)
{
	warning("dptls: %m: SIP is disabled until the configuration is"
		" fixed\n", err);
	sip_transp_flush(uag_sip());
	dptls.tls = mem_deref(dptls.tls);

	return err;
}


static int module_init(void)
{
	char cafile[512] = "", cert[512] = "", transports[64] = "udp,tcp,tls";
	bool verify = true;
	int err;

	(void)conf_get_str(conf_cur(), "sip_cafile", cafile, sizeof(cafile));
	(void)conf_get_str(conf_cur(), "sip_certificate", cert, sizeof(cert));
	(void)conf_get_str(conf_cur(), "sip_listen", dptls.listen,
			   sizeof(dptls.listen));
	(void)conf_get_str(conf_cur(), "dptls_transports", transports,
			   sizeof(transports));
	(void)conf_get_bool(conf_cur(), "dptls_verify", &verify);

	err = transports_parse(transports, &dptls.mask);
	if (err) {
		warning("dptls: dptls_transports '%s': expected a list of"
			" udp, tcp, tls\n", transports);
		return fail_closed(err);
	}

	err = verify_tls_alloc(&dptls.tls, cafile, cert, verify);
	if (!err)
		err = transports_reset(dptls.tls, dptls.mask, dptls.listen);
	if (err)
		return fail_closed(err);

	net_change(baresip_network(), NET_POLL_S, net_changed, NULL);

	info("dptls: SIP transports %s; TLS servers %s\n", transports,
	     verify ? (cafile[0] ? "verified against sip_cafile" :
		       "verified against the system CA store") :
	     "NOT verified");

	return 0;
}


static int module_close(void)
{
	net_change(baresip_network(), 0, NULL, NULL);
	dptls.tls = mem_deref(dptls.tls);
	memset(&dptls, 0, sizeof(dptls));

	return 0;
}


const struct mod_export exports = {
	"dptls",
	"transport",
	module_init,
	module_close
};
