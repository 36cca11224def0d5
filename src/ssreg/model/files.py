"""Reading users' files: any encoding problem is a clear error, never a traceback."""

from __future__ import annotations

from pathlib import Path

from ..exceptions import InvalidInputError, Problem


MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest input file read at once (a year of claims of a large insurer fits)."""
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""Largest single JSON document read (a case, a dossier, an event): read in about a
second; a dossier of 10,000 events is about 2 MB."""
MAX_TOML_BYTES = 1024 * 1024
"""Largest TOML file read (a rule file, a case file, a cover): Python reads TOML at about
a megabyte a second, and the largest built-in rule file is 44 kB."""


def _where(path: Path | str) -> str:
    text = str(path)
    return text if len(text) <= 200 else "..." + text[-197:]


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``OSError``.

    A device or a pipe (``/dev/zero``) is refused, not read forever.
    """
    try:
        if not path.is_file():
            raise OSError(21 if path.is_dir() else 2, "a folder, not a file" if path.is_dir()
                          else "no such file (or not a regular file)")
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except ValueError:  # a path the system cannot take (a NUL character, ...)
        raise OSError(22, "not a usable file path") from None
    if len(data) > limit:
        raise OSError(27, f"file larger than {limit} bytes")
    return data


def read_text(path: Path | str, *, error: type[InvalidInputError] = InvalidInputError,
              limit: int = MAX_FILE_BYTES) -> str:
    """The text of a UTF-8 file (a byte-order mark is accepted and dropped).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "case.json"
    >>> _ = f.write_bytes(b"\\xef\\xbb\\xbf{}")
    >>> read_text(f)
    '{}'
    >>> _ = f.write_bytes(b"\\xff\\xfe{")
    >>> read_text(f)
    Traceback (most recent call last):
    ...
    ssreg.exceptions.InvalidInputError: invalid input: ...: not UTF-8 text (byte 0xff ...
    """
    path = Path(path)
    try:
        data = read_bytes(path, limit)
    except OSError as exc:
        raise error([Problem(_where(path), f"cannot read ({exc.strerror or exc})")]) from None
    return decode(data, _where(path), error=error)


def decode(data: bytes, where: str, *, error: type[Exception] = InvalidInputError) -> str:
    """UTF-8 bytes (with or without a byte-order mark) as text, or a one-line error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error([Problem(where, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                                    f"position {exc.start}); save the file as UTF-8")]) from None
