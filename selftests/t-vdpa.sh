#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# slicebus_vdpa with the real vdpa tool: management devices, device add /
# show / config / del and their errors, a virtio_vdpa netdev looping 10,000
# frames through the slice's engine, vhost_vdpa ioctls, the accountant
# across backends, and removal with traffic flowing.
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
LOOP=$SB_TOP/selftests/progs/vdpa_loop.py

devq() {
	$S -j dev show sim0 |
		python3 -c "import json,sys; d=json.load(sys.stdin)['dev'][0]; print($1)"
}
avail() { devq "[t['available']['$2'] for t in d['types'] if t['name']=='$1'][0]"; }
ai() { cat "/sys/class/slicebus/sim0/mdev_supported_types/slicebus-$1/available_instances"; }
netdev_of() { ls "/sys/bus/vdpa/devices/$1/"virtio*/net/ 2>/dev/null; }
# Bind vdpa device $1 to driver $2 (when both bus drivers are built in, a
# new device goes to whichever probes first).
check "load slicesim, slicebus_vdpa and slicebus_vfio" \
	sb_modprobe vfio_iommu_type1 slicesim slicebus_vdpa slicebus_vfio

# 1. management devices
check "vdpa mgmtdev show lists sim0" sh -c "vdpa mgmtdev show | grep -q '^sim0:'"
check_eq "as a net device with 2 virtqueues (JSON)" \
	"$(vdpa -j mgmtdev show | python3 -c 'import json,sys; m=json.load(sys.stdin)["mgmtdev"]["sim0"]; print(m["supported_classes"], m["max_supported_vqs"])')" \
	"['net'] 2"
check_eq "slicectl's vdpa_mgmtdev is the vdpa tool's handle" \
	"$(devq 'd["vdpa_mgmtdev"]')" sim0
check_eq "the vdpa backend shows as loaded" \
	"$(devq '[b["loaded"] for b in d["backends"] if b["name"]=="vdpa"][0]')" True

# a parent of a class these backends do not serve is not offered to them
check "load a parent of the test class sbtest" sb_modprobe sb_class_test
check "vdpa mgmtdev show does not list it" \
	sh -c "vdpa mgmtdev show | grep -q '^sim0:' && ! vdpa mgmtdev show | grep -q tcls0"
check "it has no mdev types" test ! -e /sys/class/slicebus/tcls0/mdev_supported_types
check "sim0 has" test -d /sys/class/slicebus/sim0/mdev_supported_types
check_eq "slicectl through vfio is refused, saying why" \
	"$($S slice add tcls0 backend vfio 2>&1)" \
	"Error: tcls0: backend vfio does not serve slices of class sbtest"
check_eq "and through vdpa" "$($S slice add tcls0 backend vdpa 2>&1)" \
	"Error: tcls0: backend vdpa does not serve slices of class sbtest"
check "it unloads" sb_rmmod sb_class_test

# 2. devices with the vdpa tool
check "vdpa dev add with a MAC and an MTU" \
	vdpa dev add name vd0 mgmtdev sim0 mac 02:00:00:00:00:01 mtu 1400
check "vdpa dev show lists it" sh -c "vdpa dev show vd0 | grep -q 'vd0: type network mgmtdev sim0'"
check "vdpa dev config show has the MAC and MTU" \
	sh -c "vdpa dev config show vd0 | grep -q 'mac 02:00:00:00:00:01 link up .* mtu 1400'"
check_eq "it is a slice of the default type" "$($S slice show vd0)" \
	"vd0: dev sim0 type dwq-16 backend vdpa handle vd0"
check_eq "vdpa devices lower every view: mdev, slicectl" \
	"$(ai dwq-16) $(avail dwq-16 vfio) $(avail dwq-64 dma)" "7 7 1"
check_eq "an unknown management device" \
	"$(vdpa dev add name x mgmtdev nope 2>&1 | head -n 1)" \
	"Error: vdpa: Fail to find the specified management device."
check_fail "a duplicate name" vdpa dev add name vd0 mgmtdev sim0
check "max_vqp 2 is refused" sh -c "! vdpa dev add name x mgmtdev sim0 max_vqp 2 2> /dev/null"
check "and the kernel log says why" \
	sh -c "dmesg | grep -q 'vdpa dev add x: max_vqp 2: a slice has one queue pair'"
