from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerAgency(models.Model):
    """An organisation that works with the council: police, NHS, fire, a charity..."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        FIRE = "fire", _("Fire and rescue")
        NHS = "nhs", _("NHS")
        PROBATION = "probation", _("Probation")
        HOUSING = "housing", _("Housing provider")
        VOLUNTARY = "voluntary", _("Voluntary and community sector")
        PARISH = "parish", _("Town or parish council")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("partner agencies")

    def __str__(self) -> str:
        return self.name
