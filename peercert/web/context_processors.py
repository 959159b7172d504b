from peercert.web.navigation import entries_for


def navigation(request):
    return {"nav_entries": entries_for(request.user, request.path)}
