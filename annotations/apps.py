from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Claims and annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import history, reader_cache  # noqa: F401  (connect the history-row and reader cache signals)
        from .api import authentication  # noqa: F401  (connects the token revocation on a password change)
