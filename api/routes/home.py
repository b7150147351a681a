"""``/``: the home page a browser lands on, or the same links as JSON for any other client."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.deps import StoreDep
from api.problems import wants_html
from api.routes.views import html_page
from viz.home import gather_home, home_index
from viz.render import render_home

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(request: Request, store: StoreDep) -> Response:
    """A browser (``Accept: text/html``) gets the bilingual home page linking the overview, every cluster's
    view, report and workbook, and the API documentation; any other client gets the same links as JSON.
    While no graph is loaded (Neo4j), both say how to load one instead of listing clusters."""
    data = gather_home(store)
    if wants_html(request):
        return html_page(render_home(data))
    return JSONResponse(home_index(data))
