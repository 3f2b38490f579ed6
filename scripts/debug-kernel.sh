#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build, once, a 6.12 debug kernel (lockdep, KASAN, kmemleak, debug objects,
# DMA API debug, UBSAN, failslab) from Debian's linux-source-6.12 with
# scripts/debug-kernel.config, cached outside the work tree in
# $SB_DEBUG_CACHE (default /var/cache/slicebus-debug; not under /tmp,
# /var/tmp, /run, /root or /home, which the test VM covers with tmpfs).
# Prints the kernel
# release on its last line.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SB_DEBUG_CACHE:-/var/cache/slicebus-debug}
src=$cache/linux
frag=$top/scripts/debug-kernel.config

for p in build-essential flex bison bc libelf-dev libssl-dev cpio; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
fi

if [ ! -f "$src/Makefile" ]; then
	mkdir -p "$cache"
	echo "debug-kernel: extracting linux-source-6.12" >&2
	tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$cache"
	mv "$cache/linux-source-6.12" "$src"
fi
cd "$src"
hash=$(sha1sum "$frag" | cut -c1-12)
if [ ! -f .config ] || [ "$(cat .sb-frag 2>/dev/null)" != "$hash" ]; then
	make -s x86_64_defconfig >&2
	make -s kvm_guest.config >&2
	scripts/kconfig/merge_config.sh -m .config "$frag" >&2
	make -s olddefconfig >&2
	grep '^CONFIG_.*=y' "$frag" | while read -r opt; do
		grep -qx "$opt" .config || echo "debug-kernel: $opt did not take" >&2
	done
	echo "$hash" > .sb-frag
fi
start=$(date +%s)
make -s -j"$(nproc)" bzImage modules >&2
make -s INSTALL_MOD_PATH="$cache/root" modules_install >&2
echo "debug-kernel: built in $(( $(date +%s) - start )) s" >&2
make -s kernelrelease
