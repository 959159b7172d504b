# Spanish as Californians read it: "30 de noviembre de 2026", and money with a decimal point
# ($1,250.00), as in Mexico and the United States, not the decimal comma of Spain.
DATE_FORMAT = r"j \d\e F \d\e Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
