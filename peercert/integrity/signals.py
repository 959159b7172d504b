"""Signals integrity sends, for the parts and apps that act on them.

line_found_unsupported: a utilization review found paid service lines not supported. Sent after commit with
sender=LineFinding, line_ids=[ServiceLine ids], finding_ids=[LineFinding ids], actor=<user>. The
overpayments part subscribes and opens the overpayment.
"""

from django.dispatch import Signal

line_found_unsupported = Signal()
