"""Reforms: one module each, changing agents' rules and constraints (see model/rules.py)."""
