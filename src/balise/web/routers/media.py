"""Recordings (U8) and images (U9): upload and follow a transcription, generate a labelled image,
verify any image's content credentials."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise.classification import CLASSIFICATION_LABELS
from balise.db import Session
from balise.errors import Invalid
from balise.i18n import N_
from balise.media import (
    SIZES,
    ImageRequest,
    generate,
    get_image,
    get_recording,
    image_backends,
    list_images,
    list_recordings,
    read_provenance,
    segments_of,
    submit_recording,
    transcription_backends,
)
from balise.web.deps import Principal, current_principal, tenant_db
from balise.web.templating import render

router = APIRouter(tags=["media"])
MAX_UPLOAD_BYTES = 500 * 1024 * 1024


async def _read(upload: UploadFile | str | None, missing: str) -> tuple[str, bytes]:
    """The uploaded file's name and bytes; ``missing`` (a msgid) says what to choose when there is none."""
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise Invalid(missing)
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid("The file is larger than 500 MB. Cut the recording into parts, then send each part.")
    return upload.filename, data


@router.get("/enregistrements", response_class=HTMLResponse)
def recordings_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return render(
        request,
        "media/recordings.html",
        {
            "recordings": list_recordings(db, principal.tenant.id),
            "backends": transcription_backends(db, principal.tenant.id),
            "classifications": principal.classifications,
            "classification_labels": CLASSIFICATION_LABELS,
        },
    )


@router.post("/enregistrements")
async def upload_recording(
    file: Annotated[UploadFile | str | None, File()] = None,
    title: Annotated[str, Form()] = "",
    classification: Annotated[str, Form()] = "internal",
    backend: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    if classification not in principal.classifications:
        raise Invalid("Choose a classification your role may read.")
    filename, data = await _read(file, N_("Choose the recording to send."))
    recording = submit_recording(
        db,
        principal.tenant.id,
        filename,
        data,
        classification=classification,
        backend_name=backend,
        title=title,
        uploaded_by=principal.user.id,
    )
    db.commit()
    return RedirectResponse(f"/enregistrements/{recording.id}", status_code=303)


@router.get("/enregistrements/{recording_id}", response_class=HTMLResponse)
def recording_page(
    request: Request,
    recording_id: str,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    recording = get_recording(db, recording_id)
    return render(
        request,
        "media/recording.html",
        {
            "recording": recording,
            "segments": segments_of(db, recording),
            "classification_labels": CLASSIFICATION_LABELS,
        },
    )


@router.get("/enregistrements/{recording_id}/audio")
def recording_audio(
    request: Request,
    recording_id: str,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> Response:
    """The recording's bytes, with byte ranges, so that a player can open it at a cited time."""
    recording = get_recording(db, recording_id)
    data, size = recording.data, len(recording.data)
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "private, no-store"}
    wanted = request.headers.get("range", "")
    if wanted.startswith("bytes=") and "," not in wanted:
        first, _dash, last = wanted[6:].partition("-")
        try:
            start = int(first) if first else max(size - int(last), 0)
            end = min(int(last), size - 1) if first and last else size - 1
        except ValueError:
            start, end = 0, size - 1
        if start >= size or start > end:
            return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        return Response(data[start : end + 1], 206, headers=headers, media_type=recording.media_type)
    return Response(data, headers=headers, media_type=recording.media_type)


@router.get("/images", response_class=HTMLResponse)
def images_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _images(request, principal, db)


def _images(request: Request, principal: Principal, db: Session, prompt: str = "") -> HTMLResponse:
    return render(
        request,
        "media/images.html",
        {
            "images": [
                i
                for i in list_images(db, principal.tenant.id)
                if i.example or i.created_by == principal.user.id
            ],
            "backends": image_backends(db, principal.tenant.id),
            "sizes": SIZES,
            "prompt": prompt,
        },
    )


@router.post("/images")
def generate_image(
    prompt: Annotated[str, Form()] = "",
    backend: Annotated[str, Form()] = "",
    size: Annotated[str, Form()] = "1024x1024",
    caption: Annotated[bool, Form()] = False,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    wanted = ImageRequest(prompt=prompt, backend=backend, size=size, caption=caption)
    image = generate(db, principal.tenant, wanted, user_id=principal.user.id)
    db.commit()
    return RedirectResponse(f"/images/{image.id}", status_code=303)


@router.get("/images/verifier", response_class=HTMLResponse)
def verify_page(request: Request, principal: Principal = Depends(current_principal)) -> HTMLResponse:
    return render(request, "media/verify.html", {"seen": None})


@router.post("/images/verifier", response_class=HTMLResponse)
async def verify_image(
    request: Request,
    file: Annotated[UploadFile | str | None, File()] = None,
    principal: Principal = Depends(current_principal),
) -> HTMLResponse:
    filename, data = await _read(file, N_("Choose the image to verify."))
    try:
        seen = read_provenance(data)
    except ValueError:
        raise Invalid(
            "The file {name} is not an image Balise can read. Send a PNG, JPEG or WebP image.", name=filename
        ) from None
    return render(request, "media/verify.html", {"seen": seen, "filename": filename})


@router.get("/images/{image_id}", response_class=HTMLResponse)
def image_page(
    request: Request,
    image_id: str,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    image = get_image(db, image_id)
    return render(request, "media/image.html", {"image": image, "seen": read_provenance(image.data)})


@router.get("/images/{image_id}/image.png")
def image_file(
    image_id: str, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> Response:
    image = get_image(db, image_id)
    disposition = f'inline; filename="image-{image.id[:8]}.png"'
    return Response(image.data, media_type="image/png", headers={"Content-Disposition": disposition})
