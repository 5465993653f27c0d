#!/usr/bin/env python3
"""Side-by-side latency of statusbrowse and fzf, measured from outside, in a pty.

For each program, each run:
  first frame  from just before the spawn until the end-of-frame text has been
               read from the pty (statusbrowse: its footer's last hint;
               fzf: its "117/117" counter, once all lines are in);
  keystroke    once the screen has been quiet for --settle ms, one key is
               written, and the time is taken at the last byte of the
               answer (the answer ends when nothing more comes for --quiet ms;
               that wait is not counted).

The floor: each round also starts /bin/echo with the footer's text in the
same way, so the first figure has a baseline: what starting any process and
reading its first output costs here, with no work in between. The figures
"net of the floor" subtract the floor of the same round from each program's
first frame (medians of those differences), and their ratio compares the
work each program does before its first frame.

Programs are started with posix_spawn (glibc: clone with CLONE_VFORK, then
exec), not subprocess.Popen: Popen with a preexec_fn must fork this Python
process and wait for its exec, which measured about 5 ms a spawn and drowned
the difference between the programs. The child calls setsid, then opens the
pty's slave: the first terminal a session leader opens becomes its
controlling terminal (glibc runs setsid before the file actions), so
/dev/tty is the pty. statusbrowse and the floor get the pty as fds 0, 1 and
2; fzf gets the lines of `statusbrowse list` on stdin, as a user would pipe
them, the pty as fds 1 and 2, and reads the keyboard from its /dev/tty.

Rounds alternate the programs (floor, statusbrowse, fzf), so a change in
the machine's load hits all of them; the medians (and quartiles) of --runs
rounds are printed.

The probe answers a cursor-position query (CSI 6n) and a device-attributes
query (CSI c) as xterm does; it does not answer the kitty keyboard-protocol
query (CSI ? u), like most terminals.

Usage: scripts/startup-probe.py [--runs 30] [--binary target/release/statusbrowse]
                                [--size 120x36] [--key 5] [--no-fzf]
Needs a release build (cargo build --release) and, for the comparison, fzf.
"""

import argparse
import fcntl
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

# CSI and OSC sequences, and the two-byte escapes (ESC 7, ESC =, ...).
ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_7=>]")
CURSOR_POSITION_QUERY = b"\x1b[6n"
DEVICE_ATTRIBUTES_QUERY = b"\x1b[c"


class Run:
    """One program in one pty: spawn, wait for text, type, wait for quiet."""

    def __init__(self, argv, size, stdin_path=None):
        columns, rows = size
        self.master, self.slave = os.openpty()
        # The size is set before the program starts, so its first read sees it.
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        terminal = os.ttyname(self.slave)
        # The slave is opened (not inherited) after setsid, which makes it the
        # controlling terminal; fzf's stdin is the listing, so the pty is fd 1.
        tty_fd = 0 if stdin_path is None else 1
        actions = [(os.POSIX_SPAWN_OPEN, tty_fd, terminal, os.O_RDWR, 0)]
        actions += [(os.POSIX_SPAWN_DUP2, tty_fd, fd) for fd in (0, 1, 2) if fd > tty_fd]
        if stdin_path:
            actions.append((os.POSIX_SPAWN_OPEN, 0, stdin_path, os.O_RDONLY, 0))
        self.started = time.perf_counter()
        self.pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True)

    def _read(self, timeout):
        """Reads what is there within `timeout` seconds; None when nothing came."""
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return None
        try:
            data = os.read(self.master, 65536)
        except OSError:
            raise RuntimeError("the program closed the terminal")
        if not data:
            raise RuntimeError("the program closed the terminal")
        if CURSOR_POSITION_QUERY in data:
            os.write(self.master, b"\x1b[1;1R")
        if DEVICE_ATTRIBUTES_QUERY in data:
            os.write(self.master, b"\x1b[?62;22c")
        return data

    def wait_for_text(self, marker, deadline=5.0):
        """Milliseconds from the spawn until `marker` shows in the text written."""
        raw = b""
        end = time.perf_counter() + deadline
        while time.perf_counter() < end:
            data = self._read(end - time.perf_counter())
            if data is None:
                continue
            raw += data
            if marker in ESCAPES.sub(b"", raw):
                return (time.perf_counter() - self.started) * 1000
        raise RuntimeError(f"{marker!r} did not appear within {deadline} s")

    def settle(self, quiet_ms):
        """Reads until nothing has come for `quiet_ms`."""
        while self._read(quiet_ms / 1000) is not None:
            pass

    def keystroke(self, key, quiet_ms):
        """Milliseconds from writing `key` to the last byte of the answer."""
        sent = time.perf_counter()
        os.write(self.master, key)
        last = None
        deadline = sent + 5.0
        while time.perf_counter() < deadline:
            data = self._read(quiet_ms / 1000)
            if data is None:
                if last is not None:
                    return (last - sent) * 1000
                continue
            last = time.perf_counter()
        raise RuntimeError(f"no answer to {key!r} within 5 s")

    def close(self):
        # The floor has exited already; its process group is gone with it.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.master)
        os.close(self.slave)


