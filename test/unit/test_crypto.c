/**
 * @file test_crypto.c  Known answers for the primitives; device secret
 *                      and sealed-blob behaviour
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "dptest.h"


static void unhex(const char *hex, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned v = 0;

		DP_ASSERT(sscanf(hex + 2 * i, "%2x", &v) == 1);
		out[i] = (uint8_t)v;
	}
}


DP_TEST(hkdf_rfc5869_case1)
{
	uint8_t ikm[22], salt[13], info[10], okm[42], want[42];

	memset(ikm, 0x0b, sizeof(ikm));
	for (size_t i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(info); i++)
		info[i] = (uint8_t)(0xf0 + i);
	unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5"
	      "bf34007208d5b887185865", want, sizeof(want));

	DP_ASSERT_OK(dp_hkdf_sha256(ikm, sizeof(ikm), salt, sizeof(salt),
				    info, sizeof(info), okm, sizeof(okm)));
	DP_ASSERT_MEMEQ(okm, want, sizeof(want));
}


DP_TEST(aes256gcm_known_answer)
{
	/* GCM specification, test case 14: zero key, zero IV, one zero block */
	uint8_t key[32] = {0}, nonce[12] = {0}, pt[16] = {0}, ct[16], tag[16];
	uint8_t want_ct[16], want_tag[16], back[16];

	unhex("cea7403d4d606b6e074ec5d3baf39d18", want_ct, 16);
	unhex("d0d1c8a799996bf0265b98b5d48ab919", want_tag, 16);

	DP_ASSERT_OK(dp_aead_seal(key, nonce, NULL, 0, pt, 16, ct, tag));
	DP_ASSERT_MEMEQ(ct, want_ct, 16);
	DP_ASSERT_MEMEQ(tag, want_tag, 16);

	DP_ASSERT_OK(dp_aead_open(key, nonce, NULL, 0, ct, 16, tag, back));
	DP_ASSERT_MEMEQ(back, pt, 16);

	ct[3] ^= 0x01;
	DP_ASSERT_EQ(dp_aead_open(key, nonce, NULL, 0, ct, 16, tag, back),
		     EBADMSG);
}


DP_TEST(aes256gcm_with_aad_known_answer)
{
	/* GCM specification, test case 16: AES-256, 60 bytes, 20 bytes AAD */
	uint8_t key[32], nonce[12], aad[20], pt[60], ct[60], tag[16];
	uint8_t want_ct[60], want_tag[16], back[60];

	unhex("feffe9928665731c6d6a8f9467308308"
	      "feffe9928665731c6d6a8f9467308308", key, 32);
	unhex("cafebabefacedbaddecaf888", nonce, 12);
	unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, 20);
	unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	      pt, 60);
	unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	      want_ct, 60);
	unhex("76fc6ece0f4e1768cddf8853bb2d551b", want_tag, 16);

	DP_ASSERT_OK(dp_aead_seal(key, nonce, aad, 20, pt, 60, ct, tag));
	DP_ASSERT_MEMEQ(ct, want_ct, 60);
	DP_ASSERT_MEMEQ(tag, want_tag, 16);
	DP_ASSERT_OK(dp_aead_open(key, nonce, aad, 20, ct, 60, tag, back));
	DP_ASSERT_MEMEQ(back, pt, 60);

	/* the associated data is authenticated too */
	aad[0] ^= 0x80;
	DP_ASSERT_EQ(dp_aead_open(key, nonce, aad, 20, ct, 60, tag, back),
		     EBADMSG);
	DP_ASSERT(back[0] == 0 && back[59] == 0);
}


