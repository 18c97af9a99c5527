"""Check the claims and links of an import file: their records, codings and anchors, conflicts with stored
items, and one live link per pair of claims."""

from typing import Any

from .. import anchoring, records
from ..models import AnchorState, Link, Stance, Status
from ..textrules import control_character_problem
from .checks import (
    OFFSET_RANGE,
    _check_moderated,
    _check_other_plain_fields,
    _check_text,
    _check_uuid,
    _uuid_or_none,
    _whole_number_in,
)
from .records import Known, Plan, Problems


def _claim_record(item: dict, path: str, problems: Problems, texts: dict[str, str], tag_slugs, reanchor: bool):
    target = item.get("target")
    paper = item.get("paper")
    if not isinstance(paper, str) or paper not in texts:
        problems.add(f"{path}.paper", f'Unknown paper "{paper}": it is neither in the file nor in this instance.')
    anchor = None
    if not isinstance(target, dict):
        problems.add(f"{path}.target", "The target must be an object with start, end, exact, prefix and suffix.")
    elif isinstance(paper, str) and paper in texts:
        anchor = _place(target, texts[paper], item.get("status"), path, problems, reanchor)
    speaker = item.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        problems.add(f"{path}.speaker", '"speaker" must be a string or null.')
        speaker = None
    elif isinstance(speaker, str) and len(speaker) > (limit := records.CLAIM.limit("speaker")):
        problems.add(f"{path}.speaker", f'"speaker" is too long (at most {limit} characters).')
    elif problem := control_character_problem(speaker):
        problems.add(f"{path}.speaker", problem)
    stance = item.get("stance")
    if stance not in Stance.values:
        problems.add(f"{path}.stance", f'Unknown stance "{stance}": use {", ".join(Stance.values)}.')
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.add(f"{path}.tags", '"tags" must be a list of tag slugs.')
        tags = []
    for position, slug in enumerate(tags):
        if slug not in tag_slugs:
            problems.add(f"{path}.tags[{position}]", f'Unknown tag "{slug}".')
    codings = _check_codings(item, path, problems, tag_slugs, stance)
    if codings is None:  # a file without codings: every tag takes the claim's stance
        codings = [{"tag": slug, "stance": stance} for slug in sorted(set(tags))]
    elif tags and sorted(set(tags)) != [coding["tag"] for coding in codings]:
        problems.add(f"{path}.tags", '"tags" and "codings" name different tags.')
    checked = {
        "id": None,
        "paper": paper,
        "target": anchor,
        "statement": _check_text(item, "statement", path, problems, required=True, limit=5000),
        "speaker": speaker.strip() or None if isinstance(speaker, str) else None,
        "stance": stance,
        "tags": [coding["tag"] for coding in codings],
        "codings": codings,
        "note": _check_text(item, "note", path, problems),
        **_check_anchor(item, path, problems),
        **_check_moderated(item, path, problems),
    }
    return {**checked, **_check_other_plain_fields(records.CLAIM, item, path, problems, checked)}


def _check_codings(item: dict, path: str, problems: Problems, tag_slugs, stance: Any) -> list[dict] | None:
    """The claim's codings ({"tag", "stance"}, sorted by tag), None when the file has none; a coding without
    a stance takes the claim's."""
    codings = item.get("codings")
    if codings is None:
        return None
    if not isinstance(codings, list):
        problems.add(f"{path}.codings", '"codings" must be a list of {"tag", "stance"} objects.')
        return []
    result: dict[str, str] = {}
    for position, coding in enumerate(codings):
        where = f"{path}.codings[{position}]"
        if not isinstance(coding, dict) or not isinstance(coding.get("tag"), str):
            problems.add(where, 'A coding must be an object {"tag": slug, "stance": ...}.')
            continue
        slug, tag_stance = coding["tag"], coding.get("stance", stance)
        if slug not in tag_slugs:
            problems.add(f"{where}.tag", f'Unknown tag "{slug}".')
        if tag_stance not in Stance.values:
            problems.add(f"{where}.stance", f'Unknown stance "{tag_stance}": use {", ".join(Stance.values)}.')
        if slug in result:
            problems.add(f"{where}.tag", f'Tag "{slug}" is coded twice.')
        result[slug] = tag_stance
    return [{"tag": slug, "stance": result[slug]} for slug in sorted(result)]


