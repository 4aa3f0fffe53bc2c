"""npm packages the browser tests run (axe-core, the OIDC provider), installed from their lock
files once, whatever number of test processes ask at the same moment.

Browser tests run on every xdist worker. Two workers that both find a folder's packages
missing must not both run ``npm ci``: it deletes ``node_modules`` first, so one would pull the
packages from under a provider the other had just started. A file lock beside the lock file
makes the check and the install one step; a marker in ``node_modules`` records which lock file
was installed, so a changed lock file is installed again.
"""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
from pathlib import Path


def installed(folder: Path, npm: str) -> None:
    """``npm ci`` in ``folder`` unless its ``node_modules`` came from the current lock file."""
    lock_file = folder / "package-lock.json"
    marker = folder / "node_modules" / ".installed-from-lock"
    digest = hashlib.sha256(lock_file.read_bytes()).hexdigest()
    with (folder / ".install.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # released when the file closes
        if marker.is_file() and marker.read_text() == digest:
            return
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"npm ci in {folder.name} failed:\n{done.stdout}\n{done.stderr}")
        marker.write_text(digest)
