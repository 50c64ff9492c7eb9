"""In Chromium: the consent form's single checkbox looks like the choices of a group: the box
beside its label, the same size. axe on the form."""

from __future__ import annotations

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_single_checkbox_sits_beside_its_label_like_a_groups_choices(
    page, member, browser_login, axe_check
):
    school = SchoolFactory(name="De Regenboog")
    ib = member(Role.SUPPORT_COORDINATOR, school)
    pupil = PupilFactory(first_name="Sam", last_name="Browserkind", current_school=school)
    add_guardian(pupil, full_name="Moeder Browserkind")
    browser_login(page, ib)
    page.goto(page.base_url + f"/toestemming/leerling/{pupil.pk}/nieuw/")
    axe_check(page)

    single = page.get_by_label("De leerling gaf toestemming")
    in_group = page.get_by_label("Moeder Browserkind")
    box, group_box = single.bounding_box(), in_group.bounding_box()
    label = page.locator(f"label[for='{single.get_attribute('id')}']").bounding_box()
    assert (box["width"], box["height"]) == (group_box["width"], group_box["height"])
    assert label["x"] > box["x"] + box["width"]  # beside the box, not below it
    assert label["y"] < box["y"] + box["height"]
    weight = "(el) => getComputedStyle(el).fontWeight"
    group_label = page.locator(f"label[for='{in_group.get_attribute('id')}']")
    assert page.locator(f"label[for='{single.get_attribute('id')}']").evaluate(
        weight
    ) == group_label.evaluate(weight)
