"""What the decision meeting, the moderation page, the ranking CSV and the minutes read.

- ``panel``: the panel with its meeting, its members and who is present, and conflicts;
- ``places``: the round's priorities and places, and those the answers chose;
- ``candidates``: the round's applications, scores and priorities made into the ranking's
  candidates;
- ``kept_ranking``: the ranking against the money, kept in the cache as plain rows
  (``panels.meeting_cache``);
- ``agenda``: the meeting itself, ranked, with quorum, conflicts and decisions;
- ``decisions``: what recording one decision reads;
- ``minutes``: the minutes' decisions and state;
- ``ranking_csv``: the ranking as the CSV's rows.

Each page costs a fixed number of queries, whatever the number of applications, scorers
and criteria. Only submitted scorecards of active (or since removed) members count, and a
member's scores never count on an application they declared an interest in.
"""
