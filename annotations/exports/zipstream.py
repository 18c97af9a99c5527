"""A zip written as it is sent: members go into an unseekable sink that the caller drains after every step, so
memory holds one step's bytes, never the archive (zipfile then writes a data descriptor after each member).
Pure: no ORM."""

import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

# A member's content: text or byte chunks, or a writer given the member's file that writes as it goes and yields
# whenever what it wrote may be sent.
Content = Iterable[bytes | str] | Callable[[IO[bytes]], Iterator[object]]


class Sink:
    """A write-only, unseekable file for zipfile: what is written waits here until `take` hands it on."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def zip_chunks(members: Iterable[tuple[str, Content]], *, zip64: bool = False) -> Iterator[bytes]:
    """The zip of `members` (name, content), as byte chunks, in the order given. `zip64` for members that may pass
    2 GiB (zipfile must know before it writes a member of unknown size; some readers do not know zip64)."""
    sink = Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            with archive.open(name, "w", force_zip64=zip64) as member:
                steps = content(member) if callable(content) else _written(member, content)
                for _ in steps:
                    if data := sink.take():
                        yield data
            if data := sink.take():
                yield data
    yield sink.take()


def _written(member: IO[bytes], chunks: Iterable[bytes | str]) -> Iterator[None]:
    for chunk in chunks:
        member.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        yield None