check "max_vqp 1 is honoured" vdpa dev add name x mgmtdev sim0 max_vqp 1
check "and shown by vdpa dev config show" \
	sh -c "vdpa -j dev config show x | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)[\"config\"][\"x\"].get(\"max_vqp\", 1) != 1)'"
vdpa dev del x
check_eq "mtu 67 is refused (by the vdpa core's policy)" \
	"$(vdpa dev add name x mgmtdev sim0 mtu 67 2>&1 | head -n 1)" "Error: integer out of range."
check "mtu 65523 is refused, with the range in the kernel log" \
	sh -c "! vdpa dev add name x mgmtdev sim0 mtu 65523 2> /dev/null &&
	       dmesg | grep -q 'vdpa dev add x: mtu 65523: a slice.s frames take 68 to 65522'"
check "a multicast MAC is refused, with the reason" \
	sh -c "! vdpa dev add name x mgmtdev sim0 mac 01:00:5e:00:00:01 2> /dev/null &&
	       dmesg | grep -q 'vdpa dev add x: mac 01:00:5e:00:00:01 is not a unicast address'"
check_fail "none of them left a device" vdpa dev show x
check_eq "vdpa mgmtdev show: dev_features are the device's" \
	"$(vdpa -j mgmtdev show sim0 | python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)["mgmtdev"]["sim0"]["dev_features"]))')" \
	"['ACCESS_PLATFORM', 'ANY_LAYOUT', 'MAC', 'MTU', 'STATUS', 'VERSION_1']"

# the same options through slicectl (slice-new options)
check_eq "slicectl slice add ... backend vdpa mac M mtu N max_vqp 1" \
	"$($S slice add sim0 type dwq-16 backend vdpa name vo0 mac 02:00:00:00:00:42 mtu 9000 max_vqp 1)" vo0
check "the vdpa tool sees them" \
	sh -c "vdpa dev config show vo0 | grep -q 'mac 02:00:00:00:00:42 link up .* mtu 9000'"
check_eq "slicectl -d shows the options in effect" "$($S -d slice show vo0)" \
	"vo0: dev sim0 type dwq-16 backend vdpa handle vo0 mac 02:00:00:00:00:42 mtu 9000 max_vqp 1"
check_eq "so does -j -d" "$($S -j -d slice show vo0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["slice"][0]["options"])')" \
	"{'mac': '02:00:00:00:00:42', 'mtu': '9000', 'max_vqp': '1'}"
check_eq "without -d, no options (the JSON of slice show is unchanged)" "$($S -j slice show vo0)" \
	'{"slice":[{"name":"vo0","dev":"sim0","type":"dwq-16","backend":"vdpa","handle":"vo0"}]}'
check_eq "what the vdpa tool gave shows too" \
	"$($S -j -d slice show vd0 | python3 -c 'import json,sys; o=json.load(sys.stdin)["slice"][0]["options"]; print(o["mac"], o["mtu"])')" \
	"02:00:00:00:00:01 1400"
$S slice del vo0
before=$($S -j dev show sim0)
check_eq "slicectl: max_vqp 2 refused with the reason" \
	"$($S slice add sim0 backend vdpa name vo1 max_vqp 2 2>&1)" "Error: max_vqp 2: a slice has one queue pair"
check_eq "a MAC that is not one" "$($S slice add sim0 backend vdpa name vo1 mac 02:00:zz 2>&1)" \
	'Error: option mac: "02:00:zz" is not a MAC address'
check_eq "an MTU out of range" "$($S slice add sim0 backend vdpa name vo1 mtu 67 2>&1)" \
	"Error: mtu 67: a slice's frames take 68 to 65522"
check_eq "an MTU that is not a number" "$($S slice add sim0 backend vdpa name vo1 mtu big 2>&1)" \
	'Error: option mtu: "big" is not a number'
check_eq "an option given twice" "$($S slice add sim0 backend vdpa name vo1 mtu 1500 mtu 1400 2>&1)" \
	"Error: option mtu given twice"
check_eq "a dma slice takes no options" "$($S slice add sim0 backend dma name vo1 mtu 1500 2>&1)" \
	"Error: backend dma takes no options (mtu given)"
