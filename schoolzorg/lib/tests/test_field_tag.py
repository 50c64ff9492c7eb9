"""`{% field %}`: label, help, error and note, linked for screen readers, for every kind of field."""

from __future__ import annotations

from django import forms
from django.template import engines

from schoolzorg.lib.templatetags.fields import render_field


class _Form(forms.Form):
    name = forms.CharField(label="Naam", help_text="Zoals in de administratie <b>staat</b>.")
    remark = forms.CharField(label="Opmerking", required=False, widget=forms.Textarea)
    agree = forms.BooleanField(label="Ik ga akkoord")
    colour = forms.ChoiceField(
        label="Kleur", choices=[("r", "Rood"), ("b", "Blauw & grijs")], widget=forms.RadioSelect
    )
    nobody = forms.MultipleChoiceField(
        label="Ouders", choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def _render(source: str, form: forms.Form, **context: object) -> str:
    return engines["django"].from_string(source).render({"form": form, **context})


def test_a_valid_text_field_has_its_label_help_and_no_error() -> None:
    html = render_field(_Form()["name"])
    assert html.startswith('<div class="form-field">')
    assert '<label for="id_name">Naam</label>' in html
    assert '<p class="help" id="id_name_helptext">Zoals in de administratie &lt;b&gt;staat' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert "error" not in html and "(niet verplicht)" not in html


def test_an_invalid_field_says_fout_and_points_to_its_message() -> None:
    form = _Form({"colour": "x"})
    form.is_valid()
    html = render_field(form["name"])
    assert 'class="form-field form-field--invalid"' in html
    assert 'aria-invalid="true"' in html
    assert '<p class="error" id="id_name_error"><span class="visually-hidden">Fout: </span>' in html
    group = render_field(form["colour"])
    assert group.startswith('<fieldset class="form-field form-field--invalid" aria-describedby=')
    assert "id_colour_error" in group and "<legend>Kleur</legend>" in group
    assert "Blauw &amp; grijs</label>" in group


def test_optional_fields_say_so_unless_a_note_replaces_it() -> None:
    form = _Form()
    assert '<span class="muted">(niet verplicht)</span></label>' in render_field(form["remark"])
    assert "muted" not in render_field(form["remark"], note="")
    assert '<span class="muted">(vanaf 16 jaar)</span>' in render_field(
        form["remark"], note="(vanaf 16 jaar)"
    )


def test_hidden_end_is_said_by_a_screen_reader_only_and_escaped() -> None:
    html = render_field(_Form()["name"], hidden_end="van <Sam>")
    hidden = '<span class="visually-hidden"> van &lt;Sam&gt;</span>'
    assert f'<label for="id_name">Naam{hidden}</label>' in html


def test_checkbox_hidden_and_empty_group() -> None:
    form = _Form()
    checkbox = render_field(form["agree"])
    assert '<input type="checkbox"' in checkbox
    # Styled as a group's choices are: the box beside its label, not on a line of its own.
    assert '<div class="choice"><input type="checkbox"' in checkbox
    assert checkbox.index('<div class="choice">') < checkbox.index("</label></div>")
    assert checkbox.index("<input") < checkbox.index('<label for="id_agree">Ik ga akkoord</label>')
    assert render_field(form["token"]).startswith('<input type="hidden"')
    assert "<p>Er is niets om uit te kiezen.</p>" in render_field(form["nobody"])
    assert "<p>Geen ouders.</p>" in render_field(form["nobody"], empty="Geen ouders.")


def test_the_tag_is_available_in_every_template_and_escapes_its_options() -> None:
    html = _render(
        "{% field form.remark note=note %}{% field form.token %}", _Form(), note="<i>x</i>"
    )
    assert '<span class="muted">&lt;i&gt;x&lt;/i&gt;</span>' in html
    assert 'type="hidden"' in html


def test_the_error_summary_punctuates_a_question_or_a_colon_in_the_label() -> None:
    """Tester X16: "Wat ontbreekt er?: Vul …" and "Ernsttaxatie: conclusie: Vul …"."""

    class Asked(forms.Form):
        missing = forms.CharField(label="Wat ontbreekt er?")
        conclusion = forms.CharField(label="Ernsttaxatie: conclusie")
        plain = forms.CharField(label="Naam")
        ends = forms.CharField(label="Reden:")

    form = Asked({})
    form.is_valid()
    html = _render('{% include "includes/form_errors.html" %}', form)
    assert ">Wat ontbreekt er? " in html
    assert "?: " not in html and "::" not in html
    assert "Ernsttaxatie: conclusie – " in html
    assert ">Naam: " in html
    assert ">Reden: " in html and "Reden:: " not in html


def test_error_line_escapes_label_and_error() -> None:
    html = _render("{{ label|error_line:error }}", _Form(), label="<b>?", error="<i>")
    assert html == "&lt;b&gt;? &lt;i&gt;"
