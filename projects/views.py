"""Project pages: your projects (and a new one), a project's home, its members and its settings. A project you
are not a member of is a 404, as in the API; a role too low for an action is a 403 or a message."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotations.errors import PermissionDenied, ValidationError, error_detail
from annotations.selectors import papers_with_claim_counts

from . import access, selectors, services
from .forms import MemberForm, ProjectForm, ProjectSettingsForm, RoleForm, apply_errors, refusal
from .models import Membership, ProjectRole
from .pages import page_project_named


def project_page(at_least: str = ProjectRole.READER):
    """The view gets the project named by the URL's slug, if the user holds at least that role in it."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug: str, *args, **kwargs):
            return view(request, page_project_named(request, slug, at_least=at_least), *args, **kwargs)

        return wrapper

    return decorate


@login_required
def project_list(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Project {project.name} created: you are its owner.")
            return redirect("projects:home", slug=project.slug)
    context = {
        "projects": selectors.projects_of(request.user),
        "form": form,
        "may_create": services.may_create_projects(request.user),
    }
    return render(request, "projects/list.html", context)


@project_page()
def project_home(request, project):
    context = {
        "project": selectors.project_with_counts(request.user, project),
        "papers": papers_with_claim_counts(request.user, project),
        "can_moderate": access.can_moderate(request.user, project),
        "can_manage": access.can_manage(request.user, project),
    }
    return render(request, "projects/home.html", context)


@project_page()
def project_members(request, project):
    can_manage = access.can_manage(request.user, project)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.member_add(
                project=project, by=request.user, role=form.cleaned_data["role"], **form.account()
            )
        except ValidationError as error:
            for field_messages in error_detail(error).values():
                form.add_error("who", field_messages)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{added.user.username} is now a member ({added.role}).")
            return redirect("projects:members", slug=project.slug)
    context = {
        "project": project,
        "members": selectors.project_members(project),
        "roles": ProjectRole.choices,
        "form": form,
        "can_manage": can_manage and not project.archived,
        "can_moderate": access.can_moderate(request.user, project),
        "history": selectors.project_history(project) if access.can_moderate(request.user, project) else None,
    }
    return render(request, "projects/members.html", context)


@project_page()
@require_POST
def member_role(request, project, username: str):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return redirect("projects:members", slug=project.slug)
    try:
        membership = services.member_change_role(
            project=project, by=request.user, username=username, role=form.cleaned_data["role"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    except Membership.DoesNotExist:
        raise Http404("No such member.") from None
    else:
        messages.success(request, f"{username} is now {membership.role}.")
    return redirect("projects:members", slug=project.slug)


@project_page()
@require_POST
def member_remove(request, project, username: str):
    try:
        services.member_remove(project=project, by=request.user, username=username)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    except Membership.DoesNotExist:
        raise Http404("No such member.") from None
    else:
        if username == request.user.get_username() and not access.can_read(request.user, project):
            messages.success(request, f"You left {project.name}.")
            return redirect("projects:list")
        messages.success(request, f"{username} is no longer a member.")
    return redirect("projects:members", slug=project.slug)


@project_page(at_least=ProjectRole.OWNER)
def project_settings(request, project):
    initial = {"name": project.name, "description": project.description}
    form = ProjectSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("projects:settings", slug=project.slug)
    return render(request, "projects/settings.html", {"project": project, "form": form})


@project_page(at_least=ProjectRole.OWNER)
@require_POST
def project_archive(request, project):
    archive = request.POST.get("archived") == "true"
    try:
        if archive:
            services.project_archive(project=project, by=request.user)
        else:
            services.project_unarchive(project=project, by=request.user)
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request, "The project is archived: read-only." if archive else "The project is writable again."
        )
    return redirect("projects:settings", slug=project.slug)
