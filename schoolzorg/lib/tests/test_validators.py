"""Shared validators: text that shows nothing counts as empty."""

from __future__ import annotations

import pytest

from schoolzorg.lib.validators import is_blank, without_hidden_characters


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t", "\u200b", " \u200b\u200c\u200d\ufeff ", "\u202e", "\u00a0", "\u2800"],
)
def test_text_of_only_spaces_or_invisible_characters_is_blank(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", " Studiedag ", "\u200bja", "é", "5", "?"])
def test_text_with_one_visible_character_is_not_blank(text: str) -> None:
    assert not is_blank(text)


def test_hidden_characters_are_taken_out_and_a_hidden_line_break_becomes_a_space() -> None:
    assert (
        without_hidden_characters(" De \u202eRegen\u200bboog\u2028school ") == "De Regenboog school"
    )
    assert without_hidden_characters("\u200b\u200c") == ""


def test_the_text_field_treats_a_text_that_shows_nothing_as_empty() -> None:
    from django import forms

    from schoolzorg.lib.forms import TextField

    class Note(forms.Form):
        text = TextField(error_messages={"required": "Schrijf iets op."})
        extra = TextField(required=False)

    form = Note({"text": "\u200b\u2060 ", "extra": "\u200b"})
    assert not form.is_valid()
    assert form.errors["text"] == ["Schrijf iets op."]
    form = Note({"text": "Moeder belde", "extra": "\u200b"})
    assert form.is_valid() and form.cleaned_data == {"text": "Moeder belde", "extra": ""}
