"""Garbage collection in long-running processes (web and Celery workers, the bench).

Once Django is set up a process holds some hundred thousand objects (modules, models, URL patterns, translations)
that live as long as it does. Python's full collections walk all of them every time, a pause of 20–30 ms that
strikes in the middle of whatever the process is doing, a batch posting for instance. Frozen after start-up, they
are left out of every later collection.
"""

import gc


def freeze_startup_objects() -> None:
    gc.collect()  # what is already garbage is freed, not frozen
    gc.freeze()
