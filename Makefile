# deskphone: the top-level build.
#
# Every component describes itself in a `build.mk` beside its sources
# (see docs/build.md); this file turns those descriptions into rules.
#
#   make                 build everything into build/
#   make test            install missing packages, build with ASan+UBSan
#                        into build/san/, run every test
#   make run             the phone on the simulated board, with a far end
#   make bench           every benchmark; results also in build/bench.txt
#   make install DESTDIR=...
#   make check-clang     the same warnings, under clang
#   make fuzz            every libFuzzer harness for FUZZ_SECONDS each
#   make soak            the long-running scripts (SOAK_SCRIPTS)
#   make deps            install the Debian packages the build and tests use
#
# For the phone (docs/arm.md): ARCH=armhf or ARCH=arm64 cross-compiles into
# build/ARCH/ against a Debian sysroot it makes itself, and adds
#   make firmware ARCH=..  the root file system image (tar and ext4)
#   make test-arm ARCH=..  unit tests under qemu, a real call from the image
#   make size ARCH=..      text/data/bss of what ships, the image's size

ARCH     ?=
ifeq ($(ARCH),)
BUILD    ?= build
else
BUILD    ?= build/$(ARCH)
endif
PREFIX   ?= /usr
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
DESTDIR  ?=
SAN      ?=
V        ?=

CC       ?= cc
AR       ?= ar
# compiles programs that run during the build, also when cross-compiling
HOSTCC   ?= cc
PKG_CONFIG ?= pkg-config

# Cross-compiling: Debian's cross gcc with --sysroot; headers and libraries
# come only from the sysroot (SYSROOT is empty in a native build).
SYSROOT  :=
SYSROOT_STAMP :=
ifneq ($(ARCH),)
TRIPLET_armhf := arm-linux-gnueabihf
TRIPLET_arm64 := aarch64-linux-gnu
TRIPLET  := $(TRIPLET_$(ARCH))
ifeq ($(TRIPLET),)
$(error ARCH must be armhf or arm64 (or empty for this machine), not '$(ARCH)')
endif
SYSROOT  := $(CURDIR)/build/sysroot-$(ARCH)
SYSROOT_STAMP := $(SYSROOT)/.deskphone-sysroot
CC       := $(TRIPLET)-gcc --sysroot=$(SYSROOT)
AR       := $(TRIPLET)-ar
PKG_CONFIG := PKG_CONFIG_SYSROOT_DIR=$(SYSROOT) \
	PKG_CONFIG_LIBDIR=$(SYSROOT)/usr/lib/$(TRIPLET)/pkgconfig:$(SYSROOT)/usr/share/pkgconfig \
	pkg-config
CFLAGS   += -ffile-prefix-map=$(SYSROOT)/=/ -ffile-prefix-map=$(CURDIR)/=
# 64-bit file offsets and directory positions on 32-bit ARM too: readdir()
# fails with EOVERFLOW when a 64-bit kernel (qemu on this machine) hands out
# 64-bit ext4 positions.  No libre, librem or baresip interface uses off_t.
CPPFLAGS += -D_FILE_OFFSET_BITS=64
# The sysroot's C library headers, start files and libraries only: gcc
# searches /usr/TRIPLET first, where Debian's cross libc packages (a
# Recommends of the compiler) put other versions of them.  The compiler's
# own header directory is asked for once, when first used.
CROSS_GCC_INCLUDE = $(eval CROSS_GCC_INCLUDE := $$(shell $(TRIPLET)-gcc -print-file-name=include))$(CROSS_GCC_INCLUDE)
CPPFLAGS += -nostdinc -isystem $(CROSS_GCC_INCLUDE) \
	    -isystem $(SYSROOT)/usr/include/$(TRIPLET) -isystem $(SYSROOT)/usr/include
LDFLAGS  += -B$(SYSROOT)/usr/lib/$(TRIPLET)/ -L$(SYSROOT)/usr/lib/$(TRIPLET) \
	    -Wl,-rpath-link=$(SYSROOT)/usr/lib/$(TRIPLET)
endif

VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GITREV   := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

ifeq ($(V),)
Q := @
else
Q :=
endif

