"""The one base of every error a user can cause and fix (a bad path, a bad setting, a bad query, a lock held).

It lives in ``scrapers`` because every package may import from there (data flows scrapers → nlp → translate
→ db → pipeline). The command line catches ``UserError`` in one place and prints it as one line,
``newspipe: error: …``, with exit code 1; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; its message is one line that says what is wrong and, where it helps, what
    to do."""
