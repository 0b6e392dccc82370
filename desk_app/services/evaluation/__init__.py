"""好差评: the visitor's rating of a visit, the follow-up of negative ratings, and the figures of a period."""
