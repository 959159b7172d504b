from django.urls import path

from peercert.assistance import views

app_name = "assistance"

urlpatterns = [
    # Public
    path("", views.faq, name="faq"),
    path("ask/", views.ask, name="ask"),
    path("sent/", views.ask_sent, name="ask_sent"),
    # People asking, signed in
    path("my/", views.my_questions, name="my_questions"),
    path("my/<int:request_id>/", views.my_question, name="my_question"),
    # Program staff
    path("queue/", views.queue, name="queue"),
    path("queue/<int:request_id>/", views.question, name="question"),
    path("queue/<int:request_id>/assign/", views.question_assign, name="question_assign"),
    path("queue/<int:request_id>/close/", views.question_close, name="question_close"),
    path("saved-answers/", views.saved_answer_list, name="saved_answer_list"),
    path("saved-answers/<int:answer_id>/", views.saved_answer_edit, name="saved_answer_edit"),
    path("faq/", views.faq_manage, name="faq_manage"),
    path("faq/<int:entry_id>/", views.faq_edit, name="faq_edit"),
]
