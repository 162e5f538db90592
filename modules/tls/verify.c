/**
 * @file verify.c  The TLS client context: chain against the configured
 *                 CA, server name against the accounts' SIP servers
 *
 * The name check runs in OpenSSL's verify callback, at the end of the
 * chain (depth 0), and accepts a certificate that names any host of any
 * account's AOR or outbound proxies: libre gives the callback no way to
 * know which of them this connection was opened for.  IP-address hosts
 * are matched against the certificate's IP addresses, names against its
 * DNS names (no partial wildcards).  Connections the phone accepts (it
 * is the TLS server) are not checked here: SIP digest authenticates
 * those requests, and a phone has no client certificates to check.
 */
#include <string.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include "tls.h"

struct ssl_ctx_st *tls_openssl_context(const struct tls *tls);

enum { HOST_MAX = 256 };


/* Does `cert` name the host of SIP URI `uri`? */
static bool cert_names_uri_host(X509 *cert, const struct uri *uri)
{
	char host[HOST_MAX];
	struct sa sa;

	if (!uri->host.l || uri->host.l >= sizeof(host))
		return false;
	pl_strcpy(&uri->host, host, sizeof(host));

	if (0 == sa_set_str(&sa, host, 0))
		return X509_check_ip_asc(cert, host, 0) == 1;

	return X509_check_host(cert, host, 0,
			       X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
			       NULL) == 1;
}


static bool cert_names_an_account(X509 *cert)
{
	struct le *le;

	for (le = uag_list()->head; le; le = le->next) {
		const struct account *acc = ua_account(le->data);
		const struct uri *luri = account_luri(acc);

		if (luri && cert_names_uri_host(cert, luri))
			return true;

		for (unsigned ix = 0; ix < 2; ix++) {
			const char *ob = account_outbound(acc, ix);
			struct uri uri;
			struct pl pl;

			if (!ob || !*ob)
				continue;
			pl_set_str(&pl, ob);
			if (0 == uri_decode(&uri, &pl) &&
			    cert_names_uri_host(cert, &uri))
				return true;
		}
	}

	return false;
}


static int verify_handler(int ok, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(store,
				SSL_get_ex_data_X509_STORE_CTX_idx());
	X509 *cert = X509_STORE_CTX_get_current_cert(store);
	int depth = X509_STORE_CTX_get_error_depth(store);
	char subject[256] = "?";

	if (ssl && SSL_is_server(ssl))
		return 1;

	if (cert)
		X509_NAME_oneline(X509_get_subject_name(cert), subject,
				  sizeof(subject));

	if (!ok) {
		int e = X509_STORE_CTX_get_error(store);

		warning("dptls: server certificate refused (%s, depth %d):"
			" %s\n", subject, depth,
			X509_verify_cert_error_string(e));
		return 0;
	}

	if (depth > 0)
		return 1;

	if (!cert || !cert_names_an_account(cert)) {
		warning("dptls: server certificate refused (%s): it names"
			" none of the accounts' SIP servers\n", subject);
		X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
		return 0;
	}

	return 1;
}


int verify_tls_alloc(struct tls **tlsp, const char *cafile,
		     const char *certificate, bool verify)
{
	struct tls *tls = NULL;
	SSL_CTX *ctx;
	int err;

	err = tls_alloc(&tls, TLS_METHOD_SSLV23,
			certificate && *certificate ? certificate : NULL,
			NULL);
	if (err) {
		warning("dptls: TLS context (certificate '%s'): %m\n",
			certificate ? certificate : "", err);
		return err;
	}

	ctx = tls_openssl_context(tls);
	if (!ctx) {
		mem_deref(tls);
		return ENOSYS;
	}

	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)) {
		mem_deref(tls);
		return EINVAL;
	}

	if (cafile && *cafile) {
		err = tls_add_ca(tls, cafile);
		if (err) {
			warning("dptls: cannot read CA file %s\n", cafile);
			mem_deref(tls);
			return err;
		}
	}
	else if (verify && !SSL_CTX_set_default_verify_paths(ctx)) {
		warning("dptls: no sip_cafile and no system CA store\n");
		mem_deref(tls);
		return ENOENT;
	}

	if (verify)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_handler);
	else
		warning("dptls: sip_tls_verify is off: SIP/TLS servers are"
			" NOT authenticated\n");

	*tlsp = tls;

	return 0;
}
