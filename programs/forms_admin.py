"""Admin-only forms: the exercise CSV upload."""

from django import forms

MAX_UPLOAD_BYTES = 512 * 1024


class ExerciseImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "UTF-8 CSV with a header row, as the export writes it. A name that exists "
            "(ignoring case) updates that exercise; one bad row imports nothing. "
            f"At most {MAX_UPLOAD_BYTES // 1024} KB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB; at most {MAX_UPLOAD_BYTES // 1024} KB."
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”."
            ) from None
