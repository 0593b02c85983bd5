"""orgtree's row problems in the catalogue's words. orgtree's import speaks English (its API does); each message it
can produce (bulk/columns.py, bulk/tree.py, bulk/importers/*.py and the member and household rules they call) is
matched here by a pattern whose named groups carry the values it quotes (a cell's text, a row number, the allowed
labels, a range), and rendered as a catalogue message with those values in place, as they came from the sheet.
A message without a pattern is shown as it came (the page marks it ``lang="en"``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from services.console.i18n import N_

Gettext = Callable[[str], str]

_PATTERNS: tuple[tuple[str, str], ...] = (
    # cells (orgtree bulk/columns.py, importers/frame.py)
    (r"required", N_("required")),
    (r"longer than (?P<n>\d+) characters", N_("longer than %(n)s characters")),
    (r"'(?P<value>.*)' is not one of: (?P<allowed>.*)", N_("'%(value)s' is not one of: %(allowed)s")),
    (r"unknown values (?P<values>.*); allowed: (?P<allowed>.*)", N_("unknown values %(values)s; allowed: %(allowed)s")),
    (r"'(?P<value>.*)' is not a date \(use 2024-05-01\)", N_("'%(value)s' is not a date (use 2024-05-01)")),
    (r"'(?P<value>.*)' is not a real date", N_("'%(value)s' is not a real date")),
    (r"lies in the future", N_("lies in the future")),
    (r"'(?P<value>.*)' is neither 是 nor 否", N_("'%(value)s' is neither 是 nor 否")),
    (
        r"stored as a number with decimals; format the column as text",
        N_("stored as a number with decimals; format the column as text"),
    ),
    (
        r"stored as a number, which Excel rounds to 15 digits; format the column as text",
        N_("stored as a number, which Excel rounds to 15 digits; format the column as text"),
    ),
    # the header row and the file (importers/frame.py)
    (
        r"unknown column; this sheet's columns are: (?P<columns>.*)",
        N_("unknown column; this sheet's columns are: %(columns)s"),
    ),
    (r"the column appears twice", N_("the column appears twice")),
    (r"required column is missing", N_("required column is missing")),
    (r"a file holds at most (?P<n>\d+) rows; split it", N_("a file holds at most %(n)s rows; split it")),
    (r"the file has a header row but no data rows", N_("the file has a header row but no data rows")),
    (
        r"line (?P<line>\d+) of the \.csv file is malformed: (?P<reason>.*)",
        N_("line %(line)s of the .csv file is malformed: %(reason)s"),
    ),
    # units named by their name path (bulk/tree.py, importers/frame.py level_kind)
    (r"no unit '(?P<path>.*)' in the administrative tree", N_("no unit '%(path)s' in the administrative tree")),
    (r"no unit '(?P<path>.*)' in the party tree", N_("no unit '%(path)s' in the party tree")),
    (
        r"the administrative tree's root is outside your scope",
        N_("the administrative tree's root is outside your scope"),
    ),
    (r"the party tree's root is outside your scope", N_("the party tree's root is outside your scope")),
    (
        r"'(?P<path>.*)' is ambiguous: (?P<n>\d+) units named '(?P<name>.*)' hang there",
        N_("'%(path)s' is ambiguous: %(n)s units named '%(name)s' hang there"),
    ),
    (
        r"'(?P<unit>.*)' is a (?P<label>.*) \((?P<level>[^()]*)\), not a grid",
        N_("'%(unit)s' is a %(label)s (%(level)s), not a grid"),
    ),
    (
        r"'(?P<unit>.*)' is a (?P<label>.*) \((?P<level>[^()]*)\), not a unit that holds members",
        N_("'%(unit)s' is a %(label)s (%(level)s), not a unit that holds members"),
    ),
    # units (importers/units.py, levels' check_child)
    (
        r"only party units name an administrative counterpart",
        N_("only party units name an administrative counterpart"),
    ),
    (r"a '(?P<child>.*)' cannot hang under a '(?P<parent>.*)'", N_("a '%(child)s' cannot hang under a '%(parent)s'")),
    (
        r"only grids record how they were formed; '(?P<level>.*)' is not a grid",
        N_("only grids record how they were formed; '%(level)s' is not a grid"),
    ),
    (r"row (?P<row>\d+) adds the same unit", N_("row %(row)s adds the same unit")),
    (
        r"a unit of this name already hangs there as a (?P<level>.*)",
        N_("a unit of this name already hangs there as a %(level)s"),
    ),
    # households (importers/households.py, households' check_household_fields)
    (
        r"row (?P<row>\d+) has the same household in the same grid",
        N_("row %(row)s has the same household in the same grid"),
    ),
    (r"this grid already has a household with this label", N_("this grid already has a household with this label")),
    (r"a plaque issue date needs a plaque", N_("a plaque issue date needs a plaque")),
    (
        r"not a mainland mobile number \(11 digits starting 13-19\)",
        N_("not a mainland mobile number (11 digits starting 13-19)"),
    ),
    # members (importers/members.py, members' check_member_fields)
    (
        r"not a valid 18-character resident ID number \(GB 11643 check character or birth date wrong\)",
        N_("not a valid 18-character resident ID number (GB 11643 check character or birth date wrong)"),
    ),
    (r"the same ID number as row (?P<row>\d+)", N_("the same ID number as row %(row)s")),
    (
        r"a member with this ID number is already registered in this district",
        N_("a member with this ID number is already registered in this district"),
    ),
    (
        r"'(?P<value>.*)' is not in this district's post catalogue: (?P<allowed>.*)",
        N_("'%(value)s' is not in this district's post catalogue: %(allowed)s"),
    ),
    (
        r"a post and how it was claimed go together \(both or neither\)",
        N_("a post and how it was claimed go together (both or neither)"),
    ),
    # red-cell links (importers/links.py)
    (r"no member with this ID number", N_("no member with this ID number")),
    (
        r"does not match the name of the member with this ID number",
        N_("does not match the name of the member with this ID number"),
    ),
    (r"no household '(?P<label>.*)' in this grid", N_("no household '%(label)s' in this grid")),
    (r"this member already serves this household", N_("this member already serves this household")),
    (r"the same link as row (?P<row>\d+)", N_("the same link as row %(row)s")),
    (
        r"this member would serve more than (?P<most>\d+) households "
        r"\(this district's range is (?P<low>\d+)-(?P<high>\d+)\)",
        N_("this member would serve more than %(most)s households (this district's range is %(low)s-%(high)s)"),
    ),
    (
        r"this member would serve only (?P<n>\d+) households \(this district's range is (?P<low>\d+)-(?P<high>\d+)\)",
        N_("this member would serve only %(n)s households (this district's range is %(low)s-%(high)s)"),
    ),
)
# a job's outcome as a whole, when no row is to blame (bulk/formats.py, bulk/stalls.py)
_JOB_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        r"the sheet cannot be read after row (?P<row>\d+) \((?P<kind>[^()]*)\)",
        N_("the sheet cannot be read after row %(row)s (%(kind)s): it may be damaged; save it again as .xlsx"),
    ),
    (
        r"the import stopped: its progress has not changed for (?P<n>\d+) minutes; import the file again",
        N_("the import stopped: its progress has not changed for %(n)s minutes; import the file again"),
    ),
)
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.DOTALL), m) for p, m in _PATTERNS)
JOB_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.DOTALL), m) for p, m in _JOB_PATTERNS)


@dataclass(frozen=True)
class Problem:
    """One problem in words: ``known`` is False for a message no pattern matched (shown in English, as it came)."""

    words: str
    known: bool


def explain(message: str, gettext: Gettext) -> Problem:
    """orgtree's message in the catalogue's words, the values it quotes in place."""
    for pattern, catalogue_id in (*PATTERNS, *JOB_PATTERNS):
        found = pattern.fullmatch(message)
        if found is not None:
            return Problem(gettext(catalogue_id) % found.groupdict(), known=True)
    return Problem(message, known=False)
