"""School social work hours per provider, school and month, as CSV and XLSX.

The provider export never names children: the provider and the service desk account for hours
and contacts, not for who was helped (data minimisation; see docs/decisions/0101-smw-hours-export.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from schoolzorg.cases.models import ContactForm, SocialWorkContact
from schoolzorg.lib import spreadsheets


@dataclass(frozen=True)
class HoursRow:
    provider: str
    school: str
    location_code: str
    month: dt.date
    contacts: int
    cases: int
    minutes: int
    by_form: dict[str, int]

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


_MONTH_COUNTS = frozenset(str(n) for n in range(1, 25))


def month_window(raw: str, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the last N months (1–24, default 6), oldest first."""
    from django.utils import timezone

    n = int(raw) if raw in _MONTH_COUNTS else 6
    day = (today or timezone.localdate()).replace(day=1)
    months = [day]
    for _ in range(n - 1):
        day = (day - dt.timedelta(days=1)).replace(day=1)
        months.append(day)
    return sorted(months)


def _month_end(first: dt.date) -> dt.date:
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def hours_rows(provider_ids: list[int], first: dt.date, last_month: dt.date) -> list[HoursRow]:
    """Aggregated contacts and minutes per provider, school and month (two queries)."""
    base = SocialWorkContact.objects.filter(
        provider_id__in=provider_ids, contact_on__gte=first, contact_on__lte=_month_end(last_month)
    ).annotate(month=TruncMonth("contact_on"))
    totals = (
        base.values("provider__name", "school__name", "school__location_code", "month")
        .annotate(
            contacts=Count("id"), cases=Count("case_id", distinct=True), minutes=Sum("minutes")
        )
        .order_by("provider__name", "school__name", "month")
    )
    per_form: dict[tuple[str, str, Any], dict[str, int]] = {}
    for form_row in base.values("provider__name", "school__name", "month", "form").annotate(
        n=Count("id")
    ):
        key = (form_row["provider__name"], form_row["school__name"], _as_date(form_row["month"]))
        per_form.setdefault(key, {})[form_row["form"]] = form_row["n"]
    result = []
    for row in totals:
        month = _as_date(row["month"])
        result.append(
            HoursRow(
                provider=row["provider__name"],
                school=row["school__name"],
                location_code=row["school__location_code"] or "",
                month=month,
                contacts=row["contacts"],
                cases=row["cases"],
                minutes=row["minutes"] or 0,
                by_form=per_form.get((row["provider__name"], row["school__name"], month), {}),
            )
        )
    return result


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


HEADER = [
    "Aanbieder",
    "School",
    "Vestigingscode",
    "Maand",
    "Aantal contacten",
    "Aantal casussen",
    "Minuten",
    "Uren",
    *[label for _, label in ContactForm.choices],
]


def _values(row: HoursRow) -> list[Any]:
    return [
        row.provider,
        row.school,
        row.location_code,
        f"{row.month:%Y-%m}",
        row.contacts,
        row.cases,
        row.minutes,
        row.hours,
        *[row.by_form.get(value, 0) for value, _ in ContactForm.choices],
    ]


def hours_csv(provider: Any, rows: list[HoursRow]) -> str:
    return spreadsheets.csv_text(HEADER, (_values(row) for row in rows))


def hours_xlsx(provider: Any, rows: list[HoursRow]) -> bytes:
    return spreadsheets.xlsx(
        "Uren per school",
        HEADER,
        (_values(row) for row in rows),
        widths=(30, 30, 14, 10, 16, 16, 10, 8),
    )
