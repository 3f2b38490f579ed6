#!/bin/bash
# Boot the slicebus test VM, run a command in it as root, stream its output,
# exit with its status.  A hung guest is killed after VM_TIMEOUT seconds; a
# kernel splat in the guest log (WARN, BUG, Oops, lockdep, KASAN, kmemleak,
# hung task, ...) makes the run fail even when the command succeeded.
#
# usage: vm-run.sh 'command ...'
# environment: KVER (default: scripts/setup.sh's), VM_TIMEOUT (600),
#              VM_MEM (2G), VM_SMP (2), VM_ACCEL (auto|tcg|kvm), VM_CPU,
#              VM_KERNEL (another kernel image to boot, e.g. the debug
#              lane's) with VM_MODROOT (its /lib/modules), VM_APPEND (more
#              kernel parameters), VM_DIR (where the initramfs and the
#              run directories go: $BUILD_DIR/vm), VM_QEMU_ARGS
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$top/build}
cmd=${1:?usage: vm-run.sh COMMAND}
kver=${KVER:-$("$top/scripts/setup.sh" | tail -n 1)} || exit 1
# the initramfs carries the booted kernel's 9p modules (from the host's
# /lib/modules, or VM_MODROOT for another kernel); a kernel with 9p built
# in needs none
modroot=${VM_MODROOT:-/lib/modules}
kver_9p=$kver
kernel=${VM_KERNEL:-/boot/vmlinuz-$kver}
timeout_s=${VM_TIMEOUT:-600}
vmdir=${VM_DIR:-$build/vm}
mkdir -p "$vmdir"

initrd=$vmdir/initramfs-$kver_9p.cpio.gz
if [ ! -s "$initrd" ] || [ "$top/selftests/vm/init" -nt "$initrd" ] ||
   [ "$modroot/$kver_9p/modules.dep" -nt "$initrd" ]; then
	stage=$(mktemp -d "$vmdir/initramfs.XXXXXX")
	mkdir -p "$stage/bin" "$stage/modules"
	cp /bin/busybox "$stage/bin/busybox"
	install -m 0755 "$top/selftests/vm/init" "$stage/init"
	# in load order; init loads those that are here
	for m in fs/netfs/netfs net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p; do
		src=$modroot/$kver_9p/kernel/$m.ko
		if [ -f "$src.xz" ]; then
			xz -dc "$src.xz" > "$stage/modules/$(basename "$m").ko"
		elif [ -f "$src.zst" ]; then
			zstd -qdc "$src.zst" > "$stage/modules/$(basename "$m").ko"
		elif [ -f "$src" ]; then
			cp "$src" "$stage/modules/"
		elif ! grep -q "/$m.ko\$" "$modroot/$kver_9p/modules.builtin" 2>/dev/null; then
			echo "vm-run: $kver_9p has no $m module and does not build it in" >&2
			rm -rf "$stage"
			exit 1
		fi
	done
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp" &&
		mv "$initrd.tmp" "$initrd"
	rm -rf "$stage"
fi

run=$(mktemp -d "$vmdir/run.XXXXXX")
trap 'rm -rf "$run"' EXIT
{
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	echo "export HOME=/root TERM=dumb LANG=C.UTF-8 KVER='$kver'"
	echo "export SB_TOP='$top' SB_BUILD='$build' SB_RUN='$run'"
	# the test knobs (SB_STRESS_SECONDS, SB_UNPLUG_CYCLES, ...) go along
	for v in $(compgen -e | grep '^SB_'); do
		case $v in SB_TOP | SB_BUILD | SB_RUN) ;;
		*) printf 'export %s=%q\n' "$v" "${!v}" ;;
		esac
	done
	printf 'cd %q || exit 1\n' "$PWD"
	printf '%s\n' "$cmd"
} > "$run/cmd.sh"

accel=${VM_ACCEL:-auto}
if [ "$accel" = auto ]; then
	accel=tcg
	if [ -w /dev/kvm ]; then
		if [ ! -f "$vmdir/accel" ]; then
			echo tcg > "$vmdir/accel"
			VM_ACCEL=kvm VM_TIMEOUT=30 "$0" true > /dev/null 2>&1 &&
				echo kvm > "$vmdir/accel"
		fi
		accel=$(cat "$vmdir/accel")
	fi
fi
cpu=${VM_CPU:-max}
[ "$accel" = kvm ] && cpu=${VM_CPU:-host}

# A guest kernel that dies while it boots, before init runs the command
# (seen under TCG: an int3 or #GP from text patching while the clocksource
# or a static key changes), has tested nothing: it is booted once more, and
# the first boot's console tail is printed so that it is never hidden.
boot() {
	timeout -k 5 "$timeout_s" qemu-system-x86_64 -accel "$accel" -cpu "$cpu" \
		-m "${VM_MEM:-2G}" -smp "${VM_SMP:-2}" -display none -no-reboot \
		-monitor none -chardev stdio,id=con,signal=off -serial chardev:con \
		-serial "file:$run/console.log" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS1 loglevel=7 panic=-1 sb.run=$run sb.top=$top ${VM_MODROOT:+sb.modroot=$VM_MODROOT} ${VM_APPEND:-}" \
		-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$run,mount_tag=out,security_model=none,multidevs=remap" \
		-device virtio-rng-pci ${VM_QEMU_ARGS:-} < /dev/null
}
boot
qrc=$?
if [ ! -f "$run/started" ] && [ ! -f "$run/rc" ] &&
   [ "$qrc" -ne 124 ] && [ "$qrc" -ne 137 ]; then
	echo "vm-run: the guest kernel died while booting, before it ran anything; booting it again. First boot's console tail:" >&2
	tail -n 30 "$run/console.log" | sed 's/^/vm-run: |  /' >&2
	rm -f "$run/console.log"
	boot
	qrc=$?
fi

rc=1
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "vm-run: guest timed out after ${timeout_s}s; console tail:" >&2
	tail -n 40 "$run/console.log" >&2
elif [ ! -f "$run/rc" ]; then
	echo "vm-run: guest stopped without reporting a status; console tail:" >&2
	tail -n 40 "$run/console.log" >&2
else
	rc=$(cat "$run/rc")
fi

splat='WARNING:|BUG:|Oops|unreferenced object|general protection fault|Call Trace:|possible circular locking|possible recursive locking|inconsistent lock state|BUG: KASAN|suspected memory leak|UBSAN:|blocked for more than|ODEBUG|refcount_t:|list_(add|del) corruption|sleeping function called from invalid context|Kernel panic'
if grep -Eq "$splat" "$run/console.log"; then
	echo "vm-run: kernel splat in the guest log:" >&2
	grep -E -B2 -A12 "$splat" "$run/console.log" | head -n 80 >&2
	[ "$rc" -eq 0 ] && rc=1
fi
if [ -n "${VM_LOG:-}" ]; then
	cp "$run/console.log" "$VM_LOG"
fi
exit "$rc"
