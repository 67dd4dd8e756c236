"""Files that factmark writes into a project are replaced whole or not at all."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole or not at all; never through a symbolic link.

    The bytes go to a new file beside it, flushed, then renamed over it: writing in place would
    truncate it first, and a full disk would leave half a file.
    """
    if path.is_symlink():
        raise OSError(0, "it is a symbolic link, which factmark does not write through")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()
