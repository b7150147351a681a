"""Imports (``POST /api/v1/imports``, needs the API key) and exports (``GET /api/v1/export``).

Writes need ``CHAINKG_API_KEY``: the client sends it as ``X-API-Key: KEY`` or
``Authorization: Bearer KEY`` and it is compared in constant time. Without a
configured key the server is read-only and answers 403. The key is checked
before the upload is read; an upload over 20 MB is refused with 413.

On the embedded store an applied import is saved (atomically) in the state
folder (:mod:`graph.persist`) before it is served, so a restart keeps it.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile

import chainkg
from api.deps import GraphLoaded, SettingsDep, StoreDep
from api.problems import (
    BASE_PROBLEM_RESPONSES,
    MEDIA_TYPE,
    STATUS_EXAMPLES,
    Problem,
    problem,
    problem_examples,
)
from api.schemas import BINARY_CONTENT, ImportSummary
from chainkg.settings import Settings
from graph.errors import InvalidQuery, PayloadTooLarge, Unauthorized, WritesDisabled
from graph.store import GraphStore


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class GraphDocument(_Open):
    """The ``chainkg/1`` document (``format=json``); other formats are files of their own type."""

    format: str = Field(description="`chainkg/1`: the version of this document's shape")
    nodes: list[dict[str, Any]] = Field(
        description="Every node (cluster, segment, firm, district, source, project, ...) with its `kind`, `id`, "
        "names, `sources` and `confidence`, as `chainkg load` reads it back"
    )
    edges: list[dict[str, Any]] = Field(
        description="Every edge (`kind`, `source`, `target`, `sources`, `confidence`, ...), as `chainkg load` "
        "reads it back"
    )


MAX_UPLOAD_BYTES = 20 * 2**20
"""The largest upload accepted (the multipart body may add a little framing)."""

_FRAMING = 64 * 2**10

router = APIRouter(prefix="/api/v1", tags=["imports"], responses=BASE_PROBLEM_RESPONSES)

_WRITE_EXAMPLES = {422: ("invalid-import", "invalid-form")}
"""The problems an import's 422 shows: problems in the file, or a form field (``file``, ``on_conflict``) at fault."""

_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "model": Problem,
        "content": {MEDIA_TYPE: {"examples": problem_examples(*_WRITE_EXAMPLES.get(code, STATUS_EXAMPLES[code]))}},
        "description": desc,
    }
    for code, desc in (
        (400, "The multipart body cannot be read"),
        (401, "Missing or wrong API key"),
        (403, "Writes are disabled: the server has no CHAINKG_API_KEY"),
        (409, "The graph changed meanwhile (another import); import again"),
        (413, "The upload is over 20 MB"),
        (422, "Problems in the file; nothing was applied. `errors` lists each one, in English and Chinese"),
    )
}

_UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": ".xlsx, .csv (UTF-8 or GB18030), .json (chainkg/1) or .zip of CSVs",
                        },
                        "dry_run": {"type": "boolean", "default": False, "description": "report only; write nothing"},
                        "skip_invalid": {
                            "type": "boolean",
                            "default": False,
                            "description": "apply the valid rows; the others come back in `rejected_rows`",
                        },
                        "on_conflict": {"type": "string", "enum": ["fail", "overwrite", "keep"], "default": "fail"},
                    },
                }
            }
        },
    }
}


API_KEY_HEADER = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    description="The server's CHAINKG_API_KEY (需要 API 密钥), or send it as `Authorization: Bearer KEY`",
    auto_error=False,
)
BEARER = HTTPBearer(
    scheme_name="Bearer",
    description="The server's CHAINKG_API_KEY as a bearer token, or send it as `X-API-Key: KEY`",
    auto_error=False,
)
WRITE_SECURITY = [Depends(API_KEY_HEADER), Depends(BEARER)]
"""The two ways to send the API key, as OpenAPI security schemes (either one will do) of the import only.

They document the key (the /docs "Authorize" button, generated clients); they check nothing themselves
(``auto_error=False``): :func:`require_api_key` does, with its own 401 and 403."""


def require_api_key(request: Request, settings: Settings) -> None:
    """Raise unless the request carries the configured API key (compared in constant time)."""
    if not settings.api_key:
        raise WritesDisabled(
            "Writes are disabled: this server has no API key. Set CHAINKG_API_KEY to allow imports. "
            "/ 未配置 CHAINKG_API_KEY，写入已禁用。"
        )
    given = request.headers.get("x-api-key", "")
    auth = request.headers.get("authorization", "")
    if not given and auth[:7].lower() == "bearer ":
        given = auth[7:].strip()
    if not given or not hmac.compare_digest(given.encode("utf-8"), settings.api_key.encode("utf-8")):
        raise Unauthorized(
            "A valid API key is needed: send it as 'X-API-Key: KEY' or 'Authorization: Bearer KEY'. "
            "/ 需要有效的 API 密钥。"
        )


def _too_large() -> PayloadTooLarge:
    mb = MAX_UPLOAD_BYTES // 2**20
    return PayloadTooLarge(f"The upload is over {mb} MB; split the file. / 上传文件超过 {mb} MB，请拆分。")


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + _FRAMING:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_UPLOAD_BYTES + _FRAMING:
            raise _too_large()
    return bytes(body)


