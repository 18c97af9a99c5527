"""The projects pages' forms; the services check the rules, and their refusals land on the fields they name."""

from django import forms

from annotations.errors import PermissionDenied, ValidationError, error_detail

from .models import ProjectRole


def apply_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal shown on the form: on the field it names, else (and a PermissionDenied) above the form."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    for field, field_messages in error_detail(error).items():
        form.add_error(field if field in form.fields else None, field_messages)


def refusal(error: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one message (for a page's flash message)."""
    if isinstance(error, PermissionDenied):
        return str(error)
    return " ".join(message for found in error_detail(error).values() for message in found)


class ProjectForm(forms.Form):
    slug = forms.SlugField(max_length=60, help_text="Its name in addresses: letters, digits, - and _.")
    name = forms.CharField(max_length=200)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProjectSettingsForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))


class MemberForm(forms.Form):
    who = forms.CharField(max_length=254, label="Username or e-mail")
    role = forms.ChoiceField(choices=ProjectRole.choices, initial=ProjectRole.ANALYST)

    def account(self) -> dict[str, str]:
        """`who` as the service's username or email (an e-mail has an @; usernames may too, rarely: try both)."""
        who = self.cleaned_data["who"].strip()
        return {"email": who} if "@" in who and "." in who.rsplit("@", 1)[-1] else {"username": who}


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ProjectRole.choices)


class PaperMetadataForm(forms.Form):
    title = forms.CharField(max_length=500)
    authors = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One author a line: name; affiliation; country (affiliation and country may be left out).",
    )
    year = forms.IntegerField(min_value=1, max_value=9999, required=False)
    venue = forms.CharField(max_length=500, required=False)
    doi = forms.CharField(max_length=200, required=False, label="DOI")
    url = forms.CharField(max_length=500, required=False, label="URL")

    def clean_authors(self) -> list[dict[str, str]]:
        authors = []
        for number, line in enumerate(self.cleaned_data["authors"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) > 3:
                raise forms.ValidationError(f"Line {number}: at most name; affiliation; country.")
            parts += [""] * (3 - len(parts))
            authors.append({"name": parts[0], "affiliation": parts[1], "country": parts[2]})
        return authors

    @staticmethod
    def authors_text(paper) -> str:
        return "\n".join(
            "; ".join(part for part in (b.author.name, b.author.affiliation, b.author.country)).rstrip("; ")
            for b in paper.bylines.all()
        )
