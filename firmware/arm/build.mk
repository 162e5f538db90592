# The phone's ARM builds (docs/arm.md): with ARCH=armhf or ARCH=arm64, the
# cross sysroot, the root file system image, the tests under qemu and the
# size report.  Nothing here changes a build for this machine.

# The sysroot holds Debian's baresip, the C library's headers and every
# *-dev package the components declare in DEPS_PKGS, for the phone's
# architecture: all that `make` compiles and links against.  A component
# adds one only the ARM build needs to ARM_DEPS_PKGS; ARM_DEPS_EXCLUDE
# keeps out a -dev package only this machine's tools use.
ARM_DEPS_PKGS  += libc6-dev
ARM_DEPS_EXCLUDE += libclang-rt-14-dev
ARM_SYSROOT_PKGS = baresip-core $(ARM_DEPS_PKGS) \
		   $(filter-out $(ARM_DEPS_EXCLUDE),$(filter %-dev,$(DEPS_PKGS)))
# The image: the daemon itself.  The runtime packages of every library our
# binaries link are found from the binaries; ARM_IMAGE_PKGS is for more.
ARM_IMAGE_PKGS += baresip-core
ARM_BENCH_SCRIPTS += test/bench/arm-size.sh test/bench/arm.sh

# The call test reads the call's record back with the image's
# `deskphone cdr list` (ARM_TEST_CDR=no leaves that step out).
ARM_TEST_CDR   ?= yes

ifneq ($(ARCH),)

# What the build machine needs to build and run ARCH's programs.
ARM_HOST_PKGS  := gcc-$(TRIPLET) binutils-$(TRIPLET) debootstrap \
		  binfmt-support qemu-user-static e2fsprogs procps
DEPS_PKGS      += $(ARM_HOST_PKGS)

ifneq ($(filter test test-unit test-integration run check-clang,$(MAKECMDGOALS)),)
$(error '$(filter test test-unit test-integration run check-clang,$(MAKECMDGOALS))' is for this machine; for ARCH=$(ARCH) use `make test-arm ARCH=$(ARCH)`)
endif

# Debian's packages, downloaded once for every sysroot and image.
ARM_DEB_CACHE  := build/debs
ARM_ROOTFS     := build/rootfs-$(ARCH)
ARM_IMAGE_DIR  := $(BUILD)/image
ARM_IMAGE      := $(ARM_IMAGE_DIR)/deskphone-$(ARCH)
ARM_STAGING    := $(ARM_IMAGE_DIR)/rootfs
ARM_SHIPPED     = $(BUILD)/bin/deskphone $(foreach m,$(MODULES),$(BUILD)/modules/$(m).so) \
		  $(foreach l,$(SHLIBS),$(call shlib_so,$(l)))

.PHONY: sysroot firmware test-arm size arm-rootfs arm-unit-tests arm-host-tools arm-binfmt \
	arm-FORCE

# for the test and benchmark scripts
export DP_ARM_ARCH    := $(ARCH)
export DP_ARM_TRIPLET := $(TRIPLET)
export DP_ARM_SYSROOT := $(SYSROOT)
export DP_ARM_IMAGE   := $(CURDIR)/$(ARM_IMAGE)

# --- the sysroot: rebuilt when its package list changes ---------------------
$(SYSROOT).pkgs: arm-FORCE
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(sort $(ARM_SYSROOT_PKGS)) > $@.tmp
	$(Q)cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(SYSROOT_STAMP): $(SYSROOT).pkgs tools/scripts/arm-sysroot.sh tools/scripts/arm-lib.sh
	@tools/scripts/deps.sh $(ARM_HOST_PKGS)
	@echo "  SYSROOT $(SYSROOT)"
	$(Q)tools/scripts/arm-sysroot.sh $(ARCH) $(SYSROOT) $(ARM_DEB_CACHE) $$(cat $<)
	$(Q)touch $@

sysroot: $(SYSROOT_STAMP)

# --- the image ----------------------------------------------------------------
# arm-rootfs: a bookworm minbase with baresip and the runtime libraries our
# shipped binaries link, cached in build/rootfs-ARCH.  firmware: that plus
# `make install`, then checked and packed (the packing is skipped when the
# staged tree is the same as last time).
# qemu-user registered with binfmt_misc before anything runs an ARM
# program: the unit tests run beside the image's base (make -j2), and on a
# fresh machine they started before the registration did
arm-binfmt:
	@tools/scripts/deps.sh $(ARM_HOST_PKGS)
	$(Q)tools/scripts/arm-binfmt.sh $(ARCH)

arm-rootfs: cli modules arm-binfmt
	$(Q)tools/scripts/arm-rootfs.sh $(ARCH) $(ARM_ROOTFS) $(ARM_DEB_CACHE) \
		$(SYSROOT).files $(ARM_IMAGE_PKGS) -- $(ARM_SHIPPED)

firmware: all arm-rootfs
	@echo "  STAGE   $(ARM_STAGING)"
	$(Q)rm -rf $(ARM_STAGING) && mkdir -p $(ARM_IMAGE_DIR) && \
		cp -a $(ARM_ROOTFS) $(ARM_STAGING)
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(ARM_STAGING) >/dev/null
	@echo "  IMAGE   $(ARM_IMAGE).tar.gz $(ARM_IMAGE).ext4"
	$(Q)tools/scripts/arm-image.sh $(ARCH) $(ARM_STAGING) $(ARM_ROOTFS).list $(ARM_IMAGE)

# --- tests under qemu -------------------------------------------------------
# Unit tests against the sysroot's libraries, then the daemon started from
# the image in a chroot places a call to sipp on 127.0.0.1.  The host side
# of the test (free ports, sipp) runs natively from build/.  The image's
# base is made (emulated, one core) while the rest compiles and the unit
# tests run on the other; their verdicts are counted at the end.
test-arm: deps arm-host-tools
	$(Q)$(MAKE) --no-print-directory -j2 --output-sync=target arm-rootfs arm-unit-tests
	$(Q)$(MAKE) --no-print-directory firmware
	$(Q)DP_ARM_CDR=$(ARM_TEST_CDR) test/arm/run call $(BUILD)

arm-unit-tests: all arm-binfmt
	$(Q)test/arm/run unit $(BUILD) || true

# the tests' helpers that run on this machine (free ports), built for it
arm-host-tools:
	$(Q)$(MAKE) --no-print-directory ARCH= BUILD=build build/test/dp-testutil

# --- sizes of what ships ------------------------------------------------------
size: firmware
	$(Q)tools/scripts/bench.sh $(BUILD) test/bench/arm-size.sh

# `make bench ARCH=..` measures the image
bench: firmware arm-host-tools
else
# without ARCH, the phone's targets are for armhf
.PHONY: sysroot firmware test-arm size
sysroot firmware test-arm size:
	$(Q)$(MAKE) --no-print-directory $@ ARCH=armhf
endif
