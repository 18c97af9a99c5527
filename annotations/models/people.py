"""Accounts and their site-wide roles (a project's roles are in projects.models)."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    READER = "reader", "Reader"
    ANALYST = "analyst", "Analyst"
    MODERATOR = "moderator", "Moderator"


class User(AbstractUser):
    """An account; its role is the auth group it belongs to (see the roles data migration)."""

    @property
    def role(self) -> str | None:
        if self.is_superuser:
            return Role.MODERATOR
        names = {group.name for group in self.groups.all()}
        for role in (Role.MODERATOR, Role.ANALYST, Role.READER):
            if role.value in names:
                return role.value
        return None
