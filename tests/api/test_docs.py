"""docs/api.md's getting-started session works as written, with curl, against a live
server running the demo council."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from oauth2_provider.models import AccessToken

from coproduction.api.models import IdempotencyRecord
from coproduction.demo import demo_council_build
from projects.models import Measurement

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
DOC_BASE = "BASE=http://127.0.0.1:8000"


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def test_the_doc_shows_four_steps():
    blocks = shell_blocks()
    assert len(blocks) == 4
    assert DOC_BASE in blocks[0]


@pytest.mark.django_db(transaction=True)
def test_getting_started_session_runs_as_written(live_server):
    # given: the demo council, whose police client the doc uses
    demo_council_build()
    blocks = shell_blocks()
    script = "set -euo pipefail\n" + "\necho '-----'\n".join(blocks)
    script = script.replace(DOC_BASE, f"BASE={live_server.url}")
    # when
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    # then
    assert result.returncode == 0, result.stderr
    _token, me, areas, _revoke = result.stdout.split("-----\n")
    me = json.loads(me)
    assert me["client_id"] == "northfield-police-demo"
    assert me["agency"]["name"] == "Northfield Neighbourhood Policing Team"
    assert me["partnerships"]
    wards = [row["name"] for row in json.loads(areas)["results"]]
    assert wards == sorted(wards)
    assert "Town Centre" in wards
    assert AccessToken.objects.count() == 0


def write_block() -> str:
    (block,) = re.findall(r"```shell\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    return block


@pytest.mark.django_db(transaction=True)
def test_posting_a_reading_runs_as_written(live_server):
    # given: the demo council, and a token as step 1 gets it
    demo_council_build()
    script = "set -euo pipefail\n" + shell_blocks()[0] + "\n" + write_block()
    script = script.replace(DOC_BASE, f"BASE={live_server.url}")
    # when
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    # then: the reading the doc describes, on the police's indicator
    assert result.returncode == 0, result.stderr
    reading = json.loads(result.stdout)
    assert reading["measured_on"] == "2026-09-30"
    assert reading["value"] == "41.00"
    assert Measurement.objects.filter(
        indicator__name="Anti-social behaviour incidents in the town centre",
        measured_on="2026-09-30",
    ).exists()


GUIDE = Path(settings.BASE_DIR) / "docs" / "guides" / "partner-developer.md"


@pytest.mark.django_db(transaction=True)
def test_the_partner_guides_write_runs_as_written_with_an_idempotency_key(live_server):
    # given: the demo council, a token as the reference's step 1 gets it and the
    # indicator its write finds
    demo_council_build()
    (guide_block,) = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(), flags=re.DOTALL)
    find_indicator = write_block().split("\n\n")[0]
    script = "\n".join(["set -euo pipefail", shell_blocks()[0], find_indicator, guide_block])
    script = script.replace(DOC_BASE, f"BASE={live_server.url}")
    # when
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    # then: the reading, sent with a key (with the tools the reference's session uses)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["measured_on"] == "2026-09-30"
    assert IdempotencyRecord.objects.count() == 1
