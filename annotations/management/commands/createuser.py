"""manage.py createuser USERNAME --role ROLE: an account with one of the three roles."""

import getpass
import os

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...models import Role, User


class Command(BaseCommand):
    help = (
        "Create a user with a role (reader, analyst or moderator). The password is asked for, or with "
        "--noinput read from DJANGO_USER_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument("--noinput", "--no-input", action="store_true", dest="noinput")
        parser.add_argument("--update", action="store_true", help="change the role and password of an existing user")

    def handle(self, *args, username, role, email, noinput, update, **options):
        try:
            # The model field's validators: Django's username rule and the length, as the admin's forms check.
            User._meta.get_field("username").run_validators(username)
        except ValidationError as error:
            raise CommandError(f"username {username!r}: {' '.join(error.messages)}") from error
        existing = User.objects.filter(username=username).first()
        if existing and not update:
            raise CommandError(f"A user {username!r} exists already (use --update to change its role and password).")
        user = existing or User(username=username, email=email)
        password = self._password(noinput, user)
        with transaction.atomic():
            user.set_password(password)
            # Moderators may use the admin, which is their tool for moderation and the codebook.
            user.is_staff = role == Role.MODERATOR
            if email:
                user.email = email
            user.save()
            user.groups.set([Group.objects.get(name=role)])
        self.stdout.write(self.style.SUCCESS(f"{'Updated' if existing else 'Created'} {username!r} with role {role}."))

    def _password(self, noinput: bool, user: User) -> str:
        if noinput:
            password = os.environ.get("DJANGO_USER_PASSWORD")
            if not password:
                raise CommandError("With --noinput, set the password in the environment variable DJANGO_USER_PASSWORD.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords did not match.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password
