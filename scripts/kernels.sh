#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The other kernels slicebus is built and tested on (6.12 is the machine's
# own Debian 12 kernel, see setup.sh).  Cached in $SB_KERNELS_CACHE
# (default /var/cache/slicebus-kernels; not under /tmp, /var/tmp, /run,
# /root or /home, which the test VM covers with tmpfs).  Idempotent.
#
#   kernels.sh [-s] RELEASE   fetch and extract Debian's image, modules,
#                             headers and kbuild of RELEASE (6.18, 7.3 or a
#                             full release such as 7.3.4+deb13-amd64); -s:
#                             linux-source too.  Prints the kernel release,
#                             then, on its last line, the build dir (KDIR).
#   kernels.sh root           set up the trixie build root (gcc-14: the
#                             compiler these kernels were built with);
#                             prints its path
#   kernels.sh run CMD...     run CMD in the build root, in the current
#                             directory (in the repo or the cache), with
#                             the repo and the cache mounted at the same
#                             paths as outside
#
# Packages come from trixie-backports through a private apt list and state
# dir: the machine's own apt sources stay bookworm's.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SB_KERNELS_CACHE:-/var/cache/slicebus-kernels}
mirror=${SB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=trixie-backports
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
broot=$cache/trixie-root
# what the build root needs to build modules like a Debian kernel package,
# and to check them (sparse) and build them as a user would (dkms)
broot_pkgs="gcc-14 make libelf-dev bc flex bison libssl-dev kmod python3 pahole cpio xz-utils sparse dkms"

log() { echo "kernels: $*" >&2; }
die() { log "$*"; exit 1; }

# A pinned release per branch, so every run builds against the same headers;
# a full release string picks another one.
kver_of() {
	case $1 in
	6.18) echo 6.18.12+deb13-amd64 ;;
	7.3) echo 7.3.4+deb13-amd64 ;;
	*+deb*-amd64) echo "$1" ;;
	*) die "unknown release '$1' (6.18, 7.3 or e.g. 7.3.4+deb13-amd64)" ;;
	esac
}

apt_priv() {
	cmd=$1
	shift
	"$cmd" -q -o Dir::Etc::sourcelist="$cache/apt/sources.list" \
		-o Dir::Etc::sourceparts=- -o Dir::State="$cache/apt" \
		-o Dir::State::Lists="$cache/apt/lists" \
		-o Dir::State::status="$cache/apt/status" \
		-o Dir::Cache="$cache/apt" -o APT::Architecture=amd64 \
		-o Acquire::Languages=none -o APT::Sandbox::User=root "$@"
}

# private apt state; the index is refreshed at most once a day
apt_setup() {
	mkdir -p "$cache/apt/lists/partial" "$cache/apt/archives/partial"
	[ -f "$cache/apt/status" ] || : > "$cache/apt/status"
	{
		echo "deb [signed-by=$keyring] $mirror $suite main"
		echo "deb-src [signed-by=$keyring] $mirror $suite main"
	} > "$cache/apt/sources.list.new"
	if ! cmp -s "$cache/apt/sources.list.new" "$cache/apt/sources.list" 2>/dev/null; then
		mv "$cache/apt/sources.list.new" "$cache/apt/sources.list"
		rm -f "$cache/apt/updated"
	else
		rm -f "$cache/apt/sources.list.new"
	fi
	if [ -z "$(find "$cache/apt/updated" -mtime -1 2>/dev/null)" ]; then
		apt_priv apt-get update >&2 || die "apt-get update ($suite) failed"
		touch "$cache/apt/updated"
	fi
}

# the version of a package in $suite, empty if it is not there
pkg_version() {
	apt_priv apt-cache show "$1" 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V | tail -n 1
}

