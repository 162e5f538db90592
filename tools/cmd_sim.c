/**
 * @file cmd_sim.c  `deskphone sim`: the simulated phone in a terminal
 *
 * A client of the sim board's socket (board/sim.h): it draws the display
 * in a box the board's size, the LEDs and a key legend, and sends the
 * keys typed (raw terminal mode).  Without a terminal, or with --screen
 * or --key, it is a one-shot tool for scripts and tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "board/sim_view.h"
#include "base/settings.h"
#include "cli.h"

extern const struct dp_command dp_command_sim;

enum { MAX_ON_KEYS = 8 };

struct on_key {
	char key;
	const char *cmd;
};

struct phone {
	int fd;
	struct sim_view view;
	bool closed;
	const char *title;
	const char *legend;
	struct on_key on[MAX_ON_KEYS];
	size_t non;
};


static void print_error(const char *why, void *arg)
{
	(void)arg;
	fprintf(stderr, "deskphone sim: %s\n", why);
}


/* Read what the phone sent; false when the connection closed. */
static bool read_phone(struct phone *ph)
{
	char buf[4096];
	ssize_t n = recv(ph->fd, buf, sizeof(buf), 0);

	if (n <= 0) {
		ph->closed = true;
		return false;
	}

	sim_view_feed(&ph->view, buf, (size_t)n);

	return true;
}


static void send_line(const struct phone *ph, const char *verb,
		      const char *key)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s %s\n", verb, key);

	if (n > 0)
		(void)send(ph->fd, line, (size_t)n, MSG_NOSIGNAL);
}


static void print_box(const struct phone *ph, FILE *f, const char *nl)
{
	fprintf(f, " \u250c");
	for (unsigned c = 0; c < ph->view.cols; c++)
		fprintf(f, "\u2500");
	fprintf(f, "\u2510%s", nl);
	for (unsigned r = 0; r < ph->view.rows; r++)
		fprintf(f, " \u2502%s\u2502%s", ph->view.row[r], nl);
	fprintf(f, " \u2514");
	for (unsigned c = 0; c < ph->view.cols; c++)
		fprintf(f, "\u2500");
	fprintf(f, "\u2518%s", nl);
}


static const char *led_mark(const char *st)
{
	if (!strcmp(st, "on"))
		return "\u25cf";        /* filled */
	if (!strcmp(st, "blink"))
		return "\u25d0";        /* half */

	return "\u25cb";                /* empty */
}


static void draw(const struct phone *ph)
{
	const char *nl = "\r\n";

	/* home, clear: the whole frame each time (a few hundred bytes) */
	printf("\033[H\033[2J");
	printf(" deskphone: %s%s%s", ph->title, nl, nl);
	print_box(ph, stdout, nl);
	printf("  [a]  [s]  [d]  [f]   soft keys under the display%s%s",
	       nl, nl);
	printf(" ");
	for (int i = 0; i < SIM_VIEW_LEDS; i++)
		printf(" %s %s", led_mark(ph->view.led[i][0] ?
					  ph->view.led[i] : "off"),
		       sim_view_led_names[i]);
	printf("%s%s", nl, nl);
	printf("  space  lift / hang up    0-9 * #  keypad    Enter OK%s", nl);
	printf("  arrows up/down           Backspace back     Tab menu%s", nl);
	printf("  h hold  t transfer  m mute  p speaker  e headset%s", nl);
	printf("  r redial  n DND  l history  k contacts  v voicemail%s", nl);
	printf("  + - volume               q quit%s", nl);
	if (ph->legend)
		printf("  %s%s", ph->legend, nl);
	fflush(stdout);
}


