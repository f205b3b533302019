"""Cells for CSV files people open in a spreadsheet."""

# A spreadsheet runs a cell that starts with one of these as a formula; an export quotes it
# with an apostrophe (as spreadsheets themselves do), and an import takes the apostrophe off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """`value` as a CSV cell a spreadsheet shows and never runs ("" for None)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
