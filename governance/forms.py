"""Forms for the governance pages: they check shape; the services check the rules."""

from datetime import timedelta
from decimal import Decimal

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduction.forms import GovukForm
from engagement.models import Participant

from .models import (
    BoardMembership,
    Budget,
    DecisionVote,
    InterestDeclaration,
    Meeting,
    MemberAttendance,
    Priority,
    PriorityCycle,
    SeatCategory,
    SeatQuota,
    TaskGroupMember,
    VotingMethod,
)
from .services.priorities import cycle_forum_start, paper_ballot_date_problem

MAX_PAPER_BYTES = 20 * 1024 * 1024
PAPER_TYPES = {".pdf", ".docx", ".odt", ".xlsx", ".ods", ".pptx", ".txt", ".csv"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None) -> None:
        # A date input's value is always ISO, whatever the site's display format.
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class GovernanceForm(GovukForm):
    """The governance pages' forms (GOV.UK classes come from coproduction.forms)."""


class BoardForm(GovernanceForm):
    name = forms.CharField(max_length=200, label="Name of the board")
    quorum = forms.IntegerField(
        min_value=1, label="Quorum", help_text="The fewest members present for a decision."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in SeatCategory.Kind:
            self.fields[f"seats_{kind.value}"] = forms.IntegerField(
                min_value=0, max_value=99, label=f"{kind.label} seats", initial=0
            )
            self.fields[f"quorum_{kind.value}"] = forms.IntegerField(
                min_value=0,
                max_value=99,
                label=f"{kind.label}s needed for a quorum",
                initial=0,
            )

    def clean(self):
        data = super().clean()
        total = 0
        for kind in SeatCategory.Kind:
            seats = data.get(f"seats_{kind.value}") or 0
            quorum = data.get(f"quorum_{kind.value}") or 0
            total += seats
            if quorum > seats:
                self.add_error(
                    f"quorum_{kind.value}",
                    f"The quorum cannot be more than the {seats} {kind.label.lower()} seats.",
                )
        if total == 0:
            raise ValidationError("Give the board at least one seat.")
        if data.get("quorum") and data["quorum"] > total:
            self.add_error("quorum", f"The quorum cannot be more than the {total} seats.")
        return data


class MembershipForm(GovernanceForm):
    category = forms.ChoiceField(label="Seat", choices=SeatCategory.Kind.choices)
    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(),
        required=False,
        label="Resident (community seats)",
    )
    user = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Councillor or partner manager (other seats)",
    )
    position = forms.ChoiceField(
        choices=BoardMembership.Position.choices, initial=BoardMembership.Position.MEMBER
    )
    route = forms.ChoiceField(
        label="How they came to the seat", choices=BoardMembership.Route.choices
    )
    term_start = forms.DateField(widget=DateInput, label="Term starts")
    term_end = forms.DateField(widget=DateInput, required=False, label="Term ends")

    def __init__(self, *args, participants, users, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["user"].queryset = users

    def clean(self):
        data = super().clean()
        if data.get("category") == SeatCategory.Kind.COMMUNITY:
            if not data.get("participant"):
                self.add_error("participant", "Choose the resident who takes the seat.")
            data["user"] = None
        elif data.get("category"):
            if not data.get("user"):
                self.add_error("user", "Choose the person who takes the seat.")
            data["participant"] = None
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", "The term must end after it starts.")
        return data


class MembershipEndForm(GovernanceForm):
    ended_on = forms.DateField(widget=DateInput, label="Last day on the board")


class SeatCallForm(GovernanceForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea, required=False)
    seats = forms.IntegerField(min_value=1, max_value=99, label="Seats to fill")
    opens_on = forms.DateField(widget=DateInput)
    closes_on = forms.DateField(widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The call must close after it opens.")
        return data


class SeatApplicationForm(GovernanceForm):
    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(),
        label="Applicant",
        error_messages={"required": "Choose the applicant"},
    )
    address_line = forms.CharField(
        max_length=200,
        label="First line of their address",
        help_text="Kept only as a one-way key, to draw no more than one person per household.",
    )
    postcode = forms.CharField(max_length=10)
    statement = forms.CharField(widget=forms.Textarea, required=False, label="Why they applied")

    def __init__(self, *args, participants, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class SeatQuotaForm(GovernanceForm):
    group = forms.ChoiceField(label="Group")
    min_seats = forms.IntegerField(min_value=0, max_value=99, label="Fewest seats")
    max_seats = forms.IntegerField(min_value=0, max_value=99, label="Most seats")

    def __init__(self, *args, groups: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = groups

    def clean(self):
        data = super().clean()
        low, high = data.get("min_seats"), data.get("max_seats")
        if low is not None and high is not None and low > high:
            self.add_error("max_seats", "The most seats cannot be fewer than the fewest.")
        return data

    def dimension_and_category(self) -> tuple[str, str]:
        dimension, category = self.cleaned_data["group"].split(":", 1)
        if dimension not in SeatQuota.Dimension.values:
            raise ValidationError("Unknown group.")
        return dimension, category


class LotteryDrawForm(GovernanceForm):
    seed = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        label="Seed (optional)",
        help_text=(
            "Leave blank for a random seed. To let observers check the draw, agree a seed "
            "in public first, for example from a lottery's winning numbers."
        ),
    )


class AppointForm(GovernanceForm):
    term_start = forms.DateField(widget=DateInput, label="Terms start")
    term_end = forms.DateField(widget=DateInput, required=False, label="Terms end")


class PriorityCycleForm(GovernanceForm):
    title = forms.CharField(max_length=200)
    period_start = forms.DateField(widget=DateInput, label="Priorities cover the period from")
    period_end = forms.DateField(widget=DateInput, label="to")
    voting_method = forms.ChoiceField(choices=VotingMethod.choices, widget=forms.RadioSelect)
    votes_per_person = forms.IntegerField(
        min_value=1,
        max_value=20,
        initial=3,
        label="Votes per person",
        help_text="Approval: the most ticks; ranking: how many to rank; dots: how many dots.",
    )
    adopt_count = forms.IntegerField(
        min_value=1, max_value=20, initial=3, label="Priorities to adopt"
    )
    needs_ratification = forms.BooleanField(
        required=False, initial=True, label="An elected member ratifies each adopted priority"
    )
    forum = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False)

    def __init__(self, *args, forums, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end after it starts.")
        return data


class PriorityForm(GovernanceForm):
    title = forms.CharField(
        max_length=200,
        label="Priority",
        error_messages={"required": "Enter the priority you propose"},
    )
    description = forms.CharField(
        widget=forms.Textarea, required=False, label="What should be done, and why"
    )


class BallotForm(GovernanceForm):
    """A ballot for the cycle's method: a tick box, a rank or a number of dots for each
    priority. `participant` is there only when an officer enters a paper ballot."""

    def __init__(self, *args, cycle: PriorityCycle, priorities, paper: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.priorities = list(priorities)
        if paper:
            self.fields["paper_reference"] = forms.CharField(
                max_length=60,
                label="Reference on the paper form",
                help_text="The number printed on the ballot paper: it identifies the voter.",
            )
            self.fields["cast_on"] = forms.DateField(
                widget=DateInput,
                label="Date the ballot was filled in",
                help_text="Often the forum's date. The vote counts as taking part on that day.",
                initial=self._paper_date_initial(),
                error_messages={
                    "required": "Enter the date the ballot was filled in",
                    "invalid": "Enter the date the ballot was filled in as a real date",
                },
            )
        method = cycle.voting_method
        for priority in self.priorities:
            name = f"priority_{priority.pk}"
            if method == VotingMethod.APPROVAL:
                self.fields[name] = forms.BooleanField(required=False, label=priority.title)
            else:
                self.fields[name] = forms.IntegerField(
                    required=False,
                    min_value=1,
                    max_value=cycle.votes_per_person,
                    label=priority.title,
                    help_text=priority.description[:200],
                    widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
                )

    def _paper_date_initial(self):
        """The forum's date once it has met (paper ballots are mostly the forum's),
        otherwise today."""
        today = timezone.localdate()
        forum = cycle_forum_start(self.cycle)
        if forum is not None and timezone.localdate(forum) <= today:
            return timezone.localdate(forum)
        return today

    def clean_cast_on(self):
        cast_on = self.cleaned_data["cast_on"]
        problem = paper_ballot_date_problem(self.cycle, cast_on)
        if problem:
            raise ValidationError(problem)
        return cast_on

    def choices(self) -> dict[int, int]:
        picked = {}
        for priority in self.priorities:
            value = self.cleaned_data.get(f"priority_{priority.pk}")
            if value is True:
                picked[priority.pk] = 1
            elif isinstance(value, int) and value:
                picked[priority.pk] = value
        return picked

    def clean(self):
        data = super().clean()
        if not self.errors and not self.choices():
            raise ValidationError("Choose at least one priority.")
        return data


class ReviewForm(GovernanceForm):
    """A board member's scores and comments, one pair of fields per priority."""

    SCORES = [(str(n), str(n)) for n in range(1, 6)]

    def __init__(self, *args, priorities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.priorities = list(priorities)
        layout = []
        for priority in self.priorities:
            own = priority.own_reviews[0] if getattr(priority, "own_reviews", None) else None
            votes = getattr(priority, "score", None)
            forum = (
                f"The forum gave it {votes} vote{'s' if votes != 1 else ''}. "
                if votes is not None
                else ""
            )
            self.fields[f"score_{priority.pk}"] = forms.TypedChoiceField(
                coerce=int,
                choices=self.SCORES,
                widget=forms.RadioSelect,
                required=False,
                label=f"Score for “{priority.title}”",
                help_text=f"{forum}1: not a priority; 5: essential.",
                initial=str(own.score) if own else None,
            )
            self.fields[f"comment_{priority.pk}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                label=f"Comment on “{priority.title}”",
                initial=own.comment if own else "",
            )
            layout += [
                Field.radios(
                    f"score_{priority.pk}", legend_size=Size.MEDIUM, inline=True, small=True
                ),
                Field.textarea(f"comment_{priority.pk}", rows=2),
            ]
        self.helper.layout = Layout(*layout)

    def reviews(self) -> list[tuple[Priority, int, str]]:
        rows = []
        for priority in self.priorities:
            score = self.cleaned_data.get(f"score_{priority.pk}")
            comment = self.cleaned_data.get(f"comment_{priority.pk}", "")
            if score:
                rows.append((priority, score, comment))
            elif comment:
                self.add_error(f"score_{priority.pk}", "Give a score with your comment.")
        return rows

    def clean(self):
        data = super().clean()
        if not self.errors and not self.reviews():
            raise ValidationError("Score at least one priority.")
        return data


class TaskGroupMemberForm(GovernanceForm):
    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(), required=False, label="Resident"
    )
    user = forms.ModelChoiceField(
        queryset=None, required=False, label="Or staff, councillor or partner"
    )
    role = forms.ChoiceField(choices=TaskGroupMember.Role.choices)
    joined_on = forms.DateField(widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, participants, users, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["user"].queryset = users

    def clean(self):
        data = super().clean()
        if bool(data.get("participant")) == bool(data.get("user")):
            raise ValidationError("Choose either a resident or a member of staff or partner.")
        return data


class PriorityProjectsForm(GovernanceForm):
    projects = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, projects, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects


class MeetingForm(GovernanceForm):
    kind = forms.ChoiceField(choices=Meeting.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField(widget=DateTimeInput, label="Starts")
    ends_at = forms.DateTimeField(widget=DateTimeInput, label="Ends")
    place = forms.CharField(max_length=255, help_text="A name and address.")
    description = forms.CharField(widget=forms.Textarea, required=False)
    priority_cycle = forms.ModelChoiceField(
        queryset=PriorityCycle.objects.none(),
        required=False,
        label="Priority cycle this forum votes on",
    )

    def __init__(self, *args, cycles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority_cycle"].queryset = cycles
        if not self.is_bound:
            start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(
                days=14
            )
            self.initial.setdefault("starts_at", start)
            self.initial.setdefault("ends_at", start + timedelta(hours=2))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", "The meeting must end after it starts.")
        return data


class AgendaItemForm(GovernanceForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea, required=False)
    paper = forms.FileField(
        required=False, help_text="PDF, Word, OpenDocument or spreadsheet, up to 20 MB."
    )
    paper_title = forms.CharField(max_length=200, required=False)
    is_public = forms.BooleanField(
        required=False, initial=True, label="Public item (shown in the published minutes)"
    )

    def clean_paper(self):
        paper = self.cleaned_data.get("paper")
        if paper:
            suffix = "." + paper.name.rsplit(".", 1)[-1].lower() if "." in paper.name else ""
            if suffix not in PAPER_TYPES:
                raise ValidationError(
                    "The paper must be a PDF, Word, OpenDocument or spreadsheet file."
                )
            if paper.size > MAX_PAPER_BYTES:
                raise ValidationError("The paper must be smaller than 20 MB.")
        return paper


class MemberAttendanceForm(GovernanceForm):
    def __init__(self, *args, memberships, current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = list(memberships)
        for membership in self.memberships:
            self.fields[f"member_{membership.pk}"] = forms.ChoiceField(
                choices=[("", "Not recorded"), *MemberAttendance.Status.choices],
                required=False,
                label=f"{membership.person_name} ({membership.category.get_kind_display()})",
                initial=current.get(membership.pk, ""),
            )

    def statuses(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"member_{m.pk}"]
            for m in self.memberships
            if self.cleaned_data.get(f"member_{m.pk}")
        }


class ForumAttendanceForm(GovernanceForm):
    participant = forms.ModelChoiceField(queryset=Participant.objects.none(), label="Resident")
    attended = forms.TypedChoiceField(
        coerce=lambda v: v == "yes",
        choices=[("yes", "Attended"), ("no", "Registered but did not attend")],
        widget=forms.RadioSelect,
        label="Attendance",
    )

    def __init__(self, *args, participants, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class InterestForm(GovernanceForm):
    membership = forms.ModelChoiceField(queryset=BoardMembership.objects.none(), label="Member")
    kind = forms.ChoiceField(choices=InterestDeclaration.Kind.choices, widget=forms.RadioSelect)
    nature = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="What the interest is"
    )
    withdrew = forms.BooleanField(required=False, label="The member left the room for this item")

    def __init__(self, *args, memberships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships


class DecisionForm(GovernanceForm):
    motion = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the motion put to the board"},
    )
    proposer = forms.ModelChoiceField(
        queryset=BoardMembership.objects.none(),
        error_messages={"required": "Choose the member who proposed the motion"},
    )
    seconder = forms.ModelChoiceField(
        queryset=BoardMembership.objects.none(),
        error_messages={"required": "Choose the member who seconded the motion"},
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(), required=False, label="Priority this decides (if any)"
    )
    effect = forms.ChoiceField(
        choices=[
            ("", "No effect on a priority"),
            ("adopt", "Adopt the priority"),
            ("reject", "Do not adopt the priority"),
        ],
        required=False,
        label="If carried",
    )

    def __init__(self, *args, present, interested: set[int], priorities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.present = list(present)
        self.fields["proposer"].queryset = present
        self.fields["seconder"].queryset = present
        self.fields["priority"].queryset = priorities
        self.interested = interested
        for membership in self.present:
            label = f"How {membership.person_name} voted"
            if membership.pk in interested:
                label += " (declared an interest: cannot vote)"
            self.fields[f"vote_{membership.pk}"] = forms.ChoiceField(
                choices=[("", "Did not vote"), *DecisionVote.Vote.choices],
                required=False,
                label=label,
            )

    def votes(self) -> dict:
        return {
            m: self.cleaned_data[f"vote_{m.pk}"]
            for m in self.present
            if self.cleaned_data.get(f"vote_{m.pk}")
        }

    def clean(self):
        data = super().clean()
        if data.get("proposer") and data.get("proposer") == data.get("seconder"):
            self.add_error("seconder", "The seconder must be someone other than the proposer.")
        if data.get("effect") and not data.get("priority"):
            self.add_error("priority", "Choose the priority this decision is about.")
        return data


class MinutesForm(GovernanceForm):
    minutes = forms.CharField(
        error_messages={"required": "Enter the minutes"},
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Published minutes are public: name members of the public nowhere in them. "
            "Decisions and declarations are added from what was recorded."
        ),
    )


class SignOffDecisionForm(GovernanceForm):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you approve or reject the request"},
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when you reject a request.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("comment", "").strip():
            self.add_error("comment", "Say why you are rejecting this request.")
        return data


class BudgetAwardForm(GovernanceForm):
    budget = forms.ModelChoiceField(
        queryset=Budget.objects.none(), error_messages={"required": "Choose the budget"}
    )
    project = forms.ModelChoiceField(
        queryset=None, error_messages={"required": "Choose the project"}
    )
    amount = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        label="Amount (£)",
        error_messages={
            "required": "Enter the amount",
            "invalid": "Enter the amount in pounds, like 2500 or 2500.50",
            "min_value": "Enter an amount more than £0",
        },
    )
    purpose = forms.CharField(
        max_length=255,
        label="What it pays for",
        error_messages={"required": "Say what the award pays for"},
    )
    recipient_name = forms.CharField(
        max_length=200,
        required=False,
        label="Organisation the grant is made to (optional)",
        help_text="If the award is a grant to a group, for the 360Giving register of grants.",
    )

    def __init__(self, *args, budgets, projects, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets
        self.fields["project"].queryset = projects


class PeriodForm(GovernanceForm):
    start = forms.DateField(widget=DateInput, label="From")
    end = forms.DateField(widget=DateInput, label="To")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period must end after it starts.")
        return data


class AuditFilterForm(GovernanceForm):
    action = forms.CharField(
        required=False, max_length=100, help_text="e.g. signoff or decision.recorded"
    )
    object_type = forms.ChoiceField(required=False, label="Record type")
    object_id = forms.CharField(required=False, max_length=64, label="Record id")
    actor = forms.IntegerField(required=False, min_value=1, label="Person's id")
    outcome = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("ok", "Done"), ("refused", "Refused"), ("error", "Failed")],
    )
    since = forms.DateField(required=False, widget=DateInput, label="From")
    until = forms.DateField(required=False, widget=DateInput, label="To")

    def __init__(self, *args, object_types: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any")] + [(t, t) for t in object_types]
