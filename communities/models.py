from typing import Self

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# An area's tree is at most council > area > ward > LSOA deep.
MAX_AREA_DEPTH = 4


class AreaQuerySet(models.QuerySet["Area"]):
    def with_descendants(self) -> "AreaQuerySet":
        """These areas and every area beneath them, in one query."""
        ids = self.values("pk")
        condition = Q(pk__in=ids)
        lookup = "parent"
        for _depth in range(1, MAX_AREA_DEPTH):
            condition |= Q(**{f"{lookup}__in": ids})
            lookup = f"{lookup}__parent"
        return self.model.objects.filter(condition)

    def with_ancestors(self) -> "AreaQuerySet":
        """These areas and every area above them, in one query."""
        condition = Q(pk__in=self.values("pk"))
        lookup = "parent"
        for _depth in range(1, MAX_AREA_DEPTH):
            condition |= Q(pk__in=self.values(lookup))
            lookup = f"{lookup}__parent"
        return self.model.objects.filter(condition)

    def wards(self) -> Self:
        return self.filter(kind=Area.Kind.WARD)


class Area(models.Model):
    """A place the council serves: the council itself, a group of wards, a ward or an LSOA."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        AREA = "area", _("Area")
        WARD = "ward", _("Electoral ward")
        LSOA = "lsoa", _("Lower layer super output area")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind)
    # The council names its own groupings: "Area Action Partnership", "NAG patch"...
    type_label = models.CharField(
        max_length=100, blank=True, help_text=_("What the council calls this kind of area.")
    )
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        help_text=_("ONS code, e.g. E06000005 for a unitary council or E05 for a ward."),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"],
                condition=~Q(gss_code=""),
                name="communities_area_gss_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind="council", parent__isnull=True) | ~Q(kind="council"),
                name="communities_area_council_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:communities_area_change", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return self.type_label or self.get_kind_display()
