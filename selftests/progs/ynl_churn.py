#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Create and delete slices through the slicebus family directly, with the
kernel's YNL library, for SECONDS.  Prints "ops N refused M".

usage: ynl_churn.py YNL_DIR SPEC SCHEMA SECONDS DEV BACKEND PREFIX
"""
import sys
import time

ynl_dir, spec, schema, seconds, dev, backend, prefix = sys.argv[1:8]
sys.path.insert(0, ynl_dir)
from lib import YnlFamily, NlError  # noqa: E402

ynl = YnlFamily(spec, schema)
end = time.time() + float(seconds)
ops = refused = 0
i = 0
while time.time() < end:
    name = f"{prefix}{i}"
    i += 1
    try:
        ynl.do("slice-new", {"dev": dev, "backend": backend, "name": name})
    except NlError:
        refused += 1
        time.sleep(0.005)
        continue
    ynl.do("slice-del", {"name": name})
    ops += 1
print(f"ops {ops} refused {refused}")
