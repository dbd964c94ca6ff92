"""What a user's memberships give them, read once per user object."""

from dataclasses import dataclass, field

from hemma.accounts.models import Membership


@dataclass(frozen=True)
class Roles:
    coordinated_regions: frozenset[int] = field(default_factory=frozenset)
    coordinated_municipalities: frozenset[int] = field(default_factory=frozenset)
    viewed_regions: frozenset[int] = field(default_factory=frozenset)
    viewed_municipalities: frozenset[int] = field(default_factory=frozenset)
    # Organisations whose activities the user reports (an organisation reporter): this
    # gives no view of the region's programme or of other records.
    reported_organisations: frozenset[int] = field(default_factory=frozenset)
    # (region id, language) a translator translates the region's information pages into:
    # this gives no view of anything else (hemma/information/policies.py).
    translated: frozenset[tuple[int, str]] = field(default_factory=frozenset)

    @property
    def regions(self) -> frozenset[int]:
        return self.coordinated_regions | self.viewed_regions

    @property
    def municipalities(self) -> frozenset[int]:
        return self.coordinated_municipalities | self.viewed_municipalities

    @property
    def reporter_only(self) -> bool:
        """Only an organisation reporter: no role in any region or municipality, so nothing
        of the programmes, the follow-up or the other registries is theirs to see."""
        return bool(self.reported_organisations) and not (self.regions or self.municipalities)

    @property
    def translator_only(self) -> bool:
        """Only a translator: they see the information pages to translate, nothing else."""
        return bool(self.translated) and not (
            self.regions or self.municipalities or self.reported_organisations
        )


def roles_of(user) -> Roles:
    if not user or not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_hemma_roles", None)
    if cached is None:
        sets: dict[str, set[int]] = {
            "coordinated_regions": set(),
            "coordinated_municipalities": set(),
            "viewed_regions": set(),
            "viewed_municipalities": set(),
            "reported_organisations": set(),
        }
        translated: set[tuple[int, str]] = set()
        for m in Membership.objects.filter(user=user).only(
            "role", "region_id", "municipality_id", "organisation_id", "language"
        ):
            # The constraints on Membership guarantee the id each role needs is set.
            if m.role == Membership.Role.REGION_COORDINATOR and m.region_id:
                sets["coordinated_regions"].add(m.region_id)
            elif m.role == Membership.Role.MUNICIPAL_COORDINATOR and m.municipality_id:
                sets["coordinated_municipalities"].add(m.municipality_id)
            elif m.role == Membership.Role.ORGANISATION_REPORTER:
                if m.organisation_id:
                    sets["reported_organisations"].add(m.organisation_id)
            elif m.role == Membership.Role.TRANSLATOR:
                if m.region_id and m.language:
                    translated.add((m.region_id, m.language))
            elif m.region_id:
                sets["viewed_regions"].add(m.region_id)
            elif m.municipality_id:
                sets["viewed_municipalities"].add(m.municipality_id)
        cached = Roles(
            **{name: frozenset(ids) for name, ids in sets.items()},
            translated=frozenset(translated),
        )
        user._hemma_roles = cached
    return cached


def is_reporter_only(user) -> bool:
    """Whether `user` is an organisation reporter and nothing else (a superuser never is):
    what the navigation, the pages closed to them and the sign-in's landing page ask."""
    if not user or not user.is_authenticated or user.is_superuser:
        return False
    return roles_of(user).reporter_only


def is_translator_only(user) -> bool:
    """Whether `user` is a translator and nothing else (a superuser never is): they see the
    pages to translate and their account, nothing of the programmes or the registries."""
    if not user or not user.is_authenticated or user.is_superuser:
        return False
    return roles_of(user).translator_only


def sees_information(user) -> bool:
    """Whether the information hub's sites are the user's to see (a coordinator or viewer of
    a region or municipality; a superuser)."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    return bool(roles.regions or roles.municipalities)
