#!/usr/bin/env python3
"""Side-by-side latency of statusbrowse and fzf, measured from outside, in a pty.

For each program, each run:
  first frame  from just before fork() until the end-of-frame text has been
               read from the pty (statusbrowse: its footer's last hint;
               fzf: its "117/117" counter, once all lines are in);
  keystroke    once the screen has been quiet for --settle ms, one key is
               written, and the time is taken at the last byte of the
               answer (the answer ends when nothing more comes for --quiet ms;
               that wait is not counted).
Runs of the two programs alternate, so a change in the machine's load hits
both; the medians (and quartiles) of --runs runs are printed.

fzf gets the lines of `statusbrowse list` on stdin, as a user would pipe
them, and reads the keyboard from the same pty (its /dev/tty).

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
        self.master, slave = os.openpty()
        # The size is set before the program starts, so its first read sees it.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        stdin = open(stdin_path, "rb") if stdin_path else slave
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=stdin,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            # The pty becomes the controlling terminal, so /dev/tty is it.
            preexec_fn=lambda: fcntl.ioctl(0 if stdin_path is None else 1, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        if stdin_path:
            stdin.close()
        self.text = b""

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
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)


def measure(argv, size, marker, key, settle_ms, quiet_ms, stdin_path=None):
    run = Run(argv, size, stdin_path)
    try:
        first = run.wait_for_text(marker)
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
    programs = [("statusbrowse", [args.binary], b"^Y copy", None)]
    if not args.no_fzf:
        if shutil.which("fzf") is None:
            sys.exit("fzf is not installed (or pass --no-fzf)")
        lines = subprocess.run([args.binary, "list"], capture_output=True, check=True).stdout
        count = lines.count(b"\n")
        listing = tempfile.NamedTemporaryFile(prefix="startup-probe-", suffix=".txt", delete=False)
        listing.write(lines)
        listing.close()
        programs.append(("fzf", ["fzf"], f"{count}/{count}".encode(), listing.name))

    results = {name: ([], []) for name, *_ in programs}
    try:
        for _ in range(args.runs):
            for name, argv, marker, stdin_path in programs:
                first, keystroke = measure(argv, size, marker, key, args.settle, args.quiet, stdin_path)
                results[name][0].append(first)
                results[name][1].append(keystroke)
    finally:
        for name, *_, stdin_path in programs:
            if stdin_path:
                os.unlink(stdin_path)

    print(f"{args.runs} runs, {args.size}, key {args.key!r}, load {os.getloadavg()[0]:.1f}")
    for name, (firsts, keystrokes) in results.items():
        print(f"{name:12}  first frame {summary(firsts)}   keystroke {summary(keystrokes)}")
    if "fzf" in results:
        ratio = [statistics.median(results["statusbrowse"][i]) / statistics.median(results["fzf"][i]) for i in (0, 1)]
        print(f"statusbrowse / fzf: first frame x{ratio[0]:.2f}, keystroke x{ratio[1]:.2f}")


if __name__ == "__main__":
    main()
