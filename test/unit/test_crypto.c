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
	DP_ASSERT_EQ(st.st_mode & 0777, 0600);
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
