"""Raw responses, kept as gzip files addressed by the sha256 of the body: ``<dir>/ab/<sha256>.html.gz``.

Why not WARC: warcio is not a dependency here, and one file per body gives for free what the
crawler needs: identical bodies stored once, atomic writes (temp file + ``os.replace``) that a
kill -9 can never leave half-written, and direct lookup by the ``sha256`` recorded in the frontier
(``crawl_urls``), which also keeps the URL, status, validators and Content-Type of each response.
File names never derive from URLs.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import time
from pathlib import Path


def default_raw_dir(db_path: str | Path) -> Path:
    """``<db>.raw/`` beside the archive file."""
    p = Path(db_path)
    return p.with_name(p.name + ".raw")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_path(raw_dir: str | Path, sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return Path(raw_dir) / sha256[:2] / f"{sha256}.html.gz"


def put(raw_dir: str | Path, data: bytes) -> str:
    """Store ``data`` (once); return its sha256. Atomic: the file is either whole or absent."""
    digest = sha256_hex(data)
    path = raw_path(raw_dir, digest)
    if path.exists():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".gz")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
            gz.write(data)
            gz.flush()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return digest


def get(raw_dir: str | Path, sha256: str) -> bytes:
    """The stored body (checked against its digest)."""
    data = gzip.decompress(raw_path(raw_dir, sha256).read_bytes())
    if sha256_hex(data) != sha256:
        raise ValueError(f"raw store file for {sha256} is corrupt")
    return data


def has(raw_dir: str | Path, sha256: str) -> bool:
    return raw_path(raw_dir, sha256).exists()


def remove_stale_temp_files(raw_dir: str | Path, older_than: float = 3600.0) -> int:
    """Delete temp files a killed writer left behind (older than ``older_than`` seconds)."""
    root = Path(raw_dir)
    if not root.is_dir():
        return 0
    removed = 0
    limit = time.time() - older_than
    for tmp in root.glob("*/.tmp-*"):
        try:
            if tmp.stat().st_mtime < limit:
                tmp.unlink()
                removed += 1
        except OSError:
            pass
    return removed
