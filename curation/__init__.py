"""Curation: a moderator turns the analysts' independent versions of a paper's claims into the curated layer
(approved claims and links), keeping whose version was kept or merged. See docs/agreement.md (Curation)."""
