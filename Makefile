# SPDX-License-Identifier: GPL-2.0
# bugcheck: thin wrapper around kbuild plus the project's test and demo entry points.
#
#   make [KDIR=...] [W=1]   build bugcheck.ko (default KDIR: Debian's stock cloud kernel headers)
#   make check              everything CI runs: W=1 build, user-space tests, debug kernel (cached),
#                           harness self-test, KUnit, e2e scenarios on the stock and debug kernels
#   make demo               panic a VM with bugcheck loaded and show the crash session
#   make install            modules_install into the KDIR kernel's module tree
#   make install-userspace  libbugcheck, its header and man pages, the tools
#                           (userspace/Makefile: PREFIX, DESTDIR, ...)
#   make dkms-install       register the source tree with DKMS
#   make style              checkpatch + clang-format on the tree
#   make clean

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
DEPS := $(TOP)/scripts/deps.sh

# Resolved lazily so that an explicit KDIR never pulls in the stock kernel packages.
ifeq ($(origin KDIR),undefined)
KDIR = /lib/modules/$(shell $(DEPS) build-stock --print-release)/build
DEPS_PROFILE := build-stock
else
DEPS_PROFILE := build
endif

.PHONY: all modules deps clean clean-modules install install-userspace dkms-install style check demo \
	kunit e2e debug-kernel

all: modules

deps:
	@$(DEPS) $(DEPS_PROFILE)

modules: deps
	$(MAKE) -C $(KDIR) M=$(TOP) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install

# Separate from install: that one serves KDIR's kernel (possibly not this
# machine's), this one the machine's user space.
install-userspace:
	$(MAKE) -C $(TOP)/userspace install

dkms-install:
	@$(DEPS) dkms
	dkms add $(TOP)
	dkms build bugcheck/$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)

# No KDIR needed (nor any package installed) just to delete build output.
# clean-modules keeps build/ (VM runs, per-kernel shadow builds); clean removes it too.
clean: clean-modules
	rm -rf $(TOP)/build

clean-modules:
	find $(TOP) -path $(TOP)/.git -prune -o \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name '*.order' -o -name '*.symvers' \
		-o -name '.*.d' -o -name '*.dwo' \) -type f -print0 | xargs -0r rm -f
	rm -rf $(TOP)/.tmp_versions

style:
	@$(TOP)/scripts/style.sh

debug-kernel:
	@$(TOP)/scripts/debug-kernel.sh

kunit:
	@$(TOP)/tests/kunit/run

e2e:
	@$(TOP)/tests/vm/run-all

check:
	@$(TOP)/scripts/check.sh

demo:
	@$(TOP)/scripts/demo.sh
