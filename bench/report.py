#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench/run.sh's "KEY VALUE" lines (stdin) into bench/results.json
and a table, each figure against a baseline measured in the same VM.

A key printed several times is one figure measured in several runs: the
table shows its median, min and max, and its spread ((max - min) / median).
A ratio is the median of the per-run ratios when both figures were measured
in the same number of runs (taken side by side), else the ratio of the
medians; it is claimed only when its spread is under 10% over at least 5
runs of both."""
import json
import re
import statistics
import sys

STABLE = 0.10
MIN_RUNS = 5

raw = {}
for line in sys.stdin:
    m = re.fullmatch(r"([A-Za-z0-9_]+) (-?\d+)", line.strip())
    if m:
        raw.setdefault(m.group(1), []).append(int(m.group(2)))


def stat(key):
    v = raw.get(key)
    if not v:
        return None
    med = statistics.median(v)
    return {"runs": len(v), "min": min(v), "median": med, "max": max(v),
            "spread": round((max(v) - min(v)) / med, 3) if med else None}


def ratio(a, b):
    """The ratio of figure a to baseline b and its spread."""
    va, vb = raw.get(a), raw.get(b)
    if not va or not vb or not all(vb):
        return None, None
    if len(va) == len(vb) and len(va) > 1:
        rs = [x / y for x, y in zip(va, vb)]
        med = statistics.median(rs)
        return round(med, 2), round((max(rs) - min(rs)) / med, 3) if med else None
    sa, sb = stat(a), stat(b)
    return round(sa["median"] / sb["median"], 2), round((sa["spread"] or 0) + (sb["spread"] or 0), 3)


rows = []


def row(what, unit, key, base_label="", base_key=None, goal=None):
    s = stat(key)
    if s is None:
        return
    r = {"what": what, "unit": unit, "key": key, **s, "baseline": base_label,
         "baseline_key": base_key, "goal": goal}
    bs = stat(base_key) if base_key else None
    r["baseline_value"] = bs["median"] if bs else None
    r["baseline_spread"] = bs["spread"] if bs else None
    r["ratio"], r["ratio_spread"] = ratio(key, base_key) if bs else (None, None)
    # one run has no spread to speak of: never claimed
    r["claimed"] = (r["ratio"] is not None and r["ratio_spread"] is not None and
                    r["ratio_spread"] < STABLE and r["runs"] >= MIN_RUNS and
                    (bs is None or bs["runs"] >= MIN_RUNS))
    rows.append(r)


def sizes_of(prefix):
    return sorted({int(k.rsplit("_", 1)[1]) for k in raw if k.startswith(prefix)})


for n in sizes_of("mdev_create_us_slicebus_"):
    for op in ("create", "destroy"):
        row(f"mdev {op}, N={n}", "us/op", f"mdev_{op}_us_slicebus_{n}", "mtty", f"mdev_{op}_us_mtty_{n}")
for n in sizes_of("vdpa_create_us_slicebus_"):
    for op in ("create", "destroy"):
        row(f"vdpa dev {op}, N={n}", "us/op", f"vdpa_{op}_us_slicebus_{n}",
            "vdpa_sim_net", f"vdpa_{op}_us_vdpasim_{n}")
        for b in ("dma", "vdpa"):
            row(f"slicectl {op} ({b}), N={n}", "us/op", f"slicectl_{op}_us_{b}_{n}")
scale = sizes_of("scale_create_us_at_")
if scale:
    lo = scale[0]
    for what, unit in (("scale_create_us_at", "us/op"), ("scale_dump_ns_per_slice_at", "ns/slice"),
                       ("scale_available_instances_us_at", "us/read")):
        for n in scale:
            row(f"{what.replace('scale_', '').replace('_at', '')} at {n} live", unit,
                f"{what}_{n}", f"at {lo}", f"{what}_{lo}")
    for n in scale:
        row(f"slab per slice at {n} live", "bytes", f"scale_slab_bytes_per_slice_at_{n}")
        row(f"memory per slice at {n} live", "bytes", f"scale_mem_bytes_per_slice_at_{n}")
        row(f"VM memory in use at {n} live", "KiB", f"scale_vm_mem_used_kib_at_{n}")
for n in sizes_of("scale_vdpa_create_us_slicebus_at_"):
    for op in ("create", "destroy"):
        row(f"vdpa dev {op} (netlink) at {n} live", "us/op", f"scale_vdpa_{op}_us_slicebus_at_{n}",
            f"vdpa_sim_net at {n} live", f"scale_vdpa_{op}_us_vdpasim_at_{n}", "<= 1.0")
for n in sizes_of("scale_mdev_create_us_slicebus_at_"):
    for op in ("create", "destroy"):
        row(f"mdev {op} at {n} live", "us/op", f"scale_mdev_{op}_us_slicebus_at_{n}",
            "mtty at 8 live (its most)", f"scale_mdev_{op}_us_mtty_at_8", "<= 1.0")
for k in sorted((k for k in raw if k.startswith("slabcache_")), key=lambda k: -raw[k][0]):
    row(f"  slab cache {k[len('slabcache_'):-len('_bytes_per_slice')]} at {scale[-1] if scale else '?'} live",
        "bytes", k)
for e in (1, 2, 4):
    for size in (4096, 65536, 1048576):
        base = f"cpu_memcpy_{size}_MBps_engines{e}"
        if e == 1:
            # the two copy primitives, side by side (the engine uses memcpy)
            row(f"CPU memmove {size} B", "MB/s", f"cpu_memmove_{size}_MBps_engines{e}", "CPU memcpy", base)
        row(f"dmaengine memcpy {size} B, engines={e}", "MB/s", f"dmaengine_memcpy_{size}_MBps_engines{e}",
            "CPU memcpy", base, ">= 0.8")
        if size == 65536:
            row(f"dmaengine memcpy {size} B, dma_sync_wait, engines={e}", "MB/s",
                f"dmaengine_syncwait_{size}_MBps_engines{e}", "CPU memcpy", base)
        row(f"client API MEMMOVE {size} B, engines={e}", "MB/s", f"client_memmove_{size}_MBps_engines{e}",
            "CPU memcpy", base, ">= 0.8")
    row(f"NOOP submit->completion, engines={e}", "ns", f"noop_latency_ns_engines{e}",
        "2 wake-ups", f"wake_rtt_remote_ns_engines{e}", "<= 1.0")
    row(f"NOOP submit->completion, poll_us=0, engines={e}", "ns", f"noop_latency_nopoll_ns_engines{e}",
        "2 wake-ups", f"wake_rtt_remote_ns_engines{e}")
    if e == 1:
        row("2 wake-ups (work item on the same CPU)", "ns", f"wake_rtt_local_ns_engines{e}",
            "other CPU", f"wake_rtt_remote_ns_engines{e}")
row("VFIO user MEMMOVE 64 KiB", "MB/s", "vfio_memmove_65536_MBps", "user memcpy", "user_memcpy_65536_MBps", ">= 0.9")
row("VFIO user MEMMOVE 64 KiB, mediated path", "MB/s", "vfio_mediated_memmove_65536_MBps",
    "user memcpy", "user_memcpy_65536_MBps")
row("vdpa loopback, virtio_vdpa + socket, 60..1514 B frames", "frames/s", "vdpa_frames_per_s",
    "vdpa_sim_net", "vdpa_frames_per_s_vdpasim", ">= 1.0")
row("vdpa loopback, vhost-vdpa user, 1514 B frames one at a time", "frames/s", "vhost_frames_per_s",
    "vdpa_sim_net", "vhost_frames_per_s_vdpasim", ">= 1.0")

out = {
    "primitives": {
        "CPU baseline": "memcpy() (and memmove() as its own row) of non-overlapping buffers",
        "slicesim engine": "memcpy() for non-overlapping operands, memmove() for overlapping ones",
        "user baseline": "glibc memcpy()",
    },
    "stable_below": STABLE,
    "raw": raw,
    "rows": rows,
}
with open(sys.argv[1], "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)


def fmt(v):
    if v is None:
        return "-"
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


print(f"{'figure':58} {'unit':8} {'median':>9} {'min..max':>17} {'sprd':>5}  "
      f"{'baseline':13} {'base':>9} {'ratio':>6} {'sprd':>5}")
for r in rows:
    mm = f"{fmt(r['min'])}..{fmt(r['max'])}" if r["runs"] > 1 else ""
    sp = f"{r['spread'] * 100:.0f}%" if r["runs"] > 1 and r["spread"] is not None else ""
    rt = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
    rs = "" if r["ratio_spread"] is None else f"{r['ratio_spread'] * 100:.0f}%"
    if r["ratio"] is not None and not r["claimed"]:
        rt = f"~{rt}"
    print(f"{r['what']:58} {r['unit']:8} {fmt(r['median']):>9} {mm:>17} {sp:>5}  "
          f"{r['baseline']:13} {fmt(r['baseline_value']):>9} {rt:>6} {rs:>5}")
print(f"(~: spread of the ratio {int(STABLE * 100)}% or more, or under {MIN_RUNS} runs: not claimed)")
