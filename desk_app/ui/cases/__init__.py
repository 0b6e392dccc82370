"""The counter's 一件事 case screens: the applicant, the situation questions, the guided material checklist, and finding a case again."""
