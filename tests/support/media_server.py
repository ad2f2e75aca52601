"""A real server on loopback speaking OpenAI's media protocols, for the U8 and U9 tests.

It is the OpenAI-compatible test server (chat, embeddings, models) plus:

- ``POST /v1/audio/transcriptions`` (multipart ``file``, ``model``, ``response_format``…): the file
  is read as a WAV (the standard library refuses anything else), its duration measured, and the answer
  is ``verbose_json`` whose segments, spread over that duration, are the next lines of ``script`` (the
  test decides what was « heard »; the audio sent must still be real);
- ``POST /v1/images/generations`` (JSON): a PNG drawn with Pillow, answered as ``b64_json``.

``pieces`` keeps each received piece's (sample rate, channels, seconds); ``prompts`` each image prompt.
``media_behaviour = "error"`` makes both answer HTTP 500.
"""

from __future__ import annotations

import base64
import io
import wave
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from PIL import Image, ImageDraw

from tests.support.openai_server import OpenAIServer


class MediaServer(OpenAIServer):
    def __init__(self, script: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.script = list(script or [])
        self.pieces: list[tuple[int, int, float]] = []
        self.forms: list[dict[str, str]] = []
        self.prompts: list[str] = []
        self.media_behaviour = "ok"

    def _app(self) -> FastAPI:
        app = super()._app()

        @app.post("/v1/audio/transcriptions")
        async def transcriptions(request: Request) -> JSONResponse:
            form = await request.form()
            upload = form["file"]
            assert not isinstance(upload, str)
            with wave.open(io.BytesIO(await upload.read())) as audio:
                rate, channels = audio.getframerate(), audio.getnchannels()
                seconds = audio.getnframes() / rate
            with self._lock:
                self.pieces.append((rate, channels, seconds))
                self.forms.append({k: str(v) for k, v in form.items() if k != "file"})
                line = self.script.pop(0) if self.script else ""
            if self.media_behaviour == "error":
                return JSONResponse({"error": {"message": "internal error", "type": "server_error"}}, 500)
            sentences = [s.strip() + "." for s in line.split(".") if s.strip()]
            step = seconds / max(len(sentences), 1)
            segments = [
                {"id": i, "start": round(i * step, 2), "end": round((i + 1) * step, 2), "text": " " + s}
                for i, s in enumerate(sentences)
            ]
            body = {"task": "transcribe", "language": form.get("language"), "duration": seconds}
            return JSONResponse({**body, "text": " ".join(sentences), "segments": segments})

        @app.post("/v1/images/generations")
        async def images(request: Request) -> JSONResponse:
            body = await request.json()
            with self._lock:
                self.prompts.append(str(body["prompt"]))
            if self.media_behaviour == "error":
                return JSONResponse({"error": {"message": "internal error", "type": "server_error"}}, 500)
            width, height = (int(v) for v in str(body.get("size", "256x256")).split("x"))
            image = Image.new("RGB", (width, height), (40, 110, 160))
            ImageDraw.Draw(image).ellipse(
                (width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill="gold"
            )
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            encoded = base64.b64encode(buffer.getvalue()).decode()
            return JSONResponse({"created": 0, "data": [{"b64_json": encoded}]})

        return app
