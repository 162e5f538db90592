/**
 * @file sipgen.c  Deterministic SIP call flows with fresh identities
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "sipgen.h"

enum style { STYLE_LOG, STYLE_PLAIN, STYLE_COMPACT, STYLE_COUNT };

struct party {
	char name[SIPGEN_VALUE];
	char user[SIPGEN_VALUE];
	char num[24];          /* +27... */
	char nat[24];          /* 0... */
	char host[SIPGEN_VALUE];
	char ip[24];
	char ip6[48];
	char pass[24];
	char mac[24];
	char tag[16];
};

struct flow {
	struct sipgen *g;
	struct mbuf *out;
	enum style style;
	unsigned clock;
	int err;
};

static const char *const syl[] = {
	"ka", "to", "mbe", "ki", "la", "ne", "zu", "ri", "so", "pha", "di",
	"we", "lo", "nye", "thu", "ma", "ba", "ngo", "si", "vu", "re", "da",
	"mi", "jo", "ze", "qu", "xo", "fe", "yo", "bu", "gra", "vel",
};
static const char *const tlds[] = {
	"example.com", "example.net", "example.org", "co.za", "example",
};


void sipgen_init(struct sipgen *g, uint64_t seed)
{
	memset(g, 0, sizeof(*g));
	g->state = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (!g->state)
		g->state = 1;
}


uint64_t sipgen_rand(struct sipgen *g)
{
	/* xorshift64*: small, fast, reproducible everywhere */
	g->state ^= g->state >> 12;
	g->state ^= g->state << 25;
	g->state ^= g->state >> 27;

	return g->state * 0x2545f4914f6cdd1dULL;
}


static unsigned pick(struct sipgen *g, unsigned n)
{
	return (unsigned)(sipgen_rand(g) % n);
}


static void word(struct sipgen *g, char *buf, size_t size, bool cap)
{
	size_t k = 0;
	unsigned n = 3 + pick(g, 2);

	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, size - k, "%s",
				      syl[pick(g, sizeof(syl) / sizeof(syl[0]))]);
	if (cap)
		buf[0] = (char)(buf[0] - 'a' + 'A');
}


static void hex(struct sipgen *g, char *buf, size_t n)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++)
		buf[i] = d[pick(g, 16)];
	buf[n] = '\0';
}


