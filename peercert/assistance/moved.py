"""Where technical assistance used to live, under /discipline/: each old path redirects to its
new one, so bookmarks, emails already sent and links in old notifications keep working.

GET (and HEAD) get 301; any other method gets 308, which makes the browser repeat the same
method and body at the new address (a 301 would turn a POSTed reply into a GET). The query
string is kept (?saved=3, ?status=open). A redirect reveals nothing: the new URL checks who
may see it.
"""

from django.http import HttpResponsePermanentRedirect
from django.http.response import HttpResponseRedirectBase
from django.urls import path, reverse


class HttpResponsePermanentRedirectKeepMethod(HttpResponseRedirectBase):
    status_code = 308


def _moved(to: str):
    def view(request, **kwargs):
        url = reverse(f"assistance:{to}", kwargs=kwargs or None)
        if request.META.get("QUERY_STRING"):
            url = f"{url}?{request.META['QUERY_STRING']}"
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(url)
        return HttpResponsePermanentRedirectKeepMethod(url)

    view.__name__ = f"moved_{to}"
    return view


# old path under /discipline/ -> new URL name under /assistance/
MOVED = [
    ("help/", "faq"),
    ("help/ask/", "ask"),
    ("help/sent/", "ask_sent"),
    ("my/questions/", "my_questions"),
    ("my/questions/<int:request_id>/", "my_question"),
    ("help/queue/", "queue"),
    ("help/queue/<int:request_id>/", "question"),
    ("help/queue/<int:request_id>/assign/", "question_assign"),
    ("help/queue/<int:request_id>/close/", "question_close"),
    ("help/saved-answers/", "saved_answer_list"),
    ("help/saved-answers/<int:answer_id>/", "saved_answer_edit"),
    ("help/faq/", "faq_manage"),
    ("help/faq/<int:entry_id>/", "faq_edit"),
]

app_name = "assistance_moved"

urlpatterns = [path(old, _moved(to), name=to) for old, to in MOVED]
