"""The sources behind the recommendation catalogue, and what each says, in its own words.

Each :class:`Source` holds the claims (:class:`Claim`) the catalogue relies on: the outcome a
claim speaks to, the certainty the source gives it (as an enumeration, :class:`Certainty`,
and in the source's own words), the effect, and how the claim was checked (:class:`Mark`, as
in the project's evidence notes: read in the source itself, or through a named secondary
source). A catalogue entry cites a claim by source and claim key and states its certainty;
``tests/scoring/test_catalogue.py`` fails when that certainty is not one the claim gives, or
when a claim was never checked.

Pure data: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = [
    "SOURCES",
    "Certainty",
    "Claim",
    "Mark",
    "Outcome",
    "Source",
]


class Certainty(StrEnum):
    """How sure the evidence is, as the source states it. GRADE's four levels, then two that
    are not an effect estimate at all."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very low"
    CONSENSUS = "consensus or regulation"
    """A guideline's recommendation, a legal duty, a standard or a published method: what to
    do, not a measured effect."""
    NOT_GRADED = "not graded"
    """The source gives no certainty grade (observational, laboratory or mostly
    non-randomised studies)."""

    @property
    def rank(self) -> int:
        """0 for high ... 5 for not graded: stronger evidence ranks first."""
        return _CERTAINTY_ORDER.index(self)

    @property
    def plain(self) -> str:
        """The certainty in plain words for a manager."""
        return _PLAIN[self]


_CERTAINTY_ORDER: Final = (
    Certainty.HIGH,
    Certainty.MODERATE,
    Certainty.LOW,
    Certainty.VERY_LOW,
    Certainty.CONSENSUS,
    Certainty.NOT_GRADED,
)

_PLAIN: Final[Mapping[Certainty, str]] = MappingProxyType(
    {
        Certainty.HIGH: "strong evidence that it helps",
        Certainty.MODERATE: "moderate evidence that it helps",
        Certainty.LOW: "limited evidence that it helps",
        Certainty.VERY_LOW: "very limited evidence that it helps",
        Certainty.CONSENSUS: "required or advised by regulation or guidance",
        Certainty.NOT_GRADED: "supported by studies without a certainty grade",
    }
)


class Outcome(StrEnum):
    """What the evidence measured."""

    EPISODES = "back pain episodes"
    PAIN = "pain or discomfort"
    SITTING = "sitting time"
    EXPOSURE = "exposure"
    """The method score (lifting index, ROSA) or posture, not a health outcome."""
    INJURY = "injury rate"
    WORK_ABSENCE = "sick leave"
    DISABILITY = "disability"
    HEALTH = "general health"
    RISK_FACTOR = "risk factor"
    """An association with back pain, not the effect of a measure."""


class Mark(StrEnum):
    """How a claim was checked (the project's evidence notes)."""

    VERIFIED = "V"
    """Read in the source itself."""
    SECONDARY = "S"
    """Read in a named secondary source."""
    UNVERIFIED = "U"
    """From memory: never shown to users."""
    CITED = "cited"
    """A regulation, standard, guideline or published method the documentation cites by
    name; what it requires, not an effect estimate."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One thing a source says."""

    outcome: Outcome
    certainties: frozenset[Certainty]
    """The certainty the source gives (a range such as "low to very low" gives both)."""
    words: str
    """The certainty in the source's own words."""
    summary: str
    """What it found, in a few plain words, with the figure where there is one."""
    mark: Mark
    effective: bool = True
    """False where the source found no effect."""


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    short: str
    """Author and year, or the document's short name ("Steffens 2016", "NICE NG59")."""
    kind: str
    """"systematic review", "guideline", "regulation", ..."""
    citation: str
    claims: Mapping[str, Claim]


def _source(key: str, short: str, kind: str, citation: str, **claims: Claim) -> tuple[str, Source]:
    return key, Source(key, short, kind, citation, MappingProxyType(claims))


_M, _L, _VL = Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW
_C, _NG = Certainty.CONSENSUS, Certainty.NOT_GRADED

