"""The engagement app's condition on the projects app's stage gate (projects.gates): a
project enters delivery only when every volunteer activity it has scheduled is for a task
volunteers may do, with an approved risk assessment in date on the day. While it is in
delivery, the same rule holds for each activity scheduled (engagement.volunteering.gate),
and the officers' dashboard lists any activity whose assessment lapsed or was reopened.
"""

from projects.gates import Condition, GateContext, gate_check
from projects.models import Project

from .volunteering.gate import project_activity_cover

CODE = "engagement.volunteer_risk_assessments"


@gate_check(CODE, entering={Project.Stage.DELIVER})
def volunteer_tasks_risk_assessed(context: GateContext) -> list[Condition] | None:
    covers = project_activity_cover(project=context.project, today=context.today)
    if not covers:
        return None
    return [
        Condition(
            code=CODE,
            label=f"{cover.label}: risk assessment approved and in date",
            met=cover.refusal is None,
            missing=cover.refusal.message if cover.refusal else "",
            action_url=(cover.refusal.link if cover.refusal else "")
            or cover.activity.get_absolute_url(),
            action_label=(cover.refusal.link_text if cover.refusal else "") or "See the activity",
        )
        for cover in covers
    ]
