# dpfw: settings files, config template, atomic file writes
LIBS        += dpfw
dpfw_SRCS   := $(wildcard firmware/lib/*.c)
CLI_LIBS    += dpfw

UNIT_TESTS  += settings
test_settings_SRCS := test/unit/test_settings.c
test_settings_LIBS := dpfw
