# SPDX-License-Identifier: GPL-2.0
# bugcheck: thin wrapper around kbuild plus the project's test and demo entry points.
#
#   make [KDIR=...] [W=1]   build bugcheck.ko (default KDIR: Debian's stock cloud kernel headers)
#   make check              everything CI runs: W=1 build, style, user-space tests, debug kernel
#                           (cached), harness self-test, KUnit, e2e scenarios on the stock and
#                           debug kernels
#   make demo               panic a VM with bugcheck loaded and show the crash session
#   make soak [N=cycles] [SEED=S] [KERNEL=stock|debug] [CONTENTION=runs]
#                           N real kdump cycles from random seeds (SEED=S replays one),
#                           then CONTENTION runs of the contention scenario (tests/soak/run)
#   make install            bugcheck.ko for the KDIR kernel + depmod, the SDK for client
#                           modules (SDKDIR), and make -C userspace install; PREFIX,
#                           DESTDIR honoured; the list of files laid is kept in
#                           PREFIX/share/bugcheck/manifest (scripts/install.sh)
#   make uninstall          remove exactly what that list names
#   make install-userspace  libbugcheck, its header and man pages, the tools
#                           (userspace/Makefile: PREFIX, DESTDIR, ...)
#   make dkms-install       bugcheck.ko through DKMS for every installed kernel with headers
#   make dkms-uninstall     dkms remove it, and its source folder
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

.PHONY: all modules deps clean clean-modules install uninstall install-userspace dkms-install \
	dkms-uninstall style check demo kunit e2e debug-kernel soak

all: modules

deps:
	@$(DEPS) $(DEPS_PROFILE)

modules: deps
	$(MAKE) -C $(KDIR) M=$(TOP) modules

VERSION := $(shell cat $(TOP)/VERSION)
PREFIX ?= /usr/local
SDKDIR ?= /usr/src/bugcheck-$(VERSION)
export DESTDIR PREFIX SDKDIR

install: modules
	KDIR=$(KDIR) $(TOP)/scripts/install.sh install

uninstall:
	$(TOP)/scripts/install.sh uninstall

# Separate from install: that one serves KDIR's kernel (possibly not this
# machine's), this one the machine's user space.
install-userspace:
	$(MAKE) -C $(TOP)/userspace install

# The DKMS source folder holds bugcheck.ko's sources only (no samples or
# tests), with dkms.conf carrying VERSION; DKMS builds it for every kernel
# whose headers are installed, and the post-build step adds that kernel's
# Module.symvers to the SDK (SDKDIR/symvers/RELEASE).
DKMS_SRC := /usr/src/bugcheck-$(VERSION)

dkms-install:
	@$(DEPS) dkms
	mkdir -p $(DKMS_SRC)
	cp -r $(TOP)/module $(TOP)/VERSION $(DKMS_SRC)/
	sed -e '/^obj-.*+= *\(samples\|tests\)\//d' $(TOP)/Kbuild >$(DKMS_SRC)/Kbuild
	sed -e 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' $(TOP)/dkms.conf >$(DKMS_SRC)/dkms.conf
	install -m 0755 $(TOP)/scripts/dkms-post-build $(DKMS_SRC)/dkms-post-build
	dkms status -m bugcheck -v $(VERSION) | grep -q . || dkms add -m bugcheck -v $(VERSION)
	@set -e; n=0; for b in /lib/modules/*/build; do \
		[ -f $$b/Makefile ] || continue; k=$${b#/lib/modules/}; k=$${k%/build}; \
		echo "dkms: bugcheck $(VERSION) for $$k"; \
		dkms build -m bugcheck -v $(VERSION) -k $$k; \
		dkms install -m bugcheck -v $(VERSION) -k $$k --force; n=$$((n + 1)); \
	done; [ $$n -gt 0 ] || { echo "dkms: no kernel with headers in /lib/modules/*/build"; exit 1; }

# Everything in the DKMS source folder goes (the sources, and the symbols the
# post-build step added), except what make install's manifest lists there.
dkms-uninstall:
	-dkms remove -m bugcheck -v $(VERSION) --all
	@set -e; m=$(PREFIX)/share/bugcheck/manifest; [ -d $(DKMS_SRC) ] || exit 0; \
	find $(DKMS_SRC) \( -type f -o -type l \) | while IFS= read -r f; do \
		if [ -f $$m ] && grep -qxF "$$f" $$m; then continue; fi; \
		rm -f "$$f"; \
	done; \
	find $(DKMS_SRC) -depth -type d -empty -delete; \
	echo "removed $(DKMS_SRC)'s DKMS files"

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

# Outside CI: make soak N=100 prints "figure: soak: cycles passed P/N, ...".
soak:
	@$(TOP)/tests/soak/run $(if $(SEED),--seed $(SEED),--cycles $(or $(N),1)) \
		--kernel $(or $(KERNEL),stock) $(if $(CONTENTION),--contention $(CONTENTION))
