"""Every route of the API, for the tests that walk them all."""

from django.urls import URLPattern, URLResolver, get_resolver


def api_routes() -> list[tuple[str, object]]:
    """(url name, view class) for every named route in the "api" namespace."""
    routes = []

    def walk(patterns, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "api" and entry.name:
                callback = entry.callback
                view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
                routes.append((entry.name, view, getattr(callback, "actions", None)))

    walk(get_resolver().url_patterns, None)
    return routes
