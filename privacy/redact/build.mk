# dpredact: the SIP-aware redactor with keyed pseudonyms (no baresip)
LIBS             += dpredact
dpredact_SRCS    := $(wildcard privacy/redact/*.c)
CLI_LIBS         += dpredact
CLI_LDLIBS       += -lcrypto
