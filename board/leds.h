/**
 * @file leds.h  LEDs through the kernel's LED class (/sys/class/leds)
 *
 * Each LED is a directory `${led_root}/${name}` with `brightness`
 * (0 = off, max_brightness = on) and, where the kernel has it, `trigger`:
 * blinking is the `timer` trigger (500 ms on, 500 ms off), set back to
 * `none` for steady states.  A missing LED is logged once and skipped.
 */
#ifndef DESKPHONE_BOARD_LEDS_H
#define DESKPHONE_BOARD_LEDS_H

#include "desc.h"

struct leds;

int  leds_alloc(struct leds **lp, const struct board_desc *d);
int  leds_set(struct leds *l, enum board_led led, enum led_state st);

#endif
