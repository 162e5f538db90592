/**
 * @file fuzz_settings.c  Settings files and the config template
 *                        (base/settings.c) on arbitrary bytes
 *
 * The input is loaded as a settings file and then rendered as a
 * template against those settings, so every ${ref} in it is expanded.
 * A memfd stands in for the file: the parser reads through stdio as it
 * does on the phone.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <re.h>
#include "base/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_settings *s = NULL;
	char errbuf[DP_ERRBUF], path[64];
	struct mbuf *out = NULL;
	int fd;

	fd = memfd_create("fuzz-settings", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	if (dp_settings_alloc(&s))
		goto out;

	/* a few settings a real file layers over */
	(void)dp_settings_set(s, "state_dir", "/var/lib/deskphone", "fuzz");
	(void)dp_settings_set(s, "run_dir", "${state_dir}/run", "fuzz");

	(void)dp_settings_load(s, path, errbuf, sizeof(errbuf));

	out = mbuf_alloc(1024);
	if (out)
		(void)dp_template_render(s, path, out, errbuf, sizeof(errbuf));

 out:
	mem_deref(out);
	mem_deref(s);
	close(fd);

	return 0;
}
