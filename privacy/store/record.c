/**
 * @file record.c  One record on flash: sealing, opening, sector headers
 *
 * Record: 0 "DCR1" | 4 length u16 (a multiple of 16) | 6 version u8 |
 * 7 flags u8 | 8 sequence u64 | 16 counter u64 | 24 session u64 |
 * 32 sealed body | tag (16).  Flag 1 marks a void record: the marker a
 * record overwritten in place leaves (its sequence number, nothing else).  The associated data is the 32-byte header
 * plus the sector's ring index (u32) and sequence (u64), so a record
 * left over from an older round of the ring, or moved, does not open.
 *
 * Body: 0 start ms | 8 answer ms | 16 end ms (i64) | 24 duration s u32 |
 * 28 direction u8 | 29 result u8 | 30 SIP status u16 | 32 epoch key id
 * u64 | 40 codec (u8 length, text) | personal part (u16 length, then
 * sealed under the epoch's personal key with the record header as
 * associated data: three texts, each a u8 length and bytes) | zeros.
 * The personal part is sealed again inside the body, so a flipped bit
 * there fails the record even when its epoch key is gone.  A personal
 * part of length 0 means it was stripped: the record holds none.
 *
 * Sector header: 0 "DPCS" | 4 ring index u32 | 8 sector sequence u64 |
 * 16 zero | 24 HMAC-SHA256 of bytes 0..24, first 8 bytes.
 */
#include <errno.h>
#include <string.h>
#include "layout.h"

const uint8_t magic_sector[4] = { 'D', 'P', 'C', 'S' };
const uint8_t magic_record[4] = { 'D', 'C', 'R', '1' };

enum { REC_VERSION = 1, AAD_LEN = REC_HDR + 12, BODY_FIXED = 40,
       SECT_TAG = 8 };


void sector_header(const struct cdr_store *st, uint32_t ring_idx,
		   uint64_t seq, uint8_t out[SECT_HDR])
{
	memset(out, 0, SECT_HDR);
	memcpy(out, magic_sector, 4);
	put32(out + 4, ring_idx);
	put64(out + 8, seq);
	(void)keys_mac(st, out, 24, out + 24, SECT_TAG);
}


bool sector_header_ok(const struct cdr_store *st, uint32_t ring_idx,
		      const uint8_t *buf, uint64_t *seqp)
{
	if (memcmp(buf, magic_sector, 4) || get32(buf + 4) != ring_idx ||
	    !keys_mac_ok(st, buf, 24, buf + 24, SECT_TAG))
		return false;

	*seqp = get64(buf + 8);

	return *seqp != 0;
}


static void make_aad(uint8_t aad[AAD_LEN], const uint8_t *hdr,
		     uint32_t ring_idx, uint64_t sector_seq)
{
	memcpy(aad, hdr, REC_HDR);
	put32(aad + REC_HDR, ring_idx);
	put64(aad + REC_HDR + 4, sector_seq);
}


static size_t text_len(const char *s)
{
	return strnlen(s, TEXT_STORED_MAX);
}


void cdr_text_set(char *dst, size_t size, const char *src)
{
	size_t n;

	if (!dst || !size)
		return;

	n = src ? strnlen(src, size) : 0;
	if (n == size) {
		/* too long: cut before the sequence that would not fit */
		n = size - 1;
		while (n && ((uint8_t)src[n] & 0xc0) == 0x80)
			n--;
	}

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}


static size_t put_text(uint8_t *p, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	p[0] = (uint8_t)n;
	memcpy(p + 1, s, n);

	return n + 1;
}


size_t record_len(const struct cdr_record *rec)
{
	size_t pii = 3 + text_len(rec->local_uri) + text_len(rec->remote_uri) +
		text_len(rec->remote_name);
	size_t body;

	if (pii == 3)
		pii = 0;        /* no personal part at all */
	body = BODY_FIXED + 1 + strnlen(rec->codec, CDR_CODEC_MAX - 1) + 2 +
		(pii ? pii + TAG : 0);

	return (REC_HDR + body + TAG + UNIT - 1) / UNIT * UNIT;
}


/*
 * Seal a record: `pii` (piilen bytes of plaintext, or NULL) goes under
 * the epoch key `slot`; with no personal part the body names `kid` and
 * carries none.
 */
