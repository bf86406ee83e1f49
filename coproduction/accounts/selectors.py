from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from communities.models import Area

from .models import User
from .roles import Role, role_people


def area_list_for_user(*, user: User) -> QuerySet[Area]:
    """The areas a person may see: those they are assigned and everything within them.

    Administrators see every area; a person with no areas sees none.
    """
    if not user.is_authenticated or not user.is_active:
        return Area.objects.none()
    if user.has_role(Role.ADMINISTRATOR):
        return Area.objects.all()
    return user.areas.all().with_descendants()


def area_list_assigned(*, user: User) -> QuerySet[Area]:
    """The areas a person was assigned, with how many wards each holds."""
    return area_list_with_ward_counts(areas=user.areas.all())


def area_list_with_ward_counts(*, areas: QuerySet[Area]) -> QuerySet[Area]:
    """These areas, each once with its parent and how many wards it holds."""
    return (
        Area.objects.filter(pk__in=areas.values("pk"))
        .select_related("parent")
        .annotate(
            ward_count=Count(
                "children",
                filter=Q(children__kind=Area.Kind.WARD),
                distinct=True,
            )
        )
        .order_by("kind", "name")
    )


def user_list_with_role_in_areas(*, role: Role, areas: QuerySet[Area]) -> QuerySet[User]:
    """Active people holding a role whose assigned areas overlap the given ones."""
    return (
        User.objects.filter(is_active=True, groups__name=role, areas__in=areas)
        .distinct()
        .order_by("full_name")
    )


def officer_list_covering(*, areas: QuerySet[Area]) -> QuerySet[User]:
    """Officers assigned to any of these areas or to an area that contains one of them."""
    return user_list_with_role_in_areas(role=Role.OFFICER, areas=areas.with_ancestors())


def councillor_list_for_user(*, user: User) -> QuerySet[User]:
    """The elected members for the wards a person lives or works in."""
    assigned = user.areas.all()
    # A councillor represents a ward; a resident's area is the ward or LSOA they live in,
    # a board member's the area (an AAP) whose wards make up the board's patch.
    wards = Area.objects.filter(
        Q(pk__in=assigned.values("pk"), kind=Area.Kind.WARD)
        | Q(pk__in=assigned.values("parent"), kind=Area.Kind.WARD)
        | Q(parent__in=assigned.exclude(kind=Area.Kind.COUNCIL), kind=Area.Kind.WARD)
    )
    return user_list_with_role_in_areas(role=Role.ELECTED_MEMBER, areas=wards)


@dataclass(frozen=True)
class RoleCount:
    role: Role
    count: int

    @property
    def people(self) -> str:
        """What they are, in the number the count needs ("Partner agency staff")."""
        return role_people(self.role, self.count)


def role_counts_in_areas(*, areas: QuerySet[Area], officers: list[User]) -> list[RoleCount]:
    """How many active people hold each role within the given areas; the officers are
    those covering them (`officers`, as officer_list_covering lists them), wherever they
    are assigned."""
    rows = (
        User.objects.filter(is_active=True, areas__in=areas)
        .values("groups__name")
        .annotate(people=Count("pk", distinct=True))
    )
    counts = {row["groups__name"]: row["people"] for row in rows if row["groups__name"]}
    counts[Role.OFFICER.value] = len(officers)
    return [
        RoleCount(role=role, count=counts.get(role.value, 0))
        for role in Role
        if role != Role.ADMINISTRATOR
    ]
