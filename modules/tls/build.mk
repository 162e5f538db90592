# dptls: SIP transports with a verifying TLS client context
MODULES      += dptls
dptls_SRCS   := $(wildcard modules/tls/*.c)
dptls_LDLIBS := -lssl -lcrypto
# kamailio's TLS listener and openssl(1) for the test PKI
DEPS_PKGS    += kamailio-tls-modules openssl
