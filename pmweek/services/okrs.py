"""A quarter's objectives, key results and tasks, read from the records they are typed
in and the work that marks their tasks done; scoring a key result at the quarter's end."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pmweek.db import checklists, records
from pmweek.db.engine import unit
from pmweek.domain.calendar import Week, month_weeks
from pmweek.domain.goals import period_months
from pmweek.domain.okrs import Objective, assemble, name_key
from pmweek.domain.sheets import SHEETS, parse_value
from pmweek.errors import InputError

if TYPE_CHECKING:
    from pmweek.services import Services
    from pmweek.services.figures import Monthly


class OKRService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.engine = services.engine

    def objectives(self, quarter: str, today: date, monthly: Monthly | None = None,
                   tasks: bool = True) -> list[Objective]:
        """The quarter's objectives with their key results (progress measured on the
        figures, or on ``monthly`` already read) and, unless ``tasks`` is False (the
        weekly report shows none), their tasks (done or not, as of today)."""
        s = self.services
        goals = s.figures.goals((quarter,), today, monthly)
        objective_keys = [f.key for f in SHEETS["objectives"].fields]
        task_keys = [f.key for f in SHEETS["tasks"].fields]
        weeks = [(w.year, w.number) for m in period_months(quarter) for w in month_weeks(m)]
        with unit(self.engine, read_only=True) as session:
            objectives = [(r.id, dict(zip(objective_keys, r[1:-1], strict=True))) for r in records.sheet_rows(
                session, "objectives", objective_keys, None, None, on="quarter", only={"quarter": (quarter,)})]
            if not tasks:
                return assemble(quarter, objectives, goals, [], lambda _: False)
            tasks = [(r.id, dict(zip(task_keys, r[1:-1], strict=True))) for r in records.sheet_rows(
                session, "tasks", task_keys, None, None, on="quarter", only={"quarter": (quarter,)})]
            linked = {link: {name_key(v["task"]) for _, v in tasks if v.get("link") == link}
                      for link in ("item", "release", "project")}
            shipped = {name_key(r.name) for r in records.named_rows(
                session, "releases", ("name", "status", "released"), "name", sorted(linked["release"]))
                if r.status == "released" or (r.released is not None and r.released <= today)}
            finished = {name_key(r.project) for r in records.named_rows(
                session, "projects", ("project", "end"), "project", sorted(linked["project"]))
                if r.end is not None and r.end <= today}
            ticked = {name_key(t) for t in checklists.done_titles(session, s.user, weeks)} if linked["item"] else set()
        planned = set()
        if any(v.get("link") == "plan" for _, v in tasks):
            for year, number in weeks:
                plan = s.documents.plan_for(Week(year, number))
                planned |= {name_key(ln.text) for ln in (plan.lines if plan else ()) if ln.done_at is not None}
        done_by = {"release": shipped, "project": finished, "item": ticked, "plan": planned}

        def done(values: Mapping[str, Any]) -> bool:
            link = values.get("link") or "typed"
            if link == "typed":
                return values.get("status") == "done"
            return name_key(values["task"]) in done_by[link]

        return assemble(quarter, objectives, goals, tasks, done)

    def score(self, goal_id: int, score: str, review: str | None = None) -> None:
        """The quarter's review of a key result: a score from 0 to 1 and a comment."""
        row = self.services.sheets.row("goals", goal_id)
        if "Q" not in row.values["period"] or not name_key(row.values.get("objective")):
            raise InputError("error.score_not_kr")
        parse_value(SHEETS["goals"].field("score"), score)  # refuse before anything is written
        self.services.sheets.edit("goals", goal_id, {"score": score, "review": review or ""})

    def toggle_task(self, task_id: int) -> bool:
        """Tick a typed task done, or open it again; a linked task follows its link."""
        row = self.services.sheets.row("tasks", task_id)
        if (row.values.get("link") or "typed") != "typed":
            raise InputError("error.task_linked", field=f"choice.{row.values['link']}")
        done = row.values.get("status") != "done"
        self.services.sheets.edit("tasks", task_id, {"status": "done" if done else "open"})
        return done
