"""This app's rows of the role x page matrix (see tests/permissions.py).

The register is for staff, councillors, board members and partner agencies (residents
get 403); changes are for officers covering the project and administrators. The
project rows use the `project` fixture, which every role but the resident may see; what
happens with projects outside a person's areas is tested in test_views_scope.py.
"""

from tests.permissions import FORBIDDEN, everyone, only

REGISTER = ("officer", "elected_member", "board_member", "partner_user", "administrator")
CHANGERS = ("officer", "administrator")
PEOPLE = ("officer", "elected_member", "administrator")


def project(fixture) -> dict:
    return {"pk": fixture("project").pk}


def published(fixture) -> dict:
    p = fixture("project")
    p.is_published = True
    p.public_summary = "Residents keep their streets clean with the council's help."
    p.save()
    return {"pk": p.pk}


def entry(fixture) -> dict:
    e = fixture("roster_entry")
    return {"pk": e.project_id, "entry": e.pk}


def line(fixture) -> dict:
    f = fixture("funding_line")
    return {"pk": f.project_id, "line": f.pk}


def indicator(fixture) -> dict:
    i = fixture("indicator")
    return {"pk": i.project_id, "indicator": i.pk}


def measurement(fixture) -> dict:
    m = fixture("measurement")
    return {"pk": m.indicator.project_id, "indicator": m.indicator_id, "measurement": m.pk}


def document(fixture) -> dict:
    d = fixture("project_document")
    return {"pk": d.project_id, "document": d.pk}


def register() -> dict:
    return only(*REGISTER)


def changers() -> dict:
    return only(*CHANGERS, others=FORBIDDEN)


PAGES = {
    "projects:list": ({}, register()),
    "projects:create": ({}, changers()),
    "projects:export_csv": ({}, register()),
    "projects:leverage": ({}, register()),
    "projects:funding_csv": ({}, changers()),
    "projects:grants_json": ({}, changers()),
    "projects:grants_csv": ({}, changers()),
    "projects:public_list": ({}, everyone(200)),
    "projects:public_detail": (published, everyone(200)),
    "projects:detail": (project, register()),
    "projects:update": (project, changers()),
    "projects:publish": (project, changers()),
    "projects:stage": (project, changers()),
    "projects:move_back": (project, changers()),
    "projects:stop": (project, changers()),
    "projects:signoff_request": (project, changers()),
    "projects:document_add": (project, changers()),
    "projects:document_download": (document, only(*PEOPLE)),
    "projects:roster_csv": (project, only(*PEOPLE)),
    "projects:document_delete": (document, changers()),
    "projects:roster_add": (project, changers()),
    "projects:roster_update": (entry, changers()),
    "projects:roster_remove": (entry, changers()),
    "projects:funding_add": (project, changers()),
    "projects:funding_update": (line, changers()),
    "projects:funding_signoff": (line, changers()),
    "projects:funding_commit": (line, changers()),
    "projects:funding_withdraw": (line, changers()),
    "projects:indicator_add": (project, changers()),
    "projects:indicator_update": (indicator, changers()),
    "projects:measurement_add": (indicator, changers()),
    "projects:measurement_delete": (measurement, changers()),
    "projects:assessment": (project, changers()),
}
