"""Packs as .zip files (G16, G17): ``manifest.json`` (the pack without its items' content) and one
JSON file per item under ``items/``, so a person can open a pack and read each item on its own.

Reading a .zip never trusts it: the number of members, each member's path (no ``..``, no absolute
path) and the total size once uncompressed are checked while reading, so a zip bomb stops early.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from balise.errors import Invalid

ZIP_MAGIC = b"PK\x03\x04"
MANIFEST = "manifest.json"
MAX_MEMBERS = 1_000
MAX_UNZIPPED = 20_000_000


class PackInvalid(Invalid):
    """A pack file that cannot be imported; nothing of it is."""

    code = "pack_invalid"


def _name(number: int, item: dict[str, Any]) -> str:
    return f"items/{number:03d}-{item['kind']}.json"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()


def to_zip(pack: dict[str, Any]) -> bytes:
    """The .zip of a pack (as :func:`balise.pooling.service.pack_of` builds it)."""
    buffer = io.BytesIO()
    items = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, item in enumerate(pack["items"], start=1):
            name = _name(number, item)
            archive.writestr(name, _dumps(item["content"]))
            items.append({**{k: v for k, v in item.items() if k != "content"}, "file": name})
        archive.writestr(MANIFEST, _dumps({**pack, "items": items}))
    return buffer.getvalue()


def _safe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return bool(name) and not name.startswith(("/", "\\")) and ".." not in parts and ":" not in parts[0]


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """The member's bytes, read by chunks against what remains of :data:`MAX_UNZIPPED` (the sizes
    written in the archive may lie)."""
    chunks = []
    with archive.open(info) as member:
        while chunk := member.read(65_536):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise PackInvalid("Uncompressed, this .zip file is larger than 20 MB; nothing was imported.")
            chunks.append(chunk)
    return b"".join(chunks)


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackInvalid(
            "The file {name} of the .zip is not JSON text; nothing was imported.", name=name
        ) from exc


def from_zip(data: bytes) -> Any:
    """The pack a .zip holds, its items' content put back in place; refused whole on any fault."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackInvalid("This .zip file cannot be opened; nothing was imported.") from exc
    if len(members) > MAX_MEMBERS:
        raise PackInvalid(
            "This .zip file holds more than {max} files; nothing was imported.", max=MAX_MEMBERS
        )
    unsafe = next((m.filename for m in members if not _safe(m.filename)), None)
    if unsafe is not None:
        raise PackInvalid(
            "The .zip file names a path outside the pack ({name}); nothing was imported.", name=unsafe
        )
    budget = [MAX_UNZIPPED]
    try:
        files = {m.filename: _read(archive, m, budget) for m in members if not m.is_dir()}
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise PackInvalid("This .zip file is damaged; nothing was imported.") from exc
    if MANIFEST not in files:
        raise PackInvalid("This .zip file has no manifest.json; it is not a Balise pack.")
    pack = _json(files[MANIFEST], MANIFEST)
    if not isinstance(pack, dict) or not isinstance(pack.get("items"), list):
        return pack
    for number, item in enumerate(pack["items"], start=1):
        name = item.get("file") if isinstance(item, dict) else None
        if not isinstance(name, str) or name not in files:
            raise PackInvalid(
                "Item {number} of the manifest has no file in the .zip; nothing was imported.", number=number
            )
        item["content"] = _json(files[name], name)
    return pack
