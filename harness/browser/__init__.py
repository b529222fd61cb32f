"""Browser adapter: finds and launches Chromium, and drives journeys through Playwright."""
