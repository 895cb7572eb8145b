"""Compiled documents: gather a period's data, compile a kind's candidates, merge them
with the PM's saved edits. One service for every kind; each kind gathers its data
itself (its ``gather``) from the same sources as the tables and the plan, so a report
and `export month` never disagree."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pmweek.db import documents as stored
from pmweek.db import settings, store
from pmweek.db.engine import reading, unit
from pmweek.db.reads import SessionReads
from pmweek.db.tables import DocumentLineRow
from pmweek.domain.calendar import Week, parse_date, utcnow
from pmweek.domain.documents import KINDS
from pmweek.domain.documents.engine import Document, Line, merge, merged, parse_priority
from pmweek.domain.models import moved, stamp_wanted
from pmweek.domain.periods import PERIODS
from pmweek.domain.text import check_text
from pmweek.errors import InputError, NotFound
from pmweek.services.reading import document_of, line_of
from pmweek.services.sources import ServiceSources

if TYPE_CHECKING:
    from pmweek.domain.documents.readers import Reader
    from pmweek.domain.plan import PlanView
    from pmweek.services import Services

MAX_LINE = 2000
MAX_OWNER = 200
KEEP: Any = object()  # a field a correction leaves as it is
MAX_DUTIES, MAX_DUTY = 20, 250  # responsibilities: lines, and characters a line (a meta value holds 255)


class DocumentService:
    def __init__(self, services: Services, clock: Callable[[], datetime] = utcnow) -> None:
        self.services = services
        self.engine: Engine = services.engine
        self.clock = clock
        self.user = services.user

    # -- reading ----------------------------------------------------------------------

    def saved(self, kind: str, period: str) -> Document | None:
        with unit(self.engine, read_only=True) as session:
            row = stored.find(session, kind, self.user, period)
            return None if row is None else document_of(SessionReads(session), row)

    def preview(self, kind: str, period: str, today: date) -> Document:
        """The saved document merged in memory with a fresh compile: what pressing
        compile would show, with nothing written (exports use this). A kind compiled only
        while its period runs (the plan) is, for another period, as it was saved."""
        document = self.saved(kind, period) or Document(kind, self.user, period, None, 0)
        if not self.compiles(kind, period, today):
            return document
        candidates = KINDS[kind].compile(self._data(kind, period, today))
        return merged(document, candidates, self.clock(), KINDS[kind].nested)

    def opening(self, kind: str, today: date) -> str:
        """The period a kind's document opens on today: its own rule (the plan in force,
        by the work calendar), else its period's default."""
        declared = KINDS[kind]
        if declared.opens_on is not None:
            return declared.opens_on(self.services.checklist.calendar(), today)
        return PERIODS[declared.period].default(today)

    @staticmethod
    def compiles(kind: str, period: str, today: date) -> bool:
        """Whether ``period``'s document may be compiled today: always, but for a kind
        compiled only while its period runs (the plan: a past week's was or was not made)."""
        declared = KINDS[kind]
        return not declared.live or period == PERIODS[declared.period].default(today)

    def plan_for(self, week: Week) -> PlanView | None:
        """The plan made for ``week`` (compiled the week before) in words: what Monday
        works through and the reports read."""
        return self.plan_made_in(week.previous)

    def plan_made_in(self, week: Week) -> PlanView | None:
        from pmweek.domain.documents.plan import KIND, plan_view

        document = self.saved(KIND.name, str(week))
        return None if document is None else plan_view(document, self.services.checklist.lang)

    # -- compiling --------------------------------------------------------------------

    def compile(self, kind: str, period: str, today: date) -> Document:
        candidates = KINDS[kind].compile(self._data(kind, period, today))
        now = self.clock()
        with unit(self.engine) as session:
            row = stored.find(session, kind, self.user, period)
            try:
                if row is None:
                    document_id, existing = stored.insert_document(session, kind, self.user, period, now), []
                else:
                    document_id = row.id
                    stored.update_document(session, row.id, compiled_at=now, compile_count=row.compile_count + 1)
                    existing = [line_of(r) for r in stored.lines(session, row.id)]
                result = merge(existing, candidates, now, KINDS[kind].nested)
                stored.delete_lines(session, result.delete)
                for line in result.update:
                    stored.update_line(session, line.id, kind=line.kind, facts=_json(line.facts), owner=line.owner,
                                       due=line.due, position=line.position, updated_at=now)
                for line in result.insert:
                    stored.insert_line(
                        session, document_id=document_id, section=line.section, position=line.position,
                        source_key=line.source_key, kind=line.kind, facts=_json(line.facts), owner=line.owner,
                        due=line.due, priority=line.priority, added_at=now, updated_at=now,
                    )
                if row is not None and not (result.delete or result.update or result.insert):
                    # Nothing changed: the lines just read are the document.
                    document = Document(kind, self.user, period, now, row.compile_count + 1, tuple(existing))
                else:  # read back in the same transaction: no second one taking the write lock
                    document = document_of(SessionReads(session), stored.find(session, kind, self.user, period))
                session.commit()
                return document
            except IntegrityError:
                session.rollback()  # another window compiled it at the same moment: show theirs
        saved = self.saved(kind, period)
        assert saved is not None  # the other window's, which refused ours
        return saved

    # -- editing ------------------------------------------------------------------------

    def add_line(
        self, kind: str, period: str, today: date, section: str, text: str,
        owner: str | None = None, due: date | str | None = None, readers: Sequence[str] = (),
    ) -> int:
        """A line of the PM's own in ``section`` (its owner, or team, and its date as
        given or typed); ``readers``: addressed to those only (none: every reader)."""
        if section not in KINDS[kind].typed_sections:
            raise ValueError(section)
        words, owner, due = _clean(text), _owner(owner), _due(due)
        if self.saved(kind, period) is None:
            self.compile(kind, period, today)
        with unit(self.engine) as session:
            row = stored.find(session, kind, self.user, period)
            now = self.clock()
            line_id = stored.insert_line(
                session, document_id=row.id, section=section, kind="typed", text=words, owner=owner,
                owner_edited=True, due=due, position=len(stored.section_line_ids(session, row.id, section)),
                added_at=now, updated_at=now, audience=_audience(readers, ()),
            )
            session.commit()
            return line_id

    def edit_line(self, line_id: int, text: str | None = None, priority: Any = KEEP, owner: Any = KEEP,
                  due: Any = KEEP) -> None:
        """A correction of a line, as given or typed: only what is given changes. Its
        ``text`` becomes the PM's own words; an owner or a date the PM set is theirs from
        then on. A recompile keeps all of them."""
        changes: dict[str, Any] = {}
        if text is not None:
            changes["text"] = _clean(text)
        if priority is not KEEP:
            changes["priority"] = parse_priority(priority)
        if owner is not KEEP:
            changes.update(owner=_owner(owner), owner_edited=True)
        if due is not KEEP:
            changes.update(due=_due(due), due_edited=True)
        if changes:
            self._update(line_id, changes)

    def set_priority(self, line_id: int, priority: int | None) -> None:
        self.edit_line(line_id, priority=priority)

    def _update(self, line_id: int, changes: dict[str, Any]) -> None:
        with unit(self.engine) as session:
            _existing(session, line_id)
            stored.update_line(session, line_id, **changes, updated_at=self.clock())
            session.commit()

    def line(self, line_id: int) -> Line:
        with unit(self.engine, read_only=True) as session:
            return line_of(_existing(session, line_id))

    def toggle_done(self, line_id: int, done: bool | None = None) -> datetime | None:
        """Tick a line off (Monday works through the plan) or untick it (``done``; None:
        the other way round from now). Already so: left as it is."""
        with unit(self.engine) as session:
            line = _existing(session, line_id)
            done = stamp_wanted(line.done_at, done)
            if done is None:
                return line.done_at
            now = self.clock()
            done_at = now if done else None
            stored.update_line(session, line_id, done_at=done_at, updated_at=now)
            session.commit()
            return done_at

    def toggle_dropped(self, line_id: int, dropped: bool | None = None) -> bool:
        """Drop a line or bring it back (``dropped``: as the PM meant it, so a window
        showing it stale does not undo another's; None: the other way round from now)."""
        with unit(self.engine) as session:
            line = _existing(session, line_id)
            now = self.clock()
            dropped = line.dropped_at is None if dropped is None else dropped
            if dropped != (line.dropped_at is not None):
                stored.update_line(session, line_id, dropped_at=now if dropped else None, updated_at=now)
                session.commit()
            return dropped

    def keep_from(self, line_id: int, reader: str, kept: bool) -> None:
        """Drop a line for one reader only (``kept`` False brings it back for them); a
        recompile keeps it so."""
        with unit(self.engine) as session:
            line = _existing(session, line_id)
            audience = json.loads(line.audience or "{}")
            others = [k for k in audience.get("not", ()) if k != reader]
            stored.update_line(session, line_id, updated_at=self.clock(),
                               audience=_audience(audience.get("only", ()), [*others, *([reader] if kept else [])]))
            session.commit()

    def address(self, line_id: int, readers: Sequence[str]) -> None:
        """The readers a line is for (none: every reader)."""
        with unit(self.engine) as session:
            line = _existing(session, line_id)
            audience = json.loads(line.audience or "{}")
            stored.update_line(session, line_id, updated_at=self.clock(),
                               audience=_audience(readers, audience.get("not", ())))
            session.commit()

    def move_line(self, line_id: int, delta: int) -> None:
        with unit(self.engine) as session:
            line = _existing(session, line_id)
            ids = stored.section_line_ids(session, line.document_id, line.section)
            store.set_positions(session, DocumentLineRow, moved(ids, line_id, delta))
            session.commit()

    def readers(self, lang: str) -> dict[str, Reader]:
        """The weekly report's readers: the user's own list (config folder) or the shipped
        one, and a reader for each partner product the requests name; InputError naming
        the file when the user's cannot be read."""
        from pmweek.config import readers_path
        from pmweek.domain.documents.readers import parse_readers, shipped_readers, with_partners

        path = readers_path(lang)
        if not path.is_file():
            declared = shipped_readers(lang)
        else:
            try:
                declared = parse_readers(path.read_bytes())
            except (OSError, ValueError) as exc:  # tomllib's errors are ValueErrors too
                raise InputError("error.audiences", path=path, reason=str(exc).splitlines()[0]) from None
        return with_partners(declared, ServiceSources(self.services).request_sources())

    def owners(self) -> list[str]:
        with unit(self.engine, read_only=True) as session:
            return stored.owners(session)

    # -- the data each kind is compiled from ---------------------------------------------

    def _data(self, kind: str, period: str, today: date) -> Any:
        with reading(self.engine):  # many small reads, one snapshot
            return KINDS[kind].gather(ServiceSources(self.services), period, today)

    # -- the PM's responsibilities: their own text, kept from quarter to quarter

    def responsibilities(self) -> list[str]:
        with unit(self.engine, read_only=True) as session:
            return settings.meta_lines(session, _duty_key(self.user))

    def set_responsibilities(self, text: str) -> list[str]:
        """Keep the PM's responsibilities, one per line; InputError for too many or too long."""
        check_text(text or "", "quarterly.section.responsibilities", limit=MAX_DUTIES * MAX_DUTY, multiline=True)
        lines = [" ".join(ln.split()) for ln in (text or "").splitlines() if ln.strip()]
        if len(lines) > MAX_DUTIES:
            raise InputError("error.too_many_lines", field="quarterly.section.responsibilities", limit=MAX_DUTIES)
        if any(len(ln) > MAX_DUTY for ln in lines):
            raise InputError("error.field_long", field="quarterly.section.responsibilities", limit=MAX_DUTY)
        with unit(self.engine) as session:
            settings.set_meta_lines(session, _duty_key(self.user), lines)
            session.commit()
        return lines


