from django import forms

from claims.forms import WebAddressInput

from . import extract, limits


class SourceTextForm(forms.Form):
    """A source's full text: pasted, or from an uploaded text, HTML or PDF file."""

    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}), strip=False,
        max_length=limits.MAX_TEXT_CHARACTERS + 10_000,
        error_messages={"max_length": f"The limit is {limits.MAX_TEXT_CHARACTERS:,} characters."},
        label="Paste the text", help_text="The article as published; it is never shown on public pages.",
    )
    upload = forms.FileField(required=False, label="…or upload a file",
                             help_text="Plain text, HTML or PDF, up to 1 MB.")

    url = forms.URLField(required=False, assume_scheme="https", label="…or fetch it from its address",
                         widget=WebAddressInput,
                         help_text="e.g. https://example.org/2025/10/lavrov: the page's main text is kept.")

    def clean(self):
        cleaned = super().clean()
        upload, text, url = cleaned.get("upload"), cleaned.get("text", ""), cleaned.get("url")
        if self.errors:
            return cleaned
        try:
            if url and not upload and not text.strip():
                cleaned["text"] = extract.from_url(url)
            elif upload:
                if upload.size > limits.MAX_UPLOAD_BYTES:
                    raise extract.IntakeError(f"The file is {upload.size / 1e6:.1f} MB; the limit is "
                                              f"{limits.MAX_UPLOAD_BYTES / 1e6:.0f} MB.")
                cleaned["text"] = extract.from_upload(upload.read(), name=upload.name,
                                                      content_type=upload.content_type or "")
            else:
                cleaned["text"] = extract.clean_text(text)
        except extract.IntakeError as exc:
            self.add_error("upload" if upload else "url" if url and not text.strip() else "text", str(exc))
        return cleaned
