"""What the demo seed has built so far, handed from layer to layer (organisations → referrals)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "Schoolzorg-demo-2026"
DEMO_OTP_CODE = "123456"


@dataclass
class SeedContext:
    rng: random.Random
    today: dt.date
    municipality: Any = None
    schools: list[Any] = field(default_factory=list)
    districts: list[Any] = field(default_factory=list)
    teams: list[Any] = field(default_factory=list)
    # One demo login per role: role value → user (the first school's staff where it applies).
    users: dict[str, Any] = field(default_factory=dict)
    # Every staff member per school: school pk → role → [users].
    staff: dict[int, dict[str, list[Any]]] = field(default_factory=dict)
    pupils: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
