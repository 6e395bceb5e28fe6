"""Personal data in stored text: Danish CPR numbers (DDMMYY-XXXX) are masked at ingest.

The mask keeps the length, so offsets computed before masking stay valid.
"""

from __future__ import annotations

import re

# Day, month, two-digit year, then four digits; a hyphen or a space may separate them.
_CPR = re.compile(r"(?<![\d-])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(\d{2})([- ]?)(\d{4})(?![\d-])")
MASK = "X"


def mask_cpr(text: str) -> tuple[str, int]:
    """The text with every CPR-shaped number masked, and how many there were."""
    count = 0

    def masked(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return MASK * 6 + match.group(4) + MASK * 4

    return _CPR.sub(masked, text), count
