"""Every kind of compiled document, declared once: the document screen, `pmweek export
report` and the palette all read this registry. A new kind is one module here."""

from __future__ import annotations

from datetime import date

from pmweek.domain.documents import monthly, plan, quarterly, weekly, yearly
from pmweek.domain.documents.engine import DocumentKind

KINDS: dict[str, DocumentKind] = {kind.name: kind for kind in (plan.KIND, weekly.KIND, monthly.KIND, quarterly.KIND,
                                                            yearly.KIND)}
# What `pmweek export report PERIOD` prints (the plan has `export plan` of its own).
REPORTS: dict[str, DocumentKind] = {"week": weekly.KIND, "month": monthly.KIND, "quarter": quarterly.KIND,
                                   "year": yearly.KIND}


def default_period(kind: DocumentKind, today: date) -> str:
    """The period a kind's document opens on: this week's report; the month (and its
    quarter) being closed, the month just ended until the last week of the next one;
    the year being planned, next year's from December on."""
    from pmweek.domain.calendar import Week, plan_year, quarter_of, summary_month

    if kind.period == "week":
        return str(Week.of(today))
    if kind.period == "quarter":
        return quarter_of(summary_month(today))
    if kind.period == "year":
        return plan_year(today)
    return summary_month(today)
