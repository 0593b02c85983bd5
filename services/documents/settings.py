"""Settings of the documents processes (``REDCELL_DOCUMENTS__...``); district types and rules live in the database."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class DocumentsProcessSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDCELL_DOCUMENTS__", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    # The base URL browsers reach the object store at, for presigned uploads and downloads (the store's own
    # endpoint when empty). Behind an ingress this is the public host that forwards to the store unchanged.
    public_s3_url: str = ""
    upload_url_ttl_s: int = 900  # a presigned upload (or part) may be used this long
    download_url_ttl_s: int = 120  # a presigned download link lives this long
    pending_upload_ttl_s: int = 3600  # an upload not confirmed within this is swept from the store
    multipart_threshold_bytes: int = 16 * 1024 * 1024  # larger files are uploaded in parts
    part_bytes: int = 8 * 1024 * 1024
    # The CJK font embedded in generated PDFs (TrueType or a TrueType collection) and its index in a collection.
    pdf_font_path: str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    pdf_font_index: int = 0
    tesseract_command: str = "tesseract"
    ocr_languages: str = "chi_sim+eng"
    ocr_timeout_s: float = 120.0
    extract_max_bytes: int = 64 * 1024 * 1024  # a larger file is indexed by its metadata only
    # A search ranks at most this many of the newest matches the caller may read (search/query.py says why).
    search_candidates: int = 1000


@lru_cache(maxsize=1)
def get_documents_settings() -> DocumentsProcessSettings:
    return DocumentsProcessSettings()
