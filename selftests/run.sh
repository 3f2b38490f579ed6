#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The slicebus test suite: host unit tests, then the in-VM TAP groups
# (one VM boot per group).  Ends with one line "N passed, N failed, N skipped".
#
# usage: selftests/run.sh [GROUP...]     e.g. selftests/run.sh core
# groups: host, fuzz, static, vm, e2e (make check-e2e), and every selftests/t-NAME.sh (as NAME)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
export SB_TOP=$top SB_BUILD=$build
pass=0 fail=0 skipped=0
failures=()	# one line per failure, repeated at the end of the run

# Count the TAP lines of one group's output (stdin), echoing them.
tally() {
	local group=$1 line
	while IFS= read -r line; do
		case "$line" in
		"ok "*"# SKIP"*) skipped=$((skipped + 1)); echo "$group: $line" ;;
		"ok "*) pass=$((pass + 1)); echo "$group: $line" ;;
		"not ok "*) fail=$((fail + 1)); failures+=("$group: $line")
			echo "$group: $line" ;;
		*) echo "$group: $line" ;;
		esac
	done
}

# One result computed on the host.
result() {
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1)); echo "$2: ok - $3"
	else
		fail=$((fail + 1)); failures+=("$2: not ok - $3")
		echo "${failures[-1]}"
	fi
}

run_host() {
	tally host < <("$build/selftests/acct_test" 2>&1)
	tally host < <("$build/selftests/xlate_test" 2>&1)
	tally host < <("$build/selftests/idxd_layout_test" 2>&1)
}

# libFuzzer on the accountant, slicectl's parser and the descriptor parser, for a bounded time.
run_fuzz() {
	local t=${SB_FUZZ_SECONDS:-10} f out rc
	if ! command -v clang > /dev/null ||
	   ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
		clang -fsanitize=fuzzer -x c - -o /dev/null > /dev/null 2>&1; then
		skipped=$((skipped + 1))
		echo "fuzz: ok - libFuzzer harnesses # SKIP clang with libFuzzer not available"
		return
	fi
	# with libFuzzer there, a harness that does not build is a failure
	if ! out=$(make -s -C "$top/selftests/fuzz" BUILD="$build" 2>&1); then
		fail=$((fail + 1))
		failures+=("fuzz: not ok - the libFuzzer harnesses build")
		echo "fuzz: not ok - the libFuzzer harnesses build"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/fuzz: # /'
		return
	fi
	for f in acct slicectl xlate; do
		mkdir -p "$build/fuzz/corpus.$f"
		[ -d "$top/selftests/fuzz/seeds/$f" ] &&
			cp "$top/selftests/fuzz/seeds/$f/"* "$build/fuzz/corpus.$f/"
		out=$(cd "$build/fuzz" && timeout $((t + 60)) "./${f}_fuzz" \
			-max_total_time="$t" -close_fd_mask=1 "corpus.$f" 2>&1)
		rc=$?
		result $rc fuzz "libFuzzer on $f for $t s: $(echo "$out" | grep -o 'Done [0-9]* runs' | tail -n 1)"
		[ $rc -eq 0 ] || echo "$out" | grep -v '^Error:' | grep -A20 'ERROR' |
			head -n 30 | sed 's/^/fuzz: # /'
	done
}

run_static() {
	tally static < <("$top/scripts/static-check.sh" 2>&1)
}

