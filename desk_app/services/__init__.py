"""Use cases, one transaction each, checked against the acting person's role; they return plain dataclasses, never live ORM objects, and import no Qt."""