check_eq "nor a vfio one" "$($S slice add sim0 backend vfio mac 02:00:00:00:00:02 2>&1)" \
	"Error: vfio slices take no options"
check_eq "none of the refusals changed anything" "$($S -j dev show sim0)" "$before"
check "slicectl slice add ... backend vdpa makes a vdpa device" \
	$S slice add sim0 type dwq-64 backend vdpa name vbig
check "that the vdpa tool sees" sh -c "vdpa dev show | grep -q '^vbig:'"
for i in 1 2 3; do vdpa dev add name f$i mgmtdev sim0; done
check_eq "past capacity the vdpa tool gets a refusal" \
	"$(vdpa dev add name f4 mgmtdev sim0 2>&1)" \
	"kernel answers: No space left on device"
check "and the kernel log says why" \
	sh -c "dmesg | grep -q 'vdpa dev add f4: sim0: not enough wq-entries (16 needed, 0 free)'"
check "vdpa dev del gives capacity back" sh -c "vdpa dev del f1 && vdpa dev del f2 && vdpa dev del f3"
check "slicectl slice del deletes a vdpa device" $S slice del vbig
check_fail "which is gone for the vdpa tool" vdpa dev show vbig
check_eq "all views agree again" "$(ai dwq-16) $(avail dwq-16 vdpa) $(avail dwq-64 vfio)" "7 7 1"

# Kernel drivers (virtio_vdpa) need the device's own DMA ops, which a
# kernel without CONFIG_ARCH_HAS_DMA_OPS cannot give (section 7).
kdma=$(cat /sys/module/slicebus_vdpa/parameters/kernel_dma)
nodma="this kernel has no CONFIG_ARCH_HAS_DMA_OPS: no kernel virtio driver on slicebus_vdpa"

# 3. virtio_vdpa: a netdev whose payload copies run on the slice
if [ "$kdma" = Y ]; then
sb_modprobe virtio_vdpa virtio_net
vdpa dev del vd0
vdpa dev add name vd0 mgmtdev sim0 mac 02:00:00:00:00:01 mtu 1500
vdpa_bind vd0 virtio_vdpa
ifn=$(netdev_of vd0)
check "virtio_vdpa gives the device a netdev ($ifn)" test -n "$ifn"
check "it comes up" sh -c "ip link set '$ifn' up && ip link show '$ifn' | grep -q LOWER_UP"
tx0=$(cat "/sys/class/net/$ifn/statistics/tx_packets")
rx0=$(cat "/sys/class/net/$ifn/statistics/rx_packets")
out=$(python3 "$LOOP" "$ifn" 10000 1500)
check "10000 frames of 60..1514 bytes come back byte-identical ($out)" test $? -eq 0
check "counted on the way out" test "$(( $(cat "/sys/class/net/$ifn/statistics/tx_packets") - tx0 ))" -ge 10000
check "and on the way in" test "$(( $(cat "/sys/class/net/$ifn/statistics/rx_packets") - rx0 ))" -ge 10000
check "the slice's engine made the copies" \
	sh -c "awk '{ exit !(\$6 >= 10000 && \$8 == 0) }' /sys/bus/slicebus/devices/vd0/queue/stats"
check "vdpa dev del with the netdev up" vdpa dev del vd0
check_fail "takes the netdev with it" ip link show "$ifn"
sb_rmmod virtio_net virtio_vdpa
else
	skip "virtio_vdpa traffic through the slice's engine" "$nodma"
	vdpa dev del vd0
fi

# 4. vhost_vdpa
sb_modprobe vhost_vdpa
vdpa dev add name vh0 mgmtdev sim0 mac 02:00:00:00:00:07
vdpa_bind vh0 vhost_vdpa
chr=$(ls /sys/bus/vdpa/devices/vh0/ | grep vhost-vdpa)
check "vhost_vdpa gives a char device ($chr)" test -c "/dev/$chr"
relay_out=$("$SB_BUILD/selftests/vhost_test" "/dev/$chr" 02:00:00:00:00:07)
rc=$?
echo "$relay_out" | while IFS= read -r line; do
	case "$line" in "ok "* | "not ok "*) echo "# vhost: $line" ;; esac
