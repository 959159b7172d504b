"""{{ value|exam_time }} and {{ value|exam_clock }}: exam times in Pacific time, in the reader's language."""

from django import template

from peercert.exams.times import local_clock, local_datetime

register = template.Library()


@register.filter
def exam_time(value):
    return local_datetime(value) if value else ""


@register.filter
def exam_clock(value):
    return local_clock(value) if value else ""