# The packages were made for / and may name /usr/src/linux-headers-X and
# /usr/lib/linux-kbuild-X absolutely (the headers' Makefile includes the
# -common one; older packages also had absolute build/source links): point
# them into the extracted tree $1.  Links become relative, so the tree also
# works where it is bind-mounted; the Makefiles get the tree's own path.
relink() {
	find "$1" -type l | while read -r l; do
		t=$(readlink "$l")
		case $t in /*) ;; *) continue ;; esac
		# merged /usr: /lib/modules is usr/lib/modules in the packages
		if [ -e "$1$t" ] || [ -L "$1$t" ]; then
			t=$1$t
		elif [ -e "$1/usr$t" ]; then
			t=$1/usr$t
		else
			continue
		fi
		ln -sfn "$(realpath -s --relative-to="$(dirname "$l")" "$t")" "$l"
	done
	[ -d "$1/usr/src" ] || return 0
	find "$1/usr/src" -maxdepth 2 -name Makefile | while read -r m; do
		sed -i "s@\(^\|[ =]\)/usr/\(src\|lib\)/linux-@\1$1/usr/\2/linux-@g" "$m"
	done
}

# 6.18's headers, kbuild and linux-source left the archive when 7.3 came to
# trixie-backports; its (signed) image stayed, and so did the upstream
# tarball of its source, which the image names in Built-Using (its Debian
# patches, linux_*.debian.tar.xz, did not).  Make the build dir from that
# tarball and the image's config, with the build root's gcc-14, as the
# kernel was built: enough to build and load modules (no modversions in
# Debian's 6.18), but there is no Module.symvers (modpost cannot check
# symbols) and no vmlinux: take vmlinux out of the image (its sections stay,
# .BTF and the export tables among them: BTF for the modules) and make
# Module.symvers from its exports and the modules' (symvers.py).
headers_from_orig() {
	srcver=$(apt_priv apt-cache show "linux-image-$kver=$2" |
		sed -n 's/^Built-Using: .*linux (= \([^)]*\)).*/\1/p' | head -n 1)
	[ -n "$srcver" ] || die "linux-image-$kver names no linux source"
	up=${srcver%-*}
	tree=$dir/linux-$up
	if [ ! -f "$tree/.prepared" ] || [ "$(cat "$tree/.prepared")" != "$srcver" ]; then
		uri=$(apt_priv apt-get source --print-uris "linux=$srcver" 2>/dev/null |
			grep "linux_$up.orig.tar" | head -n 1)
		[ -n "$uri" ] || die "no source tarball for linux $srcver in $suite"
		# 'URL' file size hash
		# shellcheck disable=SC2086
		set -- $uri
		url=$(echo "$1" | tr -d "'")
		mkdir -p "$dir/debs"
		[ -f "$dir/debs/$2" ] ||
			/usr/lib/apt/apt-helper -o APT::Sandbox::User=root download-file "$url" "$dir/debs/$2" "$4" >&2 ||
			die "downloading $url failed"
		log "extracting $2 and preparing it for modules (a few minutes)"
		rm -rf "$tree"
		tar -xJf "$dir/debs/$2" -C "$dir"
		[ -f "$tree/Makefile" ] || die "$2 has no linux-$up/"
		cp "$dir/root/boot/config-$kver" "$tree/.config"
		# the release string of the image: Debian puts its ABI suffix here
		sed -i "s/^CONFIG_LOCALVERSION=.*/CONFIG_LOCALVERSION=\"${kver#"$up"}\"/" "$tree/.config"
		(cd "$tree" && run nice -n 10 sh -c 'make -s olddefconfig && make -s -j2 modules_prepare') >&2 ||
			die "modules_prepare in $tree failed"
		r=$(cd "$tree" && run make -s kernelrelease)
		[ "$r" = "$kver" ] || die "$tree says it is $r, not $kver"
		echo "$srcver" > "$tree/.prepared"
	fi
	if [ ! -s "$tree/Module.symvers" ] || [ "$tree/.prepared" -nt "$tree/Module.symvers" ]; then
		sh "$tree/scripts/extract-vmlinux" "$dir/root/boot/vmlinuz-$kver" > "$tree/vmlinux.new" ||
			die "cannot extract vmlinux from vmlinuz-$kver"
		mv "$tree/vmlinux.new" "$tree/vmlinux"
		python3 "$top/scripts/symvers.py" "$tree/vmlinux" "$dir/root/usr/lib/modules/$kver" \
			> "$tree/Module.symvers.new" || die "making Module.symvers for $kver failed"
		mv "$tree/Module.symvers.new" "$tree/Module.symvers"
	fi
	m=$dir/root/usr/lib/modules/$kver
	mkdir -p "$m"
	ln -sfn "$(realpath -s --relative-to="$m" "$tree")" "$m/build"
	ln -sfn build "$m/source"
}

