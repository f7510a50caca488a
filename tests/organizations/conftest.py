"""The organisation fixtures live in `fixtures.py` so that other test packages can import them too."""

from .fixtures import *  # noqa: F403
