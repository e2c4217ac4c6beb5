"""Shared fixtures: small runs reused across tests (module-scoped to keep the suite quick)."""

from __future__ import annotations

import pytest

from model.scenario import Scenario


@pytest.fixture
def baseline() -> Scenario:
    return Scenario(name="test-baseline")
