#!/usr/bin/env python3
# tests/faults/powercut.py: what a power cut leaves of a data directory.
# SPDX-License-Identifier: GPL-3.0-or-later
"""powercut.py DATA SHADOW BASELINE

After every process on DATA was killed, rewrite DATA as the disk would hold
it after losing power: each file as it was at its last successful fsync
(the copy iofault.so kept under SHADOW), or, never synced since BASELINE
was taken, as it was in BASELINE, or not at all. Prints the counts."""
import os
import shutil
import sys

data, shadow, baseline = sys.argv[1:4]
kept = restored = dropped = 0
for top, dirs, files in os.walk(data):
    for name in files:
        path = os.path.join(top, name)
        rel = os.path.relpath(path, data)
        synced = os.path.join(shadow, rel)
        old = os.path.join(baseline, rel)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        if os.path.isfile(synced):
            shutil.copyfile(synced, path)
            kept += 1
        elif os.path.isfile(old):
            shutil.copyfile(old, path)
            restored += 1
        else:
            os.unlink(path)
            dropped += 1
print("powercut: %d files as at their last fsync, %d as in the baseline, %d never synced dropped"
      % (kept, restored, dropped))
