"""This app's part of the demo council (see coproduction.demo): idempotent."""

from coproduction.demo import DemoContext


def demo_build(context: DemoContext) -> None:
    """Nothing yet: the app's models arrive with its issue."""
