"""Where the week leads: every screen the PM opens from it by a key, declared once.
The week screen's keys, its footer and the palette's entries are built from this list;
each place's opener builds its screen (imported only then, so the first frame pays for
none of them) and hands it the use cases it needs. A document kind without a key here is
still offered by the palette (by its name, from the document registry)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.binding import Binding

from pmweek.domain.calendar import Week


@dataclass(frozen=True)
class Here:
    """What a place opens on: the app (and its services), today, the week and the day
    on screen, and how to read the week again when a place changed it."""

    app: Any
    today: date
    week: Week
    weekday: int
    reload: Callable[[], None]


# -- the openers: each builds its screen and hands it the use cases it needs ------------


def _push(here: Here, screen, refresh: bool = False) -> None:  # noqa: ANN001 - a Screen
    here.app.push_screen(screen, (lambda _: here.reload()) if refresh else None)


def open_tables(here: Here) -> None:
    """Pick a table, then open it."""
    from pmweek.tui.screens.picker import TablePicker

    here.app.push_screen(TablePicker(), lambda name: name and open_linked(here, name))


def open_linked(here: Here, name: str) -> None:
    """A table by its book's name, or the place a routine item names (plan, report)."""
    if name in LINKED:
        LINKED[name].open(here)
        return
    from pmweek.tui.screens.table import TableScreen

    services = here.app.services
    _push(here, TableScreen(services.sheets, services.figures, name, here.today))


def open_document(here: Here, kind: str, period: str | None = None) -> None:
    """A document of the registry on the period it opens on (the plan in force; a weekly
    one: the week on screen), unless given one. The week is read again after a document
    Monday ticks off (the plan)."""
    from pmweek.domain.documents import KINDS
    from pmweek.tui.screens.document import DocumentScreen

    declared, documents = KINDS[kind], here.app.services.documents
    if period is None and declared.period == "week" and declared.opens_on is None:
        period = str(here.week)
    # None: the one it opens on, found by the screen's worker (the plan in force reads the calendar)
    _push(here, DocumentScreen(documents, kind, period, here.today), refresh=declared.ticked)


def open_trends(here: Here) -> None:
    from pmweek.tui.screens.trends import TrendsScreen

    _push(here, TrendsScreen(here.app.services.figures, here.today))


def open_okrs(here: Here) -> None:
    """The quarter of today."""
    from pmweek.domain.calendar import month_of, quarter_of
    from pmweek.tui.screens.okrs import OKRScreen

    services = here.app.services
    _push(here, OKRScreen(services.okrs, services.sheets, services.documents, quarter_of(month_of(here.today)),
                          here.today))


def open_pool(here: Here) -> None:
    from pmweek.tui.screens.pool import PoolScreen

    _push(here, PoolScreen(here.app.services.pool, here.app.services.sheets, here.today))


def open_risks(here: Here) -> None:
    from pmweek.tui.screens.plans import RiskScreen

    _push(here, RiskScreen(here.app.services.sheets, here.app.services.pool, here.today), refresh=True)


def open_roadmap(here: Here) -> None:
    from pmweek.tui.screens.plans import RoadmapScreen

    _push(here, RoadmapScreen(here.app.services.pool, here.today))


def open_routine(here: Here) -> None:
    """The routine, on the day shown."""
    from pmweek.tui.screens.template import TemplateScreen

    _push(here, TemplateScreen(here.app.services.checklist, here.weekday), refresh=True)


def open_settings(here: Here) -> None:
    from pmweek.tui.screens.settings import SettingsScreen

    _push(here, SettingsScreen(here.app.services.checklist, here.app.services.documents), refresh=True)


# -- the places -------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    name: str
    key: str
    words: str  # catalogue key: its name in the footer and the palette
    help: str  # catalogue key: what it is for, in the palette
    opener: Callable[..., None]  # called with a Here (and ``args``)
    args: tuple[str, ...] = ()
    shown: bool = False  # in the footer (the palette lists every place)
    key_display: str | None = None
    links: tuple[str, ...] = ()  # what a routine item calls it ("report": the weekly report)

    def open(self, here: Here) -> None:
        self.opener(here, *self.args)

    def binding(self) -> Binding:
        """Its key, taken by the app before it hands the next key on (priority): the
        screen it opens is on top by then, so "b 2" typed in one burst opens table 2."""
        return Binding(self.key, f"go('{self.name}')", self.words, tooltip=self.help, show=self.shown, priority=True,
                       key_display=self.key_display, id=f"pm.{self.name}")


PLACES: tuple[Place, ...] = (
    Place("tables", "b", "key.tables", "cmd.tables_help", open_tables, shown=True),
    Place("plan", "p", "key.plan", "cmd.plan_help", open_document, ("plan",), shown=True, links=("plan",)),
    Place("weekly", "w", "key.weekly_report", "cmd.weekly_help", open_document, ("weekly",), shown=True,
          links=("report",)),
    Place("monthly", "m", "key.monthly_summary", "cmd.monthly_help", open_document, ("monthly",)),
    Place("trends", "g", "key.trends", "cmd.trends_help", open_trends),
    Place("okrs", "k", "key.okrs", "cmd.okrs_help", open_okrs),
    Place("quarterly", "Q", "key.quarterly_report", "cmd.quarterly_help", open_document, ("quarterly",)),
    Place("annual", "Y", "key.annual_plan", "cmd.annual_help", open_document, ("yearly",)),
    Place("pool", "P", "key.pool", "cmd.pool_help", open_pool),
    Place("risks", "L", "key.risks", "cmd.risks_help", open_risks),
    Place("roadmap", "M", "key.roadmap", "cmd.roadmap_help", open_roadmap),
    Place("template", "e", "key.template", "cmd.template_help", open_routine),
    Place("settings", "comma", "key.settings", "cmd.settings_help", open_settings, key_display=","),
)
BY_NAME: dict[str, Place] = {p.name: p for p in PLACES}
LINKED: dict[str, Place] = {link: p for p in PLACES for link in p.links}  # a routine item's link


def bindings() -> list[Binding]:
    """The keys of every place, for the screen they are opened from."""
    return [place.binding() for place in PLACES]
