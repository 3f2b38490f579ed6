#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The core: parents, the accountant through netlink and slicectl, names,
# reservations and limits, events, permissions, ynl, fuzzing, scale,
# removal.  The test-only backend sb_testbe stands in for "dma", then
# registers backends the core did not know ("test", and too many).
. "$(dirname "$0")/lib.sh"
S=$SLICECTL
YNL_DIR=$SB_BUILD/linux-src/tools/net/ynl
# 6.14 moved the CLI and its library into pyynl/
[ -f "$YNL_DIR/pyynl/cli.py" ] && YNL_DIR=$YNL_DIR/pyynl
SPEC=$SB_TOP/Documentation/netlink/specs/slicebus.yaml
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# py EXPR: evaluate EXPR with d = sim0's JSON object
devq() {
	$S -j dev show "${2:-sim0}" |
		python3 -c "import json,sys; d=json.load(sys.stdin)['dev'][0]; print($1)"
}
avail() { devq "[t['available']['$2'] for t in d['types'] if t['name']=='$1'][0]"; }
state() { $S -j dev show; $S -j slice show; }
ynl() { (cd "$YNL_DIR" && python3 cli.py --spec "$SPEC" \
	--schema "$SB_BUILD/linux-src/Documentation/netlink/genetlink.yaml" "$@"); }

check "load slicebus, slicesim and the test backend" \
	sb_modprobe slicebus slicesim sb_testbe

