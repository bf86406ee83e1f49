"""Run a recorded lottery draw again and say whether it gives the same panel."""

from django.core.management.base import BaseCommand, CommandError

from governance.models import LotteryDraw
from governance.services.lottery import lottery_rerun


class Command(BaseCommand):
    help = "Run a recorded lottery draw again from its seed and pool, and compare the panels."

    def add_arguments(self, parser) -> None:
        parser.add_argument("draw_id", type=int, help="The draw's number, shown on its page.")

    def handle(self, *args, draw_id: int, **options) -> None:
        draw = LotteryDraw.objects.select_related("call").filter(pk=draw_id).first()
        if draw is None:
            raise CommandError(f"There is no lottery draw {draw_id}.")
        result = lottery_rerun(draw=draw)
        self.stdout.write(f"Draw {draw.pk} of “{draw.call}”, seed {draw.seed}, {draw.algorithm}")
        self.stdout.write(f"Recorded panel: {draw.panel or 'none'}")
        self.stdout.write(f"Panel now:      {result.panel or 'none'}")
        for problem in result.problems:
            self.stdout.write(f"  {problem}")
        if result.panel != draw.panel:
            raise CommandError("The panels differ.")
        self.stdout.write(self.style.SUCCESS("Same panel."))
