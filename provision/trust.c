/**
 * @file trust.c  Trust on first use: a new key is pinned only when a
 *                person at the phone confirmed it
 *
 * A phone that trusts no key yet would take the key of whatever stick
 * came first, and that key then locks every other out: anyone with a few
 * seconds at the USB port could point the phone at their own registrar.
 * So the stick's own key is pinned only with a person's answer: the
 * daemon asks on the LCD (the key id and the site), `deskphone provision
 * apply` needs --trust-new-key.  Without an answer the stick is refused
 * and the outcome says that a person was asked for (trust_asked).
 */
#include <string.h>
#include <re.h>
#include "prov_int.h"


int prov_tofu_parse(const char *text, enum prov_tofu *tofu, bool *old_yes)
{
	if (old_yes)
		*old_yes = false;

	if (!text || !tofu)
		return EINVAL;

	if (0 == strcmp(text, "ask")) {
		*tofu = PROV_TOFU_ASK;
		return 0;
	}
	if (0 == strcmp(text, "no")) {
		*tofu = PROV_TOFU_NO;
		return 0;
	}
	/* earlier firmware pinned without asking; nobody gets that now */
	if (0 == strcmp(text, "yes")) {
		*tofu = PROV_TOFU_ASK;
		if (old_yes)
			*old_yes = true;
		return 0;
	}

	return EINVAL;
}


int prov_trust_decide(const struct prov_trust_answer *ans,
		      const char *key_id, const char *manifest_hex,
		      struct prov_outcome *out)
{
	switch (ans->confirm) {

	case PROV_CONFIRM_YES:
		if (ans->key_id[0] && strcmp(ans->key_id, key_id)) {
			re_snprintf(out->reason, sizeof(out->reason),
				    "the stick is signed by key %s, not by key"
				    " %s, which was confirmed at the phone",
				    key_id, ans->key_id);
			return EPERM;
		}
		if (ans->manifest_sha256[0] &&
		    strcmp(ans->manifest_sha256, manifest_hex)) {
			re_snprintf(out->reason, sizeof(out->reason),
				    "the stick changed after key %s was"
				    " confirmed at the phone", key_id);
			return EPERM;
		}
		return 0;

	case PROV_CONFIRM_NO:
		re_snprintf(out->reason, sizeof(out->reason),
			    "the stick asks to be trusted on first use (key"
			    " %s); not confirmed at the phone: %s", key_id,
			    ans->why[0] ? ans->why : "refused");
		return EPERM;

	default:
		out->trust_asked = true;
		str_ncpy(out->manifest_sha256, manifest_hex,
			 sizeof(out->manifest_sha256));
		re_snprintf(out->reason, sizeof(out->reason),
			    "the stick asks to be trusted on first use (key"
			    " %s); a person at the phone must confirm it",
			    key_id);
		return EPERM;
	}
}