static const char *key_for_char(char c)
{
	static char digit[2];

	if ((c >= '0' && c <= '9') || c == '*' || c == '#') {
		digit[0] = c;
		digit[1] = '\0';
		return digit;
	}

	switch (c) {

	case ' ':  return "hook";
	case '\r':
	case '\n': return "ok";
	case 0x7f:
	case '\b': return "back";
	case '\t': return "menu";
	case 'a':  return "soft1";
	case 's':  return "soft2";
	case 'd':  return "soft3";
	case 'f':  return "soft4";
	case 'h':  return "hold";
	case 't':  return "transfer";
	case 'm':  return "mute";
	case 'p':  return "speaker";
	case 'e':  return "headset";
	case 'r':  return "redial";
	case 'n':  return "dnd";
	case 'l':  return "history";
	case 'k':  return "directory";
	case 'v':  return "message";
	case '+':  return "volume_up";
	case '-':  return "volume_down";
	default:   return NULL;
	}
}


/* Escape sequences: arrows, F1-F4 (as soft keys). */
static const char *key_for_escape(const char *s, size_t len, size_t *used)
{
	static const struct { const char *seq; const char *key; } map[] = {
		{ "\033[A", "up" }, { "\033[B", "down" },
		{ "\033[C", "right" }, { "\033[D", "left" },
		{ "\033OP", "soft1" }, { "\033OQ", "soft2" },
		{ "\033OR", "soft3" }, { "\033OS", "soft4" },
		{ "\033[11~", "soft1" }, { "\033[12~", "soft2" },
		{ "\033[13~", "soft3" }, { "\033[14~", "soft4" },
		{ "\033[3~", "back" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t n = strlen(map[i].seq);

		if (len >= n && !memcmp(s, map[i].seq, n)) {
			*used = n;
			return map[i].key;
		}
	}

	*used = len;   /* an escape we do not know: drop it */

	return NULL;
}


static void run_on_key(const char *cmd)
{
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		setsid();
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
}


/* false: the user quit */
static bool handle_input(struct phone *ph, const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *key = NULL;
		size_t used = 1;

		if (buf[i] == 'q' || buf[i] == 3 || buf[i] == 4)
			return false;

		if (buf[i] == '\033' && len - i > 1)
			key = key_for_escape(buf + i, len - i, &used);
		else
			key = key_for_char(buf[i]);

		for (size_t k = 0; !key && k < ph->non; k++)
			if (ph->on[k].key == buf[i])
				run_on_key(ph->on[k].cmd);

		if (key)
			send_line(ph, "key", key);
		i += used;
	}

	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	return true;
}


static int interactive(struct phone *ph)
{
	struct termios saved, raw;
	bool quit = false;

	if (tcgetattr(STDIN_FILENO, &saved) < 0) {
		fprintf(stderr, "deskphone sim: stdin is not a terminal (use"
			" --screen or --key)\n");
		return DP_EXIT_USAGE;
	}

	raw = saved;
	cfmakeraw(&raw);
	(void)tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	printf("\033[?25l");    /* hide the cursor */
	draw(ph);

	while (!quit && !ph->closed) {
		struct pollfd pfd[2] = {
			{ STDIN_FILENO, POLLIN, 0 }, { ph->fd, POLLIN, 0 }
		};
		char buf[64];

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;

		if (pfd[1].revents) {
			if (read_phone(ph))
				draw(ph);
		}
		if (pfd[0].revents & POLLIN) {
			ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

			if (n <= 0 || !handle_input(ph, buf, (size_t)n))
				quit = true;
		}
	}

	(void)tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	printf("\033[?25h\r\n");
	if (ph->closed)
		fprintf(stderr, "deskphone sim: the phone went away\n");

	return ph->closed ? DP_EXIT_FAIL : DP_EXIT_OK;
}


/* Wait for the next full picture (`end`), at most `ms`. */
static bool wait_picture(struct phone *ph, int ms)
{
	ph->view.complete = false;
	while (!ph->view.complete && !ph->closed) {
		struct pollfd pfd = { ph->fd, POLLIN, 0 };

		if (poll(&pfd, 1, ms) <= 0)
			return false;
		(void)read_phone(ph);
	}

	return ph->view.complete;
}


