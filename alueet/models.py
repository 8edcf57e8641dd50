"""Regional steering groups: members and terms, meetings, organising meetings and the lottery, plans, grants, events."""
