"""The line's adjustable parameters (a deployment sets them in its settings):

==================================  ========  ==============================================
setting                             default   meaning
==================================  ========  ==============================================
SIFA_RECONSIDERATION_ORGAN          ""        the 行政复议机关 named on documents ("" = the
                                              bureau's district government, 演示区司法局 →
                                              演示区人民政府)
==================================  ========  ==============================================
"""

from __future__ import annotations

from sifa.common.conf import Settings

get = Settings("SIFA_RECONSIDERATION_", {"ORGAN": ""}).get
