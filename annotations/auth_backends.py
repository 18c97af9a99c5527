"""Password and permission checks: Django's ModelBackend, with a user's permissions read in one query.

Roles are not permissions: a user's role is their membership's role in each project (projects.access, read by
annotations.roles). Django's model permissions (of the role groups that predate projects) serve the admin only,
site staff's tooling."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connections, router
from django.db.models import Q, QuerySet

# The SQL of `_permissions_of`, by database: compiled once per process, because every request checks a role
# and the ORM takes longer to compile this join than the database takes to run it.
_COMPILED: dict[str, str] = {}


def _permissions_of(user_id: int) -> QuerySet:
    """(app label, codename) of the user's own permissions and their groups'."""
    permissions = Permission.objects.filter(Q(user=user_id) | Q(group__user=user_id))
    return permissions.values_list("content_type__app_label", "codename").order_by().distinct()


def _permission_rows(user_id: int) -> list[tuple[str, str]]:
    database = router.db_for_read(Permission)
    sql = _COMPILED.get(database)
    if sql is None:
        sql, params = _permissions_of(user_id).query.get_compiler(using=database).as_sql()
        if list(params) != [user_id, user_id]:  # not the query this cache was written for: let the ORM run it
            return list(_permissions_of(user_id))
        _COMPILED[database] = sql
    with connections[database].cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        return cursor.fetchall()


class ModelBackendOneQuery(ModelBackend):
    """The admin checks model permissions on every page. Django's ModelBackend reads the user's own permissions
    and their groups' in two queries; this reads the same set in one."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                rows = _permission_rows(user_obj.pk)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
