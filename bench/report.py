#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench/run.sh's "KEY VALUE" lines (stdin) into bench/results.json
and a table of ratios, each against a baseline measured in the same VM."""
import json
import re
import sys

raw = {}
for line in sys.stdin:
    m = re.fullmatch(r"([A-Za-z0-9_]+) (-?\d+)", line.strip())
    if m:
        raw[m.group(1)] = int(m.group(2))


def ratio(a, b):
    return round(raw[a] / raw[b], 2) if a in raw and raw.get(b) else None


rows = []
for n in sorted({int(k.rsplit("_", 1)[1]) for k in raw if k.startswith("mdev_create_us_slicebus_")}):
    for op in ("create", "destroy"):
        rows.append((f"mdev {op}, N={n}", "us/op", raw.get(f"mdev_{op}_us_slicebus_{n}"),
                     "mtty", raw.get(f"mdev_{op}_us_mtty_{n}"),
                     ratio(f"mdev_{op}_us_slicebus_{n}", f"mdev_{op}_us_mtty_{n}")))
for n in sorted({int(k.rsplit("_", 1)[1]) for k in raw if k.startswith("vdpa_create_us_slicebus_")}):
    for op in ("create", "destroy"):
        rows.append((f"vdpa dev {op}, N={n}", "us/op", raw.get(f"vdpa_{op}_us_slicebus_{n}"),
                     "vdpa_sim_net", raw.get(f"vdpa_{op}_us_vdpasim_{n}"),
                     ratio(f"vdpa_{op}_us_slicebus_{n}", f"vdpa_{op}_us_vdpasim_{n}")))
        for b in ("dma", "vdpa"):
            rows.append((f"slicectl {op} ({b}), N={n}", "us/op", raw.get(f"slicectl_{op}_us_{b}_{n}"),
                         "", None, None))
scale = sorted({int(k.rsplit("_", 1)[1]) for k in raw if k.startswith("scale_create_us_at_")})
if scale:
    lo, hi = scale[0], scale[-1]
    for what, unit in (("scale_create_us_at", "us/op"), ("scale_dump_ns_per_slice_at", "ns/slice"),
                       ("scale_available_instances_us_at", "us/read")):
        for n in scale:
            rows.append((f"{what.replace('scale_', '').replace('_at', '')} at {n} live", unit,
                         raw.get(f"{what}_{n}"), f"at {lo}", raw.get(f"{what}_{lo}"),
                         ratio(f"{what}_{n}", f"{what}_{lo}")))
    for n in scale:
        rows.append((f"slab per slice at {n} live", "bytes", raw.get(f"scale_slab_bytes_per_slice_at_{n}"), "", None, None))
        rows.append((f"memory per slice at {n} live", "bytes", raw.get(f"scale_mem_bytes_per_slice_at_{n}"), "", None, None))
        rows.append((f"VM memory in use at {n} live", "KiB", raw.get(f"scale_vm_mem_used_kib_at_{n}"), "", None, None))
for e in (1, 2, 4):
    for size in (4096, 65536, 1048576):
        base = f"cpu_memcpy_{size}_MBps_engines{e}"
        for k, name in ((f"dmaengine_memcpy_{size}_MBps_engines{e}", "dmaengine memcpy"),
                        (f"client_memmove_{size}_MBps_engines{e}", "client API MEMMOVE")):
            if k in raw:
                rows.append((f"{name} {size} B, engines={e}", "MB/s", raw[k], "CPU memcpy",
                             raw.get(base), ratio(k, base)))
    k = f"noop_latency_ns_engines{e}"
    if k in raw:
        rows.append((f"NOOP submit->completion, engines={e}", "ns", raw[k], "", None, None))
if "vfio_memmove_65536_MBps" in raw:
    rows.append(("VFIO user MEMMOVE 64 KiB", "MB/s", raw["vfio_memmove_65536_MBps"], "user memcpy",
                 raw.get("user_memcpy_65536_MBps"), ratio("vfio_memmove_65536_MBps", "user_memcpy_65536_MBps")))
if "vfio_mediated_memmove_65536_MBps" in raw:
    rows.append(("VFIO user MEMMOVE 64 KiB, mediated path", "MB/s",
                 raw["vfio_mediated_memmove_65536_MBps"], "direct path",
                 raw.get("vfio_memmove_65536_MBps"),
                 ratio("vfio_mediated_memmove_65536_MBps", "vfio_memmove_65536_MBps")))
if "vdpa_frames_per_s" in raw:
    rows.append(("vdpa loopback, 60..1514 B frames", "frames/s", raw["vdpa_frames_per_s"], "", None, None))

out = {"raw": raw, "rows": [dict(zip(("what", "unit", "value", "baseline", "baseline_value", "ratio"), r)) for r in rows]}
with open(sys.argv[1], "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
print(f"{'figure':46} {'unit':9} {'value':>10}  {'baseline':14} {'base value':>10} {'ratio':>7}")
for r in rows:
    v = "-" if r[2] is None else str(r[2])
    bv = "-" if r[4] is None else str(r[4])
    rt = "-" if r[5] is None else str(r[5])
    print(f"{r[0]:46} {r[1]:9} {v:>10}  {r[3]:14} {bv:>10} {rt:>7}")
