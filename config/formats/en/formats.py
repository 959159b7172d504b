# Dates in full for people ("November 30, 2026"); the ISO form stays for tables and records.
DATE_FORMAT = "F j, Y"
