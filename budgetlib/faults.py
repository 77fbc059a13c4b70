"""Fault points: named places where a test makes budgetlib fail on purpose.

The reliability tests must kill a run at each of its renames, and make one document
hang or eat memory, without patching code in another process. So the code calls
:func:`point` at those places, and the environment variable ``BUDGETLIB_FAULT``
names the place and what happens there, as ``PLACE=ACTION`` pairs separated by ``;``::

    BUDGETLIB_FAULT="store:swap=kill"          # SIGKILL this process just before the swap
    BUDGETLIB_FAULT="parse:slow.txt=sleep"     # the document slow.txt never finishes
    BUDGETLIB_FAULT="parse:big.txt=allocate"   # the document big.txt allocates without end

Actions: ``kill`` (SIGKILL itself, as ``kill -9`` or the OOM killer would), ``sleep``
(an hour), ``allocate`` (memory, 64 MB at a time, until the process runs out).
Without the variable (every normal run) :func:`point` does nothing.
"""
from __future__ import annotations

import os
import signal
import time

ENV = "BUDGETLIB_FAULT"


def point(place: str) -> None:
    """Do what ``BUDGETLIB_FAULT`` asks for at ``place``, if anything."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    for pair in spec.split(";"):
        name, _, action = pair.partition("=")
        if name == place:
            _act(action)


def _act(action: str) -> None:
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "sleep":
        time.sleep(3600)
    elif action == "allocate":
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