# libre's headers change struct layouts on these; they must match the
# Debian build of libre 1.1.0.
RE_DEFS  := -DHAVE_INET6 -DHAVE_INTTYPES_H -DHAVE_STDBOOL_H

CPPFLAGS += -D_GNU_SOURCE $(RE_DEFS) -I$(SYSROOT)/usr/include/re -I$(SYSROOT)/usr/include/rem \
	    -I. -I$(BUILD)/gen \
	    -DDP_VERSION='"$(VERSION)"' -DDP_GITREV='"$(GITREV)"'
CFLAGS   += -std=c11 -g -O2 -fPIC -Wall -Wextra -Werror -Wshadow \
	    -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
LDFLAGS  +=

ifneq ($(SAN),)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined
CFLAGS   += $(SANFLAGS)
LDFLAGS  += $(SANFLAGS)
endif

# The libFuzzer build (make fuzz): clang, sanitizers, coverage feedback.
ifneq ($(FUZZ),)
CFLAGS   += -fsanitize=fuzzer-no-link
endif

# --- what the components add to ------------------------------------------
LIBS        :=
MODULES     :=
CLI_SRCS    := $(wildcard tools/*.c)
CLI_LIBS    :=
CLI_LDLIBS  := -lre -lrem -lpthread -lm
UNIT_TESTS  :=
TEST_TOOLS  :=
DEPS_PKGS   :=
BENCH_SCRIPTS :=
SOAK_SCRIPTS  :=
FUZZERS     :=
INSTALL_HOOKS :=
# the phone's Debian packages (docs/arm.md), beyond those found by
# themselves: -dev packages for the ARM sysroot (every *-dev of DEPS_PKGS
# goes there anyway), runtime packages for the image
ARM_DEPS_PKGS :=
ARM_IMAGE_PKGS :=
ARM_BENCH_SCRIPTS :=

# build.mk files may define rules; keep `all` the default whatever they do
.DEFAULT_GOAL := all

include $(sort $(wildcard */build.mk */*/build.mk */*/*/build.mk))

# --- rules ------------------------------------------------------------------
OBJDIR := $(BUILD)/obj
lib_a   = $(BUILD)/lib/lib$(1).a
objs_of = $(patsubst %.c,$(OBJDIR)/%.o,$(1))
# our static libraries, in any order
comma   := ,
link_libs = $(if $(1),-Wl$(comma)--start-group $(foreach l,$(1),$(call lib_a,$(l))) -Wl$(comma)--end-group)

all: cli modules test-tools

.PHONY: all cli modules test-tools test test-unit test-integration run bench \
	install deps check-clang clean fuzz fuzzers soak

$(OBJDIR)/%.o: %.c | $(SYSROOT_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Modules export only `exports` (baresip_api.h marks it visible): their
# objects and those of the static libraries linked into them are built
# with hidden visibility, so a module's internals never meet baresip's or
# another library's names.  The CLI and the tests link the same objects
# statically, where visibility changes nothing.
HIDDEN_CFLAGS := -fvisibility=hidden

define LIB_template
$(call objs_of,$($(1)_SRCS)): CFLAGS += $(HIDDEN_CFLAGS)
$(call lib_a,$(1)): $(call objs_of,$($(1)_SRCS))
	@mkdir -p $$(dir $$@)
	@echo "  AR      $$@"
	$(Q)rm -f $$@ && $(AR) rcs $$@ $$^
endef
$(foreach l,$(LIBS),$(eval $(call LIB_template,$(l))))

define MODULE_template
$(call objs_of,$($(1)_SRCS)): CFLAGS += $(HIDDEN_CFLAGS)
$(BUILD)/modules/$(1).so: $(call objs_of,$($(1)_SRCS)) \
		$(foreach l,$($(1)_LIBS),$(call lib_a,$(l)))
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(CC) -shared $(LDFLAGS) -o $$@ $(call objs_of,$($(1)_SRCS)) \
		$(call link_libs,$($(1)_LIBS)) $($(1)_LDLIBS)
endef
$(foreach m,$(MODULES),$(eval $(call MODULE_template,$(m))))

# `deskphone <name>` subcommands: tools/cmd_<name>.c defines dp_command_<name>
CLI_CMDS := $(sort $(patsubst tools/cmd_%.c,%,$(filter tools/cmd_%.c,$(CLI_SRCS))))
$(BUILD)/gen/commands.inc: Makefile $(filter tools/cmd_%.c,$(CLI_SRCS))
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(foreach c,$(CLI_CMDS),'DP_COMMAND($(c))') > $@.tmp
	$(Q)cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(OBJDIR)/tools/deskphone.o: $(BUILD)/gen/commands.inc

$(BUILD)/bin/deskphone: $(call objs_of,$(CLI_SRCS)) \
		$(foreach l,$(CLI_LIBS),$(call lib_a,$(l)))
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(call objs_of,$(CLI_SRCS)) \
		$(call link_libs,$(sort $(CLI_LIBS))) $(sort $(CLI_LDLIBS))

TEST_OBJS := $(call objs_of,test/unit/dptest.c)

define UNIT_template
$(BUILD)/test/test_$(1): $(call objs_of,$(test_$(1)_SRCS)) $(TEST_OBJS) \
		$(foreach l,$(test_$(1)_LIBS),$(call lib_a,$(l)))
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(CC) $(LDFLAGS) -o $$@ $(call objs_of,$(test_$(1)_SRCS)) \
		$(TEST_OBJS) $(call link_libs,$(test_$(1)_LIBS)) \
		$(test_$(1)_LDLIBS) -lre -lpthread -lm
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_template,$(t))))

define TOOL_template
$(BUILD)/test/$(1): $(call objs_of,$($(1)_SRCS)) \
		$(foreach l,$($(1)_LIBS),$(call lib_a,$(l)))
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(CC) $(LDFLAGS) -o $$@ $(call objs_of,$($(1)_SRCS)) \
		$(call link_libs,$($(1)_LIBS)) $($(1)_LDLIBS)
endef
$(foreach t,$(TEST_TOOLS),$(eval $(call TOOL_template,$(t))))

# A fuzz harness test/fuzz/fuzz_<name>.c (LLVMFuzzerTestOneInput) becomes
# two programs: the libFuzzer binary $(BUILD)/fuzz/fuzz_<name> (built by
# `make fuzz` only) and the unit test $(BUILD)/test/test_fuzz_<name>,
# which replays the kept corpus and every past crash through it.
FUZZ_REPLAY_OBJS := $(call objs_of,test/fuzz/replay.c) $(TEST_OBJS)
define FUZZ_template
$(BUILD)/fuzz/fuzz_$(1): $(call objs_of,test/fuzz/fuzz_$(1).c $(fuzz_$(1)_SRCS)) \
		$(foreach l,$(fuzz_$(1)_LIBS),$(call lib_a,$(l)))
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $$@ \
		$(call objs_of,test/fuzz/fuzz_$(1).c $(fuzz_$(1)_SRCS)) \
		$(call link_libs,$(fuzz_$(1)_LIBS)) $(fuzz_$(1)_LDLIBS) \
		-lre -lpthread -lm
$(BUILD)/test/test_fuzz_$(1): $(call objs_of,test/fuzz/fuzz_$(1).c $(fuzz_$(1)_SRCS)) \
		$(FUZZ_REPLAY_OBJS) $(foreach l,$(fuzz_$(1)_LIBS),$(call lib_a,$(l)))
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(CC) $(LDFLAGS) -o $$@ \
		$(call objs_of,test/fuzz/fuzz_$(1).c $(fuzz_$(1)_SRCS)) \
		$(FUZZ_REPLAY_OBJS) $(call link_libs,$(fuzz_$(1)_LIBS)) \
		$(fuzz_$(1)_LDLIBS) -lre -lpthread -lm
endef
$(foreach f,$(FUZZERS),$(eval $(call FUZZ_template,$(f))))

cli: $(BUILD)/bin/deskphone
modules: $(foreach m,$(MODULES),$(BUILD)/modules/$(m).so)
test-tools: $(foreach t,$(UNIT_TESTS),$(BUILD)/test/test_$(t)) \
	    $(foreach t,$(TEST_TOOLS),$(BUILD)/test/$(t)) \
	    $(foreach f,$(FUZZERS),$(BUILD)/test/test_fuzz_$(f))
fuzzers: $(foreach f,$(FUZZERS),$(BUILD)/fuzz/fuzz_$(f))

-include $(shell find $(OBJDIR) -name '*.d' 2>/dev/null)

# --- packages -------------------------------------------------------------
deps:
	@tools/scripts/deps.sh $(sort $(DEPS_PKGS))

# --- tests ----------------------------------------------------------------
# The suite runs on a sanitizer build of its own, so that `make` output
# stays what ships.
# The plain build is there for the valgrind test (memcheck.sh).
test: deps
	$(MAKE) all
	$(MAKE) BUILD=build/san SAN=1 all
	test/run-all build/san

test-unit: deps
	$(MAKE) BUILD=build/san SAN=1 all
	test/run-all build/san unit

test-integration: deps
	$(MAKE) all
	$(MAKE) BUILD=build/san SAN=1 all
	test/run-all build/san integration

# --- running the phone ----------------------------------------------------
run: deps all
	tools/scripts/run-demo.sh $(BUILD)

# --- benchmarks -----------------------------------------------------------
# (for ARCH=armhf|arm64 the ARM figures: sizes, and memory under qemu)
bench: deps all
	tools/scripts/bench.sh $(BUILD) $(if $(ARCH),$(ARM_BENCH_SCRIPTS),$(BENCH_SCRIPTS))

# --- fuzzing ----------------------------------------------------------------
# Each harness runs FUZZ_SECONDS from its kept corpus (test/fuzz/corpus/
# <name>); new inputs go to build/fuzz/corpus, crashes to
# build/fuzz/artifacts.  FUZZ_MERGE=1 merges the new inputs back into the
# kept corpus.  FUZZ_ONLY="a b" runs some harnesses only.
FUZZ_SECONDS ?= 60
FUZZ_ONLY    ?= $(FUZZERS)
fuzz: deps
	$(MAKE) BUILD=build/fuzz CC=clang SAN=1 FUZZ=1 fuzzers
	tools/scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_ONLY)

# --- soak -------------------------------------------------------------------
# Long runs, not part of `make test`: every script in SOAK_SCRIPTS against
# the sanitizer-free build; each prints PASS/FAIL lines like a test.
soak: deps all
	tools/scripts/soak.sh $(BUILD) $(SOAK_SCRIPTS)

# --- warnings under clang -------------------------------------------------
check-clang: deps
	$(MAKE) BUILD=build/clang CC=clang all

# --- install (FHS) --------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/deskphone/modules \
		$(DESTDIR)$(SYSCONFDIR)/deskphone \
		$(DESTDIR)$(LOCALSTATEDIR)/lib/deskphone \
		$(DESTDIR)$(PREFIX)/share/deskphone
	install -m 0755 $(BUILD)/bin/deskphone $(DESTDIR)$(PREFIX)/bin/deskphone
	$(foreach m,$(MODULES),install -m 0644 $(BUILD)/modules/$(m).so \
		$(DESTDIR)$(PREFIX)/lib/deskphone/modules/$(m).so;)
	cp -R firmware/etc/deskphone/. $(DESTDIR)$(SYSCONFDIR)/deskphone/
	chmod 0600 $(DESTDIR)$(SYSCONFDIR)/deskphone/accounts
	chmod 0700 $(DESTDIR)$(LOCALSTATEDIR)/lib/deskphone
	install -d $(DESTDIR)/lib/systemd/system $(DESTDIR)$(SYSCONFDIR)/init.d \
		$(DESTDIR)/usr/lib/sysusers.d
	install -m 0644 firmware/systemd/deskphone.service \
		$(DESTDIR)/lib/systemd/system/deskphone.service
	install -m 0644 firmware/systemd/deskphone.sysusers \
		$(DESTDIR)/usr/lib/sysusers.d/deskphone.conf
	install -m 0755 firmware/init.d/S50deskphone $(DESTDIR)$(SYSCONFDIR)/init.d/S50deskphone
	$(foreach h,$(INSTALL_HOOKS),$(MAKE) --no-print-directory $(h);)

clean:
	rm -rf build
