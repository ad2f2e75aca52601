"""Reading a meeting recording: decoded by FFmpeg (PyAV), checked, and cut into pieces to transcribe.

Every format FFmpeg reads is decoded the same way, to 16 kHz mono 16-bit samples (what Whisper-like
servers work on); a piece is sent as a WAV file (the standard library's ``wave`` writes its header).
A recording is refused, with what to do, when FFmpeg cannot read it, when it has no sound track or
only silence, and when it is longer than the municipality allows.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

import av
import numpy as np

from balise.errors import Invalid

RATE = 16_000
EXTENSIONS = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".m4a": "audio/mp4"}
EXTENSIONS[".webm"] = "audio/webm"
SILENCE_RMS = 60
"""Below this root mean square (of 32,767) a recording holds no speech to transcribe."""


class UnreadableRecording(Invalid):
    code = "unreadable_recording"


@dataclass(frozen=True)
class Decoded:
    """A recording as 16 kHz mono 16-bit samples."""

    samples: np.ndarray

    @property
    def duration_s(self) -> float:
        return len(self.samples) / RATE


def media_type(filename: str) -> str:
    """The recording's media type from its name; refuses a format Balise does not take."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UnreadableRecording(
            "The file {name} is not a recording Balise reads. Send a WAV, MP3, OGG, M4A or WebM file.",
            name=PurePath(filename).name,
        )
    return EXTENSIONS[suffix]


def decode(data: bytes, filename: str, *, max_seconds: float) -> Decoded:
    """The recording's samples; raises :class:`UnreadableRecording` with what to do."""
    media_type(filename)
    name = PurePath(filename).name
    chunks: list[np.ndarray] = []
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise UnreadableRecording(
                    "The file {name} has no sound track. Send the recording's audio.", name=name
                )
            resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
                if sum(len(c) for c in chunks) > (max_seconds + 1) * RATE:
                    break
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (av.FFmpegError, ValueError, IndexError) as exc:
        raise UnreadableRecording(
            "The file {name} could not be read as a recording (it may be damaged or incomplete). "
            "Export it again from the recorder, then send it.",
            name=name,
        ) from exc
    samples = np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, dtype=np.int16)
    decoded = Decoded(samples)
    if decoded.duration_s > max_seconds:
        raise UnreadableRecording(
            "The recording {name} is longer than {minutes} minutes, the limit of this municipality. "
            "Cut it into parts and send each part.",
            name=name,
            minutes=round(max_seconds / 60),
        )
    if not len(samples) or float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) < SILENCE_RMS:
        raise UnreadableRecording(
            "The recording {name} is silent: there is nothing to transcribe. Check that the microphone "
            "was on, then send the right file.",
            name=name,
        )
    return decoded


@dataclass(frozen=True)
class Piece:
    """A part of the recording, sent to the transcription server on its own."""

    ordinal: int
    start_s: float
    end_s: float
    wav: bytes


def _wav(samples: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


def piece_count(decoded: Decoded, piece_seconds: float) -> int:
    return len(_bounds(decoded, piece_seconds))


def _bounds(decoded: Decoded, piece_seconds: float) -> list[tuple[int, int]]:
    """Where each piece starts and ends: every ``piece_seconds``, moved back to the quietest tenth of a
    second of the last fifth of the piece, so that a word is rarely cut in two."""
    step, window = int(piece_seconds * RATE), RATE // 10
    samples, bounds, start = decoded.samples, [], 0
    while start < len(samples):
        end = min(start + step, len(samples))
        if end < len(samples):
            search_from = start + int(step * 0.8)
            energies = [
                (float(np.abs(samples[at : at + window].astype(np.int32)).mean()), at)
                for at in range(search_from, end - window + 1, window)
            ]
            if energies:
                end = min(energies)[1] + window // 2
        bounds.append((start, end))
        start = end
    return bounds


def pieces(decoded: Decoded, piece_seconds: float, *, skip: set[int] | None = None) -> Iterator[Piece]:
    """The recording's pieces in order, those in ``skip`` (already transcribed) left out."""
    for ordinal, (start, end) in enumerate(_bounds(decoded, piece_seconds)):
        if skip and ordinal in skip:
            continue
        yield Piece(ordinal, start / RATE, end / RATE, _wav(decoded.samples[start:end]))
