"""The Ezhou reform simulator's model: importable on its own (numpy, pandas, mesa, pydantic)."""
