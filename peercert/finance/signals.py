"""Events finance publishes for the apps above it.

invoice_settled(sender=Invoice, invoice=invoice) is sent once, after the transaction that
settled the invoice (paid in full, waived, or covered by a scholarship) commits. Higher
apps connect in their AppConfig.ready() and filter on invoice.reference_type.
"""

from django.dispatch import Signal

invoice_settled = Signal()