DP_TEST(random_differs_between_calls_and_processes)
{
	uint8_t a[32], b[32], c[32];
	int fds[2];
	pid_t pid;

	DP_ASSERT(dp_crypto_backend() && *dp_crypto_backend());
	DP_ASSERT_OK(dp_random(a, sizeof(a)));
	DP_ASSERT_OK(dp_random(b, sizeof(b)));
	DP_ASSERT(memcmp(a, b, sizeof(a)) != 0);

	/* a forked child must not repeat what the parent gets next */
	DP_ASSERT_OK(pipe(fds));
	pid = fork();
	DP_ASSERT(pid >= 0);
	if (pid == 0) {
		uint8_t x[32];

		if (dp_random(x, sizeof(x)) || write(fds[1], x, 32) != 32)
			_exit(1);
		_exit(0);
	}
	DP_ASSERT_OK(dp_random(b, sizeof(b)));
	DP_ASSERT_EQ(read(fds[0], c, 32), 32);
	waitpid(pid, NULL, 0);
	close(fds[0]);
	close(fds[1]);
	DP_ASSERT(memcmp(b, c, sizeof(b)) != 0);
}


DP_TEST(sha256_and_hmac_known_answers)
{
	uint8_t out[32], want[32];

	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      want, 32);
	DP_ASSERT_OK(dp_sha256("abc", 3, out));
	DP_ASSERT_MEMEQ(out, want, 32);

	/* RFC 4231 test case 2 */
	unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	      want, 32);
	DP_ASSERT_OK(dp_hmac_sha256((const uint8_t *)"Jefe", 4,
				    "what do ya want for nothing?", 28, out));
	DP_ASSERT_MEMEQ(out, want, 32);
}


DP_TEST(device_secret_created_once_and_private)
{
	uint8_t a[32], b[32];
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/state/device.secret",
		 dptest_tmpdir());

	DP_ASSERT_EQ(dp_device_secret_load(path, false, a), ENOENT);
	DP_ASSERT_OK(dp_device_secret_load(path, true, a));
	DP_ASSERT_OK(stat(path, &st));
	DP_ASSERT_EQ(st.st_mode & 0077, 0);       /* the owner's only */
	DP_ASSERT_EQ(st.st_size, 32);
	DP_ASSERT_OK(dp_device_secret_load(path, true, b));
	DP_ASSERT_MEMEQ(a, b, 32);

	DP_ASSERT_OK(chmod(path, 0644));
	DP_ASSERT_EQ(dp_device_secret_load(path, true, b), EACCES);
	DP_ASSERT_OK(chmod(path, 0600));
	DP_ASSERT_OK(truncate(path, 31));
	DP_ASSERT_EQ(dp_device_secret_load(path, true, b), EINVAL);
}


DP_TEST(sealed_blob_round_trip_and_binding)
{
	uint8_t secret[32], other[32], *blob = NULL, *pt = NULL;
	size_t bloblen = 0, len = 0;
	static const char pw[] = "s3cr3t-sip-password";

	DP_ASSERT_OK(dp_random(secret, sizeof(secret)));
	DP_ASSERT_OK(dp_random(other, sizeof(other)));

	DP_ASSERT_OK(dp_seal(secret, "sip-password:100", (const uint8_t *)pw,
			     strlen(pw), &blob, &bloblen));
	DP_ASSERT(memmem(blob, bloblen, pw, strlen(pw)) == NULL);

	DP_ASSERT_OK(dp_unseal(secret, "sip-password:100", blob, bloblen,
			       &pt, &len));
	DP_ASSERT_EQ(len, strlen(pw));
	DP_ASSERT_STREQ((char *)pt, pw);
	pt = mem_deref(pt);

	/* another label, another device, a flipped bit: refused */
	DP_ASSERT_EQ(dp_unseal(secret, "sip-password:101", blob, bloblen, &pt,
			       &len), EBADMSG);
	DP_ASSERT_EQ(dp_unseal(other, "sip-password:100", blob, bloblen, &pt,
			       &len), EBADMSG);
	blob[bloblen / 2] ^= 0x40;
	DP_ASSERT_EQ(dp_unseal(secret, "sip-password:100", blob, bloblen, &pt,
			       &len), EBADMSG);
	DP_ASSERT_EQ(dp_unseal(secret, "x", blob, 10, &pt, &len), EBADMSG);
	DP_ASSERT(pt == NULL);
	mem_deref(blob);
}


