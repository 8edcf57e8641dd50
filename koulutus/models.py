"""Training: courses, applications through organisations, attendance, completion and qualification."""
