"""Community organization pages: the inbox of referrals to the organization's programs.

Staff receive a program referral once it is sent, report its status in the organization's own
words (findhelp's), and close it with one of the closing statuses. What they see is what
referrals.access lets them see: their organization's programs only, every read audited.
"""

from __future__ import annotations

from flask import render_template

from accounts.identity import current_actor
from console import community_blueprint as bp
from console.access import page_for
from console.referral_page import add_referral_routes
from referrals import use_cases

COMMUNITY = ("community",)
INBOX_LIMIT = 200


@bp.get("/")
@page_for(*COMMUNITY)
def inbox():
    """Referrals sent to the organization's programs, in the status table's inbox sections."""
    sections = use_cases.inbox(current_actor(), INBOX_LIMIT)
    part2 = any(s.disclosure.part2 and s.disclosure.allowed for _, items in sections for s in items)
    return render_template("console/community/inbox.html", sections=sections, part2_disclosed=part2)


add_referral_routes(bp, *COMMUNITY)
