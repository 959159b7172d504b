"""Events integrity publishes (and listens to within itself).

line_found_unsupported(sender, line_ids, finding_ids, actor) is sent on commit when a utilization
reviewer finds paid lines not supported; the overpayments part opens an overpayment for them.
"""

from django.dispatch import Signal

line_found_unsupported = Signal()
