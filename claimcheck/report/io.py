"""Atomic file output for the report writers.

A report folder is read by people and by scripts (``claimcheck eval --report``), often
while a new run is writing it.  Every file is therefore written to a temporary file in
the same folder, flushed to disk, and moved over the old one with ``os.replace``: a
reader sees either the old file or the new one, never half of one, and a failed write
leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from claimcheck.errors import ReportError

#: Permissions for a report file that does not exist yet.  ``mkstemp`` creates 0600,
#: which would make a shared report folder unreadable to colleagues.
DEFAULT_FILE_MODE = 0o644


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` so that the file is either fully replaced or untouched.

    The temporary file lives in the target's folder because ``os.replace`` is only atomic
    within one file system.  On any failure the temporary file is removed and the error
    is raised again (``OSError`` as :class:`ReportError`, naming the file).
    """
    target = Path(path)
    folder = target.parent
    try:
        mode = target.stat().st_mode & 0o777  # keep the permissions someone gave the old file
    except OSError:
        mode = DEFAULT_FILE_MODE
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _write_error(target, exc) from exc
    try:
        # newline="" writes the text as given: offsets in the JSON stay true on any OS.
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from exc
        raise
    _fsync_folder(folder)
    return target


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; best effort (not every platform allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(target: Path, exc: OSError) -> ReportError:
    return ReportError(
        f"cannot be written: {exc.strerror or exc}",
        path=str(target),
        hint="check that the output folder exists, is writable and has free space",
    )
