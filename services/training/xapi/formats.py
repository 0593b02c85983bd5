"""A stored statement in the format a client asked for (``format=exact|ids|canonical``)."""

from __future__ import annotations

import copy
from typing import Any

ACTIVITY_MAPS = ("name", "description")


def _ids_of_activity(activity: dict[str, Any]) -> dict[str, Any]:
    return {"objectType": activity.get("objectType", "Activity"), "id": activity["id"]}


def ids(statement: dict[str, Any]) -> dict[str, Any]:
    """Agents, verbs and activities by their identifiers only (agents here carry nothing else anyway)."""
    shown = copy.deepcopy(statement)
    shown["verb"] = {"id": statement["verb"]["id"]}
    shown["object"] = _ids_of_activity(statement["object"])
    groups = shown.get("context", {}).get("contextActivities", {})
    for name, activities in groups.items():
        groups[name] = [_ids_of_activity(activity) for activity in activities]
    return shown


def preferred(accept_language: str | None) -> list[str]:
    """Accept-Language's tags, best first (``zh-CN,zh;q=0.9,en;q=0.8``)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, weight = part.strip().partition(";q=")
        if not tag or tag == "*":
            continue
        try:
            ranked.append((-float(weight or 1), position, tag.lower()))
        except ValueError:
            continue
    return [tag for _, _, tag in sorted(ranked)]


def _one_language(language_map: dict[str, str], wanted: list[str]) -> dict[str, str]:
    by_tag = {tag.lower(): tag for tag in language_map}
    for tag in wanted:
        for candidate in (tag, tag.split("-")[0]):
            match = by_tag.get(candidate) or next(
                (t for low, t in by_tag.items() if low.split("-")[0] == candidate), None
            )
            if match:
                return {match: language_map[match]}
    first = next(iter(language_map), None)
    return {first: language_map[first]} if first else {}


def canonical(statement: dict[str, Any], accept_language: str | None) -> dict[str, Any]:
    """Each language map reduced to the one language the client prefers (else the first there is)."""
    wanted = preferred(accept_language)
    shown = copy.deepcopy(statement)
    shown["verb"]["display"] = _one_language(shown["verb"].get("display", {}), wanted)
    activities = [shown["object"]]
    for group in shown.get("context", {}).get("contextActivities", {}).values():
        activities.extend(group)
    for activity in activities:
        definition = activity.get("definition", {})
        for name in ACTIVITY_MAPS:
            if name in definition:
                definition[name] = _one_language(definition[name], wanted)
    return shown


def shown(statement: dict[str, Any], form: str, accept_language: str | None) -> dict[str, Any]:
    if form == "ids":
        return ids(statement)
    if form == "canonical":
        return canonical(statement, accept_language)
    return statement
