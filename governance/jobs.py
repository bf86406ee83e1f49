"""Background jobs the governance app runs in the worker (coproduction.jobs)."""

from django.urls import reverse

from coproduction.jobs.registry import JobInputError, job_runner

from .models import SeatCall
from .services.errors import GovernanceError
from .services.lottery import lottery_draw

LOTTERY_DRAW = "governance.lottery_draw"


@job_runner(LOTTERY_DRAW, label="Lottery draw for community seats")
def lottery_draw_job(job, progress) -> dict:
    """Draw a call's panel: the maximin algorithm can take minutes for a large pool, so it
    runs in the worker, not while the officer's browser waits."""
    call = SeatCall.objects.filter(pk=job.params.get("call")).first()
    if call is None:
        raise JobInputError(["The call no longer exists."], "The call no longer exists.")
    progress(0, 1, "drawing the panel")
    try:
        draw = lottery_draw(call=call, drawn_by=job.created_by, seed=job.params.get("seed"))
    except GovernanceError as exc:
        raise JobInputError(exc.messages, exc.messages[0]) from exc
    progress(1, 1, "done")
    # The job's page continues to the draw, where the panel is given its seats.
    next_url = reverse("governance:draw_detail", args=[draw.pk])
    if draw.succeeded:
        return {
            "draw": f"number {draw.pk}, seed {draw.seed}",
            "panel": f"{len(draw.panel)} drawn",
            "next_url": next_url,
        }
    return {
        "draw": f"number {draw.pk}, seed {draw.seed}",
        "panel": "none: " + " ".join(draw.problems),
        "next_url": next_url,
    }
