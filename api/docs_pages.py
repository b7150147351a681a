"""The interactive API documentation, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served without any CDN.

FastAPI's own pages load Swagger UI and ReDoc from ``cdn.jsdelivr.net`` and
their favicon from ``fastapi.tiangolo.com``: on a city intranet without
internet access they stay blank, and a browser that opens them sends requests
out of the network. :func:`install` serves the same pages with every asset
taken from chainkg itself, under ``/docs-assets/``: Swagger UI 5 and ReDoc 2
as shipped in the ``fastapi-offline`` package (a dependency in
``pyproject.toml``; the package is MIT, Swagger UI Apache-2.0, ReDoc MIT). The pages keep FastAPI's
titles (``chainkg - Swagger UI``, ``chainkg - ReDoc``) and
``/docs/oauth2-redirect``.

Nothing on the pages reaches outside the server: Swagger UI's online
validator badge (``validator.swagger.io``) is switched off, ReDoc loads no
Google fonts, and the pages' Content-Security-Policy allows requests
(``connect-src``), images and fonts from the server itself only, with
``frame-ancestors 'none'`` as on every HTML page (so the logo of ReDoc's
"API docs by Redocly" link, on ``cdn.redoc.ly``, is never requested). The other hardening headers
are those of the views (``api.routes.views.SECURITY_HEADERS``).

Examples
--------
>>> sorted(ASSETS)
['favicon.png', 'redoc.standalone.js', 'swagger-ui-bundle.js', 'swagger-ui.css']
>>> asset_url("swagger-ui.css")
'/docs-assets/swagger-ui.css'
>>> all((asset_dir() / name).stat().st_size > 1000 for name in ASSETS)
True
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from api.routes.views import SECURITY_HEADERS

ASSETS_PREFIX = "/docs-assets"
"""Where the assets are served: ``/docs-assets/<file name>``."""

ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
"""The files served under :data:`ASSETS_PREFIX`, with their content type."""

DOCS_CSP = "connect-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; frame-ancestors 'none'"
"""The pages' Content-Security-Policy: nothing is fetched from another origin (scripts and styles are the server's)."""

ASSET_CACHE = "public, max-age=3600"
"""Cache-Control of the assets: they change only with the ``fastapi-offline`` package."""


def asset_dir() -> Path:
    """The folder holding the Swagger UI and ReDoc files (``fastapi_offline/static`` in site-packages).

    Returns
    -------
    Path
        The folder; every name in :data:`ASSETS` is a file in it.

    Examples
    --------
    >>> (asset_dir() / "swagger-ui-bundle.js").is_file()
    True
    """
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def asset_url(name: str, root_path: str = "") -> str:
    """The URL path of the asset ``name`` (one of :data:`ASSETS`), below ``root_path``.

    Parameters
    ----------
    name : str
        The file name, e.g. ``"swagger-ui-bundle.js"``.
    root_path : str, optional
        The ASGI ``root_path`` the app is mounted under (``""`` when served at the root).

    Returns
    -------
    str
        E.g. ``"/docs-assets/swagger-ui-bundle.js"``.

    Examples
    --------
    >>> asset_url("redoc.standalone.js", "/chainkg")
    '/chainkg/docs-assets/redoc.standalone.js'
    """
    if name not in ASSETS:
        raise KeyError(f"{name!r} is not a docs asset; the assets are {', '.join(sorted(ASSETS))}")
    return f"{root_path.rstrip('/')}{ASSETS_PREFIX}/{name}"


def _page(response: HTMLResponse) -> HTMLResponse:
    """``response`` with the docs' CSP and the views' hardening headers."""
    response.headers.update({"Content-Security-Policy": DOCS_CSP, **SECURITY_HEADERS})
    return response


def install(app: FastAPI, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Serve ``docs_url`` (Swagger UI), ``redoc_url`` (ReDoc) and their assets from ``app`` itself.

    Call it on an app built with ``docs_url=None, redoc_url=None``, so that
    FastAPI's CDN pages are not registered. The routes are left out of the
    OpenAPI document, like FastAPI's own.

    Parameters
    ----------
    app : FastAPI
        The app; its ``title``, ``openapi_url``, ``swagger_ui_parameters``,
        ``swagger_ui_init_oauth`` and ``swagger_ui_oauth2_redirect_url`` are used as FastAPI would.
    docs_url, redoc_url : str, optional
        Where the two pages are served.

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> app = FastAPI(title="demo", docs_url=None, redoc_url=None)
    >>> install(app)
    >>> page = TestClient(app).get("/docs")
    >>> "/docs-assets/swagger-ui-bundle.js" in page.text, "cdn.jsdelivr.net" in page.text
    (True, False)
    """
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url
    parameters = {"validatorUrl": None, **(app.swagger_ui_parameters or {})}

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return _page(
            get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - Swagger UI",
                swagger_js_url=asset_url("swagger-ui-bundle.js", root),
                swagger_css_url=asset_url("swagger-ui.css", root),
                swagger_favicon_url=asset_url("favicon.png", root),
                oauth2_redirect_url=root + oauth2_redirect_url if oauth2_redirect_url else None,
                init_oauth=app.swagger_ui_init_oauth,
                swagger_ui_parameters=parameters,
            )
        )

    async def swagger_ui_redirect(request: Request) -> HTMLResponse:
        return _page(get_swagger_ui_oauth2_redirect_html())

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return _page(
            get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=asset_url("redoc.standalone.js", root),
                redoc_favicon_url=asset_url("favicon.png", root),
                with_google_fonts=False,
            )
        )

    app.add_route(docs_url, swagger_ui, include_in_schema=False)
    if oauth2_redirect_url:
        app.add_route(oauth2_redirect_url, swagger_ui_redirect, include_in_schema=False)
    app.add_route(redoc_url, redoc, include_in_schema=False)

    folder = asset_dir()
    for name, media_type in ASSETS.items():
        app.add_route(asset_url(name), _asset_endpoint(folder / name, media_type), include_in_schema=False)


def _asset_endpoint(path: Path, media_type: str) -> Callable[[Request], Awaitable[FileResponse]]:
    """The endpoint that sends the file ``path`` as ``media_type``."""

    async def send_asset(request: Request) -> FileResponse:
        return FileResponse(path, media_type=media_type, headers={"Cache-Control": ASSET_CACHE})

    return send_asset
