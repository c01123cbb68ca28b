"""The admin area's public module: what other areas may use of it.

Other areas import from here only (never app.domain.admin.<module>).
`require_within_reach` refuses with the code "protected": an area that calls
it declares REACH_CODES among its own codes. This module imports no module
that imports another area, so any area may import it without a cycle.
"""

from app.domain.admin.grants import out_of_reach, require_within_reach
from app.domain.admin.reasons import REACH_CODES
from app.domain.admin.units import unit_choices

__all__ = ["REACH_CODES", "out_of_reach", "require_within_reach", "unit_choices"]
