"""Worker processes that never outlive the build that started them."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a worker: have the kernel kill it when its parent dies (Linux). Without this, a build killed
    with SIGKILL leaves its workers behind, waiting for work forever or still writing into a staging folder
    that the next build is removing."""
    parent = multiprocessing.parent_process()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: nothing to ask for
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before the request took effect