fetch() {
	with_src=$1
	rel=$2
	kver=$(kver_of "$rel")
	branch=${kver%%.*}.$(echo "$kver" | cut -d. -f2)
	abi=${kver%-amd64}
	dir=$cache/$branch
	apt_setup
	# 7.x splits the image into base, binary (vmlinuz) and modules;
	# 6.18 still ships them in the image package
	pkgs="linux-image-$kver linux-headers-$kver linux-headers-$abi-common linux-kbuild-$abi"
	for p in "linux-base-$kver" "linux-binary-$kver" "linux-modules-$kver"; do
		[ -n "$(pkg_version "$p")" ] && pkgs="$pkgs $p"
	done
	want=""
	missing=""
	orig=""
	for p in $pkgs; do
		v=$(pkg_version "$p")
		if [ -n "$v" ]; then
			want="$want $p=$v"
			continue
		fi
		case $p in
		# see headers_from_orig
		linux-headers-* | linux-kbuild-* | linux-source-*) orig=1 ;;
		*) missing="$missing $p" ;;
		esac
	done
	[ -z "$missing" ] || die "not in $suite:$missing"
	[ -z "$orig" ] || log "no headers for $kver in $suite: making them from its source"
	stamp="$dir/.stamp"
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
		mkdir -p "$dir/debs"
		(cd "$dir/debs" &&
			for pv in $want; do
				p=${pv%%=*}
				v=${pv#*=}
				# apt's file names carry the epoch-less version, ':' as %3a
				ls "${p}_$(echo "${v#*:}" | sed 's/:/%3a/g')"_*.deb > /dev/null 2>&1 ||
					apt_priv apt-get download "$pv" >&2 ||
					die "apt-get download $pv failed"
			done)
		log "extracting into $dir/root"
		rm -rf "$dir/root"
		mkdir -p "$dir/root"
		for pv in $want; do
			p=${pv%%=*}
			case $p in linux-source-*) continue ;; esac
			dpkg-deb -x "$dir/debs/${p}_"*.deb "$dir/root"
		done
		relink "$dir/root"
		# what the packages' postinst would do: the test VM's modprobe
		# needs modules.dep (trixie's depmod, as the kernel's own would be)
		(cd "$dir" && run depmod -b "$dir/root/usr" "$kver") ||
			die "depmod $kver failed"
		echo "$want" > "$stamp"
	fi
	# the source tarball only, on its own stamp: -s or not keeps the rest
	if [ "$with_src" = 1 ] && [ -z "$orig" ]; then
		p=linux-source-$branch
		v=$(pkg_version "$p")
		[ -n "$v" ] || die "$p is not in $suite"
		if [ "$(cat "$dir/src/.stamp" 2>/dev/null)" != "$v" ]; then
			(cd "$dir/debs" && apt_priv apt-get download "$p=$v" >&2) ||
				die "apt-get download $p=$v failed"
			rm -rf "$dir/src"
			mkdir -p "$dir/src"
			dpkg-deb --fsys-tarfile "$dir/debs/${p}_"*.deb |
				tar -x -C "$dir/src" --wildcards './usr/src/linux-source-*.tar.xz' \
					--strip-components=3
			echo "$v" > "$dir/src/.stamp"
		fi
	fi
	if [ -n "$orig" ]; then
		headers_from_orig "$kver" "$(pkg_version "linux-image-$kver")"
		[ "$with_src" = 0 ] || log "no linux-source: the source is $tree"
	fi
	kdir=$dir/root/usr/lib/modules/$kver/build
	[ -e "$kdir" ] || kdir=$dir/root/lib/modules/$kver/build
	[ -f "$kdir/Makefile" ] || die "$kdir has no Makefile"
	echo "$kver"
	realpath "$kdir"
}

# A minimal trixie with Debian's gcc-14, once.  bookworm has no gcc-14 and
# the 6.18/7.3 headers' flags are gcc-14's; the kbuild binaries want
# trixie's glibc too.
root() {
	if [ ! -f "$broot/.stamp" ] || [ "$(cat "$broot/.stamp")" != "$broot_pkgs" ]; then
		command -v debootstrap > /dev/null || {
			log "installing debootstrap"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
		}
		if [ ! -x "$broot/usr/bin/apt-get" ]; then
			rm -rf "$broot"
			log "debootstrap trixie into $broot"
			debootstrap --variant=minbase trixie "$broot" "$mirror" >&2 ||
				die "debootstrap failed (log: $broot/debootstrap/debootstrap.log)"
		fi
		# shellcheck disable=SC2086
		in_root sh -c "export DEBIAN_FRONTEND=noninteractive &&
			apt-get -q update && apt-get install -y -q --no-install-recommends $broot_pkgs &&
			ln -sf gcc-14 /usr/bin/gcc && ln -sf gcc-14 /usr/bin/cc && apt-get clean" >&2 ||
			die "installing the build root's packages failed"
		echo "$broot_pkgs" > "$broot/.stamp"
	fi
	echo "$broot"
}

# Run "$@" chrooted in the build root in a private mount namespace: the bind
# mounts go away with the command, whatever happens to it.
in_root() {
	cwd=$(pwd)
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private sh -eu -c '
		r=$1; shift
		cache=$1; shift
		top=$1; shift
		cwd=$1; shift
		mount -t proc proc "$r/proc"
		mount --rbind /dev "$r/dev"
		mount --rbind /sys "$r/sys"
		cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || :
		for d in "$cache" "$top"; do
			mkdir -p "$r$d"
			mount --bind "$d" "$r$d"
		done
		exec chroot "$r" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
	' sh "$broot" "$cache" "$top" "$cwd" "$@"
}

run() {
	[ $# -gt 0 ] || die "run: no command"
	[ -f "$broot/.stamp" ] || root > /dev/null
	in_root env -u LANG -u LC_ALL PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# one fetch or build-root set-up at a time (lanes run side by side);
# commands run in the root do not wait for each other
lock() {
	mkdir -p "$cache"
	exec 9> "$cache/.lock"
	flock 9
}

[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get, dpkg-deb -x, chroot)"
case ${1:-} in
root) lock; root ;;
run) shift; [ -f "$broot/.stamp" ] || { lock; root > /dev/null; exec 9>&-; }; run "$@" ;;
-s) [ $# -eq 2 ] || die "usage: kernels.sh [-s] RELEASE"; lock; fetch 1 "$2" ;;
'' | -h | --help) sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
*) [ $# -eq 1 ] || die "usage: kernels.sh [-s] RELEASE"; lock; fetch 0 "$1" ;;
esac
