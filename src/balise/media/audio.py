"""Reading a meeting recording: decoded by FFmpeg (PyAV), checked, and cut into pieces to transcribe.

Every format FFmpeg reads is decoded the same way, to 16 kHz mono 16-bit samples (what Whisper-like
servers work on), as a stream: a recording of hours never sits decoded in memory, only the piece being
cut. A piece is sent as a WAV file (the standard library's ``wave`` writes its header); a silent piece
is not sent at all.

At upload, :func:`check` refuses at once, with what to do, a format Balise does not take, a file FFmpeg
cannot read or without a sound track, a recording longer than the municipality allows (by its
header's duration), and a short recording that is silent throughout; the transcription job finds the
rest while it streams (a longer one without a duration in its header, a long silent one).
"""

from __future__ import annotations

import io
import math
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
"""Below this root mean square (of 32,767) a piece holds no speech to transcribe."""
CHECKED_SECONDS = 60
"""How much of a recording the upload decodes: enough to find a damaged file, not to make anyone wait."""


class UnreadableRecording(Invalid):
    code = "unreadable_recording"


def media_type(filename: str) -> str:
    """The recording's media type from its name; refuses a format Balise does not take."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UnreadableRecording(
            "The file {name} is not a recording Balise reads. Send a WAV, MP3, OGG, M4A or WebM file.",
            name=PurePath(filename).name,
        )
    return EXTENSIONS[suffix]


def _damaged(name: str) -> UnreadableRecording:
    return UnreadableRecording(
        "The file {name} could not be read as a recording (it may be damaged or incomplete). "
        "Export it again from the recorder, then send it.",
        name=name,
    )


def too_long(name: str, max_seconds: float) -> UnreadableRecording:
    return UnreadableRecording(
        "The recording {name} is longer than {minutes} minutes, the limit of this municipality. "
        "Cut it into parts and send each part.",
        name=name,
        minutes=round(max_seconds / 60),
    )


def silent(name: str) -> UnreadableRecording:
    return UnreadableRecording(
        "The recording {name} is silent: there is nothing to transcribe. Check that the microphone "
        "was on, then send the right file.",
        name=name,
    )


def samples(data: bytes, filename: str) -> Iterator[np.ndarray]:
    """The recording as successive arrays of 16 kHz mono 16-bit samples; raises UnreadableRecording."""
    name = PurePath(filename).name
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise UnreadableRecording(
                    "The file {name} has no sound track. Send the recording's audio.", name=name
                )
            resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1).astype(np.int16)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1).astype(np.int16)
    except (av.FFmpegError, ValueError, IndexError) as exc:
        raise _damaged(name) from exc


def _header_seconds(data: bytes) -> float | None:
    """The duration the container declares, when it declares one."""
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if container.duration:
                return float(container.duration) / av.time_base
    except (av.FFmpegError, ValueError):
        return None
    return None


def _rms(values: np.ndarray) -> float:
    """Root mean square, summed without a float copy of the samples (a 10-minute piece is 77 MB so)."""
    return (
        math.sqrt(float(np.einsum("i,i->", values, values, dtype=np.int64)) / len(values))
        if len(values)
        else 0.0
    )


def check(data: bytes, filename: str, *, max_seconds: float) -> float:
    """Refuses what can be refused at once (see the module); returns the recording's duration in
    seconds, from its header or, for a short one, from its samples (0 when unknown yet)."""
    media_type(filename)
    name = PurePath(filename).name
    declared = _header_seconds(data)
    if declared is not None and declared > max_seconds:
        raise too_long(name, max_seconds)
    heard: list[np.ndarray] = []
    count, whole = 0, True
    for chunk in samples(data, filename):
        heard.append(chunk)
        count += len(chunk)
        if count > CHECKED_SECONDS * RATE:
            whole = False
            break
    if whole:
        if count > max_seconds * RATE:
            raise too_long(name, max_seconds)
        if _rms(np.concatenate(heard) if heard else np.zeros(0, np.int16)) < SILENCE_RMS:
            raise silent(name)
        return count / RATE
    return declared or 0.0


def estimated_pieces(seconds: float, piece_seconds: float) -> int:
    """How many pieces a recording of ``seconds`` makes (cuts move back at most a fifth of a piece)."""
    return max(1, math.ceil(seconds / (piece_seconds * 0.9))) if seconds else 1


@dataclass(frozen=True)
class Piece:
    """A part of the recording, sent to the transcription server on its own (``wav`` empty: silent)."""

    ordinal: int
    start_s: float
    end_s: float
    wav: bytes


def _wav(values: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(values.astype("<i2").tobytes())
    return buffer.getvalue()


def _quiet_cut(values: np.ndarray, step: int) -> int:
    """Where to end a piece of ``step`` samples: the quietest tenth of a second of its last fifth, so
    that a word is rarely cut in two."""
    window = RATE // 10
    energies = [
        (float(np.abs(values[at : at + window].astype(np.int32)).mean()), at)
        for at in range(int(step * 0.8), step - window + 1, window)
    ]
    return min(energies)[1] + window // 2 if energies else step


def pieces(
    data: bytes, filename: str, piece_seconds: float, *, max_seconds: float, skip: set[int] | None = None
) -> Iterator[Piece]:
    """The recording's pieces in order (the same cuts at every run), those in ``skip`` (already
    transcribed) left out; raises UnreadableRecording when it proves longer than ``max_seconds``."""
    step = int(piece_seconds * RATE)
    held: list[np.ndarray] = []
    count, start, ordinal = 0, 0, 0

    def piece(values: np.ndarray) -> Piece:
        sound = _wav(values) if _rms(values) >= SILENCE_RMS else b""
        return Piece(ordinal, start / RATE, (start + len(values)) / RATE, sound)

    for chunk in samples(data, filename):
        held.append(chunk)
        count += len(chunk)
        while count > step:  # one concatenation per piece, not per chunk
            buffer = np.concatenate(held)
            end = _quiet_cut(buffer[:step], step)
            if not skip or ordinal not in skip:
                yield piece(buffer[:end])
            held, count, start, ordinal = [buffer[end:]], len(buffer) - end, start + end, ordinal + 1
            if start > max_seconds * RATE:
                raise too_long(PurePath(filename).name, max_seconds)
    if count and (not skip or ordinal not in skip):
        if start + count > max_seconds * RATE:
            raise too_long(PurePath(filename).name, max_seconds)
        yield piece(np.concatenate(held))
