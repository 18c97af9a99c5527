"""Cut a paper's text into the passages search finds: paragraphs, and long paragraphs into windows of whole
sentences. Pure; offsets are code points into the text, like every offset in the project."""

from annotations.suggest.segmentation import sentences

# A paragraph up to this many code points is one passage; a longer one is cut into windows of whole sentences
# of about this size (a sentence longer than that stands alone), so a hit points at a readable passage.
PASSAGE_CHARS = 600


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Each line that holds a letter or digit, trimmed of surrounding whitespace (the texts keep a paragraph on
    one line; headings and list items are lines of their own)."""
    found = []
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and any(ch.isalnum() for ch in text[start:end]):
            found.append((start, end))
    return found


def passages(text: str, size: int = PASSAGE_CHARS) -> list[tuple[int, int]]:
    """The passages of `text` as (start, end) spans in order, not overlapping; every letter or digit of the text
    lies in exactly one of them."""
    found: list[tuple[int, int]] = []
    for start, end in _paragraphs(text):
        if end - start <= size:
            found.append((start, end))
            continue
        window: tuple[int, int] | None = None
        for s, e in sentences(text[start:end]):
            s, e = s + start, e + start
            if window is None:
                window = (s, e)
            elif e - window[0] <= size:
                window = (window[0], e)
            else:
                found.append(window)
                window = (s, e)
        if window is not None:
            found.append(window)
    return found
