"""One stream, fan-out and output volume: distrun against raw loopback TCP (socat), ssh,
parallel-ssh and pdsh, all measured in the same run on loopback.

Each function returns rows for the report (see report.py): runs of the measured figure, runs
of its baseline, per-run ratios, the target and whether the median met it.
"""
import os
import statistics
import subprocess
import time

import lib

GIB = 1 << 30


def row(benchmark, case, unit, runs, baseline, baseline_runs, target, met, higher_is_better=True, note=""):
    ratios = [(r / b if higher_is_better else b / r) if b and r else 0 for r, b in zip(runs, baseline_runs)]
    return dict(benchmark=benchmark, case=case, unit=unit, runs=runs, baseline=baseline,
                baseline_runs=baseline_runs, ratio_runs=ratios, target=target, met=met, note=note)


def one_stream(ctx, size=2 * GIB, repeats=3):
    """`head -c SIZE /dev/zero` on one agent, output to /dev/null: MB/s, and CPU s per GB."""
    command = ["head", "-c", str(size), "/dev/zero"]
    results = {}
    hosts = {}
    for tls in (True, False):
        agent, port = lib.start_agent(ctx.processes, ctx.workspace, tls=tls)
        hosts[tls] = (agent, ctx.workspace.hosts_file(f"one-{tls}.conf", [port], 1))
    socat_port = 22100
    for name in ("distrun TLS", "distrun --insecure-no-auth", "socat raw TCP", "ssh aes128-gcm"):
        rates, cpus = [], []
        for _ in range(repeats):
            if name.startswith("distrun"):
                tls = name == "distrun TLS"
                agent, hosts_file = hosts[tls]
                agent_cpu = lib.process_cpu_seconds(agent.pid)
                # --outdir: raw bytes to a file per host (here /dev/null through a symlink), no line work.
                out = ctx.workspace.path("stream-out")
                os.makedirs(out, exist_ok=True)
                target = os.path.join(out, "h1.out")
                if not os.path.lexists(target):
                    os.symlink("/dev/null", target)
                wall, cpu, _, code = lib.timed(lib.distrun_argv(ctx.workspace, hosts_file, command, tls=tls,
                                                                extra=["--outdir", out]))
                cpu += lib.process_cpu_seconds(agent.pid) - agent_cpu
            elif name == "socat raw TCP":
                server = ctx.processes.start(["socat", "-b", "131072", "-u", f"TCP-LISTEN:{socat_port},bind=127.0.0.1,reuseaddr",
                                              "OPEN:/dev/null"], stdout=subprocess.DEVNULL)
                time.sleep(0.3)
                wall, cpu, _, code = lib.timed(["sh", "-c", f"head -c {size} /dev/zero | socat -b 131072 -u - TCP:127.0.0.1:{socat_port}"])
                server.wait(10)
                cpu += 0  # the server's CPU is not available after exit; socat is the floor anyway
            else:
                wall, cpu, _, code = lib.timed(ctx.sshd.ssh("h1", command))
            if code != 0:
                raise RuntimeError(f"{name} exited {code}")
            rates.append(size / wall / 1e6)
            cpus.append(cpu / (size / 1e9))
        results[name] = (rates, cpus)
    tls_rates = results["distrun TLS"][0]
    rows = []
    for name, (rates, cpus) in results.items():
        rows.append(row("one stream", f"{name} MB/s", "MB/s", rates, "socat raw TCP", results["socat raw TCP"][0],
                        "", None))
        rows.append(row("one stream", f"{name} CPU s/GB", "s/GB", cpus, "socat raw TCP", results["socat raw TCP"][1],
                        "", None, higher_is_better=False))
    socat = results["socat raw TCP"][0]
    ssh = results["ssh aes128-gcm"][0]
    median = lambda values: sorted(values)[len(values) // 2]
    # Judged on the median of per-run ratios (each run against the baseline measured next to
    # it), the column the table shows: on a shared machine pairing cancels load that drifts.
    paired = lambda baseline: median([t / b for t, b in zip(tls_rates, baseline)])
    rows.append(row("one stream", "distrun TLS vs socat", "ratio", tls_rates, "socat raw TCP", socat,
                    "≥ 0.6 of socat", paired(socat) >= 0.6))
    rows.append(row("one stream", "distrun TLS vs ssh", "ratio", tls_rates, "ssh aes128-gcm", ssh,
                    "≥ 3x ssh", paired(ssh) >= 3))
    return rows


def fan_out(ctx, sizes=(10, 100, 200, 1000), baseline_sizes=(10, 100, 200), repeats=3):
    """`true` and `echo hello` on N hosts: wall time to the last exit status; client peak memory."""
    agents = [lib.start_agent(ctx.processes, ctx.workspace)[1] for _ in range(2)]
    rows = []
    for command in (["true"], ["echo", "hello"]):
        for n in sizes:
            hosts_file = ctx.workspace.hosts_file(f"fan-{n}.conf", agents, n)
            walls, memory = [], []
            for _ in range(repeats):
                wall, _, rss, code = lib.timed(lib.distrun_argv(ctx.workspace, hosts_file, command))
                if code != 0:
                    raise RuntimeError(f"distrun on {n} hosts exited {code}")
                walls.append(wall)
                memory.append(rss / 1024)
            rows.append(row("fan-out", f"{' '.join(command)} N={n} distrun s", "s", walls, "", [], "", None))
            rows.append(row("fan-out", f"{' '.join(command)} N={n} client MiB", "MiB", memory, "", [],
                            "< 30 MiB at N=200" if n == 200 else "", (max(memory) < 30) if n == 200 else None))
            if n == 1000:
                rows[-2]["target"], rows[-2]["met"] = "< 3 s, no errors", max(walls) < 3
            if n in baseline_sizes and command == ["true"]:
                for tool in ("parallel-ssh", "pdsh"):
                    # ssh fan-out is slow (tens of seconds at N = 200): fewer runs keep the total bounded.
                    base = [lib.timed(baseline_argv(ctx, tool, n, command))[0] for _ in range(repeats if n <= 10 else 1)]
                    target = {"parallel-ssh": "≥ 10x faster", "pdsh": "≥ 3x faster"}[tool] if n == 200 else ""
                    factor = {"parallel-ssh": 10, "pdsh": 3}[tool]
                    met = (median(base) / median(walls) >= factor) if n == 200 else None
                    rows.append(row("fan-out", f"{' '.join(command)} N={n} vs {tool}", "x faster", walls, tool,
                                    base, target, met, higher_is_better=False))
    return rows


def median(values):
    return sorted(values)[len(values) // 2]


def baseline_argv(ctx, tool, n, command):
    hosts = [f"h{i + 1}" for i in range(n)]
    if tool == "parallel-ssh":
        hosts_file = ctx.workspace.path(f"pssh-{n}")
        with open(hosts_file, "w") as f:
            f.write("\n".join(hosts) + "\n")
        return ["parallel-ssh", "-h", hosts_file, "-p", str(n), "-t", "0", "-x", f"-F {ctx.sshd.config}"] + command
    os.environ["PDSH_SSH_ARGS"] = f"-F {ctx.sshd.config} -2 -a -x -l%u %h"
    return ["pdsh", "-R", "ssh", "-f", str(n), "-w", ",".join(hosts)] + command


def output_volume(ctx, hosts=50, megabytes=20, repeats=2):
    """50 hosts each writing 20 MB of base64 lines, through distrun's prefixed output and through
    pdsh's, with the same command, into a file, checked the same way: every host's lines
    regrouped from the mixed stream must match the checksum the host computed (so no line was
    split, mixed or lost). The runs alternate, so load that drifts hits both."""
    agents = [lib.start_agent(ctx.processes, ctx.workspace)[1] for _ in range(2)]
    hosts_file = ctx.workspace.hosts_file("volume.conf", agents, hosts)
    produce = f"head -c {megabytes * 750_000} /dev/urandom | base64 -w 76"
    # The lines go to stdout (fd 3) and through tee to cksum, whose CRC goes to stderr: no
    # temporary file, and a checksum far cheaper than producing the lines.
    script = f"{{ {produce} | tee /dev/fd/3 | cksum >&2; }} 3>&1"
    os.environ["PDSH_SSH_ARGS"] = f"-F {ctx.sshd.config} -2 -a -x -l%u %h"
    names = ",".join(f"h{i + 1}" for i in range(hosts))
    argv = {"distrun": lib.distrun_argv(ctx.workspace, hosts_file, ["bash", "-c", script], extra=["--stderr"]),
            "pdsh": ["pdsh", "-R", "ssh", "-f", str(hosts), "-w", names, script]}
    walls, cpus, intact = {tool: [] for tool in argv}, {tool: [] for tool in argv}, {tool: True for tool in argv}
    for run in range(repeats):
        for tool in argv:
            out_path, err_path = ctx.workspace.path(f"volume-{tool}.out"), ctx.workspace.path(f"volume-{tool}.err")
            wall, cpu, code = lib.timed_to_files(argv[tool], out_path, err_path)
            walls[tool].append(wall)
            cpus[tool].append(cpu)
            intact[tool] &= code == 0 and lines_intact(out_path, err_path, hosts)
    # Judged on the median of per-run ratios, the column the table shows (as for one stream).
    ratios = [p / d for p, d in zip(walls["pdsh"], walls["distrun"])]
    met = intact["distrun"] and intact["pdsh"] and statistics.median(ratios) >= 5
    case = f"{hosts} hosts x {megabytes} MB base64 (lines intact: distrun {intact['distrun']}, pdsh {intact['pdsh']})"
    return [row("output volume", case, "x faster", walls["distrun"], "pdsh", walls["pdsh"],
                "≥ 5x faster, every line intact", met, higher_is_better=False),
            row("output volume", f"{hosts} hosts x {megabytes} MB: client CPU s (pdsh: with its ssh clients)", "s",
                cpus["distrun"], "pdsh", cpus["pdsh"], "", None, higher_is_better=False)]


def lines_intact(out_path, err_path, hosts):
    """Regroups `NAME: line` by host and checks each host's bytes against the CRC its `cksum`
    printed (`NAME: CRC LENGTH` on stderr), by feeding them to a local `cksum` per host."""
    expected = {}
    with open(err_path, "rb") as err:
        for line in err:
            name, _, rest = line.partition(b":")
            fields = rest.split()
            if name.startswith(b"h") and len(fields) == 2 and all(f.isdigit() for f in fields):
                expected[name.decode()] = rest.strip()
    sums = {f"h{i + 1}": subprocess.Popen(["cksum"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=1 << 20)
            for i in range(hosts)}
    try:
        with open(out_path, "rb") as out:
            for line in out:
                name, _, rest = line.partition(b":")
                sums[name.decode()].stdin.write(rest.lstrip(b" "))
    except (KeyError, UnicodeDecodeError):
        return False  # a line that does not start with a host's name
    finally:
        got = {name: child.communicate()[0].strip() for name, child in sums.items()}
    return len(expected) == hosts and all(got[h] == expected[h] for h in expected)