FOOTER = b"^Y copy"
# Any process's start-up and first write, with nothing in between.
FLOOR = ["/bin/echo", FOOTER.decode()]


def measure(argv, size, marker, key, settle_ms, quiet_ms, stdin_path=None):
    run = Run(argv, size, stdin_path)
    try:
        first = run.wait_for_text(marker)
        if key is None:
            return first, None
        run.settle(settle_ms)
        return first, run.keystroke(key, quiet_ms)
    finally:
        run.close()


def summary(values):
    quartiles = statistics.quantiles(values, n=4)
    return f"median {statistics.median(values):6.2f} ms (quartiles {quartiles[0]:.2f}-{quartiles[2]:.2f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--binary", default="target/release/statusbrowse")
    parser.add_argument("--size", default="120x36", help="COLUMNSxROWS")
    parser.add_argument("--key", default="5", help="the key typed after the first frame")
    parser.add_argument("--settle", type=int, default=200, help="quiet ms before the key is typed")
    parser.add_argument("--quiet", type=int, default=50, help="quiet ms that end the answer to the key")
    parser.add_argument("--no-fzf", action="store_true")
    args = parser.parse_args()

    size = tuple(int(part) for part in args.size.split("x"))
    key = args.key.encode()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is not built: run cargo build --release")
    # The floor types no key: it has exited by then.
    programs = [("floor", FLOOR, FOOTER, None, None), ("statusbrowse", [args.binary], FOOTER, None, key)]
    if not args.no_fzf:
        fzf = shutil.which("fzf")
        if fzf is None:
            sys.exit("fzf is not installed (or pass --no-fzf)")
        lines = subprocess.run([args.binary, "list"], capture_output=True, check=True).stdout
        count = lines.count(b"\n")
        listing = tempfile.NamedTemporaryFile(prefix="startup-probe-", suffix=".txt", delete=False)
        listing.write(lines)
        listing.close()
        programs.append(("fzf", [fzf], f"{count}/{count}".encode(), listing.name, key))

    results = {name: ([], []) for name, *_ in programs}
    try:
        for _ in range(args.runs):
            for name, argv, marker, stdin_path, typed in programs:
                first, keystroke = measure(argv, size, marker, typed, args.settle, args.quiet, stdin_path)
                results[name][0].append(first)
                results[name][1].append(keystroke)
    finally:
        for *_, stdin_path, _ in programs:
            if stdin_path:
                os.unlink(stdin_path)

    print(f"{args.runs} rounds, {args.size}, key {args.key!r}, load {os.getloadavg()[0]:.1f}")
    floors = results["floor"][0]
    print(f"{'floor':12}  first frame {summary(floors)}   ({' '.join(FLOOR)})")
    net = {}
    for name, (firsts, keystrokes) in results.items():
        if name == "floor":
            continue
        net[name] = statistics.median(first - floor for first, floor in zip(firsts, floors))
        print(
            f"{name:12}  first frame {summary(firsts)}, net of the floor {net[name]:5.2f} ms"
            f"   keystroke {summary(keystrokes)}"
        )
    if "fzf" in results:
        ratio = [statistics.median(results["statusbrowse"][i]) / statistics.median(results["fzf"][i]) for i in (0, 1)]
        print(
            f"statusbrowse / fzf: first frame x{ratio[0]:.2f} (net of the floor x{net['statusbrowse'] / net['fzf']:.2f}),"
            f" keystroke x{ratio[1]:.2f}"
        )


if __name__ == "__main__":
    main()
