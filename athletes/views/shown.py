"""Whose logged sets the kept pages show (web/kept_pages.py): a page is made afresh after a set
is logged that it shows, and only then."""

from athletes.selectors.roster import athlete_for_user
from athletes.services.logging import athlete_log_generation, roster_log_generation


def own_log(request, *args, **kwargs) -> list[str]:
    """The signed-in athlete's pages: their own sets."""
    return [athlete_log_generation(athlete_for_user(request.user).pk)]


def athlete_log(request, athlete_id, *args, **kwargs) -> list[str]:
    """A coach's page about one athlete: that athlete's sets."""
    return [athlete_log_generation(athlete_id)]


def viewer_log(request, *args, **kwargs) -> list[str]:
    """A page both roles see: an athlete's own sets, or any of a coach's athletes'."""
    if request.user.is_athlete:
        return own_log(request)
    return roster_log(request)


def roster_log(request, *args, **kwargs) -> list[str]:
    """A coach's page about all their athletes: any of their sets."""
    return [roster_log_generation(request.user.pk)]
