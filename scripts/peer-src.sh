#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Extract the parts of a kernel source that the tests use as peer clients or
# checkers (ynl, dmatest, mtty, vdpa_sim, checkpatch, idxd headers) into
# build/linux-src.  Cached; nothing of it is committed.
#
#   peer-src.sh [OUT [SOURCE]]   SOURCE: a linux-source tarball or an
#                                extracted tree (default: Debian's
#                                linux-source-6.12, the test kernel's)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/linux-src}
source=${2:-$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)}
[ -n "$source" ] && [ -e "$source" ] ||
	{ echo "peer-src: ${2:-linux-source-6.12} is not installed" >&2; exit 1; }
paths="tools/net/ynl Documentation/netlink drivers/dma/dmatest.c
drivers/dma/idxd drivers/dma/dmaengine.h drivers/crypto/intel/iaa
samples/vfio-mdev drivers/vdpa/vdpa_sim drivers/vhost/vringh.c scripts/checkpatch.pl
scripts/spelling.txt scripts/const_structs.checkpatch"
stamp="$out/.stamp"
want="$source $(stat -c %s-%Y "$source") $(echo $paths)"
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0
rm -rf "$out"
mkdir -p "$out"
if [ -d "$source" ]; then
	# shellcheck disable=SC2086
	(cd "$source" && tar -c $paths) | tar -x -C "$out"
else
	# the tarball's top directory: linux-source-X.Y/ or linux-X.Y.Z/
	dir=$(tar -tJf "$source" | head -n 1)
	dir=${dir%%/*}
	pats=""
	for p in $paths; do pats="$pats $dir/$p"; done
	# shellcheck disable=SC2086
	tar -xJf "$source" -C "$out" --strip-components=1 $pats
fi
echo "$want" > "$stamp"
