#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Generate the netlink uAPI header and the kernel policy and op tables from
# Documentation/netlink/specs/slicebus.yaml with the kernel's own
# tools/net/ynl/ynl-gen-c.py, as the kernel does for its families.
#
#   scripts/ynl-gen.sh [YNL_TREE]          rewrite the generated files
#   scripts/ynl-gen.sh --check [YNL_TREE]  only say whether they are current
#
# YNL_TREE is a kernel source tree holding tools/net/ynl and
# Documentation/netlink (default: build/linux-src, see peer-src.sh).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
check=
if [ "${1:-}" = "--check" ]; then
	check=1
	shift
fi
ksrc=${1:-$top/build/linux-src}
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
[ -f "$gen" ] || { echo "ynl-gen: no $gen" >&2; exit 2; }

# The generator names the spec relative to the kernel tree it sits in (the
# directory holding MAINTAINERS) and validates it against the schema next
# to it: give it such a tree.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree/Documentation/netlink/specs" "$work/out/uapi/linux" \
	"$work/out/slicebus"
: > "$work/tree/MAINTAINERS"
cp "$ksrc/Documentation/netlink/genetlink.yaml" "$work/tree/Documentation/netlink/"
cp "$top/Documentation/netlink/specs/slicebus.yaml" \
	"$work/tree/Documentation/netlink/specs/"
spec=$work/tree/Documentation/netlink/specs/slicebus.yaml

python3 "$gen" --mode uapi --header --spec "$spec" \
	-o "$work/out/uapi/linux/slicebus.h"
python3 "$gen" --mode kernel --header --spec "$spec" \
	-o "$work/out/slicebus/netlink-gen.h"
python3 "$gen" --mode kernel --source --spec "$spec" \
	-o "$work/out/slicebus/netlink-gen.c"

files="uapi/linux/slicebus.h slicebus/netlink-gen.h slicebus/netlink-gen.c"
if [ -n "$check" ]; then
	stale=0
	for f in $files; do
		if ! diff -u "$top/$f" "$work/out/$f"; then
			echo "ynl-gen: $f is not what the spec generates" >&2
			stale=1
		fi
	done
	exit $stale
fi
for f in $files; do
	cp "$work/out/$f" "$top/$f"
done
