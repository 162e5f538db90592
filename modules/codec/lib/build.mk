# dpcodec: our G.711 and G.722 (no baresip, no allocation)
HOSTCC ?= cc
LIBS          += dpcodec
dpcodec_SRCS  := $(filter-out modules/codec/lib/g711_gen.c,\
		   $(wildcard modules/codec/lib/*.c)) $(BUILD)/gen/g711_tables.c

# The G.711 tables are computed on the build machine.  These are the first
# rules the Makefile reads, so keep `all` the default goal.
.DEFAULT_GOAL := all
$(BUILD)/gen/g711-gen: modules/codec/lib/g711_gen.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -O2 -o $@ $<

$(BUILD)/gen/g711_tables.c: $(BUILD)/gen/g711-gen
	$(Q)$< > $@.tmp && mv $@.tmp $@

CLI_LIBS      += dpcodec
