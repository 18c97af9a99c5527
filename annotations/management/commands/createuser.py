"""manage.py createuser USERNAME --role ROLE [--project SLUG]: an account with a role in a project (a membership;
the default project when none is named)."""

import getpass
import os

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects.access import forget_roles
from projects.models import ROLE_RANK, Membership, ProjectRole

from ...models import Role, User
from ..projects import add_project_argument, project_named

# The role group that predates projects, kept in step with the user's highest role in any project: it carries
# the admin's model permissions, which site staff use.
GROUP_OF = {
    ProjectRole.READER: Role.READER,
    ProjectRole.ANALYST: Role.ANALYST,
    ProjectRole.MODERATOR: Role.MODERATOR,
    ProjectRole.OWNER: Role.MODERATOR,
}


class Command(BaseCommand):
    help = (
        "Create a user with a role (reader, analyst, moderator or owner) in a project (--project SLUG; the default "
        "project when left out). The password is asked for, or with --noinput read from DJANGO_USER_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ProjectRole.values)
        add_project_argument(parser, "the project the role is in")
        parser.add_argument("--email", default="")
        parser.add_argument("--noinput", "--no-input", action="store_true", dest="noinput")
        parser.add_argument(
            "--update", action="store_true", help="change the role (in the project) and password of an existing user"
        )

    def handle(self, *args, username, role, email, noinput, update, **options):
        project = project_named(options.get("project", ""))
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
            if email:
                user.email = email
            user.save()
            Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
            forget_roles(user)
            highest = max(Membership.objects.filter(user=user).values_list("role", flat=True), key=ROLE_RANK.get)
            # Moderators (of some project) may use the admin, site staff's tooling, as before projects.
            user.is_staff = GROUP_OF[highest] == Role.MODERATOR
            user.save(update_fields=["is_staff"])
            user.groups.set([Group.objects.get(name=GROUP_OF[highest])])
        done = "Updated" if existing else "Created"
        self.stdout.write(self.style.SUCCESS(f"{done} {username!r} with role {role} in project {project.slug}."))

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
