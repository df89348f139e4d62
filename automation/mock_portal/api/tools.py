"""Tool endpoints whose answer depends on the tool permissions of the installed app version.

One is enough to show what an app update changes: Daily Log at project level. Procore's
REST reference lists ``GET /rest/v1.0/projects/{project_id}/daily_logs`` (the day's log
headers); the mock keeps no log entries, so a granted call answers an empty list. Refusals,
in the order Procore's API documentation gives its 403 causes (procore-portal.md, "OAuth and
REST API"): the project is unknown (404), the app is not permitted on it or its service
account is not a member (403), the installed version lacks the tool permission (403).
"""

from __future__ import annotations

from flask import Response

from automation.mock_portal.api.access import connect, require_tool, visible_projects
from automation.mock_portal.api.common import ApiError, blueprint, portal_state
from automation.mock_portal.api.rest import paginated

__all__ = ["daily_logs"]


@blueprint.get("/rest/v1.0/projects/<int:project_id>/daily_logs")
def daily_logs(project_id: int) -> Response:
    state = portal_state()
    with state.lock:
        app, installation, company = connect(state)
        if project_id not in company.projects:
            raise ApiError(404, {"errors": f"Project {project_id} not found"})
        if project_id not in {p.id for p in visible_projects(company, installation)}:
            raise ApiError(
                403, {"errors": f"{app.name} is not permitted on project {project_id}"}
            )
        require_tool(state, app, installation, "project", "daily_log", "Daily Log")
        return paginated([])
