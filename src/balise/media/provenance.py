"""Content credentials of generated images (D2, L3): a C2PA manifest signed with the municipality's
certificate, and the IPTC digital source type in the image's XMP; and the reading of any image's.

The manifest is built and validated by the C2PA reference library (``c2pa-python``): one action
``c2pa.created`` whose ``digitalSourceType`` is IPTC's ``trainedAlgorithmicMedia``. Without a
certificate of its own, a municipality gets a self-signed chain made here with ``cryptography``: an
ES256 certificate authority and the signing certificate it issues (C2PA refuses a lone self-signed
certificate). Such a signature proves the image was not changed since Balise signed it; no one outside
the municipality trusts its certificate, and the verification says so.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import c2pa
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw, PngImagePlugin, UnidentifiedImageError

from balise.config import get_settings

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
"""IPTC's « created purely by an algorithm not based on any sampled training data »: the demo's example."""
CAPTION = "Image générée par IA"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
    'Iptc4xmpExt:DigitalSourceType="{source}"/></rdf:RDF></x:xmpmeta>'
)
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def _fernet() -> Fernet:
    """Signing keys are encrypted with a key derived from the deployment secret, never stored in clear."""
    digest = hashlib.sha256(
        b"balise/image-signing-keys/" + get_settings().resolved_secret_key.encode()
    ).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal_key(pem: bytes) -> str:
    return _fernet().encrypt(pem).decode()


def unseal_key(sealed: str) -> bytes:
    return _fernet().decrypt(sealed.encode())


def _name(organisation: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign,
        crl_sign=not sign,
        encipher_only=False,
        decipher_only=False,
    )


def self_signed_chain(organisation: str) -> tuple[str, bytes]:
    """(the chain in PEM, signing certificate first; its private key in PEM) for ``organisation``."""
    now = datetime.now(UTC)
    authority_key, signing_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    authority_name = _name(organisation, f"{organisation} — autorité (autosignée)")
    authority = (
        x509.CertificateBuilder()
        .subject_name(authority_name)
        .issuer_name(authority_name)
        .public_key(authority_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(authority_key.public_key()), critical=False)
        .sign(authority_key, hashes.SHA256())
    )
    signing = (
        x509.CertificateBuilder()
        .subject_name(_name(organisation, f"{organisation} — images générées"))
        .issuer_name(authority_name)
        .public_key(signing_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signing_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()), critical=False
        )
        .sign(authority_key, hashes.SHA256())
    )
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (signing, authority)).decode()
    key = signing_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return chain, key


def as_png(data: bytes, *, caption: str | None, source: str = TRAINED_ALGORITHMIC_MEDIA) -> bytes:
    """The image as a PNG with the IPTC digital source type ``source`` in its XMP and, when given, the
    visible ``caption`` on a band at its foot. Raises ValueError when ``data`` is not an image."""
    try:
        opened = Image.open(io.BytesIO(data))
        opened.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("not an image") from exc
    image = opened.convert("RGB")
    if caption:
        draw = ImageDraw.Draw(image)
        band = max(14, image.height // 14)
        draw.rectangle((0, image.height - band, image.width, image.height), fill=(0, 0, 0))
        draw.text((band // 3, image.height - band + band // 5), caption, fill=(255, 255, 255))
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP.format(source=source))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def sign_png(
    png: bytes,
    chain_pem: str,
    key_pem: bytes,
    *,
    title: str,
    generator: str,
    source: str = TRAINED_ALGORITHMIC_MEDIA,
) -> bytes:
    """The PNG with its C2PA manifest embedded (one ``c2pa.created`` action of digital source type
    ``source``), signed with ES256 by the chain's first certificate."""
    manifest = {
        "claim_generator_info": [{"name": "Balise", "version": generator}],
        "title": title,
        "format": "image/png",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": source,
                            "softwareAgent": {"name": "Balise"},
                        }
                    ]
                },
            }
        ],
    }
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", chain_pem.encode(), key_pem, None))
    signed = io.BytesIO()
    with c2pa.Builder(manifest) as builder:
        builder.sign(signer, "image/png", io.BytesIO(png), signed)
    return signed.getvalue()


@dataclass(frozen=True)
class Provenance:
    """What an image's content credentials say, for the verification page.

    ``state``: ``none`` (no manifest), ``invalid`` (a manifest that does not validate: the image or
    the manifest was changed), ``valid`` (it validates; its certificate may still be trusted by no one).
    """

    state: str
    media_type: str = ""
    ai_generated: bool = False
    algorithmic: bool = False
    actions: list[str] = field(default_factory=list)
    issuer: str = ""
    signer: str = ""
    signed_at: str = ""
    generator: str = ""
    xmp_ai: bool = False
    failures: list[str] = field(default_factory=list)
    untrusted: bool = False


def _xmp_ai(data: bytes) -> bool:
    """Whether the image's XMP packet (not its manifest, which names it too) declares IPTC's
    ``trainedAlgorithmicMedia``."""
    info = Image.open(io.BytesIO(data)).info
    packet = info.get("xmp") or info.get("XML:com.adobe.xmp") or ""
    text = packet.decode("utf-8", "replace") if isinstance(packet, bytes) else str(packet)
    return TRAINED_ALGORITHMIC_MEDIA in text


def read_provenance(data: bytes) -> Provenance:
    """The content credentials of any image Pillow recognises; raises ValueError when it is not one."""
    try:
        kind = FORMATS.get(str(Image.open(io.BytesIO(data)).format), "")
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("not an image") from exc
    if not kind:
        raise ValueError("unsupported image format")
    try:
        with c2pa.Reader(kind, io.BytesIO(data)) as reader:
            state = reader.get_validation_state() or ""
            results: dict[str, Any] = reader.get_validation_results() or {}
            manifest = reader.get_active_manifest() or {}
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__ or "not found" in str(exc).lower():
            return Provenance("none", kind, xmp_ai=_xmp_ai(data))
        return Provenance("invalid", kind, xmp_ai=_xmp_ai(data), failures=[type(exc).__name__])
    failures = [str(f.get("code", "")) for f in results.get("activeManifest", {}).get("failure", [])]
    untrusted = "signingCredential.untrusted" in failures
    serious = [code for code in failures if code != "signingCredential.untrusted"]
    actions = [
        action
        for assertion in manifest.get("assertions", [])
        if str(assertion.get("label", "")).startswith("c2pa.actions")
        for action in assertion.get("data", {}).get("actions", [])
    ]
    info = manifest.get("signature_info", {})
    generator = ", ".join(str(g.get("name", "")) for g in manifest.get("claim_generator_info", []))
    return Provenance(
        state="invalid" if serious or state.lower() == "invalid" else "valid",
        media_type=kind,
        ai_generated=any(a.get("digitalSourceType") == TRAINED_ALGORITHMIC_MEDIA for a in actions),
        algorithmic=any(a.get("digitalSourceType") == ALGORITHMIC_MEDIA for a in actions),
        actions=[str(a.get("action", "")) for a in actions],
        issuer=str(info.get("issuer", "")),
        signer=str(info.get("common_name", "")),
        signed_at=str(info.get("time", "")),
        generator=generator,
        xmp_ai=_xmp_ai(data),
        failures=serious,
        untrusted=untrusted,
    )


def manifest_json(data: bytes, media_type: str) -> dict[str, Any]:
    """The whole manifest store, as the reference library reads it (for tests and the raw view)."""
    with c2pa.Reader(media_type, io.BytesIO(data)) as reader:
        return dict(json.loads(reader.json()))
