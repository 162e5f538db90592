# dpcore: control socket, event stream, registration back-off
MODULES      += dpcore
dpcore_SRCS  := $(wildcard modules/core/*.c)
dpcore_LIBS  := dpbase
