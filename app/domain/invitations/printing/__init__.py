"""Printable invitation sheets and kiosk badges (PDF, reportlab).

- `sheets.render_sheets(cards)`: A4, two invitations per page with cut
  marks; each half carries the person's name, the invitation QR (the link
  with its token), the short code, a three-step pictogram instruction in
  the person's language, the organisation and the expiry date.
- `badges.render_badges(cards)`: credit-card badges (85.6 x 54 mm), ten per
  A4 with cut marks; the QR holds `WERKPAS-BADGE:<badge token>`.
- `badges` also registers the command `invitations.issue_badge`.
- `queries`: which invitations and people a staff user may print, as cards.

QR codes are drawn as vector rectangles (one filled path per code), so they
stay sharp at any printer resolution.
"""

from reportlab import rl_config

# Binary (deflate-only) content streams: reportlab's default ASCII85 wrapping
# is pure Python here and only matters for 7-bit channels, which no browser
# download or printer uses. Set once for this process's PDFs, all of them ours.
rl_config.useA85 = 0
