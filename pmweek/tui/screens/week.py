"""The week: Monday–Friday tabs with progress, today's list first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static, Tab, Tabs

from pmweek import startup
from pmweek.domain.calendar import WORKDAYS, Week, month_bounds, month_of, utcnow
from pmweek.domain.models import DayView, TaskView, WeekView
from pmweek.domain.plan import KIND_NAME, PLAN_REVIEW_KEY, PlanLineView, open_plan_lines
from pmweek.domain.workweek import plan_in_force
from pmweek.errors import PmWeekError
from pmweek.i18n import current_lang, day_long, day_short, holiday_name, t
from pmweek.tui import places
from pmweek.tui.commands import OffersCommands
from pmweek.tui.text import Translated, group
from pmweek.tui.widgets.checklist import Checklist, WeekProgress

ALL_DAYS = (1, 2, 3, 4, 5, 6, 7)


class WeekScreen(Translated, OffersCommands, Screen[None]):
    # Focus the list from the start: a focus change once the data arrives would make
    # the footer rebuild itself on the critical path.
    AUTO_FOCUS = "#checklist"
    class Loaded(Message):
        """The week's checklist is on screen with its data (tests and benchmarks wait for it)."""
    BINDINGS = [
        Binding("space", "toggle", "key.toggle", tooltip="cmd.toggle_help", id="pm.toggle"),
        Binding("d", "dismiss_item", "key.dismiss", id="pm.dismiss"),
        # priority: the list and the tabs would otherwise take the arrows for scrolling.
        Binding("left", "day(-1)", "key.prev_day", show=False, priority=True, id="pm.prev_day"),
        Binding("right", "day(1)", "key.next_day", show=False, priority=True, id="pm.next_day"),
        Binding("t", "today", "key.today", tooltip="cmd.today_help", show=False, id="pm.today"),
        Binding("o", "open_table", "key.open_table", show=False, id="pm.open_table"),
        Binding("a", "add_work", "key.add_work", tooltip="cmd.add_work_help", show=False, id="pm.add_work",
                priority=True),
        # Every other screen, by its key (tui.places): the week keeps only the checklist's own.
        *places.bindings(),
        Binding("left_square_bracket", "week(-1)", "key.prev_week", key_display="[", group=group("group.week"),
                tooltip="cmd.prev_week_help", id="pm.prev_week"),
        Binding("right_square_bracket", "week(1)", "key.next_week", key_display="]", group=group("group.week"),
                tooltip="cmd.next_week_help", id="pm.next_week"),
        Binding("c", "copy", "key.copy_view", tooltip="cmd.copy_view_help", show=False, id="pm.copy"),
        Binding("r", "refresh", "key.refresh", tooltip="cmd.refresh_help", show=False, id="pm.refresh"),
    ]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today
        self.week = Week.of(today)
        self.weekday = min(today.isoweekday(), 5)  # until the calendar says which day
        self.view: WeekView | None = None
        self.plan_lines: list[PlanLineView] = []
        # A line's tick as last stored, while changes to it are on their way (week.py's
        # own: read again with the week).
        self._stored_ticks: dict[tuple[str, int], object] = {}
        self._select_next: tuple[str, int] | None = None  # a line to put the cursor on once shown
        self.plan_in_force: str | None = None  # the week the plan in force was compiled in
        self.risks_due: list[str] = []  # open risks past their review date, said on today's view
        self._labelled = None  # the _tab_signature the tabs were last labelled for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="notice")
        yield Tabs(
            *(Tab(self._tab_label(d), id=f"d{d}") for d in ALL_DAYS),
            active=f"d{self.weekday}",
            id="days",
        )
        yield WeekProgress(id="progress")
        yield Checklist(id="checklist")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        tabs = self.query_one(Tabs)
        tabs.can_focus = False  # ← → switch days from anywhere
        for weekday in ALL_DAYS[5:]:  # weekends show only when worked (make-up days)
            tabs.query_one(f"#d{weekday}", Tab).display = False
        # A still placeholder, not a spinner: an animation would take the GIL from the
        # worker that is importing the data layer.
        self.query_one(Checklist).show_placeholder(t("app.loading"))
        # Paint first, then load: the imports would otherwise delay the frame.
        self.call_after_refresh(self._first_load)

    def _first_load(self) -> None:
        """Today's list, read with sqlite3 alone (here: a worker would wait for the GIL),
        painted, and only then the data layer loaded. Keys work from the list's first
        frame; their changes queue until the data layer opens."""
        quick = self.app.peek(self.week)
        if quick is None:
            self.reload()
            return
        self._show(*quick)
        startup.responsive()
        self.call_after_refresh(self._load, self.week, True)

    # -- loading ------------------------------------------------------------------

    def reload(self) -> None:
        self._load(self.week)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, week: Week, shown: bool = False) -> None:
        """``week`` from the services (opened on first use); ``shown``: it is on screen
        already, read before they opened."""
        current = Week.of(self.today)
        # Another week asked for while the data layer still loads: read it quickly too.
        quick = None if shown else self.app.peek(week)
        if quick is not None:
            self.app.call_from_thread(self._show, *quick)
        shown = shown or quick is not None
        try:
            services = self.app.services
            if not shown:
                # The current and future weeks are created from the template when opened;
                # a past week that was never opened stays empty rather than invented.
                if week >= current:
                    view = services.checklist.open_week(week, self.today, first_run=True)
                else:
                    view = services.checklist.peek_week(week, self.today)
                plan_lines = open_plan_lines(services.documents.plan_for(week))
        except PmWeekError as exc:
            # A week read again: said, and the one on screen stays (another program holding
            # the file a moment must not close the app); the data layer never opening is the
            # end of the app.
            self.app.call_from_thread(self._load_failed, exc)
            return
        if not shown:
            self.app.call_from_thread(self._show, view, plan_lines)
        if week == current:  # then the risks whose review date has passed, said on today's view
            try:
                due = services.pool.risks_due(self.today)
            except PmWeekError:
                return  # the week shows; a failing ledger is said where it opens
            self.app.call_from_thread(self._show_risks_due, due)

    def _load_failed(self, exc: PmWeekError) -> None:
        # The end of the app: the data layer never opened, or the file is no longer the one
        # this window opened (restored under it).
        if self.view is None or not self.app.data_open or exc.key == "error.db_replaced":
            self.app.fail(exc.message())
        else:
            self.notify(exc.message(), severity="error")

    def _show_risks_due(self, due: list[str]) -> None:
        self.risks_due = due
        self._update_notice()

    def _show(self, view: WeekView, plan_lines: list[PlanLineView]) -> None:
        if view.week != self.week:
            return  # a slower load of a week we have already left
        if self.view is None and view.today is not None:
            self.weekday = view.today  # first load: open on the day the calendar gives today
        self.view = view
        self.plan_lines = plan_lines
        if view.week == Week.of(self.today):  # the palette names the plan's export by it
            self.plan_in_force = str(plan_in_force(view.week, [d.weekday for d in view.days if d.workday], self.today))
        self._stored_ticks = {}  # the week as read is what the database holds
        self.title = f"pmweek · {view.week}"
        self.sub_title = f"{day_long(self.today.isoweekday())} {self.today.isoformat()}"
        self._update_notice()
        self._update_tabs()
        self._render_day(keep=True)
        if self._select_next is not None:
            self.query_one(Checklist).select(self._select_next)
            self._select_next = None
        self.post_message(self.Loaded())

    def _update_notice(self) -> None:
        notice = self.query_one("#notice", Static)
        lines = []
        view = self.view
        if view is not None and not view.stored:
            lines.append(t("app.past_week_empty"))
        if view is not None and not view.official:
            lines.append(t("app.no_official_schedule"))
        if view is not None and view.today is not None and view.today != self.today.isoweekday():
            today = next((d for d in view.days if d.date == self.today), None)
            reason = holiday_name(today.holiday) if today and today.holiday else t("app.weekend_word")
            lines.append(t("app.day_off", reason=reason, day=day_long(view.today)))
        if view is not None and _last_workday_of_month(view, self.today):
            lines.append(t("app.month_ends", month=month_of(self.today)))
        if self.risks_due and view is not None and view.week == Week.of(self.today):
            lines.append(t("app.risks_due", count=len(self.risks_due), risks=t("weekly.semicolon").join(self.risks_due[:3])))
        notice.update("\n".join(lines))
        notice.set_class(bool(lines), "-shown")

    def _day(self, weekday: int) -> DayView | None:
        if self.view is None or not self.view.stored:
            return None
        return next((d for d in self.view.days if d.weekday == weekday), None)

    def _visible(self) -> list[int]:
        """The weekdays with a tab: Monday–Friday and worked weekend days."""
        if self.view is None:
            return list(WORKDAYS)
        return [d.weekday for d in self.view.days]

    def _tab_label(self, weekday: int) -> str:
        when = self.week.day(weekday)
        label = f"{day_short(weekday)} {when:%m-%d}"
        view = self.view
        if view is not None and view.today == weekday:
            label = f"● {label}"
        info = next((d for d in view.days if d.weekday == weekday), None) if view else None
        if info is not None and info.holiday and not info.workday:
            label += f" {holiday_name(info.holiday)}"
        elif info is not None and info.makeup:
            label += f" {t('app.makeup')}"
        return label

    def _update_tabs(self) -> None:
        """Tab labels change with the week only: relabelling a tab makes Textual animate
        the underline, which would cost every tick two frames."""
        tabs = self.query_one(Tabs)
        signature = self._tab_signature()
        if signature is not None and signature != self._labelled:
            self._labelled = signature
            visible = self._visible()
            for weekday in ALL_DAYS:
                tab = tabs.query_one(f"#d{weekday}", Tab)
                tab.display = weekday in visible
                tab.label = self._tab_label(weekday)
            # The tabs place their underline when a label changes, which can be before the
            # new widths are laid out (a busy machine): once they are, place it again.
            self.call_after_refresh(self._underline_again)
        if self.weekday not in self._visible():
            self.weekday = self._visible()[-1]
        if tabs.active != f"d{self.weekday}":
            tabs.active = f"d{self.weekday}"
        self._update_progress()

    def _underline_again(self) -> None:
        active = self.query_one(Tabs).active_tab
        if active is not None:
            active.label = active.label  # a relabel: the tabs measure and place it anew
            # Longer labels (a holiday's name) can push it past the edge at 80 columns: once
            # laid out, it is scrolled into view (the tab row hides its scrollbar: forced).
            self.call_after_refresh(self._tab_in_view, 5)

    def _tab_in_view(self, tries: int) -> None:
        """Scroll today's tab into view; on a busy machine the new widths may not be laid
        out yet when asked, so it looks again a moment later, a few times at most."""
        tabs = self.query_one(Tabs)
        active = tabs.active_tab
        if active is None:
            return
        active.scroll_visible(animate=False, force=True)
        if tries > 1 and not (tabs.region.x <= active.region.x and active.region.right <= tabs.region.right):
            self.set_timer(0.1, lambda: self._tab_in_view(tries - 1))

    def _tab_signature(self):
        """What the tab labels show: the week, its days off and worked days, today."""
        if self.view is None:
            return None
        return self.view.week, self.view.today, tuple((d.weekday, d.workday, d.holiday) for d in self.view.days)

    def _update_progress(self) -> None:
        """Per-day progress of the week, under the tabs: done / items (dismissed left out)."""
        parts = []
        for weekday in self._visible():
            day = self._day(weekday)
            if day is None or (not day.workday and not day.tasks):
                continue
            mark = "[b]" if weekday == self.weekday else ""
            end = "[/b]" if mark else ""
            parts.append(f"{mark}{day_short(weekday)} {day.done_count}/{day.total}{end}")
        self.query_one(WeekProgress).text = "  ·  ".join(parts)

    def _render_day(self, keep: bool = False) -> None:
        day = self._day(self.weekday)
        empty = DayView(self.weekday, self.week.day(self.weekday))
        self.query_one(Checklist).show_day(day or empty, self.today, t("app.no_items"), keep, self.plan_lines)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        weekday = int(event.tab.id[1:])
        if weekday != self.weekday:
            self.weekday = weekday
            self._render_day()
            self._update_progress()

    # -- actions -------------------------------------------------------------------

    def action_toggle(self) -> None:
        checklist = self.query_one(Checklist)
        ref = checklist.highlighted_ref
        if self._still_opening() or ref is None:
            return
        kind, item_id = ref
        before = self._done_at(kind, item_id)
        ticking = before is None
        # What the PM meant, not a flip: a tick waiting in the queue stays a tick even if
        # another window ticked the line meanwhile. Shown now; its time set once stored,
        # or the line as it was when the database refuses it.
        self._stored_ticks.setdefault((kind, item_id), before)  # what the database holds meanwhile
        refused = partial(self._tick_refused, kind, item_id) if self.app.data_open else self._not_saved
        self.app.save(partial(_set_done, kind, item_id, ticking), partial(self._tick_stored, kind, item_id), refused)
        self._toggled(kind, item_id, utcnow() if ticking else None)
        if ticking:  # on to the next open line, no ↓ needed
            checklist.advance()

    def _done_at(self, kind: str, item_id: int):  # noqa: ANN202 - when the line was ticked, or None
        if kind == "l":
            return next((ln.done_at for ln in self.plan_lines if ln.id == item_id), None)
        if kind == "t":
            task = self.view.find_task(item_id)
            return task.done_at if task else None
        found = self.view.find_point(item_id)
        return found[1].done_at if found else None

    def _toggled(self, kind: str, item_id: int, done_at) -> None:  # noqa: ANN001 - a datetime or None
        """Show a line ticked at ``done_at`` (None: unticked)."""
        checklist = self.query_one(Checklist)
        if self.view is None:
            return
        if kind == "l":
            self.plan_lines = [replace(ln, done_at=done_at) if ln.id == item_id else ln for ln in self.plan_lines]
            line = next((ln for ln in self.plan_lines if ln.id == item_id), None)
            if line is not None:
                checklist.update_plan_line(line)
            return
        # A line no longer on screen (another week shown since) is left: its week shows
        # the tick when it loads.
        if kind == "t":
            self.view = self.view.with_task(item_id, done_at=done_at)
            if (task := self.view.find_task(item_id)) is not None:
                checklist.update_task(task)
        else:
            self.view = self.view.with_point(item_id, done_at=done_at)
            if (found := self.view.find_point(item_id)) is not None:
                checklist.update_point(*found)
        self._update_tabs()

    def _tick_stored(self, kind: str, item_id: int, done_at) -> None:  # noqa: ANN001 - a datetime or None
        self._stored_ticks[kind, item_id] = done_at
        self._toggled(kind, item_id, done_at)

    def _tick_refused(self, kind: str, item_id: int, message: str) -> None:
        """A tick the database refused: said, and the line shown as the database holds it
        (after a tick and an untick both refused: unticked, as it was)."""
        self.notify(message, severity="error")
        self._toggled(kind, item_id, self._stored_ticks.get((kind, item_id)))

    def _not_saved(self, message: str) -> None:
        """A queued change the database refused: said, and the week shown as stored."""
        self.notify(message, severity="error")
        self.reload()

    def on_checklist_tick(self, event: Checklist.Tick) -> None:
        event.stop()
        self.action_toggle()

    def _still_opening(self) -> bool:
        """No week on screen yet (one opened for the first time waits for the data
        layer): a key that acts on a line says so rather than doing nothing."""
        if self.view is None:
            self.notify(t("app.loading"))
            return True
        return False

    def _data_opening(self) -> bool:
        """The data layer still opening (the list shown was read quickly without it): a
        key that needs it says so, rather than waiting for it on the event loop."""
        if not self.app.data_open:
            self.notify(t("app.loading"))
            return True
        return False

    def action_dismiss_item(self) -> None:
        if self._still_opening():
            return
        ref = self.query_one(Checklist).highlighted_ref
        if ref is not None and ref[0] != "t":  # a sub-point or a plan line: said, not ignored
            self.notify(t("app.dismiss_items_only"))
            return
        if ref is None:
            return
        task = self.view.find_task(ref[1])
        dismiss = task is not None and task.dismissed_at is None
        refused = partial(self._dismiss_refused, task) if self.app.data_open else self._not_saved
        self.app.save(lambda services: services.checklist.toggle_dismissed(ref[1], dismiss),
                      lambda _: self.reload(), refused)
        if task is not None:  # shown now, as the reload after saving will
            self._show_dismissed(task.id, utcnow() if dismiss else None)

    def _show_dismissed(self, task_id: int, at) -> None:  # noqa: ANN001 - a datetime or None
        self.view = self.view.dismissed(task_id, at)
        self._render_day(keep=True)
        self._update_progress()

    def _dismiss_refused(self, task: TaskView, message: str) -> None:
        """A dismissal the database refused: said, and the item shown as it was."""
        self.notify(message, severity="error")
        self._show_dismissed(task.id, task.dismissed_at)

    def action_open_item(self) -> None:
        task = self._highlighted_task()
        if task is None:
            return
        from pmweek.tui.screens.task import TaskScreen

        if self._data_opening():
            return
        services = self.app.services
        self.app.push_screen(TaskScreen(services.checklist, services.documents, services.sheets, task.id), self._after_task)

    def _after_task(self, table: str | None) -> None:
        self.reload()
        if table:
            self.open_table(table)

    def _highlighted_task(self) -> TaskView | None:
        """The item under the cursor; on a sub-point or a plan line, the item it belongs to."""
        ref = self.query_one(Checklist).highlighted_ref
        if ref is None or self.view is None:
            return None
        kind, item_id = ref
        if kind == "t":
            return self.view.find_task(item_id)
        if kind == "p":
            return self.view.find_point(item_id)[0]
        return next((t for t in self.view.day(1).tasks if t.key == PLAN_REVIEW_KEY), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_day(self, delta: int) -> None:
        # The tab switch posts TabActivated, which renders the day. Counted from the tab
        # made active last, not the day rendered last: ← ← ← in a burst moves three days.
        visible = self._visible()
        tabs = self.query_one(Tabs)
        shown = int(tabs.active[1:]) if tabs.active else self.weekday
        index = visible.index(shown) if shown in visible else 0
        tabs.active = f"d{visible[max(0, min(len(visible) - 1, index + delta))]}"

    def action_week(self, delta: int) -> None:
        self._go(self.week.shift(delta))

    def action_today(self) -> None:
        self.weekday = self.view.today if self.view and self.view.today else min(self.today.isoweekday(), 5)
        self._go(Week.of(self.today))

    def _go(self, week: Week) -> None:
        self.week = week
        self.view = None
        self._update_tabs()
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def action_add_work(self) -> None:
        """One-off work on the day shown; the list shows it once saved."""
        from pmweek.tui.screens.template import OneOffForm

        if self._still_opening() or self.view is None or self._data_opening():
            return
        day = self.week.day(self.weekday)
        def added(task_id: int | None) -> None:
            if task_id:
                self._select_next = ("t", task_id)  # the new work under the cursor once shown
                self.reload()

        self.app.push_screen(OneOffForm(self.app.services.checklist, day), added)

    def action_open_table(self) -> None:
        """Open the data table the highlighted item asks for (Monday's opportunities…)."""
        task = self._highlighted_task()
        if task is None or task.table is None:
            self.notify(t("app.no_table"))
            return
        self.open_table(task.table)

    def action_go(self, name: str) -> None:
        """Open a place (tui.places) on the week and day shown."""
        if not self._data_opening():
            places.BY_NAME[name].open(self.here())

    def here(self) -> places.Here:
        return places.Here(self.app, self.today, self.week, self.weekday, self.reload)

    def open_table(self, name: str) -> None:
        """The table a routine item links to, or the place it names (plan, report)."""
        if not self._data_opening():
            places.open_linked(self.here(), name)

    # -- copy and export ------------------------------------------------------------

    def action_copy(self) -> None:
        """The week shown, as Markdown, to the clipboard (OSC 52: works over SSH too)."""
        from pmweek.export.markdown import week_markdown

        if self.view is None:
            return
        self.app.copy_to_clipboard(week_markdown(self.view))
        self.notify(t("app.copied", what=t("app.this_week_view")))

    def commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """The command palette's exports: this week, this month, the plan, a table."""
        from pmweek.export import views
        from pmweek.tui.screens.export import export_to_file

        from pmweek.domain.documents import KINDS
        from pmweek.domain.periods import WEEK

        services, today, week = self.app.services, self.today, self.week
        month = month_of(today)
        # The plan in force (known from today's week as shown, never read here on the event
        # loop), its file named by the week it is for; the export reads it again when written.
        plan = self.plan_in_force or WEEK.default(today)
        offered = [
            ("cmd.export_week", f"pmweek-week-{week}.md", lambda: views.week_text(services, week)),
            ("cmd.export_month", f"pmweek-month-{month}.md", lambda: views.month_text(services, month, today)),
            ("cmd.export_plan", f"pmweek-plan-{WEEK.shift(plan, 1)}.md",
             lambda: views.report_text(services, KINDS[KIND_NAME], services.documents.opening(KIND_NAME, today),
                                       today, current_lang())),
        ]
        commands = [(t(key), t("cmd.export_help"), partial(export_to_file, self, t(key), text, name))
                    for key, name, text in offered]
        commands.append((t("cmd.export_table"), t("cmd.export_help"), self.export_table))
        from pmweek.domain.documents import REPORTS

        # every other kind of report the registry declares (those with a key are listed
        # by it already), by its name
        from pmweek.domain.sheets import BOOKS

        # every table by its name ("商机", "revenue" find it), as the picker (b) lists them
        commands += [(t("cmd.open_named", table=t(book.label_key)), t("cmd.open_named_help"),
                      partial(places.open_linked, self.here(), name)) for name, book in BOOKS.items()]
        keyed = {p.args[0] for p in places.PLACES if p.opener is places.open_document}
        commands += [(t(kind.label_key), t("cmd.open_document_help"),
                      partial(places.open_document, self.here(), kind.name))
                     for kind in REPORTS.values() if kind.name not in keyed]
        return commands

    def export_table(self) -> None:
        """Pick a table, then where its rows of this month go."""
        from pmweek.domain.sheets import BOOKS
        from pmweek.export import views
        from pmweek.tui.screens.export import export_to_file
        from pmweek.tui.screens.picker import TablePicker

        services, today, month = self.app.services, self.today, month_of(self.today)

        def picked(name: str | None) -> None:
            if name:
                export_to_file(self, t("cmd.export_named", table=t(BOOKS[name].label_key)),
                               lambda: views.table_text(services.sheets, name, month, month, today),
                               f"pmweek-{name}-{month}.md")

        self.app.push_screen(TablePicker(t("cmd.export_table")), picked)


def _last_workday_of_month(view: WeekView, today: date) -> bool:
    """Today is a workday and no later workday of this week is in its month, which ends
    this week: the day the month's summary is written."""
    days = {d.date: d for d in view.days}
    if today not in days or not days[today].workday or month_bounds(month_of(today))[1] > view.days[-1].date:
        return False
    return not any(d.workday and d.date > today and month_of(d.date) == month_of(today) for d in view.days)


def _set_done(kind: str, item_id: int, done: bool, services):  # noqa: ANN001, ANN202 - Services -> datetime or None
    """Tick or untick one line of the list: a plan line, an item or a sub-point."""
    if kind == "l":
        return services.documents.toggle_done(item_id, done)
    return services.checklist.set_done(item_id, done)
