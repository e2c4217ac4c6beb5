"""What the tests of the ``ezhou`` command expect of a user's mistake: one ``error:`` line."""

from __future__ import annotations


def one_error_line(capsys, *needles: str) -> str:
    """The command's stderr, which must be one ``error:`` line holding every needle."""
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    for needle in needles:
        assert needle in err, (needle, err)
    return err
