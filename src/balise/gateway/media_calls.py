"""The two media protocols of OpenAI's API, spoken to a municipality's registered servers (U8, U9).

- ``POST {endpoint}/audio/transcriptions``: multipart (``file``, ``model``, ``language``,
  ``response_format=verbose_json``, ``timestamp_granularities[]=segment``); the answer's ``segments``
  ({start, end, text}) give the timestamps, or its ``text`` alone one segment for the whole piece.
- ``POST {endpoint}/images/generations``: JSON ``{model, prompt, n: 1, size, response_format:
  "b64_json"}``; the answer's ``data[0].b64_json`` is the image.

Who may receive what is the gateway's rule (:meth:`Gateway.admit`), applied by the caller before it
calls; every call leaves a usage row (:func:`record_call`), ok or failed.
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass
from typing import Any

import httpx

from balise.gateway.contracts import Completion, Footprint, Kind, Reservation
from balise.gateway.errors import BackendFailure
from balise.gateway.footprint import estimate, grid_intensity
from balise.gateway.gateway import Gateway
from balise.gateway.registry import api_key_of
from balise.gateway.tables import ModelBackend

IMAGE_TOKENS = 1000


@dataclass(frozen=True)
class Segment:
    """What was said between ``start`` and ``end`` (seconds from the start of the piece sent)."""

    start: float
    end: float
    text: str


def _post(backend: ModelBackend, path: str, **kwargs: Any) -> Any:
    """The server's JSON answer, retried ``max_retries`` times; every failure a :class:`BackendFailure`."""
    url = backend.endpoint.rstrip("/") + path
    headers = {"Authorization": f"Bearer {api_key_of(backend)}"}
    failure = BackendFailure("unreachable")
    for _attempt in range(backend.max_retries + 1):
        try:
            response = httpx.post(url, headers=headers, timeout=backend.timeout_s, **kwargs)
        except httpx.TimeoutException as exc:
            failure = BackendFailure("timeout", type(exc).__name__)
            continue
        except httpx.HTTPError as exc:
            failure = BackendFailure("unreachable", type(exc).__name__)
            continue
        if response.status_code >= 500:
            failure = BackendFailure("error", f"HTTP {response.status_code}")
            continue
        if response.status_code >= 400:
            raise BackendFailure("error", f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as exc:
            raise BackendFailure("bad_response", "not JSON") from exc
    raise failure


def transcribe(backend: ModelBackend, wav: bytes, *, language: str, filename: str) -> list[Segment]:
    """The segments the transcription server heard in one WAV piece."""
    payload = _post(
        backend,
        "/audio/transcriptions",
        files={"file": (filename, wav, "audio/wav")},
        data={
            "model": backend.model,
            "language": language,
            "response_format": "verbose_json",
            "timestamp_granularities[]": "segment",
        },
    )
    if not isinstance(payload, dict):
        raise BackendFailure("bad_response", "not an object")
    segments = payload.get("segments")
    if isinstance(segments, list):
        found = []
        for item in segments:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise BackendFailure("bad_response", "a segment without text")
            start, end = item.get("start"), item.get("end")
            if not isinstance(start, int | float) or not isinstance(end, int | float):
                raise BackendFailure("bad_response", "a segment without times")
            if not math.isfinite(start) or not math.isfinite(end):
                raise BackendFailure("bad_response", "a segment without times")
            found.append(Segment(float(start), float(end), item["text"].strip()))
        return [segment for segment in found if segment.text]
    text = payload.get("text")
    if not isinstance(text, str):
        raise BackendFailure("bad_response", "no text")
    duration = payload.get("duration")
    end = float(duration) if isinstance(duration, int | float) else 0.0
    return [Segment(0.0, end, text.strip())] if text.strip() else []


def generate_image(backend: ModelBackend, prompt: str, *, size: str) -> bytes:
    """The image the server drew for ``prompt`` (its bytes, in the format the server chose)."""
    payload = _post(
        backend,
        "/images/generations",
        json={"model": backend.model, "prompt": prompt, "n": 1, "size": size, "response_format": "b64_json"},
    )
    try:
        encoded = payload["data"][0]["b64_json"]
        return base64.b64decode(encoded, validate=True)
    except (KeyError, IndexError, TypeError, binascii.Error) as exc:
        raise BackendFailure("bad_response", "no b64_json image") from exc


def _footprint(gateway: Gateway, backend: ModelBackend, kind: Kind, characters: int, ok: bool) -> Footprint:
    """A transcription's words (4 characters a token), or one image counted as 1,000 tokens, so that
    the footprint report estimates it with the backend's energy per 1,000 tokens."""
    tokens_out = math.ceil(characters / 4) if kind == "transcription" else IMAGE_TOKENS
    return estimate(
        0,
        tokens_out if ok else 0,
        wh_per_1k_tokens=backend.wh_per_1k_tokens,
        grid_g_per_kwh=grid_intensity(backend.hosting, gateway.region),
        price_per_1k_tokens=backend.price_per_1k_tokens,
        currency=backend.currency,
    )


def reserve_image(gateway: Gateway, backend: ModelBackend, task: str, classification: str) -> Reservation:
    """Admits an image against its person's quotas before the server is asked (raises
    :class:`~balise.gateway.quotas.QuotaExceeded`: then nothing is sent)."""
    footprint = _footprint(gateway, backend, "image", 0, True)
    attempt = Completion(
        text="", backend=backend.name, kind="image", footprint=footprint, model=backend.model
    )
    return gateway.reserve(attempt, task, classification)


def record_call(
    gateway: Gateway,
    backend: ModelBackend,
    kind: Kind,
    task: str,
    classification: str,
    started: float,
    outcome: str,
    *,
    characters: int = 0,
    reservation: Reservation | None = None,
) -> None:
    """One usage row (the reserved one completed, when there is one); ``started`` is the
    ``time.monotonic()`` before the call."""
    footprint = _footprint(gateway, backend, kind, characters, outcome == "ok")
    completion = Completion(
        text="", backend=backend.name, kind=kind, footprint=footprint, model=backend.model
    )
    gateway.record(completion, task, classification, started, outcome, reservation)
