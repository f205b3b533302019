"""The exercise library as CSV: export for a spreadsheet, import all-or-nothing.

Columns are `library_data.EXERCISE_FIELDS`. A row whose name matches an existing exercise
(ignoring case) updates it; any other row creates one. Every row is validated against the
model, constraints included, before anything is written: one bad row imports nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction

from web.spreadsheet import FORMULA_STARTS, spreadsheet_safe

from .library_data import EXERCISE_FIELDS
from .models import Exercise

TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0", ""}
MAX_ROWS = 2000


@dataclass
class ImportResult:
    created: list[Exercise] = field(default_factory=list)
    updated: list[Exercise] = field(default_factory=list)
    unchanged: list[Exercise] = field(default_factory=list)


def _cell_out(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return spreadsheet_safe(value)


def _cell_in(text: str) -> str:
    text = text.strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def exercises_csv(exercises) -> str:
    """The exercises as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXERCISE_FIELDS)
    for exercise in exercises:
        writer.writerow([_cell_out(getattr(exercise, name)) for name in EXERCISE_FIELDS])
    return out.getvalue()


def _parse_bool(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError({"is_unilateral": f"“{text}” is not yes/no (use true or false)."})


def _delimiter(text: str) -> str:
    """Commas, or the semicolons or tabs some spreadsheets save "CSV" with, read off the header."""
    header = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _rows(text: str):
    """(line number, cells by column) for each non-empty row, cells None when the row is too
    long; a bad header is refused before any row, and a cell too long to read where it is."""
    # newline="" as the csv module asks: a line ends at \r\n, \n or a lone \r.
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
        if "name" not in header:
            raise ValidationError("The first row must be a header with at least a “name” column.")
        unknown = [name for name in header if name and name not in EXERCISE_FIELDS]
        if unknown:
            raise ValidationError(
                f"Unknown column(s): {', '.join(unknown)}. Known: {', '.join(EXERCISE_FIELDS)}."
            )
        reader.fieldnames = header
        for count, row in enumerate(reader, start=1):
            if count > MAX_ROWS:
                raise ValidationError(f"At most {MAX_ROWS} exercises per file.")
            if None in row:
                yield reader.line_num, None
            elif any((value or "").strip() for value in row.values()):
                cells = {name: _cell_in(value or "") for name, value in row.items() if name}
                yield reader.line_num, cells
    except csv.Error as error:  # the one error csv raises on text read this way
        raise ValidationError(  # raised before it counts the line it was reading
            f"Row {reader.line_num + 1}: a cell holds more than {csv.field_size_limit():,} "
            "characters, more than any exercise needs."
        ) from error


def _row_exercise(values: dict, existing: dict[str, Exercise]) -> tuple[Exercise, bool]:
    """The exercise a row describes, changed in memory but not saved, and whether it changed.
    Its cells are checked as the admin's forms check text (no null characters) first: the
    database refuses what they refuse."""
    no_null = ProhibitNullCharactersValidator()
    null_cells = {}
    for name, value in values.items():
        try:
            no_null(value)
        except ValidationError as error:
            null_cells[name] = error.messages
    if null_cells:
        raise ValidationError(null_cells)
    exercise = existing.get(values["name"].lower()) or Exercise()
    before = {name: getattr(exercise, name) for name in EXERCISE_FIELDS}
    for name, value in values.items():
        setattr(exercise, name, _parse_bool(value) if name == "is_unilateral" else value)
    exercise.full_clean()
    changed = exercise.pk is None or before != {n: getattr(exercise, n) for n in EXERCISE_FIELDS}
    return exercise, changed


def _row_error_text(error: ValidationError) -> str:
    """ "category: Value 'legs' is not a valid choice. Use one of: strength, power, …"."""
    parts = []
    for name, messages in error.message_dict.items():
        text = " ".join(messages)
        if name == "__all__":
            parts.append(text)
            continue
        choices = Exercise._meta.get_field(name).choices
        if choices and "valid choice" in text:
            text += f" Use one of: {', '.join(value for value, _ in choices)}."
        parts.append(f"{name}: {text}")
    return "; ".join(parts)


@transaction.atomic(durable=True)
def exercises_import_csv(text: str) -> ImportResult:
    """Create or update exercises from CSV text, all or nothing.

    Raises ValidationError with one message per bad row ("Row 4: category: …") and writes
    nothing when any row is bad.
    """
    existing = {e.name.lower(): e for e in Exercise.objects.select_for_update()}
    errors, to_save, seen = [], [], {}
    result = ImportResult()
    for line, values in _rows(text):
        if values is None:
            errors.append(f"Row {line}: more cells than the header has columns.")
            continue
        key = values.get("name", "").lower()
        if key and key in seen:
            errors.append(f"Row {line}: “{values['name']}” is already on row {seen[key]}.")
            continue
        seen[key] = line
        try:
            exercise, changed = _row_exercise(values, existing)
        except ValidationError as error:
            errors.append(f"Row {line}: {_row_error_text(error)}")
            continue
        if exercise.pk is None:
            result.created.append(exercise)
        elif changed:
            result.updated.append(exercise)
        else:
            result.unchanged.append(exercise)
        if changed:
            to_save.append(exercise)
    if errors:
        raise ValidationError(errors)
    if not seen:
        raise ValidationError("The file has a header but no exercises.")
    for exercise in to_save:
        exercise.save()
    return result
