"""Pagefind's output put in one order, so that two builds of the same pages are byte-identical.

Pagefind 1.5 writes its filters and its languages in the order of a Rust ``HashMap``, seeded afresh in
every run: the filter files (``filter/*.pf_filter``), the list of filters in each language's
``pagefind.<hash>.pf_meta`` and the languages of ``pagefind-entry.json`` come out in a different order each
time, and the file names, which are hashes of the contents, change with them. Every other file
(fragments, index chunks, scripts) is already the same. The reordered files are what Pagefind reads
(sequences of ``[name, value]`` pairs in CBOR, gzip-compressed after a signature), sorted by name and
renamed by a hash of their new bytes, and every reference to an old name is rewritten.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
FILTERS = 3  # where a language's metadata lists its filters


class _Float(float):
    """A CBOR float, written back at the width it was read (so unchanged data keeps its bytes)."""

    width: int = 8


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    """One CBOR item (the kinds Pagefind writes: integers, strings, arrays, maps, simple values, floats)."""
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if major == 7:
        if info in (25, 26, 27):
            size = {25: 2, 26: 4, 27: 8}[info]
            value = _Float(struct.unpack(">" + {2: "e", 4: "f", 8: "d"}[size], data[at:at + size])[0])
            value.width = size
            return value, at + size
        return {20: False, 21: True, 22: None}[info], at
    if info < 24:
        argument = info
    else:
        size = 1 << (info - 24)
        argument, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at:at + argument]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            pairs[key], at = _decode(data, at)
        return pairs, at
    raise ValueError(f"CBOR major type {major} is not one Pagefind writes")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _encode(value: Any) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, _Float):
        return bytes([0xE0 | {2: 25, 4: 26, 8: 27}[value.width]]) + struct.pack(
            ">" + {2: "e", 4: "f", 8: "d"}[value.width], value)
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise TypeError(f"cannot write {type(value).__name__} as CBOR")


def read(path: Path) -> Any:
    """A Pagefind file's content: gzip, the signature, one CBOR item."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind file")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data) or SIGNATURE + _encode(value) != data:
        raise ValueError(f"{path.name} holds CBOR this module would not write back unchanged")
    return value


def _write(value: Any) -> bytes:
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _name(prefix: str, content: bytes, length: int) -> str:
    return f"{prefix}_{hashlib.sha256(content).hexdigest()[:length]}"


def _by_name(pairs: list[Any]) -> list[Any]:
    """A sequence of ``[name, value]`` pairs, as Pagefind writes a map, sorted by name."""
    return sorted(pairs, key=lambda pair: str(pair[0]))


def order(bundle: Path) -> None:
    """Reorder and rename the filter files, the metadata and the entry of the bundle in ``bundle``."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    languages = {}
    for language, about in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = read(meta_file)
        # [version, pages, index chunks, filters, sorts, metadata fields]
        filters = meta[FILTERS] if isinstance(meta, list) and len(meta) > FILTERS else None
        if not isinstance(filters, list):
            raise ValueError(f"{meta_file.name}: no list of filters where Pagefind 1.5 keeps it")
        renamed = []
        for name, chunk in _by_name(filters):
            old = bundle / "filter" / f"{chunk}.pf_filter"
            value = read(old)
            if isinstance(value, list) and len(value) == 2 and isinstance(value[1], list):
                value = [value[0], _by_name(value[1])]
            data = _write(value)
            prefix = chunk.partition("_")[0]
            new = _name(prefix, data, len(chunk) - len(prefix) - 1)
            old.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            renamed.append([name, new])
        meta[FILTERS] = renamed
        data = _write(meta)
        prefix = about["hash"].partition("_")[0]
        new_hash = _name(prefix, data, len(about["hash"]) - len(prefix) - 1)
        meta_file.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
        languages[language] = {**about, "hash": new_hash}
    entry["languages"] = languages
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
