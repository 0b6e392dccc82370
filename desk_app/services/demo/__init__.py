"""A believable demo hall: its services, staff, calendar, helper sessions and months of history, for `desk-app demo seed`."""
