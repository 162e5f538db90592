/**
 * @file sim.h  The simulated board: the phone's screen, LEDs and keys
 *              over a UNIX socket, for `deskphone sim` and the tests
 *
 * The daemon serves; any number of clients connect (0660 socket).  Text
 * lines, one message each:
 *
 *   server -> client
 *     hello deskphone-sim 1 ROWS COLS   first line of a connection
 *     row N TEXT                        row N now shows TEXT (UTF-8,
 *                                       exactly COLS characters)
 *     led NAME off|on|blink             NAME: message line speaker mute
 *     end                               end of a full picture (sent
 *                                       after hello and after `screen`)
 *     error WHY                         the last line was not understood
 *   client -> server
 *     key NAME                          press and release a phone key
 *     press NAME / release NAME         (NAME as in keys.h: 1 # hold ...)
 *     screen                            send the full picture again
 */
#ifndef DESKPHONE_BOARD_SIM_H
#define DESKPHONE_BOARD_SIM_H

#include <stddef.h>
#include <stdint.h>
#include "desc.h"
#include "input.h"
#include "lcd.h"

struct sim;
struct mbuf;

int  sim_alloc(struct sim **simp, const char *path, unsigned rows,
	       unsigned cols, keypad_h *kh, void *arg);
/* screen_write_h: update the picture; sim_flush() sends changed rows. */
int  sim_write(unsigned row, unsigned col, const uint8_t *s, size_t n,
	       void *sim);
void sim_flush(struct sim *sim);
void sim_led(struct sim *sim, enum board_led led, enum led_state st);
size_t sim_clients(const struct sim *sim);
extern const struct lcd_ops sim_lcd_ops;

/* One row of cells as UTF-8 text (glyphs as their characters). */
int  sim_row_utf8(struct mbuf *mb, const uint8_t *cells, size_t n);
const char *led_state_name(enum led_state st);

#endif
