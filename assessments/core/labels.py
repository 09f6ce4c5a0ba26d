"""Words people read for the scoring options, in the terms of each method's score sheet."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CHOICE_LABELS = {
    "seat_height": {
        "knees_90": _("Knees at about 90°"),
        "too_low": _("Too low: knee angle below 90°"),
        "too_high": _("Too high: knee angle above 90°"),
        "no_foot_contact": _("Feet do not reach the floor"),
    },
    "seat_depth": {
        "ok": _("About 8 cm (3 in) between the seat front and the back of the knee"),
        "too_long": _("Too long: less than 8 cm (3 in) behind the knee"),
        "too_short": _("Too short: more than 8 cm (3 in) behind the knee"),
    },
    "armrests": {
        "supported": _("Elbows supported in line with the shoulders, shoulders relaxed"),
        "too_high": _("Too high: shoulders shrugged"),
        "too_low_or_none": _("Too low or none: arms unsupported"),
    },
    "back_support": {
        "adequate": _("Lumbar support, chair reclined 95–110°"),
        "no_lumbar": _("No lumbar support, or not in the small of the back"),
        "recline_out_of_range": _("Reclined beyond 110° or more upright than 95°"),
        "none_or_leaning": _("No back support (e.g. a stool), or leaning forward"),
    },
    "monitor": {
        "eye_level": _("Arm's length (40–75 cm), top of screen at eye level"),
        "too_low": _("Too low: looking down more than 30°"),
        "too_high": _("Too high: neck extended"),
    },
    "phone": {
        "neutral": _("Headset, or one hand on the phone with a neutral neck"),
        "too_far": _("Too far: reaching more than 30 cm"),
    },
    "mouse": {
        "in_line": _("In line with the shoulder"),
        "reaching": _("Reaching to the mouse"),
    },
    "keyboard": {
        "neutral": _("Wrists straight, shoulders relaxed"),
        "wrists_extended": _("Wrists extended more than 15°"),
    },
    "duration": {
        "short": _("Short: up to 1 h, then recovery at least as long"),
        "moderate": _("Moderate: 1–2 h, then recovery of at least 0.3 × the work time"),
        "long": _("Long: 2–8 h with normal breaks"),
    },
    "coupling": {
        "good": _("Good: handles or hand-hold cut-outs on an optimal container"),
        "fair": _("Fair: fingers can be flexed about 90° under the container"),
        "poor": _("Poor: no handles, fingers not flexed, or a bulky or loose object"),
    },
}
