"""What the patient pages (web) and the staff pages (console) share, so neither imports the other.

Matches, relaxations and vocabularies in the reader's words, the needs form's choices, language
names, and whom to call for each match. No routes: the entry points render with these.
"""
