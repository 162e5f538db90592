/**
 * @file srtp.c  dpsrtp: the phone-wide SRTP policy
 *
 * SRTP itself (SDES keys in a=crypto, RTP/SAVP) is Debian's stock
 * srtp.so, which an account selects with ;mediaenc=srtp (offer SRTP,
 * accept plain RTP) or ;mediaenc=srtp-mand (SRTP or no call).  This
 * module_app runs after the accounts are loaded; with the config key
 * `dpsrtp_mandatory yes` it sets every account to srtp-mand, so that
 * one setting, not each account line, decides that no call goes out or
 * comes in unencrypted.  If that cannot be done (srtp.so not loaded), it
 * takes the SIP transports away instead: no call at all rather than a
 * plain one.  It is the same policy for accounts added later by
 * provisioning, which restarts the daemon.
 */
#include <string.h>
#include "modules/baresip_api.h"

static const char mand_id[] = "srtp-mand";


/* srtp-mandf (mandatory, RTP/SAVPF) is as strict: keep it. */
static bool is_mandatory(const char *mencid)
{
	return mencid && 0 == strncmp(mencid, mand_id, sizeof(mand_id) - 1);
}


static int module_init(void)
{
	bool mandatory = false;
	struct le *le;
	int err = 0;

	(void)conf_get_bool(conf_cur(), "dpsrtp_mandatory", &mandatory);
	if (!mandatory)
		return 0;

	for (le = uag_list()->head; le && !err; le = le->next) {
		struct account *acc = ua_account(le->data);

		if (is_mandatory(account_mediaenc(acc)))
			continue;
		err = account_set_mediaenc(acc, mand_id);
		if (err)
			break;
		info("dpsrtp: %s: SRTP is mandatory\n", account_aor(acc));
	}

	if (err) {
		warning("dpsrtp: cannot make SRTP mandatory (%m): is srtp.so"
			" loaded?  No SIP transport will be used.\n", err);
		sip_transp_flush(uag_sip());
	}

	return 0;
}


static int module_close(void)
{
	return 0;
}


const struct mod_export exports = {
	"dpsrtp",
	"application",
	module_init,
	module_close
};
