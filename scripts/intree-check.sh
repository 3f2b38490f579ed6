#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build slicebus as in-tree code: this tree copied into Debian's
# linux-source-6.12 as drivers/slicebus/, sourced from drivers/Kconfig and
# drivers/Makefile, configured by Kconfig from the Debian kernel's config
# with only the visible slicebus options set (the DSA class module must
# follow by select), then built with W=1.  TAP on stdout.
#
# The extracted source and the prepared output tree are kept in
# build/intree: the first run extracts and prepares the kernel (about
# 5 minutes on 2 cores), later runs rebuild only drivers/slicebus/ (under
# a minute).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tarball=/usr/src/linux-source-6.12.tar.xz
base=$top/build/intree
src=$base/linux
out=$base/out
n=0 failed=0
tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
echo "TAP version 13"
kver=$("$top/scripts/setup.sh" | tail -n 1)
config=/lib/modules/$kver/build/.config
if [ ! -f "$tarball" ] || [ ! -f "$config" ]; then
	echo "ok 1 - in-tree build # SKIP linux-source-6.12 or the $kver headers not installed"
	echo "1..1"
	exit 0
fi

# the kernel source, once per tarball, hooked up for drivers/slicebus/
stamp="$(stat -c %s-%Y "$tarball") $kver"
if [ "$(cat "$base/.stamp" 2> /dev/null)" != "$stamp" ]; then
	rm -rf "$base"
	mkdir -p "$src" "$out"
	tar -xJf "$tarball" -C "$src" --strip-components=1 || exit 1
	sed -i '$i source "drivers/slicebus/Kconfig"\n' "$src/drivers/Kconfig"
	echo 'obj-$(CONFIG_SLICEBUS) += slicebus/' >> "$src/drivers/Makefile"
	echo "$stamp" > "$base/.stamp"
fi
rm -rf "$src/drivers/slicebus"
mkdir -p "$src/drivers/slicebus"
(cd "$top" && git ls-files -z | tar --null -T - -c) | tar -x -C "$src/drivers/slicebus"

# Debian's configuration, without what needs a vmlinux or its keys, plus
# the visible slicebus options
cp "$config" "$out/.config.new"
sc() { "$src/scripts/config" --file "$out/.config.new" "$@"; }
sc --disable DEBUG_INFO_BTF --disable MODULE_SIG --disable DEBUG_INFO_DWARF5 \
	--enable DEBUG_INFO_NONE --set-str SYSTEM_TRUSTED_KEYS "" \
	--set-str SYSTEM_REVOCATION_KEYS ""
for o in SLICEBUS SLICEBUS_SIM SLICEBUS_DMA SLICEBUS_VFIO SLICEBUS_VDPA SLICEBUS_IDXD \
	SLICEBUS_SELFTESTS; do
	sc --module "$o"
done
# keep the prepared tree when the configuration did not change
cmp -s "$out/.config.new" "$out/.config.in" || cp "$out/.config.new" "$out/.config"
mv "$out/.config.new" "$out/.config.in"
make -s -C "$src" O="$out" olddefconfig > /dev/null 2>&1
tap $? "Kconfig accepts drivers/slicebus/Kconfig"
missing=""
for o in SLICEBUS SLICEBUS_DSA SLICEBUS_SIM SLICEBUS_DMA SLICEBUS_VFIO SLICEBUS_VDPA \
	SLICEBUS_IDXD SLICEBUS_SELFTESTS; do
	grep -qx "CONFIG_$o=m" "$out/.config" || missing="$missing $o"
done
[ -z "$missing" ] || echo "# not =m after olddefconfig:$missing"
tap "$([ -z "$missing" ]; echo $?)" "every slicebus module is configured, SLICEBUS_DSA by select"

log=$base/build.log
make -C "$src" O="$out" -j"$(nproc)" W=1 drivers/slicebus/ > "$log" 2>&1
rc=$?
warn=$(grep -E 'warning:|error:' "$log" | grep 'drivers/slicebus/')
[ -z "$warn" ] || echo "$warn" | sed "s|$src/||; s/^/# /"
[ "$rc" -eq 0 ] || tail -n 20 "$log" | sed 's/^/# /'
tap "$([ "$rc" -eq 0 ] && [ -z "$warn" ]; echo $?)" "W=1 build as drivers/slicebus/ without warnings"
built=$(find "$out/drivers/slicebus" -name '*.mod' | wc -l)
want=$(grep -c '^BUILT_MODULE_NAME' "$top/dkms.conf")
# dkms builds neither slicebus_idxd nor the selftest modules
want=$((want + 1 + $(grep -o '[a-z_]*\.o' "$top/selftests/modules/Kbuild" | wc -l)))
tap "$([ "$built" -eq "$want" ]; echo $?)" "all $want modules built in-tree ($built)"
echo "1..$n"
exit $failed
