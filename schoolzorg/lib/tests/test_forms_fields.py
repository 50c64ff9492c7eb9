"""The project's form fields: a Dutch empty line in every list."""

from __future__ import annotations

import pytest

from schoolzorg.lib.forms import EMPTY_CHOICE, ModelChoiceField


@pytest.mark.django_db
def test_a_model_list_starts_with_a_dutch_empty_line_not_dashes() -> None:
    from schoolzorg.organisations.models import Organisation

    field = ModelChoiceField(queryset=Organisation.objects.none(), required=False)
    assert field.empty_label == EMPTY_CHOICE == "Maak een keuze"
    assert "---------" not in field.widget.render("x", None, attrs={"id": "x"})
    given = ModelChoiceField(queryset=Organisation.objects.none(), empty_label="Alle")
    assert given.empty_label == "Alle"


def test_the_meeting_decision_form_offers_no_dashes() -> None:
    from schoolzorg.meetings.forms import DecisionForm

    html = str(DecisionForm(owners=[])["owner"])
    assert "---------" not in html and EMPTY_CHOICE in html
