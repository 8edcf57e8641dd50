"""Feedback forms, answers that reach the expert, and annual reports."""
