#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check the accountant's invariants on `slicectl -j dev show` snapshots.

With no arguments: read one snapshot from stdin, print violations, exit 1 if
any.  With `--loop SECONDS SLICECTL`: sample until time is up and print
"samples N violations M" (the first violations too).

Per device and resource: used is the sum over backends and at most total,
free = total - used, every backend within its limit, unmet reservations fit
in what is free; and every type's availability per backend equals the
DESIGN formula recomputed from the snapshot.
"""
import json
import subprocess
import sys
import time

# always listed; registered backends are listed after them
BUILTIN = ["vfio", "vdpa", "dma"]


def check(snap):
    bad = []
    for d in snap["dev"]:
        res = {r["name"]: r for r in d["resources"]}
        be = {b["name"]: b for b in d["backends"]}
        BACKENDS = list(be)
        if BACKENDS[:3] != BUILTIN:
            bad.append(f"{d['name']}: backends {BACKENDS} do not start with {BUILTIN}")
        for t in d["types"]:
            if sorted(t["available"]) != sorted(BACKENDS):
                bad.append(f"{d['name']} {t['name']}: available for {sorted(t['available'])}, backends {sorted(BACKENDS)}")
        for name, r in res.items():
            used = sum(be[b]["used"][name] for b in BACKENDS)
            if used != r["used"] or used > r["total"] or r["free"] != r["total"] - used:
                bad.append(f"{d['name']} {name}: used {r['used']} sum {used} total {r['total']} free {r['free']}")
            unmet = 0
            for b in BACKENDS:
                lim = be[b]["limit"].get(name)
                if lim is not None and be[b]["used"][name] > lim:
                    bad.append(f"{d['name']} {b} over its {name} limit")
                unmet += max(0, be[b]["reserve"][name] - be[b]["used"][name])
            if unmet > r["free"]:
                bad.append(f"{d['name']} {name}: reservations {unmet} > free {r['free']}")
        for t in d["types"]:
            for b in BACKENDS:
                k = None
                for name, cost in t["cost"].items():
                    if not cost:
                        continue
                    held = sum(max(0, be[o]["reserve"][name] - be[o]["used"][name])
                               for o in BACKENDS if o != b)
                    room = max(0, res[name]["free"] - held) // cost
                    lim = be[b]["limit"].get(name)
                    if lim is not None:
                        room = min(room, (lim - be[b]["used"][name]) // cost)
                    k = room if k is None else min(k, room)
                if t["available"][b] != k:
                    bad.append(f"{d['name']} {t['name']} {b}: available {t['available'][b]} != {k}")
    return bad


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--loop":
        end = time.time() + float(sys.argv[2])
        samples = violations = 0
        shown = []
        while time.time() < end:
            out = subprocess.run([sys.argv[3], "-j", "dev", "show"],
                                 capture_output=True, text=True).stdout
            if not out:
                continue
            bad = check(json.loads(out))
            samples += 1
            violations += len(bad)
            shown += bad[: 5 - len(shown)]
        print(f"samples {samples} violations {violations}")
        for b in shown:
            print("#", b)
        sys.exit(1 if violations else 0)
    bad = check(json.load(sys.stdin))
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


main()
