"""Appointments (预约): the bookable slots, booking and cancelling, check-in on the day, and the appointment slip."""