static int seal(struct cdr_store *st, const struct cdr_record *rec,
		uint8_t flags, const struct slot *slot, uint64_t kid,
		const uint8_t *pii, size_t piilen, uint32_t ring_idx,
		uint64_t sector_seq, uint8_t *out, size_t *lenp)
{
	uint8_t key[DP_KEY_LEN], nonce[DP_GCM_NONCE_LEN], aad[AAD_LEN];
	uint8_t body[REC_MAX];
	size_t bodylen, len, codec, sealed = pii ? piilen + TAG : 0;
	uint64_t ctr;
	int err;

	err = keys_next_ctr(st, &ctr);
	if (err)
		return err;

	codec = strnlen(rec->codec, CDR_CODEC_MAX - 1);
	len = (REC_HDR + BODY_FIXED + 1 + codec + 2 + sealed + TAG +
	       UNIT - 1) / UNIT * UNIT;
	if (len > REC_MAX)
		return EFBIG;
	bodylen = len - REC_HDR - TAG;

	memset(out, 0, len);
	memcpy(out, magic_record, 4);
	put16(out + 4, (uint16_t)len);
	out[6] = REC_VERSION;
	out[7] = flags;
	put64(out + 8, rec->seq);
	put64(out + 16, ctr);
	put64(out + 24, st->sess);
	keys_nonce(ctr, nonce);

	memset(body, 0, bodylen);
	put64(body, (uint64_t)rec->start_ms);
	put64(body + 8, (uint64_t)rec->answer_ms);
	put64(body + 16, (uint64_t)rec->end_ms);
	put32(body + 24, rec->duration_s);
	body[28] = (uint8_t)rec->dir;
	body[29] = (uint8_t)rec->result;
	put16(body + 30, rec->sip_status);
	put64(body + 32, slot ? slot->kid : kid);
	(void)put_text(body + BODY_FIXED, rec->codec, CDR_CODEC_MAX - 1);
	put16(body + BODY_FIXED + 1 + codec, (uint16_t)sealed);

	/* the personal part, under the epoch key */
	if (pii) {
		err = keys_personal(st, slot, st->sess, key);
		if (!err)
			err = dp_aead_seal(key, nonce, out, REC_HDR, pii,
					   piilen,
					   body + BODY_FIXED + 3 + codec,
					   body + BODY_FIXED + 3 + codec +
					   piilen);
	}

	/* the whole body, under the record key */
	if (!err)
		err = keys_record(st, st->sess, key);
	make_aad(aad, out, ring_idx, sector_seq);
	if (!err)
		err = dp_aead_seal(key, nonce, aad, sizeof(aad), body,
				   bodylen, out + REC_HDR,
				   out + REC_HDR + bodylen);
	dp_wipe(key, sizeof(key));
	dp_wipe(body, sizeof(body));

	if (!err)
		*lenp = len;

	return err;
}


static size_t pii_text(const struct cdr_record *rec, uint8_t *pii)
{
	size_t n = 0;

	n += put_text(pii + n, rec->local_uri, TEXT_STORED_MAX);
	n += put_text(pii + n, rec->remote_uri, TEXT_STORED_MAX);
	n += put_text(pii + n, rec->remote_name, TEXT_STORED_MAX);

	return n;
}


int record_seal(struct cdr_store *st, const struct cdr_record *rec,
		uint32_t ring_idx, uint64_t sector_seq, uint8_t *out,
		size_t *lenp)
{
	uint8_t pii[3 * 256];
	struct slot *slot;
	size_t piilen;
	int err;

	/* nothing personal (a restricted phone, an objected party): no
	 * personal part, and no epoch key made for it */
	if (!rec->local_uri[0] && !rec->remote_uri[0] && !rec->remote_name[0])
		return seal(st, rec, 0, NULL, 0, NULL, 0, ring_idx,
			    sector_seq, out, lenp);

	err = epoch_key_for(st, rec->start_ms / 1000, &slot);
	if (err)
		return err;

	piilen = pii_text(rec, pii);
	err = seal(st, rec, 0, slot, 0, pii, piilen, ring_idx, sector_seq,
		   out, lenp);
	dp_wipe(pii, sizeof(pii));

	return err;
}


int record_reseal(struct cdr_store *st, const struct cdr_record *rec,
		  enum reseal how, uint64_t kid, uint32_t ring_idx,
		  uint64_t sector_seq, uint8_t *out, size_t *lenp)
{
	struct cdr_record v;

	switch (how) {

	case RESEAL_FULL:
		return record_seal(st, rec, ring_idx, sector_seq, out, lenp);

	case RESEAL_STRIPPED:
		return seal(st, rec, 0, NULL, kid, NULL, 0, ring_idx,
			    sector_seq, out, lenp);

	case RESEAL_VOID:
		memset(&v, 0, sizeof(v));
		v.seq = rec->seq;
		return seal(st, &v, REC_FLAG_VOID, NULL, 0, NULL, 0,
			    ring_idx, sector_seq, out, lenp);
	}

	return EINVAL;
}


static bool get_text(const uint8_t **p, const uint8_t *end, char *out,
		     size_t outsz)
{
	size_t n;

	if (*p >= end)
		return false;
	n = **p;
	if (n >= outsz || (size_t)(end - *p) < n + 1)
		return false;

	memcpy(out, *p + 1, n);
	out[n] = '\0';
	*p += n + 1;

	return memchr(out, '\0', n) == NULL;
}


