/**
 * @file store_fixture.c  Known call records (see store_fixture.h)
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "store_fixture.h"


void fixture_record(uint64_t serial, struct cdr_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->start_ms = FIXTURE_T0_MS + (int64_t)serial * FIXTURE_STEP_MS;
	rec->answer_ms = serial % 3 ? rec->start_ms + 2000 : 0;
	rec->end_ms = rec->start_ms + 5000 + (int64_t)(serial % 1000);
	rec->duration_s = (uint32_t)(serial % 3600);
	rec->dir = serial % 2 ? CDR_DIR_INCOMING : CDR_DIR_OUTGOING;
	rec->result = (enum cdr_result)(1 + serial % 6);
	rec->sip_status = (uint16_t)(200 + serial % 400);
	snprintf(rec->codec, sizeof(rec->codec), "%s",
		 serial % 2 ? "G722/16000/1" : "PCMU/8000/1");
	snprintf(rec->local_uri, sizeof(rec->local_uri),
		 "sip:100@office.example.test");
	snprintf(rec->remote_uri, sizeof(rec->remote_uri),
		 "sip:%" PRIu64 "@peer.example.test", serial);
	snprintf(rec->remote_name, sizeof(rec->remote_name),
		 "Caller \xc3\x9c%" PRIu64, serial);
}


uint64_t fixture_serial(const struct cdr_record *rec)
{
	if (strncmp(rec->remote_uri, "sip:", 4))
		return 0;

	return strtoull(rec->remote_uri + 4, NULL, 10);
}


bool fixture_equal(const struct cdr_record *a, const struct cdr_record *b)
{
	return a->start_ms == b->start_ms && a->answer_ms == b->answer_ms &&
		a->end_ms == b->end_ms && a->duration_s == b->duration_s &&
		a->dir == b->dir && a->result == b->result &&
		a->sip_status == b->sip_status &&
		!strcmp(a->codec, b->codec) &&
		a->personal_erased == b->personal_erased &&
		!strcmp(a->local_uri, b->local_uri) &&
		!strcmp(a->remote_uri, b->remote_uri) &&
		!strcmp(a->remote_name, b->remote_name);
}


void fixture_print(FILE *f, const struct cdr_record *rec)
{
	fprintf(f, "%" PRIu64 " %" PRId64 " %" PRId64 " %" PRId64
		" %u %s %s %u %s %d [%s] [%s] [%s]\n",
		rec->seq, rec->start_ms, rec->answer_ms, rec->end_ms,
		rec->duration_s, cdr_direction_name(rec->dir),
		cdr_result_name(rec->result), rec->sip_status, rec->codec,
		rec->personal_erased, rec->local_uri, rec->remote_uri,
		rec->remote_name);
}
