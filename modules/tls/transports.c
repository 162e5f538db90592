/**
 * @file transports.c  Putting the SIP transports back with our TLS context
 *
 * The same listening addresses as baresip's own ua_init(): each local
 * address (IPv4, IPv6) with the sip_listen port, TLS on the next port.
 */
#include <string.h>
#include "tls.h"


int transports_parse(const char *list, unsigned *maskp)
{
	struct pl rest, item;
	unsigned mask = 0;

	if (!list || !maskp)
		return EINVAL;

	pl_set_str(&rest, list);
	while (rest.l) {
		const char *comma = pl_strchr(&rest, ',');

		item.p = rest.p;
		item.l = comma ? (size_t)(comma - rest.p) : rest.l;
		pl_advance(&rest, item.l + (comma ? 1 : 0));

		while (item.l && (*item.p == ' ' || *item.p == '\t'))
			pl_advance(&item, 1);
		while (item.l && (item.p[item.l - 1] == ' ' ||
				  item.p[item.l - 1] == '\t'))
			--item.l;
		if (!item.l)
			continue;

		if (!pl_strcasecmp(&item, "udp"))
			mask |= 1u << SIP_TRANSP_UDP;
		else if (!pl_strcasecmp(&item, "tcp"))
			mask |= 1u << SIP_TRANSP_TCP;
		else if (!pl_strcasecmp(&item, "tls"))
			mask |= 1u << SIP_TRANSP_TLS;
		else
			return EINVAL;
	}

	if (!mask)
		return EINVAL;

	*maskp = mask;

	return 0;
}


static int add_af(struct tls *tls, unsigned mask, const char *listen,
		  const struct sa *laddr)
{
	struct sip *sip = uag_sip();
	struct sa local;
	int err = 0;

	if (listen && *listen) {
		if (sa_decode(&local, listen, strlen(listen)) &&
		    sa_set_str(&local, listen, 0)) {
			warning("dptls: sip_listen '%s' is not an address\n",
				listen);
			return EINVAL;
		}
		if (!sa_isset(&local, SA_ADDR)) {
			uint16_t port = sa_port(&local);

			sa_cpy(&local, laddr);
			sa_set_port(&local, port);
		}
		if (sa_af(laddr) != sa_af(&local))
			return 0;
	}
	else {
		sa_cpy(&local, laddr);
		sa_set_port(&local, 0);
	}

	if (mask & (1u << SIP_TRANSP_UDP))
		err |= sip_transp_add(sip, SIP_TRANSP_UDP, &local);
	if (mask & (1u << SIP_TRANSP_TCP))
		err |= sip_transp_add(sip, SIP_TRANSP_TCP, &local);
	if (err)
		return err;

	if (mask & (1u << SIP_TRANSP_TLS)) {
		if (sa_isset(&local, SA_PORT))
			sa_set_port(&local, sa_port(&local) + 1);
		err = sip_transp_add(sip, SIP_TRANSP_TLS, &local, tls);
	}

	return err;
}


int transports_reset(struct tls *tls, unsigned mask, const char *listen)
{
	struct network *net = baresip_network();
	const struct sa *la;
	int err = 0;

	sip_transp_flush(uag_sip());

	la = net_laddr_af(net, AF_INET);
	if (sa_isset(la, SA_ADDR))
		err |= add_af(tls, mask, listen, la);

	la = net_laddr_af(net, AF_INET6);
	if (sa_isset(la, SA_ADDR))
		err |= add_af(tls, mask, listen, la);

	if (err)
		warning("dptls: SIP transports: %m\n", err);

	return err;
}
