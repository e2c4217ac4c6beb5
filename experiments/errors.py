"""The error every command reports as one line with exit code 2: a mistake in what the user
asked for (a bad option, an experiment file that cannot be run, a results folder that does
not match). Kept apart from the CLI so that the engines can raise it without importing it."""


class UserError(Exception):
    """A mistake in what the user asked for: reported in one line, exit code 2."""


class SpecError(UserError):
    """A mistake in an experiment file: one line naming the file, the key and what is allowed."""