done
check "a vhost-vdpa user: features, device id, status, config, IOVA range" test "$rc" -eq 0
vdpa dev del vh0
sb_rmmod vhost_vdpa

# 5. removal with traffic flowing
if [ "$kdma" = Y ]; then
sb_modprobe virtio_vdpa virtio_net
vdpa dev add name vd1 mgmtdev sim0
vdpa_bind vd1 virtio_vdpa
ifn=$(netdev_of vd1)
ip link set "$ifn" up
python3 "$LOOP" "$ifn" 1000000 > /dev/null 2>&1 &
traffic=$!
sleep 2
check "rmmod slicesim with the netdev up and traffic flowing" timeout 60 rmmod slicesim
kill "$traffic" 2> /dev/null
wait "$traffic" 2> /dev/null
check_fail "the netdev is gone" ip link show "$ifn"
else
	skip "rmmod slicesim with virtio_vdpa traffic flowing" "$nodma"
	vdpa dev add name vd1 mgmtdev sim0
	check "rmmod slicesim with a vdpa device" timeout 60 rmmod slicesim
fi
check_eq "no vdpa device is left" "$(vdpa dev show | wc -l)" 0
check_eq "no slice is left" "$($S -j slice show)" '{"slice":[]}'

# 6. the mediated path: slicesim as DMA-address-only hardware (as idxd)
SB_ARGS_slicesim=mediate=1
check "slicesim loads as DMA-only hardware (mediate=1)" sb_modprobe slicesim
SB_ARGS_slicesim=
if [ "$kdma" = Y ]; then
vdpa dev add name vm0 mgmtdev sim0 mac 02:00:00:00:00:09
vdpa_bind vm0 virtio_vdpa
ifn=$(netdev_of vm0)
ip link set "$ifn" up
out=$(python3 "$LOOP" "$ifn" 2000 1500)
check "2000 frames come back byte-identical on the mediated path ($out)" test $? -eq 0
check "the copies went through the mediator" \
	sh -c "awk '{ exit !(\$12 >= 2000 && \$8 == 0) }' /sys/bus/slicebus/devices/vm0/queue/stats"
check "vdpa dev del on the mediated path" vdpa dev del vm0
else
	skip "virtio_vdpa traffic on the mediated path" "$nodma"
fi

# 7. without DMA ops of its own (kernel_dma=0, as on a kernel without
# CONFIG_ARCH_HAS_DMA_OPS) a kernel driver is refused at probe, with a
# reason, and vhost_vdpa still works
sb_rmmod virtio_net virtio_vdpa slicebus_vdpa
if [ "$kdma" != Y ]; then
	SB_ARGS_slicebus_vdpa=kernel_dma=1
	check_fail "kernel_dma=1 is refused on this kernel" sb_modprobe slicebus_vdpa
fi
SB_ARGS_slicebus_vdpa=kernel_dma=0
check "slicebus_vdpa loads with kernel_dma=0" sb_modprobe slicebus_vdpa
SB_ARGS_slicebus_vdpa=
sb_modprobe virtio_vdpa virtio_net vhost_vdpa
vdpa dev add name vk0 mgmtdev sim0 mac 02:00:00:00:00:0b
vdpa_bind vk0 virtio_vdpa 2> /dev/null
check_eq "virtio_vdpa does not get a netdev" "$(netdev_of vk0)" ""
check "the kernel log says why" \
	sh -c "dmesg | grep -q 'vk0: kernel driver virtio_vdpa refused: this kernel cannot give the device DMA ops'"
check_eq "the slice's engine was never started" \
	"$(awk '{ print $2 }' /sys/bus/slicebus/devices/vk0/queue/stats)" 0
vdpa_bind vk0 vhost_vdpa
chr=$(ls /sys/bus/vdpa/devices/vk0/ | grep vhost-vdpa)
"$SB_BUILD/selftests/vhost_test" "/dev/$chr" 02:00:00:00:00:0b > /dev/null 2>&1
check "vhost_vdpa still uses the device" test $? -eq 0
vdpa dev del vk0
check "everything unloads" sb_rmmod virtio_net virtio_vdpa vhost_vdpa slicesim slicebus_vfio slicebus_vdpa slicebus_dsa slicebus
done_testing
