"""``parse()``: the one entry point from a file to text, with the checks that protect the server.

Every refusal is an :class:`UnreadableDocument` whose message tells the person what happened and
what to do; the checks run before any parser opens the file (size, type, zip bombs).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePath

from balise.config import get_settings
from balise.documents.formats import REGISTRY, Parser, parser_for
from balise.documents.pages import Heading, ParsedDocument, ParsedPage, UnreadableDocument

# An office document expanding past either limit is refused as a likely zip bomb.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
_ZIP_FORMATS = {".docx", ".odt"}

__all__ = [
    "Heading",
    "ParsedDocument",
    "ParsedPage",
    "UnreadableDocument",
    "check_bytes",
    "check_size",
    "check_zip",
    "parse",
    "supported_extensions",
]


def supported_extensions() -> list[str]:
    return sorted(REGISTRY)


def parse(source: Path | str | bytes, filename: str | None = None) -> ParsedDocument:
    """Text, pages and headings of a file given as a path or as bytes with its file name."""
    if isinstance(source, bytes):
        data = source
        name = filename or "document"
    else:
        path = Path(source)
        name = filename or path.name
        check_size(path.stat().st_size)
        data = path.read_bytes()
    parsed = check_bytes(data, name).parse(data, name)
    if not parsed.text.strip():
        raise UnreadableDocument("The file {filename} contains no text to index.", filename=name)
    return parsed


def check_bytes(data: bytes, filename: str) -> Parser:
    """The parser for a file, after refusing empty, oversized, unsupported, mislabelled or bomb-like ones."""
    if not data:
        raise UnreadableDocument(
            "The file {filename} is empty (0 bytes). Check that it was saved fully and submit it again.",
            filename=filename,
        )
    check_size(len(data))
    extension = PurePath(filename).suffix.lower()
    parser = parser_for(filename)
    if parser is None:
        raise UnreadableDocument(
            "The file type of {filename} is not supported. Accepted types: {types}.",
            filename=filename,
            types=", ".join(supported_extensions()),
        )
    if extension == ".pdf" and b"%PDF-" not in data[:1024]:
        raise UnreadableDocument(
            "The file {filename} is not a valid PDF. Open it, export it to PDF again and resubmit it.",
            filename=filename,
        )
    if extension in _ZIP_FORMATS:
        check_zip(data, filename)
    return parser


def check_size(size: int) -> None:
    """Refuses a file over ``max_upload_mb`` before anything reads it."""
    limit_mb = get_settings().max_upload_mb
    if size > limit_mb * 1024 * 1024:
        raise UnreadableDocument(
            "The file is larger than the {limit} MB limit ({size} MB). Split it or compress its images, "
            "then submit it again.",
            limit=limit_mb,
            size=round(size / 1024 / 1024, 1),
        )


def check_zip(data: bytes, filename: str) -> None:
    """Reads only the zip directory: the declared sizes reveal a bomb without inflating anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(
            "The file {filename} is damaged: its content cannot be opened. Save it again from its "
            "application and resubmit it.",
            filename=filename,
        ) from exc
    uncompressed = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or uncompressed > MAX_UNCOMPRESSED_BYTES
        or uncompressed / compressed > MAX_COMPRESSION_RATIO
    ):
        raise UnreadableDocument(
            "The file {filename} was refused: once decompressed it would be abnormally large (possible "
            "zip bomb). If it is a genuine document, save it again without embedded files.",
            filename=filename,
        )
