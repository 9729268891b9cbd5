"""The portal's adjustable limits, read when used (a deployment overrides them in
settings as ``SIFA_PORTAL_<NAME>``). Rationale: docs/adr/0008-portal-lookup-and-rate-limits.md.

=================================  =======  ===============================================
setting                            default  meaning
=================================  =======  ===============================================
SIFA_PORTAL_BUREAU                 ""       region code of the bureau that receives online
                                            applications ("" = the first district bureau)
SIFA_PORTAL_TRACK_WINDOW_MINUTES   30       window in which failed lookups are counted
SIFA_PORTAL_TRACK_MAX_PER_IP       10       failed lookups from one address per window
SIFA_PORTAL_TRACK_MAX_PER_CODE     5        failed lookups of one case code per window
SIFA_PORTAL_APPLY_WINDOW_MINUTES   60       window for online applications
SIFA_PORTAL_APPLY_MAX_PER_IP       20       application forms sent from one address per window
SIFA_PORTAL_MAX_FILES              10       files attached to one application
SIFA_PORTAL_HOTLINE                12348    the legal-service hotline shown in the footer
SIFA_PORTAL_HOURS                  (text)   office hours shown in the footer and the guide
=================================  =======  ===============================================
"""

from __future__ import annotations

from sifa.common.conf import Settings

_conf = Settings(
    "SIFA_PORTAL_",
    {
        "BUREAU": "",
        "TRACK_WINDOW_MINUTES": 30,
        "TRACK_MAX_PER_IP": 10,
        "TRACK_MAX_PER_CODE": 5,
        "APPLY_WINDOW_MINUTES": 60,
        "APPLY_MAX_PER_IP": 20,
        "MAX_FILES": 10,
        "HOTLINE": "12348",
        "HOURS": "工作日 上午 9:00—12:00，下午 13:30—17:30（法定节假日除外）",
    },
)
get = _conf.get
