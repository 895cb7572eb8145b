"""Objectives and key results of a quarter.

An objective is typed once a quarter; its key results are goals of that quarter that
name it (so a key result on a computed metric tracks itself); the tasks under a key
result are typed, or linked to a checklist item, a plan line, a release or a project
of the same name and done when that is done. Pure: the service gathers the rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pmweek.domain.goals import GoalResult


def name_key(text: str | None) -> str:
    """How a name is matched across records: trimmed and in lower case, as the database
    matches it too (records.named_rows), so a match found in SQL and one made here agree."""
    return (text or "").strip().lower()


@dataclass(frozen=True)
class Task:
    id: int
    text: str
    link: str  # typed | item | plan | release | project
    done: bool


@dataclass(frozen=True)
class KeyResult:
    goal: GoalResult
    tasks: tuple[Task, ...] = ()

    @property
    def progress(self) -> float | None:
        return self.goal.progress


@dataclass(frozen=True)
class Objective:
    id: int | None  # None: named by key results only, never typed as an objective
    quarter: str
    text: str
    axis: str | None = None
    owner: str | None = None
    krs: tuple[KeyResult, ...] = ()

    @property
    def progress(self) -> float | None:
        """The mean progress of the key results that have one."""
        known = [kr.progress for kr in self.krs if kr.progress is not None]
        return sum(known) / len(known) if known else None


def assemble(
    quarter: str,
    objectives: Iterable[tuple[int, Mapping[str, Any]]],
    goals: Iterable[GoalResult],
    tasks: Iterable[tuple[int, Mapping[str, Any]]],
    done: Callable[[Mapping[str, Any]], bool],
) -> list[Objective]:
    """The quarter's objectives in the order typed, each with its key results (the
    quarter's goals naming it) and their tasks (matched by the key result's metric).
    An objective a key result names but nobody typed still shows, after the typed ones."""
    by_metric: dict[str, list[Task]] = {}
    for task_id, values in tasks:
        by_metric.setdefault(name_key(values["kr"]), []).append(
            Task(task_id, values["task"], values.get("link") or "typed", done(values)))
    krs: dict[str, list[KeyResult]] = {}
    for goal in goals:
        if goal.period == quarter and name_key(goal.objective):
            krs.setdefault(name_key(goal.objective), []).append(
                KeyResult(goal, tuple(by_metric.get(name_key(goal.metric), ()))))
    out, seen = [], set()
    for objective_id, values in objectives:
        key = name_key(values["objective"])
        if key in seen:
            continue  # typed twice: one objective
        seen.add(key)
        out.append(Objective(objective_id, quarter, values["objective"], values.get("axis"), values.get("owner"),
                             tuple(krs.get(key, ()))))
    for key, named in krs.items():
        if key not in seen:
            out.append(Objective(None, quarter, named[0].goal.objective or "", krs=tuple(named)))
    return out
