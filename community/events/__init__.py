"""Events: event pages, registrations with a waitlist, QR tickets and check-in
at the door (app label ``community_events``)."""
