# SPDX-License-Identifier: GPL-2.0
#
# slicebus: out-of-tree build, set-up, tests and demo.
#
#   make              build the modules (against KDIR) and the tools
#   make check        install what is missing, build, run the whole test suite
#   make check KVER=7.3         the same on another kernel (6.18, 7.3; T= groups)
#   make check KERNELS="6.18 7.3"  host tests once, the rest on each kernel
#   make check-kernels  make check KERNELS="6.12 6.18 7.3"
#   make check-static checkpatch, W=1 + sparse, DKMS and in-tree builds only
#   make demo         install what is missing, build, walk through slicebus in a VM
#   make vm-run CMD=  run CMD as root in the test VM
#   make check-debug  the in-VM suite on a lockdep/KASAN/kmemleak kernel
#   make bench        benchmarks, as ratios against baselines of the same VM
#   make check-e2e    a nested VM gets a slice through QEMU's vfio-pci
#   make install      modules_install + slicectl + man page (real hosts)
#   make ynl-gen      regenerate the netlink uAPI and policies from the spec
#
# KDIR defaults to the Debian 6.12 headers the set-up installs; on a real
# host use: make KDIR=/lib/modules/$(uname -r)/build

KVER ?= $(shell ls -d /lib/modules/6.12.*+deb12-amd64/build 2>/dev/null | \
	sed 's|/lib/modules/||; s|/build||' | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
DESTDIR ?=

# One symbol per module, as in Kconfig; selftest modules only for tests.
SB_CONFIG := CONFIG_SLICEBUS=m CONFIG_SLICEBUS_DSA=m CONFIG_SLICEBUS_SIM=m CONFIG_SLICEBUS_DMA=m CONFIG_SLICEBUS_VFIO=m CONFIG_SLICEBUS_VDPA=m
SB_TEST_CONFIG := $(SB_CONFIG) CONFIG_SLICEBUS_SELFTESTS=m
# slicebus_idxd needs idxd's internal header from a kernel source tree of
# the same version (make check extracts Debian's into build/linux-src)
IDXD_SRC ?= $(wildcard $(CURDIR)/build/linux-src/drivers/dma/idxd)
ifneq ($(IDXD_SRC),)
SB_CONFIG += CONFIG_SLICEBUS_IDXD=m IDXD_SRC=$(IDXD_SRC)
SB_TEST_CONFIG += CONFIG_SLICEBUS_IDXD=m IDXD_SRC=$(IDXD_SRC)
endif
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR)

.PHONY: all modules tools selftests setup check check-kernels check-static check-debug check-e2e bench demo vm-run sparse \
	install clean help ynl-gen

all: modules tools

modules:
	$(KMAKE) W=1 $(SB_TEST_CONFIG) modules

tools:
	$(MAKE) -C tools/slicectl BUILD=$(CURDIR)/build

selftests: tools
	$(MAKE) -C selftests BUILD=$(CURDIR)/build

setup:
	@scripts/setup.sh > /dev/null

# KVER on the command line names another kernel: its lane instead
SB_OTHER_KVER := $(if $(filter command line,$(origin KVER)),$(filter-out 6.12%,$(KVER)))

check: setup
ifneq ($(KERNELS),)
	@scripts/check-kernels.sh $(KERNELS)
else ifneq ($(SB_OTHER_KVER),)
	@scripts/check-kernel.sh $(SB_OTHER_KVER) $(T)
else
	@mkdir -p build
	@scripts/peer-src.sh > build/build.log 2>&1 || \
		{ cat build/build.log; echo "0 passed, 1 failed"; exit 1; }
	@$(MAKE) --no-print-directory KVER=$$(scripts/setup.sh | tail -n 1) \
		modules tools selftests >> build/build.log 2>&1 && \
		scripts/build-peers.sh >> build/build.log 2>&1 && \
		scripts/build-guest-idxd.sh >> build/build.log 2>&1 || \
		{ tail -n 60 build/build.log; echo "build failed (see build/build.log)"; \
		  echo "0 passed, 1 failed"; exit 1; }
	@selftests/run.sh $(T)
endif

check-kernels: setup
	@scripts/check-kernels.sh 6.12 6.18 7.3

check-static:
	@$(MAKE) --no-print-directory check T=static

demo: setup
	@mkdir -p build
	@$(MAKE) --no-print-directory KVER=$$(scripts/setup.sh | tail -n 1) \
		modules tools > build/build.log 2>&1 && \
		scripts/peer-src.sh >> build/build.log 2>&1 && \
		scripts/build-peers.sh >> build/build.log 2>&1 || \
		{ tail -n 60 build/build.log; echo "build failed (see build/build.log)"; exit 1; }
	@VM_CPU=qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt VM_MEM=3G \
		selftests/vm/vm-run.sh 'sh $(CURDIR)/scripts/demo.sh'

vm-run:
	@selftests/vm/vm-run.sh '$(CMD)'

bench: setup
	@mkdir -p build
	@$(MAKE) --no-print-directory KVER=$$(scripts/setup.sh | tail -n 1) \
		modules tools selftests > build/build.log 2>&1 && \
		scripts/peer-src.sh >> build/build.log 2>&1 && \
		scripts/build-peers.sh >> build/build.log 2>&1 || \
		{ tail -n 60 build/build.log; echo "build failed (see build/build.log)"; exit 1; }
	@bench/bench.sh

check-e2e: setup
	@mkdir -p build
	@scripts/peer-src.sh > build/build.log 2>&1 && \
		$(MAKE) --no-print-directory KVER=$$(scripts/setup.sh | tail -n 1) \
		modules tools selftests >> build/build.log 2>&1 && \
		scripts/build-peers.sh >> build/build.log 2>&1 && \
		scripts/build-guest-idxd.sh >> build/build.log 2>&1 || \
		{ tail -n 60 build/build.log; echo "build failed (see build/build.log)"; \
		  echo "0 passed, 1 failed"; exit 1; }
	@# the guest's own idxd runs ~15 min in the nested guest under TCG
	@SB_E2E_IDXD=1 VM_TIMEOUT=$${VM_TIMEOUT:-2700} selftests/run.sh e2e

check-debug: setup
	@scripts/check-debug.sh

# the generator comes from the kernel source (build/linux-src, peer-src.sh)
ynl-gen:
	@mkdir -p build
	@scripts/peer-src.sh > /dev/null
	@scripts/ynl-gen.sh

sparse:
	$(KMAKE) W=1 C=2 $(SB_TEST_CONFIG) modules

install:
	$(KMAKE) $(SB_CONFIG) modules
	$(KMAKE) $(SB_CONFIG) modules_install
	$(MAKE) -C tools/slicectl BUILD=$(CURDIR)/build install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

clean:
	$(KMAKE) clean
	$(MAKE) -C tools/slicectl BUILD=$(CURDIR)/build clean
	$(MAKE) -C selftests clean BUILD=$(CURDIR)/build
	rm -rf build

help:
	@sed -n '3,19p' Makefile
