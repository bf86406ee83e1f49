"""Look after the summary the inclusion reports count (see docs/inclusion-reports.md)."""

from django.core.management.base import BaseCommand

from engagement.inclusion.activity import (
    activity_rebuild,
    activity_refresh,
    activity_stale_count,
    activity_triggers_install,
)


class Command(BaseCommand):
    help = "Rebuild or refresh the inclusion reports' summary of the participation ledger."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rebuild", action="store_true", help="rebuild it all")
        group.add_argument("--refresh", action="store_true", help="work through the queue")

    def handle(self, *args, rebuild=False, refresh=False, **options):
        if rebuild:
            activity_triggers_install()
            rows = activity_rebuild()
            self.stdout.write(f"Summary rebuilt: {rows:,} rows.")
        elif refresh:
            done = activity_refresh()
            self.stdout.write(f"Summary refreshed: {done:,} queued months or people.")
        else:
            self.stdout.write(f"{activity_stale_count():,} people queued for the summary.")
