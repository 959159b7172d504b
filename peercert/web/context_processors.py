from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peercert.web.navigation import menu_for


def navigation(request):
    return {"nav_menu": menu_for(request.user, request.path), "file_input_strings": file_input_strings()}


def file_input_strings() -> dict[str, str]:
    """The English words USWDS's file input writes, each with its translation in the active language
    (web/file-input-i18n.js puts them in place); nothing to do in English."""
    if (get_language() or "en").startswith("en"):
        return {}
    return {
        "Drag files here or": _("Drag files here or"),
        "Drag file here or": _("Drag file here or"),
        "choose from folder": _("choose from folder"),
        "Choose from folder": _("Choose from folder"),
        "Change files": _("Change files"),
        "Change file": _("Change file"),
        "Selected files": _("Selected files"),
        "Selected file": _("Selected file"),
        "You have selected the file: ": _("You have selected the file: "),
        "No file selected.": _("No file selected."),
        "Error: This is not a valid file type.": _("Error: This is not a valid file type."),
    }
