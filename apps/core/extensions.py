"""Hooks a room offers to the rest of the system, found by module name in each installed app
(`apps.<room>.demo`, `apps.<room>.dashboard`), so the core never imports a room by name."""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(module: str) -> list[ModuleType]:
    """The `<app>.<module>` modules of the installed project apps that have one, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps.") or config.name == "apps.core":
            continue
        dotted = f"{config.name}.{module}"
        if find_spec(dotted) is not None:
            found.append(import_module(dotted))
    return found
