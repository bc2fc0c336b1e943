"""Every text of the customer's story page outside its templates, marked for the catalogs.

They are translated where the page is rendered (bot/stories/web.py), in the page's
language; the polite register throughout (vous, Sie, usted, você, です・ます): this is a
company writing to its customer.
"""

from __future__ import annotations

from bot.core.i18n import N_
from bot.stories.links import LinkState

RATINGS = [
    ("1", N_("very poor")),
    ("2", N_("poor")),
    ("3", N_("average")),
    ("4", N_("good")),
    ("5", N_("excellent")),
]
CLOSED = {
    LinkState.EXPIRED: (
        N_("This link has expired"),
        N_(
            "Links to tell your story work for 14 days. If you'd still like to, ask the person "
            "who sent it for a new one."
        ),
    ),
    LinkState.USED: (
        N_("Thank you — we already have your story"),
        N_("This link has been used. Thank you for telling us; it helps the whole team."),
    ),
    LinkState.REVOKED: (
        N_("This link is no longer active"),
        N_(
            "The person who sent it has replaced or withdrawn it. Ask them for a new one if you "
            "would like to tell your story."
        ),
    ),
    LinkState.UNKNOWN: (
        N_("We can't find this page"),
        N_(
            "Please check that the whole link was copied. Links are long, and sometimes an "
            "email program breaks them over two lines."
        ),
    ),
}
THANKS = (
    N_("Thank you"),
    N_("Your story has reached the team. Thank you for taking the time to tell us."),
)
NOT_ALLOWED = (N_("Not allowed"), N_("This page only shows and accepts its own form."))
TOO_MANY = (
    N_("Please wait a moment"),
    N_("We've had a lot of requests for this page. Please try again in a few minutes."),
)
FAILED = (
    N_("Sorry, something went wrong"),
    N_("Nothing was lost on your side that we know of. Please try again in a minute."),
)
TOO_LONG = (
    N_("That was too long"),
    N_("Please keep each answer under %(limit)s characters and send it again."),
)
NOT_OUR_FORM = (
    N_("Please open the link again"),
    N_("That form didn't come from this page. Open the link you were sent again."),
)
UNREADABLE = (
    N_("Please send the form again"),
    N_("The form could not be read (%(problem)s). Open the link again and send it once more."),
)
NO_CSRF = (
    N_("Please open the link again"),
    N_(
        "For your safety this form only works from the page it came from. Open the link you "
        "were sent again and fill it in there."
    ),
)
# The date of the moment in the lead sentence, as a CLDR pattern each language sets.
DATE_PATTERN = N_("d MMMM y")
