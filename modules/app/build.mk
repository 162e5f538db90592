# libdpapp: the application core our modules share (modules/app/app.h):
# typed calls between the CDR, privacy, provisioning and UI modules, and
# the events pushed to the UI.  A shared library, so that one instance
# serves every module baresip loads RTLD_LOCAL.
SHLIBS       += dpapp
dpapp_SRCS   := $(wildcard modules/app/*.c)

UNIT_TESTS     += app
test_app_SRCS  := test/unit/test_app.c modules/app/app.c
