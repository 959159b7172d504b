from dataclasses import dataclass

# An entry's group: None takes the area of the app that lists it (peercert.web.navigation.AREAS,
# else the app's verbose name); TOP_LEVEL keeps it out of every group, as its own link.
TOP_LEVEL = ""


@dataclass(frozen=True)
class NavEntry:
    """A header navigation entry, shown to users for whom visible(user) is true.

    `order` sorts entries within their group, and groups by their first entry. `group` names the
    area the entry belongs to (a lazy string); leave it None and the app's area is used, so a new
    app's entries group without edits.
    """

    label: str
    url_name: str
    visible: object  # callable(user) -> bool
    order: int = 50
    group: object = None
