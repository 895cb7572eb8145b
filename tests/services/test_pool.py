"""The requirement pool: ranked by weighted RICE score, the quarter's ranking kept as it
stood, each request's move since and the input that moved it, requests that left; the
risk ledger's reviews; `pmweek rank` on the command line."""

from __future__ import annotations

from datetime import date

import pytest

from pmweek.errors import InputError
from pmweek.export.markdown import movement_text, pool_markdown

TODAY = date(2027, 1, 6)


def _pool(services):
    add = services.sheets.add
    return {
        "cdc": add("requests", {"title": "CDC to Kafka", "reach": "800", "impact": "2", "confidence": "80",
                                "effort": "4"})[0],
        "vector": add("requests", {"title": "Vector search", "reach": "2000", "impact": "2", "confidence": "80%",
                                   "effort": "4", "weight": "1.5", "axis": "business_value",
                                   "quarter": "2027-Q1"})[0],
        "tie": add("requests", {"title": "backup to S3", "reach": "400", "impact": "1", "confidence": "100",
                                "effort": "1.25"})[0],  # 320, as CDC: the tie goes by title
        "unscored": add("requests", {"title": "Audit export", "source_kind": "ticket"})[0],
        "done": add("requests", {"title": "Shipped long ago", "reach": "1", "impact": "1", "confidence": "50",
                                 "effort": "1", "status": "done"})[0],
    }


def test_the_pool_ranks_by_weighted_score_ties_by_title_unscored_last(services):
    ids = _pool(services)
    ranked = services.pool.ranked(TODAY)
    assert [r.id for r in ranked] == [ids["vector"], ids["tie"], ids["cdc"], ids["unscored"]]
    assert [r.computed["weighted_score"] for r in ranked] == [1200, 320, 320, None]
    pool = services.pool.pool(TODAY)
    assert pool.since is None and all(i.movement is None for i in pool.items)


def test_a_quarter_ranking_is_kept_once_and_moves_are_explained(services):
    ids = _pool(services)
    assert services.pool.snapshot("2027-Q1", TODAY) == 4
    with pytest.raises(InputError) as err:
        services.pool.snapshot("2027q1", TODAY)
    assert "2027-Q1" in err.value.message()
    for elsewhere in ("2026-Q4", "2027-Q3", "1999-Q1"):  # only this quarter, or the next at its re-rank
        with pytest.raises(InputError):
            services.pool.snapshot(elsewhere, TODAY)
    assert services.pool.snapshots() == ["2027-Q1"]
    # CDC's reach grows; a new request arrives; one is declined.
    services.sheets.edit("requests", ids["cdc"], {"reach": "2000"})
    new = services.sheets.add("requests", {"title": "Read replicas", "reach": "100", "impact": "0.25",
                                           "confidence": "50", "effort": "2"})[0]
    services.sheets.edit("requests", ids["tie"], {"status": "declined"})
    pool = services.pool.pool(TODAY)
    assert pool.since == "2027-Q1"
    moves = {i.row.id: i.movement for i in pool.items}
    assert [i.row.id for i in pool.items] == [ids["vector"], ids["cdc"], new, ids["unscored"]]
    assert movement_text(moves[ids["cdc"]]) == "▲1 (Reach (a quarter) 800 → 2000)"
    assert movement_text(moves[ids["vector"]]) == "="
    assert movement_text(moves[new]) == "new" and movement_text(moves[ids["unscored"]]) == "="
    assert [m.title for m in pool.gone] == ["backup to S3"]
    # A change to one request never changes another's score, and the kept ranking stays as it was.
    assert {i.row.id: i.row.computed["weighted_score"] for i in pool.items}[ids["vector"]] == 1200
    kept = services.pool.kept("2027-Q1")
    assert [(k.title, k.position, k.inputs[0]) for k in kept][:3] == [  # reach first
        ("Vector search", 1, 2000), ("backup to S3", 2, 400), ("CDC to Kafka", 3, 800)]
    md = pool_markdown(pool, top=2)
    assert "| 2 | ▲1 (Reach (a quarter) 800 → 2000) | CDC to Kafka |" in md
    assert "… and 2 more (--top N)" in md and "Left the pool since 2027-Q1: backup to S3" in md


def test_a_risk_review_is_kept_and_its_change_shown(services):
    risk = services.sheets.add("risks", {"risk": "Key engineer leaves", "likelihood": "2", "severity": "4",
                                         "next_review": "2027-01-01"})[0]
    services.sheets.add("risks", {"risk": "Small thing", "likelihood": "1", "severity": "1"})
    ledger = services.sheets.book("risks", None, None, TODAY)
    assert [r["risk"] for r in ledger.rows] == ["Key engineer leaves", "Small thing"]  # by score
    assert ledger.rows[0]["review_due"] is True  # open and its review date has passed
    services.pool.review_risk(risk, "2", "4", "first look", "2027-01-13", today=date(2027, 1, 6))
    services.pool.review_risk(risk, "4", "4", "the team lead resigned", "2027-01-20", today=date(2027, 1, 13))
    assert services.pool.risk_changes([risk]) == {risk: 8}  # worse by 8
    (row,) = [r for r in services.sheets.rows("risks", None, None, TODAY) if r.id == risk]
    assert (row.computed["risk_score"], row.values["next_review"]) == (16, date(2027, 1, 20))
    with pytest.raises(InputError):
        services.pool.review_risk(risk, "6", "1")
    assert services.pool.risk_changes([risk]) == {risk: 8}  # a refused review writes nothing


