# dpui: the phone's user interface (screens, keys, calls), on the board layer
MODULES      += dpui
dpui_SRCS    := $(wildcard modules/ui/*.c)
dpui_LIBS    := dpboard dpfw

# `make run` makes the far end's prompt with sox
DEPS_PKGS    += sox