SOURCES: Final[Mapping[str, Source]] = MappingProxyType(
    dict(
        [
            _source(
                "steffens2016",
                "Steffens 2016",
                "systematic review",
                "Steffens D, Maher CG, Pereira LSM, et al. Prevention of low back pain: a "
                "systematic review and meta-analysis. JAMA Intern Med 2016;176(2):199-208 "
                "(21 RCTs, 30,850 participants).",
                exercise_with_education=Claim(
                    Outcome.EPISODES,
                    frozenset({_M}),
                    "moderate-quality evidence",
                    "exercise with education reduced new episodes of low back pain "
                    "(RR 0.55, 0.41-0.74)",
                    Mark.VERIFIED,
                ),
                exercise_alone=Claim(
                    Outcome.EPISODES,
                    frozenset({_L, _VL}),
                    "low- to very low-quality evidence",
                    "exercise alone reduced new episodes (RR 0.65, 0.50-0.86)",
                    Mark.VERIFIED,
                ),
                education_alone=Claim(
                    Outcome.EPISODES,
                    frozenset({_M, _L, _VL}),
                    "moderate- to very low-quality evidence of no effect",
                    "education alone did not reduce episodes (RR 1.03, 0.83-1.27)",
                    Mark.VERIFIED,
                    effective=False,
                ),
            ),
            _source(
                "stock2018",
                "Stock 2018",
                "systematic review",
                "Stock SR, Nicolakakis N, Vezina N, et al. Are work organization interventions "
                "effective in preventing or reducing work-related musculoskeletal disorders? "
                "Scand J Work Environ Health 2018;44(2):113-133.",
                supplementary_breaks=Claim(
                    Outcome.PAIN,
                    frozenset({_M}),
                    "moderate evidence",
                    "supplementary breaks reduced musculoskeletal symptoms",
                    Mark.VERIFIED,
                ),
            ),
            _source(
                "shrestha2016",
                "Shrestha 2016",
                "systematic review",
                "Shrestha N, Kukkonen-Harjula KT, Verbeek JH, et al. Workplace interventions "
                "for reducing sitting at work. Cochrane Database Syst Rev 2016 (CD010912), as "
                "reported in the Wiley/Cochrane release.",
                sit_stand_sitting=Claim(
                    Outcome.SITTING,
                    frozenset({_L, _VL}),
                    "very low- to low-quality evidence",
                    "sit-stand desks cut sitting at work by 30 min to 2 h a day; an effect "
                    "on back pain has not been shown",
                    Mark.SECONDARY,
                ),
            ),
            _source(
                "driessen2010",
                "Driessen 2010",
                "systematic review",
                "Driessen MT, Proper KI, van Tulder MW, et al. The effectiveness of physical "
                "and organisational ergonomic interventions on low back pain and neck pain: a "
                "systematic review. Occup Environ Med 2010;67:277-285.",
                ergonomics_no_effect=Claim(
                    Outcome.EPISODES,
                    frozenset({_L, _M}),
                    "low to moderate quality evidence",
                    "workstation and other ergonomic changes were no better than none for "
                    "back pain",
                    Mark.VERIFIED,
                    effective=False,
                ),
            ),
            _source(
                "dse1992",
                "DSE Regulations",
                "regulation",
                "Health and Safety (Display Screen Equipment) Regulations 1992, Schedule "
                "(minimum requirements for workstations) and regulation 4 (daily work routine).",
                workstation_minimum=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "legal minimum requirement",
                    "the workstation must meet the Schedule's minimum requirements",
                    Mark.CITED,
                ),
            ),
            _source(
                "rosa2012",
                "ROSA",
                "published method",
                "Sonne M, Villalta DL, Andrews DM. Development and evaluation of an office "
                "ergonomic risk checklist: ROSA. Applied Ergonomics 2012;43(1):98-108.",
                rosa_points=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "published method",
                    "each finding adds points to the ROSA score",
                    Mark.CITED,
                ),
            ),
            _source(
                "buckley2015",
                "Buckley 2015",
                "expert statement",
                "Buckley JP, Hedge A, Yates T, et al. The sedentary office: an expert "
                "statement on the growing case for change towards better health and "
                "productivity. Br J Sports Med 2015;49:1357-1362.",
                standing_goal=Claim(
                    Outcome.SITTING,
                    frozenset({_C}),
                    "expert statement",
                    "build up to 2 h, then 4 h, of standing and light activity at work",
                    Mark.CITED,
                ),
            ),
            _source(
                "hse_driving",
                "HSE driving for work",
                "guidance",
                "HSE INDG382, Driving at work: managing work-related road safety; HSE guidance "
                "on driving for work.",
                driving_guidance=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "regulator's guidance",
                    "plan journeys with breaks and set up the vehicle for the driver",
                    Mark.CITED,
                ),
            ),
            _source(
                "baradaran2021",
                "Baradaran Mahdavi 2021",
                "meta-analysis of observational studies",
                "Baradaran Mahdavi S, Riahi R, Vahdatpour B, Kelishadi R. Association between "
                "sedentary behavior and low back pain; a systematic review and meta-analysis. "
                "Health Promot Perspect 2021;11(4):393-410.",
                driving_time=Claim(
                    Outcome.RISK_FACTOR,
                    frozenset({_NG}),
                    "mainly cross-sectional studies",
                    "driving time is linked with low back pain (OR 2.03)",
                    Mark.CITED,
                ),
            ),
            _source(
                "niosh94_110",
                "NIOSH 94-110",
                "published method",
                "Waters TR, Putz-Anderson V, Garg A. Applications Manual for the Revised NIOSH "
                "Lifting Equation. DHHS (NIOSH) Publication No. 94-110 (revised 2021).",
                lifting_index=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "exposure standard",
                    "the change lowers the lifting index; no trial shows that a lower index "
                    "prevents back pain",
                    Mark.SECONDARY,
                ),
                out_of_scope=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "published method",
                    "the equation does not apply to this task as observed",
                    Mark.SECONDARY,
                ),
            ),
            _source(
                "hse_l23",
                "HSE L23",
                "regulation",
                "Manual Handling Operations Regulations 1992, regulation 4, with HSE guidance "
                "L23 (avoid manual handling where reasonably practicable; otherwise assess and "
                "reduce the risk, with mechanical aids where practicable).",
                avoid_then_reduce=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "legal duty",
                    "avoid hazardous manual handling, then reduce it",
                    Mark.SECONDARY,
                ),
            ),
            _source(
                "kuijer2014",
                "Kuijer 2014",
                "guideline",
                "Kuijer PPFM, Verbeek JH, Visser B, et al. An evidence-based multidisciplinary "
                "practice guideline to reduce the workload due to lifting for preventing "
                "work-related low back pain. Ann Occup Environ Med 2014;26:16.",
                heavy_loads=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "practice guideline",
                    "loads over 25 kg are always a risk",
                    Mark.CITED,
                ),
            ),
            _source(
                "richarz2023",
                "Richarz 2023",
                "systematic review",
                "Richarz HU, Tamayo A, Rahmig J, Siepmann T, Barlinn J. The impact of "
                "mechanical devices for lifting and transferring of patients on low back pain "
                "and musculoskeletal injury in health care personnel. J Occup Health 2023 "
                "(doi 10.1002/1348-9585.12423).",
                lift_assists=Claim(
                    Outcome.INJURY,
                    frozenset({_NG}),
                    "mostly non-randomised studies",
                    "mechanical lift assists reduced musculoskeletal injury rates",
                    Mark.VERIFIED,
                ),
            ),
            _source(
                "job_rotation_review",
                "job rotation review 2015",
                "systematic review",
                "Effects of job rotation on musculoskeletal complaints and related work "
                "exposures: a systematic literature review. Ergonomics (2015).",
                inconsistent=Claim(
                    Outcome.PAIN,
                    frozenset({_NG}),
                    "inconsistent evidence (the review's words)",
                    "the effect of job rotation on complaints was inconsistent",
                    Mark.VERIFIED,
                    effective=False,
                ),
            ),
            _source(
                "who2020",
                "WHO 2020",
                "guideline",
                "Bull FC, Al-Ansari SS, Biddle S, et al. World Health Organization 2020 "
                "guidelines on physical activity and sedentary behaviour. Br J Sports Med "
                "2020;54:1451-1462.",
                activity_levels=Claim(
                    Outcome.HEALTH,
                    frozenset({_C}),
                    "WHO guideline",
                    "150-300 min a week of moderate activity and muscle strengthening",
                    Mark.VERIFIED,
                ),
            ),
            _source(
                "shiri2017",
                "Shiri 2017",
                "meta-analysis of cohort studies",
                "Shiri R, Falah-Hassani K. Does leisure time physical activity protect against "
                "low back pain? Br J Sports Med 2017;51(19):1410-1418.",
                leisure_activity=Claim(
                    Outcome.RISK_FACTOR,
                    frozenset({_NG}),
                    "observational; to be interpreted cautiously (the authors)",
                    "active people had less chronic low back pain (RR 0.84-0.89)",
                    Mark.VERIFIED,
                ),
            ),
            _source(
                "shiri2010",
                "Shiri 2010",
                "meta-analysis of observational studies",
                "Shiri R, Karppinen J, Leino-Arjas P, Solovieva S, Viikari-Juntura E. The "
                "association between obesity and low back pain: a meta-analysis. Am J "
                "Epidemiol 2010;171(2):135-154.",
                obesity=Claim(
                    Outcome.RISK_FACTOR,
                    frozenset({_NG}),
                    "observational; no trial of weight loss for back pain was found",
                    "obesity is linked with new low back pain (OR 1.53)",
                    Mark.VERIFIED,
                ),
            ),
            _source(
                "hoogendoorn2000",
                "Hoogendoorn 2000",
                "systematic review of cohort studies",
                "Hoogendoorn WE, van Poppel MNM, Bongers PM, Koes BW, Bouter LM. Psychosocial "
                "factors at work and in private life as risk factors for back pain. Spine "
                "2000;25(16):2114-2125.",
                work_factors=Claim(
                    Outcome.RISK_FACTOR,
                    frozenset({_NG}),
                    "strong evidence in the review's own levels (observational)",
                    "low support at work and low job satisfaction are risk factors for back pain",
                    Mark.VERIFIED,
                ),
            ),
            _source(
                "hse_management_standards",
                "HSE Management Standards",
                "guidance",
                "HSE Management Standards for work-related stress (demands, control, support, "
                "relationships, role, change).",
                stress_review=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "regulator's guidance",
                    "review demands, control and support with the worker",
                    Mark.CITED,
                ),
            ),
            _source(
                "nice_ng59",
                "NICE NG59",
                "guideline",
                "NICE NG59 Low back pain and sciatica in over 16s: assessment and management "
                "(2016, updated 2020).",
                exercise_programme=Claim(
                    Outcome.PAIN,
                    frozenset({_C}),
                    'NICE "consider" recommendation',
                    "consider a group exercise programme for low back pain",
                    Mark.SECONDARY,
                ),
                psychological_with_exercise=Claim(
                    Outcome.PAIN,
                    frozenset({_C}),
                    'NICE "consider" recommendation',
                    "a cognitive behavioural approach only within a package that includes exercise",
                    Mark.SECONDARY,
                ),
                exclude_specific_causes=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "NICE guideline",
                    "exclude specific causes (red flags) before managing back pain as non-specific",
                    Mark.VERIFIED,
                ),
                no_belts=Claim(
                    Outcome.PAIN,
                    frozenset({_C}),
                    'NICE "do not offer"',
                    "do not offer belts or corsets for low back pain",
                    Mark.SECONDARY,
                    effective=False,
                ),
            ),
            _source(
                "linton2001",
                "Linton 2001",
                "randomised trial",
                "Linton SJ, Ryberg M. A cognitive-behavioral group intervention as prevention "
                "for persistent neck and back pain in a non-patient population. Pain "
                "2001;90:83-90.",
                cbt_group=Claim(
                    Outcome.WORK_ABSENCE,
                    frozenset({_NG}),
                    "a single randomised trial",
                    "about three times lower risk of long-term sick leave",
                    Mark.VERIFIED,
                ),
            ),
            _source(
                "red_flags",
                "NHS red-flag list",
                "guidance",
                "NICE CKS-derived NHS red-flag list for low back pain; British Association of "
                "Spine Surgeons, cauda equina syndrome guidance (2018).",
                same_day=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "clinical guidance",
                    "suspected cauda equina syndrome needs same-day emergency assessment",
                    Mark.CITED,
                ),
            ),
            _source(
                "nice_ng65",
                "NICE NG65",
                "guideline",
                "NICE NG65 Spondyloarthritis in over 16s: diagnosis and management (2017), 1.1; "
                "ASAS criteria for inflammatory back pain (Sieper J et al. Ann Rheum Dis "
                "2009;68:784-788).",
                rheumatology_referral=Claim(
                    Outcome.EXPOSURE,
                    frozenset({_C}),
                    "NICE guideline",
                    "refer possible inflammatory back pain to rheumatology",
                    Mark.CITED,
                ),
            ),
            _source(
                "verbeek2011",
                "Verbeek 2011",
                "systematic review",
                "Verbeek JH, Martimo KP, Karppinen J, et al. Manual material handling advice "
                "and assistive devices for preventing and treating back pain in workers. "
                "Cochrane Database Syst Rev 2011;(6):CD005958; Martimo KP et al. BMJ "
                "2008;336:429.",
                training_no_effect=Claim(
                    Outcome.EPISODES,
                    frozenset({_M}),
                    "moderate quality evidence",
                    "manual-handling training and advice did not prevent back pain",
                    Mark.VERIFIED,
                    effective=False,
                ),
            ),
            _source(
                "wassell2000",
                "Wassell 2000",
                "prospective cohort",
                "Wassell JT, Gardner LI, Landsittel DP, et al. A prospective study of back "
                "belts for prevention of back pain and injury. JAMA 2000;284:2727 (13,873 "
                "material handlers); NIOSH, Workplace Use of Back Belts, DHHS (NIOSH) 94-122 "
                "(1994).",
                belts_no_effect=Claim(
                    Outcome.INJURY,
                    frozenset({_NG}),
                    "a large prospective cohort",
                    "back belts did not reduce back injury claims or back pain",
                    Mark.VERIFIED,
                    effective=False,
                ),
            ),
        ]
    )
)
"""Every source the catalogue cites, by key."""
