"""Account pages: staff manage accounts (/accounts/users/), anyone sets their password from an invitation,
changes it, and sees their profile (their projects and roles)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from annotations.errors import ValidationError
from annotations.models import User
from projects.forms import apply_errors, refusal
from projects.selectors import projects_of

from . import services
from .forms import AccountForm

INVITATION_DAYS = settings.PASSWORD_RESET_TIMEOUT // 86400


def staff_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff or request.user.is_superuser):
            raise PermissionDenied(services.STAFF_ONLY)
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def users(request):
    form = AccountForm(request.POST or None)
    invited = None
    if request.method == "POST" and form.is_valid():
        try:
            invited = services.account_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = AccountForm()
    return _users_page(request, form, invited)


def _users_page(request, form: AccountForm, invited: User | None):
    accounts = User.objects.annotate(projects_count=Count("memberships")).order_by("username")
    context = {"form": form, "accounts": accounts, "invited": invited, "invitation_days": INVITATION_DAYS}
    if invited is not None:
        context["invitation"] = request.build_absolute_uri(services.invitation_path(invited))
    return render(request, "accounts/users.html", context)


@staff_required
@require_POST
def user_invitation(request, pk: int):
    """A new invitation link for an existing account (it lets its person set a new password)."""
    return _users_page(request, AccountForm(), get_object_or_404(User, pk=pk))


@staff_required
@require_POST
def user_active(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "true"
    try:
        services.account_set_active(by=request.user, user=user, active=active)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, f"{user.username} is {'reactivated' if active else 'deactivated'}.")
    return redirect("accounts:users")


class InviteView(auth_views.PasswordResetConfirmView):
    """Set a first password from an invitation link, then log in."""

    template_name = "accounts/invite.html"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        messages.success(self.request, "Your password is set: log in with it.")
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, "Your password is changed.")
        return super().form_valid(form)


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"projects": projects_of(request.user)})
