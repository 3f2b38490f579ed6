#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Hostile slice users: each part is an attack an untrusted party (a
# vhost-vdpa process, a VFIO user, a VM) can run, and each check asserts
# that nothing outside the user's own mappings was read or written.  The
# parts live in selftests/hostile/ and share one VM boot; each leaves the
# modules unloaded.
. "$(dirname "$0")/lib.sh"
for _part in "$SB_TOP"/selftests/hostile/*.sh; do
	diag "part ${_part##*/}"
	. "$_part"
done
done_testing
