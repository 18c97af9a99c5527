from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Claims and annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import history  # noqa: F401  (connects the history-row signal)
        from .api import authentication  # noqa: F401  (connects the token revocation on a password change)