# The VM runner itself: status, splat detector, timeout.
run_vm() {
	local out rc
	out=$("$top/selftests/vm/vm-run.sh" 'uname -r' 2>&1)
	result $? vm "vm-run 'uname -r' succeeds"
	[ "$(echo "$out" | tail -n 1)" = "${KVER:-$("$top/scripts/setup.sh" | tail -n 1)}" ]
	result $? vm "vm-run prints the kernel release the lane boots ($out)"
	out=$("$top/selftests/vm/vm-run.sh" 'exit 7' 2>&1)
	rc=$?
	[ "$rc" -eq 7 ]
	result $? vm "vm-run exits with the command's status (7, got $rc)"
	[ "$rc" -eq 7 ] || echo "$out" | tail -n 20 | sed 's/^/vm: # /'
	[ "$rc" -eq 7 ] || failures+=("$(echo "$out" | grep -E -m 4 'vm-run:|WARNING|BUG|Oops|RIP:|panic' | sed 's/^/vm: #   /')")
	out=$("$top/selftests/vm/vm-run.sh" "insmod $top/selftests/modules/sb_warn.ko" 2>&1)
	rc=$?
	[ "$rc" -ne 0 ] && echo "$out" | grep -q 'kernel splat' &&
		echo "$out" | grep -q 'deliberate warning'
	result $? vm "a WARN in the guest fails the run and is printed (status $rc)"
	! echo "$out" | grep -q 'booting it again'
	result $? vm "a guest that crashed running its command is not booted again"
	# no init at all: the kernel panics before anything ran
	out=$(VM_TIMEOUT=60 VM_APPEND="rdinit=/no-such-init init=/no-such-init" \
		"$top/selftests/vm/vm-run.sh" true 2>&1)
	rc=$?
	[ "$rc" -ne 0 ] && [ "$(echo "$out" | grep -c 'booting it again')" -eq 1 ] &&
		echo "$out" | grep -q 'vm-run: |.*Kernel panic'
	result $? vm "a guest kernel that dies while booting is booted once more, its first console printed (status $rc)"
	out=$(VM_TIMEOUT=20 "$top/selftests/vm/vm-run.sh" 'sleep 600' 2>&1)
	rc=$?
	if ! echo "$out" | grep -q 'timed out'; then
		# the guest stopped before it hung (a boot that failed on an
		# overloaded host): the timeout was not tried; once more
		echo "$out" | tail -n 8 | sed 's/^/vm: # first try: /'
		out=$(VM_TIMEOUT=30 "$top/selftests/vm/vm-run.sh" 'sleep 600' 2>&1)
		rc=$?
	fi
	[ "$rc" -ne 0 ] && echo "$out" | grep -q 'timed out'
	result $? vm "a hung guest is killed after the timeout and reported"
}

run_group() {
	local g=$1 script=${2:-$top/selftests/t-$1.sh} log rc
	log=$(mktemp)
	# a group's own QEMU devices: a "# vm-args: ..." line in its script
	VM_QEMU_ARGS="${VM_QEMU_ARGS:-} $(sed -n 's/^# vm-args: //p' "$script")" \
		"$top/selftests/vm/vm-run.sh" "sh $script" > "$log" 2> "$log.err"
	rc=$?
	tally "$g" < "$log"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$log"; then
		fail=$((fail + 1))
		failures+=("$g: not ok - group exited with status $rc after $(grep -c '^\(not \)\?ok' "$log") checks")
		echo "${failures[-1]}"
	fi
	if grep -q 'kernel splat\|timed out\|without reporting' "$log.err"; then
		sed "s/^/$g: # /" "$log.err" | head -n 60
		if grep -q '^not ok' "$log"; then
			fail=$((fail + 1))
			failures+=("$g: not ok - guest kernel log clean")
			echo "${failures[-1]}"
		fi
		# the first lines of the report, again at the end of the run
		failures+=("$(grep -E -m 6 'vm-run:|WARNING|BUG|Oops|RIP:|panic|lock|leak|KASAN|UBSAN|blocked' "$log.err" | sed "s/^/$g: #   /")")
	fi
	rm -f "$log" "$log.err"
}

groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
	groups=(host fuzz static vm)
	for t in "$top"/selftests/t-*.sh; do
		t=${t##*/t-}
		groups+=("${t%.sh}")
	done
	groups+=(e2e)
fi

start=$SECONDS
for g in "${groups[@]}"; do
	gstart=$SECONDS
	case "$g" in
	host) run_host ;;
	static) run_static ;;
	fuzz) run_fuzz ;;
	e2e)
		# nested TCG only boots with this CPU model at both levels
		VM_CPU=qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt VM_MEM=3G \
		VM_TIMEOUT=${VM_TIMEOUT:-1500} run_group e2e "$top/selftests/e2e/e2e-l1.sh"
		;;
	vm) run_vm ;;
	*)
		if [ -f "$top/selftests/t-$g.sh" ]; then
			run_group "$g"
		else
			fail=$((fail + 1)); echo "$g: not ok - no such test group"
		fi
		;;
	esac
	echo "$g: # $((SECONDS - gstart)) s"
done
echo "# $((SECONDS - start)) s"
if [ ${#failures[@]} -gt 0 ]; then
	echo "# failures:"
	printf '%s\n' "${failures[@]}" | grep -v '^$' | head -n 20
fi
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