def test_rank_on_the_command_line(pm):
    assert pm("add", "requests", "--title", "Vector search", "--reach", "2000", "--impact", "2",
              "--confidence", "80%", "--effort", "4", "--weight", "1.5")[0] == 0
    rc, out, err = pm("--lang", "en", "rank", "--snapshot", "2026-Q4")
    assert rc == 0 and "kept the ranking of 2026-Q4: 1 request" in err
    assert "| 1 | Vector search | new | partner |  | 2000 | 2 | 80% | 4 | 1.5 | 800 | 1200 |" in out
    rc, out, err = pm("--lang", "en", "rank", "--snapshot", "2026-Q4")
    assert rc != 0 and out == "" and err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_:
        pm("--lang", "en", "rank", "--top", "0")
    assert exit_.value.code == 2


def test_a_high_risk_goes_into_the_weekly_report_for_the_team_lead(services):
    from pmweek.domain.documents import KINDS
    from pmweek.domain.documents.readers import shipped_readers
    from pmweek.export.markdown import document_markdown

    risk = services.sheets.add("risks", {"risk": "Key engineer leaves", "likelihood": "2", "severity": "4",
                                         "mitigation": "pair on storage"})[0]
    services.sheets.add("risks", {"risk": "Low and quiet", "likelihood": "1", "severity": "2"})
    services.pool.review_risk(risk, "2", "4", today=date(2026, 11, 16))  # last week: 8
    services.pool.review_risk(risk, "4", "4", today=date(2026, 11, 24))  # this week: 16
    document = services.documents.compile("weekly", "2026-W48", date(2026, 11, 27))
    lines = [KINDS["weekly"].render(ln, "en", {}) for ln in document.section("cross_team")]
    assert lines == ["Risk: Key engineer leaves, score 16 (▲8 since last week): pair on storage"]
    tl = document_markdown(KINDS["weekly"], document, "en", shipped_readers("en")["tl"])
    assert "Risk: Key engineer leaves, score 16" in tl


def test_the_pool_counts_the_deals_and_opportunities_waiting(services):
    add = services.sheets.add
    add("deals", {"month": "2026-12", "customer": "ACME Bank"})
    add("deals", {"month": "2026-11", "customer": " acme bank "})
    add("deals", {"month": "2026-11", "customer": "ACME Bank", "status": "live"})  # live: waits no more
    add("opportunities", {"month": "2026-12", "customer": "Globex", "reason": "top bank"})
    asked = add("requests", {"title": "CDC to Kafka", "source_kind": "customer", "source": "ACME Bank, Globex",
                             "reach": "10", "impact": "1", "confidence": "50", "effort": "1"})[0]
    add("requests", {"title": "Nobody waits", "source_kind": "internal"})
    items = {i.row.id: i for i in services.pool.pool(TODAY).items}
    assert (items[asked].deals, items[asked].opportunities) == (2, 1)
    assert "| 2 deals, 1 opportunity |" in pool_markdown(services.pool.pool(TODAY), top=5)


def test_export_table_requests_lists_the_pool_in_rank_order(services):
    from pmweek.export.markdown import table_markdown

    _pool(services)
    table = table_markdown(services.sheets.book("requests", None, None, TODAY))
    titles = [line.split(" | ")[0].lstrip("| ") for line in table.splitlines()[2:]]
    assert titles == ["Vector search", "backup to S3", "CDC to Kafka", "Shipped long ago", "Audit export"]


def test_a_refused_output_file_keeps_no_ranking(pm, tmp_path):
    taken = tmp_path / "taken.md"
    taken.write_text("mine")
    rc, out, err = pm("--lang", "en", "rank", "--snapshot", "2026-Q4")
    assert rc != 0 and "the pool is empty" in err  # an empty pool: nothing to keep, nothing kept
    assert pm("add", "requests", "--title", "Vector search", "--reach", "20", "--impact", "1",
              "--confidence", "50", "--effort", "1")[0] == 0
    rc, out, err = pm("--lang", "en", "rank", "--snapshot", "2026-Q4", "-o", str(taken))
    assert rc != 0 and "already exists" in err and taken.read_text() == "mine"
    rc, out, err = pm("--lang", "en", "rank", "--snapshot", "2026-Q4", "-o", str(tmp_path / "rank.md"))
    assert rc == 0 and "kept the ranking of 2026-Q4: 1 request" in err  # not kept before: kept now
    rc, out, err = pm("--lang", "en", "rank", "--snapshot", "2030-Q4")
    assert rc != 0 and "this quarter (2026-Q4)" in err and out == ""
    rc, out, err = pm("add", "requests", "--title", "x", "--effort", "1e-320")
    assert rc != 0 and "too small" in err


def test_the_first_review_of_a_risk_shows_its_change_at_once(services):
    risk = services.sheets.add("risks", {"risk": "Price war", "likelihood": "2", "severity": "4"})[0]
    services.pool.review_risk(risk, "5", "4", "a rival cut prices", today=date(2027, 1, 6))
    assert services.pool.risk_changes([risk]) == {risk: 12}  # from 8 as entered to 20
