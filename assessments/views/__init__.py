"""HTTP only: parse, authorize through `permissions`, call a service, render."""
