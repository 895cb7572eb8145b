"""Every kind of compiled document, declared once: the document screen, `pmweek export
report` and the palette all read this registry. A new kind is one module here."""

from __future__ import annotations

from pmweek.domain.documents import monthly, plan, quarterly, weekly, yearly
from pmweek.domain.documents.engine import DocumentKind

KINDS: dict[str, DocumentKind] = {kind.name: kind for kind in (plan.KIND, weekly.KIND, monthly.KIND, quarterly.KIND,
                                                            yearly.KIND)}
# What `pmweek export report PERIOD` prints (the plan has `export plan` of its own).
REPORTS: dict[str, DocumentKind] = {"week": weekly.KIND, "month": monthly.KIND, "quarter": quarterly.KIND,
                                   "year": yearly.KIND}
