"""Accounts made and switched off by site staff from the app: a new account has no password until its person
sets one through an invitation link (Django's password-reset token: valid PASSWORD_RESET_TIMEOUT, used once,
since setting the password or logging in changes what it signs)."""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from annotations.errors import PermissionDenied, ValidationError
from annotations.models import User
from annotations.textrules import check_fields

STAFF_ONLY = "Only site staff can manage accounts."


def _ensure_staff(user: User) -> None:
    if not (user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)):
        raise PermissionDenied(STAFF_ONLY)


def invitation_path(user: User) -> str:
    """The path of the page where `user` sets their password (give it to them with the site's address)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:invite", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


@transaction.atomic
def account_create(*, by: User, username: str, email: str = "", first_name: str = "", last_name: str = "") -> User:
    """A new active account without a usable password; its person sets one through invitation_path(user)."""
    _ensure_staff(by)
    values = {"username": username.strip(), "email": email.strip(), "first_name": first_name.strip(),
              "last_name": last_name.strip()}  # fmt: skip
    check_fields(values)
    if User.objects.filter(username__iexact=values["username"]).exists():
        raise ValidationError({"username": [f'The username "{values["username"]}" is taken.']})
    if values["email"] and User.objects.filter(email__iexact=values["email"]).exists():
        raise ValidationError({"email": ["Another account has this e-mail address."]})
    user = User(**values)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def account_set_active(*, by: User, user: User, active: bool) -> User:
    """Deactivate (the person can no longer log in or use a token; their work stays) or reactivate."""
    _ensure_staff(by)
    if user.pk == by.pk and not active:
        raise ValidationError({"non_field_errors": ["You cannot deactivate your own account."]})
    if user.is_superuser and not by.is_superuser:
        raise PermissionDenied("Only a superuser can deactivate or reactivate a superuser.")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
