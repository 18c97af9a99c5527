"""Projects and memberships in and out of the API."""

from rest_framework import serializers

from annotations.api.serializers.fields import RefusesControlCharacters

from . import access
from .models import Membership, Project, ProjectRole


class ProjectIn(RefusesControlCharacters, serializers.Serializer):
    slug = serializers.SlugField(max_length=60, help_text="The project's name in URLs: letters, digits, - and _.")
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProjectUpdateIn(RefusesControlCharacters, serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ProjectOut(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    role = serializers.ChoiceField(choices=ProjectRole.choices, help_text="Your role in this project.")
    papers = serializers.IntegerField(source="papers_count")
    members = serializers.IntegerField(source="members_count")
    actions = serializers.SerializerMethodField(help_text="What you may do to the project itself.")

    class Meta:
        model = Project
        fields = ["slug", "name", "description", "archived", "created_by", "created_at", "role", "papers",
                  "members", "actions"]  # fmt: skip

    def get_actions(self, project: Project) -> list[str]:
        user = self.context["request"].user
        if access.can_manage(user, project):
            return ["unarchive", "export"] if project.archived else ["update", "archive", "manage_members", "export"]
        return ["export"] if access.can_moderate(user, project) else []


class MemberIn(RefusesControlCharacters, serializers.Serializer):
    username = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=ProjectRole.choices)


class MemberRoleIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=ProjectRole.choices)


class MemberOut(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")

    class Meta:
        model = Membership
        fields = ["username", "name", "role", "added_at"]


class ProjectHistoryEntryOut(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    subject = serializers.CharField(
        help_text='"project", the username of the member concerned, "coding round", or the slug of the paper curated.'
    )
    changes = serializers.DictField(help_text="{field: {from, to}}")
    reason = serializers.CharField()
