from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suggestions"
    verbose_name = "Suggestions"

    def ready(self):
        from django.db.models.signals import post_delete

        from annotations.models import Paper

        from . import pgvector

        # The pgvector table has no foreign key (a flush could not truncate the papers' tables then).
        post_delete.connect(
            lambda sender, instance, **kwargs: pgvector.forget_paper(instance.pk),
            sender=Paper,
            weak=False,
            dispatch_uid="suggestions-pgvector-paper-deleted",
        )
