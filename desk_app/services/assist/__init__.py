"""帮办代办: helper sessions with their steps and authorizations, their papers, figures and retention, and the pain points (堵点) they find."""
