"""The app's URLs plus `POST /bench/insert/`: the leanest write DRF can do through the same middleware and token
authentication: one row inserted (an admin log entry, which has no history or rules of its own), its id
answered. The writes bench measures claim and link creation as a ratio to it."""

from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import path
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sco_claims.urls import urlpatterns as app_urlpatterns


class InsertIn(serializers.Serializer):
    text = serializers.CharField(max_length=200)


class BareInsert(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        data = InsertIn(data=request.data)
        data.is_valid(raise_exception=True)
        row = LogEntry.objects.create(
            user_id=request.user.pk, object_repr=data.validated_data["text"], action_flag=ADDITION
        )
        return Response({"id": row.pk}, status=status.HTTP_201_CREATED)


urlpatterns = [path("bench/insert/", BareInsert.as_view()), *app_urlpatterns]
