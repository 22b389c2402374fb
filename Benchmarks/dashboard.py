"""The dashboard (`distrun-tui`, release build) driven in a private tmux server at 200x60, its
agents on loopback with TLS (four fresh agents per scenario, so none inherits another's
aftermath; their TLS handshake deadline raised, as a thousand handshakes queue on a loaded
machine). In the key-to-echo scenario the flooding agents and their commands run at the lowest
priority, standing in for remote machines, so that what is measured is the dashboard, tmux and
the client: each flooding agent leads a session of its own and its autogroup is set to nice 19,
as is each command's as it appears (Deprioritizer: the kernel shares the CPU between sessions
whatever their processes' nice), and the commands repeat a file of base64 made once rather
than encode /dev/urandom (which took 70% of a core). The agent typed into has a session of its
own at normal priority, like a machine of its own. Without all that, on two shared cores, 99
floods left the dashboard a quarter of a core and tmux's own key-to-echo went from ~5 ms to
~500 ms at the median; with the agents sharing this script's autogroup, the typed-into agent
and the harness waited tens of ms for the CPU. What still runs here at normal priority is the
kernel's pseudo-terminal work for the floods (kworkers, ~35% of a core). Four scenarios, each
on its own: one that fails is reported as a row and the others still run.

1. Flood: 100 hosts each writing 10 MB of base64 as fast as they can; seconds from start until
   the header shows no host connecting or running (normally "100 exited"), and the dashboard's
   CPU seconds then. Baselines: the same hosts file through `distrun --outdir` (no screen, output
   to /dev/null, commands on pipes), and the same 100 commands on local pseudo-terminals with
   nothing else (`script`): the dashboard runs every command on one. Hosts that did not exit 0
   (e.g. "lost" connections) are counted in the case.
2. Key-to-echo latency during a flood: h100 runs `cat` (its PTY echoes what is typed) while
   h1 … h99 flood (from the moment all 100 run); h100 is selected, targeted (C-] s) and zoomed
   (C-] z), then for each press a unique token is typed and its echo awaited through a tmux
   control-mode client (keys in as commands, the pane's output back as it is written: no screen
   polling); 100 presses a round, so that the p99 is not simply the slowest. Baseline: the same
   loop against `cat` running directly in a tmux pane, during the same flood (the tmux floor).
   The case gives the flood's rate and the dashboard's share of a core while the presses were
   timed, to tell a busy machine from a slow dashboard.
3. Idle CPU: 1,000 hosts running `sleep 3600`; the dashboard's CPU once all have started, and
   its peak memory then (the baseline of 4).
4. Peak memory: 1,000 hosts each printing 11,000 lines of ~60 characters (all at once, when
   all are running) and exiting; the dashboard's VmHWM once every host has exited (a host's exit
   status is applied after all its output, and its scrollback stays), and its RSS then; no
   verdict unless every host exited 0. Baseline: the same number of hosts connected and idle
   (scenario 3, or measured here when the counts differ); the ratio is peak over baseline, and
   the case says how many MiB each host's full scrollback cost above it (the text itself is
   ~0.6 MiB a host).

Hosts that are not running when a figure is taken (lost connections, refused handshakes) are
counted in the case, not treated as a failure.

Quick mode: 2 MB floods, 20 presses, one 10 s window of idle CPU, 200 hosts for peak memory,
one run each. Every tmux server started here is killed at the end of its scenario (its socket
file removed); agents are stopped by pid.
"""
import fcntl
import itertools
import os
import queue
import re
import shlex
import signal
import statistics
import subprocess
import sys
import threading
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
TYPING_PAUSE_SECONDS = 0.1
# A thousand TLS handshakes at once take longer than the default 10 s on a loaded 2-core machine.
AGENT_OPTIONS = ["--handshake-timeout", "60"]


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


