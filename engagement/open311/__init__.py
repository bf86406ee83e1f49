"""Open311 GeoReport v2 for issue reports: the protocol FixMyStreet speaks to councils.

See docs/open311.md. Reads are public (public fields only); posting a report needs the
`open311:write` scope, through an `api_key` or a bearer token.
"""
