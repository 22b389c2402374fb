"""The dashboard (`distrun-tui`, release build) driven in a private tmux server at 200x60, its
agents on loopback with TLS (four fresh agents per scenario, so none inherits another's
aftermath). Four scenarios:

1. Flood: 100 hosts each writing 10 MB of base64 as fast as they can; seconds from start until
   the header shows no host connecting or running (normally "100 exited"), and the dashboard's
   CPU seconds then. Baseline: the same hosts file through `distrun --outdir` (no screen, output
   to /dev/null). Hosts that did not exit 0 (e.g. "lost" connections) are counted in the case.
2. Key-to-echo latency during a flood: h100 runs `cat` (its PTY echoes what is typed) while
   h1 … h99 flood; h100 is selected, targeted (C-] s) and zoomed (C-] z), then for each press a
   unique token is typed with `send-keys -l` and `capture-pane -p` is polled until it shows.
   Baseline: the same loop against `cat` running directly in a tmux pane, during the same flood
   (the tmux + polling floor). The cost of one poll is reported as the resolution.
3. Idle CPU: 1,000 hosts running `sleep 3600`; the dashboard's CPU once all have started.
4. Peak memory: 1,000 hosts each printing 11,000 lines of ~60 characters, then sleeping; the
   dashboard's VmHWM once it has ingested everything (its CPU has stopped growing).

Quick mode: 2 MB floods, 20 presses, 10 s of idle CPU, 100 hosts for peak memory, one run each.
Every tmux server started here is killed at the end of its scenario; agents are stopped by pid.
"""
import itertools
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager

import lib
from network import row

WIDTH, HEIGHT = 200, 60
PREFIX = "C-]"
STATES = r"(\d+) (connecting|running|exited|failed command|lost|failed)\b"
LOREM = "seq 1 11000 | sed 's/$/ lorem ipsum dolor sit amet consectetur adipiscing elit/'"
# h100's agent is started with this variable in its environment (agents pass theirs on to
# commands), so one command line gives h100 `cat` and every other host the flood.
ECHO_VARIABLE = "DISTRUN_BENCH_ECHO"


def flood_command(megabytes):
    return ["bash", "--norc", "-c", f"head -c {megabytes * 1_000_000} /dev/urandom | base64"]


# MARK: tmux and the dashboard process


