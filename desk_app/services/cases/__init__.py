"""一件事 cases at the counter: opening, the material checklist, decisions, conclusion, the printed documents and finding a case again."""
