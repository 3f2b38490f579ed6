#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Extract the parts of Debian's linux-source-6.12 that the tests use as peer
# clients or checkers (ynl, dmatest, mtty, vdpa_sim, checkpatch, idxd
# headers) into build/linux-src.  Cached; nothing of it is committed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/linux-src}
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
[ -n "$tarball" ] || { echo "peer-src: linux-source-6.12 is not installed" >&2; exit 1; }
paths="tools/net/ynl Documentation/netlink drivers/dma/dmatest.c
drivers/dma/idxd drivers/dma/dmaengine.h drivers/crypto/intel/iaa
samples/vfio-mdev drivers/vdpa/vdpa_sim drivers/vhost/vringh.c scripts/checkpatch.pl
scripts/spelling.txt scripts/const_structs.checkpatch"
stamp="$out/.stamp"
want="$(stat -c %s-%Y "$tarball") $(echo $paths)"
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0
rm -rf "$out"
mkdir -p "$out"
pats=""
for p in $paths; do pats="$pats linux-source-6.12/$p"; done
# shellcheck disable=SC2086
tar -xJf "$tarball" -C "$out" --strip-components=1 $pats
echo "$want" > "$stamp"
