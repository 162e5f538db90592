/**
 * @file input_events.c  dp-input: write Linux input events to stdout,
 *                       as a keypad device would deliver them
 *
 *   dp-input KEY_NUMERIC_1 ...   press and release each key
 *   dp-input +KEY_UP -KEY_UP     press only / release only
 *   dp-input ~KEY_UP             an auto-repeat event (value 2)
 *   dp-input SW_LID=0            a switch to a value
 *
 * Each event is followed by EV_SYN/SYN_REPORT, as the kernel sends it.
 * The tests point stdout at the FIFO the daemon reads as its keypad.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/input.h>
#include "board/keys.h"


static int emit(uint16_t type, uint16_t code, int32_t value)
{
	struct input_event ev[2];

	memset(ev, 0, sizeof(ev));
	gettimeofday(&ev[0].time, NULL);
	ev[0].type  = type;
	ev[0].code  = code;
	ev[0].value = value;
	ev[1].time  = ev[0].time;
	ev[1].type  = EV_SYN;
	ev[1].code  = SYN_REPORT;

	return write(STDOUT_FILENO, ev, sizeof(ev)) == sizeof(ev) ? 0 : errno;
}


int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		char mode = 0;
		uint16_t type, code;
		size_t len;
		int err;

		if (*a == '+' || *a == '-' || *a == '~')
			mode = *a++;
		len = eq ? (size_t)(eq - a) : strlen(a);

		if (linux_code_find(a, len, &type, &code)) {
			fprintf(stderr, "dp-input: '%s' is not a Linux key or"
				" switch name\n", argv[i]);
			return 2;
		}

		if (eq)
			err = emit(type, code, atoi(eq + 1));
		else if (mode == '+')
			err = emit(type, code, 1);
		else if (mode == '-')
			err = emit(type, code, 0);
		else if (mode == '~')
			err = emit(type, code, 2);
		else
			err = emit(type, code, 1) || emit(type, code, 0);

		if (err) {
			fprintf(stderr, "dp-input: write: %s\n",
				strerror(err));
			return 1;
		}
	}

	return 0;
}
