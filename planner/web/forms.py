"""The base of every form: each text field is NFC-normalised and refuses control characters.

Done once here (WTForms' Meta.bind_field) rather than field by field, so a field added later
gets the same rule (DESIGN §11). Passwords are taken as typed: they are only ever hashed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from planner.inputs import clean_text


def _text_filter(multiline: bool) -> Callable[[Any], Any]:
    def clean(value: Any) -> Any:
        return clean_text(value, multiline=multiline) if isinstance(value, str) else value

    return clean


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                filters = [
                    _text_filter(issubclass(kind, TextAreaField)),
                    *unbound_field.kwargs.get("filters", ()),
                ]
                return unbound_field.bind(form=form, filters=filters, **options)
            return super().bind_field(form, unbound_field, options)
