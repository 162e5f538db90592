/**
 * @file loop_until.h  For unit tests of code in libre's main loop: run the
 *                     loop until a condition holds
 */
#ifndef DESKPHONE_LOOP_UNTIL_H
#define DESKPHONE_LOOP_UNTIL_H

#include <stdbool.h>

typedef bool (cond_h)(void *arg);

/* Run the loop until cond(arg) holds, checked every 10 ms, or about `ms`
 * passed; whether it held.  With ms 0: one pass of the loop. */
bool run_until(cond_h *cond, void *arg, unsigned ms);

#endif
