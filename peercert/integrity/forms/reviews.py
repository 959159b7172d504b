"""integrity: the reviews part's forms."""
