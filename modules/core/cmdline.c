/**
 * @file cmdline.c  Control-socket lines: word splitting, the allow-list
 */
#include <string.h>
#include "cmdline.h"

/*
 * The baresip long commands the control socket passes through: the ones
 * our own modules register (cmd_register in modules/<name>/), by name.
 * An allow-list on purpose: baresip's own commands include `insmod` (loads
 * any shared object, from any path, into the daemon), `rmmod` and `quit`,
 * and stock modules add more; none of them is for the socket.  A new
 * command of ours is added here when its module registers it.
 */
static const char *const our_commands[] = {
	/* dpalsa (modules/alsa/command.c) */
	"dpalsa_route", "dpalsa_volume", "dpalsa_ring", "dpalsa_status",
	"dpalsa_fault",     /* registered only with dpalsa_test_hooks */
	/* dpprivacy (modules/privacy/commands.c) */
	"dpprivacy_status", "dpprivacy_purge", "dpprivacy_erase",
	"dpprivacy_restrict", "dpprivacy_hold", "dpprivacy_object",
	"dpprivacy_history_clear", "dpprivacy_correct", "dpprivacy_view",
	"dpprivacy_refused",
	/* dpprov (modules/provision/dpprov.c) */
	"dpprov_apply", "dpprov_rollback", "dpprov_reload", "dpprov_status",
	"dpprov_trust",
	/* dpui (modules/ui/ui.c) */
	"dpui_key", "dpui_screen",
};


char *cmdline_word(char **restp)
{
	char *p = *restp, *word;

	while (*p == ' ' || *p == '\t')
		++p;

	if (!*p) {
		*restp = p;
		return NULL;
	}

	word = p;
	while (*p && *p != ' ' && *p != '\t')
		++p;

	if (*p)
		*p++ = '\0';

	*restp = p;

	return word;
}


bool cmdline_passthrough_allowed(const char *text, size_t *namelen)
{
	size_t len;

	if (!text)
		return false;

	/* baresip takes the name up to the first space, nothing else */
	len = strcspn(text, " ");
	if (namelen)
		*namelen = len;

	for (size_t i = 0; i < sizeof(our_commands) / sizeof(our_commands[0]);
	     i++) {
		if (strlen(our_commands[i]) == len &&
		    0 == memcmp(our_commands[i], text, len))
			return true;
	}

	return false;
}
