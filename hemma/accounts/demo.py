"""The demo: the seed programme for a region of five municipalities, and a user per role."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from hemma.accounts.models import Membership, User
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.interchange.files import document_from_file
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.models import Programme

SEED_FILE = Path(settings.BASE_DIR) / "examples" / "integrationsprogram-2023-2025.yaml"

# username, role, where (region key, municipality code, "region key/organisation key" for a
# reporter, or "region key:language" for a translator), what to tell a newcomer
DEMO_USERS = [
    (
        "koordinator",
        Membership.Role.REGION_COORDINATOR,
        "jakobstadsregionen",
        "region coordinator: the whole programme",
    ),
    (
        "jakobstad",
        Membership.Role.MUNICIPAL_COORDINATOR,
        "598",
        "municipal coordinator of Jakobstad",
    ),
    ("larsmo", Membership.Role.MUNICIPAL_COORDINATOR, "440", "municipal coordinator of Larsmo"),
    ("lasare", Membership.Role.VIEWER, "jakobstadsregionen", "viewer of the region (read only)"),
    # Föregångarna, the youth workshop: the seed's one named NGO (kind "ngo"; the other one,
    # "tredje-sektorn", stands for the third sector as a whole).
    (
        "forening",
        Membership.Role.ORGANISATION_REPORTER,
        "jakobstadsregionen/foregangarna",
        "reporter for Föregångarna (an NGO): records the activities it organises",
    ),
    # Translates the region's information pages into Arabic, and sees nothing else.
    (
        "oversattare",
        Membership.Role.TRANSLATOR,
        "jakobstadsregionen:ar",
        "translator into Arabic of the region's information pages",
    ),
]


def demo_password() -> str:
    """HEMMA_DEMO_PASSWORD, else one made once and kept in the data folder."""
    if password := os.environ.get("HEMMA_DEMO_PASSWORD"):
        return password
    path = Path(settings.DATA_DIR) / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


@transaction.atomic
def demo_load() -> tuple[Programme, bool, list[tuple[str, str]], str]:
    """Load the demo once; later runs keep the data and only make sure the users can log in.

    Returns (programme, whether it was loaded now, [(username, description)], password).
    """
    with SEED_FILE.open("rb") as stream:
        document = document_from_file(stream, name=SEED_FILE.name)
    slug = document["programme"]["slug"]
    existing = Programme.objects.filter(slug=slug).first()
    loaded = existing is None
    programme = (
        existing
        if existing is not None
        else programme_import(actor=None, document=document, file=SEED_FILE.name).programme
    )

    password = demo_password()
    users = []
    for username, role, where, description in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        if where.isdigit():
            Membership.objects.get_or_create(
                user=user, role=role, municipality=Municipality.objects.get(code=where)
            )
        elif ":" in where:
            region_key, language = where.split(":", 1)
            Membership.objects.get_or_create(
                user=user, role=role, region=Region.objects.get(key=region_key), language=language
            )
        elif "/" in where:
            region_key, organisation_key = where.split("/", 1)
            region = Region.objects.get(key=region_key)
            Membership.objects.get_or_create(
                user=user,
                role=role,
                region=region,
                organisation=Organisation.objects.get(region=region, key=organisation_key),
            )
        else:
            Membership.objects.get_or_create(
                user=user, role=role, region=Region.objects.get(key=where)
            )
        users.append((username, description))
    admin, _created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin.set_password(password)
    admin.save()
    users.append(("admin", "superuser, also for /admin/"))
    return programme, loaded, users, password
