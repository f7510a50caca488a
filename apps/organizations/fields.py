"""A model field for registration numbers: typed with or without hyphens, stored as digits, shown with hyphens."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.db import models

from .identifiers import normalize

DISPLAY_ALLOWANCE = 10  # room for the hyphens and stray spaces people type around the digits


class RegistrationNumberFormField(forms.CharField):
    """Accepts `124-81-00998` or `1248100998`, cleans to digits, and shows the stored digits formatted."""

    def __init__(self, *, formatter: Callable[[str], str], **kwargs):
        self.formatter = formatter
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize(value) if value not in self.empty_values else value

    def prepare_value(self, value):
        return self.formatter(value) if value else value


class RegistrationNumberField(models.CharField):
    """Digits only in the database. Every value is normalised on its way in (assignment through a form or
    `full_clean`, saving, and exact lookups), so `filter(business_registration_number="124-81-00998")` finds the row.
    An empty value is stored as NULL when the field is nullable, so optional numbers are unique only when set."""

    def __init__(self, *args, formatter: Callable[[str], str] | None = None, **kwargs):
        self.formatter = formatter  # display only, so not part of the migration state
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self._clean(value)

    def get_prep_value(self, value):
        return self._clean(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        value = self._clean(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        defaults = {"form_class": RegistrationNumberFormField, "max_length": self.max_length + DISPLAY_ALLOWANCE,
                    "formatter": self.formatter or str}
        return super().formfield(**{**defaults, **kwargs})

    def _clean(self, value):
        if value is None:
            return None
        digits = normalize(value)
        if not digits and self.null:
            return None
        return digits
