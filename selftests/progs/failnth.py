#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Systematic allocation-failure injection into one slice operation.

For N = 1, 2, ... the N-th fault-injection point (failslab) of the one
system call that performs the operation is made to fail (through
/proc/thread-self/fail-nth), until an attempt completes without reaching
the N-th point.  After every attempt the state is checked and restored
without injection: a creation that failed left nothing behind, one that
succeeded is undone; a deletion that failed left the slice whole.

usage: failnth.py OP ARGS...
  sb-new DEV BACKEND NAME      slicebus netlink slice-new (then slice-del)
  sb-del DEV BACKEND NAME      slice-new without, slice-del with failures
  vdpa-new MGMTDEV NAME        vdpa netlink dev add (then dev del)
  mdev-new TYPEDIR             write a UUID to TYPEDIR/create (then remove)

Prints "points N ok M failed F bad B" (B: attempts after which the state
was wrong, with a line each) and exits 1 when B > 0.
"""
import errno
import os
import socket
import struct
import sys
import uuid

NETLINK_GENERIC = 16
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2

SB_CMD_SLICE_NEW, SB_CMD_SLICE_DEL, SB_CMD_SLICE_GET = 3, 4, 5
SB_A_SLICE_NAME, SB_A_SLICE_DEV, SB_A_SLICE_BACKEND = 1, 2, 4
VDPA_CMD_DEV_NEW, VDPA_CMD_DEV_DEL, VDPA_CMD_DEV_GET = 3, 4, 5
VDPA_A_MGMTDEV_DEV_NAME, VDPA_A_DEV_NAME = 2, 4
MAX_POINTS = 5000


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


def astr(kind, s):
    return attr(kind, s.encode() + b"\0")


class Genl:
    def __init__(self, family):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.seq = 0
        self.id = GENL_ID_CTRL
        reply = self.request(CTRL_CMD_GETFAMILY,
                             astr(CTRL_ATTR_FAMILY_NAME, family), 1)
        if isinstance(reply, int):
            raise OSError(-reply, f"no genetlink family {family}")
        off = 20
        while off < len(reply):
            n, kind = struct.unpack_from("HH", reply, off)
            if kind == CTRL_ATTR_FAMILY_ID:
                self.id = struct.unpack_from("H", reply, off + 4)[0]
            off += (n + 3) & ~3

    def request(self, cmd, attrs, version=1):
        """Send one request; the reply message, or -errno."""
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + attrs
        msg = struct.pack("IHHII", 16 + len(body), self.id,
                          NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body
        data = None
        try:
            self.sock.send(msg)
        except OSError as e:
            return -e.errno
        while True:
            try:
                buf = self.sock.recv(65536)
            except OSError as e:
                # the ack itself could not be allocated: outcome unknown
                return -e.errno
            off = 0
            while off < len(buf):
                n, kind, _, seq, _ = struct.unpack_from("IHHII", buf, off)
                if kind == NLMSG_ERROR and seq == self.seq:
                    err = struct.unpack_from("i", buf, off + 16)[0]
                    return err if err else (data or b"")
                if seq == self.seq:
                    data = buf[off:off + n]
                off += (n + 3) & ~3


class FailNth:
    """/proc/thread-self/fail-nth; with FAILNTH_DRY=1, one attempt without
    injection (to check the operations on a kernel without it)."""
    def __init__(self):
        self.dry = os.environ.get("FAILNTH_DRY") == "1"
        if not self.dry:
            self.fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)

    def arm(self, n):
        if not self.dry:
            os.pwrite(self.fd, str(n).encode(), 0)

    def fired(self):
        if self.dry:
            return False
        left = int(os.pread(self.fd, 32, 0))
        os.pwrite(self.fd, b"0", 0)
        return left == 0


def main():
    op, args = sys.argv[1], sys.argv[2:]
    fn = FailNth()
    bad = []
    ok = failed = 0

    if op in ("sb-new", "sb-del"):
        sb = Genl("slicebus")
        dev, backend, name = args
        new = (astr(SB_A_SLICE_BACKEND, backend) +
               astr(SB_A_SLICE_DEV, dev) + astr(SB_A_SLICE_NAME, name))
        by_name = astr(SB_A_SLICE_NAME, name)

        def exists():
            return not isinstance(sb.request(SB_CMD_SLICE_GET, by_name), int)
        if op == "sb-new":
            def setup():
                pass

            def attempt():
                return sb.request(SB_CMD_SLICE_NEW, new)

            def undo():
                return sb.request(SB_CMD_SLICE_DEL, by_name)
            gone_after_fail = True
        else:
            def setup():
                return sb.request(SB_CMD_SLICE_NEW, new)

            def attempt():
                return sb.request(SB_CMD_SLICE_DEL, by_name)

            def undo():
                return sb.request(SB_CMD_SLICE_DEL, by_name)
            gone_after_fail = False
    elif op == "vdpa-new":
        vd = Genl("vdpa")
        mgmt, name = args
        by_name = astr(VDPA_A_DEV_NAME, name)

        def exists():
            return not isinstance(vd.request(VDPA_CMD_DEV_GET, by_name), int)

        def setup():
            pass

        def attempt():
            return vd.request(VDPA_CMD_DEV_NEW,
                              astr(VDPA_A_MGMTDEV_DEV_NAME, mgmt) + by_name)

        def undo():
            return vd.request(VDPA_CMD_DEV_DEL, by_name)
        gone_after_fail = True
    elif op == "mdev-new":
        typedir = args[0]
        name = str(uuid.uuid4())
        create = os.open(os.path.join(typedir, "create"), os.O_WRONLY)

        def exists():
            return os.path.exists(f"/sys/bus/mdev/devices/{name}")

        def setup():
            pass

        def attempt():
            try:
                os.pwrite(create, name.encode(), 0)
                return b""
            except OSError as e:
                return -e.errno

        def undo():
            with open(f"/sys/bus/mdev/devices/{name}/remove", "w") as f:
                f.write("1")
            return b""
        gone_after_fail = True
    else:
        sys.exit(f"unknown operation {op}")

    n = 0
    while n < MAX_POINTS:
        n += 1
        setup()
        fn.arm(n)
        ret = attempt()
        fired = fn.fired()
        if ret == -errno.ENOBUFS:
            # the request's outcome is unknown (its ack was lost)
            failed += 1
            if exists():
                undo()
        elif isinstance(ret, int) and ret < 0:
            failed += 1
            if ret not in (-errno.ENOMEM, -errno.ENOBUFS, -errno.EAGAIN,
                           -errno.EINTR):
                # what reached the user must still be a failure of the
                # allocation, not a confused state
                bad.append(f"point {n}: {os.strerror(-ret)}")
            there = exists()
            if there == gone_after_fail:
                bad.append(f"point {n}: failed, but the slice "
                           f"{'remains' if there else 'is gone'}")
            if there:
                undo()
        else:
            ok += 1
            if not exists() and op != "sb-del":
                bad.append(f"point {n}: succeeded, but there is no slice")
            if exists():
                undo()
        if exists():
            bad.append(f"point {n}: cannot clean up")
            break
        if not fired:
            break
    print(f"points {n} ok {ok} failed {failed} bad {len(bad)}")
    for b in bad[:20]:
        print(f"# {b}")
    sys.exit(1 if bad or n >= MAX_POINTS else 0)


if __name__ == "__main__":
    main()
