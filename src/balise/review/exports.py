"""Markdown and Word exports that carry the AI-use mention for people and the provenance for machines.

python-docx has no API for custom document properties, so ``docProps/custom.xml`` is added as a
package part with its relationship and content type, the way Word itself stores them; Word, LibreOffice
and document-management systems then show the provenance under the file's properties.
"""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any
from urllib.parse import urlsplit

import yaml
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from balise.config import get_settings
from balise.i18n import gettext_
from balise.review.disclosure import Disclosure
from balise.review.models import Output, Purpose
from balise.review.notice import notice_text, notice_title

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PART = "/docProps/custom.xml"
# The format id every custom property uses (Office Open XML, ECMA-376 part 1, 22.3).
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PROPERTY_PREFIX = "balise:"
# An inline link or image: [text](destination "title"), text with one level of brackets, a destination
# with balanced parentheses (CommonMark 6.3, 6.4).
INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*((?:[^()\s]|\([^()\s]*\))*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
# A link reference definition, [label]: destination, which [text][label] and ![alt][label] use.
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(\S+).*$\n?", re.MULTILINE)


def provenance_of(output: Output, disclosure: Disclosure) -> dict[str, Any]:
    """The disclosure's provenance completed with the output's own facts."""
    return {
        **disclosure.provenance,
        "output_id": output.id,
        "task": output.task,
        "purpose": output.purpose,
        "review_status": output.status,
        "reviewed_by": output.approved_by,
        "reviewed_at": output.approved_at.isoformat() if output.approved_at else None,
        "sources": output.provenance.get("sources", []),
        "masked": output.provenance.get("masked", {}),
    }


def _notices(output: Output) -> list[tuple[str, str]]:
    """(title, text) of the s. 65.2 notice in French then English, for decisions about a person."""
    if output.purpose != Purpose.DECISION or not output.notice:
        return []
    return [(notice_title(locale), notice_text(output.notice, locale)) for locale in ("fr", "en")]


def _source_lines(output: Output) -> list[str]:
    """« [n] Title, page p » for each source, numbered as the text's [n] markers."""
    lines = []
    for number, source in enumerate(output.provenance.get("sources", []), start=1):
        title = str(source.get("title") or source.get("document_id") or "?")
        page = source.get("page")
        label = gettext_("{title}, page {page}").format(title=title, page=page) if page else title
        lines.append(f"[{number}] {label}")
    return lines


def _elsewhere(destination: str, own_host: str | None) -> bool:
    """Whether a link leads off this site: another host, a scheme (javascript:, data:…) or a path a
    browser reads as another host (``//host``, ``/\\host``)."""
    target = html.unescape(destination).strip().strip("<>").strip()
    if re.match(r"^[/\\]{2}|^/\\", target):
        return True
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc:
        return False
    return not (parts.scheme in ("http", "https") and own_host and parts.hostname == own_host.lower())


def _without_remote_content(markdown: str, own_host: str | None) -> str:
    """Drops images and turns links to other hosts into their text: an exported file opened in a
    Markdown reader then loads nothing from elsewhere (no tracking pixel) and sends no one away."""

    def replace(match: re.Match[str]) -> str:
        image, text, destination = match.group(1), match.group(2), match.group(3)
        if image or _elsewhere(destination, own_host):
            return text
        return match.group(0)

    def definition(match: re.Match[str]) -> str:
        return "" if _elsewhere(match.group(1), own_host) else match.group(0)

    text = REFERENCE_DEFINITION.sub(definition, markdown)
    for _round in range(10):  # a link's text may itself hold an image: [![pixel](…)](…)
        cleaned = INLINE_LINK.sub(replace, text)
        if cleaned == text:
            break
        text = cleaned
    return text


def export_markdown(output: Output, disclosure: Disclosure, *, own_host: str | None = None) -> str:
    """YAML front matter with the provenance, then the text, its sources, the mention and any notice.

    The text is escaped: HTML carried from a document (``<img onerror=…>``) must show as text in
    whatever renders the Markdown, never run; images are dropped and links to hosts other than
    ``own_host`` (the host of ``BALISE_BASE_URL`` unless given) become plain text.
    """
    own_host = own_host or urlsplit(get_settings().base_url).hostname
    front = yaml.safe_dump(provenance_of(output, disclosure), allow_unicode=True, sort_keys=False)
    body = _without_remote_content(html.escape(output.text.strip(), quote=False), own_host)
    parts = [f"---\n{front}---\n", body + "\n"]
    sources = _source_lines(output)
    if sources:
        items = "\n".join(
            f"- {_without_remote_content(html.escape(line, quote=False), own_host)}" for line in sources
        )
        parts.append(f"## {gettext_('Sources')}\n\n{items}\n")
    parts.append(f"---\n\n*{disclosure.text}*\n")
    parts += [f"## {title}\n\n{text}\n" for title, text in _notices(output)]
    return "\n".join(parts)


def _custom_properties_xml(properties: dict[str, str]) -> bytes:
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(properties.items(), start=2):  # pids 0 and 1 are reserved
        prop = etree.SubElement(
            root, f"{{{CUSTOM_NS}}}property", fmtid=PROPERTY_FMTID, pid=str(pid), name=name
        )
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _flat(provenance: dict[str, Any]) -> dict[str, str]:
    """One text property per provenance key; lists and mappings as JSON."""
    flat: dict[str, str] = {}
    for key, value in provenance.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        flat[PROPERTY_PREFIX + key] = text
    return flat


def export_docx(output: Output, disclosure: Disclosure) -> bytes:
    """A Word document with its sources and the mention in the body, the provenance in its custom
    properties."""
    provenance = provenance_of(output, disclosure)
    document = Document()
    for paragraph in output.text.strip().split("\n\n"):
        document.add_paragraph(paragraph.strip())
    sources = _source_lines(output)
    if sources:  # the text's [n] markers point here
        document.add_heading(gettext_("Sources"), level=2)
        for line in sources:
            document.add_paragraph(line)
    mention = document.add_paragraph()
    mention.add_run(disclosure.text).italic = True
    for title, text in _notices(output):
        document.add_heading(title, level=2)
        for paragraph in text.split("\n\n"):
            document.add_paragraph(paragraph)
    core = document.core_properties
    core.comments = disclosure.text
    core.keywords = "IA générative; trainedAlgorithmicMedia"
    core.identifier = output.id
    package = document.part.package
    part = Part(
        PackURI(CUSTOM_PART),
        CT.OFC_CUSTOM_PROPERTIES,
        _custom_properties_xml(_flat(provenance)),
        package,
    )
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read_custom_properties(data: bytes) -> dict[str, str]:
    """The custom properties of a Word file, as written by :func:`export_docx` or by Word."""
    document = Document(io.BytesIO(data))
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            root = etree.fromstring(rel.target_part.blob)
            return {
                prop.get("name", ""): "".join(prop.itertext())
                for prop in root.iterfind(f"{{{CUSTOM_NS}}}property")
            }
    return {}
