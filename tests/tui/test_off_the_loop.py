"""No screen asks the database on the event loop: a shared database far away, or a file
another window holds, never freezes a key. Every connection the screens check out while
the PM walks through the app is checked out by a worker."""

import threading
import traceback
from datetime import date

from sqlalchemy import event

from tests.conftest import settle

# A walk through every place and the changes made there, key by key (Escape back each time).
WALK = [
    ("p",), ("space", "1", "d", "d"), ("escape",),
    ("w",), ("v", "r"), ("escape",),
    ("m",), ("escape",), ("Q",), ("escape",), ("Y",), ("escape",),
    ("b", "2"), ("enter",), ("escape",), ("escape",),
    ("g",), ("escape",), ("k",), ("escape",),
    ("P",), ("escape",), ("L",), ("escape",), ("M",), ("right_square_bracket",), ("escape",),
    ("e",), ("escape",), ("comma",), ("escape",),
    ("space",), ("space",), ("enter",), ("escape",),
    ("ctrl+p",), ("escape",),  # the palette: its exports, named by the plan in force
]


async def test_a_walk_through_the_app_checks_out_no_connection_on_the_event_loop(make_app, services):
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "owner": "Li", "due": "2026-12-01"})
    app = make_app(date(2026, 11, 27))
    on_loop = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        loop = threading.get_ident()

        def checked_out(*_args) -> None:  # noqa: ANN002
            if threading.get_ident() == loop:  # where: the pmweek frames that asked
                asked = [f"{f.filename.rsplit('pmweek/', 1)[-1]}:{f.name}" for f in traceback.extract_stack()
                         if "/pmweek/" in f.filename and "/tests/" not in f.filename]
                on_loop.append((app.screen.__class__.__name__, asked[-7:]))

        event.listen(app.services.engine, "checkout", checked_out)
        try:
            for keys in WALK:
                await pilot.press(*keys)
                await settle(pilot)
        finally:
            event.remove(app.services.engine, "checkout", checked_out)
    assert not on_loop, "\n".join(map(str, on_loop))
