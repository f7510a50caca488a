"""What a program room shows on the dashboards: each room may offer `apps.<room>.dashboard.dashboard_cards(user)`
returning a list of `Card`s (found through apps.core.extensions.app_modules("dashboard"))."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    label: str
    won: int


@dataclass(frozen=True)
class Card:
    """One program's utilisation: `used` of `limit` won (limit None when the program has no ceiling), with
    supporting figures and a link to the list behind it. `fund` is the fund code the card belongs to."""

    title: str
    fund: str
    used: int
    limit: int | None = None
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    link: str = ""
