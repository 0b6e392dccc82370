"""The hall's upkeep of the 一件事 catalog: published versions, facts marked verified, edits, imports and exports of whole packages, history and rollback."""