DP_TEST(device_secret_first_start_race_yields_one_secret)
{
	enum { N = 8 };
	uint8_t mine[32], theirs[32];
	char path[4200];
	int pipes[N][2];

	snprintf(path, sizeof(path), "%s/race/device.secret", dptest_tmpdir());

	for (int i = 0; i < N; i++) {
		DP_ASSERT_OK(pipe(pipes[i]) < 0 ? errno : 0);
		if (fork() == 0) {
			uint8_t s[32];
			int err = dp_device_secret_load(path, true, s);

			if (!err && write(pipes[i][1], s, 32) != 32)
				err = EIO;
			_exit(err ? 1 : 0);
		}
		close(pipes[i][1]);
	}

	DP_ASSERT_OK(dp_device_secret_load(path, true, mine));
	for (int i = 0; i < N; i++) {
		int status = 0;

		DP_ASSERT_EQ(read(pipes[i][0], theirs, 32), 32);
		DP_ASSERT_MEMEQ(theirs, mine, 32);
		close(pipes[i][0]);
		wait(&status);
		DP_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}


DP_TEST(sha256_streaming_matches_one_shot)
{
	static const char million_a[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	struct dp_sha256 *h = NULL;
	uint8_t out[32], want[32], block[1000];

	DP_ASSERT_OK(dp_sha256_alloc(&h));

	/* "abc" in pieces, then again: final starts the next message */
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      want, 32);
	for (int round = 0; round < 2; round++) {
		DP_ASSERT_OK(dp_sha256_update(h, "a", 1));
		DP_ASSERT_OK(dp_sha256_update(h, "", 0));
		DP_ASSERT_OK(dp_sha256_update(h, "bc", 2));
		DP_ASSERT_OK(dp_sha256_final(h, out));
		DP_ASSERT_MEMEQ(out, want, 32);
	}

	/* FIPS 180-2's long message: a million 'a' */
	memset(block, 'a', sizeof(block));
	for (int i = 0; i < 1000; i++)
		DP_ASSERT_OK(dp_sha256_update(h, block, sizeof(block)));
	DP_ASSERT_OK(dp_sha256_final(h, out));
	unhex(million_a, want, 32);
	DP_ASSERT_MEMEQ(out, want, 32);

	mem_deref(h);
}


/* RFC 4231, every HMAC-SHA256 case; key and data given as hex */
static const struct {
	const char *key, *data, *mac;
} rfc4231[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "4a656665",
	  "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	  "dddddddddddddddddddddddddddddddddddd",
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	/* case 5: only the first 128 bits are given */
	{ "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  "546573742057697468205472756e636174696f6e",
	  "a3b6167473100ee06e0c796c2955552b" },
	{ NULL,
	  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
	  "65204b6579202d2048617368204b6579204669727374",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ NULL,
	  "5468697320697320612074657374207573696e672061206c6172676572207468"
	  "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
	  "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
	  "647320746f20626520686173686564206265666f7265206265696e6720757365"
	  "642062792074686520484d414320616c676f726974686d2e",
	  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
};


DP_TEST(hmac_streaming_rfc4231_all_cases)
{
	for (size_t c = 0; c < sizeof(rfc4231) / sizeof(rfc4231[0]); c++) {
		uint8_t key[131], data[160], out[32], one[32], want[32];
		size_t klen, dlen = strlen(rfc4231[c].data) / 2;
		size_t mlen = strlen(rfc4231[c].mac) / 2;
		struct dp_hmac *h = NULL;

		if (rfc4231[c].key) {
			klen = strlen(rfc4231[c].key) / 2;
			unhex(rfc4231[c].key, key, klen);
		}
		else {      /* cases 6 and 7: 131 bytes of 0xaa */
			klen = sizeof(key);
			memset(key, 0xaa, klen);
		}
		unhex(rfc4231[c].data, data, dlen);
		unhex(rfc4231[c].mac, want, mlen);

		DP_ASSERT_OK(dp_hmac_alloc(&h, key, klen));
		/* twice under one key: final starts the next message */
		for (int round = 0; round < 2; round++) {
			/* byte by byte, then the rest at once */
			for (size_t i = 0; i < dlen / 2; i++)
				DP_ASSERT_OK(dp_hmac_update(h, data + i, 1));
			DP_ASSERT_OK(dp_hmac_update(h, data + dlen / 2,
						    dlen - dlen / 2));
			DP_ASSERT_OK(dp_hmac_final(h, out));
			DP_ASSERT_MSG(!memcmp(out, want, mlen),
				      "RFC 4231 case %zu, round %d", c + 1,
				      round);
		}
		mem_deref(h);

		DP_ASSERT_OK(dp_hmac_sha256(key, klen, data, dlen, one));
		DP_ASSERT_MSG(!memcmp(one, want, mlen), "one-shot, RFC 4231"
			      " case %zu", c + 1);
	}
}


DP_TEST(hmac_context_keeps_its_own_key)
{
	struct dp_hmac *a = NULL, *b = NULL;
	uint8_t ka[32] = { 1 }, kb[32] = { 2 }, ma[32], mb[32], want[32];

	DP_ASSERT_OK(dp_hmac_alloc(&a, ka, sizeof(ka)));
	DP_ASSERT_OK(dp_hmac_alloc(&b, kb, sizeof(kb)));
	DP_ASSERT_OK(dp_hmac_update(a, "msg", 3));
	DP_ASSERT_OK(dp_hmac_update(b, "msg", 3));
	DP_ASSERT_OK(dp_hmac_final(a, ma));
	DP_ASSERT_OK(dp_hmac_final(b, mb));
	DP_ASSERT(memcmp(ma, mb, 32) != 0);
	DP_ASSERT_OK(dp_hmac_sha256(ka, sizeof(ka), "msg", 3, want));
	DP_ASSERT_MEMEQ(ma, want, 32);

	/* an empty message is one too */
	DP_ASSERT_OK(dp_hmac_final(a, ma));
	DP_ASSERT_OK(dp_hmac_sha256(ka, sizeof(ka), "", 0, want));
	DP_ASSERT_MEMEQ(ma, want, 32);
	DP_ASSERT_EQ(dp_hmac_alloc(&a, NULL, 0), EINVAL);
	mem_deref(a);
	mem_deref(b);
}


/* RFC 8032 section 7.1, tests 1 to 3 */
static const struct {
	const char *priv, *pub, *msg, *sig;
} rfc8032[] = {
	{ "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "",
	  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
	{ "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
	  "72",
	  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
	{ "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
	  "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
	  "af82",
	  "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
	  "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
};


DP_TEST(ed25519_rfc8032_sign_and_verify)
{
	for (size_t c = 0; c < sizeof(rfc8032) / sizeof(rfc8032[0]); c++) {
		uint8_t priv[32], pub[32], want_pub[32], msg[2], sig[64];
		uint8_t want_sig[64];
		size_t mlen = strlen(rfc8032[c].msg) / 2;

		unhex(rfc8032[c].priv, priv, 32);
		unhex(rfc8032[c].pub, want_pub, 32);
		unhex(rfc8032[c].msg, msg, mlen);
		unhex(rfc8032[c].sig, want_sig, 64);

		DP_ASSERT_OK(dp_key_public(DP_KEY_ED25519, priv, pub));
		DP_ASSERT_MEMEQ(pub, want_pub, 32);
		DP_ASSERT_OK(dp_ed25519_sign(priv, msg, mlen, sig));
		DP_ASSERT_MEMEQ(sig, want_sig, 64);
		DP_ASSERT_OK(dp_ed25519_verify(pub, msg, mlen, sig));

		/* one bit off in the signature, the message or the key */
		sig[63] ^= 0x10;
		DP_ASSERT_EQ(dp_ed25519_verify(pub, msg, mlen, sig), EBADMSG);
		sig[63] ^= 0x10;
		DP_ASSERT_EQ(dp_ed25519_verify(pub, "x", 1, sig), EBADMSG);
		pub[0] ^= 0x01;
		DP_ASSERT(dp_ed25519_verify(pub, msg, mlen, sig) != 0);
	}
}


DP_TEST(x25519_rfc7748_vectors)
{
	uint8_t a[32], b[32], apub[32], bpub[32], s1[32], s2[32], want[32];
	uint8_t scalar[32], u[32], zero[32] = { 0 }, one[32] = { 1 };

	/* section 5.2, the first scalar multiplication */
	unhex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
	      scalar, 32);
	unhex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	      u, 32);
	unhex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
	      want, 32);
	DP_ASSERT_OK(dp_x25519(scalar, u, s1));
	DP_ASSERT_MEMEQ(s1, want, 32);

	/* section 6.1, Alice and Bob */
	unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	      a, 32);
	unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	      b, 32);
	DP_ASSERT_OK(dp_key_public(DP_KEY_X25519, a, apub));
	unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
	      want, 32);
	DP_ASSERT_MEMEQ(apub, want, 32);
	DP_ASSERT_OK(dp_key_public(DP_KEY_X25519, b, bpub));
	unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	      want, 32);
	DP_ASSERT_MEMEQ(bpub, want, 32);
	unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
	      want, 32);
	DP_ASSERT_OK(dp_x25519(a, bpub, s1));
	DP_ASSERT_OK(dp_x25519(b, apub, s2));
	DP_ASSERT_MEMEQ(s1, want, 32);
	DP_ASSERT_MEMEQ(s2, want, 32);

	/* low-order points give no secret */
	DP_ASSERT_EQ(dp_x25519(a, zero, s1), EACCES);
	DP_ASSERT_EQ(dp_x25519(a, one, s1), EACCES);
}


