"""Markets: where agents' wants meet. Each clears over arrays of agent attributes through
one entry point that returns a typed result."""
