"""Pure-Python scoring for workplace ergonomics assessments.

Nothing in this package imports Django or touches I/O: frozen dataclasses go in,
frozen dataclasses come out, and every number can be explained from the values
it carries.
"""