DP_TEST(generated_keys_work_and_differ)
{
	uint8_t p1[32], q1[32], p2[32], q2[32], s1[32], s2[32], sig[64];

	DP_ASSERT_OK(dp_key_generate(DP_KEY_ED25519, p1, q1));
	DP_ASSERT_OK(dp_key_generate(DP_KEY_ED25519, p2, q2));
	DP_ASSERT(memcmp(q1, q2, 32) != 0);
	DP_ASSERT_OK(dp_ed25519_sign(p1, "m", 1, sig));
	DP_ASSERT_OK(dp_ed25519_verify(q1, "m", 1, sig));
	DP_ASSERT_EQ(dp_ed25519_verify(q2, "m", 1, sig), EBADMSG);

	DP_ASSERT_OK(dp_key_generate(DP_KEY_X25519, p1, q1));
	DP_ASSERT_OK(dp_key_generate(DP_KEY_X25519, p2, q2));
	DP_ASSERT_OK(dp_x25519(p1, q2, s1));
	DP_ASSERT_OK(dp_x25519(p2, q1, s2));
	DP_ASSERT_MEMEQ(s1, s2, 32);
}


DP_TEST(pem_keys_round_trip_and_keep_their_type)
{
	static const enum dp_key_type types[] = { DP_KEY_ED25519,
						  DP_KEY_X25519 };
	/* RFC 8410 section 10.3's Ed25519 private key, as OpenSSL reads it */
	static const char rfc8410[] =
		"-----BEGIN PRIVATE KEY-----\n"
		"MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
		"-----END PRIVATE KEY-----\n";
	uint8_t priv[32], pub[32], back[32], want[32];
	char *pem = NULL, *crlf;

	for (size_t t = 0; t < 2; t++) {
		enum dp_key_type other = types[1 - t];

		DP_ASSERT_OK(dp_key_generate(types[t], priv, pub));

		DP_ASSERT_OK(dp_key_write_private(types[t], priv, &pem));
		DP_ASSERT(strstr(pem, "-----BEGIN PRIVATE KEY-----") == pem);
		DP_ASSERT_OK(dp_key_read_private(types[t], pem, strlen(pem),
						 back));
		DP_ASSERT_MEMEQ(back, priv, 32);
		DP_ASSERT_EQ(dp_key_read_private(other, pem, strlen(pem),
						 back), EINVAL);
		/* a private key is no public key */
		DP_ASSERT_EQ(dp_key_read_public(types[t], pem, strlen(pem),
						back), EINVAL);
		dp_wipe(pem, strlen(pem));
		pem = mem_deref(pem);

		DP_ASSERT_OK(dp_key_write_public(types[t], pub, &pem));
		DP_ASSERT(strstr(pem, "-----BEGIN PUBLIC KEY-----") == pem);
		DP_ASSERT_OK(dp_key_read_public(types[t], pem, strlen(pem),
						back));
		DP_ASSERT_MEMEQ(back, pub, 32);
		DP_ASSERT_OK(dp_pem_public_check(pem, strlen(pem)));
		DP_ASSERT_EQ(dp_key_read_public(other, pem, strlen(pem),
						back), EINVAL);

		/* CRLF line ends: read by the generic decoder, same key */
		crlf = mem_zalloc(2 * strlen(pem) + 1, NULL);
		DP_ASSERT(crlf != NULL);
		for (size_t i = 0, k = 0; pem[i]; i++) {
			if (pem[i] == '\n')
				crlf[k++] = '\r';
			crlf[k++] = pem[i];
		}
		memset(back, 0, 32);
		DP_ASSERT_OK(dp_key_read_public(types[t], crlf, strlen(crlf),
						back));
		DP_ASSERT_MEMEQ(back, pub, 32);
		mem_deref(crlf);

		/* cut short */
		DP_ASSERT_EQ(dp_key_read_public(types[t], pem, strlen(pem) / 2,
						back), EINVAL);
		pem = mem_deref(pem);
	}

	DP_ASSERT_EQ(dp_key_read_public(DP_KEY_ED25519, "junk", 4, back),
		     EINVAL);
	DP_ASSERT_EQ(dp_pem_public_check("junk", 4), EINVAL);

	unhex("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1",
	      want, 32);
	DP_ASSERT_OK(dp_key_read_private(DP_KEY_ED25519, rfc8410,
					 strlen(rfc8410), priv));
	DP_ASSERT_OK(dp_key_public(DP_KEY_ED25519, priv, pub));
	DP_ASSERT_MEMEQ(pub, want, 32);
}


