"""The headers every response must carry (docs/security.md), checked by the role x page
walk in test_permissions.py and by test_security_headers.py."""

import re

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response, *, private: bool) -> None:
    """`private`: a signed-in page or an API response, which no cache may keep."""
    for name, value in REQUIRED.items():
        assert response.get(name) == value, f"{name}: {response.get(name)!r}"
    csp = csp_directives(response)
    assert "'unsafe-inline'" not in csp.get("script-src", []), csp
    assert "'unsafe-eval'" not in csp.get("script-src", []), csp
    assert "'unsafe-inline'" not in csp.get("style-src", []), csp
    assert csp.get("object-src") == ["'none'"], csp
    assert csp.get("frame-ancestors") == ["'none'"], csp
    assert csp.get("base-uri") == ["'self'"], csp
    assert all(re.fullmatch(r"'self'|'nonce-[^']+'", s) for s in csp["script-src"]), csp
    if private:
        cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert {"no-store", "private"} <= cache_control, response.get("Cache-Control")
