#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw slicebus netlink requests that no client library would build.

  nlraw.py name-bytes HEX   slice-new on sim0 for backend dma with a slice
                            name of the raw bytes HEX; prints the errno
                            (0 on success) and the extack message
  nlraw.py fresh-dump       a dev-get dump on a socket that has never
                            received anything (the family id is resolved
                            on another one); prints the number of devices
                            or the errno
"""
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG = 1
NETLINK_EXT_ACK = 11
CMD_DEV_GET, CMD_SLICE_NEW = 1, 3
A_SLICE_NAME, A_SLICE_DEV, A_SLICE_BACKEND = 1, 2, 4


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


def sock():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)  # SOL_NETLINK
    s.bind((0, 0))
    return s


def send(s, family, cmd, flags, payload=b""):
    body = struct.pack("BBH", cmd, 1, 0) + payload
    s.send(struct.pack("IHHII", 16 + len(body), family, flags, 1, 0) + body)


def family_id():
    s = sock()
    send(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_REQUEST,
         attr(CTRL_ATTR_FAMILY_NAME, b"slicebus\0"))
    data = s.recv(65536)
    for t, v in attrs(data[20:]):
        if t == CTRL_ATTR_FAMILY_ID:
            return struct.unpack("H", v[:2])[0]
    sys.exit("no slicebus family")


def error(msg):
    """errno and extack message of an NLMSG_ERROR message."""
    err = -struct.unpack_from("i", msg, 16)[0]
    text = ""
    # the request follows, whole unless capped (NLM_F_CAPPED), then the TLVs
    flags = struct.unpack_from("H", msg, 6)[0]
    off = 36 if flags & 0x100 else 20 + struct.unpack_from("I", msg, 20)[0]
    for t, v in attrs(msg[off:]):
        if t == NLMSGERR_ATTR_MSG:
            text = v.rstrip(b"\0").decode(errors="replace")
    return err, text


def name_bytes(hexname):
    fam = family_id()
    s = sock()
    send(s, fam, CMD_SLICE_NEW, NLM_F_REQUEST | NLM_F_ACK,
         attr(A_SLICE_DEV, b"sim0\0") + attr(A_SLICE_BACKEND, b"dma\0") +
         attr(A_SLICE_NAME, bytes.fromhex(hexname) + b"\0"))
    while True:
        data = s.recv(65536)
        n, t = struct.unpack_from("IH", data)
        if t == NLMSG_ERROR:
            err, text = error(data[:n])
            print(err, text)
            return
        if t == fam:
            continue  # the reply; its ack follows


def fresh_dump():
    fam = family_id()
    s = sock()  # never received anything
    send(s, fam, CMD_DEV_GET, NLM_F_REQUEST | NLM_F_DUMP)
    devs = 0
    while True:
        data = s.recv(1 << 20)
        while data:
            n, t = struct.unpack_from("IH", data)
            if t == NLMSG_DONE:
                err = -struct.unpack_from("i", data, 16)[0] if n >= 20 else 0
                print(err if err else devs)
                return
            if t == NLMSG_ERROR:
                print(error(data[:n])[0])
                return
            devs += 1
            data = data[(n + 3) & ~3:]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "name-bytes":
        name_bytes(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "fresh-dump":
        fresh_dump()
    else:
        sys.exit(__doc__)
