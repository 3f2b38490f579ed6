#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-args: -device pci-testdev
# libvirt (Debian 12's 9.0, qemu:///system, the monolithic libvirtd) above
# slicebus, as on a host where Nova reads availableInstances: a slicesim
# device on a PCI function (QEMU's pci-testdev, as the DSA function of a
# real host), its mdev types in virsh nodedev-dumpxml following the
# accountant while dma and vdpa slices come and go, an mdev defined,
# started and set to autostart through virsh (libvirt drives mdevctl), and
# a domain with the mdev as a hostdev.  Prints TAP.
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
V="virsh -q -c qemu:///system"

if ! command -v libvirtd > /dev/null || ! command -v virsh > /dev/null; then
	skip "libvirt" "libvirt-daemon-system or libvirt-clients not installed (scripts/setup.sh)"
	done_testing
	exit
fi

check "load vfio, slicesim and the three backends" \
	sb_modprobe vfio_iommu_type1 slicesim slicebus_dma slicebus_vdpa slicebus_vfio
pci=$(basename "$(ls -d /sys/bus/pci/drivers/slicesim/0000:* 2>/dev/null | head -n 1)")
check "slicesim took the PCI function ($pci)" test -n "$pci"
dev=$($S -j dev show | python3 -c "import json,sys; print([d['name'] for d in json.load(sys.stdin)['dev'] if '$pci' in d['sysfs']][0])" 2>/dev/null)
check_eq "it is the slicebus device sim1, next to the platform one" "$dev" sim1
check_eq "its mdev types are on the PCI function (slicectl's sysfs)" \
	"$($S -j dev show sim1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["dev"][0]["sysfs"])')" \
	"$(readlink -f "/sys/bus/pci/devices/$pci")"
# mdev names a type "<driver of the parent device>-<type>": slicesim's on
# its PCI function, slicebus's on a management device
check "the PCI function has mdev_supported_types (slicesim-dwq-16)" \
	test -e "/sys/bus/pci/devices/$pci/mdev_supported_types/slicesim-dwq-16/available_instances"
check "sim0 keeps them on its management device (slicebus-dwq-16)" \
	test -e /sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16

# what udev would have made: mdevctl reads its JSON from /dev/stdin
for i in 0 1 2; do
	n=$(echo "stdin stdout stderr" | cut -d' ' -f$((i + 1)))
	[ -e "/dev/$n" ] || ln -s "/proc/self/fd/$i" "/dev/$n"
done
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
# libvirtd writes under /etc, its /var directories and /run: the VM's own
# copies (only those: a kernel lane's build, and the run directory the
# result goes to, may be under /var)
modprobe overlay
for d in /etc /var/lib/libvirt /var/log/libvirt /var/cache/libvirt; do
	w=/tmp/ovl$(echo "$d" | tr / _)
	mkdir -p "$w.up" "$w.work"
	mount -t overlay overlay -o "lowerdir=$d,upperdir=$w.up,workdir=$w.work" "$d"
