"""Calendar invitations (iCalendar, RFC 5545) for steering group meetings.

Every email about a meeting carries the event with the same UID; SEQUENCE grows with each
change, and a cancellation is METHOD:CANCEL with STATUS:CANCELLED, so calendar programs update
or remove the event they already have."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText


def meeting_calendar(*, meeting, attendee_email: str, attendee_name: str, description: str) -> str:
    cancelled = meeting.is_cancelled
    calendar = Calendar()
    calendar.add("prodid", "-//Kokemustoimintaverkosto//Alueelliset ohjausryhmat//FI")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.title} – {meeting.group}")
    event.add("location", ", ".join(filter(None, [meeting.place, meeting.online_link])))
    if meeting.online_link:
        event.add("url", meeting.online_link)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(str(meeting.group))
    event.add("organizer", organizer, encode=0)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    # Answers go through the link in the email, not through the calendar program.
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee, encode=0)

    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
