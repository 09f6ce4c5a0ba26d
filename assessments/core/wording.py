"""English wording of numbers in sentences people read."""

from __future__ import annotations


def indefinite_article(number: str) -> str:
    """The article before a number as it is read aloud: an 8.0 h day, an 11 kg box,
    a 7.5 h day, a 100 m walk."""
    whole = number.strip().lstrip("+-").split(".")[0].replace(",", "")
    if not whole.isdigit():
        return "a"
    lead = int(whole)
    while lead >= 1000:  # 18,000 reads "eighteen thousand"
        lead //= 1000
    if lead >= 100:  # 800 reads "eight hundred"
        return "an" if lead // 100 == 8 else "a"
    return "an" if lead in (8, 11, 18) or 80 <= lead <= 89 else "a"
