"""integrity: the overpayments part's forms."""
