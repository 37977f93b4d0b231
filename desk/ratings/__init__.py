"""Ratings: how satisfied a customer was with the handling of a ticket."""
