# dpsrtp: the phone-wide SRTP policy (srtp_mandatory)
MODULES      += dpsrtp
dpsrtp_SRCS  := $(wildcard modules/srtp/*.c)