def _flag(value: object, name: str) -> bool:
    if value is None:  # not sent
        return False
    text = str(value).strip().lower()
    if text in ("0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise InvalidQuery(f"{name} must be true or false; got {text!r}", param=name, value=str(value), location="body")


def empty_graph_warning(store: GraphStore) -> str | None:
    """The warning an import into a served graph with no cluster, segment or district starts with, else ``None``:
    the import then sees only what its file brings (:func:`loaders.importer.empty_target_warning`, the CLI's words).
    """
    from loaders.importer import empty_target_warning

    nodes = store.counts()["nodes"]
    if any(nodes.get(kind, 0) for kind in ("Cluster", "Segment", "District")):
        return None
    load = "chainkg load data/changzhou"
    return empty_target_warning(
        "the server's data", "服务器上的数据", f"load the city's data first: {load}", f"请先载入城市数据：{load}"
    )


@router.post(
    "/imports",
    summary="Import a workbook, CSV or JSON file (dry run or apply)",
    response_model=ImportSummary,
    responses=_WRITE_RESPONSES,
    openapi_extra=_UPLOAD_SCHEMA,
    dependencies=WRITE_SECURITY,
)
async def create_import(request: Request, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Upload a file as multipart field `file`. With `dry_run=true` nothing is written and the answer says what
    would change: `{"nodes": {"added", "updated", "unchanged", "conflicting"}, "edges": {...}, "errors": [...]}`.
    Without it the import is applied atomically, unless any problem is found (422, nothing applied) or
    `skip_invalid=true` sets the bad rows aside. Needs the API key (`X-API-Key` or `Authorization: Bearer`)."""
    require_api_key(request, settings)
    body = await _read_body(request)
    if len(body) > MAX_UPLOAD_BYTES + _FRAMING:
        raise _too_large()

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidQuery(
            "Send the file as the multipart field 'file'. / 请以 multipart 字段 file 上传文件。",
            param="file",
            location="body",
        )
    data = await upload.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    sent_conflict = form.get("on_conflict")
    on_conflict = "fail" if sent_conflict is None else str(sent_conflict)
    if on_conflict not in ("fail", "overwrite", "keep"):
        raise InvalidQuery(
            f"on_conflict must be fail, overwrite or keep; got {on_conflict!r}",
            param="on_conflict",
            value=on_conflict,
            location="body",
        )
    options_args = {
        "dry_run": _flag(form.get("dry_run"), "dry_run"),
        "skip_invalid": _flag(form.get("skip_invalid"), "skip_invalid"),
        "on_conflict": on_conflict,
    }
    name = upload.filename or "upload"

    def work() -> dict[str, Any]:
        from chainkg.runtime import state_dir
        from loaders.importer import ImportOptions, read_input, run_import

        options = ImportOptions(**options_args, max_bytes=MAX_UPLOAD_BYTES)  # type: ignore[arg-type]
        state = state_dir(settings) if store.backend == "networkx" else None
        report = run_import(store, read_input(name, data, options=options), options, state=state)
        summary = report.summary()
        summary["error_groups"] = report.error_groups()  # the repeats once, as the CLI prints them (review 16b)
        empty = empty_graph_warning(store)
        if empty:  # first, as the CLI says it: it explains every "not found" below (review 16b M1)
            summary["warnings"] = [empty, *summary["warnings"]]
        summary["rejected_rows"] = [
            {
                "table": r.row.table,
                "sheet": r.row.sheet or None,
                "row": r.row.line,
                "values": r.row.values,
                "errors": [i.as_dict() for i in r.issues],
            }
            for r in report.rejected
        ]
        return summary

    summary = await run_in_threadpool(work)
    if not summary["ok"] and not summary["dry_run"]:
        count = len(summary["errors"])  # type: ignore[arg-type]
        detail = f"{count} problem(s) found; nothing was applied. / 发现 {count} 个问题，未导入任何数据。"
        return problem(422, "Invalid import", detail, request.url.path, "invalid-import", **summary)
    return JSONResponse(summary)


Format = Literal["json", "xlsx", "csv", "graphml", "cypher"]


@router.get(
    "/export",
    summary="Export the graph",
    dependencies=[GraphLoaded],
    response_model=GraphDocument,
    responses={
        200: {
            "description": "The file, as an attachment: JSON for format=json, else the format's own type",
            "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": BINARY_CONTENT,
                "application/zip": BINARY_CONTENT,
                "application/graphml+xml": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    },
)
def read_export(
    store: StoreDep,
    format: Annotated[Format, Query(description="json, xlsx, csv (a zip of the dataset folder), graphml or cypher")],
) -> Response:
    """The whole graph as a file: `json` (chainkg/1) and `xlsx` and `csv` import back unchanged;
    `graphml` is for graph tools and `cypher` builds it in an empty Neo4j database."""
    from loaders.export import MEDIA_TYPES, SUFFIXES, export_bytes

    data = export_bytes(store.snapshot(), format)
    filename = f"chainkg-{chainkg.__version__}{SUFFIXES[format]}"
    return Response(
        content=data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
