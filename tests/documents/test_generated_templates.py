"""The district's templates of generated documents: seeded per district, edited by the district admin only, an edit
that prints what the template cannot know refused naming the field, and the next document rendered from the edit."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from services.documents.generated.defaults import seed_templates
from shared.contracts.dispatch import ReferralIssued
from shared.settings import Settings
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.generated_support import deliver, filed
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
TEMPLATES = "/api/documents/templates"


@pytest.fixture
async def seeded(district_a: District, district_b: District) -> tuple[District, District]:
    for district in (district_a, district_b):
        await district.run(seed_templates)
    return district_a, district_b


def edit(template: dict[str, Any], **layout: Any) -> dict[str, Any]:
    return {
        "name": template["name"],
        "titlePattern": template["titlePattern"],
        "layout": {**template["layout"], **layout},
    }


async def test_a_district_starts_with_the_three_templates_and_their_placeholders(
    client: Client, issuer: TestIssuer, seeded: tuple[District, District]
) -> None:
    district, _ = seeded
    answer = await client.get(TEMPLATES, headers=bearer(street_admin(issuer, district)))
    assert answer.status_code == 200, answer.text
    templates = {row["code"]: row for row in answer.json()["items"]}
    assert set(templates) == {"award_certificate", "monthly_report", "referral_notice"}
    notice = templates["referral_notice"]
    assert notice["name"] == "抄告单"
    assert {"ticketNumber", "responsibleUnit", "responsiblePerson", "dueOn"} <= set(notice["placeholders"])
    assert {"label": "办结时限", "value": "{dueOn}"} in notice["layout"]["table"]
    missing = await client.get(f"{TEMPLATES}/no_such", headers=bearer(admin(issuer, district)))
    assert missing.status_code == 404


async def test_bad_template_edits_name_the_field_and_change_nothing(
    client: Client, issuer: TestIssuer, seeded: tuple[District, District]
) -> None:
    district, _ = seeded
    headers = bearer(admin(issuer, district))
    template = (await client.get(f"{TEMPLATES}/referral_notice", headers=headers)).json()
    paragraphs = template["layout"]["paragraphs"]
    for body, field in (
        (edit(template, paragraphs=[paragraphs[0], "请{recipient}于期限内办结"]), "body.layout.paragraphs[1]"),
        (edit(template, signature="{meeting（盖章）"), "body.layout.signature"),
        ({**edit(template), "titlePattern": "抄告单 {points}"}, "body.titlePattern"),
        (edit(template, table=[{"label": "时限", "value": 20}]), "body.layout.table[0].value"),
        ({**edit(template), "layout": {**template["layout"], "colour": "red"}}, "body.layout"),
        ({"name": "抄告单", "titlePattern": "抄告单"}, "layout"),
    ):
        refused = await client.put(f"{TEMPLATES}/referral_notice", json=body, headers=headers)
        assert refused.status_code in (400, 422), (field, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert field in refused.text, (field, refused.text)
    assert (await client.get(f"{TEMPLATES}/referral_notice", headers=headers)).json() == template

    street = await client.put(
        f"{TEMPLATES}/referral_notice", json=edit(template), headers=bearer(street_admin(issuer, district))
    )
    assert street.status_code == 403


async def test_the_next_notice_reads_as_the_district_edited_its_template(
    client: Client, issuer: TestIssuer, settings: Settings, seeded: tuple[District, District]
) -> None:
    district, other = seeded
    headers = bearer(admin(issuer, district))
    template = (await client.get(f"{TEMPLATES}/referral_notice", headers=headers)).json()
    changed = await client.put(
        f"{TEMPLATES}/referral_notice", json=edit(template, heading="瑶溪街道督办抄告单"), headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["layout"]["heading"] == "瑶溪街道督办抄告单"
    assert changed.json()["updatedBy"] is not None
    theirs = (await client.get(f"{TEMPLATES}/referral_notice", headers=bearer(admin(issuer, other)))).json()
    assert theirs["layout"]["heading"] == "抄告单"  # district B's copy is its own

    event = ReferralIssued(
        tenant_id=district.id,
        ticket_id=uuid.uuid4(),
        referral_id=uuid.uuid4(),
        number="抄告〔2026〕8号",
        due_on=date(2026, 12, 31),
    )
    await deliver(settings, event)  # an event from before the notice's facts travelled: they print as a dash
    notice = await filed(settings, district, f"dispatch.ReferralIssued:{event.referral_id}")
    assert "瑶溪街道督办抄告单" in notice.text
    assert "2026年12月31日" in notice.text
