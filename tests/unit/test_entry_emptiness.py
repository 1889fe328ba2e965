"""What "empty" means for a section entry: nothing written in any field. The reason
for a mark and 具体的な取り組み are written fields too (an entry holding only one of
them was shown ○ in the navigator and left out of the backup preview's count)."""

from __future__ import annotations

import pytest

from desktop.domain.model import SectionEntry
from desktop.domain.report_order import is_entered


@pytest.mark.parametrize(
    "field, value",
    [
        ("status_text", "実施した"),
        ("mark", "○"),
        ("mark_reason", "計画どおり"),
        ("next_steps", "続ける"),
        ("actions", "訪問 12 回"),
    ],
)
def test_any_written_field_makes_an_entry_not_empty(field, value):
    entry = SectionEntry("1.1", **{field: value})
    assert not entry.is_empty
    # Complete is another rule (実施状況 and a mark): one field alone never is.
    assert not is_entered(entry)


def test_blank_fields_are_empty():
    assert SectionEntry("1.1").is_empty
    assert SectionEntry("1.1", status_text=" \n", mark_reason="\u3000", actions="\t").is_empty
