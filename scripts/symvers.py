#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make a kernel's Module.symvers from what its binary packages ship.

usage: symvers.py VMLINUX MODULES_DIR > Module.symvers

For a kernel without modversions whose headers package is gone (Debian's
6.18 today): modpost needs Module.symvers to know which symbols exist,
where (the "depends" of a module) and which are GPL-only or namespaced.
The exports of vmlinux are read from its __ksymtab and __ksymtab_gpl
sections (vmlinux as scripts/extract-vmlinux gets it out of vmlinuz: the
sections stay, the symbols are stripped); those of the modules from
modules.symbols (depmod's list; namespace not recorded: empty, so modpost
does not check our imports of them, the kernel does at load time).  With
no modversions every CRC is 0.
"""
import struct
import sys


def sections(data):
    """name -> (address, offset, size) of each section of an ELF64 LE file."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("symvers: not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    hdrs = []
    for i in range(shnum):
        name, _, _, addr, off, size = struct.unpack_from(
            "<IIQQQQ", data, shoff + i * shentsize)
        hdrs.append((name, addr, off, size))
    stroff = hdrs[shstrndx][2]
    out = {}
    for name, addr, off, size in hdrs:
        end = data.index(b"\0", stroff + name)
        out[data[stroff + name:end].decode()] = (addr, off, size)
    return out


def cstring(data, secs, addr):
    """The NUL-terminated string at virtual address addr."""
    for base, off, size in secs.values():
        if base <= addr < base + size:
            start = off + addr - base
            return data[start:data.index(b"\0", start)].decode()
    sys.exit("symvers: string at %#x is in no section" % addr)


def ksymtab(data, secs, name):
    """(symbol, namespace) of each struct kernel_symbol in section name.

    With CONFIG_HAVE_ARCH_PREL32_RELOCATIONS (x86-64) an entry is three
    32-bit offsets, each relative to its own field: value, name, namespace.
    """
    if name not in secs:
        return
    base, off, size = secs[name]
    for pos in range(0, size - size % 12, 12):
        _, noff, nsoff = struct.unpack_from("<iii", data, off + pos)
        yield (cstring(data, secs, base + pos + 4 + noff),
               cstring(data, secs, base + pos + 8 + nsoff))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    secs = sections(data)
    if "__ksymtab" not in secs:
        sys.exit("symvers: %s has no __ksymtab" % sys.argv[1])
    lines = {}
    for sec, kind in (("__ksymtab", "EXPORT_SYMBOL"),
                      ("__ksymtab_gpl", "EXPORT_SYMBOL_GPL")):
        for sym, ns in ksymtab(data, secs, sec):
            lines[sym] = "0x00000000\t%s\tvmlinux\t%s\t%s" % (sym, kind, ns)
    with open(sys.argv[2] + "/modules.symbols") as f:
        for line in f:
            # alias symbol:NAME MODULE
            parts = line.split()
            if len(parts) != 3 or not parts[1].startswith("symbol:"):
                continue
            sym = parts[1][len("symbol:"):]
            lines.setdefault(sym, "0x00000000\t%s\t%s\tEXPORT_SYMBOL_GPL\t"
                             % (sym, parts[2]))
    if len(lines) < 1000:
        sys.exit("symvers: only %d exports found" % len(lines))
    for sym in sorted(lines):
        print(lines[sym])


main()
