"""Password and permission checks: Django's ModelBackend, with a user's permissions read in one query.

Roles are not permissions: a user's role is their membership's role in each project (projects.access, read by
annotations.roles). Django's model permissions (of the role groups that predate projects) serve the admin only,
site staff's tooling."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackendOneQuery(ModelBackend):
    """The admin checks model permissions on every page. Django's ModelBackend reads the user's own permissions
    and their groups' in two queries; this reads the same set in one."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = permissions.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
