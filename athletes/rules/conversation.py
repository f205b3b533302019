"""Rules of the conversation about sessions and runs: pure functions, no Django."""

import datetime as dt

# A comment can be corrected this long after it was posted; deleted by its author at any time.
EDIT_WINDOW = dt.timedelta(minutes=10)
# What a notice quotes of a comment.
QUOTED_LENGTH = 140


def comment_editable(created_at: dt.datetime, now: dt.datetime) -> bool:
    return now - created_at <= EDIT_WINDOW


def quoted(body: str, length: int = QUOTED_LENGTH) -> str:
    """The start of a comment, on one line, for a notice: whole words, with an ellipsis."""
    line = " ".join(body.split())
    if len(line) <= length:
        return line
    return line[:length].rsplit(" ", 1)[0] + "…"


def body_problem(body: str, max_length: int) -> str | None:
    """Why `body` cannot be posted, or None."""
    if not body.strip():
        return "Write something first."
    if len(body) > max_length:
        return f"Keep it under {max_length} characters (this is {len(body)})."
    return None
