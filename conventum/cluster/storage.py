"""The shared storage of a distributed ``conventum serve``: uploads, documents and reports under
keys, in a local folder (the default) or an S3-compatible bucket, behind one small interface.

Documents are written once: ``put_once`` never replaces what is there (S3's conditional write,
``If-None-Match: *``; ``O_EXCL`` in a folder), so a task delivered twice never makes a second
document, and a half-written object is never visible (S3 writes are whole; a folder's are renamed
into place).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from conventum.errors import StorageError, StorageFullError
from conventum.output import french_reason

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

LINK_SECONDS = 3600
FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # a folder with no room left
# What S3 servers answer when there is no room: MinIO, Ceph's gateway, Garage, providers' quotas
FULL_CODES = ("XMinioStorageFull", "QuotaExceeded", "InsufficientStorage", "StorageFull", "507")


class Store(Protocol):
    """What the server and the workers need of a storage."""

    description: str

    def check(self) -> None:
        """Raise StorageError (in French) when the storage cannot be reached or written."""

    def get(self, key: str) -> bytes | None:
        """The object's bytes, None when there is none."""

    def put(self, key: str, data: bytes) -> None:
        """Write (or replace) the object at once."""

    def put_once(self, key: str, data: bytes) -> bool:
        """Write the object unless one is there already; True when this call wrote it."""

    def keys(self, prefix: str) -> list[str]:
        """The keys starting with ``prefix``, sorted."""

    def link(self, key: str) -> str | Path:
        """Where a client downloads the object: a presigned URL, or the local file."""


class FolderStore:
    """Objects as files under a folder (shared by NFS between machines, or one machine's)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = f"dossier {root}"

    def _path(self, key: str) -> Path:
        if key.startswith("/") or ".." in key.split("/"):
            raise StorageError(f"clé de stockage refusée : {key}")
        return self.root / key

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".essai-"):
                pass
        except OSError as exc:
            raise StorageError(f"stockage {self.root} inutilisable : {exc.strerror}") from exc

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageError(f"lecture impossible dans le stockage : {key} ({exc.strerror})") from exc

    def _temporary(self, key: str, data: bytes) -> Path:
        """The bytes in a hidden file beside the key's (renamed or linked into place by the
        caller); a write that fails leaves nothing (StorageFullError when there is no room)."""
        path = self._path(key)
        name = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            if name is not None:
                Path(name).unlink(missing_ok=True)
            error = StorageFullError if exc.errno in FULL else StorageError
            raise error(f"écriture impossible dans le stockage : {key} ({french_reason(exc)})") from exc
        return Path(name)

    def put(self, key: str, data: bytes) -> None:
        os.replace(self._temporary(key, data), self._path(key))

    def put_once(self, key: str, data: bytes) -> bool:
        temporary = self._temporary(key, data)
        try:
            os.link(temporary, self._path(key))  # fails when the name exists: never replaced
        except FileExistsError:
            return False
        finally:
            temporary.unlink(missing_ok=True)
        return True

    def keys(self, prefix: str) -> list[str]:
        folder = self._path(prefix.rsplit("/", 1)[0]) if "/" in prefix else self.root
        if not folder.is_dir():
            return []
        found = (path.relative_to(self.root).as_posix() for path in folder.rglob("*") if path.is_file())
        return sorted(key for key in found if key.startswith(prefix) and key.rsplit("/")[-1][:1] != ".")

    def link(self, key: str) -> str | Path:
        return self._path(key)


class S3Store:
    """Objects in an S3 bucket under a prefix (AWS, MinIO, Garage, a provider's), through boto3.

    The endpoint and credentials are boto3's own settings (``AWS_ENDPOINT_URL``,
    ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``…)."""

    def __init__(self, bucket: str, prefix: str) -> None:
        import boto3  # noqa: PLC0415 - the cluster extra, only when S3 is used
        from botocore.config import Config  # noqa: PLC0415

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.description = f"s3://{bucket}/{self.prefix}"
        config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"})
        self.client: S3Client = boto3.client("s3", config=config)

    def _errors(self) -> tuple[type[Exception], ...]:
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        return (BotoCoreError, ClientError)

    def _fail(self, what: str, key: str, exc: Exception) -> StorageError:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
        error = StorageFullError if code in FULL_CODES else StorageError
        return error(f"{what} impossible dans le stockage {self.description} : {key} ({code})")

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._errors() as exc:
            raise StorageError(f"stockage injoignable : {self.description} ({_reason(exc)})") from exc

    def get(self, key: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
            data: bytes = answer["Body"].read()
        except self._errors() as exc:
            if _code(exc) in ("NoSuchKey", "404"):
                return None
            raise self._fail("lecture", key, exc) from exc
        return data

    def put(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data)
        except self._errors() as exc:
            raise self._fail("écriture", key, exc) from exc

    def put_once(self, key: str, data: bytes) -> bool:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data, IfNoneMatch="*")
        except self._errors() as exc:
            if _code(exc) in ("PreconditionFailed", "ConditionalRequestConflict", "412"):
                return False
            raise self._fail("écriture", key, exc) from exc
        return True

    def keys(self, prefix: str) -> list[str]:
        found: list[str] = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix
            )
            for page in pages:
                found += [item["Key"][len(self.prefix) :] for item in page.get("Contents", [])]
        except self._errors() as exc:
            raise self._fail("lecture", prefix, exc) from exc
        return sorted(found)

    def link(self, key: str) -> str | Path:
        url: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self.prefix + key}, ExpiresIn=LINK_SECONDS
        )
        return url


def _code(exc: Exception) -> str:
    response: dict[str, Any] = getattr(exc, "response", {}) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _reason(exc: Exception) -> str:
    return _code(exc) or type(exc).__name__


def open_store(url: str) -> Store:
    """The storage named by ``--stockage``: ``s3://bucket/prefix``, or a folder (path or file://)."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise StorageError(
                f"adresse de stockage sans compartiment : {url} (attendu : s3://compartiment/préfixe)"
            )
        return S3Store(parts.netloc, parts.path)
    if parts.scheme == "file":
        return FolderStore(Path(parts.path))
    if parts.scheme and len(parts.scheme) > 1:
        raise StorageError(f"adresse de stockage inconnue : {url} (attendu : s3://… ou un dossier)")
    return FolderStore(Path(url))
