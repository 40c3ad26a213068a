"""Finding the pillars binary and running it: progress streamed, errors raised with its message.

Nothing here re-implements the model or any verb: every result comes from the binary.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterable, Sequence

__all__ = ["PillarsError", "find_binary", "repository_root", "call"]


class PillarsError(RuntimeError):
    """The pillars command failed: `message` is what it printed on stderr (one line naming
    the file, the key path and what was expected, for bad input), `returncode` its exit
    status (1 a check failed, 2 bad input or a failed write, 64 bad usage) and `command`
    the command line."""

    def __init__(self, message: str, returncode: int, command: Sequence[str]):
        self.message = message
        self.returncode = returncode
        self.command = list(command)
        super().__init__(f"{message} (exit {returncode}: {' '.join(map(str, command[:3]))} …)")


def repository_root(start: Path | None = None) -> Path | None:
    """The Pillars repository this package sits in (the folder with Package.swift above it),
    else the first such folder above `start` (default: the working directory), else None."""
    here = Path(__file__).resolve().parent
    for base in (here, (start or Path.cwd()).resolve()):
        for p in (base, *base.parents):
            if (p / "Package.swift").is_file() and (p / "Sources" / "pillars").is_dir():
                return p
    return None


def find_binary(binary: str | os.PathLike | None = None) -> Path:
    """The pillars executable, found as the README says: `binary` when given; else
    $PILLARS; else the newer of `.build/release/pillars` and `.build/debug/pillars` in the
    repository (`swift build -c release` makes the first, Scripts/test.sh the second); else
    `pillars` on PATH. Raises FileNotFoundError saying how to build one."""
    if binary is not None:
        p = Path(binary).expanduser()
        if not (p.is_file() and os.access(p, os.X_OK)):
            raise FileNotFoundError(f"{p}: not an executable pillars binary")
        return p.resolve()
    env = os.environ.get("PILLARS")
    if env:
        p = Path(env).expanduser()
        if not (p.is_file() and os.access(p, os.X_OK)):
            raise FileNotFoundError(f"PILLARS={env}: not an executable pillars binary")
        return p.resolve()
    root = repository_root()
    if root is not None:
        built = [root / ".build" / c / "pillars" for c in ("release", "debug")]
        built = [p for p in built if p.is_file() and os.access(p, os.X_OK)]
        if built:
            return max(built, key=lambda p: p.stat().st_mtime).resolve()
    on_path = shutil.which("pillars")
    if on_path:
        return Path(on_path).resolve()
    raise FileNotFoundError(
        "no pillars binary: build one with `swift build -c release` in the repository "
        "(.build/release/pillars), set PILLARS=/path/to/pillars, or pass binary=")


def _open_terminal():
    """A pseudo-terminal for the child's stderr, so that pillars shows its progress bar
    (it draws one only on a terminal); None where there is none (Windows)."""
    try:
        import pty
        return pty.openpty()
    except (ImportError, OSError):
        return None


def call(args: Iterable[str], *, binary: str | os.PathLike | None = None, cwd: str | os.PathLike | None = None,
         progress: bool | Callable[[str], None] = True) -> str:
    """Run `pillars ARGS…` and return its stdout. Its progress bar (and any warning) is
    streamed as it comes: to sys.stderr when `progress` is True, to the callable when one is
    given, nowhere when False. A non-zero exit raises PillarsError with its stderr message."""
    exe = find_binary(binary)
    cmd = [str(exe), *map(str, args)]
    sink = (lambda s: (sys.stderr.write(s), sys.stderr.flush())) if progress is True else (progress or None)
    term = _open_terminal() if sink else None
    if term is None:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        if sink and r.stderr:
            sink(r.stderr)
        err = r.stderr
        out, code = r.stdout, r.returncode
    else:
        master, slave = term
        with subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL) as p:
            os.close(slave)
            chunks = []
            while True:
                try:
                    data = os.read(master, 4096)
                except OSError:  # EIO: the child closed its end
                    data = b""
                if not data:
                    break
                text = data.decode("utf-8", "replace")
                chunks.append(text)
                sink(text)
            os.close(master)
            out = p.stdout.read().decode("utf-8", "replace")
            code = p.wait()
        err = "".join(chunks).replace("\r\n", "\n")
    if code != 0:
        raise PillarsError(_message(err), code, cmd)
    return out


def _message(stderr: str) -> str:
    """The error lines of stderr, without progress-bar redraws and terminal escapes."""
    lines = []
    for line in stderr.split("\n"):
        line = line.split("\r")[-1].replace("\x1b[K", "").strip()
        if line:
            lines.append(line)
    return "\n".join(lines) or "(no message on stderr)"