static int open_personal(struct cdr_store *st, const uint8_t *hdr,
			 const struct slot *slot, uint64_t sess,
			 uint64_t ctr, const uint8_t *sealed, size_t len,
			 struct cdr_record *rec)
{
	uint8_t key[DP_KEY_LEN], nonce[DP_GCM_NONCE_LEN];
	uint8_t pii[3 * 256];
	const uint8_t *p = pii, *end;
	int err;

	if (len < TAG + 3 || len - TAG > sizeof(pii))
		return EBADMSG;

	keys_nonce(ctr, nonce);
	err = keys_personal(st, slot, sess, key);
	if (!err)
		err = dp_aead_open(key, nonce, hdr, REC_HDR, sealed,
				   len - TAG, sealed + len - TAG, pii);
	dp_wipe(key, sizeof(key));
	if (err)
		return EBADMSG;

	end = pii + len - TAG;
	if (!get_text(&p, end, rec->local_uri, sizeof(rec->local_uri)) ||
	    !get_text(&p, end, rec->remote_uri, sizeof(rec->remote_uri)) ||
	    !get_text(&p, end, rec->remote_name, sizeof(rec->remote_name)) ||
	    p != end)
		err = EBADMSG;
	dp_wipe(pii, sizeof(pii));

	return err;
}


int record_open(struct cdr_store *st, const uint8_t *buf, size_t avail,
		uint32_t ring_idx, uint64_t sector_seq,
		struct cdr_record *rec, size_t *lenp, uint64_t *ctrp,
		bool want_personal, struct record_meta *meta)
{
	uint8_t key[DP_KEY_LEN], nonce[DP_GCM_NONCE_LEN], aad[AAD_LEN];
	uint8_t body[REC_MAX];
	const uint8_t *p, *end;
	const struct slot *slot;
	size_t len, bodylen, piilen;
	uint64_t ctr, sess, kid;
	int err;

	if (avail < REC_MIN || memcmp(buf, magic_record, 4))
		return EINVAL;

	len = get16(buf + 4);
	if (buf[6] != REC_VERSION || len % UNIT || len < REC_MIN ||
	    len > avail)
		return EINVAL;

	ctr = get64(buf + 16);
	sess = get64(buf + 24);
	bodylen = len - REC_HDR - TAG;
	keys_nonce(ctr, nonce);
	make_aad(aad, buf, ring_idx, sector_seq);

	err = keys_record(st, sess, key);
	if (!err)
		err = dp_aead_open(key, nonce, aad, sizeof(aad),
				   buf + REC_HDR, bodylen,
				   buf + REC_HDR + bodylen, body);
	dp_wipe(key, sizeof(key));
	if (err)
		return EBADMSG;

	memset(rec, 0, sizeof(*rec));
	rec->seq        = get64(buf + 8);
	rec->start_ms   = (int64_t)get64(body);
	rec->answer_ms  = (int64_t)get64(body + 8);
	rec->end_ms     = (int64_t)get64(body + 16);
	rec->duration_s = get32(body + 24);
	rec->dir        = (enum cdr_direction)body[28];
	rec->result     = (enum cdr_result)body[29];
	rec->sip_status = get16(body + 30);
	kid             = get64(body + 32);

	p = body + BODY_FIXED;
	end = body + bodylen;
	if (!get_text(&p, end, rec->codec, sizeof(rec->codec)) ||
	    end - p < 2) {
		err = EBADMSG;
		goto out;
	}
	piilen = get16(p);
	p += 2;
	if ((size_t)(end - p) < piilen ||
	    !all_zero(p + piilen, (size_t)(end - p) - piilen)) {
		err = EBADMSG;
		goto out;
	}

	if (meta) {
		meta->kid = kid;
		meta->has_personal = piilen > 0;
		meta->is_void = buf[7] & REC_FLAG_VOID;
	}

	if (!piilen) {
		/* stripped: nothing personal left in this record */
		rec->personal_erased = true;
	}
	else if (want_personal) {
		slot = epoch_find(st, kid);
		if (!slot && st->readonly && !st->slots_fresh) {
			/* a key the writer made after we loaded ours */
			st->slots_fresh = true;
			if (!epoch_load(st, false))
				slot = epoch_find(st, kid);
		}

		if (slot && slot->state == SLOT_LIVE)
			err = open_personal(st, buf, slot, sess, ctr, p,
					    piilen, rec);
		else
			rec->personal_erased = true;
	}

	*lenp = len;
	*ctrp = ctr;

 out:
	dp_wipe(body, sizeof(body));
	if (err)
		dp_wipe(rec, sizeof(*rec));

	return err;
}
