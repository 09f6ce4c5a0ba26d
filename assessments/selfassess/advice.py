"""What an employee is told at once after a red-flag answer, in plain words (NHS advice for
the signs of cauda equina syndrome and for the other red flags)."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

EMERGENCY_HEADING: Final = _("Go to an emergency department now")
EMERGENCY_ADVICE: Final = _(
    "Your answers include signs that need checking in hospital straight away: numbness "
    "around your bottom or genitals, new bladder or bowel problems, or weakness in both "
    "legs. Go to an emergency department (A&E) now, or call 999 if you cannot get there. "
    "Do not wait for an appointment or for occupational health to contact you."
)
URGENT_HEADING: Final = _("Contact your GP today")
URGENT_ADVICE: Final = _(
    "One or more of your answers needs a doctor's check soon. Contact your GP surgery "
    "today, or call NHS 111 if the surgery is closed, and tell them about your back pain "
    "and this answer. If you suddenly get numbness around your bottom or genitals, "
    "bladder or bowel problems, or weakness in both legs, go to an emergency department "
    "straight away."
)
OH_TOLD: Final = _(
    "Occupational health has been told and will contact you. You can carry on with the "
    "questions afterwards; your answers are saved."
)
