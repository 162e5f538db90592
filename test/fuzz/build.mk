# libFuzzer harnesses (docs/build.md, "Fuzzing").  A harness is
# test/fuzz/fuzz_<name>.c; list it in FUZZERS from the build.mk of the
# component it tests.  These four test code that predates the fuzzing
# framework, so they are listed here.
FUZZERS            += settings accounts ctrlcmd unseal

fuzz_settings_LIBS := dpbase

fuzz_accounts_SRCS := supervisor/run_accounts.c

fuzz_ctrlcmd_SRCS  := modules/core/cmdline.c
fuzz_ctrlcmd_LIBS  := dpbase

fuzz_unseal_LIBS   := dpcrypto dpbase
fuzz_unseal_LDLIBS := $(DPCRYPTO_LDLIBS)

# clang's libFuzzer runtime
DEPS_PKGS          += clang libclang-rt-14-dev
