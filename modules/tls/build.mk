# dptls: SIP transports with a verifying TLS client context
MODULES      += dptls
dptls_SRCS   := $(wildcard modules/tls/*.c)
dptls_LDLIBS := -lssl -lcrypto