done
mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers /run/libvirt
# root's QEMU, no default network to start
# (and QEMU in this mount namespace: its own /dev would lack /dev/vfio/N,
# which no udev rule made)
printf 'user = "root"\ngroup = "root"\nnamespaces = []\n' > /etc/libvirt/qemu.conf
rm -f /etc/libvirt/qemu/networks/autostart/*
# udevd re-broadcasts the kernel's events to libvirt's monitor (its rules
# left out: nothing but the events is needed here)
mount -t tmpfs tmpfs /lib/udev/rules.d
/lib/systemd/systemd-udevd --daemon --resolve-names=never > /dev/null 2>&1
virtlogd -d
libvirtd -d
for i in $(seq 60); do
	$V version > /dev/null 2>&1 && break
	sleep 1
done
check "libvirtd answers on qemu:///system ($i s)" $V version
t0=$(date +%s)

node=pci_$(echo "$pci" | tr ':.' '__')
check_eq "virsh nodedev-list --cap mdev_types lists the PCI function" \
	"$($V nodedev-list --cap mdev_types)" "$node"
# availableInstances of each type as libvirt reads them, and as slicectl says
lv_avail() {
	$V nodedev-dumpxml "$node" | python3 -c "
import sys, xml.etree.ElementTree as ET
r = ET.fromstring(sys.stdin.read())
for t in r.iter('type'):
    a = t.find('availableInstances')
    if a is not None:
        print(t.find('name').text, a.text)" | sort
}
sb_avail() {
	$S -j dev show sim1 | python3 -c "
import json,sys
for t in json.load(sys.stdin)['dev'][0]['types']:
    print(t['name'], t['available']['vfio'])" | sort
}
agree() {
	check_eq "availableInstances = slicectl's vfio count: $1 ($(sb_avail | tr '\n' ' '))" \
		"$(lv_avail)" "$(sb_avail)"
}
check_eq "nodedev-dumpxml shows both types with device_api vfio-pci" \
	"$($V nodedev-dumpxml "$node" | grep -c "<deviceAPI>vfio-pci</deviceAPI>")" 2
agree "nothing used"
$S slice add sim1 type dwq-64 backend dma name lvd0 > /dev/null
agree "a dma dwq-64 taken"
$S slice add sim1 type dwq-16 backend vdpa name lvv0 > /dev/null
agree "and a vdpa dwq-16"
$S dev set sim1 backend vfio limit wq 3
agree "a vfio limit of 3 wq"
$S slice del lvd0
agree "the dma slice given back"
$S slice del lvv0
$S dev set sim1 backend vfio limit wq none
agree "all of it given back"

# an mdev through libvirt: nodedev-define drives mdevctl
uuid=$(cat /proc/sys/kernel/random/uuid)
cat > /tmp/mdev.xml <<EOF
<device>
  <parent>$node</parent>
  <capability type='mdev'>
    <type id='slicesim-dwq-16'/>
    <uuid>$uuid</uuid>
  </capability>
</device>
EOF
mdev=mdev_$(echo "$uuid" | tr '-' '_')_$(echo "$pci" | tr ':.' '__')
check "virsh nodedev-define of a slicesim-dwq-16 mdev" $V nodedev-define /tmp/mdev.xml
check "mdevctl keeps its definition" test -f "/etc/mdevctl.d/$pci/$uuid"
check "virsh nodedev-start" $V nodedev-start "$mdev"
check_eq "slicectl sees the slice" "$($S slice show "$uuid")" \
	"$uuid: dev sim1 type dwq-16 backend vfio handle $uuid"
agree "an mdev started by libvirt"
check "virsh nodedev-autostart" $V nodedev-autostart "$mdev"
check_eq "its mdevctl definition is auto" \
	"$(python3 -c "import json; print(json.load(open('/etc/mdevctl.d/$pci/$uuid'))['start'])")" auto

# a domain with the mdev as its hostdev (TCG; the guest's own driver on it
# is make check-e2e's): QEMU opens the device and puts it on the guest's bus
cat > /tmp/dom.xml <<EOF
<domain type='qemu'>
  <name>sbvm</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>$(command -v qemu-system-x86_64)</emulator>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source><address uuid='$uuid'/></source>
    </hostdev>
  </devices>
</domain>
EOF
check "a domain with <hostdev type='mdev' model='vfio-pci'> starts" $V create /tmp/dom.xml
check "the guest's PCI bus has the virtual DSA (8086:0b25)" \
	sh -c "$V qemu-monitor-command sbvm --hmp 'info pci' | grep -q 'PCI device 8086:0b25'"
qpid=$(pgrep -x qemu-system-x86 | head -n 1)
check "QEMU was given the mdev (-device vfio-pci with its sysfsdev)" \
	sh -c "tr '\\0' ' ' < /proc/$qpid/cmdline | grep -q 'vfio-pci.*/sys/bus/mdev/devices/$uuid'"
check "virsh destroy" $V destroy sbvm
check "QEMU is gone, and with it the mdev's user" \
	sh -c "for i in \$(seq 20); do ! kill -0 $qpid 2> /dev/null && exit 0; sleep 0.5; done; exit 1"
check "virsh nodedev-destroy stops the mdev" $V nodedev-destroy "$mdev"
check_fail "the slice is gone" $S slice show "$uuid"
agree "the slice given back"
check "virsh nodedev-undefine" $V nodedev-undefine "$mdev"
diag "libvirt part: $(( $(date +%s) - t0 )) s"
check_fail "and mdevctl forgot it" test -e "/etc/mdevctl.d/$pci/$uuid"

pkill -x libvirtd
pkill -x virtlogd
pkill -x systemd-udevd
sleep 1
check "everything unloads" sb_rmmod slicebus_vfio slicebus_vdpa slicebus_dma slicesim slicebus_dsa slicebus
done_testing
