"""The domain: members, links, geodesy and the assessment checks. No Qt, no SQL."""
