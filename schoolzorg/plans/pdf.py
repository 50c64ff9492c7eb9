"""The integral plan as a PDF in plain Dutch (WeasyPrint), for parents to read and sign."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from schoolzorg.lib.pdf import html_to_pdf


def render_plan_pdf(
    plan: Any, parts: list[Any], agreements: list[Any], *, base_url: str = ""
) -> bytes:
    """Render the plan with the given parts (only children the reader may see) and the latest
    agreement of each parent (`models.latest_of_each`)."""
    html = render_to_string(
        "plans/pdf.html",
        {
            "plan": plan,
            "parts": parts,
            "agreements": agreements,
            "printed_on": timezone.localdate(),
        },
    )
    return html_to_pdf(html, base_url=base_url or None)


def write_sample_pdfs(out_dir: Path | str, *, limit: int = 1) -> list[Path]:
    """Write sample plan PDFs from the demo data (plans with the most goals first)."""
    from django.db.models import Count

    from schoolzorg.plans.models import IntegralPlan
    from schoolzorg.plans.views import _load_parts

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    plans = (
        IntegralPlan.objects.select_related("family", "coordinator")
        .prefetch_related("agreements__guardian")
        .annotate(n=Count("parts__goals"))
        .order_by("-n", "pk")[:limit]
    )
    for plan in plans:
        parts = _load_parts(list(plan.parts.select_related("pupil")))
        path = out / f"integraal-plan-{plan.pk}.pdf"
        path.write_bytes(render_plan_pdf(plan, parts, plan.latest_agreements()))
        written.append(path)
    return written
