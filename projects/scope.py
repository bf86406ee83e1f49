"""Which projects a person may see and which they may change, by their areas and role.

Reading reaches up the area tree as well as down: a ward's councillor follows the
projects of the area partnership their ward belongs to. Changing reaches down only: an
officer changes projects in the areas they cover, never those of a neighbouring area.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet

from communities.models import Area
from coproduction.accounts.roles import Role
from coproduction.accounts.selectors import area_list_for_user
from governance.selectors import signoff_list_for_member_to_read

from .models import Project

READING_ROLES = (Role.OFFICER, Role.ELECTED_MEMBER, Role.BOARD_MEMBER)


def area_scope_for_reading(*, user) -> QuerySet[Area]:
    assigned = user.areas.all()
    return Area.objects.filter(
        Q(pk__in=area_list_for_user(user=user).values("pk"))
        | Q(pk__in=assigned.with_ancestors().values("pk"))
    )


def area_scope_for_changing(*, user) -> QuerySet[Area]:
    return area_list_for_user(user=user)


def _has_area_in(areas: QuerySet[Area]) -> Exists:
    return Exists(
        Project.areas.through.objects.filter(
            project_id=OuterRef("pk"), area_id__in=areas.values("pk")
        )
    )


def _projects_to_sign_off(*, user) -> QuerySet:
    """The projects of the sign-offs an elected member is asked about or answered. An
    award from the budget of the area their ward is in may fund a project in another of
    its wards: the member decides it with the project's evidence and funding in front of
    them, and can go back to it afterwards."""
    return (
        signoff_list_for_member_to_read(user=user)
        .filter(subject_type=ContentType.objects.get_for_model(Project))
        .values("subject_id")
    )


def project_visibility_q(*, user) -> Q | None:
    """A filter for the projects the person may see, or None for every project."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if user.has_role(Role.ADMINISTRATOR):
        return None
    condition = Q(pk__in=[])
    if any(user.has_role(role) for role in READING_ROLES):
        condition |= Q(_has_area_in(area_scope_for_reading(user=user)))
    if user.has_role(Role.ELECTED_MEMBER):
        condition |= Q(pk__in=_projects_to_sign_off(user=user))
    if user.has_role(Role.PARTNER_AGENCY) and user.partner_agency_id:
        condition |= Q(
            Exists(
                Project.partner_agencies.through.objects.filter(
                    project_id=OuterRef("pk"), partneragency_id=user.partner_agency_id
                )
            )
        )
    return condition


def project_list_visible(*, user) -> QuerySet[Project]:
    condition = project_visibility_q(user=user)
    projects = Project.objects.all()
    return projects if condition is None else projects.filter(condition)


def project_is_visible(*, user, project: Project) -> bool:
    return project_list_visible(user=user).filter(pk=project.pk).exists()


def project_is_changeable(*, user, project: Project) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    if not user.has_role(Role.OFFICER):
        return False
    return (
        Project.objects.filter(pk=project.pk)
        .filter(_has_area_in(area_scope_for_changing(user=user)))
        .exists()
    )


def project_people_are_visible(*, user, project: Project) -> bool:
    """Residents' names on a roster: council staff and elected members within scope."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    if not (user.has_role(Role.OFFICER) or user.has_role(Role.ELECTED_MEMBER)):
        return False
    return (
        Project.objects.filter(pk=project.pk)
        .filter(_has_area_in(area_scope_for_reading(user=user)))
        .exists()
    )
