"""The HTTP layer: a FastAPI app over the queries."""

from api.app import create_app

__all__ = ["create_app"]
