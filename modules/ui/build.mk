# dpui: the phone's user interface (screens, keys, calls), on the board
# layer; the call history from the call-record store (read-only, through
# the privacy library's view of it)
MODULES      += dpui
dpui_SRCS    := $(wildcard modules/ui/*.c)
dpui_LIBS    := dpboard dpfw dppolicy dpaudit dpstore dpcrypto
dpui_LDLIBS  = $(DPCRYPTO_LDLIBS) -lcjson -lpthread

# `make run` makes the far end's prompt with sox
DEPS_PKGS    += sox