def _duty_key(user: str) -> str:
    """Where a PM's responsibilities are kept (one meta value per PM)."""
    return "duty:" + hashlib.sha1(user.encode()).hexdigest()[:16]


def _clean(text: str) -> str:
    check_text(text or "", "field.plan_text", limit=MAX_LINE * 2, multiline=True)
    words = " ".join((text or "").split())
    if not words:
        raise InputError("error.field_required", field="field.plan_text")
    if len(words) > MAX_LINE:
        raise InputError("error.field_long", field="field.plan_text", limit=MAX_LINE)
    return words


def _owner(owner: str | None) -> str | None:
    """An owner (or team) as typed: spaces collapsed, blank for none."""
    check_text(owner or "", "field.plan_owner", limit=MAX_OWNER)
    return " ".join((owner or "").split()) or None


def _due(due: date | str | None) -> date | None:
    """A line's date as given or typed (YYYY-MM-DD, 2026/12/4…), blank for none."""
    if due is None or isinstance(due, date):
        return due
    if not due.strip():
        return None
    try:
        return parse_date(due)
    except ValueError:
        raise InputError("error.field_date", field="field.due", value=due.strip()) from None


def _json(facts: Any) -> str:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)


def _audience(only: Sequence[str], kept_from: Sequence[str]) -> str | None:
    """A line's readers as stored: JSON, or None for every reader."""
    keys = {"only": sorted({_reader_key(k) for k in only if k.strip()}),
            "not": sorted({_reader_key(k) for k in kept_from if k.strip()})}
    kept = {k: v for k, v in keys.items() if v}
    return json.dumps(kept, ensure_ascii=False) if kept else None


def _reader_key(key: str) -> str:
    return check_text(key.strip().casefold(), "field.readers", limit=64)


def _existing(session: Session, line_id: int):
    line = stored.line(session, line_id)
    if line is None:
        raise NotFound("error.line_gone")
    return line
