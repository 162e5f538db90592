# dpstore: the encrypted call-record ring (docs/cdr-store.md).
LIBS         += dpstore
dpstore_SRCS := $(wildcard privacy/store/*.c)

UNIT_TESTS               += store
test_store_SRCS          := test/unit/test_store.c test/unit/test_store_powerloss.c \
			    test/unit/test_store_shred.c \
			    test/unit/store_testlib.c \
			    test/unit/store_fixture.c
test_store_LIBS          := dpstore dpcrypto dpbase
test_store_LDLIBS        := $(DPCRYPTO_LDLIBS)

# the store driven from scripts (benchmark)
TEST_TOOLS              += cdr-tool
cdr-tool_SRCS           := test/tools/cdr_tool.c test/tools/bench_util.c \
			   test/unit/store_fixture.c
cdr-tool_LIBS           := dpstore dpcrypto dpbase
cdr-tool_LDLIBS         := $(DPCRYPTO_LDLIBS) -lre

# the peers of `make bench`: the same records in SQLite and SQLCipher
TEST_TOOLS                 += cdr-bench-sqlite cdr-bench-sqlcipher
cdr-bench-sqlite_SRCS      := test/tools/cdr_bench_sql.c \
			      test/tools/bench_util.c test/unit/store_fixture.c
cdr-bench-sqlite_LIBS      := dpstore
cdr-bench-sqlite_LDLIBS    := -lsqlite3
cdr-bench-sqlcipher_SRCS   := $(cdr-bench-sqlite_SRCS)
cdr-bench-sqlcipher_LIBS   := dpstore
cdr-bench-sqlcipher_LDLIBS := -lsqlcipher

BENCH_SCRIPTS += test/bench/cdr.sh
DEPS_PKGS     += libsqlite3-dev libsqlcipher-dev libssl-dev \
		 libcjson-dev

# `make soak`: many more power-loss trials than `make test` runs
SOAK_SCRIPTS += test/soak/cdr_powerloss.sh

# `deskphone cdr` (tools/cmd_cdr.c)
CLI_LIBS   += dpstore dpcrypto dpbase
CLI_LDLIBS += $(DPCRYPTO_LDLIBS) -lcjson

# libFuzzer harness: arbitrary store images, read as `deskphone cdr`
# reads them and recovered as the daemon opens them; its seeds are real
# stores written by dp-cdr-fuzz-seed with the harness's fixed secret
FUZZERS                += cdrstore
fuzz_cdrstore_SRCS     := test/unit/store_fixture.c
fuzz_cdrstore_LIBS     := dpstore dpcrypto dpbase
fuzz_cdrstore_LDLIBS    = $(DPCRYPTO_LDLIBS)
TEST_TOOLS             += dp-cdr-fuzz-seed
dp-cdr-fuzz-seed_SRCS  := test/tools/cdr_fuzz_seed.c test/unit/store_fixture.c
dp-cdr-fuzz-seed_LIBS  := dpstore dpcrypto dpbase
dp-cdr-fuzz-seed_LDLIBS = $(DPCRYPTO_LDLIBS) -lre
