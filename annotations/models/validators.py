"""Validators the models' text fields share: the admin's forms refuse what services and import refuse."""

from django.core.validators import RegexValidator

from ..textrules import refuse_control_characters

# Forms built on these models (the admin's) refuse control characters too; services and import check the rest.
plain_text = [refuse_control_characters]

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")
