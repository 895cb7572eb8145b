"""Use cases of the monthly business tables: entry, edit, delete with undo, month
queries, imports (all rows or none) and the books with their computed figures."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pmweek.db import records as stored
from pmweek.db.engine import unit
from pmweek.domain.calendar import quarter_of, shift_month, utcnow
from pmweek.domain.sheets import (
    BOOKS,
    SHEETS,
    BookView,
    RowChange,
    RowView,
    Sheet,
    add_earlier,
    assemble_book,
    changed_fields,
    format_value,
    insight_lens,
    parse_record,
    with_computed,
)
from pmweek.errors import ChangedMeanwhile, InputError, NotFound, PmWeekError

Warned = tuple[str, dict]  # a warning: (catalogue key, params)


IMPORT_BATCH = 5000  # rows per insert statement: few round trips, bounded memory


class ImportFailed(InputError):
    """Some lines of an import were refused; nothing was written."""

    key = "error.import_failed"

    def __init__(self, errors: list[tuple[int, PmWeekError]]) -> None:
        super().__init__(count=len(errors))
        self.errors = errors


class SheetService:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow, user: str = "") -> None:
        self.engine = engine
        self.clock = clock
        self.user = user  # recorded on every row entered: a lead can tell who entered what

    # -- reading --------------------------------------------------------------------------

    def rows(
        self, sheet: str, first: str | None, last: str | None, today: date,
        by: str | None = None, product: str | None = None, only: dict[str, tuple[str, ...]] | None = None,
    ) -> list[RowView]:
        """Rows of a month range (None: open-ended): everyone's, or only those entered
        ``by`` one PM, or of one ``product`` line, or ``only`` those whose fields hold
        one of the given values."""
        with unit(self.engine, read_only=True) as session:
            return self._rows(session, SHEETS[sheet], first, last, today, by, product, only)

    def shown(self, sheet: str, month: str | None, today: date) -> list[RowView]:
        """The rows a table shows for ``month`` (None: every month). A kind filed by a
        span (a quarter's objective, a year's goal) shows in every month of its span, not
        only in the first, where it is filed."""
        spec = SHEETS[sheet]
        if month is None or spec.period != "span" or spec.period_field is None:
            return self.rows(sheet, month, month, today)
        return self.rows(sheet, None, None, today, only={spec.period_field: (month, quarter_of(month), month[:4])})

    def month_totals(self, sheet: str, first: str, last: str, column: str | None = None) -> dict[str, float]:
        """Per month: the number of records of ``sheet``, or the sum of ``column``."""
        with unit(self.engine, read_only=True) as session:
            return stored.month_totals(session, sheet, first, last, column)

    def _rows(
        self, session: Session, sheet: Sheet, first, last, today: date, by: str | None, product: str | None = None,
        only: dict[str, tuple[str, ...]] | None = None,
    ) -> list[RowView]:
        keys = _stored_keys(sheet)
        # A dated kind is asked for a range of dates (YYYY-MM-DD) or of months (YYYY-MM).
        on = sheet.period_field if _is_date_range(sheet, first, last) else "month"
        found = stored.sheet_rows(session, sheet.name, keys, _bound(first), _bound(last), by, product, on=on,
                                  then=sheet.period_field, only=only)
        if not sheet.compares_months:  # each row's figures are its own: one pass (a pool of thousands)
            return [
                RowView(sheet.name, r[0], values, sheet.compute_values(values, today), r[-1])
                for r in map(tuple, found) for values in (dict(zip(keys, r[1:-1], strict=True)),)
            ]
        rows = [RowView(sheet.name, r.id, dict(zip(keys, r[1:-1], strict=True)), entered_by=r[-1]) for r in found]
        before = None
        if sheet.compares_months and first is not None:
            # Month-over-month needs the month before the range too.
            month = shift_month(first, -1)
            prev = stored.sheet_rows(session, sheet.name, keys, month, month, by)
            before = dict(zip(keys, prev[0][1:-1], strict=True)) if prev else None
        return with_computed(sheet.name, rows, today, before)

    def book(
        self, name: str, first: str | None, last: str | None, today: date,
        by: str | None = None, product: str | None = None,
    ) -> BookView:
        book = BOOKS[name]
        with unit(self.engine, read_only=True) as session:
            records = {s: self._rows(session, SHEETS[s], first, last, today, by, product) for s in book.sheets}
        return assemble_book(book, records, first, last)

    def row(self, sheet: str, row_id: int) -> RowView:
        spec = SHEETS[sheet]
        keys = _stored_keys(spec)
        with unit(self.engine, read_only=True) as session:
            found = stored.sheet_row(session, sheet, keys, row_id)
        if found is None:
            raise NotFound("error.row_gone")
        return RowView(sheet, row_id, dict(zip(keys, found[1:], strict=True)))

    def suggestions(self, sheet: str, field: str) -> list[str]:
        """Values already used in ``field`` (customers, campaigns, owners…), newest first."""
        with unit(self.engine, read_only=True) as session:
            return stored.used_values(session, sheet, field)

    # -- writing --------------------------------------------------------------------------

    def add(self, sheet: str, raw: dict[str, str | None], replace: bool = False) -> tuple[int, list[Warned]]:
        """Validate and store one record; returns its id and any warnings.
        A second row for a one-per-month sheet is refused unless ``replace`` (see correct)."""
        row_id, _, warned = self.correct(sheet, raw) if replace else self._add(sheet, raw, False)
        return row_id, warned

    def correct(self, sheet: str, raw: dict[str, str | None]) -> tuple[int, dict[str, tuple[str, str]], list[Warned]]:
        """Store a record, or correct the one its month already has (one-per-month
        sheets): only the fields given (not None in ``raw``) change, and each change is
        kept in the row's history with who made it. Returns the row's id, what changed
        (key -> (before, after)) and any warnings."""
        return self._add(sheet, raw, True)

    def _add(self, sheet: str, raw: dict[str, str | None], replace: bool):  # noqa: ANN202
        spec = SHEETS[sheet]
        values = parse_record(spec, raw)
        given = {k for k, v in raw.items() if v is not None}
        with unit(self.engine) as session:
            row_id, changed = self._store(session, spec, values, replace, given)
            if changed:  # the row as it now is, for its warnings
                values = self._current(session, spec, row_id)
            session.commit()
        return row_id, changed, spec.warnings(values)

    def history(self, sheet: str, row_id: int) -> list[RowChange]:
        """What corrections and edits changed in a record, oldest first."""
        with unit(self.engine, read_only=True) as session:
            return [RowChange(*r) for r in stored.row_changes(session, sheet, row_id)]

    def _current(self, session: Session, spec: Sheet, row_id: int) -> dict[str, Any]:
        keys = _stored_keys(spec)
        found = stored.sheet_row(session, spec.name, keys, row_id)
        if found is None:
            raise NotFound("error.row_gone")
        return dict(zip(keys, found[1:], strict=True))

    def _change(self, session: Session, spec: Sheet, row_id: int, changes: dict[str, Any], now: datetime,
                current: dict[str, Any] | None = None) -> dict[str, tuple[str, str]]:
        """Write the fields of ``changes`` that differ from the row, keeping what each
        held in the row's history; returns them (key -> (before, after))."""
        current = self._current(session, spec, row_id) if current is None else current
        changed = changed_fields(spec, current, changes)
        stored.add_changes(session, [
            {"sheet": spec.name, "row_id": row_id, "field": key, "before": before, "after": after,
             "changed_at": now, "changed_by": self.user}
            for key, (before, after) in changed.items() if spec.field(key).typed  # not what follows from them
        ])
        fields = {f.key for f in spec.fields}
        extra = {k: v for k, v in changes.items() if k not in fields}  # the month a dated kind is filed under
        if changed or extra:
            written = {k: changes[k] for k in changed}
            if not stored.update_sheet_row(session, spec.name, row_id, {**written, **extra, "updated_at": now}):
                raise NotFound("error.row_gone")
        return changed

    def _store(self, session: Session, spec: Sheet, values: dict[str, Any], replace: bool,
               given: set[str] | None = None) -> tuple[int, dict[str, tuple[str, str]]]:
        """Insert a record; or, with ``replace``, correct its month's existing one in
        the ``given`` fields only. Returns the row's id and what a correction changed."""
        now = self.clock()
        if not spec.monthly:
            values = {**values, "month": spec.filed_month(values, now.date())}
        if spec.one_per_month:
            existing = stored.live_month_row(session, spec.name, values["month"])
            if existing is not None:
                if not replace:
                    raise InputError("error.month_taken", month=values["month"], sheet=spec.label_key)
                wanted = {k: v for k, v in values.items() if given is None or k in given}
                return existing, self._change(session, spec, existing, wanted, now)
        try:
            with session.begin_nested():
                return stored.insert_sheet_row(
                    session, spec.name, {**values, "created_at": now, "updated_at": now, "entered_by": self.user}
                ), {}
        except IntegrityError:
            # Another window stored this month in the meantime.
            raise InputError("error.month_taken", month=values["month"], sheet=spec.label_key) from None

    def edit(self, sheet: str, row_id: int, raw: dict[str, str | None],
             expected: dict[str, Any] | None = None) -> list[Warned]:
        """Change some fields of a record; the whole record is checked as it will be.
        ``expected``: what those fields held when the PM saw them; if one holds something
        else by now (another window saved it), ChangedMeanwhile and nothing is written,
        rather than the later save silently undoing the other."""
        spec = SHEETS[sheet]
        changes = parse_record(spec, raw, partial=True)
        current = self.row(sheet, row_id).values
        merged = {**current, **changes}
        if spec.refuse is not None:  # the record as it will be, checked whole
            spec.refuse(merged, raw)
        if not spec.monthly:
            changes["month"] = merged["month"] = spec.filed_month(merged, self.clock().date())
        for key in spec.keeps_earlier:
            # A moved date keeps the dates it had: a slipped release shows "was …".
            earlier = add_earlier(current.get(f"earlier_{key}"), current.get(key), merged.get(key))
            if earlier != current.get(f"earlier_{key}"):
                changes[f"earlier_{key}"] = merged[f"earlier_{key}"] = earlier
        with unit(self.engine) as session:
            if expected:
                now_held = self._current(session, spec, row_id)  # under the write lock
                for key, value in expected.items():
                    held = now_held.get(key)
                    if held != value:
                        # a choice is said in the PM's words (进行中), not as stored (open)
                        word = spec.field(key).word_key(held) if isinstance(held, str) else None
                        shown = {"word": word} if word else {"now": format_value(held) or "—"}
                        raise ChangedMeanwhile(held, "error.changed_meanwhile_word" if word else None,
                                               field=spec.field(key).label_key, **shown)
                current = now_held
            if spec.one_per_month and merged["month"] != current["month"]:
                if stored.live_month_row(session, sheet, merged["month"]) is not None:
                    raise InputError("error.month_taken", month=merged["month"], sheet=spec.label_key)
            try:
                self._change(session, spec, row_id, changes, self.clock(), current)
                session.commit()
            except IntegrityError:
                raise InputError("error.month_taken", month=merged["month"], sheet=spec.label_key) from None
        return spec.warnings(merged)

    def add_insights(self, day: date, lens: str, lines: Sequence[str], source: str = "") -> int:
        """One insight per line, dated ``day``, of ``lens`` unless the line names its own
        (``market: …``, ``看市场：…``, ``[trend] …``, in either language); a line already kept
        that day is not added twice. Returns how many were added."""
        from pmweek.i18n import labels

        spec = SHEETS["insights"]
        lenses = spec.field("lens").choices
        words = {w.strip().casefold(): key for key in lenses for w in (key, *labels(f"choice.{key}"))}
        parsed = []
        for line in lines:
            own, text = insight_lens(line, lens, words)
            parsed.append(parse_record(spec, {"date": day.isoformat(), "lens": own, "text": text, "source": source}))
        with unit(self.engine) as session:
            kept = {r[3] for r in stored.sheet_rows(session, "insights", ["date", "lens", "text"], day, day,
                                                   on="date")}
            fresh = [values for values in parsed if values["text"] not in kept]
            for values in fresh:
                self._store(session, spec, values, replace=False)
                kept.add(values["text"])
            session.commit()
        return len(fresh)

    def delete(self, sheet: str, row_id: int) -> None:
        with unit(self.engine) as session:
            if not stored.set_row_deleted(session, sheet, row_id, self.clock()):
                raise NotFound("error.row_gone")
            session.commit()

    def undo_delete(self, sheet: str) -> int | None:
        """Bring back the most recently deleted record of ``sheet``; its id, or None."""
        with unit(self.engine) as session:
            row_id = stored.last_deleted_row(session, sheet)
            if row_id is None:
                return None
            try:
                stored.set_row_deleted(session, sheet, row_id, None)
                session.commit()
            except IntegrityError:
                # Its month has a live row again (one-per-month sheets).
                session.rollback()
                raise InputError("error.undo_month_taken") from None
            return row_id

    def import_records(
        self,
        records: Iterable[tuple[object, str | None, dict[str, str | None]]],
        replace: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Store (where, sheet, raw) records all together, or none: every refused record
        is reported in ImportFailed.errors with where it is. Records are checked as they
        come (a long file is never held twice) and go in by the thousand, one statement
        each, so 100,000 rows take seconds, not minutes."""
        now = self.clock()
        errors: list[tuple[object, PmWeekError]] = []
        batches: dict[str, list[dict[str, Any]]] = {}
        one_per_month: list[tuple[object, Sheet, dict[str, Any]]] = []
        seen: set[tuple[str, str]] = set()
        seen_rows: set[str] = set()
        for where, sheet, raw in records:
            if sheet not in SHEETS:
                errors.append((where, InputError("error.csv_record", value=raw.get("record", ""))))
                continue
            spec = SHEETS[sheet]
            try:
                values = parse_record(spec, raw)
            except InputError as exc:
                errors.append((where, exc))
                continue
            if spec.one_per_month:  # a few rows, each checked against the month's row
                key = (spec.name, values["month"])
                if key in seen:  # one file may not give a month two rows
                    errors.append((where, InputError("error.import_month_twice", month=key[1], sheet=spec.label_key)))
                seen.add(key)
                # A replacing row corrects the cells it fills; an empty cell changes nothing.
                given = {k for k, v in raw.items() if v is not None and str(v).strip()}
                one_per_month.append((where, spec, values, given))
                continue
            if replace:  # a correction: these rows cannot be told apart, so would be added again
                if spec.name not in seen_rows:  # said once a kind, at its first row
                    errors.append((where, InputError("error.replace_rows", sheet=spec.label_key)))
                    seen_rows.add(spec.name)
                continue
            values.update(created_at=now, updated_at=now, entered_by=self.user)
            if not spec.monthly:
                values["month"] = spec.filed_month(values, now.date())
            batches.setdefault(spec.name, []).append(values)
        if errors:
            raise ImportFailed(errors)
        with unit(self.engine) as session:
            for where, spec, values, given in one_per_month:
                try:
                    self._store(session, spec, values, replace, given)
                except InputError as exc:
                    errors.append((where, exc))
            if errors:
                session.rollback()
                raise ImportFailed(errors)
            done, total = 0, sum(len(rows) for rows in batches.values())
            for name, rows in batches.items():
                for start in range(0, len(rows), IMPORT_BATCH):
                    chunk = rows[start:start + IMPORT_BATCH]
                    stored.insert_sheet_rows(session, name, chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            session.commit()
        return total + len(one_per_month)

def _stored_keys(sheet: Sheet) -> list[str]:
    """The columns a record is read with: its fields, the month a dated kind is filed
    under, and the earlier values it keeps."""
    keys = [f.key for f in sheet.fields]
    return keys if sheet.monthly else [*keys, "month"]


def _is_date_range(sheet: Sheet, first, last) -> bool:
    bound = first if first is not None else last
    return sheet.period_field is not None and not sheet.monthly and bound is not None and len(str(bound)) == 10


def _bound(value):
    """A range bound as the column compares it: dates as dates, months as text."""
    if isinstance(value, str) and len(value) == 10:
        return date.fromisoformat(value)
    return value
