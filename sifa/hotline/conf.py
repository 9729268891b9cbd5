"""The line's adjustable rule parameters, read when used (a deployment sets them
in its settings, no code change). Defaults and their basis (DOMAIN.md §7, a
bureau's rules for orders transferred from 12345):

=================================  ==========  =================================================
setting                            default     basis
=================================  ==========  =================================================
SIFA_HOTLINE_LIMITS                (below)     办理时限 by order type, working days: 咨询/求助 3,
                                               投诉/建议 13, 预约 3
SIFA_HOTLINE_URGENT_WORKDAYS       0           应急类 the same day
SIFA_HOTLINE_ESCALATE_WORKDAYS     5           催办 on overdue; 通报 after 5 more working days
SIFA_HOTLINE_CALLBACK_WORKDAYS     1           回访 the next (working) day after the reply
SIFA_HOTLINE_REVIEW_WORKDAYS       3           every 不满意 reviewed (复核) after its callback
SIFA_HOTLINE_MAX_EXTENSION         10          the longest extension one request may ask for
SIFA_HOTLINE_QUALITY_SAMPLE        5           质检率 ≥ 5 % (安徽 provincial target): percent sampled
=================================  ==========  =================================================
"""

from __future__ import annotations

from sifa.common.conf import Settings

_conf = Settings(
    "SIFA_HOTLINE_",
    {
        "LIMITS": {"consult": 3, "help": 3, "complaint": 13, "suggestion": 13, "appointment": 3},
        "URGENT_WORKDAYS": 0,
        "ESCALATE_WORKDAYS": 5,
        "CALLBACK_WORKDAYS": 1,
        "REVIEW_WORKDAYS": 3,
        "MAX_EXTENSION": 10,
        "QUALITY_SAMPLE": 5,
    },
)
get, rule = _conf.get, _conf.rule


def limit(kind: str, urgent: bool = False) -> int:
    """The handling time limit of an order of ``kind`` (working days)."""
    if urgent:
        return int(get("URGENT_WORKDAYS"))
    return int(get("LIMITS").get(kind, 3))