def _check_anchor(item: dict, path: str, problems: Problems) -> dict[str, Any]:
    """The anchor fields of a claim; files written before they existed stand for an original anchor."""
    state = item.get("anchor_state", AnchorState.ORIGINAL)
    if state not in AnchorState.values:
        problems.add(f"{path}.anchor_state", f'Unknown anchor state "{state}": use {", ".join(AnchorState.values)}.')
    score = item.get("anchor_score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1):
        problems.add(f"{path}.anchor_score", '"anchor_score" must be a number from 0 to 1, or null.')
    before = item.get("status_before_orphaned", "")
    if before != "" and before not in Status.values:
        problems.add(
            f"{path}.status_before_orphaned",
            f'Unknown status "{before}": use "" or {", ".join(Status.values)}.',
        )
    return {"anchor_state": state, "anchor_score": score, "status_before_orphaned": before}


def _place(target: dict, text: str, status: Any, path: str, problems: Problems, reanchor: bool) -> dict | None:
    """The stored target, checked against the text; W3C quotes are placed anew (their positions a hint)."""
    where = f"{path}.target"
    exact, start, end = target.get("exact"), target.get("start"), target.get("end")
    for key in ("exact", "prefix", "suffix"):
        if problem := control_character_problem(target.get(key)):
            problems.add(f"{where}.{key}", problem)
            return None
    if reanchor:
        try:
            fits = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            if fits and text[start:end] == exact:
                found = anchoring.anchor_at(text, start, end)
                return {"start": start, "end": end, "exact": exact, "prefix": found.prefix, "suffix": found.suffix}
            context = {key: target[key] for key in ("prefix", "suffix") if isinstance(target.get(key), str)}
            found = anchoring.resolve_target(text, exact=exact, **context)
        except anchoring.AnchoringError as error:
            problems.add(where, str(error))
            return None
        return {"start": found.start, "end": found.end, "exact": found.exact, "prefix": found.prefix,
                "suffix": found.suffix}  # fmt: skip
    ok = True
    for key in ("start", "end"):
        if not _whole_number_in(target.get(key), OFFSET_RANGE):
            problems.add(f"{where}.{key}", f'"{key}" must be a whole number of code points, at most {OFFSET_RANGE[1]}.')
            ok = False
    for key in ("exact", "prefix", "suffix"):
        if not isinstance(target.get(key, ""), str):
            problems.add(f"{where}.{key}", f'"{key}" must be a string.')
            ok = False
    if not ok:
        return None
    if not exact:
        problems.add(f"{where}.exact", "The quote (exact) must not be empty.")
        return None
    if not start < end:
        problems.add(where, f"start ({start}) must be less than end ({end}).")
        return None
    # An orphaned claim is one a revision of the text could not place: its old anchor is kept as it was.
    if status != Status.ORPHANED and text[start:end] != exact:
        problems.add(where, f"The quote is no longer in the text at {start}-{end}; the paper's text has changed.")
        return None
    prefix, suffix = target.get("prefix") or "", target.get("suffix") or ""
    for key, value in (("prefix", prefix), ("suffix", suffix)):
        if len(value) > anchoring.CONTEXT_LENGTH:
            problems.add(f"{where}.{key}", f'"{key}" is too long (at most {anchoring.CONTEXT_LENGTH} code points).')
    return {"start": start, "end": end, "exact": exact, "prefix": prefix, "suffix": suffix}


def _differs_newer(incoming: dict, stored: dict, path: str, noun: str, problems: Problems) -> bool | None:
    """None when identical; True when the file's is newer (to update); a conflict problem otherwise."""
    if incoming == stored:
        return None
    if incoming["version"] > stored["version"]:
        return True
    changed = sorted(key for key in incoming if incoming[key] != stored.get(key))
    problems.add(
        path,
        f"Conflicts with the stored {noun} (version {stored['version']}, the file's is {incoming['version']}): "
        f"{', '.join(changed)} differ. Export the stored one, or raise the version to overwrite it.",
    )
    return False


def _validate_items(
    doc, known: Known, plan: Plan, problems: Problems, *, section_name: str, noun: str, keys, record_of
) -> tuple[dict[str, int], dict[str, tuple[str, dict]]]:
    """What claims and links share: each an object with a unique id, checked by `record_of(item, path)`, and
    each sound one compared with the stored one (new, newer, the same, or a conflict). The ids with their
    positions, and each sound item's (path, record as it will stand) in file order."""
    section = doc.paths[section_name]
    stored_items = getattr(known, section_name)
    report = plan.report[section_name]
    ids: dict[str, int] = {}
    final: dict[str, tuple[str, dict]] = {}
    for position, item in enumerate(getattr(doc, section_name)):
        index = item.pop("_index", position) if isinstance(item, dict) else position
        path = f"{section}[{index}]"
        before = problems.count()
        if not isinstance(item, dict):
            problems.add(path, f"A {noun} must be an object.")
            continue
        item_id = _check_uuid(item.get("id"), f"{path}.id", problems)
        if item_id in ids:
            problems.add(f"{path}.id", f"Duplicate id {item_id}: also at {section}[{ids[item_id]}].")
            continue
        if item_id:
            ids[item_id] = index
        if doc.kind != "native" and item_id in stored_items:
            report["unchanged"] += 1
            continue
        record = {**record_of(item, path), "id": item_id}
        if item_id is None or problems.count() > before:
            continue  # only a sound item is compared with the stored one
        ordered = {key: record[key] for key in keys}
        stored = stored_items.get(item_id)
        if stored is None:
            getattr(plan, f"{section_name}_new").append(ordered)
            report["created"] += 1
        else:
            verdict = _differs_newer(ordered, stored, path, noun, problems)
            if verdict is None:
                report["unchanged"] += 1
            elif verdict:
                getattr(plan, f"{section_name}_changed").append(ordered)
                report["updated"] += 1
        final[item_id] = (path, ordered)
    return ids, final


def _validate_claims(doc, known: Known, plan: Plan, problems: Problems, texts, tag_slugs) -> set[str]:
    def record_of(item: dict, path: str) -> dict:
        return _claim_record(item, path, problems, texts, tag_slugs, doc.reanchor)

    ids, _ = _validate_items(
        doc, known, plan, problems, section_name="claims", noun="claim", keys=records.CLAIM.keys, record_of=record_of
    )
    return set(ids) | known.claim_ids


def _link_record(item: dict, path: str, problems: Problems, claim_ids: set[str]) -> dict:
    ends = {}
    for key in ("source", "target"):
        value = _uuid_or_none(item.get(key))
        if value is None or value not in claim_ids:
            problems.add(f"{path}.{key}", f'Unknown claim "{item.get(key)}": it is neither in the file nor here.')
        ends[key] = value
    if ends["source"] and ends["source"] == ends["target"]:
        problems.add(f"{path}.target", "A claim cannot be linked to itself.")
    relation = item.get("relation")
    if relation not in Link.Relation.values:
        problems.add(f"{path}.relation", f'Unknown relation "{relation}": use {", ".join(Link.Relation.values)}.')
    checked = {
        "source": ends["source"],
        "target": ends["target"],
        "relation": relation,
        "rationale": _check_text(item, "rationale", path, problems),
        **_check_moderated(item, path, problems),
    }
    return {**checked, **_check_other_plain_fields(records.LINK, item, path, problems, checked)}


def _validate_links(doc, known: Known, plan: Plan, problems: Problems, claim_ids: set[str]) -> None:
    ids, final = _validate_items(
        doc,
        known,
        plan,
        problems,
        section_name="links",
        noun="link",
        keys=records.LINK.keys,
        record_of=lambda item, path: _link_record(item, path, problems, claim_ids),
    )
    _one_live_link_per_pair(doc.paths["links"], ids, final, known, problems)


def _one_live_link_per_pair(section: str, ids: dict[str, int], final: dict, known: Known, problems: Problems) -> None:
    """Two claims carry at most one live link once the file is written, whatever its relation and direction."""
    holders = {pair: held for pair, held in known.live_links.items() if held[0] not in final}
    for link_id, (path, record) in final.items():
        if record["deleted_at"] is not None or record["status"] == Status.REJECTED:
            continue
        pair = frozenset((record["source"], record["target"]))
        holder = holders.setdefault(pair, (link_id, record["source"], record["relation"]))
        if holder[0] != link_id:
            where = f"{section}[{ids[holder[0]]}]" if holder[0] in ids else f"the stored link {holder[0]}"
            problems.add(
                path,
                f"These claims are already linked by {where} ({holder[2]}): two claims carry at most one live link. "
                "Change that link's relation, or delete or reject one of them.",
            )
