"""Add All: a server-side job that adds a user to every project they miss, in batches.

The page polls the job and shows its progress; Cancel stops it between batches and Add All
starts a new job for what is left (so it resumes). With the ``add_all_stall`` fault the first
job of the portal stops after one batch and reports itself stalled, once: the page must say so
and offer Retry. From ``state.add_all_limit`` active projects on, Add All is unavailable:
absent or disabled (``state.add_all_mode``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from flask import current_app

from automation.mock_portal.faults import current_faults
from automation.mock_portal.procore.common import (
    add_memberships,
    admin_company,
    blueprint,
    json_error,
    portal_state,
    signed_in,
)
from automation.mock_portal.state import Company, PortalState

__all__ = ["AddAllJob", "add_all_availability", "job_for"]

JobStatus = Literal["running", "stalled", "cancelled", "complete"]

#: Projects added per batch, and the pause between batches. Procore's job is slow enough to
#: watch; the mock's keeps the same shape at test speed (tests may change the config keys).
BATCH_SIZE = 25
BATCH_PAUSE_S = 0.04


@dataclass
class AddAllJob:
    company_id: int
    user_id: int
    #: Ids restart after ``/__mock__/reset``; the login tells a stale job from the user's own.
    user_login: str
    total: int
    added: int = 0
    status: JobStatus = "running"
    cancel: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"status": self.status, "added": self.added, "total": self.total}


@dataclass
class _Registry:
    jobs: dict[tuple[int, int], AddAllJob] = field(default_factory=dict)
    stalled_once: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def _registry() -> _Registry:
    registry = current_app.extensions.get("procore_add_all")
    if registry is None:
        registry = current_app.extensions.setdefault("procore_add_all", _Registry())
    assert isinstance(registry, _Registry)
    return registry


def job_for(company_id: int, user_id: int) -> AddAllJob | None:
    job = _registry().jobs.get((company_id, user_id))
    company = portal_state().companies.get(company_id)
    user = company.users.get(user_id) if company else None
    return job if job is not None and user is not None and user.login == job.user_login else None


def add_all_availability(state: PortalState, company: Company) -> str:
    """``"available"``, or the unavailable mode (``"absent"`` / ``"disabled"``)."""
    if len(company.active_projects()) < state.add_all_limit:
        return "available"
    return state.add_all_mode


def _run(
    job: AddAllJob,
    state: PortalState,
    project_ids: list[int],
    *,
    batch_size: int,
    pause_s: float,
    stall: bool,
) -> None:
    for start in range(0, len(project_ids), batch_size):
        if job.cancel.is_set():
            with job.lock:
                job.status = "cancelled"
            return
        if stall and start > 0:
            with job.lock:
                job.status = "stalled"
            return
        batch = project_ids[start : start + batch_size]
        with state.lock:
            company = state.companies[job.company_id]
            user = company.users[job.user_id]
            add_memberships(state, company, user, batch)
        with job.lock:
            job.added += len(batch)
        if pause_s and start + batch_size < len(project_ids) and job.cancel.wait(pause_s):
            with job.lock:
                job.status = "cancelled"
            return
    with job.lock:
        job.status = "complete"


_JOB_URL = "/<int:company_id>/company/directory/users/<int:user_id>/add_all"


@blueprint.route(_JOB_URL, methods=["POST"])
@signed_in
def start_add_all(company_id: int, user_id: int) -> Any:
    """Starts (or resumes, after Cancel or a stall) adding the user to every missing project."""
    state = portal_state()
    registry = _registry()
    with state.lock:
        company = admin_company(company_id)
        user = company.users.get(user_id)
        if user is None:
            return json_error("No such user.", 404)
        availability = add_all_availability(state, company)
        if availability != "available":
            return json_error(
                f"Add All is not available for companies with {state.add_all_limit:,} or more "
                "active projects.",
                409,
            )
        members = company.memberships.get(user.id, set())
        missing = sorted(
            (p for p in company.active_projects() if p.id not in members), key=lambda p: p.name
        )
    with registry.lock:
        running = job_for(company_id, user_id)
        if running is not None and running.snapshot()["status"] == "running":
            return running.snapshot()
        stall = current_faults().add_all_stall and not registry.stalled_once
        registry.stalled_once = registry.stalled_once or stall
        job = AddAllJob(company_id, user_id, user.login, total=len(missing))
        registry.jobs[(company_id, user_id)] = job
    config = current_app.config
    threading.Thread(
        target=_run,
        args=(job, state, [p.id for p in missing]),
        kwargs={
            "batch_size": int(config.get("PROCORE_ADD_ALL_BATCH", BATCH_SIZE)),
            "pause_s": float(config.get("PROCORE_ADD_ALL_PAUSE_S", BATCH_PAUSE_S)),
            "stall": stall,
        },
        name=f"add-all-{company_id}-{user_id}",
        daemon=True,
    ).start()
    return job.snapshot(), 202


@blueprint.route(_JOB_URL, methods=["GET"])
@signed_in
def add_all_status(company_id: int, user_id: int) -> Any:
    admin_company(company_id)
    job = job_for(company_id, user_id)
    if job is None:
        return {"status": "none", "added": 0, "total": 0}
    return job.snapshot()


@blueprint.route(_JOB_URL + "/cancel", methods=["POST"])
@signed_in
def cancel_add_all(company_id: int, user_id: int) -> Any:
    admin_company(company_id)
    job = job_for(company_id, user_id)
    if job is None:
        return json_error("Nothing to cancel.", 404)
    job.cancel.set()
    with job.lock:
        if job.status == "running":
            # The thread notices between batches; the page may say so at once.
            job.status = "cancelled"
    return job.snapshot()
