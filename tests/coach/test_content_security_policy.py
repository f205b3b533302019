"""The Content-Security-Policy allows only our own files: no template may rely on inline code."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
INLINE = {
    "inline <script> body": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "on* event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on handler": re.compile(r"\shx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_use_no_inline_code_the_policy_would_block(template):
    text = template.read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.name}: {', '.join(found)} — move it to static/js or static/css"


def test_pages_are_served_with_a_policy_that_forbids_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
