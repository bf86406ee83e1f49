"""GeoReport v2's XML: a root element holding one element per record, each field a child.

A small ElementTree writer rather than djangorestframework-xml: that package names its
elements `root` and `list-item` (GeoReport wants `services`/`service`,
`service_requests`/`request`, `errors`/`error`), so it would need overriding wholesale,
and it has had no release since 2020.
"""

import re
from xml.etree import ElementTree as ET

from rest_framework.renderers import BaseRenderer

# Characters XML 1.0 cannot hold at all: dropped rather than written as broken XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


class GeoReportXMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        if response is not None and response.status_code >= 400:
            root_tag, item_tag = "errors", "error"
        else:
            root_tag, item_tag = getattr(view, "xml_tags", ("service_requests", "request"))
        root = ET.Element(root_tag)
        for row in data or []:
            item = ET.SubElement(root, item_tag)
            for name, value in row.items():
                if isinstance(value, list):
                    # keywords and the like: one comma list, as GeoReport's examples show
                    value = ",".join(_text(v) for v in value)
                ET.SubElement(item, name).text = _text(value)
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
