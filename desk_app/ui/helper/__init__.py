"""The helper's workstation (帮办代办): today's sessions, the chosen session and its forms."""
