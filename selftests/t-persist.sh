#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Definitions that survive a provider reload (a reboot's worth): slicectl
# save / apply, the udev rule run by the real systemd-udevd on the kernel's
# events, the boot unit's command, and mdevctl's own definitions (define
# --auto) brought back by mdevctl on the same events.  Prints TAP.
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
CONF=/etc/slicebus
MON=/tmp/persist.mon
WAIT=${SB_PERSIST_WAIT:-20}

dev_json() { $S -j dev show "$1"; }
slices_json() { $S -j slice show; }
# the same, in name order (re-created slices list after the others)
slices_sorted() {
	$S -j slice show | python3 -c "import json,sys; print(json.dumps(sorted(json.load(sys.stdin)['slice'], key=lambda s: s['name'])))"
}
nr_events() { grep -c "\"event\":\"$1\"" "$MON"; }
words() { echo "$@" | tr ' ' '\n' | grep . | sort | tr '\n' ' ' | sed 's/ $//'; }
names() {
	words "$($S -j slice show | python3 -c "import json,sys; print(' '.join(s['name'] for s in json.load(sys.stdin)['slice'] if s['dev']=='$1'))")"
}
now_ns() { date +%s%N; }
# wait until CMD prints WANT, at most $WAIT s from T0 (ns); prints the ms
# from T0 it took, or "timeout"
wait_for() {
	_t0=$1
	_want=$2
	shift 2
	while [ "$("$@")" != "$_want" ]; do
		if [ $(( ($(now_ns) - _t0) / 1000000000 )) -ge "$WAIT" ]; then
			echo timeout
			return 1
		fi
		sleep 0.1
	done
	echo $(( ($(now_ns) - _t0) / 1000000 ))
}
mon_start() {
	: > "$MON"
	$S -j monitor > "$MON" &
	mon=$!
	sleep 0.3
}
mon_stop() {
	sleep 0.3
	kill "$mon" 2> /dev/null
	wait "$mon" 2> /dev/null
}

SB_ARGS_slicesim="ndev=2"
export SB_ARGS_slicesim
check "load slicesim (2 devices), the three backends and vfio" \
	sb_modprobe vfio_iommu_type1 slicesim slicebus_dma slicebus_vdpa slicebus_vfio

# /etc is the host's, read-only: an overlay makes it the VM's own
mkdir -p /tmp/etc.up /tmp/etc.work
check "a writable /etc (overlay)" \
	sh -c "modprobe overlay && mount -t overlay overlay \
	       -o lowerdir=/etc,upperdir=/tmp/etc.up,workdir=/tmp/etc.work /etc"
# udevadm control and settle do nothing here (the root is the host's over
# 9p and looks like a chroot to them): udevd is started with its rules in
# place and stopped by signal, and the checks wait for what they expect
udevd_up() {
	$udevd --daemon --resolve-names=never > /dev/null 2>&1
	sleep 1
	pgrep -x systemd-udevd > /dev/null
}
udevd_down() {
	pkill -x systemd-udevd
	while pgrep -x systemd-udevd > /dev/null; do sleep 0.1; done
}
mkdir -p "$CONF" /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers

# 1. save
$S dev set sim0 backend vfio reserve wq 2
$S dev set sim0 backend dma limit wq 3
$S slice add sim0 type dwq-64 backend dma name db0 > /dev/null
$S slice add sim0 type dwq-16 backend vdpa name vd0 > /dev/null
u=$($S slice add sim0 type dwq-16 backend vfio)
check "sim0 has a dma, a vdpa and a vfio slice, a reservation and a limit" test -n "$u"
$S save sim0 > "$CONF/sim0.json"
check_eq "slicectl save sim0: the reservation, the limit and the slices in creation order" \
	"$(python3 -c "
import json
d = json.load(open('$CONF/sim0.json'))['dev']
b = {x['name']: x for x in d[0]['backends']}
print(len(d), d[0]['name'], b['vfio']['reserve']['wq'], b['dma']['limit']['wq'], b['vdpa']['limit']['wq'],
      [(s['name'], s['type'], s['backend']) for s in d[0]['slices']])")" \
	"1 sim0 2 3 None [('db0', 'dwq-64', 'dma'), ('vd0', 'dwq-16', 'vdpa'), ('$u', 'dwq-16', 'vfio')]"
