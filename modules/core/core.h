/**
 * @file core.h  dpcore: the daemon's local control socket, its event
 *               stream and registration back-off (internal interfaces)
 */
#ifndef DPCORE_CORE_H
#define DPCORE_CORE_H

#include "modules/baresip_api.h"
#include "base/json.h"

struct ctrl;

/* Control socket server: a UNIX stream socket, one command a line. */
int  ctrl_alloc(struct ctrl **ctrlp, const char *path, uint32_t mode);
/* Send `line` (no newline) to every connection that asked for events. */
void ctrl_broadcast(struct ctrl *ctrl, const char *line);

/*
 * Run one command line.  The JSON reply (one line, no newline) is
 * appended to `reply`.  `*subscribe` is set when the connection asked
 * for the event stream.
 */
int  core_command(struct mbuf *reply, const char *line, bool *subscribe);

/* Event stream: every UA event, as JSON, to the control socket. */
int  events_init(struct ctrl *ctrl);
void events_close(void);

/* Blind transfer: follow a REFER; keep a call whose transfer failed. */
int  transfer_init(void);
void transfer_close(void);

/* Our own back-off on failed registrations (libre's first wait is 30 s+). */
int  regretry_init(uint32_t min_s, uint32_t max_s);
void regretry_close(void);


#endif
