#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""vdpa devices created and deleted through the vdpa netlink family from
one process, so that a figure is the kernel's cost and not a tool's start.

  vdpa_churn.py MGMTDEV PREFIX add FIRST LAST
      add PREFIX<FIRST> .. PREFIX<LAST> on MGMTDEV (a population)
  vdpa_churn.py MGMTDEV PREFIX del FIRST LAST
      delete them again
  vdpa_churn.py MGMTDEV PREFIX cycle N
      add N devices, then delete them; prints the mean microseconds of
      one add and of one delete: "CREATE_US DESTROY_US"

Every request waits for its acknowledgement; a refusal prints the errno
and the kernel's extack message and exits 1.
"""
import os
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
# include/uapi/linux/vdpa.h
VDPA_CMD_DEV_NEW, VDPA_CMD_DEV_DEL = 3, 4
VDPA_ATTR_MGMTDEV_BUS_NAME, VDPA_ATTR_MGMTDEV_DEV_NAME = 1, 2
VDPA_ATTR_DEV_NAME = 4


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def attrs(buf):
    while len(buf) >= 4:
        n, t = struct.unpack_from("HH", buf)
        if n < 4:
            break
        yield t & 0x3fff, buf[4:n]
        buf = buf[(n + 3) & ~3:]


class Genl:
    def __init__(self, name):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0
        reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             attr(CTRL_ATTR_FAMILY_NAME,
                                  name.encode() + b"\0"), ack=False)
        for t, v in attrs(reply[20:]):
            if t == CTRL_ATTR_FAMILY_ID:
                self.family = struct.unpack("H", v[:2])[0]
                return
        raise SystemExit(f"vdpa_churn: no {name} netlink family")

    def request(self, family, cmd, payload, ack=True):
        """One request; returns the first reply that is not an error (or
        the ack), raises OSError with the extack message on a refusal."""
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        self.s.send(struct.pack("IHHII", 16 + len(body), family, flags,
                                self.seq, 0) + body)
        while True:
            data = self.s.recv(65536)
            off = 0
            while off + 16 <= len(data):
                ln, typ, _, seq, _ = struct.unpack_from("IHHII", data, off)
                msg = data[off:off + ln]
                off += (ln + 3) & ~3
                if seq != self.seq:
                    continue
                if typ != NLMSG_ERROR:
                    return msg
                err = -struct.unpack_from("i", msg, 16)[0]
                if err == 0:
                    return msg
                text = ""
                inner = struct.unpack_from("I", msg, 20)[0]
                # the request is echoed unless NLM_F_CAPPED (0x100) is set
                capped = struct.unpack_from("H", msg, 6)[0] & 0x100
                skip = 16 + 4 + (16 if capped else inner)
                for t, v in attrs(msg[(skip + 3) & ~3:]):
                    if t == NLMSGERR_ATTR_MSG:
                        text = v.rstrip(b"\0").decode(errors="replace")
                raise OSError(err, text or os.strerror(err))


def mgmt_attrs(mgmtdev):
    bus, _, dev = mgmtdev.rpartition("/")
    a = b""
    if bus:
        a += attr(VDPA_ATTR_MGMTDEV_BUS_NAME, bus.encode() + b"\0")
    return a + attr(VDPA_ATTR_MGMTDEV_DEV_NAME, dev.encode() + b"\0")


def main(argv):
    if len(argv) < 4 or argv[3] not in ("add", "del", "cycle"):
        raise SystemExit(__doc__)
    mgmtdev, prefix, op = argv[1], argv[2], argv[3]
    nl = Genl("vdpa")
    mg = mgmt_attrs(mgmtdev)

    def add(i):
        nl.request(nl.family, VDPA_CMD_DEV_NEW,
                   mg + attr(VDPA_ATTR_DEV_NAME, f"{prefix}{i}".encode() + b"\0"))

    def delete(i):
        nl.request(nl.family, VDPA_CMD_DEV_DEL,
                   attr(VDPA_ATTR_DEV_NAME, f"{prefix}{i}".encode() + b"\0"))

    try:
        if op == "cycle":
            n = int(argv[4])
            t0 = time.monotonic_ns()
            for i in range(n):
                add(i)
            t1 = time.monotonic_ns()
            for i in range(n):
                delete(i)
            t2 = time.monotonic_ns()
            print((t1 - t0) // 1000 // n, (t2 - t1) // 1000 // n)
        else:
            for i in range(int(argv[4]), int(argv[5]) + 1):
                (add if op == "add" else delete)(i)
    except OSError as e:
        print(f"vdpa_churn: {op} on {mgmtdev}: {e.strerror} (errno {e.errno})",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
