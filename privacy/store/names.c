/**
 * @file names.c  Names of directions and results, as exports show them
 */
#include "cdr_store.h"


const char *cdr_result_name(enum cdr_result r)
{
	switch (r) {

	case CDR_ANSWERED:  return "answered";
	case CDR_MISSED:    return "missed";
	case CDR_REJECTED:  return "rejected";
	case CDR_BUSY:      return "busy";
	case CDR_FAILED:    return "failed";
	case CDR_CANCELLED: return "cancelled";
	default:            return "unknown";
	}
}


const char *cdr_direction_name(enum cdr_direction d)
{
	switch (d) {

	case CDR_DIR_INCOMING: return "in";
	case CDR_DIR_OUTGOING: return "out";
	default:               return "unknown";
	}
}
