"""Shared pieces of the benchmarks: release binaries, agents with fresh keys, an sshd on
loopback, timing with min/median/max, and CPU and peak-memory readings from /proc.

Every process started here is stopped by process id when the run ends (see Processes).
"""
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Another build's folder may be named to compare binaries under the same harness (A/B).
SCRATCH = os.environ.get("DISTRUN_BENCH_SCRATCH", os.path.join(ROOT, ".build-release"))


def bin_path(name):
    return os.path.join(SCRATCH, "release", name)


class Processes:
    """Background processes, stopped (SIGTERM, then SIGKILL) by pid at the end."""

    def __init__(self):
        self.children = []

    def start(self, argv, **kwargs):
        child = subprocess.Popen(argv, stdout=kwargs.pop("stdout", subprocess.PIPE),
                                 stderr=kwargs.pop("stderr", subprocess.DEVNULL), **kwargs)
        self.children.append(child)
        return child

    def stop_all(self):
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.time() + 3
        for child in self.children:
            try:
                child.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                child.kill()


class Workspace:
    """A private folder with agent and client keys, the client authorized."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="distrun-bench-")
        self.agent_keys = os.path.join(self.dir, "agent")
        self.client_keys = os.path.join(self.dir, "client")
        subprocess.run([bin_path("distrund"), "keygen", "--keys", self.agent_keys], check=True, capture_output=True)
        out = subprocess.run([bin_path("distrun"), "keygen", "--keys", self.client_keys], check=True,
                             capture_output=True, text=True).stdout
        fingerprint = [l for l in out.splitlines() if l.startswith("Fingerprint: ")][0].split(": ", 1)[1]
        with open(os.path.join(self.agent_keys, "authorized-clients"), "w") as f:
            f.write(fingerprint + "\n")

    def path(self, name):
        return os.path.join(self.dir, name)

    def hosts_file(self, name, ports, count):
        """`count` hosts over the agents at `ports` (round robin), named h1 …"""
        path = self.path(name)
        with open(path, "w") as f:
            for i in range(count):
                f.write(f"127.0.0.1:{ports[i % len(ports)]} h{i + 1}\n")
        return path

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def start_agent(processes, workspace, tls=True, extra=(), wrapper=(), own_session=False):
    """A release distrund on an ephemeral loopback port; returns (process, port). `wrapper`
    goes before it (e.g. nice). With `own_session` it leads a session of its own, so that the
    kernel schedules it apart from this script (autogroups are per session)."""
    security = ["--keys", workspace.agent_keys] if tls else ["--insecure-no-auth"]
    child = processes.start(list(wrapper) + [bin_path("distrund"), "--port", "0", "--max-connections", "20000",
                                             "--max-unauthenticated", "5000"] + security + list(extra),
                             start_new_session=own_session)
    line = child.stdout.readline().decode()
    if "listening on" not in line:
        raise RuntimeError(f"agent did not start: {line!r}")
    return child, int(line.rsplit(":", 1)[1])


def distrun_argv(workspace, hosts, command, tls=True, extra=()):
    security = ["--keys", workspace.client_keys] if tls else ["--insecure-no-auth"]
    # A generous connect timeout: on a loaded 2-core machine a thousand handshakes can queue.
    return [bin_path("distrun")] + security + ["--connect-timeout", "30", "-H", hosts] + list(extra) + ["--"] + command


def timed(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
    """Runs argv; returns (wall seconds, CPU seconds of it and its children, peak RSS KiB, exit
    code)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=stdout, stderr=stderr)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def timed_to_files(argv, out_path, err_path):
    """Runs argv with stdout and stderr into files; returns (wall seconds, CPU seconds, exit code)."""
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        wall, cpu, _, code = timed(argv, stdout=out, stderr=err)
    return wall, cpu, code


def process_cpu_seconds(pid):
    """User + system CPU of a running process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def process_peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def spread(values):
    """(min, median, max)."""
    return min(values), statistics.median(values), max(values)


def raise_descriptor_limit(target=65536):
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, target), hard), hard))


class Sshd:
    """OpenSSH's sshd on a loopback port with throw-away keys, limits raised so that hundreds
    of simultaneous sessions are served (a stock MaxStartups drops about a third of 200).
    `ssh -F self.config hN` reaches it under any name h1 … (pdsh and parallel-ssh need
    distinct host names). Sessions get an empty HOME: bash started by sshd sources ~/.bashrc,
    and this machine's (pyenv) costs ~0.1 CPU s and ~0.25 s per session, which the baselines
    would pay and distrund's `bash -c` does not."""

    def __init__(self, processes, workspace, port=22022):
        self.port = port
        folder = workspace.path("ssh")
        os.makedirs(folder, mode=0o700)
        self.host_key = os.path.join(folder, "host_ed25519")
        self.user_key = os.path.join(folder, "user_ed25519")
        for key in (self.host_key, self.user_key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
        home = os.path.join(folder, "home")
        os.makedirs(home)
        authorized = os.path.join(folder, "authorized_keys")
        shutil.copy(self.user_key + ".pub", authorized)
        sshd_config = os.path.join(folder, "sshd_config")
        with open(sshd_config, "w") as f:
            f.write(f"""ListenAddress 127.0.0.1
Port {port}
HostKey {self.host_key}
AuthorizedKeysFile {authorized}
PermitRootLogin yes
PasswordAuthentication no
UsePAM no
StrictModes no
MaxStartups 5000
MaxSessions 5000
PidFile {folder}/sshd.pid
LogLevel ERROR
SetEnv HOME={home}
""")
        self.config = os.path.join(folder, "ssh_config")
        with open(self.config, "w") as f:
            f.write(f"""Host *
  HostName 127.0.0.1
  Port {port}
  User root
  IdentityFile {self.user_key}
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
  Ciphers aes128-gcm@openssh.com
""")
        os.makedirs("/run/sshd", exist_ok=True)
        self.process = processes.start(["/usr/sbin/sshd", "-D", "-e", "-f", sshd_config])
        deadline = time.time() + 10
        while subprocess.run(["ssh", "-F", self.config, "h0", "true"], capture_output=True).returncode != 0:
            if time.time() > deadline:
                raise RuntimeError("sshd did not come up")
            time.sleep(0.1)

    def ssh(self, host, command):
        return ["ssh", "-F", self.config, host] + command
