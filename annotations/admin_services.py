"""The admin as a client of the services: change forms save through them, claims and links at the version
the form was opened at, and the codebook's create, edit and delete go through the tag services.
Mixed into ClaimAdmin, LinkAdmin and TagAdmin in admin.py."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from . import roles, selectors, services
from .errors import StaleVersion, ValidationError
from .history import attributed
from .models import Claim, HistoryAction, Link, Tag


class ServiceForm(forms.ModelForm):
    """A change form whose save is a service call made as the last step of validation.

    Why then, and not in save_model(): the service's refusals (a stale version, a rule such as a tag
    loop) become errors on the form, shown with what the user typed, and nothing is written; in
    save_model() they could only be a server error. The forms using this have no editable inlines, so
    a valid form is the whole save.
    """

    save_through_service: Callable[["ServiceForm"], Model] | None = None  # bound per request by ServiceFormMixin

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.save_through_service is None:
            return
        try:
            self.instance = self.save_through_service(self)
        except StaleVersion as error:
            self.add_error(None, self.conflict_message(error))
        except PermissionDenied as error:
            self.add_error(None, str(error) or "You may not change this.")
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                self.add_error(None, error.messages)
                return
            for field, field_messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, field_messages)

    def conflict_message(self, error: StaleVersion) -> str:
        return str(error)


class VersionedServiceForm(ServiceForm):
    """Carries the version the form was opened at, so that a save after someone else's edit is refused."""

    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["read_version"].initial = self.instance.version

    def conflict_message(self, error: StaleVersion) -> str:
        model = type(self.instance)
        noun = model._meta.verbose_name
        read = self.cleaned_data.get("read_version")
        rows = (
            model.history.filter(id=self.instance.pk, version__gt=read or 0)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        since = "; ".join(
            f"{row.history_action} by {row.history_user or 'someone unknown'} at {row.history_date:%Y-%m-%d %H:%M:%S}"
            for row in rows
        )
        return (
            f"Not saved: this {noun} was changed by someone else since you opened this form (you opened version "
            f"{read}, it is now at version {error.current}{': ' + since if since else ''}). Nothing was overwritten. "
            f"Reload the page to see the {noun} as it is now, then make your changes again."
        )


class ServiceFormMixin:
    """A ModelAdmin whose add and change forms save through `save_through_service(request, form)`."""

    form = ServiceForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        def save(bound_form):
            return self.save_through_service(request, bound_form)

        return type(form.__name__, (form,), {"save_through_service": staticmethod(save)})

    def save_through_service(self, request, form) -> Model:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        """Saved already, by the service, when the form was validated."""

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the service has set the many-to-many fields (and written the history row).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


def _edited(form, editable: set[str]) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in editable}


class ModeratedServicesMixin(ServiceFormMixin):
    """A claim or link saved through its service: only the editable fields that changed, at the version read."""

    form = VersionedServiceForm
    editable_fields: set[str] = set()

    def update(self, *, pk, by, version: int | None, changes: dict):
        raise NotImplementedError

    def save_through_service(self, request, form):
        changes = _edited(form, self.editable_fields)
        version = form.cleaned_data.get("read_version")
        if not changes:
            return self.model.objects.get(pk=form.instance.pk)
        return self.update(pk=form.instance.pk, by=request.user, version=version, changes=changes)


class ClaimServicesMixin(ModeratedServicesMixin):
    editable_fields = services.CLAIM_EDITABLE_FIELDS

    def update(self, *, pk, by, version: int | None, changes: dict) -> Claim:
        return services.claim_update(claim_id=pk, by=by, version=version, **changes)


class LinkServicesMixin(ModeratedServicesMixin):
    editable_fields = services.LINK_EDITABLE_FIELDS

    def update(self, *, pk, by, version: int | None, changes: dict) -> Link:
        return services.link_update(link_id=pk, by=by, version=version, **changes)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Tag.objects.none(), label="Merge into", empty_label="choose a tag")

    def __init__(self, *args, source: Tag, **kwargs):
        super().__init__(*args, **kwargs)
        # Not into itself nor a tag under it: its sub-tags move under the kept one.
        inside = selectors.tags_with_descendants([source.slug], source.project_id)
        codebook = Tag.objects.filter(project_id=source.project_id)  # a tag merges into one of its own codebook
        self.fields["into"].queryset = codebook.exclude(pk__in=inside).order_by("slug")


class CodebookServicesMixin(ServiceFormMixin):
    """Tags are created and edited through tag_create / tag_update (the loop check, a history row); a tag in
    use is deleted only by merging it into another (tag_merge), never by silently dropping its codings."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "parent" in form.base_fields:
            # Never its own parent; a tag under it stays listed, for tag_update's clear refusal.
            form.base_fields["parent"].queryset = form.base_fields["parent"].queryset.exclude(pk=obj.pk)
        return form

    def save_through_service(self, request, form) -> Tag:
        data = form.cleaned_data
        if form.instance._state.adding:
            fields = ("slug", "name", "description", "colour", "parent")
            return services.tag_create(by=request.user, **{name: data[name] for name in fields if name in data})
        changes = _edited(form, services.TAG_EDITABLE_FIELDS)
        tag = Tag.objects.get(pk=form.instance.pk)
        return services.tag_update(tag=tag, by=request.user, **changes) if changes else tag

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would drop codings without a merge
        return actions

    def delete_model(self, request, obj):
        services.tag_delete(tag=obj, by=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        tag = self.get_object(request, unquote(object_id))
        if tag is not None and selectors.tag_uses(tag)["total"]:
            return self.merge_view(request, tag)
        return super().delete_view(request, object_id, extra_context)

    def merge_view(self, request, tag: Tag):
        if not (self.has_delete_permission(request, tag) and roles.can_moderate(request.user, tag)):
            raise PermissionDenied
        form = MergeForm(request.POST or None, source=tag)
        if request.method == "POST" and form.is_valid():
            into = form.cleaned_data["into"]
            try:
                report = services.tag_merge(source=tag, into=into, by=request.user)
            except ValidationError as error:
                form.add_error("into" if "into" in getattr(error, "error_dict", {}) else None, error.messages)
            else:
                self.message_user(
                    request,
                    f"{tag.slug} merged into {into.slug}: {report.codings_moved} coding(s) moved, "
                    f"{report.codings_dropped} claim(s) already had {into.slug}, {report.children_moved} sub-tag(s) "
                    f"moved under it.",
                    messages.SUCCESS,
                )
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": tag,
            "title": f"Delete the tag {tag.slug}: merge it into another",
            "form": form,
            "uses": selectors.tag_uses(tag),
        }
        return TemplateResponse(request, "admin/annotations/tag/merge.html", context)


class PaperServicesMixin:
    """A paper's metadata changes through paper_update (its text only through a revision, see
    PaperRevisionMixin). Not a ServiceForm: the bylines inline is saved after the paper."""

    def save_model(self, request, obj, form, change):
        if not change:
            with attributed(obj, by=request.user, action=HistoryAction.CREATED):
                obj.save()
            return
        changes = _edited(form, services.PAPER_METADATA_FIELDS)
        if changes:
            services.paper_update(paper_id=obj.pk, by=request.user, **changes)
            obj.refresh_from_db()
