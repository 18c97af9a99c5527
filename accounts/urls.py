from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/invitation/", views.user_invitation, name="user-invitation"),
    path("users/<int:pk>/active/", views.user_active, name="user-active"),
    path("invite/<uidb64>/<token>/", views.InviteView.as_view(), name="invite"),
]
