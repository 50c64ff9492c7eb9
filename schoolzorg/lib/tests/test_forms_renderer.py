"""The fast renderer writes exactly what Django's widget templates write."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from schoolzorg.lib.forms_renderer import FastRenderer

CHOICES = [
    ("", "---------"),
    (1, 'Anne "de" Vries & <zoon>'),
    ("Groep", [("a", "Eerste"), ("b", mark_safe("<em>Tweede</em>"))]),
    (3, 1234.5),
]


class EveryWidget(forms.Form):
    text = forms.CharField(label="Tekst", max_length=20, help_text="Uitleg")
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"data-x": '"<&>'}))
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "readonly": True}))
    empty_area = forms.CharField(required=False, widget=forms.Textarea)
    choice = forms.ChoiceField(choices=CHOICES)
    typed = forms.TypedChoiceField(choices=CHOICES, coerce=str, required=False)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.IntegerField(required=False)
    decimal = forms.DecimalField(required=False)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    flag = forms.BooleanField(required=False)
    off = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": False}))
    url = forms.URLField(required=False)


BOUND = {
    "text": 'waarde met "quotes" & <tags>',
    "area": "regel 1\nregel <2>",
    "choice": "b",
    "typed": "1",
    "many": ["x", "y"],
    "hidden": "verborgen",
    "date": "31-02-2026",
    "number": "12",
    "decimal": "3.5",
    "email": "geen-email",
    "secret": "geheim",
    "flag": "on",
    "url": "https://example.test/?a=1&b=2",
}


@pytest.mark.parametrize(
    "form",
    [
        EveryWidget(),
        EveryWidget(initial={"date": dt.date(2026, 3, 2), "number": 1234567, "choice": 3}),
        EveryWidget(data=BOUND),
    ],
    ids=["unbound", "initial", "bound-with-errors"],
)
def test_every_widget_renders_as_django_renders_it(form):
    form.is_valid() if form.is_bound else None
    for name in form.fields:
        form.renderer = DjangoTemplates()
        expected = str(form[name])
        form.renderer = FastRenderer()
        assert str(form[name]) == expected, name


def test_project_forms_render_as_django_renders_them():
    from schoolzorg.meetings.forms import DecisionForm, GuestForm, MinutesForm

    class Owner:
        def __init__(self, pk, full_name):
            self.pk, self.full_name = pk, full_name

    owners = [Owner(1, "Sanne <IB>"), Owner(2, "Mo & Co")]
    for form in (
        DecisionForm(owners=owners),
        DecisionForm(data={"text": "", "owner": "9", "due_on": "x"}, owners=owners),
        GuestForm(items=[(1, "Punt 1"), (2, 'Punt "2"')]),
        MinutesForm(initial={"minutes": "Verslag\n<b>", "version": 3}),
    ):
        form.is_valid() if form.is_bound else None
        form.renderer = DjangoTemplates()
        expected = [str(form[n]) for n in form.fields]
        form.renderer = FastRenderer()
        assert [str(form[n]) for n in form.fields] == expected


def test_the_project_uses_it():
    assert isinstance(EveryWidget().renderer, FastRenderer)
