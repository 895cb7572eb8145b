"""The Friday plan's use cases as the tests drive them: the document engine's, under
the plan's kind, read back as the plan in words that Monday and the reports read."""

from __future__ import annotations

from datetime import date

from pmweek.domain.calendar import Week
from pmweek.domain.documents.plan import KIND, plan_view


def compile_plan(services, today: date):  # noqa: ANN001, ANN201 - Services -> PlanView
    """Compile today's week's plan (for the week after), as `r` on its screen does."""
    document = services.documents.compile(KIND.name, str(Week.of(today)), today)
    return plan_view(document, services.checklist.lang)


def preview_plan(services, week: Week, today: date):  # noqa: ANN001, ANN201
    """The plan compiled in ``week`` as `export plan` prints it: nothing written."""
    return plan_view(services.documents.preview(KIND.name, str(week), today), services.checklist.lang)


def add_plan_line(services, today: date, section: str, text: str, owner: str = "", due: str = "",  # noqa: ANN001
                  week: Week | None = None) -> int:
    """A line typed into the plan compiled in ``week`` (today's by default)."""
    return services.documents.add_line(KIND.name, str(week or Week.of(today)), today, section, text,
                                       owner=owner, due=due)


def plan_markdown(services, week: Week, today: date, lang: str = "en") -> str:  # noqa: ANN001
    """The plan compiled in ``week`` as `pmweek export plan --week` prints it on ``today``."""
    from pmweek.export.views import report_text

    return report_text(services, KIND, str(week), today, lang)


async def open_plan_at(pilot, words: str) -> int:  # noqa: ANN001
    """The plan's screen opened (p) with the cursor on its first line that says
    ``words``; that line's id."""
    from tests.conftest import settle

    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    highlight_line(pilot.app, words)
    return int(pilot.app.screen.query_one("#document-lines").highlighted_option.id[1:])


def highlight_line(app, words: str) -> None:  # noqa: ANN001
    """Put a document screen's cursor on its first line that says ``words``."""
    listing = app.screen.query_one("#document-lines")
    listing.highlighted = next(i for i, o in enumerate(listing.options) if o.id and words in o.prompt.plain)
