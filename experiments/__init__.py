"""The outer loop: runs models, replicates, writes results. Never inside a model."""
