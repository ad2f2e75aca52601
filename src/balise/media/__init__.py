"""Meeting recordings transcribed into the library (U8) and labelled generated images (U9)."""

from balise.media.images import (
    SIZES,
    ImageFailed,
    ImageRefused,
    ImageRequest,
    generate,
    get_image,
    image_backends,
    list_images,
)
from balise.media.provenance import Provenance, read_provenance
from balise.media.recordings import (
    Moment,
    get_recording,
    list_recordings,
    moment,
    segments_of,
    submit_recording,
    transcription_backends,
)
from balise.media.tables import GeneratedImage, Recording, RecordingPiece, SigningCertificate

__all__ = [
    "SIZES",
    "GeneratedImage",
    "ImageFailed",
    "ImageRefused",
    "ImageRequest",
    "Moment",
    "Provenance",
    "Recording",
    "RecordingPiece",
    "SigningCertificate",
    "generate",
    "get_image",
    "get_recording",
    "image_backends",
    "list_images",
    "list_recordings",
    "moment",
    "read_provenance",
    "segments_of",
    "submit_recording",
    "transcription_backends",
]
