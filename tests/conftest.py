"""Shared fixtures: small runs reused across tests (module-scoped to keep the suite quick).

The numeric code paths are pinned here, before anything imports numpy: see
``tests/numerics.py``."""

from __future__ import annotations

import numerics  # noqa: I001  (first: it must run before numpy is imported)

numerics.pin()

import pytest  # noqa: E402

from model.scenario import Scenario  # noqa: E402


@pytest.fixture
def baseline() -> Scenario:
    return Scenario(name="test-baseline")
