"""Markets: where agents' wants meet. Each clears over arrays of agent attributes."""
