"""Which threshold settings a check applied, with their defaults (a changed one is shown as
"project setting (default X, source)")."""

from __future__ import annotations

from cluster_desk.core.check_facts import SettingUse
from cluster_desk.core.model import ClusterSettings

_DEFAULTS = ClusterSettings()


def uses(s: ClusterSettings, *keys: str) -> tuple[SettingUse, ...]:
    return tuple(SettingUse(k, getattr(s, k), getattr(_DEFAULTS, k)) for k in keys)
