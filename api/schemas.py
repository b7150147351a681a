"""Response models: the API's contract. Extra fields are allowed and documented by example."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Health(_Open):
    status: str
    backend: str
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {"status": "ok", "backend": "networkx", "store": {"state": "up"}, "version": "0.1.0"}
        },
    )


class ClusterSummary(_Open):
    id: str
    name_zh: str
    name_en: str
    segment_count: int
    local_firm_count: int


class ClusterList(_Open):
    items: list[ClusterSummary]
    total: int
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "items": [
                    {
                        "id": "nev",
                        "name_zh": "新能源汽车及汽车核心零部件",
                        "name_en": "New Energy Vehicles and Core Auto Components",
                        "segment_count": 16,
                        "local_firm_count": 40,
                        "list_years": [2022, 2024],
                    }
                ],
                "total": 1,
            }
        },
    )


class ClusterDetail(ClusterSummary):
    listings: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    segments: list[dict[str, Any]]


class FirmSummary(_Open):
    id: str
    name_zh: str
    name_en: str
    aliases: list[str]
    is_local: bool
    tags: list[str]


class FirmList(_Open):
    items: list[FirmSummary]
    total: int
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "items": [
                    {
                        "id": "catl-jiangsu",
                        "name_zh": "江苏时代新能源科技有限公司",
                        "name_en": "CATL (Jiangsu)",
                        "aliases": ["宁德时代", "CATL"],
                        "is_local": True,
                        "district_id": "liyang",
                        "tags": ["链主"],
                    }
                ],
                "total": 1,
                "limit": 50,
                "offset": 0,
            }
        },
    )


class FirmDetail(FirmSummary):
    segments: list[dict[str, Any]]
    district: dict[str, Any] | None
    sources: list[dict[str, Any]]
