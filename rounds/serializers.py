"""The agreement report's shape, for the OpenAPI schema (the view answers the pure module's data as it is)."""

from rest_framework import serializers


class Figure(serializers.Serializer):
    measure = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Rounded to 4 places; null when not defined.")
    units = serializers.IntegerField(help_text="The units the figure rests on.")
    reason = serializers.CharField(help_text="Why the figure is not defined, when value is null.")
    warning = serializers.CharField(help_text="Set when the units are too few (under 10) for the figure to mean much.")
    length = serializers.IntegerField(required=False, help_text="Unitizing figures: the code points compared.")
    dropped = serializers.IntegerField(required=False, help_text="Fleiss' kappa: the units not coded by everyone.")


class Units(serializers.Serializer):
    matched = serializers.IntegerField()
    unmatched = serializers.IntegerField()
    by_all = serializers.IntegerField()


class TagFigures(serializers.Serializer):
    unitizing_alpha = Figure()
    presence_alpha = Figure()


class Pairwise(serializers.Serializer):
    measure = serializers.CharField()
    coders = serializers.ListField(child=serializers.CharField())
    matrix = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="Row analyst before column analyst: the value above the diagonal, the units below it.",
    )


class PaperFigures(serializers.Serializer):
    paper = serializers.CharField()
    length = serializers.IntegerField()
    claims = serializers.IntegerField()
    units = serializers.IntegerField()
    unitizing_alpha = Figure()
    cu_alpha = Figure()
    tag_alpha = Figure()
    stance_alpha = Figure()


class Disagreement(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["unmatched", "tags", "stance", "link"])
    paper = serializers.CharField(required=False)
    start = serializers.IntegerField(required=False)
    end = serializers.IntegerField(required=False)
    tag = serializers.CharField(required=False)
    claims = serializers.DictField(child=serializers.CharField(), required=False, help_text="analyst -> claim id")
    missing = serializers.ListField(child=serializers.CharField(), required=False)
    values = serializers.DictField(child=serializers.CharField(), required=False, help_text="analyst -> value")
    units = serializers.ListField(child=serializers.ListField(), required=False, help_text="[paper, start, end] x2")


class ClaimShown(serializers.Serializer):
    paper = serializers.CharField()
    exact = serializers.CharField()
    statement = serializers.CharField()
    stance = serializers.CharField()
    codings = serializers.DictField(child=serializers.CharField(), help_text="tag slug -> stance")


class AgreementReport(serializers.Serializer):
    project = serializers.CharField()
    paper = serializers.CharField(allow_null=True)
    coders = serializers.ListField(child=serializers.CharField())
    papers = serializers.IntegerField()
    claims = serializers.IntegerField()
    match_rule = serializers.CharField()
    units = Units()
    unitizing_alpha = Figure()
    cu_alpha = Figure()
    per_tag = serializers.DictField(child=TagFigures())
    tag_alpha = Figure()
    tag_kappa = Figure()
    tag_ac1 = Figure()
    stance_alpha = Figure()
    stance_kappa = Figure()
    stance_ac1 = Figure()
    link_alpha = Figure()
    pairwise = Pairwise(many=True)
    per_paper = PaperFigures(many=True)
    disagreements = Disagreement(many=True)
    disagreements_total = serializers.IntegerField()
    claims_shown = serializers.DictField(child=ClaimShown(), help_text="claim id -> the claim, for disagreements")
