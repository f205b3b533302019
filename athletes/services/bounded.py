"""Reading an uploaded file in a forked child process held to a budget of processor time.

A parser can be handed a few bytes that take it minutes to walk (a repeating calendar rule,
a deeply nested document), and no parser offers a time limit of its own. The child sets a
processor-time alarm before it starts reading, so the limit holds wherever the library spends
the time, and the parent waits on a wall clock too, for a child that a busy machine holds up.
"""

import multiprocessing
import signal
from collections.abc import Callable

from django.core.exceptions import ValidationError

FORK = multiprocessing.get_context("fork")


class _OutOfTime(BaseException):  # not an Exception: no `except` on the way may swallow it
    pass


def _out_of_time(signum, frame):
    raise _OutOfTime


def _read_in_child(sender, read: Callable, args: tuple, cpu_seconds: float, too_long: str):
    signal.signal(signal.SIGPROF, _out_of_time)
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)  # this process's processor time
    try:
        try:
            outcome = ("read", read(*args))
        except ValidationError as error:
            outcome = ("refused", error.messages)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)  # before sending: a send is never cut off
    except _OutOfTime:
        outcome = ("refused", [too_long])
    sender.send(outcome)


def read_bounded(read: Callable, *args, cpu_seconds: float, wall_seconds: float, too_long: str):
    """`read(*args)` in a forked child: its value, or its ValidationError raised here, or
    ValidationError(too_long) once it spends `cpu_seconds` of processor time (or the parent
    waited `wall_seconds`). What `read` returns must pickle."""
    receiver, sender = FORK.Pipe(duplex=False)
    child = FORK.Process(
        target=_read_in_child, args=(sender, read, args, cpu_seconds, too_long), daemon=True
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(wall_seconds):
            raise ValidationError(too_long)
        outcome, value = receiver.recv()  # EOFError: the child failed, a bug to see as one
    finally:
        child.kill()
        child.join()
        receiver.close()
    if outcome == "refused":
        raise ValidationError(value)
    return value
