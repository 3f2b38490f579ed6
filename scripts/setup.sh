#!/bin/sh
# Install what building and testing slicebus needs on Debian 12.
# Idempotent and quick when everything is present.
# Prints the kernel release of the test kernel on its last line.
set -eu

pkgs="make gcc libc6-dev pkg-config libmnl-dev libjson-c-dev qemu-system-x86
busybox-static cpio xz-utils zstd patch kmod libelf-dev accel-config iproute2 mdevctl sparse dkms bc flex bison
libvirt-daemon-system libvirt-clients
python3 python3-yaml python3-jsonschema clang libclang-rt-14-dev linux-source-6.12 linux-image-6.12-amd64
linux-headers-6.12-amd64"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing packages:$missing" >&2
		echo "setup: run as root: apt-get install$missing" >&2
		exit 1
	fi
	echo "setup: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || true
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >&2
fi

# The test kernel: the newest Debian 6.12 image that has matching headers.
kver=$(ls -d /lib/modules/6.12.*+deb12-amd64/build 2>/dev/null |
	sed 's|/lib/modules/||; s|/build||' | sort -V | tail -n 1)
if [ -z "$kver" ] || [ ! -f "/boot/vmlinuz-$kver" ]; then
	echo "setup: no Debian 6.12 kernel image with headers found" >&2
	exit 1
fi
echo "$kver"
