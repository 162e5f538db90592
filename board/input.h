/**
 * @file input.h  Linux input devices: keypads and hook switches
 *
 * input_dev reads `struct input_event` records from a path, exactly as
 * from /dev/input/eventN: the device is grabbed (EVIOCGRAB) so no other
 * reader sees its keys, and when it goes away (ENODEV, or end of file on
 * a FIFO) it is closed and reopened every REOPEN_MS until it is back.
 * A path that is not an input device (a FIFO in the tests) is read the
 * same way; the ioctls are skipped for it.
 *
 * keypad turns the events of up to BOARD_MAX_KEYPADS devices into phone
 * keys through the board's keymap and hook switch.
 */
#ifndef DESKPHONE_BOARD_INPUT_H
#define DESKPHONE_BOARD_INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include "desc.h"

struct input_dev;
struct keypad;

enum { INPUT_REOPEN_MS = 250 };

/* type/code/value of one event (EV_SYN and EV_MSC are left out). */
typedef void (input_event_h)(uint16_t type, uint16_t code, int32_t value,
			     void *arg);
/* The device came (present) or went; also once after the first open. */
typedef void (input_state_h)(bool present, void *arg);

int  input_dev_open(struct input_dev **devp, const char *path, bool grab,
		    input_event_h *eh, input_state_h *sh, void *arg);
bool input_dev_present(const struct input_dev *dev);
/* How many times it came back after going away. */
unsigned input_dev_reopens(const struct input_dev *dev);
/* Current state of a switch (EVIOCGSW); ENOTTY when not an input device. */
int  input_dev_switch(const struct input_dev *dev, uint16_t code,
		      bool *onp);

typedef void (keypad_h)(enum phone_key key, enum key_action act, void *arg);

/*
 * One input event, through the board's keymap and hook switch.  Returns
 * PK_NONE for events that mean nothing (unmapped keys, repeats of keys
 * that do not repeat); hook switch changes come out as PK_OFFHOOK or
 * PK_ONHOOK with KEY_PRESS.
 */
enum phone_key keypad_decode(const struct board_desc *d, uint16_t type,
			     uint16_t code, int32_t value,
			     enum key_action *actp);

int keypad_alloc(struct keypad **kpp, const struct board_desc *d,
		 keypad_h *h, void *arg);
/* The input device for keypad i, or NULL. */
struct input_dev *keypad_dev(const struct keypad *kp, size_t i);

#endif
