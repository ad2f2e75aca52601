"""The recordings and images pages as an employee uses them, against the loopback media server."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import Engine

import balise.media.transcription  # noqa: F401  (registers the transcription job)
from balise.jobs import run_worker
from balise.media.recordings import TRANSCRIBE_JOB
from tests.media.conftest import register_media
from tests.support.media_server import MediaServer
from tests.support.quotas import set_quota
from tests.support.web import Member, csrf_of


def test_a_recording_sent_through_the_page_is_followed_to_its_transcript(
    engine: Engine,
    make_member: Callable[..., Member],
    speech: Callable[[str], bytes],
    media_server: MediaServer,
) -> None:
    member = make_member("employee")
    register_media(engine, member.tenant, media_server, "openai-transcription")
    media_server.script = ["Bonjour. Le conseil adopte le budget.", "La séance est levée."]
    page = member.client.get("/enregistrements")
    assert "Envoyer l’enregistrement" in page.text
    sent = member.client.post(
        "/enregistrements",
        data={
            "csrf_token": csrf_of(member.client),
            "title": "Conseil",
            "classification": "internal",
            "backend": "openai-transcription",
        },
        files={"file": ("conseil.wav", speech("Bonjour. Le conseil adopte le budget."), "audio/wav")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    url = sent.headers["location"]
    assert "Transcription en cours" in member.client.get(url).text
    run_worker(engine, kinds=[TRANSCRIBE_JOB, "ingest_document"], stop_when_idle=True, poll_seconds=0.1)
    shown = member.client.get(url).text
    assert "Le conseil adopte le budget." in shown and "#t=0" in shown
    assert re.search(r'href="/documents/[0-9a-f]{32}"', shown)
    audio = member.client.get(url + "/audio", headers={"Range": "bytes=10-19"})
    assert audio.status_code == 206 and len(audio.content) == 10


def test_a_corrupt_recording_is_answered_in_french_on_the_page(
    engine: Engine, make_member: Callable[..., Member], media_server: MediaServer
) -> None:
    member = make_member("employee")
    register_media(engine, member.tenant, media_server, "openai-transcription")
    sent = member.client.post(
        "/enregistrements",
        data={"csrf_token": csrf_of(member.client), "backend": "openai-transcription"},
        files={"file": ("conseil.mp3", b"ID3\x03\x00garbage" * 50, "audio/mpeg")},
    )
    assert sent.status_code == 422
    assert "Le fichier conseil.mp3 n’a pas" in sent.text  # no sound track FFmpeg could find


def test_an_image_is_generated_refused_and_verified_through_the_pages(
    engine: Engine, make_member: Callable[..., Member], media_server: MediaServer
) -> None:
    member = make_member("employee")
    register_media(engine, member.tenant, media_server, "openai-images", max_classification="public")
    made = member.client.post(
        "/images",
        data={
            "csrf_token": csrf_of(member.client),
            "prompt": "Une affiche d’un parc fleuri au printemps.",
            "backend": "openai-images",
            "size": "256x256",
            "caption": "true",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    shown = member.client.get(made.headers["location"]).text
    assert "La signature est valide" in shown and "Générée par IA" in shown
    data = member.client.get(made.headers["location"] + "/image.png").content
    checked = member.client.post(
        "/images/verifier",
        data={"csrf_token": csrf_of(member.client)},
        files={"file": ("affiche.png", data, "image/png")},
    )
    assert "La signature est valide" in checked.text
    refused = member.client.post(
        "/images",
        data={
            "csrf_token": csrf_of(member.client),
            "prompt": "Génère une photo réaliste du maire à la plage.",
            "backend": "openai-images",
            "size": "256x256",
        },
    )
    assert refused.status_code == 403
    assert "personne réelle" in refused.text
    assert len(media_server.prompts) == 1


def test_an_image_counts_against_the_persons_quota(
    engine: Engine, make_member: Callable[..., Member], media_server: MediaServer
) -> None:
    member = make_member("employee")
    register_media(engine, member.tenant, media_server, "openai-images", max_classification="public")
    set_quota(engine, member.tenant, "municipality", requests_per_minute="1")
    form = {"prompt": "Une affiche d’un parc fleuri.", "backend": "openai-images", "size": "256x256"}
    first = member.client.post(
        "/images", data={"csrf_token": csrf_of(member.client), **form}, follow_redirects=False
    )
    assert first.status_code == 303
    second = member.client.post("/images", data={"csrf_token": csrf_of(member.client), **form})
    assert second.status_code == 429 and "par minute" in second.text
    assert len(media_server.prompts) == 1
