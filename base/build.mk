# dpbase: settings files, config template, atomic file writes, JSON,
# line-oriented UNIX socket servers (linesock)
LIBS        += dpbase
dpbase_SRCS := $(wildcard base/*.c)
CLI_LIBS    += dpbase

UNIT_TESTS  += settings
test_settings_SRCS := test/unit/test_settings.c
test_settings_LIBS := dpbase

UNIT_TESTS  += linesock
test_linesock_SRCS := test/unit/test_linesock.c test/unit/loop_until.c
test_linesock_LIBS := dpbase