DP_TEST(wipe_zeroes)
{
	uint8_t buf[64];

	memset(buf, 0xa5, sizeof(buf));
	dp_wipe(buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		DP_ASSERT_EQ(buf[i], 0);
	dp_wipe(NULL, 0);
}


DP_TEST(key_files_saved_private_and_loaded_back)
{
	uint8_t priv[32], pub[32], back[32];
	char prefix[4200], path[4300];
	struct stat st;

	snprintf(prefix, sizeof(prefix), "%s/support", dptest_tmpdir());
	DP_ASSERT_OK(dp_key_generate(DP_KEY_X25519, priv, pub));
	DP_ASSERT_OK(dp_key_save(DP_KEY_X25519, priv, prefix));
	DP_ASSERT_EQ(dp_key_save(DP_KEY_X25519, priv, prefix), EEXIST);

	snprintf(path, sizeof(path), "%s.key", prefix);
	DP_ASSERT_OK(stat(path, &st));
	DP_ASSERT_EQ(st.st_mode & 0077, 0);       /* the owner's only */
	DP_ASSERT_OK(dp_key_load(DP_KEY_X25519, true, path, back));
	DP_ASSERT_MEMEQ(back, priv, 32);
	DP_ASSERT_EQ(dp_key_load(DP_KEY_X25519, false, path, back), EINVAL);
	DP_ASSERT_EQ(dp_key_load(DP_KEY_ED25519, true, path, back), EINVAL);

	snprintf(path, sizeof(path), "%s.pub", prefix);
	DP_ASSERT_OK(stat(path, &st));
	DP_ASSERT_OK(dp_key_load(DP_KEY_X25519, false, path, back));
	DP_ASSERT_MEMEQ(back, pub, 32);

	snprintf(path, sizeof(path), "%s.missing", prefix);
	DP_ASSERT_EQ(dp_key_load(DP_KEY_X25519, false, path, back), ENOENT);
	DP_ASSERT_EQ(dp_key_load(DP_KEY_X25519, false, dptest_tmpdir(), back),
		     EINVAL);
}
