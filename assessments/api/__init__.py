"""The REST API (`/api/v1/`) and the personal API tokens that sign its calls.

It sits on top, beside the pages: it authorises every call through
`assessments.permissions` and shapes health data through `assessments.core.health`, exactly
as the pages do, and calls the same services.
"""
