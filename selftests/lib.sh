# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the in-VM selftests (POSIX sh).  Source it, call the
# checks, end with `done_testing`.
#
#   ok COND_STATUS "description"     -- 0 means pass
#   check "description" CMD...       -- pass when CMD exits 0
#   check_fail "description" CMD...  -- pass when CMD exits non-zero
#   check_eq "description" GOT WANT
#   skip "description" "reason"

SB_TOP=${SB_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
SB_BUILD=${SB_BUILD:-$SB_TOP/build}
SLICECTL=${SLICECTL:-$SB_BUILD/slicectl}
_tap_n=0
_tap_fail=0

ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_fail=$((_tap_fail + 1))
	fi
}

check() {
	_d=$1
	shift
	_out=$("$@" 2>&1)
	_rc=$?
	[ "$_rc" -eq 0 ] || printf '%s\n' "$_out" | sed 's/^/# /' | head -n 20
	ok "$_rc" "$_d"
}

check_fail() {
	_d=$1
	shift
	if _out=$("$@" 2>&1); then
		printf '%s\n' "$_out" | sed 's/^/# unexpectedly succeeded: /' | head -n 5
		ok 1 "$_d"
	else
		ok 0 "$_d"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok 0 "$1"
	else
		echo "# got:  $2"
		echo "# want: $3"
		ok 1 "$1"
	fi
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

diag() {
	echo "# $*"
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
}

# Path of one of our modules, empty for the kernel's own.
sb_ko() {
	case "$1" in
	slicebus) echo "$SB_TOP/slicebus/slicebus.ko" ;;
	slicesim) echo "$SB_TOP/drivers/slicesim/slicesim.ko" ;;
	slicebus_idxd) echo "$SB_TOP/drivers/idxd/slicebus_idxd.ko" ;;
	slicebus_dsa) echo "$SB_TOP/slicebus/dsa/slicebus_dsa.ko" ;;
	slicebus_vfio | slicebus_vdpa | slicebus_dma)
		echo "$SB_TOP/slicebus/backends/$1.ko" ;;
	sb_*) echo "$SB_TOP/selftests/modules/$1.ko" ;;
	esac
}

# Load modules from this build (with what they depend on and their "pre:"
# soft dependencies, as modprobe would; ours through insmod, the kernel's
# through modprobe).  Arguments for one of ours come from SB_ARGS_<module>.
sb_modprobe() {
	local _m _ko _d _args
	for _m in "$@"; do
		_ko=$(sb_ko "$_m")
		if [ -z "$_ko" ]; then
			modprobe "$_m" || return 1
			continue
		fi
		grep -q "^$_m " /proc/modules && continue
		for _d in $(modinfo -F depends "$_ko" | tr , ' ') \
			  $(modinfo -F softdep "$_ko" | sed -n 's/^pre: *//p'); do
			sb_modprobe "$_d" || return 1
		done
		_args=$(eval echo "\${SB_ARGS_$_m:-}")
		# shellcheck disable=SC2086
		insmod "$_ko" $_args || return 1
	done
}

# Remove modules in the order given, if loaded.
sb_rmmod() {
	for _m in "$@"; do
		if grep -q "^$_m " /proc/modules; then
			rmmod "$_m" || return 1
		fi
	done
}

# Bind vdpa device $1 to vdpa driver $2 (virtio_vdpa, vhost_vdpa).
vdpa_bind() {
	_cur=$(basename "$(readlink "/sys/bus/vdpa/devices/$1/driver" 2>/dev/null)" 2>/dev/null)
	[ "$_cur" = "$2" ] && return 0
	[ -n "$_cur" ] && echo "$1" > "/sys/bus/vdpa/drivers/$_cur/unbind"
	echo "$1" > "/sys/bus/vdpa/drivers/$2/bind"
}

# Run a command with a JSON result and print one field via python3.
sb_json() {
	_expr=$1
	shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); print($_expr)"
}