static void alnum(struct sipgen *g, char *buf, size_t n)
{
	static const char d[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (size_t i = 0; i < n; i++)
		buf[i] = d[pick(g, sizeof(d) - 1)];
	buf[n] = '\0';
}


static void plant(struct sipgen *g, const char *v)
{
	if (g->nplanted < SIPGEN_MAX_PLANTED) {
		size_t n = strlen(v);

		if (n >= SIPGEN_VALUE)
			n = SIPGEN_VALUE - 1;
		memcpy(g->planted[g->nplanted], v, n);
		g->planted[g->nplanted][n] = '\0';
		g->nplanted++;
	}
}


static void party(struct sipgen *g, struct party *p)
{
	char first[24], last[24], digits[16];
	unsigned a;

	word(g, first, sizeof(first), true);
	word(g, last, sizeof(last), true);
	snprintf(p->name, sizeof(p->name), "%s %s", first, last);
	snprintf(p->user, sizeof(p->user), "%c%s.%c%s", first[0] + 32,
		 first + 1, last[0] + 32, last + 1);

	for (int i = 0; i < 9; i++)
		digits[i] = (char)('0' + (i == 0 ? 1 + pick(g, 8) : pick(g, 10)));
	digits[9] = '\0';
	snprintf(p->num, sizeof(p->num), "+27%s", digits);
	snprintf(p->nat, sizeof(p->nat), "0%s", digits);

	word(g, first, sizeof(first), false);
	word(g, last, sizeof(last), false);
	snprintf(p->host, sizeof(p->host), "%s-%s.%s", first, last,
		 tlds[pick(g, sizeof(tlds) / sizeof(tlds[0]))]);

	do {
		a = 11 + pick(g, 212);
	} while (a == 127 || a == 100 || a == 169);
	snprintf(p->ip, sizeof(p->ip), "%u.%u.%u.%u", a, pick(g, 256),
		 pick(g, 256), 1 + pick(g, 254));
	snprintf(p->ip6, sizeof(p->ip6), "2001:db8:%x:%x::%x",
		 1 + pick(g, 0xfffe), 1 + pick(g, 0xfffe), 1 + pick(g, 0xfffe));
	alnum(g, p->pass, 12);
	snprintf(p->mac, sizeof(p->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 pick(g, 256), pick(g, 256), pick(g, 256), pick(g, 256),
		 pick(g, 256), pick(g, 256));
	alnum(g, p->tag, 10);

}


static void line(struct flow *f, const char *fmt, ...)
{
	va_list ap;

	if (f->style == STYLE_LOG)
		f->err |= mbuf_printf(f->out, "2026-11-30T08:%02u:%02uZ ",
				      (f->clock / 60) % 60, f->clock % 60);
	va_start(ap, fmt);
	f->err |= mbuf_vprintf(f->out, fmt, ap);
	va_end(ap);
	f->err |= mbuf_write_str(f->out, f->style == STYLE_PLAIN ? "\r\n" :
				 "\n");
}


static const char *hname(const struct flow *f, const char *full,
			 const char *compact)
{
	return f->style == STYLE_COMPACT && compact ? compact : full;
}


/* A message: the trace header in log style, then the lines given. */
static void begin(struct flow *f, const char *src, const char *dst)
{
	f->clock++;
	if (f->style == STYLE_LOG) {
		line(f, "#");
		line(f, "UDP %s:5060 -> %s:5060", src, dst);
	}
}


static void end(struct flow *f)
{
	line(f, "");
	if (f->style == STYLE_LOG)
		line(f, "");
}


static void dialog_headers(struct flow *f, const struct party *a,
			   const struct party *b, const char *btag,
			   const char *callid, unsigned cseq,
			   const char *method, const char *branch,
			   const char *received)
{
	line(f, "%s: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s;rport%s%s",
	     hname(f, "Via", "v"), a->ip, branch, received ? "=5060;received="
	     : "", received ? received : "");
	line(f, "%s: \"%s\" <sip:%s@%s>;tag=%s", hname(f, "From", "f"),
	     a->name, a->user, a->host, a->tag);
	if (btag)
		line(f, "%s: <sip:%s@%s;user=phone>;tag=%s",
		     hname(f, "To", "t"), b->num, b->host, btag);
	else
		line(f, "%s: <sip:%s@%s;user=phone>", hname(f, "To", "t"),
		     b->num, b->host);
	line(f, "%s: %s", hname(f, "Call-ID", "i"), callid);
	line(f, "CSeq: %u %s", cseq, method);
}


static void sdp(struct flow *f, const struct party *p, bool v6,
		unsigned port)
{
	char body[512];
	int n;

	n = snprintf(body, sizeof(body),
		     "v=0\r\no=%s 3630733616 124480717 IN %s %s\r\ns=-\r\n"
		     "c=IN %s %s\r\nt=0 0\r\nm=audio %u RTP/AVP 9 0 101\r\n"
		     "a=rtpmap:9 G722/8000\r\na=rtpmap:101 telephone-event/8000"
		     "\r\na=ssrc:%u cname:%s@%s\r\na=sendrecv\r\n",
		     p->user, v6 ? "IP6" : "IP4", v6 ? p->ip6 : p->ip,
		     v6 ? "IP6" : "IP4", v6 ? p->ip6 : p->ip, port,
		     1000000 + port, p->user, p->host);

	line(f, "%s: application/sdp", hname(f, "Content-Type", "c"));
	line(f, "%s: %d", hname(f, "Content-Length", "l"), n);
	line(f, "");
	for (char *l = body, *e; *l; l = e + 2) {
		e = strstr(l, "\r\n");
		*e = '\0';
		line(f, "%s", l);
	}
	if (f->style == STYLE_LOG)
		line(f, "");
}


int sipgen_flow(struct sipgen *g, struct mbuf *out)
{
	struct flow f = { .g = g, .out = out };
	struct party a, b;
	char callid[SIPGEN_VALUE], regid[SIPGEN_VALUE], btag[16];
	char br[5][16], nonce[40], resp[40];

	g->nplanted = 0;
	f.style = (enum style)pick(g, STYLE_COUNT);
	f.clock = pick(g, 3000);
	party(g, &a);
	party(g, &b);

	/* what the flow below writes */
	plant(g, a.name);
	plant(g, a.user);
	plant(g, a.host);
	plant(g, a.ip);
	plant(g, a.tag);
	plant(g, b.name);
	plant(g, b.user);
	plant(g, b.num + 1);
	plant(g, b.nat);
	plant(g, b.host);
	plant(g, b.ip);
	plant(g, b.ip6);
	if (f.style == STYLE_LOG) {
		plant(g, a.pass);
		plant(g, a.mac);
	}
	for (int i = 0; i < 5; i++) {
		hex(g, br[i], 12);
		plant(g, br[i]);
	}
	hex(g, nonce, 32);
	hex(g, resp, 32);
	alnum(g, btag, 10);
	hex(g, callid, 16);
	snprintf(callid + 16, sizeof(callid) - 16, "@%s", a.ip);
	hex(g, regid, 12);
	plant(g, nonce);
	plant(g, resp);
	plant(g, btag);
	plant(g, callid);
	plant(g, regid);
	snprintf(g->callid[0], SIPGEN_VALUE, "%s", regid);
	snprintf(g->callid[1], SIPGEN_VALUE, "%s", callid);

	if (f.style == STYLE_LOG) {
		line(&f, "account: \"%s\" <sip:%s@%s>;auth_pass=%s;regint=600",
		     a.name, a.user, a.host, a.pass);
		line(&f, "net: eth0 hwaddr %s, address %s", a.mac, a.ip);
	}

	/* REGISTER, challenge, REGISTER with credentials, 200 */
	begin(&f, a.ip, b.ip);
	line(&f, "REGISTER sip:%s SIP/2.0", a.host);
	line(&f, "%s: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s;rport",
	     hname(&f, "Via", "v"), a.ip, br[0]);
	line(&f, "%s: <sip:%s@%s:5060>;expires=600", hname(&f, "Contact", "m"),
	     a.user, a.ip);
	line(&f, "Max-Forwards: 70");
	line(&f, "%s: \"%s\" <sip:%s@%s>", hname(&f, "To", "t"), a.name,
	     a.user, a.host);
	line(&f, "%s: \"%s\" <sip:%s@%s>;tag=%s", hname(&f, "From", "f"),
	     a.name, a.user, a.host, a.tag);
	line(&f, "%s: %s", hname(&f, "Call-ID", "i"), regid);
	line(&f, "CSeq: 1 REGISTER");
	line(&f, "User-Agent: baresip v1.0.0 (x86_64/linux)");
	line(&f, "%s: 0", hname(&f, "Content-Length", "l"));
	end(&f);

	begin(&f, b.ip, a.ip);
	line(&f, "SIP/2.0 401 Unauthorized");
	line(&f, "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s;rport=5060;"
	     "received=%s", a.ip, br[0], a.ip);
	line(&f, "To: \"%s\" <sip:%s@%s>;tag=%s", a.name, a.user, a.host,
	     btag);
	line(&f, "From: \"%s\" <sip:%s@%s>;tag=%s", a.name, a.user, a.host,
	     a.tag);
	line(&f, "Call-ID: %s", regid);
	line(&f, "CSeq: 1 REGISTER");
	line(&f, "WWW-Authenticate: Digest realm=\"%s\", nonce=\"%s\", "
	     "qop=\"auth\"", a.host, nonce);
	line(&f, "Content-Length: 0");
	end(&f);

	begin(&f, a.ip, b.ip);
	line(&f, "REGISTER sip:%s SIP/2.0", a.host);
	line(&f, "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s;rport", a.ip,
	     br[1]);
	if (f.style == STYLE_COMPACT) {
		line(&f, "Authorization: Digest username=\"%s\",", a.user);
		line(&f, "  realm=\"%s\", nonce=\"%s\",", a.host, nonce);
		line(&f, "  uri=\"sip:%s\", response=\"%s\"", a.host, resp);
	}
	else {
		line(&f, "Authorization: Digest username=\"%s\", realm=\"%s\","
		     " nonce=\"%s\", uri=\"sip:%s\", response=\"%s\"", a.user,
		     a.host, nonce, a.host, resp);
	}
	line(&f, "To: \"%s\" <sip:%s@%s>", a.name, a.user, a.host);
	line(&f, "From: \"%s\" <sip:%s@%s>;tag=%s", a.name, a.user, a.host,
	     a.tag);
	line(&f, "Call-ID: %s", regid);
	line(&f, "CSeq: 2 REGISTER");
	line(&f, "Content-Length: 0");
	end(&f);

	begin(&f, b.ip, a.ip);
	line(&f, "SIP/2.0 200 OK");
	line(&f, "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s;rport=5060;"
	     "received=%s", a.ip, br[1], a.ip);
	line(&f, "Call-ID: %s", regid);
	line(&f, "CSeq: 2 REGISTER");
	line(&f, "Contact: <sip:%s@%s:5060>;expires=600", a.user, a.ip);
	line(&f, "Content-Length: 0");
	end(&f);
	if (f.style == STYLE_LOG)
		line(&f, "%s@%s: {0/UDP/v4} 200 OK (pbx) [1 binding]", a.user,
		     a.host);

	/* INVITE through ringing and answer to BYE */
	begin(&f, a.ip, b.ip);
	line(&f, "INVITE sip:%s@%s;user=phone SIP/2.0", b.num, b.host);
	dialog_headers(&f, &a, &b, NULL, callid, 10, "INVITE", br[2], NULL);
	line(&f, "%s: <sip:%s@%s:5060>", hname(&f, "Contact", "m"), a.user,
	     a.ip);
	line(&f, "Max-Forwards: 70");
	sdp(&f, &a, false, 20000 + pick(g, 9999));

	begin(&f, b.ip, a.ip);
	line(&f, "SIP/2.0 180 Ringing");
	dialog_headers(&f, &a, &b, btag, callid, 10, "INVITE", br[2], a.ip);
	line(&f, "P-Asserted-Identity: \"%s\" <sip:%s@%s;user=phone>, <tel:%s>",
	     b.name, b.num, b.host, b.num);
	line(&f, "Contact: <sip:%s@%s:5060>", b.user, b.ip);
	line(&f, "Content-Length: 0");
	end(&f);

	begin(&f, b.ip, a.ip);
	line(&f, "SIP/2.0 200 OK");
	dialog_headers(&f, &a, &b, btag, callid, 10, "INVITE", br[2], a.ip);
	line(&f, "Contact: <sip:%s@[%s]:5060>", b.user, b.ip6);
	line(&f, "Remote-Party-ID: \"%s\" <sip:%s@%s>;party=called;"
	     "screen=yes", b.name, b.nat, b.host);
	sdp(&f, &b, true, 30000 + pick(g, 9999));
	if (f.style == STYLE_LOG)
		line(&f, "%s@%s: Call established: sip:%s@%s", a.user, a.host,
		     b.num, b.host);

	begin(&f, a.ip, b.ip);
	line(&f, "ACK sip:%s@[%s]:5060 SIP/2.0", b.user, b.ip6);
	dialog_headers(&f, &a, &b, btag, callid, 10, "ACK", br[3], NULL);
	line(&f, "Content-Length: 0");
	end(&f);

	if (f.style == STYLE_LOG) {
		line(&f, "call: received DTMF: '%c' (duration=160)",
		     "0123456789*#"[pick(g, 12)]);
		line(&f, "call: terminate call '%s' with sip:%s@%s", callid,
		     b.num, b.host);
	}

	begin(&f, a.ip, b.ip);
	line(&f, "BYE sip:%s@[%s]:5060 SIP/2.0", b.user, b.ip6);
	dialog_headers(&f, &a, &b, btag, callid, 11, "BYE", br[4], NULL);
	line(&f, "Reason: Q.850;cause=16;text=\"Normal call clearing\"");
	line(&f, "Content-Length: 0");
	end(&f);

	begin(&f, b.ip, a.ip);
	line(&f, "SIP/2.0 200 OK");
	dialog_headers(&f, &a, &b, btag, callid, 11, "BYE", br[4], a.ip);
	line(&f, "Content-Length: 0");
	end(&f);

	return f.err;
}
