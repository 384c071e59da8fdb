"""Open Referral UK in and out: read a directory (JSON or CSV), check it, write it, export ours.

`read` turns files into service records, `clean` checks them, `write` saves them all or
nothing, `jobs` runs an uploaded import in the background, `export` serves our services.
"""
