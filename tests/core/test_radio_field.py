"""core.forms.radio_field: one GOV.UK radios question, one message for each way it fails."""

from django import forms

from core.forms import radio_field


class Choice(forms.Form):
    colour = radio_field(label="Colour", choices=[("red", "Red")], message="Select a colour")
    sure = radio_field(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        message="Select yes if you are sure",
        invalid="Answer yes or no",
    )


def test_nothing_chosen_and_an_altered_value_each_say_what_to_do():
    assert Choice({}).errors == {
        "colour": ["Select a colour"],
        "sure": ["Select yes if you are sure"],
    }
    assert Choice({"colour": "blue", "sure": "perhaps"}).errors == {
        "colour": ["Select a colour"],
        "sure": ["Answer yes or no"],
    }


def test_the_answer_is_typed_when_asked_and_the_widget_is_radios():
    form = Choice({"colour": "red", "sure": "no"})
    assert form.is_valid()
    assert form.cleaned_data == {"colour": "red", "sure": False}
    assert isinstance(form.fields["colour"].widget, forms.RadioSelect)
    assert isinstance(form.fields["sure"], forms.TypedChoiceField)
