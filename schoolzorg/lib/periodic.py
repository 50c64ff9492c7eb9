"""Periodic sweeps: idempotent tasks that the scheduler enqueues for the background worker.

Apps register their sweeps in AppConfig.ready(). Every sweep must be safe to run twice at once
(two schedulers, a retry): it derives what to do from the database, never from memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sweep:
    name: str
    task: Any  # a django.tasks Task
    every_seconds: int


_SWEEPS: dict[str, Sweep] = {}


def register(name: str, task: Any, every_seconds: int) -> None:
    _SWEEPS[name] = Sweep(name, task, every_seconds)


def sweeps() -> list[Sweep]:
    return sorted(_SWEEPS.values(), key=lambda s: s.name)
