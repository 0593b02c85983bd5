"""The bulk pages' words: the kinds of sheet, a job's states, and orgtree's refusals of a file in the catalogue's
words (``file_refusal``)."""

from __future__ import annotations

from services.console.i18n import N_

IMPORTERS = ("district_admin", "street_admin", "community_cadre")  # orgtree's bulk/controllers.py
EXPORTERS = (*IMPORTERS, "grid_leader")
KINDS = {
    "units": N_("Units (both trees)"),
    "members": N_("Party members"),
    "households": N_("Households"),
    "links": N_("Red-cell links (member → household)"),
}
STATES = {
    "queued": N_("Waiting for its turn"),
    "checking": N_("Checking every row"),
    "storing": N_("Storing the rows"),
    "succeeded": N_("Imported"),
    "failed": N_("Not imported: nothing was stored"),
}
TABLES = {
    "units": N_("units"),
    "members": N_("members"),
    "membershipTransfers": N_("membership records"),
    "households": N_("households"),
    "links": N_("red-cell links"),
}
MAX_FILE_BYTES = 64 * 1024 * 1024  # orgtree's MAX_IMPORT_BYTES
CHOOSE_KIND = N_("Choose what the sheet holds.")
CHOOSE_FILE = N_("Choose the .xlsx or .csv file to import.")
TOO_LARGE = N_("The file is larger than 64 MB: split it into several files.")
NOT_A_SHEET = N_("This is not a spreadsheet: choose an .xlsx workbook or a .csv file.")
UNREADABLE = N_("The workbook cannot be read: it may be damaged. Save it again as .xlsx.")
LEGACY_XLS = N_("Old .xls workbooks are not read: save the sheet as .xlsx or .csv.")
NOT_TEXT = N_("A .csv file must be UTF-8 or GB18030 text.")
EMPTY = N_("The file is empty.")
# orgtree's messages about a file as a whole (bulk/formats.py), by how they begin
_FILE_REFUSALS = (
    ("not a spreadsheet", NOT_A_SHEET),
    ("not a readable", UNREADABLE),
    ("legacy .xls", LEGACY_XLS),
    ("a .csv file must be", NOT_TEXT),
    ("the request body is empty", EMPTY),
    ("request body exceeds", TOO_LARGE),
)


def file_refusal(message: str) -> str:
    """The catalogue id for orgtree's refusal of a file (its message, or its 413's detail)."""
    for start, words in _FILE_REFUSALS:
        if message.startswith(start):
            return words
    return NOT_A_SHEET