# 1. defaults of DESIGN
out=$($S -j dev show | python3 -c '
import json, sys
d = json.load(sys.stdin)["dev"]
bad = []
def want(what, got, exp):
    if got != exp: bad.append("%s: %r != %r" % (what, got, exp))
want("one device", len(d), 1)
d = d[0]
want("name", d["name"], "sim0"); want("driver", d["driver"], "slicesim")
res = {r["name"]: r for r in d["resources"]}
want("wq", (res["wq"]["total"], res["wq"]["used"], res["wq"]["free"]), (8, 0, 8))
want("wq-entries", (res["wq-entries"]["total"], res["wq-entries"]["free"]), (128, 128))
ty = {t["name"]: t for t in d["types"]}
want("types", sorted(ty), ["dwq-16", "dwq-64"])
want("dwq-16 cost", ty["dwq-16"]["cost"], {"wq": 1, "wq-entries": 16})
want("dwq-64 cost", ty["dwq-64"]["cost"], {"wq": 1, "wq-entries": 64})
want("dwq-16 avail", ty["dwq-16"]["available"], {"vfio": 8, "vdpa": 8, "dma": 8})
want("dwq-64 avail", ty["dwq-64"]["available"], {"vfio": 2, "vdpa": 2, "dma": 2})
be = {b["name"]: b for b in d["backends"]}
want("backends", [b["name"] for b in d["backends"]], ["vfio", "vdpa", "dma"])
for b in be.values():
    want(b["name"] + " limit", b["limit"].get("wq"), None)
    want(b["name"] + " reserve", b["reserve"], {"wq": 0, "wq-entries": 0})
want("dma loaded", be["dma"]["loaded"], True)
want("vfio loaded", be["vfio"]["loaded"], False)
print("\n".join(bad))
')
check_eq "dev show -j on a default slicesim shows the DESIGN values" "$out" ""
check "sysfs is the management device directory" \
	test "$(devq 'd["sysfs"]')" = "$(readlink -f /sys/class/slicebus/sim0)"
check "human output lists the resources" \
	sh -c "$S dev show sim0 | grep -q 'resource wq total 8 used 0 free 8'"
check "-p pretty-prints JSON" sh -c "$S -p dev show | grep -q '^  \"dev\": \\['"

check "slicectl help" sh -c "$S help | grep -q '^Usage: slicectl'"
check "slicectl dev help" sh -c "$S dev help | grep -q 'slicectl dev set DEV backend'"
check "slicectl slice help" sh -c "$S slice help | grep -q 'slicectl slice add DEV'"
check_eq "an unknown object" "$($S foo 2>&1 | head -n 1)" 'Error: unknown object "foo"'
check_eq "an unknown command" "$($S dev frob 2>&1 | head -n 1)" 'Error: unknown command "dev frob"'

# 2. the dwq-16 / dwq-64 interplay
big=$($S slice add sim0 type dwq-64 backend dma)
check "slice add prints the generated name" test -n "$big"
check_eq "after one dwq-64: dwq-16 available 4" "$(avail dwq-16 vfio)" 4
check_eq "after one dwq-64: dwq-64 available 1" "$(avail dwq-64 vdpa)" 1
for i in 1 2 3 4; do $S slice add sim0 type dwq-16 backend dma name s$i > /dev/null; done
check_eq "four dwq-16 fit next to it" "$(devq 'd["slices"]')" 5
before=$(state)
err=$($S slice add sim0 type dwq-16 backend dma 2>&1)
rc=$?
check "allocating past capacity is refused" test "$rc" -ne 0
check_eq "with the reason" "$err" \
	"Error: sim0: not enough wq-entries (16 needed, 0 free)"
check_eq "and nothing changed" "$(state)" "$before"
check "slice show lists the slices with their handles" \
	sh -c "$S slice show s3 | grep -qx 's3: dev sim0 type dwq-16 backend dma handle test:s3'"
check_eq "the slice bus has the five devices" \
	"$(ls /sys/bus/slicebus/devices | wc -l)" 5
check_eq "a slice's sysfs shows its type" \
	"$(cat /sys/bus/slicebus/devices/s1/type)" dwq-16
for n in s1 s2 s3 s4 "$big"; do $S slice del "$n"; done
check_eq "deleting them frees everything" \
	"$(devq '[r["free"] for r in d["resources"]]')" "[8, 128]"

# 3. names and bad input
check "an explicit name is kept" $S slice add sim0 type dwq-16 backend dma name my.slice:1
check_eq "a duplicate name is refused" \
	"$($S slice add sim0 type dwq-16 backend dma name my.slice:1 2>&1)" \
	"Error: slice my.slice:1 already exists"
$S slice add sim0 type dwq-64 backend dma name filler >/dev/null
check_eq "so it is where the capacity is short too (the name is checked first)" \
	"$($S slice add sim0 type dwq-64 backend dma name my.slice:1 2>&1)" \
	"Error: slice my.slice:1 already exists"
$S slice del filler
before=$(state)
check_fail "a name with a slash is refused" $S slice add sim0 backend dma name bad/name
check_fail "a 64-character name is refused" \
	$S slice add sim0 backend dma name "$(printf 'x%.0s' $(seq 64))"
NLRAW="python3 $SB_TOP/selftests/progs/nlraw.py"
check_eq "a name of Latin-1 letters (bytes the kernel's ctype calls alphanumeric) is refused" \
	"$($NLRAW name-bytes c0e9ff)" "22 slice names are 1-63 of [A-Za-z0-9._:-]"
check "a 63-character name is accepted" \
	$S slice add sim0 backend dma name "$(printf 'y%.0s' $(seq 63))"
$S slice del "$(printf 'y%.0s' $(seq 63))"
check_eq "unknown device" "$($S slice add nope backend dma 2>&1)" \
	"Error: no slicebus device nope"
check_eq "unknown type" "$($S slice add sim0 type dwq-7 backend dma 2>&1)" \
	"Error: sim0 has no slice type dwq-7"
check_eq "unknown backend, with the known ones" "$($S slice add sim0 backend foo 2>&1)" \
	'Error: unknown backend foo; known: vfio, vdpa, dma'
check_eq "backend is required" "$($S slice add sim0 type dwq-16 2>&1)" \
	'Error: "backend" is required (vfio, vdpa, dma or a registered name)'
check_eq "a backend name of 64 characters is refused by the policy" \
	"$($S slice add sim0 backend "$(printf 'b%.0s' $(seq 64))" 2>&1 | grep -c '^Error: ')" 1
check_eq "a backend whose module is not loaded" \
	"$($S slice add sim0 backend vfio 2>&1)" \
	"Error: backend vfio: module slicebus_vfio is not loaded"
check_eq "deleting an unknown slice" "$($S slice del nope 2>&1)" \
	"Error: no slice nope"
check_eq "bad input changed nothing" "$(state)" "$before"
echo -5 > /sys/module/sb_testbe/parameters/fail_probe
check_eq "a backend probe failure reaches the user" \
	"$($S slice add sim0 backend dma 2>&1)" \
	"Error: backend dma did not take the slice (-5)"
echo 0 > /sys/module/sb_testbe/parameters/fail_probe
check_eq "and is undone in full" "$(state)" "$before"
$S slice del my.slice:1

# 4. reservations
check "reserve 3 wq for vfio" $S dev set sim0 backend vfio reserve wq 3
check_eq "vfio keeps 8 dwq-16" "$(avail dwq-16 vfio)" 8
check_eq "dma sees 5" "$(avail dwq-16 dma)" 5
check_eq "free is not changed by reservations" \
	"$(devq '[r["free"] for r in d["resources"] if r["name"]=="wq"][0]')" 8
check_eq "the reservation shows under backends" \
	"$(devq '[b["reserve"]["wq"] for b in d["backends"] if b["name"]=="vfio"][0]')" 3
for i in 1 2 3 4 5; do $S slice add sim0 backend dma name r$i > /dev/null; done
check_eq "the 6th dma slice is refused for the reservation" \
	"$($S slice add sim0 backend dma 2>&1)" \
	"Error: sim0: wq held by reservations (1 needed, 0 unreserved)"
before=$(state)
check_eq "a reservation that cannot be honoured now is refused" \
	"$($S dev set sim0 backend vdpa reserve wq 1 2>&1)" \
	"Error: wq reservations need 4 free, 3 are"
check_eq "and changes nothing" "$(state)" "$before"
for i in 1 2 3 4 5; do $S slice del r$i; done
check_eq "reservations above the total are refused" \
	"$($S dev set sim0 backend vdpa reserve wq 6 2>&1)" \
	"Error: wq reservations would total 9 of 8"
check "a reservation is released with 0" $S dev set sim0 backend vfio reserve wq 0

# 5. limits
check "limit dma to 2 wq" $S dev set sim0 backend dma limit wq 2
$S slice add sim0 backend dma name l1 > /dev/null
$S slice add sim0 backend dma name l2 > /dev/null
check_eq "dma availability is capped by the limit" "$(avail dwq-16 dma)" 0
check_eq "other backends are not" "$(avail dwq-16 vdpa)" 6
check_eq "the third dma slice is refused" \
	"$($S slice add sim0 backend dma 2>&1)" \
	"Error: sim0: backend dma at its wq limit (1 needed, 0 left)"
check_eq "a limit below current use is refused" \
	"$($S dev set sim0 backend dma limit wq 1 2>&1)" \
	"Error: wq limit 1 below what dma holds (2)"
check_eq "a reservation above the limit is refused" \
	"$($S dev set sim0 backend dma reserve wq 3 2>&1)" \
	"Error: wq reserve 3 above its limit 2"
check "limit none clears it" $S dev set sim0 backend dma limit wq none
check_eq "an unset limit is null" \
	"$(devq '[b["limit"]["wq"] for b in d["backends"] if b["name"]=="dma"][0]')" None
$S slice del l1
$S slice del l2
before=$(state)
check_eq "a non-number is refused" \
	"$($S dev set sim0 backend dma reserve wq abc 2>&1)" \
	'Error: "abc" is not a number'
check_eq "an unknown resource is refused" \
	"$($S dev set sim0 backend dma reserve foo 1 2>&1)" \
	"Error: sim0 has no resource foo"
check_eq "a set with nothing to set is refused" \
	"$($S dev set sim0 backend dma 2>&1)" \
	"Error: nothing to set: give reserve or limit"
check_eq "the same resource twice is refused" \
	"$($S dev set sim0 backend dma reserve wq 1 reserve wq 2 2>&1)" \
	"Error: reserve of wq given twice"
check_eq "refused settings changed nothing" "$(state)" "$before"

# 6. permissions
check "a non-root user can show devices" $NOBODY $S dev show
check "and slices" $NOBODY $S slice show
$S slice add sim0 backend dma name keep > /dev/null
before=$(state)
check_eq "but cannot add a slice" "$($NOBODY $S slice add sim0 backend dma 2>&1)" \
	"Error: Operation not permitted (this needs CAP_NET_ADMIN)"
check_fail "nor delete one" $NOBODY $S slice del keep
check_fail "nor change reservations" $NOBODY $S dev set sim0 backend dma reserve wq 1
check_eq "and nothing changed" "$(state)" "$before"
$S slice del keep

# 7. events
$S -j monitor > /tmp/mon.json 2>&1 &
mon=$!
$S monitor > /tmp/mon.txt 2>&1 &
mon2=$!
sleep 0.5
$S slice add sim0 type dwq-64 backend dma name ev1 > /dev/null
$S dev set sim0 backend vdpa reserve wq 1
$S dev set sim0 backend vdpa reserve wq 0
$S slice del ev1
sb_rmmod slicesim
sb_modprobe slicesim
sleep 0.5
kill "$mon" "$mon2"
events=$(python3 -c '
import json
for l in open("/tmp/mon.json"):
    e = json.loads(l); o = e.get("slice") or e.get("dev")
    print(e["event"], o["name"], o.get("type", ""))' | tr '\n' ';')
check_eq "monitor -j sees every change, in order" "$events" \
	"slice-new ev1 dwq-64;dev-change sim0 ;dev-change sim0 ;slice-del ev1 dwq-64;dev-del sim0 ;dev-new sim0 ;"
check "monitor prints events for humans" \
	grep -qx '\[slice-new\] ev1: dev sim0 type dwq-64 backend dma handle test:ev1' /tmp/mon.txt

# 8. the kernel's own YNL client drives the family from the spec
if [ -f "$YNL_DIR/cli.py" ]; then
	check "ynl: dump devices" sh -c "ynl_out=\$(cd '$YNL_DIR' && python3 cli.py --spec '$SPEC' --schema '$SB_BUILD/linux-src/Documentation/netlink/genetlink.yaml' --dump dev-get) && echo \"\$ynl_out\" | grep -q \"'name': 'sim0'\" && echo \"\$ynl_out\" | grep -q \"'backend': 'vdpa'\""
	out=$(ynl --do slice-new --json '{"dev": "sim0", "type": "dwq-64", "backend": "dma", "name": "ynl0"}' 2>&1)
	check "ynl: create a slice" sh -c "echo \"$out\" | grep -q \"'name': 'ynl0'\""
	check "slicectl sees the ynl slice" $S slice show ynl0
	check "ynl: delete it" ynl --do slice-del --json '{"name": "ynl0"}'
	check_fail "and it is gone" $S slice show ynl0
	check_eq "ynl errors carry the extack message" \
		"$(ynl --do slice-new --json '{"dev": "nope", "backend": "dma"}' 2>&1 | grep -o 'no slicebus device nope' | head -n 1)" \
		"no slicebus device nope"
	# slice-new options: checked before any backend sees them
	before=$($S -j slice show)
	ynl_err() {
		ynl --do slice-new --json "{\"dev\": \"sim0\", \"backend\": \"dma\", \"option\": $1}" 2>&1 |
			grep -o "$2" | head -n 1
	}
	check_eq "ynl: an option name outside [a-z0-9_] is refused" \
		"$(ynl_err '[{"name": "MAC", "value": "x"}]' 'option names are 1-15 of .a-z0-9_.')" \
		"option names are 1-15 of [a-z0-9_]"
	check_eq "a value with a space" \
		"$(ynl_err '[{"name": "mac", "value": "a b"}]' 'option mac: values are 1-63 printable characters without spaces')" \
		"option mac: values are 1-63 printable characters without spaces"
	check_eq "an option without a value" \
		"$(ynl_err '[{"name": "mac"}]' 'an option needs a name and a value')" \
		"an option needs a name and a value"
	check_eq "nine options" \
		"$(ynl_err "[$(for i in 1 2 3 4 5 6 7 8 9; do printf '{"name": "o%d", "value": "v"},' $i; done | sed 's/,$//')]" 'at most 8 options')" \
		"at most 8 options"
	check_eq "a backend without options refuses any" \
		"$(ynl_err '[{"name": "mtu", "value": "1500"}]' 'backend dma takes no options (mtu given)')" \
		"backend dma takes no options (mtu given)"
	check_eq "none of them created anything" "$($S -j slice show)" "$before"
else
	skip "ynl" "the kernel source's tools/net/ynl not extracted"
fi

# 9. random and malformed messages
before=$(state)
out=$("$SB_BUILD/selftests/nlfuzz" 10000 1 nope wq dwq-16 sim0.1 x)
check "10000 random messages as root get answers ($out)" test $? -eq 0
out=$($NOBODY "$SB_BUILD/selftests/nlfuzz" 3000 2 sim0 wq wq-entries dwq-16 dwq-64)
check "3000 random messages as nobody, real names ($out)" test $? -eq 0
check_eq "the state did not change" "$(state)" "$before"

# 10. 10,000 slices on a device of 16384 WQs
sb_rmmod slicesim
SB_ARGS_slicesim="wqs=16384 wq_entries=262144" sb_modprobe slicesim
check_eq "slicesim scales to 16384 WQs" \
	"$(devq '[r["total"] for r in d["resources"]]')" "[16384, 262144]"
seq 1 10000 | sed 's/.*/slice add sim0 type dwq-16 backend dma name big&/' > /tmp/add.batch
check "10000 slices are created" sh -c "$S -b /tmp/add.batch > /dev/null"
check_eq "the accountant counts them" \
	"$(devq '[r["used"] for r in d["resources"]]')" "[10000, 160000]"
check_eq "a dump returns each once" \
	"$($S -j slice show | python3 -c 'import json,sys; s=[x["name"] for x in json.load(sys.stdin)["slice"]]; print(len(s), len(set(s)), all(n.startswith("big") for n in s))')" \
	"10000 10000 True"
sed 's/^slice add sim0 type dwq-16 backend dma name/slice del/' /tmp/add.batch > /tmp/del.batch
check "and deleted" sh -c "$S -b /tmp/del.batch"
check_eq "leaving everything free" "$(devq '[r["used"] for r in d["resources"]]')" "[0, 0]"
sb_rmmod slicesim
sb_modprobe slicesim

# 11. removal with slices alive
for i in 1 2 3; do $S slice add sim0 backend dma > /dev/null; done
p0=$(cat /sys/module/sb_testbe/parameters/probes)
r0=$(cat /sys/module/sb_testbe/parameters/removes)
check "rmmod slicesim with 3 live slices" sb_rmmod slicesim
check_eq "the backend saw the 3 slices go" \
	"$(cat /sys/module/sb_testbe/parameters/removes)" "$((r0 + 3))"
check_eq "no slice is left on the bus" "$(ls /sys/bus/slicebus/devices | wc -l)" 0
check_eq "no device is left" "$($S -j dev show)" '{"dev":[]}'
check_eq "no slice is listed" "$($S -j slice show)" '{"slice":[]}'
check "slicesim reloads" sb_modprobe slicesim
check_eq "with everything free" "$(devq '[r["free"] for r in d["resources"]]')" "[8, 128]"
$S slice add sim0 backend dma name tb1 > /dev/null
$S slice add sim0 type dwq-64 backend dma name tb2 > /dev/null
check "rmmod of the backend with live slices" sb_rmmod sb_testbe
check_eq "takes its slices with it" "$(devq 'd["slices"]')" 0
check_eq "and gives their capacity back" \
	"$(devq '[r["free"] for r in d["resources"]]')" "[8, 128]"
check_eq "the backend shows as not loaded" \
	"$(devq '[b["loaded"] for b in d["backends"] if b["name"]=="dma"][0]')" False

# 12. slice classes: sim0's is "dsa" (slicebus_dsa); sb_class_test brings a
# class of its own ("sbtest") and a parent of it, tcls0
check "the DSA class module is held while sim0 exists" \
	sh -c "test \$(awk '\$1 == \"slicebus_dsa\" { print \$3 }' /proc/modules) -ge 1"
check_fail "rmmod slicebus_dsa is refused while sim0 exists" rmmod slicebus_dsa
check "load the test backend and a parent of another class" \
	sb_modprobe sb_testbe sb_class_test
check "tcls0 registers with class sbtest" test -d /sys/class/slicebus/tcls0
check_eq "slicectl shows each device's class" \
	"$(devq 'd["class"]') $(devq 'd["class"]' tcls0)" "dsa sbtest"
check "a backend serving every class takes a tcls0 slice" \
	$S slice add tcls0 backend dma name tc1
check_eq "its class state comes from the core's copy of the class ops" \
	"$(cat /sys/bus/slicebus/devices/tc1/sbtest/magic)" 0x5b7e57
check "its slice has the class's sysfs group, not the DSA queue group" \
	test ! -e /sys/bus/slicebus/devices/tc1/queue
check "DSA slices keep queue/" sh -c "$S slice add sim0 backend dma name tc2 &&
	test -f /sys/bus/slicebus/devices/tc2/queue/stats && $S slice del tc2"
$S slice del tc1
check_eq "the class's init and kill hooks ran once each" \
	"$(cat /sys/module/sb_class_test/parameters/inits /sys/module/sb_class_test/parameters/kills | tr '\n' ' ')" \
	"1 1 "
sb_rmmod sb_testbe
SB_ARGS_sb_testbe=serves=dsa
check "the test backend loads serving only dsa" sb_modprobe sb_testbe
check_eq "tcls0 has nothing available for it, sim0 has" \
	"$(devq '[t["available"]["dma"] for t in d["types"]][0]' tcls0) $(avail dwq-16 dma)" "0 8"
SB_ARGS_sb_testbe=
check_eq "a backend not serving a parent's class refuses its slices, saying why" \
	"$($S slice add tcls0 backend dma 2>&1)" \
	"Error: tcls0: backend dma does not serve slices of class sbtest"
check_eq "before the class allocated anything" \
	"$(cat /sys/module/sb_class_test/parameters/inits)" 1
check_eq "and charging nothing" "$(devq '[r["used"] for r in d["resources"]]' tcls0)" "[0]"
check "it takes DSA slices" sh -c "$S slice add sim0 backend dma name tc3 > /dev/null"
check "everything unloads" sb_rmmod sb_class_test sb_testbe slicesim slicebus_dsa slicebus

check "slicesim loads again" sb_modprobe slicesim

# 13. a backend the core did not know: its module registers a name
tbload() { SB_ARGS_sb_testbe="backend=$1" sb_modprobe sb_testbe 2> /dev/null; }
devnames() { devq '", ".join(d["types"][0]["available"]) + " / " + ", ".join(b["name"] + ("+" if b["loaded"] else "-") for b in d["backends"])'; }
check_eq "before its module loads, test is unknown" \
	"$($S dev set sim0 backend test reserve wq 1 2>&1)" \
	"Error: unknown backend test; known: vfio, vdpa, dma"
$S -j monitor > /tmp/mon4.json 2>&1 &
mon=$!
sleep 0.5
check "sb_testbe registers backend test" tbload test
check_eq "available and backends[] list it after the three" "$(devnames)" \
	"vfio, vdpa, dma, test / vfio-, vdpa-, dma-, test+"
check "reserve 2 wq for test" $S dev set sim0 backend test reserve wq 2
check_eq "the reservation holds capacity from the others" "$(avail dwq-16 dma)" 6
check "limit test to 3 wq" $S dev set sim0 backend test limit wq 3
check_eq "test's availability is capped by its limit" "$(avail dwq-16 test)" 3
for i in 1 2 3; do $S slice add sim0 backend test name t$i > /dev/null; done
check_eq "slices of backend test" "$($S slice show t1)" \
	"t1: dev sim0 type dwq-16 backend test handle test:t1"
check_eq "sysfs names the backend" "$(cat /sys/bus/slicebus/devices/t2/backend)" test
check_eq "the accountant charges them to test" \
	"$(devq '[b["used"]["wq"] for b in d["backends"] if b["name"]=="test"][0]')" 3
check_eq "the fourth is refused at test's limit" \
	"$($S slice add sim0 backend test 2>&1)" \
	"Error: sim0: backend test at its wq limit (1 needed, 0 left)"
check_eq "others see what test holds" "$(avail dwq-16 vfio)" 5
check "a test slice is deleted" $S slice del t3
if [ -f "$YNL_DIR/cli.py" ]; then
	check "ynl: reserve for test" \
		ynl --do dev-set --json '{"name": "sim0", "backend": "test", "reserve": [{"name": "wq", "value": 3}]}'
	check_eq "slicectl sees ynl's reservation" \
		"$(devq '[b["reserve"]["wq"] for b in d["backends"] if b["name"]=="test"][0]')" 3
	out=$(ynl --do slice-new --json '{"dev": "sim0", "backend": "test", "name": "ynl4"}' 2>&1)
	check "ynl: a slice of backend test" sh -c "echo \"$out\" | grep -q \"'backend': 'test'\""
	check_eq "ynl: the dump lists test's availability of both types" \
		"$(ynl --dump dev-get 2>&1 | grep -o "'backend': 'test'" | wc -l)" 2
	check "ynl: delete it" ynl --do slice-del --json '{"name": "ynl4"}'
	check_eq "ynl: an unknown backend's extack names the known ones" \
		"$(ynl --do slice-new --json '{"dev": "sim0", "backend": "nope"}' 2>&1 | grep -o 'unknown backend nope; known: vfio, vdpa, dma, test' | head -n 1)" \
		"unknown backend nope; known: vfio, vdpa, dma, test"
else
	skip "ynl and backend test" "the kernel source's tools/net/ynl not extracted"
fi
$S slice del t1
$S slice del t2
sleep 0.5
kill "$mon"
events=$(python3 -c '
import json
for l in open("/tmp/mon4.json"):
    e = json.loads(l); o = e.get("slice") or e.get("dev")
    print(e["event"], o["name"], o.get("backend", ""))' | grep -v '^dev-change' | head -n 3 | tr '\n' ';')
check_eq "events carry backend test" "$events" \
	"slice-new t1 test;slice-new t2 test;slice-new t3 test;"
check_eq "its registration was announced first" \
	"$(head -n 1 /tmp/mon4.json | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["event"], list(e["dev"]["types"][0]["available"]))')" \
	"dev-change ['vfio', 'vdpa', 'dma', 'test']"
check "rmmod of the test backend" sb_rmmod sb_testbe
check_eq "forgets the name" "$(devnames)" "vfio, vdpa, dma / vfio-, vdpa-, dma-"
check_eq "and its reservation" "$(avail dwq-16 dma)" 8
check_eq "which cannot be set any more" \
	"$($S dev set sim0 backend test reserve wq 1 2>&1)" \
	"Error: unknown backend test; known: vfio, vdpa, dma"

# 14. names a backend module may not register
dmesg -C
check_fail "a second driver of one name is refused" tbload test,test
check "with a message" sh -c "dmesg | grep -q 'slicebus: backend test is registered already (sb_testbe)'"
check_fail "an invalid name is refused" tbload bad/name
check "with a message" sh -c "dmesg | grep -q 'backend name \"bad/name\" is not 1-63 of'"
check_fail "a 64-character name is refused" tbload "$(printf 'n%.0s' $(seq 64))"
# 63-character names: a device's message outgrows a page
long=$(printf 'l%.0s' $(seq 61))
names=$(seq -s, -f "$long%.0f" 10 22)
check "13 new names fit next to the three" tbload "$names"
check_eq "all 16 are listed" "$(devq 'len(d["backends"]), len(d["types"][0]["available"])')" "16 16"
check "and in a dump" sh -c "$S -j dev show | grep -q '\"${long}22\"'"
check_eq "a dump on a socket that never received holds the device" \
	"$(python3 "$SB_TOP/selftests/progs/nlraw.py" fresh-dump)" 1
check "the last of them takes a slice" $S slice add sim0 backend "${long}22" name last
check "slicectl deletes it" $S slice del last
sb_rmmod sb_testbe
check_fail "a 17th name is refused" tbload "$names,x13"
check "with a message" sh -c "dmesg | grep -q 'slicebus: backend x13 refused: all 16 backend names are taken'"
check_eq "refused loads leave only the three" "$(devnames)" "vfio, vdpa, dma / vfio-, vdpa-, dma-"
check "everything unloads" sb_rmmod slicesim slicebus_dsa slicebus
done_testing
