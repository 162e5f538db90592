/**
 * @file sim_view.c  The sim board's protocol as its client reads it
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_view.h"

const char *const sim_view_led_names[SIM_VIEW_LEDS] = {
	"message", "line", "speaker", "mute"
};


void sim_view_init(struct sim_view *v, sim_view_error_h *errh, void *arg)
{
	memset(v, 0, sizeof(*v));
	v->errh = errh;
	v->arg = arg;
}


void sim_view_line(struct sim_view *v, const char *line)
{
	unsigned a, b;

	if (2 == sscanf(line, "hello deskphone-sim 1 %u %u", &a, &b)) {
		v->rows = a > SIM_VIEW_ROWS ? SIM_VIEW_ROWS : a;
		v->cols = b > SIM_VIEW_COLS ? SIM_VIEW_COLS : b;
	}
	else if (!strncmp(line, "row ", 4)) {
		const char *text = strchr(line + 4, ' ');
		unsigned r = (unsigned)atoi(line + 4);

		if (text && r < SIM_VIEW_ROWS)
			snprintf(v->row[r], sizeof(v->row[r]), "%s", text + 1);
	}
	else if (!strncmp(line, "led ", 4)) {
		char name[16], st[8];

		if (2 == sscanf(line + 4, "%15s %7s", name, st)) {
			for (int i = 0; i < SIM_VIEW_LEDS; i++)
				if (!strcmp(name, sim_view_led_names[i]))
					snprintf(v->led[i], sizeof(v->led[i]),
						 "%s", st);
		}
	}
	else if (!strcmp(line, "end")) {
		v->complete = true;
	}
	else if (!strncmp(line, "error ", 6)) {
		if (v->errh)
			v->errh(line + 6, v->arg);
	}
}


void sim_view_feed(struct sim_view *v, const char *p, size_t n)
{
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;

		if (v->skipping) {
			/* the rest of a line that did not fit */
		}
		else if (v->inlen + len < sizeof(v->in)) {
			memcpy(v->in + v->inlen, p, len);
			v->inlen += len;
		}
		else {
			++v->dropped;
			v->inlen = 0;
			v->skipping = true;
		}

		if (!nl)
			return;

		if (!v->skipping) {
			v->in[v->inlen] = '\0';
			sim_view_line(v, v->in);
		}
		v->inlen = 0;
		v->skipping = false;
		p += len + 1;
		n -= len + 1;
	}
}