def children(pid):
    """The processes `pid` started, from /proc's children lists."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(child) for child in f.read().split()]
    except OSError:
        return []
    return found


def descendants(pid):
    """Every process below `pid`."""
    below = children(pid)
    return below + [grandchild for child in below for grandchild in descendants(child)]


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
        try:
            pane = self.tmux.pane_pid()
            self.pid = wait_until("the dashboard process", lambda: next(
                (pid for pid in [pane] + descendants(pane) if process_name(pid) == "distrun-tui"), None), 10)
        except Exception as error:
            screen = self.tmux.screen()
            self.tmux.kill()
            raise RuntimeError(f"{error}; screen:\n{screen}") from None

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

    def peak_mib(self):
        return lib.process_peak_rss_kib(self.pid) / 1024

    def rss_mib(self):
        with open(f"/proc/{self.pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")) / 1024

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
def fresh_agents(ctx, count=4, deprioritized=False):
    """`count` new agents for one scenario (so none inherits another's aftermath), with
    themselves and their commands at the lowest priority if `deprioritized` (each agent then
    leads a session, so that its autogroup is its own, not this script's); yields (processes,
    ports); at the end waits for their commands to be gone and stops them."""
    wrapper = ["nice", "-n", "19"] if deprioritized else []
    started = [lib.start_agent(ctx.processes, ctx.workspace, extra=AGENT_OPTIONS, wrapper=wrapper,
                               own_session=deprioritized) for _ in range(count)]
    agents = [agent for agent, _ in started]
    try:
        with Deprioritizer(agents if deprioritized else []):
            yield agents, [port for _, port in started]
        wait_for_commands_to_end(agents)  # a leftover costs a warning, not the scenario's figures
    finally:
        for agent in agents:
            agent.terminate()
            agent.wait(10)


class Deprioritizer:
    """While active, sets the autogroup of the agents and of each command they start to nice
    19, every 100 ms: each command leads a session of its own (the agent calls setsid), and the
    kernel (autogroup scheduling) shares the CPU between sessions whatever their processes'
    nice. A command's own children share its session, so they need nothing (walking every
    process below the agents took 120-410 ms a pass during a flood, in the harness's process)."""

    def __init__(self, agents):
        self.agents, self.done, self.stop = agents, set(), threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()

    def run(self):
        while not self.stop.wait(0.1):
            for pid in (p for agent in self.agents for p in [agent.pid] + children(agent.pid)
                        if p not in self.done):
                try:
                    with open(f"/proc/{pid}/autogroup", "w") as f:
                        f.write("19")
                    self.done.add(pid)
                except OSError:
                    pass  # gone already, or autogroups not available


def wait_for_commands_to_end(agents, timeout=30):
    """Waits until the agents' commands (sleep 3600 …) have all been ended; warns if they were not."""
    try:
        wait_until("the agents' commands to end", lambda: not any(descendants(a.pid) for a in agents), timeout, 0.2)
    except RuntimeError as error:
        print(f"dashboard benchmark: {error}", file=sys.stderr)


def not_running(counts):
    """"" when every host runs, else e.g. "; 32 failed command" (the header's other counts)."""
    others = [f"{count} {state}" for state, count in counts.items() if state != "running"]
    return "; " + ", ".join(others) if others else ""


class StartGate:
    """Holds commands at `wait` (flock on a file the harness holds) until `open()`: no process
    started per host per poll, as a loop on a file's existence would (a thousand of those loaded
    the machine enough to time connections out), and a command that gets there late passes."""

    def __init__(self, ctx, name):
        self.path = ctx.workspace.path(name)
        self.file = open(self.path, "w")
        fcntl.flock(self.file, fcntl.LOCK_EX)
        self.wait = f"flock -s {shlex.quote(self.path)} true"

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.open()

    def open(self):
        if not self.file.closed:
            self.file.close()  # releases the lock


# MARK: 1. Flood


def flood(ctx, megabytes, repeats):
    with fresh_agents(ctx) as (agents, ports):
        return flood_runs(ctx, agents, ports, megabytes, repeats)


def flood_runs(ctx, agents, ports, megabytes, repeats):
    hosts_file = ctx.workspace.hosts_file("dash-flood.conf", ports, 100)
    command = flood_command(megabytes)
    walls, cpus, lost, base_walls, base_cpus, terminal_walls = [], [], [], [], [], []
    for _ in range(repeats):
        wall, cpu, counts = flood_through_dashboard(ctx, hosts_file, command)
        walls.append(wall)
        cpus.append(cpu)
        lost.append(100 - counts.get("exited", 0))
        wait_for_commands_to_end(agents)
        wall, cpu = flood_without_screen(ctx, hosts_file, command)
        base_walls.append(wall)
        base_cpus.append(cpu)
        terminal_walls.append(flood_on_local_terminals(command))
    case = f"flood 100 hosts x {megabytes} MB base64 (hosts not exited 0 per run: {lost})"
    baseline = "distrun --outdir (no screen)"
    return [row("dashboard", f"{case}: s until no host runs (ratio dashboard/baseline)", "s", walls, baseline,
                base_walls, "", None),
            row("dashboard", f"{case}: s until no host runs, against the pseudo-terminals alone (ratio)", "s",
                walls, "the 100 commands on local pseudo-terminals (script), nothing else", terminal_walls, "",
                None),
            row("dashboard", f"{case}: client CPU s (ratio dashboard/baseline)", "s", cpus, baseline, base_cpus,
                "", None)]


def flood_through_dashboard(ctx, hosts_file, command):
    """Wall seconds from start until the header shows no host connecting or running, the
    dashboard's CPU seconds then, and the header's counts ("exited": 100 when all went well)."""
    start = time.perf_counter()
    with dashboard(ctx, hosts_file, command) as board:
        counts = board.wait_for_counts("100 hosts to finish", lambda c: not c.keys() & {"connecting", "running"},
                                       timeout=600)
        wall = time.perf_counter() - start
        cpu = board.cpu()
    return wall, cpu, counts


def flood_on_local_terminals(command):
    """Wall seconds for the 100 commands each on a pseudo-terminal of its own here (`script`,
    output to /dev/null): what the dashboard's hosts cost this machine before any network or
    screen, as the dashboard runs every command on a pseudo-terminal and `distrun --outdir` on
    pipes (the kernel's terminal processing took ~10 CPU s for 100 x 2 MB)."""
    start = time.perf_counter()
    children = [subprocess.Popen(["script", "-qec", shlex.join(command), "/dev/null"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(100)]
    codes = [child.wait() for child in children]
    if any(codes):
        raise RuntimeError(f"script on a local pseudo-terminal failed: exit codes {sorted(set(codes))}")
    return time.perf_counter() - start


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
    ours, floor, lost, loads = [], [], [], []
    for _ in range(rounds):
        with fresh_agents(ctx, deprioritized=True) as (agents, ports), echo_agent(ctx) as echo_port:
            hosts_file = ctx.workspace.hosts_file("dash-latency.conf", ports, 99)
            with open(hosts_file, "a") as f:
                f.write(f"127.0.0.1:{echo_port} h100\n")
            mine, plain, hosts_lost, load = latency_round(ctx, agents, hosts_file, presses)
        ours.append(mine)
        floor.append(plain)
        lost.append(hosts_lost)
        loads.append(load)
    return latency_rows(ours, floor, lost, loads, presses)


def latency_round(ctx, agents, hosts_file, presses):
    """One fresh dashboard: h100 zoomed and targeted, `presses` timed; then the same against
    cat in a second tmux server while the flood goes on. Also returns how many flooding hosts
    were no longer running at the end (a flood can cost connections), and while the presses
    were timed the flood's rate (bytes the agents wrote, TLS included) and the share of a core
    the dashboard had: a slow flood or a small share means a busy machine."""
    # An endless flood, so that every press is measured under load; quitting ends it. It starts
    # once every host is running: floods of the first hosts would delay the handshakes of the
    # last past the dashboard's 5 s connect timeout on a loaded machine.
    with StartGate(ctx, "dash-latency-gate") as gate, dashboard(ctx, hosts_file, [
            "bash", "--norc", "-c",
            f'[ -n "${ECHO_VARIABLE}" ] && exec cat; {gate.wait}; '
            f'while :; do cat {shlex.quote(flood_data(ctx))}; done']) as board:
        board.wait_for_counts("100 hosts running", lambda c: c.get("running") == 100, timeout=120)
        gate.open()
        board.tmux.press(PREFIX, "k", PREFIX, "s", PREFIX, "z")  # h1 → h100 (wraps), target it, zoom
        board.wait_for_screen("h100 zoomed and targeted", zoomed_on_h100, timeout=120)
        cpu, written, start = board.cpu(), bytes_written(agents), time.perf_counter()
        mine = echo_latencies(board.tmux, presses)
        seconds = time.perf_counter() - start
        load = ((bytes_written(agents) - written) / seconds / 1e6, (board.cpu() - cpu) / seconds)
        with tmux_session("cat") as plain:
            floor = echo_latencies(plain, presses)
        lost = 100 - board.counts().get("running", 0)
    return mine, floor, lost, load


def flood_data(ctx):
    """A file of 8 MB of base64 lines, made once: repeated by the floods, so that what stands in
    for remote machines spends no CPU here making random bytes (base64 of /dev/urandom took
    70% of a core from the dashboard, tmux and the harness)."""
    path = ctx.workspace.path("flood-data.b64")
    if not os.path.exists(path):
        subprocess.run(["bash", "--norc", "-c", f"head -c 6000000 /dev/urandom | base64 > {shlex.quote(path)}"],
                       check=True)
    return path


def bytes_written(processes):
    """Bytes the processes have written (write and send calls), from /proc."""
    total = 0
    for process in processes:
        with open(f"/proc/{process.pid}/io") as f:
            total += next(int(l.split()[1]) for l in f if l.startswith("wchar:"))
    return total


@contextmanager
def echo_agent(ctx):
    """An agent whose commands see ECHO_VARIABLE (so they run cat); yields its port. At normal
    priority, in a session of its own: the host typed into is a machine of its own, not loaded
    by the others' floods (in this script's autogroup it would share the CPU with it)."""
    os.environ[ECHO_VARIABLE] = "1"
    try:
        agent, port = lib.start_agent(ctx.processes, ctx.workspace, extra=AGENT_OPTIONS, own_session=True)
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


def echo_latencies(tmux, presses):
    """Milliseconds from typing a unique token to its echo leaving the pane, one per press. Each
    token is then ended with Enter, and cat's copy of the line awaited, so the next starts clean;
    the next press comes TYPING_PAUSE_SECONDS later, as a fast typist's would (back to back, every
    echo would wait for the dashboard's next frame, at most 30 a second)."""
    latencies = []
    with ControlClient(tmux) as control:
        for i in range(presses):
            time.sleep(TYPING_PAUSE_SECONDS)
            token = echo_token(i)
            control.forget_output()
            sent = time.perf_counter()
            control.command(f"send-keys -t main -l {token}")
            latencies.append((control.wait_for(token, 1) - sent) * 1000)
            control.command("send-keys -t main Enter")
            control.wait_for(token, 2)
    return latencies


def echo_token(i):
    """A token unique among the first 650 that differs from its neighbours in every position:
    curses rewrites only the cells that changed, so a token drawn where a similar one was would
    leave the pane in pieces (nine letters, period 26 in the first six, 25 in the last three)."""
    return ("".join(chr(ord("a") + (i + 7 * k) % 26) for k in range(6))
            + "".join(chr(ord("A") + (i + 3 * k) % 25) for k in range(3)))


class ControlClient:
    """A tmux control-mode client (`tmux -C attach`) on the session: keys go in as commands on
    its stdin (no process started per key), and tmux says (%output) the moment the pane's program
    writes something; only then is the screen captured, to see whether the token is on it. So
    the time taken is when the output that completed the token arrived, the capture's own cost
    left out, with no polling (capture-pane in a loop cost a process per poll, ~5 ms each on an
    idle machine and ~90 ms on a loaded one, and half a core). A thread of its own reads the
    client and notes when each piece of output arrived, so output that comes while a capture runs
    keeps its own time (a capture can take 100 ms on a loaded machine). Reading the output stream
    itself is no good: curses draws what changed, in pieces and with cursor moves. Control clients
    do not resize the window."""

    def __init__(self, tmux):
        self.tmux = tmux
        self.process = subprocess.Popen(tmux.argv("-C", "attach", "-t", "main"), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.arrivals = queue.Queue()  # perf_counter times of pieces of pane output; None: client gone
        attached = threading.Event()
        self.reader = threading.Thread(target=self.read_output, args=(attached,), daemon=True)
        self.reader.start()
        # A command sent before the attach is done can be lost (seen with a server just started).
        if not attached.wait(30):
            raise RuntimeError("the tmux control client did not attach within 30 s")

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(10)

    def read_output(self, attached):
        unparsed = b""
        while chunk := os.read(self.process.stdout.fileno(), 1 << 20):
            arrived = time.perf_counter()
            lines = (unparsed + chunk).split(b"\n")
            unparsed = lines.pop()
            if any(line.startswith(b"%session-changed ") for line in lines):
                attached.set()
            if any(line.startswith(b"%output ") for line in lines):
                self.arrivals.put(arrived)
        self.arrivals.put(None)

    def command(self, line):
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def forget_output(self):
        self.latest_arrival(None)

    def wait_for(self, token, copies, timeout=60):
        """Waits until the screen shows `token` `copies` times, capturing it after each piece of
        output; returns when the output that completed it arrived: the latest piece that had
        arrived when the capture showing it ended."""
        deadline, screen = time.perf_counter() + timeout, ""
        while True:
            try:
                arrived = self.arrivals.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise RuntimeError(f"'{token}' not seen {copies} time(s) within {timeout} s; screen:\n{screen}")
            if arrived is None:
                raise RuntimeError("the tmux control client ended")
            screen = self.tmux.screen()
            if screen.count(token) >= copies:
                return self.latest_arrival(arrived)

    def latest_arrival(self, arrived):
        """`arrived`, or the time of the latest piece of output waiting, if any (taking them)."""
        while True:
            try:
                later = self.arrivals.get_nowait()
            except queue.Empty:
                return arrived
            if later is None:
                raise RuntimeError("the tmux control client ended")
            arrived = later


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def latency_rows(ours, floor, lost, loads, presses):
    p50 = [percentile(r, 0.5) for r in ours]
    p99 = [percentile(r, 0.99) for r in ours]
    load = ", ".join(f"{rate:.0f} MB/s, {100 * share:.0f}%" for rate, share in loads)
    case = (f"key-to-echo during flood of 99 hosts, {presses} presses a round (hosts lost per round: {lost}; "
            f"flood rate and dashboard's share of a core meanwhile: {load})")
    baseline = "cat in a tmux pane, same flood"
    return [row("dashboard", f"{case}: p50 ms (ratio dashboard/baseline)", "ms", p50, baseline,
                [percentile(r, 0.5) for r in floor], "", None),
            row("dashboard", f"{case}: p99 ms (ratio dashboard/baseline)", "ms", p99, baseline,
                [percentile(r, 0.99) for r in floor], "p99 < 50 ms", statistics.median(p99) < 50)]


# MARK: 3. Idle CPU


def idle_cpu(ctx, windows, window_seconds=10, hosts=1000):
    """Rows for idle CPU, and the peak memory of `hosts` idle hosts (the memory baseline)."""
    with fresh_agents(ctx) as (_, ports), dashboard(ctx, ctx.workspace.hosts_file("dash-idle.conf", ports, hosts),
                                                     ["sleep", "3600"]) as board:
        board.wait_for_counts(f"{hosts} hosts started", lambda c: "connecting" not in c, timeout=300, interval=0.5)
        board.wait_until_cpu_settles(timeout=60)
        percents = []
        for _ in range(windows):
            before, start = board.cpu(), time.perf_counter()
            time.sleep(window_seconds)  # measuring: nothing of ours touches the dashboard meanwhile
            percents.append(100 * (board.cpu() - before) / (time.perf_counter() - start))
        counts, peak = board.counts(), board.peak_mib()
    rows = [row("dashboard", f"idle CPU, {hosts} hosts running sleep ({windows} x {window_seconds} s"
                f"{not_running(counts)})", "% of a core", percents, "", [], "< 1%",
                statistics.median(percents) < 1)]
    return rows, IdleMemory(hosts, peak, counts)


class IdleMemory:
    """The peak memory of a dashboard whose hosts are connected and silent."""

    def __init__(self, hosts, peak_mib, counts):
        self.hosts, self.peak_mib, self.counts = hosts, peak_mib, counts


def idle_memory(ctx, hosts):
    """The memory baseline measured on its own (when scenario 3 ran another host count)."""
    with fresh_agents(ctx) as (_, ports), dashboard(ctx, ctx.workspace.hosts_file("dash-idle.conf", ports, hosts),
                                                     ["sleep", "3600"]) as board:
        board.wait_for_counts(f"{hosts} hosts started", lambda c: "connecting" not in c, timeout=300, interval=0.5)
        board.wait_until_cpu_settles(timeout=60)
        return IdleMemory(hosts, board.peak_mib(), board.counts())


# MARK: 4. Peak memory


def peak_memory(ctx, hosts, idle):
    if idle is None or idle.hosts != hosts:
        idle = idle_memory(ctx, hosts)
    # The output starts once every host is running: a thousand hosts printing while the last
    # were still connecting pushed hundreds of those past the dashboard's 5 s connect timeout.
    with StartGate(ctx, "dash-memory-gate") as gate, fresh_agents(ctx) as (_, ports):
        hosts_file = ctx.workspace.hosts_file("dash-memory.conf", ports, hosts)
        command = ["bash", "--norc", "-c", f"{gate.wait}; {LOREM}"]
        with dashboard(ctx, hosts_file, command) as board:
            board.wait_for_counts(f"{hosts} hosts started", lambda c: "connecting" not in c, timeout=300,
                                  interval=0.5)
            gate.open()
            # A host's exit status is applied after all its output: once none runs, all is in.
            counts = board.wait_for_counts("all output taken in", lambda c: not c.keys() & {"connecting", "running"},
                                           timeout=600, interval=0.5)
            if "elit" not in board.tmux.screen():
                raise RuntimeError("peak memory: the panes show none of the output")
            peak, settled = board.peak_mib(), board.rss_mib()
    per_host = (peak - idle.peak_mib) / hosts
    complete = counts.get("exited", 0) == hosts
    if hosts < 1000:
        target, met = "(1 GiB at 1,000 hosts)", None
    else:
        # A host that stopped early holds less than a full scrollback: no verdict then.
        target, met = "< 1 GiB at 1,000 hosts", (peak < 1024) if complete else None
    others = ", ".join(f"{count} {state}" for state, count in counts.items() if state != "exited")
    return [row("dashboard", f"peak memory, {hosts} hosts x 11,000 lines of ~60 chars (VmHWM; RSS once all had "
                f"exited {settled:.0f} MiB; {per_host:.2f} MiB a host above idle{'; ' + others if others else ''}; "
                f"idle hosts"
                f"{not_running(idle.counts) or ': all running'}) (ratio peak/idle)", "MiB", [peak],
                "the same hosts idle", [idle.peak_mib], target if complete else f"{target}: not judged, hosts missing",
                met)]


# MARK: All


def run(ctx, quick=False):
    """Every scenario, each on its own: one that fails becomes a row saying so."""
    rows = []
    rows += scenario("flood", lambda: flood(ctx, megabytes=2 if quick else 10, repeats=1 if quick else 3))
    # 100 presses a round: the p99 of 50 would be their maximum.
    rows += scenario("key-to-echo", lambda: key_latency(ctx, presses=20 if quick else 100, rounds=1 if quick else 3))
    idle = []
    rows += scenario("idle CPU", lambda: keep(idle, idle_cpu(ctx, windows=1 if quick else 3)))
    rows += scenario("peak memory", lambda: peak_memory(ctx, hosts=200 if quick else 1000,
                                                         idle=idle[0] if idle else None))
    return rows


def keep(store, result):
    rows, extra = result
    store.append(extra)
    return rows


def scenario(name, measure):
    started = time.perf_counter()
    try:
        rows = measure()
    except Exception as error:  # one scenario's failure must not cost the others
        print(f"dashboard benchmark: {name} failed: {error}", file=sys.stderr)
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        rows = [row("dashboard", f"{name}: FAILED ({first_line})", "", [], "", [], "", False)]
    print(f"dashboard benchmark: {name} took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return rows
