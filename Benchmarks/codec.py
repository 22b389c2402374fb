"""Codec throughput: FrameDecoder and writeFrame on 64 KiB OUT and 16-byte INP frames against a
plain memcpy of the same bytes in the same run (Benchmarks/CodecBenchmark/main.swift documents
what is measured). Ratios are per run: run i over memcpy run i. The issue's target applies to
decoding 64 KiB frames (the median ratio at least 0.5); the other rows carry no target. The
16-byte case adds frames/s rows, memcpy converted to frames of the same size.
"""
import json
import statistics
import subprocess

import lib

CASES = (("64KiB_OUT", "64 KiB OUT"), ("16B_INP", "16-byte INP"))
TARGET = 0.5


def row(case, unit, runs, baseline_runs, target=None, met=None, note=""):
    ratios = [r / b if b else 0 for r, b in zip(runs, baseline_runs)]
    return dict(benchmark="codec", case=case, unit=unit, runs=runs, baseline="memcpy", baseline_runs=baseline_runs,
                ratio_runs=ratios, target=target or "", met=met, note=note)


def run(extra_args=()):
    out = subprocess.run([lib.bin_path("distrun-codec-bench"), *extra_args], check=True, capture_output=True,
                         text=True).stdout
    cases = json.loads(out)["cases"]
    rows = []
    for key, label in CASES:
        result = cases[key]
        memcpy = result["memcpy"]["runs_gbps"]
        for operation in ("decode", "encode"):
            runs = result[operation]["runs_gbps"]
            target = met = None
            if key == "64KiB_OUT" and operation == "decode":
                target = f"≥ {TARGET} of memcpy"
                met = statistics.median(r / b for r, b in zip(runs, memcpy)) >= TARGET
            rows.append(row(f"{operation} {label}", "GB/s", runs, memcpy, target, met))
            if key == "16B_INP":
                frame_bytes = result["wire_bytes"] / result["frames"]
                rows.append(row(f"{operation} {label}", "frames/s", result[operation]["runs_frames_per_s"],
                                [b * 1e9 / frame_bytes for b in memcpy]))
    return rows
