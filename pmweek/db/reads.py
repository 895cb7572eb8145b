"""The morning's reads through the ORM, under the names ``db.quick`` gives them over
sqlite3: ``services.reading`` is written once over either."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from pmweek.db import checklists, documents, settings


class SessionReads:
    def __init__(self, session: Session) -> None:
        self.session = session

    def meta(self, key: str) -> str | None:
        return settings.get_meta(self.session, key)

    def day_overrides(self) -> Sequence:
        return settings.day_overrides(self.session)

    def find_week(self, owner: str, year: int, number: int):  # noqa: ANN201 - a week row or None
        return checklists.find_week(self.session, owner, year, number)

    def week_tasks(self, week_id: int) -> Sequence:
        return checklists.week_tasks(self.session, week_id)

    def open_items_before(self, owner: str, week_id: int, day: int, previous: tuple[int, int]) -> Sequence:
        return checklists.open_items_before(self.session, owner, week_id, day, previous)

    def points_of(self, parent_ids: Sequence[int]) -> Sequence:
        return checklists.points_of(self.session, parent_ids)

    def find_document(self, kind: str, owner: str, period: str):  # noqa: ANN201 - a document row or None
        return documents.find(self.session, kind, owner, period)

    def document_lines(self, document_id: int) -> Sequence:
        return documents.lines(self.session, document_id)
