"""Demo assessments: completed severity assessments and reviewed child-safety checklists."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.assessments import services
from schoolzorg.demo.context import SeedContext

SEVERITY_ROWS = [
    "child_development",
    "child_wellbeing",
    "child_health",
    "care_daily",
    "care_safety_home",
    "parenting_skills",
    "family_circumstances",
]
LEVELS = ["none", "some", "some", "clear", "severe"]
SEVERITY_JUDGEMENTS = [
    ("school_support", "De zorgen zijn te dragen met steun van het schoolmaatschappelijk werk."),
    (
        "neighbourhood_team",
        "Meerdere zorgen versterken elkaar; het gezin heeft het wijkteam nodig.",
    ),
    ("neighbourhood_team", "De draagkracht is laag en het netwerk helpt weinig: toeleiding."),
]


def _severity_answers(ctx: SeedContext) -> dict[str, Any]:
    rng = ctx.rng
    answers: dict[str, Any] = {key: {"value": rng.choice(LEVELS)} for key in SEVERITY_ROWS}
    answers["family_network"] = {"value": rng.choice(["strong", "some", "weak"])}
    answers["burden"] = {"value": rng.choice(["moderate", "high", "very_high"])}
    answers["coping"] = {"value": rng.choice(["moderate", "low"])}
    answers["child_wellbeing"]["note"] = "Teruggetrokken in de klas sinds de herfstvakantie."
    answers["strengths"] = {"value": "Sportief, goede band met de leerkracht; oma helpt mee."}
    return answers


SAFETY_ANSWERS: dict[str, Any] = {
    "signal_behaviour": {"value": True, "note": "Schrikt bij harde geluiden, sinds enkele weken."},
    "signal_absence": {"value": True},
    "risk_stress": {"value": True, "note": "Schulden; dreigende huisuitzetting."},
    "protect_parent": {"value": True, "note": "Moeder zoekt zelf contact met school."},
    "protect_child": {"value": True},
    "sources": {"value": "Eigen waarneming van de leerkracht en gesprek met moeder."},
}


def seed_demo(ctx: SeedContext) -> None:
    by_school: dict[int, list[Any]] = {}
    for pupil in ctx.pupils:
        by_school.setdefault(pupil.current_school_id, []).append(pupil)
    for s, school in enumerate(ctx.schools[:3]):
        staff = ctx.staff[school.pk]
        ib = staff[Role.SUPPORT_COORDINATOR][0]
        smw = staff[Role.SCHOOL_SOCIAL_WORKER][0]
        pupils = by_school.get(school.pk, [])
        # Pupils 3..5 of each school: completed severity assessments.
        for n, pupil in enumerate(pupils[3:6]):
            author = ib if n % 2 == 0 else smw
            a = services.start_assessment(pupil, "severity", by=author)
            services.save_answers(a, _severity_answers(ctx), by=author)
            choice, reason = SEVERITY_JUDGEMENTS[(s + n) % len(SEVERITY_JUDGEMENTS)]
            services.complete_assessment(a, judgement=choice, rationale=reason, by=author)
        # One draft left open, as a professional would.
        if len(pupils) > 6:
            draft = services.start_assessment(pupils[6], "severity", by=ib)
            services.save_answers(draft, {"child_development": {"value": "some"}}, by=ib)
        # Pupil 3 also has a child-safety checklist: reviewed at the first two schools.
        if len(pupils) > 3:
            a = services.start_assessment(pupils[3], "child_safety", by=smw)
            services.save_answers(a, SAFETY_ANSWERS, by=smw)
            services.complete_assessment(
                a,
                judgement={"current_safety": "safe", "future_safety": "unclear"},
                rationale={
                    "current_safety": "Geen signalen van acuut gevaar; moeder beschermt.",
                    "future_safety": "De geldzorgen nemen toe; zonder hulp kan het kantelen.",
                },
                by=smw,
            )
            if s < 2:
                services.review_assessment(a, reviewer=ib, by=ib)
    ctx.extra["assessments_seeded"] = True
