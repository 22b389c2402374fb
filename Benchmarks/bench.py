"""Runs every benchmark and writes the table to docs/benchmarks.md (see Benchmarks/run).

    python3 Benchmarks/bench.py [--only codec,stream,fanout,volume,dashboard] [--quick]

Figures are ratios against a baseline measured in the same run, with min / median / max over
several runs; absolute times alone mean little on a shared 2-core machine.
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
import network  # noqa: E402


class Context:
    def __init__(self):
        self.processes = lib.Processes()
        self.workspace = lib.Workspace()
        self.sshd = None


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    memory = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    commit = subprocess.run(["git", "-C", lib.ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({model}), {int(memory) // 1024 // 1024} GiB, Linux {platform.release()}, "
            f"commit {commit}, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")


def fmt(values):
    if not values:
        return "-"
    low, mid, high = min(values), statistics.median(values), max(values)
    digits = 2 if mid < 100 else 0
    return f"{low:.{digits}f} / **{mid:.{digits}f}** / {high:.{digits}f}"


def table(rows):
    lines = ["| benchmark | case | figure (min / median / max) | baseline | ratio (min / median / max) | target | met |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        met = {True: "yes", False: "**no**", None: ""}[r["met"]]
        lines.append(f"| {r['benchmark']} | {r['case']} | {fmt(r['runs'])} {r['unit'] if r['unit'] != 'ratio' else ''} | "
                     f"{r['baseline']} {fmt(r['baseline_runs']) if r['baseline_runs'] else ''} | "
                     f"{fmt(r['ratio_runs']) if r['baseline_runs'] else ''} | {r['target']} | {met} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="codec,stream,fanout,volume,dashboard")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs (a smoke test)")
    parser.add_argument("--output", default=os.path.join(lib.ROOT, "docs", "benchmarks.md"))
    args = parser.parse_args()
    only = set(args.only.split(","))
    lib.raise_descriptor_limit()
    ctx = Context()
    rows = []
    try:
        if only & {"stream", "fanout", "volume"}:
            ctx.sshd = lib.Sshd(ctx.processes, ctx.workspace)
        if "codec" in only:
            import codec
            rows += codec.run()
        if "stream" in only:
            rows += network.one_stream(ctx, size=(256 << 20) if args.quick else 2 << 30)
        if "fanout" in only:
            rows += network.fan_out(ctx, repeats=1 if args.quick else 3)
        if "volume" in only:
            rows += network.output_volume(ctx, megabytes=2 if args.quick else 20, repeats=1 if args.quick else 2)
        if "dashboard" in only and os.path.exists(os.path.join(os.path.dirname(__file__), "dashboard.py")):
            import dashboard
            rows += dashboard.run(ctx, quick=args.quick)
    finally:
        ctx.processes.stop_all()
        ctx.workspace.cleanup()
    report = table(rows)
    print(report)
    write_report(args.output, report, " ".join(sys.argv[1:]))


def write_report(path, report, arguments):
    head = open(path).read().split("<!-- results -->")[0] if os.path.exists(path) else "# Benchmarks\n\n"
    with open(path, "w") as f:
        f.write(head + "<!-- results -->\n\n")
        f.write(f"Machine: {machine()}.\n\nCommand: `Benchmarks/run {arguments}`\n\n{report}\n")


if __name__ == "__main__":
    main()
