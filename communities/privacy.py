"""Personal data in the communities app (coproduction.privacy): a resident's skill on the
register, suggestions with the suggester's name and email, and the officers named as
having checked an asset, recorded a consent or made an assessment."""

from django.db.models import Q

from coproduction.privacy import DataSubject, personal_data

from .models import Asset, CapacityAssessment


def _user_id(subject: DataSubject):
    return subject.user.pk if subject.user is not None else None


@personal_data.exporter(Asset)
def export_assets(subject: DataSubject) -> list[dict]:
    condition = Q(pk__in=[])
    if subject.participant is not None:
        condition |= Q(person=subject.participant)
    if subject.user is not None:
        if subject.user.email:
            condition |= Q(suggested_by_email__iexact=subject.user.email)
        condition |= Q(verified_by=subject.user) | Q(created_by=subject.user)
        condition |= Q(consent_recorded_by=subject.user)
    rows = []
    for asset in Asset.objects.filter(condition).select_related("area"):
        row = {
            "asset": asset.name,
            "kind": asset.get_kind_display(),
            "area": asset.area.name,
        }
        if subject.participant is not None and asset.person_id == subject.participant.pk:
            row["your_skill"] = asset.get_category_display()
            row["consent_recorded_at"] = (
                asset.consent_recorded_at.isoformat() if asset.consent_recorded_at else None
            )
            row["shown_publicly"] = asset.consent_to_publish
        if (
            asset.suggested_by_email
            and subject.user is not None
            and (asset.suggested_by_email.lower() == subject.user.email.lower())
        ):
            row["suggested_by"] = {
                "name": asset.suggested_by_name,
                "email": asset.suggested_by_email,
            }
        if subject.user is not None and asset.verified_by_id == subject.user.pk:
            row["you_checked_it_on"] = (
                asset.last_verified_on.isoformat() if asset.last_verified_on else None
            )
        rows.append(row)
    return rows


@personal_data.eraser(Asset, order=50)
def erase_assets(subject: DataSubject) -> None:
    # A person's skill is about them alone: it goes with them.
    if subject.participant is not None:
        Asset.objects.filter(person=subject.participant).delete()
    if subject.user is not None:
        if subject.user.email:
            Asset.objects.filter(suggested_by_email__iexact=subject.user.email).update(
                suggested_by_name="", suggested_by_email=""
            )
        Asset.objects.filter(verified_by=subject.user).update(verified_by=None)
        Asset.objects.filter(created_by=subject.user).update(created_by=None)
        Asset.objects.filter(consent_recorded_by=subject.user).update(consent_recorded_by=None)


@personal_data.exporter(CapacityAssessment)
def export_capacity(subject: DataSubject) -> list[dict]:
    user_id = _user_id(subject)
    if user_id is None:
        return []
    return [
        {"assessed": str(a.area or a.community), "on": a.assessed_on.isoformat()}
        for a in CapacityAssessment.objects.filter(assessed_by_id=user_id).select_related(
            "area", "community"
        )
    ]


@personal_data.eraser(CapacityAssessment)
def erase_capacity(subject: DataSubject) -> None:
    user_id = _user_id(subject)
    if user_id is not None:
        CapacityAssessment.objects.filter(assessed_by_id=user_id).update(assessed_by=None)
