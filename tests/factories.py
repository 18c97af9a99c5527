"""factory_boy factories for the models; users get their role through the role groups."""

import importlib

import factory
from django.apps import apps
from django.contrib.auth.models import Group

from annotations import anchoring
from annotations.models import Author, Claim, Coding, Link, Paper, PaperAuthor, Role, Status, Tag, User, claim_history
from projects.models import Membership, Project, ProjectRole, default_project

PASSWORD = "a-long-test-password-42"


def role_group(name: str) -> Group:
    """The role's group; made again by the roles migration when a transactional test's flush removed it."""
    group = Group.objects.filter(name=name).first()
    if group is None or not group.permissions.exists():
        importlib.import_module("annotations.migrations.0002_roles").create_roles(apps, None)
        group = Group.objects.get(name=name)
    return group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """The role in the default project (a membership), and the role group that predates projects."""
        if create and extracted:
            self.groups.set([role_group(extracted)])
            self.is_staff = extracted == Role.MODERATOR
            Membership.objects.update_or_create(project=default_project(), user=self, defaults={"role": extracted})
        self.save()


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"project-{n}")
    name = factory.LazyAttribute(lambda project: project.slug.replace("-", " ").capitalize())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory("tests.factories.UserFactory")
    role = ProjectRole.ANALYST


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    project = factory.LazyFunction(default_project)
    name = factory.Sequence(lambda n: f"Author {n}")
    country = "China"


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper
        skip_postgeneration_save = True

    project = factory.LazyFunction(default_project)
    slug = factory.Sequence(lambda n: f"paper-{n}")
    title = factory.Sequence(lambda n: f"Paper {n}")
    year = 2010
    text = (
        "The SCO is not an alliance. It fights the three evils.\n\n"
        "The three evils are terrorism, separatism and extremism."
    )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(extracted or [AuthorFactory()], start=1):
            PaperAuthor.objects.create(paper=self, author=author, position=position)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("project", "slug")

    project = factory.LazyFunction(default_project)
    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.LazyAttribute(lambda tag: tag.slug.replace("-", " ").capitalize())
    colour = "#1f77b4"


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim on `paper` at [start, end) (default: the paper's first sentence-ish 10 code points)."""

    class Meta:
        model = Claim
        skip_postgeneration_save = True

    class Params:
        at = (0, 10)

    paper = factory.SubFactory(PaperFactory)
    created_by = factory.SubFactory(UserFactory, role=Role.ANALYST)
    statement = factory.Sequence(lambda n: f"Statement {n}")
    stance = Claim.Stance.AFFIRMS
    status = Status.PENDING

    @factory.lazy_attribute
    def start(self):
        return self.at[0]

    @factory.lazy_attribute
    def end(self):
        return self.at[1]

    @factory.lazy_attribute
    def exact(self):
        return self.paper.text[self.start : self.end]

    @factory.lazy_attribute
    def prefix(self):
        return anchoring.anchor_at(self.paper.text, self.start, self.end).prefix

    @factory.lazy_attribute
    def suffix(self):
        return anchoring.anchor_at(self.paper.text, self.start, self.end).suffix

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        """`tags=[tag, (tag, "denies")]`: a bare tag takes the claim's stance."""
        if create and extracted:
            Coding.objects.bulk_create(
                Coding(claim=self, tag=tag, stance=self.stance)
                if isinstance(tag, Tag)
                else Coding(claim=self, tag=tag[0], stance=tag[1])
                for tag in extracted
            )
            # As tags.set() did through the library's m2m signal: a history row with the tags.
            claim_history.create_historical_record(self, "~")


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Link

    source = factory.SubFactory(ClaimFactory)
    target = factory.SubFactory(ClaimFactory)
    relation = Link.Relation.SUPPORTS
    created_by = factory.SubFactory(UserFactory, role=Role.ANALYST)
    status = Status.PENDING
