"""Many customer companies at once, for fleet runs (``runbook mock-portal --companies N``).

Each seeded company has its own administrator, who administers that company only (so a
member signed in with the wrong company's login cannot install anything there), its own
projects and its own Directory. Names, logins and project counts follow from the company's
number alone: the same N gives the same world, and :func:`fleet_members` writes the members
file that matches it.
"""

from __future__ import annotations

from dataclasses import dataclass

from automation.mock_portal.state import Company, PortalState, Project, User

__all__ = [
    "COMPANY_ADMIN_PASSWORD",
    "SeededCompany",
    "admin_vault_path",
    "fleet_members",
    "seed_companies",
    "seeded_company",
]

#: Test data like the seed file's passwords (not a captured secret): every seeded company's
#: administrator signs in with it.
COMPANY_ADMIN_PASSWORD = "Procore-Pass-2026!"
#: The most companies one portal seeds: enough for any fleet test or benchmark.
MAX_COMPANIES = 1000


@dataclass(frozen=True)
class SeededCompany:
    number: int
    name: str
    slug: str
    admin_login: str
    admin_name: str
    project_count: int


def seeded_company(number: int) -> SeededCompany:
    """The ``number``-th seeded company (from 1): its name, administrator and size."""
    tag = f"{number:03d}"
    return SeededCompany(
        number=number,
        name=f"Customer {tag}",
        slug=f"customer-{tag}",
        admin_login=f"admin@customer-{tag}.example.com",
        admin_name=f"Admin Customer {tag}",
        # 6 to 10 projects: companies differ, and every member's N/N line says so.
        project_count=6 + number % 5,
    )


def admin_vault_path(company: SeededCompany) -> str:
    """Where a fleet keeps this company's administrator login (``login``, ``password``)."""
    return f"procore/companies/{company.slug}/admin"


def seed_companies(state: PortalState, count: int) -> list[SeededCompany]:
    """Adds ``count`` customer companies to ``state`` (under its lock); returns them."""
    if not 0 <= count <= MAX_COMPANIES:
        raise ValueError(f"companies must be between 0 and {MAX_COMPANIES}, not {count}")
    seeded = [seeded_company(n) for n in range(1, count + 1)]
    with state.lock:
        for spec in seeded:
            company = Company(id=state.next_id(), name=spec.name, admins={spec.admin_login})
            state.companies[company.id] = company
            for n in range(1, spec.project_count + 1):
                project = Project(state.next_id(), f"{spec.name} Project {n:02d}", company.id)
                company.projects[project.id] = project
            admin = User(state.next_id(), spec.admin_name, spec.admin_login, company.id)
            company.users[admin.id] = admin
            company.memberships[admin.id] = set(company.projects)
            state.procore_logins[spec.admin_login] = COMPANY_ADMIN_PASSWORD
    return seeded


def fleet_members(count: int) -> list[dict[str, str]]:
    """The members file rows for the first ``count`` seeded companies (``--members-out``)."""
    return [
        {"name": c.slug, "company": c.name, "admin_login": admin_vault_path(c)}
        for c in map(seeded_company, range(1, count + 1))
    ]
