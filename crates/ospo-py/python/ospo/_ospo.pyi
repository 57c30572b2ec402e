"""The native part of the ``ospo`` package (Rust, pyo3); use the ``ospo`` module instead."""

from typing import Any, Dict, List, Optional, Tuple, final

__all__ = [
    "check",
    "check_many",
    "read",
    "identify",
    "licence",
    "recommend",
    "sources",
    "LocalCatalogue",
    "OspoError",
    "InputError",
    "ExpressionError",
    "UnknownLicenceError",
    "MetadataError",
    "CatalogueError",
    "SPDX_LIST_VERSION",
    "__version__",
]

__version__: str
SPDX_LIST_VERSION: str

class OspoError(Exception): ...
class InputError(OspoError): ...

class ExpressionError(InputError):
    expression: str
    column: int
    suggestion: Optional[str]

class UnknownLicenceError(InputError):
    id: str
    suggestion: Optional[str]

class MetadataError(OspoError): ...
class CatalogueError(OspoError): ...

def check(inbound: List[str], outbound: str, use: str, strict: bool) -> Dict[str, Any]: ...
def check_many(questions: List[Tuple[str, str, str]]) -> List[Dict[str, Any]]: ...
def read(text: str, strict: bool) -> Dict[str, Any]: ...
def identify(text: str) -> Dict[str, Any]: ...
def licence(id: str) -> Dict[str, Any]: ...
def recommend(
    inbound: List[str], use: str, prefer: Optional[str], kind: Optional[str]
) -> Dict[str, Any]: ...
def sources() -> List[Dict[str, Any]]: ...

@final
class LocalCatalogue:
    """A catalogue database (SQLite file or PostgreSQL URL) opened through the Rust catalogue."""


    def __new__(cls, url: str) -> "LocalCatalogue": ...
    def search(
        self, text: str, filters: List[Tuple[str, str]], limit: int, offset: int
    ) -> Dict[str, Any]: ...
    def get(self, slug: str) -> Optional[Dict[str, Any]]: ...
    def stats(self) -> Dict[str, Any]: ...
