"""The projects API: a user's projects, each project's settings, members, audit trail and whole export.

Any signed-in user may list their projects and create one (unless DJANGO_PROJECT_CREATION=staff); every URL of
one project answers 404 to a non-member (nothing about it leaks) and 403 to a member whose role is too low."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import access, selectors, services
from . import serializers as s
from .exporting import project_zip
from .models import Project, ProjectRole

not_a_member = OpenApiResponse(description="No such project, or you are not a member of it: `{detail}`.")


class ProjectViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]

    def project(self, slug: str, at_least: str = ProjectRole.READER) -> Project:
        """Raises Project.DoesNotExist (404) for a non-member, PermissionDenied (403) for too low a role."""
        return access.project_for(self.request.user, slug, at_least=at_least)

    def shaped(self, project: Project, code: int = status.HTTP_200_OK) -> Response:
        found = selectors.project_with_counts(self.request.user, project)
        return Response(s.ProjectOut(found, context={"request": self.request}).data, status=code)

    @extend_schema(responses=s.ProjectOut(many=True))
    def list(self, request):
        """Your projects (all of them for a superuser), each with your role in it."""
        projects = selectors.projects_of(request.user)
        return Response(s.ProjectOut(projects, many=True, context={"request": request}).data)

    @extend_schema(request=s.ProjectIn, responses={201: s.ProjectOut})
    def create(self, request):
        """Create a project; you become its owner. 403 when the site keeps creation to staff; 400 for a slug
        already taken."""
        data = s.ProjectIn(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.project_create(by=request.user, **data.validated_data)
        return self.shaped(project, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ProjectOut, 404: not_a_member})
    def retrieve(self, request, slug=None):
        return self.shaped(self.project(slug))

    @extend_schema(request=s.ProjectUpdateIn, responses={200: s.ProjectOut, 404: not_a_member})
    def partial_update(self, request, slug=None):
        """(owners) Rename or describe the project."""
        project = self.project(slug)
        data = s.ProjectUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        return self.shaped(services.project_update(project=project, by=request.user, **data.validated_data))

    @extend_schema(request=None, responses={200: s.ProjectOut, 404: not_a_member})
    @action(detail=True, methods=["post"])
    def archive(self, request, slug=None):
        """(owners) Make the project read-only for everyone until it is unarchived."""
        return self.shaped(services.project_archive(project=self.project(slug), by=request.user))

    @extend_schema(request=None, responses={200: s.ProjectOut, 404: not_a_member})
    @action(detail=True, methods=["post"])
    def unarchive(self, request, slug=None):
        """(owners) Make the project writable again."""
        return self.shaped(services.project_unarchive(project=self.project(slug), by=request.user))

    @extend_schema(responses={200: s.ProjectHistoryEntryOut(many=True), 404: not_a_member})
    @action(detail=True, methods=["get"])
    def history(self, request, slug=None):
        """(moderators and owners) The project's audit trail, newest first: its creation, renames, archiving,
        and every member added, re-roled or removed, by whom and when."""
        project = self.project(slug, at_least=ProjectRole.MODERATOR)
        entries = selectors.project_history(project)
        return Response(s.ProjectHistoryEntryOut([entry.__dict__ for entry in entries], many=True).data)

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY), 404: not_a_member})
    @action(detail=True, methods=["get"])
    def export(self, request, slug=None):
        """(moderators and owners) The whole project as one zip, streamed: claims.json (the native export),
        codebook.json, papers/<slug>.txt, originals/ (uploaded files) and manifest.json."""
        project = self.project(slug, at_least=ProjectRole.MODERATOR)
        response = StreamingHttpResponse(project_zip(project, by=request.user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{project.slug}.zip"'
        return response


class MemberViewSet(viewsets.ViewSet):
    """A project's members: every member sees the list; owners add, re-role and remove (and anyone may leave)."""

    permission_classes = [IsAuthenticated]

    def project(self) -> Project:
        return access.project_for(self.request.user, self.kwargs["project_slug"])

    @extend_schema(responses={200: s.MemberOut(many=True), 404: not_a_member})
    def list(self, request, project_slug=None):
        members = selectors.project_members(self.project())
        return Response(s.MemberOut(members, many=True).data)

    @extend_schema(request=s.MemberIn, responses={201: s.MemberOut, 404: not_a_member})
    def create(self, request, project_slug=None):
        """(owners) Add an account, named by `username` or by `email`, with a role."""
        project = self.project()
        data = s.MemberIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_add(project=project, by=request.user, **data.validated_data)
        return Response(s.MemberOut(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.MemberOut, 404: not_a_member})
    def retrieve(self, request, project_slug=None, username=None):
        return Response(s.MemberOut(selectors.project_members(self.project()).get(user__username=username)).data)

    @extend_schema(request=s.MemberRoleIn, responses={200: s.MemberOut, 404: not_a_member})
    def partial_update(self, request, project_slug=None, username=None):
        """(owners) Change a member's role; the last owner cannot be demoted."""
        project = self.project()
        data = s.MemberRoleIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_change_role(
            project=project, by=request.user, username=username, role=data.validated_data["role"]
        )
        return Response(s.MemberOut(membership).data)

    @extend_schema(responses={204: None, 404: not_a_member})
    def destroy(self, request, project_slug=None, username=None):
        """(owners; or the member themselves, leaving) Remove a member; the last owner cannot be removed."""
        services.member_remove(project=self.project(), by=request.user, username=username)
        return Response(status=status.HTTP_204_NO_CONTENT)
