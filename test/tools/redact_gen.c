/**
 * @file redact_gen.c  `redact-gen --bytes N [--seed S]`: a SIP trace of at
 *                     least N bytes on stdout, the same for the same seed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "sipgen.h"


int main(int argc, char **argv)
{
	unsigned long long want = 0, seed = 1, done = 0;
	struct mbuf *mb = mbuf_alloc(65536);
	struct sipgen g;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (0 == strcmp(argv[i], "--bytes"))
			want = strtoull(argv[i + 1], NULL, 10);
		else if (0 == strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
	}
	if (!want || !mb) {
		fprintf(stderr, "usage: redact-gen --bytes N [--seed S]\n");
		return 2;
	}

	sipgen_init(&g, seed);
	while (done < want) {
		mbuf_rewind(mb);
		if (sipgen_flow(&g, mb) ||
		    fwrite(mb->buf, 1, mb->end, stdout) != mb->end) {
			perror("redact-gen");
			return 1;
		}
		done += mb->end;
	}

	mem_deref(mb);

	return fflush(stdout) ? 1 : 0;
}
