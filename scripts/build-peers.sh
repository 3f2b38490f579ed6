#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the peer code the tests use as clients or anchors from Debian's
# linux-source-6.12 (extracted by peer-src.sh) against the test kernel's
# headers, into build/peer/.  Nothing of it is committed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/build/linux-src
out=$top/build/peer
kver=${KVER:-$("$top/scripts/setup.sh" | tail -n 1)}
kdir=${KDIR:-/lib/modules/$kver/build}

build() {	# name, then source files relative to $src
	name=$1
	shift
	mkdir -p "$out/$name"
	objs=""
	for f in "$@"; do
		cp "$src/$f" "$out/$name/"
		b=$(basename "$f" .c)
		case "$f" in *.c) objs="$objs $b.o" ;; esac
	done
	{
		echo "obj-m := $objs"
		echo "ccflags-y += -DCONFIG_VHOST_RING_MODULE=1"
	} > "$out/$name/Kbuild"
	make -s -C "$kdir" M="$out/$name" modules
}

build dmatest drivers/dma/dmatest.c
# the single-purpose frameworks make bench compares with (Debian's kernel
# has no vringh, so the anchor carries its own)
build mtty samples/vfio-mdev/mtty.c
build vdpa_sim drivers/vhost/vringh.c drivers/vdpa/vdpa_sim/vdpa_sim.c \
	drivers/vdpa/vdpa_sim/vdpa_sim_net.c drivers/vdpa/vdpa_sim/vdpa_sim.h
