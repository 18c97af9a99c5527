"""The agreement report under /api/v1/ (included before annotations' routes in sco_claims/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [path("agreement/", api.AgreementView.as_view(), name="api-agreement")]
