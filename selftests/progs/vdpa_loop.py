#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send frames through a loopback netdev with AF_PACKET and check that each
comes back byte-identical.  Prints TAP-free counts; exits non-zero on any
loss or corruption.

usage: vdpa_loop.py IFNAME COUNT [MTU]
"""
import os
import select
import socket
import struct
import subprocess
import sys

ETHERTYPE = 0x88B5  # local experimental
PACKET_OUTGOING = 4


def main():
    ifname, count = sys.argv[1], int(sys.argv[2])
    mtu = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    # fq_codel drops frames that wait too long when the machine is slow:
    # a plain FIFO (deeper than our window) never drops
    subprocess.run(["tc", "qdisc", "replace", "dev", ifname, "root", "pfifo",
                    "limit", "1000"], check=False)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
    s.bind((ifname, ETHERTYPE))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    mac = open(f"/sys/class/net/{ifname}/address").read().strip()
    dst = bytes.fromhex(mac.replace(":", ""))
    sent = received = bad = 0
    window = 16
    pending = {}
    sizes = list(range(60, mtu + 15))  # frame sizes, headers included
    while received + bad < count:
        while sent < count and len(pending) < window:
            size = sizes[sent % len(sizes)]
            body = struct.pack("!I", sent) + os.urandom(size - 14 - 4)
            frame = dst + dst + struct.pack("!H", ETHERTYPE) + body
            s.send(frame)
            pending[sent] = frame
            sent += 1
        r, _, _ = select.select([s], [], [], 30)
        if not r:
            break
        data, addr = s.recvfrom(65536)
        if addr[2] == PACKET_OUTGOING or len(data) < 18:
            continue
        seq = struct.unpack("!I", data[14:18])[0]
        want = pending.pop(seq, None)
        if want is None:
            continue
        if data == want:
            received += 1
        else:
            bad += 1
    print(f"sent {sent} received {received} corrupted {bad} lost {sent - received - bad}")
    sys.exit(0 if received == count else 1)


main()