class Tmux:
    """A private tmux server (its own socket) running one shell command in session `main`."""

    serial = itertools.count()

    def __init__(self, command, width=WIDTH, height=HEIGHT):
        self.socket = f"distrun-bench-{os.getpid()}-{next(Tmux.serial)}"
        shell = f"env TERM=tmux-256color LANG=C.UTF-8 ESCDELAY=25 {command}; echo DISTRUN-EXIT=$?; sleep 600"
        # No pipes for the client that forks the server: the server must not hold them open.
        subprocess.run(self.argv("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), shell),
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    def argv(self, *arguments):
        return ["tmux", "-L", self.socket, "-f", "/dev/null"] + list(arguments)

    def run(self, *arguments):
        return subprocess.run(self.argv(*arguments), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              check=True).stdout

    def screen(self):
        return self.run("capture-pane", "-p", "-t", "main")

    def header(self):
        return self.run("capture-pane", "-p", "-t", "main", "-S", "0", "-E", "0").strip()

    def press(self, *keys):
        self.run("send-keys", "-t", "main", *keys)

    def type(self, text):
        self.run("send-keys", "-t", "main", "-l", text)

    def pane_pid(self):
        return int(self.run("display", "-p", "-t", "main", "#{pane_pid}"))

    def kill(self):
        subprocess.run(self.argv("kill-server"), stdin=subprocess.DEVNULL, capture_output=True)
        folder = os.path.join(os.environ.get("TMUX_TMPDIR", "/tmp"), f"tmux-{os.getuid()}")
        try:
            os.unlink(os.path.join(folder, self.socket))
        except OSError:
            pass


@contextmanager
def tmux_session(command):
    tmux = Tmux(command)
    try:
        yield tmux
    finally:
        tmux.kill()


def descendants(pid):
    """Every process below `pid`, from /proc's children lists."""
    children = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children += [int(child) for child in f.read().split()]
    except OSError:
        return []
    return children + [grandchild for child in children for grandchild in descendants(child)]


def process_name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def wait_until(what, condition, timeout, interval=0.05):
    deadline = time.time() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.time() > deadline:
            raise RuntimeError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Dashboard:
    """`distrun-tui -H hosts -- command` in its own tmux server; `pid` is the dashboard itself
    (a child of the pane's shell)."""

    def __init__(self, ctx, hosts_file, command):
        argv = [lib.bin_path("distrun-tui"), "--keys", ctx.workspace.client_keys, "-H", hosts_file, "--"] + command
        self.tmux = Tmux(shlex.join(argv))
        pane = self.tmux.pane_pid()
        self.pid = wait_until("the dashboard process", lambda: next(
            (pid for pid in [pane] + descendants(pane) if process_name(pid) == "distrun-tui"), None), 10)

    def counts(self):
        """{"running": 12, "exited": 3, …} from the header line."""
        return {state: int(count) for count, state in re.findall(STATES, self.tmux.header())}

    def wait_for_counts(self, what, condition, timeout, interval=0.1):
        """Polls the header until `condition(counts)` holds; returns those counts."""
        def check():
            counts = self.counts()
            return counts if counts and condition(counts) else None

        try:
            return wait_until(what, check, timeout, interval)
        except RuntimeError as error:
            raise RuntimeError(f"{error}; screen:\n{self.tmux.screen()}") from None

    def wait_for_screen(self, what, condition, timeout):
        screen = ""

        def check():
            nonlocal screen
            screen = self.tmux.screen()
            return condition(screen)

        try:
            wait_until(what, check, timeout)
        except RuntimeError as error:
            raise RuntimeError(f"{error}; screen:\n{screen}") from None

    def cpu(self):
        return lib.process_cpu_seconds(self.pid)

    def wait_until_cpu_settles(self, timeout, quiet_seconds=2.0, quiet_cpu=0.1):
        """Returns once the dashboard used under `quiet_cpu` CPU seconds in `quiet_seconds`."""
        samples = [(time.time(), self.cpu())]

        def settled():
            samples.append((time.time(), self.cpu()))
            old = [s for s in samples if s[0] <= samples[-1][0] - quiet_seconds]
            return bool(old) and samples[-1][1] - old[-1][1] < quiet_cpu

        wait_until("the dashboard to go quiet", settled, timeout, interval=0.25)

    def quit(self):
        """C-] q, then y for the question asked while commands run; waits for the process to
        go. A dashboard too busy to answer gets SIGHUP from the tmux server's end, then SIGKILL."""
        try:
            self.tmux.press(PREFIX, "q", "y")
            wait_until("the dashboard to quit", lambda: not self.alive(), 60, 0.1)
        except RuntimeError as error:
            print(f"dashboard benchmark: {error}; killing its tmux server", file=sys.stderr)
        finally:
            self.tmux.kill()
        try:
            wait_until("the dashboard to leave on SIGHUP", lambda: not self.alive(), 10, 0.1)
        except RuntimeError:
            os.kill(self.pid, signal.SIGKILL)

    def alive(self):
        return process_name(self.pid) == "distrun-tui"


@contextmanager
def dashboard(ctx, hosts_file, command):
    board = Dashboard(ctx, hosts_file, command)
    try:
        yield board
    finally:
        board.quit()


@contextmanager
def fresh_agents(ctx, count=4):
    """`count` new agents for one scenario (so none inherits another's aftermath); yields
    (processes, ports); at the end waits for their commands to be gone and stops them."""
    started = [lib.start_agent(ctx.processes, ctx.workspace) for _ in range(count)]
    agents = [agent for agent, _ in started]
    try:
        yield agents, [port for _, port in started]
        wait_for_commands_to_end(agents)
    finally:
        for agent in agents:
            agent.terminate()
            agent.wait(10)


def wait_for_commands_to_end(agents, timeout=30):
    """The agents' commands (sleep 3600 …) have all been ended."""
    wait_until("the agents' commands to end", lambda: not any(descendants(a.pid) for a in agents), timeout, 0.2)


def not_running(counts):
    """"" when every host runs, else e.g. "; 32 failed command" (the header's other counts)."""
    others = [f"{count} {state}" for state, count in counts.items() if state != "running"]
    return "; " + ", ".join(others) if others else ""


# MARK: 1. Flood


def flood(ctx, megabytes, repeats):
    with fresh_agents(ctx) as (agents, ports):
        return flood_runs(ctx, agents, ports, megabytes, repeats)


def flood_runs(ctx, agents, ports, megabytes, repeats):
    hosts_file = ctx.workspace.hosts_file("dash-flood.conf", ports, 100)
    command = flood_command(megabytes)
    walls, cpus, lost, base_walls, base_cpus = [], [], [], [], []
    for _ in range(repeats):
        wall, cpu, counts = flood_through_dashboard(ctx, hosts_file, command)
        walls.append(wall)
        cpus.append(cpu)
        lost.append(100 - counts.get("exited", 0))
        wait_for_commands_to_end(agents)
        wall, cpu = flood_without_screen(ctx, hosts_file, command)
        base_walls.append(wall)
        base_cpus.append(cpu)
    case = f"flood 100 hosts x {megabytes} MB base64 (hosts not exited 0 per run: {lost})"
    baseline = "distrun --outdir (no screen)"
    return [row("dashboard", f"{case}: s until no host runs (ratio dashboard/baseline)", "s", walls, baseline,
                base_walls, "", None),
            row("dashboard", f"{case}: client CPU s (ratio dashboard/baseline)", "s", cpus, baseline, base_cpus,
                "", None)]


def flood_through_dashboard(ctx, hosts_file, command):
    """Wall seconds from start until the header shows no host connecting or running, the
    dashboard's CPU seconds then, and the header's counts ("exited": 100 when all went well)."""
    start = time.perf_counter()
    with dashboard(ctx, hosts_file, command) as board:
        counts = board.wait_for_counts("100 hosts to finish", lambda c: not c.keys() & {"connecting", "running"},
                                       timeout=1800)
        wall = time.perf_counter() - start
        cpu = board.cpu()
    return wall, cpu, counts


def flood_without_screen(ctx, hosts_file, command):
    out = ctx.workspace.path("dash-flood-out")
    os.makedirs(out, exist_ok=True)
    for i in range(100):  # raw output per host, straight to /dev/null
        target = os.path.join(out, f"h{i + 1}.out")
        if not os.path.lexists(target):
            os.symlink("/dev/null", target)
    wall, cpu, _, code = lib.timed(lib.distrun_argv(ctx.workspace, hosts_file, command, extra=["--outdir", out]))
    if code != 0:
        raise RuntimeError(f"distrun --outdir flood exited {code}")
    return wall, cpu


# MARK: 2. Key-to-echo latency


def key_latency(ctx, presses, rounds):
    """p50/p99 of key-to-echo for h100 during a flood on h1 … h99, vs cat in a tmux pane."""
    ours, floor, lost, polls = [], [], [], Polls()
    for round_number in range(rounds):
        with fresh_agents(ctx) as (_, ports), echo_agent(ctx) as echo_port:
            hosts_file = ctx.workspace.hosts_file("dash-latency.conf", ports, 99)
            with open(hosts_file, "a") as f:
                f.write(f"127.0.0.1:{echo_port} h100\n")
            mine, plain, hosts_lost = latency_round(ctx, hosts_file, f"r{round_number}x", presses, polls)
        ours.append(mine)
        floor.append(plain)
        lost.append(hosts_lost)
    return latency_rows(ours, floor, lost, polls, presses)


def latency_round(ctx, hosts_file, prefix, presses, polls):
    """One fresh dashboard: h100 zoomed and targeted, `presses` timed; then the same against
    cat in a second tmux server while the flood goes on. Also returns how many flooding hosts
    were no longer running at the end (a flood can cost connections)."""
    # An endless flood, so that every press is measured under load; quitting ends it.
    command = ["bash", "--norc", "-c", f'[ -n "${ECHO_VARIABLE}" ] && exec cat; exec base64 /dev/urandom']
    with dashboard(ctx, hosts_file, command) as board:
        board.wait_for_counts("100 hosts running", lambda c: c.get("running") == 100, timeout=120)
        board.tmux.press(PREFIX, "k", PREFIX, "s", PREFIX, "z")  # h1 → h100 (wraps), target it, zoom
        board.wait_for_screen("h100 zoomed and targeted", zoomed_on_h100, timeout=120)
        mine = echo_latencies(board.tmux, "d" + prefix, presses, polls)
        with tmux_session("cat") as plain:
            floor = echo_latencies(plain, "c" + prefix, presses, polls)
        lost = 100 - board.counts().get("running", 0)
    return mine, floor, lost


@contextmanager
def echo_agent(ctx):
    """An agent whose commands see ECHO_VARIABLE (so they run cat); yields its port."""
    os.environ[ECHO_VARIABLE] = "1"
    try:
        agent, port = lib.start_agent(ctx.processes, ctx.workspace)
    finally:
        del os.environ[ECHO_VARIABLE]
    try:
        yield port
        wait_for_commands_to_end([agent])
    finally:
        agent.terminate()
        agent.wait(10)


def zoomed_on_h100(screen):
    lines = screen.splitlines()
    return bool(lines) and "[zoom]" in lines[0] and "h100 · running" in screen and "→ h100" in lines[-1]


def echo_latencies(tmux, prefix, presses, polls):
    """Milliseconds from `send-keys` to a capture showing the token, one per press. Each token
    is then ended with Enter, and cat's copy of the line awaited, so the next starts clean.
    `polls` gets each capture's duration, and the CPU share the tmux clients took ("cpu")."""
    latencies = []
    before, start = os.times(), time.perf_counter()
    for i in range(presses):
        token = f"{prefix}{i:03d}"
        sent = time.perf_counter()
        tmux.type(token)
        latencies.append((poll_for(tmux, token, 1, polls) - sent) * 1000)
        tmux.press("Enter")
        poll_for(tmux, token, 2, polls)
    after = os.times()
    polls.cpu.append((after.children_user + after.children_system - before.children_user - before.children_system)
                     / (time.perf_counter() - start))
    return latencies


def poll_for(tmux, token, copies, polls, timeout=120):
    """Polls capture-pane as fast as it goes until `token` shows `copies` times; returns the
    time the successful capture returned. Each capture's duration goes into `polls`."""
    deadline = time.perf_counter() + timeout
    while True:
        before = time.perf_counter()
        screen = tmux.screen()
        after = time.perf_counter()
        polls.append(after - before)
        if screen.count(token) >= copies:
            return after
        if after > deadline:
            raise RuntimeError(f"'{token}' did not show within {timeout} s; screen:\n{screen}")


class Polls(list):
    """Durations of captures, and per round of presses the share of a core the tmux clients used."""

    def __init__(self):
        super().__init__()
        self.cpu = []


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def latency_rows(ours, floor, lost, polls, presses):
    p50 = [percentile(r, 0.5) for r in ours]
    p99 = [percentile(r, 0.99) for r in ours]
    case = f"key-to-echo during flood of 99 hosts, {presses} presses (hosts lost per round: {lost})"
    baseline = "cat in a tmux pane, same flood"
    return [row("dashboard", f"{case}: p50 ms (ratio dashboard/baseline)", "ms", p50, baseline,
                [percentile(r, 0.5) for r in floor], "", None),
            row("dashboard", f"{case}: p99 ms (ratio dashboard/baseline)", "ms", p99, baseline,
                [percentile(r, 0.99) for r in floor], "p99 < 50 ms", statistics.median(p99) < 50),
            row("dashboard", f"capture-pane poll: ms per poll, p10 / p50 / p90 (the resolution); polling took "
                f"{100 * statistics.median(polls.cpu):.0f}% of a core", "ms",
                [1000 * percentile(polls, q) for q in (0.1, 0.5, 0.9)], "", [], "", None,
                note="p10 / p50 / p90 of every poll")]


# MARK: 3. Idle CPU


def idle_cpu(ctx, windows, window_seconds=10, hosts=1000):
    with fresh_agents(ctx) as (_, ports), dashboard(ctx, ctx.workspace.hosts_file("dash-idle.conf", ports, hosts),
                                                     ["sleep", "3600"]) as board:
        board.wait_for_counts(f"{hosts} hosts started", lambda c: "connecting" not in c, timeout=300, interval=0.5)
        board.wait_until_cpu_settles(timeout=60)
        percents = []
        for _ in range(windows):
            before, start = board.cpu(), time.perf_counter()
            time.sleep(window_seconds)  # measuring: nothing of ours touches the dashboard meanwhile
            percents.append(100 * (board.cpu() - before) / (time.perf_counter() - start))
        counts = board.counts()
    return [row("dashboard", f"idle CPU, {hosts} hosts running sleep ({windows} x {window_seconds} s"
                f"{not_running(counts)})", "% of a core", percents, "", [], "< 1%",
                statistics.median(percents) < 1)]


# MARK: 4. Peak memory


def peak_memory(ctx, hosts):
    command = ["bash", "--norc", "-c", f"{LOREM}; sleep 3600"]
    with fresh_agents(ctx) as (_, ports), dashboard(ctx, ctx.workspace.hosts_file("dash-memory.conf", ports, hosts),
                                                     command) as board:
        board.wait_for_counts(f"{hosts} hosts started", lambda c: "connecting" not in c, timeout=300, interval=0.5)
        # Output still queued would keep the dashboard busy, so a quiet dashboard has taken it all.
        board.wait_until_cpu_settles(timeout=1800)
        if "elit" not in board.tmux.screen():
            raise RuntimeError("peak memory: the panes show none of the output")
        peak = lib.process_peak_rss_kib(board.pid) / 1024
        counts = board.counts()
    return [row("dashboard", f"peak memory, {hosts} hosts x 11,000 lines of ~60 chars (VmHWM"
                f"{not_running(counts)})", "MiB", [peak], "", [], "< 1 GiB", peak < 1024)]


# MARK: All


def run(ctx, quick=False):
    rows = flood(ctx, megabytes=2 if quick else 10, repeats=1 if quick else 3)
    rows += key_latency(ctx, presses=20 if quick else 50, rounds=1 if quick else 3)
    rows += idle_cpu(ctx, windows=1 if quick else 3)
    rows += peak_memory(ctx, hosts=100 if quick else 1000)
    return rows