static char *default_socket(struct cli_settings_opts *opts)
{
	struct dp_settings *s = NULL;
	char *path = NULL;

	if (cli_settings_load(opts, &s))
		return NULL;

	path = cli_setting(s, "lcd_device");
	mem_deref(s);

	return path;
}


static int sim_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct phone ph;
	const char *socket_path = NULL, *keys[32];
	char *dflt = NULL;
	size_t nkeys = 0;
	bool screen = false;
	int wait_s = 5, rc;

	memset(&opts, 0, sizeof(opts));
	memset(&ph, 0, sizeof(ph));
	sim_view_init(&ph.view, print_error, NULL);
	ph.title = "the phone on the sim board";

	for (int i = 1; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			socket_path = argv[++i];
		else if (!strcmp(argv[i], "--screen"))
			screen = true;
		else if (!strcmp(argv[i], "--key") && i + 1 < argc &&
			 nkeys < 32)
			keys[nkeys++] = argv[++i];
		else if (!strcmp(argv[i], "--wait") && i + 1 < argc)
			wait_s = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--title") && i + 1 < argc)
			ph.title = argv[++i];
		else if (!strcmp(argv[i], "--legend") && i + 1 < argc)
			ph.legend = argv[++i];
		else if (!strcmp(argv[i], "--on-key") && i + 1 < argc &&
			 ph.non < MAX_ON_KEYS && argv[i + 1][0] &&
			 argv[i + 1][1] == '=') {
			ph.on[ph.non].key = argv[i + 1][0];
			ph.on[ph.non].cmd = argv[i + 1] + 2;
			++ph.non;
			++i;
		}
		else
			return cli_usage(&dp_command_sim);
	}

	if (!socket_path) {
		dflt = default_socket(&opts);
		if (!dflt)
			return DP_EXIT_USAGE;
		socket_path = dflt;
	}

	signal(SIGPIPE, SIG_IGN);
	ph.fd = cli_connect_unix(socket_path, wait_s * 1000);
	if (ph.fd < 0)
		fprintf(stderr, "deskphone sim: cannot connect to %s: %s (is the"
			" phone running on the sim board?)\n", socket_path,
			strerror(errno));
	mem_deref(dflt);
	if (ph.fd < 0)
		return DP_EXIT_FAIL;

	if (!wait_picture(&ph, wait_s * 1000)) {
		fprintf(stderr, "deskphone sim: no picture from the phone\n");
		close(ph.fd);
		return DP_EXIT_FAIL;
	}

	if (nkeys || screen) {
		for (size_t k = 0; k < nkeys; k++)
			send_line(&ph, "key", keys[k]);
		rc = DP_EXIT_OK;
		if (screen) {
			/* the keys are handled before this is answered */
			send_line(&ph, "screen", "");
			if (wait_picture(&ph, wait_s * 1000))
				print_box(&ph, stdout, "\n");
			else
				rc = DP_EXIT_FAIL;
		}
		close(ph.fd);
		return rc;
	}

	rc = interactive(&ph);
	close(ph.fd);

	return rc;
}


const struct dp_command dp_command_sim = {
	"sim",
	"the phone on the sim board, in this terminal",
	"deskphone sim [--socket PATH] [--screen] [--key NAME]...\n"
	"              [--on-key C=COMMAND]... [--legend TEXT] [--title T]\n"
	"              [--config DIR] [--local FILE] [--set k=v]\n"
	"  Connect to the sim board's socket (default: ${lcd_device} of the\n"
	"  settings) and show the phone: its display, LEDs and a key legend;\n"
	"  typed keys go to the phone, q quits.  --key sends phone keys\n"
	"  (1, #, hook, hold ...) and --screen prints the display once, for\n"
	"  scripts.  --on-key runs a shell command when character C is typed.\n",
	sim_main
};