check_eq "slicectl save (all): both devices, sim1 with nothing" \
	"$($S save | python3 -c "import json,sys; print([(d['name'], len(d['slices'])) for d in json.load(sys.stdin)['dev']])")" \
	"[('sim0', 3), ('sim1', 0)]"

# 2. applying what is there changes nothing
check_eq "apply --dry-run of the current state has nothing to do" \
	"$($S apply --dry-run "$CONF/sim0.json" 2>&1; echo "rc=$?")" "rc=0"
mon_start
out=$($S apply "$CONF/sim0.json" 2>&1)
rc=$?
mon_stop
check_eq "apply of the current state: nothing done, status 0" "$out rc=$rc" " rc=0"
check_eq "and no event" "$(grep -c . "$MON")" 0

# 3. the udev rule, run by the real udevd (the host's rules left out)
mkdir -p /tmp/udev.keep /run/udev/rules.d
cp /lib/udev/rules.d/60-mdevctl.rules /tmp/udev.keep/ 2> /dev/null
mount -t tmpfs tmpfs /lib/udev/rules.d
cp /tmp/udev.keep/* /lib/udev/rules.d/ 2> /dev/null
sed -e "s|@SBINDIR@|$(dirname "$S")|g" -e "s|@CONFDIR@|$CONF|g" \
	"$SB_TOP/tools/slicectl/90-slicebus.rules.in" > /run/udev/rules.d/90-slicebus.rules
udevd=$(command -v systemd-udevd || echo /lib/systemd/systemd-udevd)
check "systemd-udevd runs with the slicebus rule" udevd_up

mac() { $S -j -d slice show vd0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["slice"][0]["options"]["mac"])'; }
mac0=$(mac)
dev0=$(dev_json sim0)
sl0=$(slices_json)
# a /dev/log of our own: what the rule's slicectl logs
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
with open("/tmp/syslog", "ab", buffering=0) as f:
    while True:
        f.write(s.recv(4096) + b"\n")
' &
syslogd=$!
rmmod slicesim
check_eq "unloading the provider takes every slice" "$(names sim0)" ""
mon_start
t0=$(now_ns)
sb_modprobe slicesim
t=$(wait_for "$t0" "$sl0" slices_json)
check "reloading it brings all of sim0 back through udev ($t ms)" test "$t" != timeout
diag "definition applied $t ms after the provider's load began"
mon_stop
check_eq "slicectl -j slice show is what it was" "$(slices_json)" "$sl0"
check_eq "slicectl -j dev show sim0 is what it was" "$(dev_json sim0)" "$dev0"
check_eq "the vdpa device has its MAC again ($mac0)" \
	"$(vdpa -j dev config show vd0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["vd0"]["mac"])')" "$mac0"
check_eq "the mdev is back under its UUID" "$(cat "/sys/bus/mdev/devices/$u/mdev_type/name" 2>/dev/null)" \
	"$(cat "/sys/class/slicebus/sim0/mdev_supported_types/slicebus-dwq-16/name")"
check_eq "one event per change: 2 dev-new, 3 slice-new, 2 dev-change for the settings" \
	"$(nr_events dev-new) $(nr_events slice-new) $(grep '"event":"dev-change"' "$MON" | grep -c '"name":"sim0"')" \
	"2 3 2"
check "the rule's slicectl logged what it applied" \
	grep -q 'slicebus\[[0-9]*\]: sim0: applied: slice add sim0 type dwq-64 backend dma name db0' /tmp/syslog
kill "$syslogd"
rm -f /dev/log
check_eq "nothing was refused (the kernel log)" "$(dmesg | grep -c 'slicebus.*refused')" 0

# 4. a backend that loads later gets its part when it does
rmmod slicebus_vdpa
check_eq "unloading slicebus_vdpa takes the vdpa slice" "$(names sim0)" "$(words "$u" db0)"
sorted0=$(slices_sorted)
mon_start
t0=$(now_ns)
sb_modprobe slicebus_vdpa
t=$(wait_for "$t0" "$sorted0" slices_sorted)
mon_stop
check "loading it again brings vd0 back (SLICEBUS_EVENT=backend, $t ms)" test "$t" != timeout
if [ "$t" = timeout ]; then	# what came back instead, and when
	diag "wanted: $sorted0"
	diag "got:    $(slices_sorted)"
	sed 's/^/# event: /' "$MON"
fi
check_eq "only vd0 was created" "$(nr_events slice-new) $(nr_events dev-change)" "1 0"

# 5. the boot unit's command, without udev
sed -e "s|@SBINDIR@|$(dirname "$S")|g" -e "s|@CONFDIR@|$CONF|g" \
	"$SB_TOP/tools/slicectl/slicebus.service.in" > /tmp/slicebus.service
cmd=$(sed -n 's/^ExecStart=//p' /tmp/slicebus.service)
udevd_down
rmmod slicesim
sb_modprobe slicesim
check_eq "without udev nothing comes back" "$(names sim0)" ""
check "the boot unit's ExecStart ($cmd) applies the directory" sh -c "$cmd > /dev/null"
check_eq "and all of it is back" "$(slices_json) $(dev_json sim0)" "$sl0 $dev0"

# 6. what cannot be honoured now is reported, the rest applied
cat > "$CONF/sim1.json" <<EOF
{"dev":[{"name":"sim1","backends":[{"name":"dma","reserve":{"wq":1}}],
 "slices":[{"name":"b1","type":"dwq-64","backend":"dma"},
           {"name":"b2","type":"dwq-16","backend":"dma"},
           {"name":"b3","type":"dwq-64","backend":"dma"},
           {"name":"b4","type":"dwq-16","backend":"dma"}]}]}
EOF
out=$($S apply "$CONF/sim1.json" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check_eq "a definition larger than the device: the reason, what was not applied, status 1" \
	"$(echo "$out" | grep '^Error' | head -n 2) rc=$rc" \
	"Error: sim1: not enough wq-entries (64 needed, 48 free)
Error: sim1: not applied: slice add sim1 type dwq-64 backend dma name b3 rc=1"
check_eq "and the rest of it applied (b4 after b3)" "$(names sim1)" "b1 b2 b4"
before=$(slices_json)
out=$($S apply "$CONF/sim1.json" 2>&1)
check_eq "applied again: the same refusal, once, nothing else" \
	"$(echo "$out" | grep -c '^Error: sim1: not applied') $(slices_json)" "1 $before"
check_eq "--dry-run prints what it would do, and does nothing" \
	"$($S apply --dry-run "$CONF/sim1.json" 2>&1) $(slices_json)" \
	"slice add sim1 type dwq-64 backend dma name b3 $before"
for n in b1 b2 b4; do $S slice del "$n"; done
$S slice add sim1 type dwq-64 backend dma name b2 > /dev/null
out=$($S apply "$CONF/sim1.json" 2>&1)
check_eq "a slice of the same name but another type is left alone, with the reason" \
	"$(echo "$out" | grep 'slice b2')" \
	"Error: $CONF/sim1.json: sim1: slice b2 exists as dev sim1 type dwq-64 backend dma; left alone"
check_eq "and is still what it was" "$($S slice show b2)" "b2: dev sim1 type dwq-64 backend dma handle $(cat /sys/bus/slicebus/devices/b2/handle)"
for n in $(names sim1); do $S slice del "$n"; done
$S dev set sim1 backend dma reserve wq 0

# bad input: a clear error and nothing changed
before="$(slices_json) $(dev_json sim1)"
echo '{"dev": [' > /tmp/bad.json
out=$($S apply /tmp/bad.json 2>&1)
rc=$?
check "a file that is not JSON: an error naming it, status 1 ($out)" \
	sh -c "echo '$out' | grep -q '^Error: /tmp/bad.json: .' && test $rc -eq 1"
echo '{"devices": []}' > /tmp/bad.json
check_eq "JSON without a dev list" "$($S apply /tmp/bad.json 2>&1)" 'Error: /tmp/bad.json: no "dev" list'
echo '{"dev":[{"name":"sim1","backends":[{"name":"nosuch","reserve":{"wq":1}}],"slices":[]}]}' > /tmp/bad.json
check_eq "an unknown backend" "$($S apply /tmp/bad.json 2>&1)" \
	"Error: /tmp/bad.json: sim1: backend nosuch is not known to the kernel (its module never loaded?)"
echo '{"dev":[{"name":"sim1","backends":[{"name":"dma","reserve":{"wq":"x"}}],"slices":[{"type":"dwq-16"}]}]}' > /tmp/bad.json
check_eq "a reserve that is not a number, a slice without a name" "$($S apply /tmp/bad.json 2>&1)" \
	"Error: /tmp/bad.json: sim1: reserve of wq is not a number
Error: /tmp/bad.json: sim1: slice 0 has no name"
echo '{"dev":[{"name":"sim7","slices":[{"name":"x","type":"dwq-16","backend":"dma"}]}]}' > /tmp/bad.json
check_eq "a device that is not present is skipped (its own event applies it)" \
	"$($S apply /tmp/bad.json 2>&1; echo "rc=$?")" "sim7: not present; skipped
rc=0"
check_eq "apply without a file" "$($S apply 2>&1)" 'Error: "apply" needs a file or a directory of DEV.json files'
check_eq "an unknown option" "$($S apply --force x 2>&1)" 'Error: unknown option "--force" of "apply"'
check_eq "a missing file" "$($S apply /tmp/nosuch.json 2>&1)" "Error: /tmp/nosuch.json: No such file or directory"
check_eq "none of it changed anything" "$(slices_json) $(dev_json sim1)" "$before"
rm -f "$CONF/sim1.json"

# 7. mdevctl's own definitions come back on the same events
udevd_up
# every start mdevctl attempts is counted by a notifier
cat > /etc/mdevctl.d/scripts.d/notifiers/count <<'EOF'
#!/bin/sh
echo "$@" >> /tmp/mdevctl.calls
EOF
chmod +x /etc/mdevctl.d/scripts.d/notifiers/count
: > /tmp/mdevctl.calls
m1=$(cat /proc/sys/kernel/random/uuid)
m2=$(cat /proc/sys/kernel/random/uuid)
m3=$(cat /proc/sys/kernel/random/uuid)
check "mdevctl define --auto of two dwq-64 on sim1" \
	sh -c "mdevctl define --auto -p sim1 -t slicebus-dwq-64 -u $m1 &&
	       mdevctl define --auto -p sim1 -t slicebus-dwq-64 -u $m2"
check "and of a third, which cannot fit" mdevctl define --auto -p sim1 -t slicebus-dwq-64 -u "$m3"
rmmod slicesim
: > /tmp/mdevctl.calls
t0=$(now_ns)
sb_modprobe slicesim
nr_mdevs() { names sim1 | wc -w; }
t=$(wait_for "$t0" 2 nr_mdevs)
check "reloading the provider: mdevctl starts two of them, all that fit ($t ms)" test "$t" != timeout
active=$(names sim1)
check_eq "slicectl save leaves mdevctl's own definitions to mdevctl" \
	"$($S save sim1 | grep -cE "${active% *}|${active#* }")" 0
sleep 5
check_eq "the third failed once and was not tried again" \
	"$(grep -c "start.*-s success" /tmp/mdevctl.calls) $(grep -c "start.*-s failure" /tmp/mdevctl.calls) $(names sim1)" \
	"2 1 $active"
check_eq "sim0's definition came back too" "$(names sim0)" "$(words "$u" db0 vd0)"
check_eq "mdevctl types: available instances are slicectl's vfio counts" \
	"$(mdevctl types --dumpjson | python3 -c "
import json,sys
for p in json.load(sys.stdin):
    for name, types in p.items():
        for t in types:
            for tn, v in t.items():
                print(name, tn, v['available_instances'])" | sort)" \
	"$(for d in sim0 sim1; do $S -j dev show $d | python3 -c "
import json,sys
d = json.load(sys.stdin)['dev'][0]
for t in d['types']:
    print(d['name'], 'slicebus-' + t['name'], t['available']['vfio'])"; done | sort)"
check_eq "mdevctl list --dumpjson: the same mdevs as slicectl's vfio slices" \
	"$(mdevctl list --dumpjson | python3 -c "
import json,sys
for p in json.load(sys.stdin):
    for name, devs in p.items():
        for d in devs:
            for uu, v in d.items():
                print(name, uu, v['mdev_type'])" | sort)" \
	"$($S -j slice show | python3 -c "
import json,sys
for s in json.load(sys.stdin)['slice']:
    if s['backend'] == 'vfio':
        print(s['dev'], s['name'], 'slicebus-' + s['type'])" | sort)"
udevd_down
for m in $m1 $m2 $m3; do mdevctl undefine -u "$m" 2> /dev/null; done

check "everything unloads" sb_rmmod slicebus_vfio slicebus_vdpa slicebus_dma slicesim slicebus_dsa slicebus
umount /lib/udev/rules.d
umount /etc
done_testing
